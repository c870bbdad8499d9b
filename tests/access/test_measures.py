"""The distance engine against geopandas, networkx, PySAL access, numpy and hand-solved cases."""

from __future__ import annotations

import math
import pickle
import sys

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import pytest
from scipy import sparse

from access import fca as pysal_fca  # PySAL's access, the dev extra's reference
from access import weights as pysal_weights
from ehalsa_analys import access
from ehalsa_analys.access import _engine
from ehalsa_analys.errors import CRSError, SchemaError
from ehalsa_analys.load import RoadGraph

# Toy coordinates sit at an origin inside Sweden, so no test looks like degrees.
X0, Y0 = 500_000.0, 6_500_000.0


def _points(xy):
    xy = np.asarray(xy, float).reshape(-1, 2)
    return gpd.points_from_xy(xy[:, 0] + X0, xy[:, 1] + Y0)


def _cells(xy, population=None, code="1880", **extra):
    n = len(xy)
    return gpd.GeoDataFrame(
        {
            "cell_id": [f"c{i}" for i in range(n)],
            "population": population if population is not None else np.ones(n),
            "municipality_code": code,
            **extra,
        },
        geometry=_points(xy),
        crs=3006,
    )


def _services(xy, kinds, capacity=None):
    n = len(xy)
    return gpd.GeoDataFrame(
        {
            "service_id": [f"s{i}" for i in range(n)],
            "kind": kinds,
            "capacity": capacity if capacity is not None else np.ones(n),
        },
        geometry=_points(xy),
        crs=3006,
    )


def _graph(xy, edges, speeds=None):
    """RoadGraph from node offsets and (from, to, metres) links; speeds in km/h per link."""
    xy = np.asarray(xy, float)
    rows, cols, metres = (np.array(v) for v in zip(*edges, strict=True))
    n = len(xy)
    length = sparse.csr_array((metres.astype(float), (rows, cols)), shape=(n, n))
    time = None
    if speeds is not None:
        seconds = metres / (np.asarray(speeds, float) / 3.6)
        time = sparse.csr_array((seconds, (rows, cols)), shape=(n, n))
    return RoadGraph(x=xy[:, 0] + X0, y=xy[:, 1] + Y0, length=length, time=time)


# 0 <-> 1 <-> 2 two-way 1000 m each; 2 -> 3 one-way 1000 m; 3 -> 0 one-way 5000 m;
# 5 is a dead end reached only by the one-way 2 -> 5; 4 is an island.
LINE_XY = [(0, 0), (1000, 0), (2000, 0), (3000, 0), (90_000, 0), (2000, 1000)]
LINE_EDGES = [
    (0, 1, 1000),
    (1, 0, 1000),
    (1, 2, 1000),
    (2, 1, 1000),
    (2, 3, 1000),
    (3, 0, 5000),
    (2, 5, 1000),
]


def _nx(edges):
    g = nx.DiGraph()
    g.add_weighted_edges_from(edges)
    return g


# --------------------------------------------------------------------------- Euclidean


def test_euclidean_equals_geopandas_sjoin_nearest():
    rng = np.random.default_rng(4)
    cells = _cells(rng.uniform(0, 50_000, (500, 2)))
    kinds = rng.choice(["apotek", "vårdcentral", "dagligvaror"], 60)
    services = _services(rng.uniform(0, 50_000, (60, 2)), kinds)
    ours = access.nearest(cells, services)
    assert ours["kind"].unique().tolist() == ["apotek", "dagligvaror", "vårdcentral"]
    assert ours["cell_id"].tolist() == cells["cell_id"].tolist() * 3
    for kind in ("apotek", "vårdcentral", "dagligvaror"):
        peer = gpd.sjoin_nearest(
            cells, services[services["kind"] == kind], distance_col="d"
        ).drop_duplicates("cell_id")
        got = ours[ours["kind"] == kind].set_index("cell_id")
        np.testing.assert_allclose(got["distance"].loc[peer["cell_id"]], peer["d"], rtol=1e-12)
        assert got["service_id"].loc[peer["cell_id"]].tolist() == peer["service_id"].tolist()
    assert ours["unit"].eq("m").all() and ours["snap_m"].isna().all()
    assert ours.attrs["unreachable"] == {"apotek": 0, "dagligvaror": 0, "vårdcentral": 0}


def test_nearest_carries_the_split_columns_and_one_kind():
    cells = _cells([(0, 0), (10, 0)], urban=[True, False], population_70plus=[1.0, 0.0])
    services = _services([(0, 0), (500, 0)], ["apotek", "post"])
    out = access.nearest(cells, services, kind="post")
    assert list(out.columns) == [
        "cell_id",
        "municipality_code",
        "urban",
        "population_70plus",
        "population",
        "kind",
        "distance",
        "unit",
        "service_id",
        "snap_m",
        "service_snap_m",
    ]
    assert out["distance"].tolist() == [500, 490] and out["urban"].tolist() == [True, False]


# --------------------------------------------------------------------------- network


