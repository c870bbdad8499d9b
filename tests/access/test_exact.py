"""Exact road distances: nodes where the roads are, snaps to the nearest point of the road.

Hand-computed routes on straight, bent and sparse roads, and networkx's
Dijkstra on a graph where every cell and service splits its road, as oracle.
"""

from __future__ import annotations

import geopandas as gpd
import networkx as nx
import numpy as np
import pytest
import shapely

from ehalsa_analys import access, load

#: Where the hand-drawn roads lie: inside Sweden, at coordinates with decimals, as real ones.
X0, Y0 = 512_345.678, 6_543_210.987


def _roads(tmp_path, lines, **columns):
    frame = gpd.GeoDataFrame(
        columns,
        geometry=[shapely.LineString(np.asarray(line, float) + [X0, Y0]) for line in lines],
        crs=3006,
    )
    path = tmp_path / "vagar.gpkg"
    frame.to_file(path)
    return load.roads(path)


def _points(xy, prefix, **columns):
    xy = np.asarray(xy, float).reshape(-1, 2) + [X0, Y0]
    ids = {"cells": "cell_id", "services": "service_id"}[prefix]
    data = {ids: [f"{prefix[0]}{i}" for i in range(len(xy))], **columns}
    if prefix == "cells":
        data.setdefault("population", np.ones(len(xy)))
    else:
        data.setdefault("kind", "apotek")
    return gpd.GeoDataFrame(data, geometry=gpd.points_from_xy(xy[:, 0], xy[:, 1]), crs=3006)


def test_straight_road_of_two_vertices__the_issues_example(tmp_path):
    # A 10 km road drawn with two vertices; the cell 1 km from one end, the service 6 km:
    # 5.0 km, not 15.0 (each snapped to an end and the route along the whole road).
    graph = _roads(tmp_path, [[(0, 0), (10_000, 0)]], hastighet=[72.0])
    assert graph.straight_links and graph.n_nodes == 2
    assert graph.x[0] == X0 and graph.y[0] == Y0  # the real coordinate, not a rounded key
    cells, services = _points([(1000, 0)], "cells"), _points([(6000, 0)], "services")
    out = access.nearest(cells, services, method="network", network=graph)
    assert abs(out["distance"].iloc[0] - 5000.0) < 1e-6
    assert out["snap_m"].iloc[0] < 1e-6 and out["service_snap_m"].iloc[0] < 1e-6
    timed = access.nearest(cells, services, method="network", network=graph, weight="time")
    assert timed["distance"].iloc[0] == pytest.approx(5000 / 20, abs=1e-6)  # 72 km/h = 20 m/s
    assert timed["length_m"].iloc[0] == pytest.approx(5000, abs=1e-6)
    table = access.costs(cells, services, method="network", network=graph)
    assert abs(table["cost_m"].iloc[0] - 5000.0) < 1e-6


def test_straight_road__network_equals_straight_line_to_a_micrometre(tmp_path):
    # Points on a straight diagonal road at awkward places: along the road is the straight line.
    rng = np.random.default_rng(3)
    direction = np.array([3.0, 4.0]) / 5
    graph = _roads(tmp_path, [[(0, 0), tuple(direction * 25_000)]])
    s_cells, s_services = rng.uniform(0, 25_000, 40), rng.uniform(0, 25_000, 3)
    cells = _points(s_cells[:, None] * direction, "cells")
    services = _points(s_services[:, None] * direction, "services")
    out = access.nearest(cells, services, method="network", network=graph)
    straight = access.nearest(cells, services)
    assert np.abs(out["distance"].to_numpy() - straight["distance"].to_numpy()).max() < 1e-6
    assert out["service_id"].tolist() == straight["service_id"].tolist()
    expected = np.abs(s_cells[:, None] - s_services[None, :]).min(axis=1)
    assert np.abs(out["distance"].to_numpy() - expected).max() < 1e-6


