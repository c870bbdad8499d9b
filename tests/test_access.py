"""The distance engine against geopandas, networkx and hand-solved cases."""

from __future__ import annotations

import math

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import pytest
from scipy import sparse

from ehalsa_analys import access
from ehalsa_analys.errors import CRSError
from ehalsa_analys.load.roads import RoadGraph


def _cells(xy, population=None, code="1880"):
    xy = np.asarray(xy, float)
    return gpd.GeoDataFrame(
        {
            "cell_id": [f"c{i}" for i in range(len(xy))],
            "population": population if population is not None else np.ones(len(xy)),
            "municipality_code": code,
        },
        geometry=gpd.points_from_xy(xy[:, 0], xy[:, 1]),
        crs=3006,
    )


def _services(xy, kinds, capacity=None):
    xy = np.asarray(xy, float)
    return gpd.GeoDataFrame(
        {
            "service_id": [f"s{i}" for i in range(len(xy))],
            "kind": kinds,
            "capacity": capacity if capacity is not None else np.ones(len(xy)),
        },
        geometry=gpd.points_from_xy(xy[:, 0], xy[:, 1]),
        crs=3006,
    )


def test_euclidean_equals_geopandas_sjoin_nearest():
    rng = np.random.default_rng(4)
    cells = _cells(rng.uniform(0, 50_000, (500, 2)))
    services = _services(rng.uniform(0, 50_000, (40, 2)), rng.choice(["apotek", "vårdcentral"], 40))
    ours = access.nearest(cells, services)
    for kind in ("apotek", "vårdcentral"):
        peer = gpd.sjoin_nearest(
            cells, services[services["kind"] == kind], distance_col="d"
        ).drop_duplicates("cell_id")
        got = ours[ours["kind"] == kind].set_index("cell_id")["distance"]
        np.testing.assert_allclose(got.loc[peer["cell_id"]].to_numpy(), peer["d"].to_numpy())


def _graph():
    # 0 -> 1 -> 2 two-way at 1000 m each; 2 -> 3 one-way (1000 m); 3 -> 0 one-way (5000 m);
    # node 4 is an island.
    x = np.array([0.0, 1000, 2000, 3000, 90_000])
    y = np.zeros(5)
    edges = [(0, 1, 1000), (1, 0, 1000), (1, 2, 1000), (2, 1, 1000), (2, 3, 1000), (3, 0, 5000)]
    rows, cols, w = zip(*edges, strict=True)
    length = sparse.csr_array((w, (rows, cols)), shape=(5, 5))
    return RoadGraph(x=x, y=y, length=length, time=length / 10.0), edges


def test_network_equals_networkx_dijkstra_with_one_way_links():
    graph, edges = _graph()
    cells = _cells([[0, 0], [1000, 0], [2000, 0], [3000, 0]])
    services = _services([[3000, 0], [0, 0]], ["apotek", "vårdcentral"])
    ours = access.nearest(cells, services, method="network", network=graph)
    g = nx.DiGraph()
    g.add_weighted_edges_from(edges)
    for kind, target in (("apotek", 3), ("vårdcentral", 0)):
        got = ours[ours["kind"] == kind]["distance"].tolist()
        expected = [nx.dijkstra_path_length(g, source, target) for source in range(4)]
        assert got == pytest.approx(expected)
    # From node 3 to the pharmacy at node 0... the way out of 3 is the 5 km link.
    assert ours[ours["kind"] == "vårdcentral"]["distance"].tolist()[3] == 5000


def test_network_snap_distance_is_added_and_reported():
    graph, _ = _graph()
    cells = _cells([[0, 300]])  # 300 m off node 0
    services = _services([[2000, -400]], ["apotek"])  # 400 m off node 2
    result = access.nearest(cells, services, method="network", network=graph)
    assert result["distance"].iloc[0] == pytest.approx(300 + 2000 + 400)
    assert result["snap_m"].iloc[0] == pytest.approx(300)
    timed = access.nearest(
        cells, services, method="network", network=graph, weight="time", snap_speed_kmh=3.6
    )
    # 2000 m at 10 m/s plus 700 m of snapping at 1 m/s
    assert timed["distance"].iloc[0] == pytest.approx(200 + 700)
    assert timed["unit"].iloc[0] == "s"


def test_network_picks_the_nearest_of_several_services():
    graph, _ = _graph()
    cells = _cells([[0, 0], [2000, 0], [3000, 0]])
    services = _services([[0, 0], [3000, 0]], ["apotek", "apotek"])
    result = access.nearest(cells, services, method="network", network=graph)
    assert result["service_id"].tolist() == ["s0", "s1", "s1"]
    assert result["distance"].tolist() == pytest.approx([0, 1000, 0], abs=1e-6)


def test_unreachable_island_is_nan_and_counted():
    graph, _ = _graph()
    cells = _cells([[0, 0], [90_000, 0]])
    services = _services([[3000, 0]], ["apotek"])
    result = access.nearest(cells, services, method="network", network=graph)
    assert np.isnan(result["distance"].iloc[1]) and pd.isna(result["service_id"].iloc[1])
    assert result.attrs["unreachable"] == {"apotek": 1}