def test_network_equals_networkx_dijkstra_with_one_way_links():
    graph = _graph(LINE_XY, LINE_EDGES)
    cells = _cells(LINE_XY[:4])
    services = _services([LINE_XY[3], LINE_XY[0]], ["apotek", "vårdcentral"])
    ours = access.nearest(cells, services, method="network", network=graph)
    g = _nx(LINE_EDGES)
    for kind, target in (("apotek", 3), ("vårdcentral", 0)):
        got = ours[ours["kind"] == kind]["distance"].tolist()
        assert got == [nx.dijkstra_path_length(g, source, target) for source in range(4)]
    # Direction: from node 3 the only way out is the 5 km one-way link, and from node 0 to
    # node 3 it is 3 km, not the 5 km of the link that points the other way.
    assert ours[ours["kind"] == "vårdcentral"]["distance"].tolist()[3] == 5000
    assert ours[ours["kind"] == "apotek"]["distance"].tolist()[0] == 3000


def test_network_equals_networkx_on_a_random_directed_graph():
    rng = np.random.default_rng(11)
    xy = rng.uniform(0, 20_000, (150, 2))
    edges = []
    apart = np.hypot(*(xy[:, None, :] - xy[None, :, :]).transpose(2, 0, 1))
    for a in range(len(xy)):  # links to the 3 nearest nodes
        for b in np.argsort(apart[a])[1:4]:
            metres = float(apart[a, b])
            edges.append((a, int(b), metres))
            if rng.random() > 0.25:  # a quarter of the links are one-way
                edges.append((int(b), a, metres))
    edges = list({(a, b): (a, b, m) for a, b, m in edges}.values())
    graph = _graph(xy, edges)
    cells = _cells(rng.uniform(0, 20_000, (40, 2)))
    services = _services(rng.uniform(0, 20_000, (6, 2)), ["apotek"] * 6)
    ours = access.nearest(cells, services, method="network", network=graph)
    g = _nx(edges)
    node_xy = np.column_stack([graph.x, graph.y])

    def snap(point):
        d = np.hypot(*(node_xy - [point.x, point.y]).T)
        return int(np.argmin(d)), float(d.min())

    expected, chosen = [], []
    for point in cells.geometry:
        node, cell_snap = snap(point)
        reach = nx.single_source_dijkstra_path_length(g, node)
        options = []
        for service_id, target in zip(services["service_id"], services.geometry, strict=True):
            t_node, t_snap = snap(target)
            if t_node in reach:
                options.append((cell_snap + reach[t_node] + t_snap, service_id))
        best = min(options) if options else (np.nan, None)
        expected.append(best[0])
        chosen.append(best[1])
    np.testing.assert_allclose(ours["distance"], expected, rtol=1e-9)
    found = ~np.isnan(expected)
    assert found.sum() > 30  # the test exercises real routes
    assert ours["service_id"][found].tolist() == list(np.array(chosen, dtype=object)[found])
    assert ours.attrs["unreachable"]["apotek"] == int((~found).sum())


def test_network_zero_length_link_is_a_link():
    # 1 and 2 are two nodes at the same place joined only by a zero-length link (a junction
    # split in two); scipy drops implicit zeros but must keep this explicit one.
    xy = [(0, 0), (1000, 0), (1000, 0.001), (2000, 0)]
    edges = [(0, 1, 1000.0), (1, 0, 1000.0), (1, 2, 0.0), (2, 1, 0.0), (2, 3, 1000.0)]
    graph = _graph(xy, edges, speeds=[50] * 5)
    assert graph.length.nnz == 5
    cells = _cells([(0, 0)])
    services = _services([(2000, 0)], ["apotek"])  # exactly on node 3: a zero snap as well
    out = access.nearest(cells, services, method="network", network=graph)
    assert out["distance"].iloc[0] == nx.dijkstra_path_length(_nx(edges), 0, 3) == 2000
    timed = access.nearest(cells, services, method="network", network=graph, weight="time")
    assert timed["distance"].iloc[0] == pytest.approx(2000 / (50 / 3.6))
    assert timed["length_m"].iloc[0] == pytest.approx(2000)


def test_network_snap_distance_is_added_and_reported():
    graph = _graph(LINE_XY, LINE_EDGES, speeds=[36] * len(LINE_EDGES))  # 10 m/s
    cells = _cells([(0, 300)])  # 300 m off node 0
    services = _services([(2000, -400)], ["apotek"])  # 400 m off node 2
    out = access.nearest(cells, services, method="network", network=graph)
    assert out["distance"].iloc[0] == pytest.approx(300 + 2000 + 400)
    assert out["snap_m"].iloc[0] == pytest.approx(300)
    assert out["service_snap_m"].iloc[0] == pytest.approx(400)
    timed = access.nearest(
        cells, services, method="network", network=graph, weight="time", snap_speed_kmh=3.6
    )
    # 2000 m at 10 m/s plus 700 m of snapping at 1 m/s; the route is 2700 m long.
    assert timed["distance"].iloc[0] == pytest.approx(200 + 700)
    assert timed["length_m"].iloc[0] == pytest.approx(2700)
    assert timed["unit"].iloc[0] == "s"