def test_bent_sparse_road_and_walks_to_it__hand_computed(tmp_path):
    # An L-shaped road (0,0) -> (3000,0) -> (3000,4000), two links. The cell is 200 m south of
    # x=1000 and the service 150 m east of (3000, 2500): 200 + 2000 + 2500 + 150 = 4850 m.
    graph = _roads(tmp_path, [[(0, 0), (3000, 0), (3000, 4000)]], hastighet=[36.0])
    cells = _points([(1000, -200)], "cells")
    services = _points([(3150, 2500)], "services")
    out = access.nearest(cells, services, method="network", network=graph)
    assert out["distance"].iloc[0] == pytest.approx(4850, abs=1e-6)
    assert out["snap_m"].iloc[0] == pytest.approx(200, abs=1e-9)
    assert out["service_snap_m"].iloc[0] == pytest.approx(150, abs=1e-9)
    # By time: 4500 m at 10 m/s and 350 m of walking at 5 km/h (0.72 s/m).
    timed = access.nearest(cells, services, method="network", network=graph, weight="time")
    assert timed["distance"].iloc[0] == pytest.approx(450 + 350 * 0.72, abs=1e-6)
    assert timed["length_m"].iloc[0] == pytest.approx(4850, abs=1e-6)
    # Beyond the corner, the nearest point of the road is the corner itself: 100 + 100 m away.
    corner = _points([(3100, -100)], "cells")
    out = access.nearest(corner, services, method="network", network=graph)
    assert out["snap_m"].iloc[0] == pytest.approx(np.hypot(100, 100), abs=1e-9)
    assert out["distance"].iloc[0] == pytest.approx(np.hypot(100, 100) + 2500 + 150, abs=1e-6)


def test_one_way_road__no_driving_back_along_the_link(tmp_path):
    # A one-way road east (0,0) -> (4000,0) and a two-way road back over the top
    # (4000,0) -> (4000,1000) -> (0,1000) -> (0,0). A cell at x=3000 on the one-way road
    # cannot drive 2 km west to the service at x=1000: it goes on east, up, across and down:
    # 1000 + 1000 + 4000 + 1000 + 1000 = 8000 m.
    graph = _roads(
        tmp_path,
        [[(0, 0), (4000, 0)], [(4000, 0), (4000, 1000), (0, 1000), (0, 0)]],
        riktning=[1, 0],
    )
    cells = _points([(3000, 0), (500, 0)], "cells")
    services = _points([(1000, 0)], "services")
    out = access.nearest(cells, services, method="network", network=graph)
    assert out["distance"].tolist() == pytest.approx([8000, 500], abs=1e-6)
    table = access.costs(cells, services, method="network", network=graph)
    assert table["cost_m"].tolist() == pytest.approx([8000, 500], abs=1e-6)


def test_road_one_way_against_its_drawing__direct_only_backwards(tmp_path):
    # The same loop, but the straight road is drawn east and open only westwards (-1). From
    # x=3000 the service at x=1000 is 2000 m straight back; from x=500 it is around the loop:
    # 500 + 1000 + 4000 + 1000 + 3000 = 9500 m.
    graph = _roads(
        tmp_path,
        [[(0, 0), (4000, 0)], [(4000, 0), (4000, 1000), (0, 1000), (0, 0)]],
        riktning=[-1, 0],
    )
    cells = _points([(3000, 0), (500, 0)], "cells")
    services = _points([(1000, 0)], "services")
    out = access.nearest(cells, services, method="network", network=graph)
    assert out["distance"].tolist() == pytest.approx([2000, 9500], abs=1e-6)
    table = access.costs(cells, services, method="network", network=graph)
    assert table["cost_m"].tolist() == pytest.approx([2000, 9500], abs=1e-6)


def test_several_services_on_the_cells_road__walks_included(tmp_path):
    # One straight road; the cell at x=1000. s0 at x=1500 but 400 m off the road (900 m),
    # s1 at x=1800 on it (800 m), s2 at x=300 on it, behind the cell (700 m).
    graph = _roads(tmp_path, [[(0, 0), (10_000, 0)]])
    cells = _points([(1000, 0)], "cells")
    services = _points([(1500, 400), (1800, 0), (300, 0)], "services")
    both = gpd.GeoDataFrame(
        {
            "service_id": ["s0", "s1", "s2", "t0", "t1"],
            "kind": ["a", "a", "a", "b", "b"],
        },
        geometry=[*services.geometry, *services.geometry[:2]],
        crs=3006,
    )
    out = access.nearest(cells, both, method="network", network=graph)
    assert out["service_id"].tolist() == ["s2", "t1"]
    assert out["distance"].tolist() == pytest.approx([700, 800], abs=1e-6)
    table = access.costs(cells, both, method="network", network=graph)
    assert table["cost_m"].tolist() == pytest.approx([900, 800, 700, 900, 800], abs=1e-6)


