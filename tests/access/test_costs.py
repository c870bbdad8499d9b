"""The cost step (access.costs, access.nearest) and the metrics reading it: ids, units, oracles."""

from __future__ import annotations

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import pytest
from scipy import sparse
from scipy.spatial.distance import cdist

from ehalsa_analys import access
from ehalsa_analys.errors import SchemaError
from ehalsa_analys.load import RoadGraph

X0, Y0 = 500_000.0, 6_500_000.0


def _frame(xy, **columns):
    xy = np.asarray(xy, float).reshape(-1, 2)
    return gpd.GeoDataFrame(
        columns, geometry=gpd.points_from_xy(xy[:, 0] + X0, xy[:, 1] + Y0), crs=3006
    )


def _graph(xy, edges, speeds=None):
    xy = np.asarray(xy, float)
    rows, cols, metres = (np.array(v) for v in zip(*edges, strict=True))
    n = len(xy)
    length = sparse.csr_array((metres.astype(float), (rows, cols)), shape=(n, n))
    time = None
    if speeds is not None:
        time = sparse.csr_array((metres / (np.asarray(speeds) / 3.6), (rows, cols)), shape=(n, n))
    return RoadGraph(x=xy[:, 0] + X0, y=xy[:, 1] + Y0, length=length, time=time)


# 0 <-> 1 <-> 2 two-way 1000 m; 2 -> 3 one-way; 3 -> 0 one-way 5000 m; 4 is an island.
LINE_XY = [(0, 0), (1000, 0), (2000, 0), (3000, 0), (90_000, 0)]
LINE_EDGES = [(0, 1, 1000), (1, 0, 1000), (1, 2, 1000), (2, 1, 1000), (2, 3, 1000), (3, 0, 5000)]


def _random_graph(seed):
    rng = np.random.default_rng(seed)
    xy = rng.uniform(0, 20_000, (120, 2))
    apart = cdist(xy, xy)
    edges = {}
    for a in range(len(xy)):
        for b in np.argsort(apart[a])[1:4]:
            edges[a, int(b)] = (a, int(b), float(apart[a, b]))
            if rng.random() > 0.25:  # a quarter of the links one-way
                edges[int(b), a] = (int(b), a, float(apart[a, b]))
    edges = list(edges.values())
    return _graph(xy, edges, speeds=rng.choice([30, 50, 70], len(edges))), edges


# --------------------------------------------------------------------------- ids keep their dtype


def test_nearest__integer_ids_come_back_as_integers_and_merge_back():
    cells = _frame([(0, 0), (10, 0), (900, 0)], cell_id=[101, 102, 103], population=1.0)
    cells["label"] = ["a", "b", "c"]
    services = _frame([(0, 0), (1000, 0)], service_id=[7, 9], kind="apotek")
    services["name"] = ["Apoteket", "Kronans"]
    out = access.nearest(cells, services)
    assert out["cell_id"].dtype == cells["cell_id"].dtype == np.int64
    assert out["service_id"].dtype == services["service_id"].dtype
    assert out["cell_id"].tolist() == [101, 102, 103] and out["service_id"].tolist() == [7, 7, 9]
    back = out.merge(cells[["cell_id", "label"]], on="cell_id", validate="one_to_one")
    assert back["label"].tolist() == ["a", "b", "c"]
    named = out.merge(services[["service_id", "name"]], on="service_id")
    assert named["name"].tolist() == ["Apoteket", "Apoteket", "Kronans"]


def test_nearest__unreachable_integer_service_ids_are_nullable_and_still_merge():
    graph = _graph(LINE_XY, LINE_EDGES)
    cells = _frame([(0, 0), (90_000, 0)], cell_id=np.array([1, 2], np.int32), population=1.0)
    services = _frame([(3000, 0)], service_id=[55], kind="apotek")
    out = access.nearest(cells, services, method="network", network=graph)
    assert out["cell_id"].dtype == np.int32
    assert out["service_id"].dtype == "Int64" and out["service_id"].isna().tolist() == [False, True]
    named = out.merge(services[["service_id", "kind"]], on="service_id", suffixes=("", "_s"))
    assert named["cell_id"].tolist() == [1]


@pytest.mark.parametrize("dtype", ["str", "category", "object"])
def test_nearest__text_ids_keep_their_dtype(dtype):
    cells = _frame([(0, 0), (5, 0)], cell_id=pd.Series(["x1", "x2"], dtype=dtype), population=1.0)
    services = _frame([(0, 0)], service_id=pd.Series(["s"], dtype=dtype), kind="post")
    out = access.nearest(cells, services)
    assert out["cell_id"].dtype == cells["cell_id"].dtype
    assert out["service_id"].dtype == services["service_id"].dtype
    assert out.merge(cells[["cell_id"]], on="cell_id").shape[0] == 2