def test_crs_checks():
    cells = _cells([[0, 0]])
    services = _services([[1, 1]], ["apotek"])
    with pytest.raises(CRSError, match="geographic CRS"):
        access.nearest(cells.set_crs(4326, allow_override=True), services)
    with pytest.raises(CRSError, match="but `services` in EPSG:3035"):
        access.nearest(cells, services.set_crs(3035, allow_override=True))


def test_argument_checks():
    cells = _cells([[0, 0]])
    services = _services([[1, 1]], ["apotek"])
    with pytest.raises(ValueError, match="`kind` must be one of"):
        access.nearest(cells, services, kind="bank")
    with pytest.raises(ValueError, match="needs `network`"):
        access.nearest(cells, services, method="network")
    graph, _ = _graph()
    no_time = RoadGraph(x=graph.x, y=graph.y, length=graph.length)
    with pytest.raises(ValueError, match="has none"):
        access.nearest(cells, services, method="network", network=no_time, weight="time")


def test_dask_engine_equals_default():
    rng = np.random.default_rng(9)
    cells = _cells(rng.uniform(0, 10_000, (300, 2)))
    services = _services(rng.uniform(0, 10_000, (7, 2)), ["apotek"] * 7)
    pd.testing.assert_frame_equal(
        access.nearest(cells, services, engine="dask"), access.nearest(cells, services)
    )


def test_summarise_hand_checked_with_urban_split_and_70plus():
    d = pd.DataFrame(
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
    s = access.summarise(d, thresholds_km=(2, 10)).iloc[0]
    assert s["mean"] == pytest.approx((10 * 1 + 30 * 4 + 60 * 12) / 100)
    assert s["median"] == 12 and s["p90"] == 12  # cumulative shares 0.1, 0.4, 1.0
    assert s["beyond_2"] == 90 and s["share_beyond_10"] == pytest.approx(0.6)
    assert s["unreachable"] == 5 and s["population"] == 105
    split = access.summarise(d, by=["municipality_code", "urban"], thresholds_km=(10,))
    assert split.set_index("urban")["beyond_10"].to_dict() == {False: 60.0, True: 0.0}
    old = access.summarise(d, weight="population_70plus", thresholds_km=(10,)).iloc[0]
    assert old["share_beyond_10"] == pytest.approx(10 / 20)
    timed = access.summarise(d.assign(unit="s", distance=[120.0, 400, 2400, np.nan]))
    assert "share_beyond_10min" in timed and timed["unit"].iloc[0] == "min"


def test_distance_classes_share():
    d = pd.DataFrame(
        {
            "municipality_code": "1880",
            "kind": "apotek",
            "unit": "m",
            "population": [10.0, 30.0],
            "distance": [1500.0, 7000.0],
        }
    )
    out = access.distance_classes(d, edges=(0, 2, 5, np.inf))
    assert out["population"].tolist() == [10, 0, 30] and out["unit"].iloc[0] == "km"
    assert out["share"].tolist() == pytest.approx([0.25, 0, 0.75])


def test_two_step_fca_hand_solved_with_gaussian_decay():
    cells = _cells([[0, 0], [3000, 0]], population=[100.0, 200.0])
    services = _services([[0, 0], [6000, 0]], ["hemtjänst"] * 2, capacity=[10.0, 4.0])
    per_cell, areas = access.two_step_fca(cells, services, catchment_km=5, decay="gaussian")

    def w(d):
        return (math.exp(-0.5 * (d / 5000) ** 2) - math.exp(-0.5)) / (1 - math.exp(-0.5))

    r0 = 10 / (100 * w(0) + 200 * w(3000))
    r1 = 4 / (200 * w(3000))  # cell 0 is 6 km away: outside the catchment
    expected = [r0 * w(0), r0 * w(3000) + r1 * w(3000)]
    assert per_cell["score"].tolist() == pytest.approx(expected)
    assert areas["score"].iloc[0] == pytest.approx((100 * expected[0] + 200 * expected[1]) / 300)
    # Without decay: 2SFCA's plain ratios.
    plain, _ = access.two_step_fca(cells, services, catchment_km=5, decay=None)
    assert plain["score"].tolist() == pytest.approx([10 / 300, 10 / 300 + 4 / 200])


def test_travel_savings_arithmetic():
    clients = _cells([[0, 3000], [8000, 0]]).assign(visits_per_month=[30.0, 10.0])
    bases = _services([[0, 0]], ["hemtjänst"])
    out = access.travel_savings(
        clients, bases, digital_share=0.5, speed_kmh=40, minutes_saved_per_visit=6
    ).iloc[0]
    km = 2 * 3 * 30 * 0.5 + 2 * 8 * 10 * 0.5
    assert out["km_saved"] == pytest.approx(km)
    assert out["hours_saved"] == pytest.approx(km / 40 + 20 * 6 / 60)
    with pytest.raises(ValueError, match="`digital_share` must lie in 0–1"):
        access.travel_savings(clients, bases, digital_share=10)