def test_crossing_without_shared_vertex__bridge_is_not_a_junction(tmp_path):
    # Two roads cross at (1000, 0) without a vertex there: a bridge. Default: not connected;
    # node_crossings=True: a junction, and the cell reaches the service across it.
    lines = [[(0, 0), (2000, 0)], [(1000, -1000), (1000, 1000)]]
    cells, services = _points([(0, 0)], "cells"), _points([(1000, 900)], "services")
    bridge = _roads(tmp_path, lines)
    assert bridge.n_nodes == 4
    out = access.nearest(cells, services, method="network", network=bridge)
    assert out["distance"].isna().all() and out.attrs["unreachable"] == {"apotek": 1}
    path = tmp_path / "vagar.gpkg"
    junction = load.roads(path, node_crossings=True)
    assert junction.n_nodes == 5
    out = access.nearest(cells, services, method="network", network=junction)
    assert out["distance"].iloc[0] == pytest.approx(1000 + 900, abs=1e-6)


# --------------------------------------------------------------------------- networkx oracle


def _oracle(graph, weight, cells_xy, services_xy, per_metre):
    """Nearest costs by networkx on the graph with every cell and service splitting its link.

    The nearest link of each point is found by brute force with shapely (no KD-tree), the
    point is put on it as a node, and networkx's Dijkstra runs from each cell."""
    matrix = graph.weights(weight).tocoo()
    lengths = graph.length.todok()
    g = nx.DiGraph()
    g.add_nodes_from(range(graph.n_nodes))
    segments = {}
    for a, b, w in zip(matrix.row, matrix.col, matrix.data, strict=True):
        key = (min(a, b), max(a, b))
        segments.setdefault(key, {})[(a, b)] = float(w)
        g.add_edge(int(a), int(b), weight=float(w))
    keys = list(segments)
    lines = shapely.linestrings(
        [[(graph.x[a], graph.y[a]), (graph.x[b], graph.y[b])] for a, b in keys]
    )
    on = {}
    snaps = {}
    for name, xy in [("c", cells_xy), ("s", services_xy)]:
        for i, (x, y) in enumerate(xy):
            point = shapely.Point(x, y)
            d = shapely.distance(lines, point)
            k = int(np.argmin(d))
            t = float(shapely.line_locate_point(lines[k], point, normalized=True))
            on.setdefault(keys[k], []).append((t, (name, i)))
            snaps[(name, i)] = float(d[k])
    for (a, b), points in on.items():
        ways = segments[(a, b)]
        for u, v in ways:
            g.remove_edge(int(u), int(v))
        chain = [(0.0, int(a)), *sorted(points), (1.0, int(b))]
        for (t0, n0), (t1, n1) in zip(chain[:-1], chain[1:], strict=True):
            if (a, b) in ways:
                g.add_edge(n0, n1, weight=(t1 - t0) * ways[(a, b)])
            if (b, a) in ways:
                g.add_edge(n1, n0, weight=(t1 - t0) * ways[(b, a)])
    del lengths
    expected = []
    for i in range(len(cells_xy)):
        reach = nx.single_source_dijkstra_path_length(g, ("c", i))
        best = np.inf
        for j in range(len(services_xy)):
            if ("s", j) in reach:
                cost = (snaps[("c", i)] + snaps[("s", j)]) * per_metre + reach[("s", j)]
                best = min(best, cost)
        expected.append(best if np.isfinite(best) else np.nan)
    return np.array(expected)