def test_costs__ids_keep_their_dtype_and_merge_back():
    cells = _frame([(0, 0), (3000, 0)], cell_id=[10, 20], population=[5.0, 1.0])
    services = _frame([(0, 0), (6000, 0)], service_id=[1, 2], capacity=1.0)
    out = access.costs(cells, services, max_cost_m=5000)
    assert out.columns.tolist() == ["origin", "dest", "cost_m"]
    assert out["origin"].dtype == out["dest"].dtype == np.int64
    assert out.values.tolist() == [[10, 1, 0.0], [20, 1, 3000.0], [20, 2, 3000.0]]
    back = out.merge(cells[["cell_id", "population"]], left_on="origin", right_on="cell_id")
    assert back["population"].tolist() == [5.0, 1.0, 1.0]
    per_cell, _ = access.two_step_fca(cells, services, out, max_cost_m=5000, decay=None)
    assert per_cell["cell_id"].dtype == np.int64


# --------------------------------------------------------------------------- cost table oracles


def test_costs_euclidean_equals_scipy_cdist():
    rng = np.random.default_rng(21)
    cxy, sxy = rng.uniform(0, 20_000, (200, 2)), rng.uniform(0, 20_000, (15, 2))
    cells = _frame(cxy, cell_id=np.arange(200), population=1.0)
    services = _frame(sxy, service_id=[f"s{j}" for j in range(15)])
    out = access.costs(cells, services, max_cost_m=4000)
    full = cdist(cxy + [X0, Y0], sxy + [X0, Y0])
    i, j = np.nonzero(full <= 4000)  # row-major: by cell, then service, as costs sorts
    assert len(out) == len(i) > 100
    assert out["origin"].tolist() == i.tolist()
    assert out["dest"].tolist() == [f"s{k}" for k in j]
    np.testing.assert_allclose(out["cost_m"], full[i, j], rtol=1e-12)
    assert out.attrs == {"method": "euclidean", "weight": "length", "max_cost_m": 4000.0}


@pytest.mark.parametrize("weight", ["length", "time"])
def test_costs_network_equals_networkx_dijkstra_with_snaps(weight):
    graph, edges = _random_graph(13)
    rng = np.random.default_rng(14)
    cells = _frame(rng.uniform(0, 20_000, (30, 2)), cell_id=np.arange(30), population=1.0)
    services = _frame(rng.uniform(0, 20_000, (5, 2)), service_id=list("abcde"))
    snap_speed = 30.0
    per_metre = 1.0 if weight == "length" else 3.6 / snap_speed
    bound = 9000.0 if weight == "length" else 800.0
    out = access.costs(
        cells,
        services,
        method="network",
        network=graph,
        weight=weight,
        snap_speed_kmh=snap_speed,
        **({"max_cost_m": bound} if weight == "length" else {"max_cost_s": bound}),
    )
    matrix = graph.weights(weight).tocoo()
    g = nx.DiGraph()
    g.add_weighted_edges_from(zip(matrix.row, matrix.col, matrix.data, strict=True))
    nodes = np.column_stack([graph.x, graph.y])

    def snap(point):
        d = np.hypot(*(nodes - [point.x, point.y]).T)
        return int(np.argmin(d)), float(d.min()) * per_metre

    expected = {}
    for cell_id, point in zip(cells["cell_id"], cells.geometry, strict=True):
        node, cell_snap = snap(point)
        reach = nx.single_source_dijkstra_path_length(g, node)
        for service_id, target in zip(services["service_id"], services.geometry, strict=True):
            t_node, t_snap = snap(target)
            if t_node in reach and cell_snap + reach[t_node] + t_snap <= bound:
                expected[cell_id, service_id] = cell_snap + reach[t_node] + t_snap
    column = "cost_m" if weight == "length" else "cost_s"
    got = dict(zip(zip(out["origin"], out["dest"], strict=True), out[column], strict=True))
    assert len(expected) > 20 and got.keys() == expected.keys()
    np.testing.assert_allclose([got[k] for k in expected], list(expected.values()), rtol=1e-9)


@pytest.mark.parametrize("method", ["euclidean", "network"])
def test_nearest_is_the_cheapest_row_of_the_cost_table(method):
    graph, _ = _random_graph(5)
    rng = np.random.default_rng(6)
    cells = _frame(rng.uniform(0, 20_000, (60, 2)), cell_id=np.arange(60), population=1.0)
    services = _frame(rng.uniform(0, 20_000, (8, 2)), service_id=np.arange(8) * 10, kind="post")
    options = {"method": method, "network": graph if method == "network" else None}
    table = access.costs(cells, services, **options)  # no bound: every pair with a route
    cheapest = table.groupby("origin")["cost_m"].min()
    near = access.nearest(cells, services, **options).set_index("cell_id")
    reached = near["distance"].dropna()
    assert len(reached) > 40 and cheapest.index.tolist() == reached.index.tolist()
    np.testing.assert_allclose(cheapest, reached, rtol=1e-12)


# --------------------------------------------------------------------------- checks