def test_network_service_snap_decides_which_service_is_nearest():
    # s0 sits 900 m off node 1 (1000 m of road away): 1900 m in all; s1 is on node 2, 2000 m
    # away. Moved 1100 m off node 1, s0 is 2100 m away and s1 becomes the nearest.
    graph = _graph(LINE_XY, LINE_EDGES)
    cells = _cells([(0, 0)])
    services = _services([(1000, 900), (2000, 0)], ["apotek", "apotek"])
    out = access.nearest(cells, services, method="network", network=graph)
    assert out["service_id"].iloc[0] == "s0" and out["distance"].iloc[0] == pytest.approx(1900)
    services = _services([(1000, 1100), (2000, 0)], ["apotek", "apotek"])
    out = access.nearest(cells, services, method="network", network=graph)
    assert out["service_id"].iloc[0] == "s1" and out["distance"].iloc[0] == pytest.approx(2000)


def test_network_time_takes_the_fastest_route_and_its_length():
    # 0 -> 2 directly: 1000 m at 10 km/h (360 s); 0 -> 1 -> 2: 3000 m at 100 km/h (108 s).
    xy = [(0, 0), (1000, 1000), (1000, 0)]
    edges = [(0, 2, 1000.0), (0, 1, 1500.0), (1, 2, 1500.0)]
    graph = _graph(xy, edges, speeds=[10, 100, 100])
    cells = _cells([(0, 0)])
    services = _services([(1000, 0)], ["apotek"])
    by_time = access.nearest(cells, services, method="network", network=graph, weight="time")
    assert by_time["distance"].iloc[0] == pytest.approx(3000 / (100 / 3.6))
    assert by_time["length_m"].iloc[0] == pytest.approx(3000)
    by_length = access.nearest(cells, services, method="network", network=graph)
    assert by_length["distance"].iloc[0] == 1000 and "length_m" not in by_length


def test_network_picks_the_nearest_of_several_services():
    graph = _graph(LINE_XY, LINE_EDGES)
    cells = _cells([(0, 0), (2000, 0), (3000, 0)])
    services = _services([(0, 0), (3000, 0)], ["apotek", "apotek"])
    out = access.nearest(cells, services, method="network", network=graph)
    assert out["service_id"].tolist() == ["s0", "s1", "s1"]
    assert out["distance"].tolist() == [0, 1000, 0]


def test_unreachable_island_and_dead_end_are_nan_and_counted():
    graph = _graph(LINE_XY, LINE_EDGES, speeds=[50] * len(LINE_EDGES))
    cells = _cells([(0, 0), (90_000, 0), (2000, 1000)])  # mainland, island, dead end
    services = _services([(3000, 0)], ["apotek"])
    for weight in ("length", "time"):
        out = access.nearest(cells, services, method="network", network=graph, weight=weight)
        assert out["distance"].isna().tolist() == [False, True, True]
        assert out["service_id"].isna().tolist() == [False, True, True]
        assert out.attrs["unreachable"] == {"apotek": 2}
    assert out["length_m"].isna().tolist() == [False, True, True]


# --------------------------------------------------------------------------- checks


def test_crs_checks():
    cells = _cells([(0, 0)])
    services = _services([(1, 1)], ["apotek"])
    with pytest.raises(CRSError, match="geographic CRS EPSG:4326") as err:
        access.nearest(cells.to_crs(4326), services)
    assert "Fix: call cells.to_crs('EPSG:3006') first" in str(err.value)
    with pytest.raises(CRSError, match="`cells` are in EPSG:3006 but `services` in EPSG:3035"):
        access.nearest(cells, services.to_crs(3035))
    with pytest.raises(CRSError, match="`cells` is in EPSG:3035; distances need EPSG:3006"):
        access.nearest(cells.to_crs(3035), services.to_crs(3035))
    with pytest.raises(CRSError, match="`cells` has no coordinate reference system"):
        access.nearest(cells.set_crs(None, allow_override=True), services)
    with pytest.raises(CRSError, match="`services` is in the geographic CRS"):
        access.costs(cells, services.to_crs(4326), max_cost_m=5000)
    # Travel savings read the trips of access.nearest: the bases are its `services`.
    with pytest.raises(CRSError, match="`services` is in the geographic CRS"):
        access.nearest(cells.assign(visits_per_month=1.0), services.to_crs(4326))


def test_coordinates_in_degrees_labelled_sweref_are_refused():
    lonlat = gpd.GeoDataFrame(
        {"cell_id": ["a"], "population": [1.0]},
        geometry=gpd.points_from_xy([15.2], [59.3]),
        crs=3006,
    )
    with pytest.raises(CRSError, match="every coordinate looks like degrees") as err:
        access.nearest(lonlat, _services([(0, 0)], ["apotek"]))
    assert "first point 15.2, 59.3" in str(err.value)
    assert "set_crs('EPSG:4326', allow_override=True)" in str(err.value)