@pytest.mark.parametrize("weight", ["length", "time"])
def test_random_network_equals_networkx_with_split_links(tmp_path, weight):
    rng = np.random.default_rng(21)
    nodes = rng.uniform(0, 20_000, (60, 2))
    lines, speeds, oneway = [], [], []
    for a in range(len(nodes)):
        for b in np.argsort(np.hypot(*(nodes - nodes[a]).T))[1:3]:
            bend = (nodes[a] + nodes[b]) / 2 + rng.normal(0, 300, 2)  # a vertex mid-road
            lines.append([tuple(nodes[a]), tuple(bend), tuple(nodes[b])])
            speeds.append(float(rng.choice([30, 50, 70, 90])))
            oneway.append(int(rng.choice([0, 0, 0, 1, -1])))
    graph = _roads(tmp_path, lines, hastighet=speeds, riktning=oneway)
    cells_xy = rng.uniform(0, 20_000, (50, 2))
    services_xy = rng.uniform(0, 20_000, (5, 2))
    cells, services = _points(cells_xy, "cells"), _points(services_xy, "services")
    snap_speed = 10.0
    out = access.nearest(
        cells,
        services,
        method="network",
        network=graph,
        weight=weight,
        snap_speed_kmh=snap_speed,
    )
    per_metre = 1.0 if weight == "length" else 3.6 / snap_speed
    expected = _oracle(graph, weight, cells_xy + [X0, Y0], services_xy + [X0, Y0], per_metre)
    found = np.isfinite(expected)
    assert found.sum() > 30
    np.testing.assert_array_equal(out["distance"].isna().to_numpy(), ~found)
    np.testing.assert_allclose(out["distance"].to_numpy()[found], expected[found], atol=1e-6)
    # costs() gives the same numbers pair by pair; its cheapest row is the nearest.
    table = access.costs(
        cells, services, method="network", network=graph, weight=weight, snap_speed_kmh=snap_speed
    )
    column = "cost_m" if weight == "length" else "cost_s"
    cheapest = table.groupby("origin")[column].min()
    got = out.set_index("cell_id")["distance"].dropna()
    np.testing.assert_allclose(cheapest.loc[got.index], got, atol=1e-6)


def test_nodes_keep_their_real_coordinates_and_merge_only_within_precision(tmp_path):
    # Two roads meeting at points 3 mm apart share a node (1 cm grid); that node sits where the
    # first road's vertex is, to the last decimal, not on the grid.
    a = (1000.0037, 2000.0041)
    b = (1000.0061, 2000.0049)
    graph = _roads(tmp_path, [[(0, 0), a], [b, (2000, 2000)]])
    assert graph.n_nodes == 3
    xy = set(zip(graph.x.tolist(), graph.y.tolist(), strict=True))
    assert (X0 + a[0], Y0 + a[1]) in xy
    lengths = sorted(graph.length.data.tolist())
    assert lengths[0] == pytest.approx(np.hypot(2000 - b[0], 2000 - b[1]), abs=1e-9)
    assert lengths[-1] == pytest.approx(np.hypot(*a), abs=1e-9)


def test_search_structures_are_kept_per_graph_and_not_shared_by_a_copy(tmp_path):
    import dataclasses

    graph = _roads(tmp_path, [[(0, 0), (10_000, 0)]], hastighet=[36.0])
    cells, services = _points([(1000, 0)], "cells"), _points([(6000, 0)], "services")
    options = {"method": "network", "weight": "time"}
    first = access.nearest(cells, services, network=graph, **options)["distance"].iloc[0]
    assert first == pytest.approx(500, abs=1e-9) and graph._cache  # 5000 m at 10 m/s
    slower = dataclasses.replace(graph, time=graph.time * 2)
    assert not slower._cache
    again = access.nearest(cells, services, network=slower, **options)["distance"].iloc[0]
    assert again == pytest.approx(1000, abs=1e-9)
    assert access.nearest(cells, services, network=graph, **options)["distance"].iloc[0] == first


def test_dask_chunks_give_the_same_exact_snaps(tmp_path, monkeypatch):
    from ehalsa_analys.access import _engine

    monkeypatch.setattr(_engine, "CHUNK", 7)  # several dask tasks on a few cells
    rng = np.random.default_rng(8)
    graph = _roads(tmp_path, [[(0, 0), (5000, 0), (5000, 5000)], [(0, 0), (0, 5000)]])
    cells = _points(rng.uniform(0, 5000, (30, 2)), "cells")
    services = _points(rng.uniform(0, 5000, (3, 2)), "services")
    plain = access.nearest(cells, services, method="network", network=graph)
    chunked = access.nearest(cells, services, method="network", network=graph, engine="dask")
    np.testing.assert_array_equal(plain["distance"], chunked["distance"])
    np.testing.assert_array_equal(plain["snap_m"], chunked["snap_m"])