def test_costs__bound_in_the_other_unit_is_refused():
    cells = _frame([(0, 0)], cell_id=[1], population=1.0)
    services = _frame([(10, 0)], service_id=[2], kind="apotek")
    with pytest.raises(ValueError, match="`max_cost_s` bounds seconds, but weight='length'"):
        access.costs(cells, services, max_cost_s=600)
    with pytest.raises(ValueError, match="`max_cost_m` must be positive, but 0"):
        access.costs(cells, services, max_cost_m=0)
    with pytest.raises(SchemaError, match=r"lacks the column\(s\) \['cell_id'\]"):
        access.costs(cells.drop(columns="cell_id"), services)
    assert access.costs(cells, services.iloc[:0]).empty  # no services: no pairs


def test_two_step_fca__catchment_beyond_the_costs_bound_is_refused():
    cells = _frame([(0, 0), (3000, 0)], cell_id=["a", "b"], population=1.0)
    services = _frame([(0, 0)], service_id=["s"], capacity=2.0)
    short = access.costs(cells, services, max_cost_m=2000)
    with pytest.raises(ValueError, match="only the pairs up to max_cost_m=2000"):
        access.two_step_fca(cells, services, short, max_cost_m=5000)
    # A longer table serves a shorter catchment: pairs beyond it are left out.
    long = access.costs(cells, services, max_cost_m=5000)
    ours, _ = access.two_step_fca(cells, services, long, max_cost_m=2000, decay=None)
    assert ours["score"].tolist() == [2.0, 0.0]


def test_two_step_fca__ids_of_another_type_are_named():
    cells = _frame([(0, 0)], cell_id=[7], population=1.0)
    services = _frame([(0, 0)], service_id=["s"], capacity=1.0)
    text = access.costs(cells.assign(cell_id=["7"]), services, max_cost_m=100)
    with pytest.raises(SchemaError, match=r"origin '7' \(str\), which is no cell_id") as err:
        access.two_step_fca(cells, services, text, max_cost_m=100)
    assert err.value.column == "origin" and "access.costs(cells" in str(err.value)


def test_two_step_fca__bad_cost_rows():
    cells = _frame([(0, 0)], cell_id=["a"], population=1.0)
    services = _frame([(0, 0)], service_id=["s"], capacity=1.0)
    twice = pd.DataFrame({"origin": ["a", "a"], "dest": ["s", "s"], "cost_m": [0.0, 5.0]})
    with pytest.raises(SchemaError, match="pair origin 'a', dest 's' more than once"):
        access.two_step_fca(cells, services, twice, max_cost_m=100)
    negative = pd.DataFrame({"origin": ["a"], "dest": ["s"], "cost_m": [-1.0]})
    with pytest.raises(SchemaError, match="cost_m -1.0 at index 0"):
        access.two_step_fca(cells, services, negative, max_cost_m=100)
    with pytest.raises(SchemaError, match=r"`costs` lacks the column\(s\) \['cost_m'\]"):
        access.two_step_fca(cells, services, negative[["origin", "dest"]], max_cost_m=100)


def test_two_step_fca__one_cost_table_serves_every_kind():
    rng = np.random.default_rng(2)
    cells = _frame(rng.uniform(0, 9000, (50, 2)), cell_id=np.arange(50), population=2.0)
    kinds = ["hemtjänst", "apotek"] * 5
    services = _frame(
        rng.uniform(0, 9000, (10, 2)), service_id=np.arange(10), kind=kinds, capacity=3.0
    )
    every = access.costs(cells, services, max_cost_m=4000)
    home_care = services[services["kind"] == "hemtjänst"]
    alone = access.costs(cells, home_care, max_cost_m=4000)
    assert len(alone) < len(every)
    one, _ = access.two_step_fca(cells, home_care, every, max_cost_m=4000)
    two, _ = access.two_step_fca(cells, home_care, alone, max_cost_m=4000)
    pd.testing.assert_frame_equal(one, two)
    assert (one["score"] > 0).sum() > 20


# --------------------------------------------------------------------------- travel savings


def test_travel_savings__reads_trips_to_one_kind_for_every_client():
    clients = _frame(
        [(0, 3000), (4000, 0)],
        cell_id=[1, 2],
        population=1.0,
        municipality_code="1880",
        visits_per_month=10.0,
    )
    bases = _frame([(0, 0), (4000, 0)], service_id=[5, 6], kind=["hemtjänst", "apotek"])
    both = access.nearest(clients, bases)
    with pytest.raises(SchemaError, match=r"holds the kinds \['apotek', 'hemtjänst'\]") as err:
        access.travel_savings(clients, both)
    assert "distances[distances['kind'] == 'apotek']" in str(err.value)
    trips = both[both["kind"] == "hemtjänst"]
    with pytest.raises(SchemaError, match="cell_id 2, which `distances` lacks"):
        access.travel_savings(clients, trips[trips["cell_id"] == 1])
    out = access.travel_savings(clients, trips, digital_share=0.5).iloc[0]
    assert out["km_saved"] == pytest.approx(2 * (3 + 4) * 10 * 0.5)
    assert out["method"] == "euclidean" and out["weight"] == "length"