def test_bad_cells_and_services_name_column_and_value():
    cells = _cells([(0, 0), (5, 5)])
    services = _services([(1, 1)], ["apotek"])
    with pytest.raises(SchemaError, match="cell_id 'c0' more than once") as err:
        access.nearest(cells.assign(cell_id="c0"), services)
    assert err.value.column == "cell_id" and err.value.value == "c0"
    with pytest.raises(SchemaError, match="population -3.0 at index 1") as err:
        access.nearest(cells.assign(population=[1.0, -3.0]), services)
    assert err.value.column == "population"
    squares = cells.assign(geometry=cells.buffer(100))
    with pytest.raises(SchemaError, match="index 0 is a Polygon") as err:
        access.nearest(squares, services)
    assert "representative_point" in str(err.value)
    with pytest.raises(SchemaError, match=r"lacks the column\(s\) \['kind'\]"):
        access.nearest(cells, services.drop(columns="kind"))


def test_argument_checks():
    cells = _cells([(0, 0)])
    services = _services([(1, 1)], ["apotek"])
    with pytest.raises(ValueError, match=r"`kind` must be one of \['apotek'\], but 'bank'"):
        access.nearest(cells, services, kind="bank")
    with pytest.raises(ValueError, match="`method` must be one of"):
        access.nearest(cells, services, method="crow")
    with pytest.raises(ValueError, match="`engine` must be one of"):
        access.nearest(cells, services, engine="spark")
    with pytest.raises(ValueError, match="needs `network`, a RoadGraph"):
        access.nearest(cells, services, method="network")
    with pytest.raises(ValueError, match="weight='time' needs method='network'"):
        access.nearest(cells, services, weight="time")
    no_time = _graph(LINE_XY, LINE_EDGES)
    with pytest.raises(ValueError, match="has none"):
        access.nearest(cells, services, method="network", network=no_time, weight="time")
    with pytest.raises(ValueError, match="`snap_speed_kmh` must be positive"):
        graph = _graph(LINE_XY, LINE_EDGES, speeds=[50] * len(LINE_EDGES))
        access.nearest(
            cells, services, method="network", network=graph, weight="time", snap_speed_kmh=0
        )
    negative = _graph(LINE_XY[:2], [(0, 1, -5.0)])
    with pytest.raises(ValueError, match="finite and ≥ 0, but it has -5.0"):
        access.nearest(cells, services, method="network", network=negative)
    ignored = "method='euclidean' measures straight lines and would not use it"
    with pytest.raises(ValueError, match=ignored):
        access.nearest(cells, services, network=no_time)
    with pytest.raises(ValueError, match=ignored):
        access.costs(cells, services, max_cost_m=5000, network=no_time)
    # Travel savings no longer measure: they read the trips of access.nearest.
    with pytest.raises(TypeError, match="network"):
        access.travel_savings(
            cells, access.nearest(cells, services), visits_per_month=4.0, network=no_time
        )


# --------------------------------------------------------------------------- dask


def test_dask_engine_equals_default(monkeypatch):
    monkeypatch.setattr(_engine, "CHUNK", 70)  # several chunks even on a small fixture
    rng = np.random.default_rng(9)
    cells = _cells(rng.uniform(0, 10_000, (300, 2)), population=rng.uniform(0, 50, 300))
    services = _services(rng.uniform(0, 10_000, (9, 2)), ["apotek", "post", "vårdcentral"] * 3)
    pd.testing.assert_frame_equal(
        access.nearest(cells, services, engine="dask"), access.nearest(cells, services)
    )
    gx, gy = np.meshgrid(np.arange(0, 10_001, 1000.0), np.arange(0, 10_001, 1000.0))
    xy = np.column_stack([gx.ravel(), gy.ravel()])
    side = gx.shape[0]
    ids = np.arange(side * side).reshape(side, side)
    pairs = [(a, b) for a, b in zip(ids[:, :-1].ravel(), ids[:, 1:].ravel(), strict=True)]
    pairs += [(a, b) for a, b in zip(ids[:-1].ravel(), ids[1:].ravel(), strict=True)]
    edges = [(int(a), int(b), 1000.0) for a, b in pairs] + [
        (int(b), int(a), 1000.0) for a, b in pairs
    ]
    graph = _graph(xy, edges, speeds=rng.choice([50, 70], len(edges)))
    kwargs = {"method": "network", "network": graph, "weight": "time"}
    pd.testing.assert_frame_equal(
        access.nearest(cells, services, engine="dask", **kwargs),
        access.nearest(cells, services, **kwargs),
    )
    for options, catchment in (
        ({"max_cost_m": 3000}, {"max_cost_m": 3000}),
        ({"max_cost_s": 1200, **kwargs}, {"max_cost_s": 1200}),
    ):
        chunked = access.costs(cells, services, engine="dask", **options)
        whole = access.costs(cells, services, **options)
        pd.testing.assert_frame_equal(chunked, whole)
        ours = access.two_step_fca(cells, services, chunked, **catchment)
        default = access.two_step_fca(cells, services, whole, **catchment)
        pd.testing.assert_frame_equal(ours[0], default[0])
        pd.testing.assert_frame_equal(ours[1], default[1])
        assert (default[0]["score"] > 0).sum() > 100


def test_dask_on_processes_ships_the_trees_to_the_workers(monkeypatch):
    """A process (or cluster) scheduler pickles the tasks: the KD-trees must travel."""
    import dask

    monkeypatch.setattr(_engine, "CHUNK", 40)
    rng = np.random.default_rng(10)
    cells = _cells(rng.uniform(0, 5_000, (120, 2)))
    services = _services(rng.uniform(0, 5_000, (6, 2)), ["apotek", "post"] * 3)
    graph = _graph(LINE_XY, LINE_EDGES)
    calls = [
        lambda **kw: access.nearest(cells, services, **kw),
        lambda **kw: access.nearest(cells, services, method="network", network=graph, **kw),
        lambda **kw: access.costs(cells, services, max_cost_m=2000, **kw),
        lambda **kw: access.two_step_fca(
            cells, services, access.costs(cells, services, max_cost_m=2000, **kw), max_cost_m=2000
        )[0],
    ]
    with dask.config.set(scheduler="processes", num_workers=2):
        shipped = [call(engine="dask") for call in calls]
    for call, got in zip(calls, shipped, strict=True):
        pd.testing.assert_frame_equal(got, call())
    tree = _engine._Tree(np.array([[0.0, 0.0], [3.0, 4.0]]))
    again = pickle.loads(pickle.dumps(tree))
    assert again.query(np.array([[3.0, 3.0]]))[1].tolist() == [1]


# --------------------------------------------------------------------------- summaries


def _hand_table():
    return pd.DataFrame(
        {
            "municipality_code": "1880",
            "kind": "apotek",
            "unit": "m",
            "population": [10.0, 30.0, 60.0, 5.0],
            "population_70plus": [5.0, 5.0, 10.0, 0.0],
            "urban": [True, True, False, False],
            "distance": [1000.0, 4000.0, 12000.0, np.nan],
        }
    )


def test_summarise_hand_checked_with_urban_split_and_70plus():
    s = access.summarise(_hand_table(), thresholds_km=(2, 10)).set_index("group")
    assert s.index.tolist() == ["all", "urban", "rural", "70+"]
    whole = s.loc["all"]
    assert whole["mean_km"] == pytest.approx((10 * 1 + 30 * 4 + 60 * 12) / 100)
    # Cumulative shares 0.1, 0.4, 1.0: the median and p90 are both 12 km.
    assert whole["median_km"] == 12 and whole["p90_km"] == 12
    assert whole["beyond_2km"] == 90 and whole["beyond_10km"] == 60
    assert whole["share_beyond_10km"] == pytest.approx(0.6)
    assert whole["unreachable"] == 5 and whole["population"] == 105
    urban, rural = s.loc["urban"], s.loc["rural"]
    assert (urban["population"], urban["beyond_10km"], urban["median_km"]) == (40, 0, 4)
    assert urban["mean_km"] == pytest.approx((10 + 120) / 40)
    assert (rural["population"], rural["unreachable"], rural["share_beyond_10km"]) == (65, 5, 1)
    old = s.loc["70+"]  # weights 5, 5, 10: shares 0.25, 0.5, 1.0
    assert old["population"] == 20 and old["share_beyond_10km"] == pytest.approx(0.5)
    assert old["median_km"] == 4 and old["p90_km"] == 12
    plain = access.summarise(_hand_table(), thresholds_km=(10,), splits=False)
    assert plain["group"].tolist() == ["all"]


def test_summarise_beyond_is_t_or_more_and_matches_classes():
    d = pd.DataFrame(
        {
            "municipality_code": ["1880"] * 4 + ["1881"] * 2,
            "kind": "dagligvaror",
            "unit": "s",
            "population": [1.0, 2.0, 3.0, 4.0, 5.0, 0.0],
            "distance": [60.0, 300.0, 600.0, 1800.0, 100.0, 4000.0],  # 1, 5, 10, 30 minutes
            "length_m": [800.0, 4000.0, 9000.0, 30000.0, 1500.0, 50000.0],
        }
    )
    s = access.summarise(d, thresholds_km=(5, 25), thresholds_min=(5, 10, 30))
    first = s.iloc[0]
    assert [first[f"beyond_{t}min"] for t in (5, 10, 30)] == [9, 7, 4]
    assert [first[f"beyond_{t}km"] for t in (5, 25)] == [7, 4]
    assert first["median_min"] == 10 and first["median_km"] == 9
    classes = access.distance_classes(d)
    c = classes[classes["municipality_code"] == "1880"]
    assert c["population"].tolist() == [1, 2, 3, 4] and c["unit"].eq("min").all()
    for t in (5, 10, 30):
        share = c.loc[c["lower"] >= t, "share"].sum()
        assert first[f"share_beyond_{t}min"] == pytest.approx(share)
    # A municipality whose only far cell is empty: shares count people, not cells.
    assert s.iloc[1]["share_beyond_30min"] == 0 and s.iloc[1]["p90_min"] == pytest.approx(100 / 60)


def test_summarise_quantiles_equal_numpy_weighted_inverted_cdf():
    rng = np.random.default_rng(3)
    n = 2000
    d = pd.DataFrame(
        {
            "municipality_code": rng.choice(["1880", "1881", "1882", "2281"], n),
            "kind": rng.choice(["apotek", "post"], n),
            "unit": "m",
            "population": rng.integers(0, 40, n).astype(float),
            "distance": rng.gamma(2, 3000, n).round(-1),  # ties on purpose
        }
    )
    s = access.summarise(d)
    for row in s.itertuples():
        part = d[(d["municipality_code"] == row.municipality_code) & (d["kind"] == row.kind)]
        km, w = part["distance"].to_numpy() / 1000, part["population"].to_numpy()
        for q, got in ((0.5, row.median_km), (0.9, row.p90_km)):
            assert got == np.quantile(km, q, weights=w, method="inverted_cdf")
        assert row.mean_km == pytest.approx(np.average(km, weights=w))
        assert row.beyond_25km == w[km >= 25].sum()


def test_distance_classes_km_from_thresholds_and_70plus():
    d = _hand_table()
    out = access.distance_classes(d, thresholds_km=(2, 5))
    assert out[["lower", "upper"]].values.tolist() == [[0, 2], [2, 5], [5, np.inf]]
    assert out["population"].tolist() == [10, 30, 60] and out["unit"].eq("km").all()
    assert out["share"].tolist() == pytest.approx([0.1, 0.3, 0.6])
    old = access.distance_classes(d, thresholds_km=(2, 5), weight="population_70plus")
    assert old["population"].tolist() == [5, 5, 10]
    with pytest.raises(ValueError, match="`unit='min'` needs road times"):
        access.distance_classes(d, unit="min")
    with pytest.raises(ValueError, match="positive and increasing"):
        access.distance_classes(d, thresholds_km=(5, 2))


def test_summarise_refuses_unknown_units():
    with pytest.raises(SchemaError, match="unit 'km'") as err:
        access.summarise(_hand_table().assign(unit="km"))
    assert err.value.column == "unit"


# --------------------------------------------------------------------------- 2SFCA


def _gauss(d, d0):
    return (math.exp(-0.5 * (d / d0) ** 2) - math.exp(-0.5)) / (1 - math.exp(-0.5))


def test_two_step_fca_hand_solved_with_gaussian_decay():
    cells = _cells([(0, 0), (3000, 0)], population=[100.0, 200.0])
    services = _services([(0, 0), (6000, 0)], ["hemtjänst"] * 2, capacity=[10.0, 4.0])
    reach = access.costs(cells, services, max_cost_m=5000)
    per_cell, areas = access.two_step_fca(cells, services, reach, max_cost_m=5000, decay="gaussian")
    r0 = 10 / (100 * _gauss(0, 5000) + 200 * _gauss(3000, 5000))
    r1 = 4 / (200 * _gauss(3000, 5000))  # cell 0 is 6 km away: outside the catchment
    expected = [r0 * _gauss(0, 5000), r0 * _gauss(3000, 5000) + r1 * _gauss(3000, 5000)]
    assert per_cell["score"].tolist() == pytest.approx(expected, rel=1e-12)
    assert areas["score"].iloc[0] == pytest.approx((100 * expected[0] + 200 * expected[1]) / 300)
    # Without decay, by hand: R0 = 10/300, R1 = 4/200.
    plain, _ = access.two_step_fca(cells, services, reach, max_cost_m=5000, decay=None)
    assert plain["score"].tolist() == pytest.approx([10 / 300, 10 / 300 + 4 / 200])
    # Step weights (Luo & Qi), in the costs' metres: 1 up to 2 km, 0.5 up to 5 km.
    step, _ = access.two_step_fca(
        cells, services, reach, max_cost_m=5000, decay={2000: 1.0, 5000: 0.5}
    )
    r0, r1 = 10 / (100 + 200 * 0.5), 4 / (200 * 0.5)
    assert step["score"].tolist() == pytest.approx([r0, (r0 + r1) * 0.5])


def _naive_2sfca(cells, services, d0, w):
    """A plain-loop E2SFCA, the reference implementation."""
    cxy = np.column_stack([cells.geometry.x, cells.geometry.y])
    sxy = np.column_stack([services.geometry.x, services.geometry.y])
    ratios = []
    for j in range(len(sxy)):
        demand = 0.0
        for i in range(len(cxy)):
            d = math.dist(cxy[i], sxy[j])
            if d <= d0:
                demand += cells["population"].iloc[i] * w(d)
        ratios.append(services["capacity"].iloc[j] / demand if demand > 0 else 0.0)
    scores = []
    for i in range(len(cxy)):
        total = 0.0
        for j in range(len(sxy)):
            d = math.dist(cxy[i], sxy[j])
            if d <= d0:
                total += ratios[j] * w(d)
        scores.append(total)
    return scores


@pytest.mark.parametrize("decay", ["gaussian", "linear", None])
def test_two_step_fca_equals_a_naive_loop(decay):
    rng = np.random.default_rng(5)
    cells = _cells(rng.uniform(0, 20_000, (80, 2)), population=rng.integers(0, 50, 80) * 1.0)
    services = _services(rng.uniform(0, 20_000, (7, 2)), ["hemtjänst"] * 7, rng.uniform(1, 9, 7))
    d0 = 6000.0
    w = {
        "gaussian": lambda d: _gauss(d, d0),
        "linear": lambda d: 1 - d / d0,
        None: lambda d: 1.0,
    }[decay]
    reach = access.costs(cells, services, max_cost_m=d0)
    per_cell, _ = access.two_step_fca(cells, services, reach, max_cost_m=d0, decay=decay)
    np.testing.assert_allclose(per_cell["score"], _naive_2sfca(cells, services, d0, w), rtol=1e-10)


@pytest.mark.parametrize("decay", [None, "gaussian", {2000: 1.0, 4000: 0.6, 6000: 0.2}])
def test_two_step_fca_equals_pysal_access(decay):
    """PySAL's access (dev extra) on the same full cost table gives the same scores.

    Its ``two_stage_fca`` weights both steps with ``weight_fn`` and drops the
    pairs beyond ``max_cost``; cells without a service in reach are absent
    there and 0 here, services without people in reach likewise."""
    rng = np.random.default_rng(12)
    cells = _cells(rng.uniform(0, 30_000, (150, 2)), population=rng.integers(0, 80, 150) * 1.0)
    services = _services(
        rng.uniform(0, 30_000, (12, 2)), ["hemtjänst"] * 12, rng.integers(1, 12, 12) * 1.0
    )
    d0 = 6000.0
    cxy = np.column_stack([cells.geometry.x, cells.geometry.y])
    sxy = np.column_stack([services.geometry.x, services.geometry.y])
    cost = np.hypot(*(cxy[:, None, :] - sxy[None, :, :]).transpose(2, 0, 1))
    costs = pd.DataFrame(
        {
            "origin": np.repeat(cells["cell_id"].to_numpy(), len(services)),
            "dest": np.tile(services["service_id"].to_numpy(), len(cells)),
            "cost": cost.ravel(),
        }
    )
    if decay is None:
        weight_fn = None
    elif decay == "gaussian":
        weight_fn = lambda d: _gauss(d, d0)  # noqa: E731  (Dai's truncated Gaussian)
    else:
        weight_fn = pysal_weights.step_fn({float(k): v for k, v in decay.items()})
    peer = pysal_fca.two_stage_fca(
        cells.set_index("cell_id")[["population"]].rename(columns={"population": "demand"}),
        services.set_index("service_id")[["capacity"]].rename(columns={"capacity": "supply"}),
        costs,
        max_cost=d0,
        demand_index=True,
        weight_fn=weight_fn,
    )
    reach = access.costs(cells, services, max_cost_m=d0)
    ours, _ = access.two_step_fca(cells, services, reach, max_cost_m=d0, decay=decay)
    ours = ours.set_index("cell_id")["score"]
    assert peer.notna().all() and len(peer) > 100
    np.testing.assert_allclose(ours.loc[peer.index], peer, rtol=1e-10)
    assert (ours.drop(peer.index) == 0).all()
    # The very table PySAL read gives the same scores too (pairs beyond d0 left out).
    same, _ = access.two_step_fca(
        cells, services, costs.rename(columns={"cost": "cost_m"}), max_cost_m=d0, decay=decay
    )
    pd.testing.assert_series_equal(same.set_index("cell_id")["score"], ours)


def test_two_step_fca_unlimited_catchment_is_total_supply_per_person():
    rng = np.random.default_rng(8)
    cells = _cells(rng.uniform(0, 5000, (30, 2)), population=rng.uniform(1, 10, 30))
    services = _services(rng.uniform(0, 5000, (4, 2)), ["hemtjänst"] * 4, [3.0, 1.0, 2.0, 4.0])
    every_pair = access.costs(cells, services)  # no bound: every pair
    assert len(every_pair) == 30 * 4 and np.isinf(every_pair.attrs["max_cost_m"])
    per_cell, _ = access.two_step_fca(cells, services, every_pair, max_cost_m=1e7, decay=None)
    np.testing.assert_allclose(per_cell["score"], 10 / cells["population"].sum(), rtol=1e-12)


def test_two_step_fca_on_roads_and_travel_time():
    graph = _graph(LINE_XY, LINE_EDGES, speeds=[36] * len(LINE_EDGES))  # 10 m/s
    cells = _cells([(0, 0), (2000, 0), (3000, 0)], population=[100.0, 100.0, 50.0])
    services = _services([(2000, 0)], ["hemtjänst"], capacity=[6.0])
    # By road from cells to the service: 2000, 0 and 7000 m (3 -> 0 -> 1 -> 2, one-way).
    road = access.costs(cells, services, method="network", network=graph, max_cost_m=2500)
    per_cell, _ = access.two_step_fca(cells, services, road, max_cost_m=2500, decay=None)
    assert per_cell["score"].tolist() == pytest.approx([6 / 200, 6 / 200, 0])
    times = access.costs(
        cells, services, method="network", network=graph, weight="time", max_cost_s=720
    )
    timed, _ = access.two_step_fca(cells, services, times, max_cost_s=720, decay="linear")
    w = [1 - 200 / 720, 1.0, 1 - 700 / 720]  # 200 s, 0 s and 700 s against 720 s
    r = 6 / (100 * w[0] + 100 * w[1] + 50 * w[2])
    assert timed["score"].tolist() == pytest.approx([r * x for x in w])


def test_two_step_fca_argument_checks():
    cells = _cells([(0, 0)])
    services = _services([(0, 0)], ["hemtjänst"], capacity=[np.nan])
    reach = access.costs(cells, services, max_cost_m=5000)
    with pytest.raises(SchemaError, match="capacity nan at index 0") as err:
        access.two_step_fca(cells, services, reach, max_cost_m=5000)
    assert err.value.column == "capacity"
    services = _services([(0, 0)], ["hemtjänst"])
    with pytest.raises(ValueError, match="exactly one of `max_cost_m` and `max_cost_s`"):
        access.two_step_fca(cells, services, reach)
    with pytest.raises(ValueError, match="weight='time' needs method='network'"):
        access.costs(cells, services, weight="time", max_cost_s=600)
    with pytest.raises(SchemaError, match="holds cost_m") as err:
        access.two_step_fca(cells, services, reach, max_cost_s=600)
    assert "pass max_cost_m" in str(err.value)
    with pytest.raises(ValueError, match="`decay` must be one of"):
        access.two_step_fca(cells, services, reach, max_cost_m=5000, decay="cauchy")
    with pytest.raises(ValueError, match="`kind` must be one of"):
        access.costs(cells, services, max_cost_m=5000, kind="apotek")


# --------------------------------------------------------------------------- travel savings


def test_travel_savings_arithmetic():
    clients = _cells(
        [(0, 3000), (8000, 0), (0, -1000)],
        population=[1.0, 1.0, 2.0],
        code=["1880", "1880", "1881"],
        visits_per_month=[30.0, 10.0, 5.0],
    )
    bases = _services([(0, 0)], ["hemtjänst"])
    trips = access.nearest(clients, bases)
    out = access.travel_savings(
        clients, trips, digital_share=0.5, speed_kmh=40, minutes_saved_per_visit=6
    )
    first = out.iloc[0]
    km = 2 * 3 * 30 * 0.5 + 2 * 8 * 10 * 0.5
    assert first["km_saved"] == pytest.approx(km)
    assert first["hours_saved"] == pytest.approx(km / 40 + 20 * 6 / 60)
    assert (first["clients"], first["visits"], first["digital_visits"]) == (2, 40, 20)
    second = out.iloc[1]  # two clients in one row: 2 x 5 visits
    assert (second["visits"], second["km_saved"]) == (10, pytest.approx(2 * 1 * 10 * 0.5))
    one_way = access.travel_savings(
        clients,
        trips,
        digital_share=0.5,
        round_trip=False,
        detour_factor=1.3,
        staff_per_visit=2,
        client_count=1.0,
        by=None,
    ).iloc[0]
    km = 1.3 * (3 * 30 + 8 * 10 + 1 * 5) * 0.5
    assert one_way["km_saved"] == pytest.approx(km) and one_way["area"] == "all"
    assert one_way["hours_saved"] == pytest.approx(2 * km / 50)
    assert one_way["detour_factor"] == 1.3 and not one_way["round_trip"]


def test_travel_savings_on_roads_with_time_and_an_unreachable_client():
    graph = _graph(LINE_XY, LINE_EDGES, speeds=[72] * len(LINE_EDGES))  # 20 m/s
    clients = _cells([(0, 0), (90_000, 0)], visits_per_month=[10.0, 10.0])
    bases = _services([(2000, 0)], ["hemtjänst"])
    trips = access.nearest(clients, bases, method="network", network=graph, weight="time")
    out = access.travel_savings(clients, trips, digital_share=1.0).iloc[0]
    # One reachable client, 10 visits, each a 2 x 2 km round trip at 20 m/s (200 s).
    assert out["km_saved"] == pytest.approx(10 * 4)
    assert out["hours_saved"] == pytest.approx(10 * 200 / 3600)
    assert out["unreachable"] == 1 and np.isnan(out["speed_kmh"])


def test_travel_savings_checks():
    clients = _cells([(0, 0)], visits_per_month=[np.nan])
    trips = access.nearest(clients, _services([(0, 0)], ["hemtjänst"]))
    with pytest.raises(ValueError, match="`digital_share` must lie in 0–1, but 10"):
        access.travel_savings(clients, trips, digital_share=10)
    with pytest.raises(SchemaError, match="visits_per_month nan at index 0") as err:
        access.travel_savings(clients, trips)
    assert err.value.column == "visits_per_month"
    with pytest.raises(ValueError, match="`speed_kmh` must be positive"):
        access.travel_savings(clients, trips, visits_per_month=4, speed_kmh=0)


def test_dask_missing_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "dask", None)  # `import dask` now raises ImportError
    cells = _cells([(0, 0), (10, 0)])
    services = _services([(1, 1)], ["apotek"])
    with pytest.raises(ImportError, match=r"pip install 'ehalsa_analys\[dask\]'"):
        access.nearest(cells, services, engine="dask")
    assert access.nearest(cells, services)["distance"].notna().all()  # default needs no dask


def test_nearest_on_no_cells_gives_an_empty_table():
    cells = _cells(np.zeros((0, 2)))
    services = _services([(1, 1)], ["apotek"])
    out = access.nearest(cells, services)
    assert len(out) == 0 and out.attrs["unreachable"] == {"apotek": 0}
    assert access.summarise(out).empty
