"""Travel time by road on a national-size graph, against networkx, igraph and pandana.

Data (``ehalsa_analys.demo.access.national``, seed 2024): 600 000 populated
cells, 6 000 services of 5 kinds and a road graph that is a jittered
1 050 × 1 050 grid (1 102 500 nodes, about 4.3 M directed links, 1 % one-way,
50/70/90 km/h). Every tool works on the **whole** graph, from the same link
arrays, and each timing includes building its graph and snapping the cells
and services:

- ours: ``RoadGraph`` from the link arrays, then ``access.nearest`` by
  travel time (exact snapping to the nearest point of the nearest link,
  one multi-source Dijkstra per kind, scipy);
- igraph: ``Graph`` from the same links plus a virtual source joined to the
  kind's service nodes, one Dijkstra (``distances``, mode "in"), cells and
  services snapped to their nearest *node* with a KD-tree (the usual way,
  which is cruder than ours);
- networkx: ``DiGraph`` of the reversed links and
  ``multi_source_dijkstra_path_length`` from the service nodes, same snaps;
- pandana (contraction hierarchies), only when it is installed (wheels with
  scikit-learn and PyTables): its network build (the CH preprocessing) and
  ``nearest_pois`` run in a subprocess with a time limit
  (``EHALSA_PANDANA_TIMEOUT`` seconds, default 600) and the note says when it
  did not finish.

Goals (issue 16): one kind including graph build and snapping under 3 s,
five kinds under 6 s, peak memory under 2 GB, on a quiet machine. Each note
gives the CPU time (``time.process_time``, all threads) of one run, since wall
time on a shared machine says as much about the neighbours as about us.

On a shared machine with fragmented memory, the kernel's work to find huge pages for
numpy's large arrays (numpy advises them) showed up as CPU time of ours and the peers alike:
``NUMPY_MADVISE_HUGEPAGE=0 make bench`` measures without it.

A last case reads a county from a Sweden-sized OpenStreetMap extract (a
synthetic .osm.pbf of the same grid, 1.1 M nodes, written once per run to a
temporary folder with pyosmium): ``load.roads(pbf, clip="18")`` against
reading the whole file; time, CPU time and peak memory printed.
"""

from __future__ import annotations

import functools
import os
import resource
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import numpy as np
from scipy import sparse
from scipy.spatial import cKDTree

from ehalsa_analys import access, load
from ehalsa_analys.demo import access as demo_access

SIDE = int(os.environ.get("EHALSA_BENCH_SIDE", "1050"))  # smaller for a smoke run
KIND = "apotek"
PANDANA_TIMEOUT = float(os.environ.get("EHALSA_PANDANA_TIMEOUT", "600"))


@functools.cache
def national():
    """Cells, services and the graph's link arrays (row, col, metres, seconds) and nodes."""
    scale = (SIDE / 1_050) ** 2
    cells, services, graph = demo_access.national(
        2024, side=SIDE, cells=int(600_000 * scale) or 1_000, services=int(6_000 * scale) or 50
    )
    length, seconds = graph.length.tocoo(), graph.time.tocoo()
    assert np.array_equal(length.row, seconds.row) and np.array_equal(length.col, seconds.col)
    links = (length.row, length.col, length.data, seconds.data)
    return cells, services, (graph.x, graph.y, links)


def _build(network) -> load.RoadGraph:
    x, y, (row, col, metres, seconds) = network
    n = len(x)
    return load.RoadGraph(
        x=x,
        y=y,
        length=sparse.csr_array((metres, (row, col)), shape=(n, n)),
        time=sparse.csr_array((seconds, (row, col)), shape=(n, n)),
        straight_links=True,
    )


def ours_one(data):
    cells, services, network = data
    graph = _build(network)
    return access.nearest(
        cells, services, kind=KIND, method="network", network=graph, weight="time"
    )


def ours_five(data):
    cells, services, network = data
    graph = _build(network)
    return access.nearest(cells, services, method="network", network=graph, weight="time")


def _xy(frame):
    return np.column_stack([frame.geometry.x.to_numpy(), frame.geometry.y.to_numpy()])


def _snaps(data, kinds):
    """Nearest nodes (KD-tree) of the cells and of each kind's services, with distances."""
    cells, services, (x, y, _) = data
    tree = cKDTree(np.column_stack([x, y]))
    cell_d, cell_node = tree.query(_xy(cells))
    by_kind = {}
    for kind in kinds:
        chosen = services[services["kind"] == kind]
        by_kind[kind] = tree.query(_xy(chosen))
    return cell_d, cell_node, by_kind


def _igraph(data, kinds):
    import igraph

    _, _, (x, y, (row, col, _, seconds)) = data
    n = len(x)
    cell_d, cell_node, by_kind = _snaps(data, kinds)
    # One virtual source per kind (nodes n, n+1, ...) joined to the kind's service nodes by
    # the walk (5 km/h), over the reversed links: the distance from a kind's source to a node
    # is the cost from the node to its nearest service of that kind.
    source = np.concatenate([np.full(len(by_kind[k][1]), n + i) for i, k in enumerate(kinds)])
    target = np.concatenate([by_kind[k][1] for k in kinds])
    walk = np.concatenate([by_kind[k][0] * 0.72 for k in kinds])
    g = igraph.Graph(
        n=n + len(kinds), edges=np.column_stack([np.r_[col, source], np.r_[row, target]]),
        directed=True,
    )  # fmt: skip
    g.es["w"] = np.r_[seconds, walk]
    out = []
    for i in range(len(kinds)):
        dist = np.asarray(g.distances(source=[n + i], weights="w", mode="out")[0])
        out.append(dist[cell_node] + cell_d * 0.72)
    return out


def igraph_one(data):
    return _igraph(data, [KIND])


def igraph_five(data):
    return _igraph(data, sorted(data[1]["kind"].unique()))


def networkx_one(data):
    import networkx as nx

    _, _, (x, y, (row, col, _, seconds)) = data
    cell_d, cell_node, by_kind = _snaps(data, [KIND])
    g = nx.DiGraph()
    g.add_nodes_from(range(len(x)))
    g.add_weighted_edges_from(zip(col.tolist(), row.tolist(), seconds.tolist(), strict=True))
    service_d, service_node = by_kind[KIND]
    dist = nx.multi_source_dijkstra_path_length(g, {int(v) for v in service_node})
    return np.array([dist.get(int(v), np.inf) for v in cell_node]) + cell_d * 0.72


def _cpu(fn, data) -> str:
    start, wall = time.process_time(), time.perf_counter()
    fn(data)
    cpu, wall = time.process_time() - start, time.perf_counter() - wall
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return f"CPU {cpu:.2f} s for {wall:.2f} s of wall time; process peak RSS so far {peak:,.0f} MB"


def one_note(data):
    return "ours, one run: " + _cpu(ours_one, data)


def five_note(data):
    return "ours, one run: " + _cpu(ours_five, data) + "; " + _pandana(data)


def networkx_note(data):
    return "networkx, one run: " + _cpu(networkx_one, data)


_PANDANA = textwrap.dedent(
    """
    import sys, time, numpy as np, pandas as pd
    import pandana
    data = np.load(sys.argv[1])
    start = time.perf_counter()
    net = pandana.Network(pd.Series(data["x"]), pd.Series(data["y"]),
        pd.Series(data["row"]), pd.Series(data["col"]),
        pd.DataFrame({"t": data["seconds"]}), twoway=False)
    built = time.perf_counter() - start
    net.set_pois("s", 1e9, 1, data["sx"], data["sy"])
    net.nearest_pois(1e9, "s", num_pois=1)
    print(f"{built:.1f} {time.perf_counter() - start:.1f}")
    """
)


def _pandana(data) -> str:
    """pandana on the whole graph in a subprocess, with a time limit; what happened."""
    try:
        import pandana  # noqa: F401
    except ImportError:
        return (
            "pandana: not installed (pip install pandana: wheels, with scikit-learn and PyTables)"
        )
    cells, services, (x, y, (row, col, _, seconds)) = data
    chosen = services[services["kind"] == KIND]
    with tempfile.TemporaryDirectory() as folder:
        arrays = Path(folder) / "graph.npz"
        np.savez(
            arrays, x=x, y=y, row=row, col=col, seconds=seconds,
            sx=chosen.geometry.x.to_numpy(), sy=chosen.geometry.y.to_numpy(),
        )  # fmt: skip
        try:
            done = subprocess.run(
                [sys.executable, "-c", _PANDANA, str(arrays)],
                capture_output=True,
                text=True,
                timeout=PANDANA_TIMEOUT,
                check=False,
            )
        except subprocess.TimeoutExpired:
            return f"pandana: did not finish in {PANDANA_TIMEOUT:.0f} s (CH preprocessing), stopped"
    if done.returncode:
        return f"pandana failed: {done.stderr.strip().splitlines()[-1:]}"
    built, total = done.stdout.split()[-2:]  # pandana prints its own progress first
    return f"pandana: CH build {built} s, with nearest_pois {total} s (wall, subprocess)"


# --------------------------------------------------------------------------- a county from a PBF


@functools.cache
def sweden_pbf() -> Path:
    """A synthetic Sweden-sized .osm.pbf (the national grid as ways of 30 nodes), written once."""
    import osmium
    import pyproj
    from osmium.osm.mutable import Node, Way

    _, _, (x, y, _) = national()
    lon, lat = pyproj.Transformer.from_crs(3006, 4326, always_xy=True).transform(x, y)
    path = Path(tempfile.mkdtemp(prefix="ehalsa_bench_")) / "sverige_syntetisk.osm.pbf"
    ids = np.arange(SIDE * SIDE).reshape(SIDE, SIDE) + 1
    speeds = ("50", "70", "90")
    with osmium.SimpleWriter(str(path)) as writer:
        for i, (a, b) in enumerate(zip(lon.tolist(), lat.tolist(), strict=True)):
            writer.add_node(Node(id=i + 1, location=(a, b)))
        way = 1
        for lines in (ids, ids.T):
            for line in lines:
                for start in range(0, SIDE - 1, 29):
                    refs = line[start : start + 30].tolist()
                    tags = {"highway": "secondary", "maxspeed": speeds[way % 3]}
                    writer.add_way(Way(id=way, nodes=refs, tags=tags))
                    way += 1
    return path


def read_county(path):
    return load.roads(path, clip="18")


def read_whole(path):
    return load.roads(path)


def read_note(path):
    graph = read_county(path)
    size = path.stat().st_size / 2**20
    return f"county 18 of a {size:,.0f} MB extract: {graph.n_nodes:,} nodes; " + _cpu(
        read_county, path
    )


CASES = [
    {
        "name": "roads: 1 kind incl. build+snap, 1.1M nodes",
        "setup": national,
        "ours": ours_one,
        "peer_name": "igraph, whole graph, build + KD-tree snap",
        "peer": igraph_one,
        "repeat": 2,
        "note": one_note,
    },
    {
        "name": "roads: 1 kind, vs networkx",
        "setup": national,
        "ours": ours_one,
        "peer_name": "networkx multi_source_dijkstra, whole graph",
        "peer": networkx_one,
        "repeat": 1,
        "note": networkx_note,
    },
    {
        "name": "roads: 5 kinds incl. build+snap",
        "setup": national,
        "ours": ours_five,
        "peer_name": "igraph, whole graph, 5 Dijkstras",
        "peer": igraph_five,
        "repeat": 1,
        "note": five_note,
    },
    {
        "name": "roads: county from a Sweden-size .osm.pbf",
        "setup": sweden_pbf,
        "ours": read_county,
        "peer_name": "the whole extract (no clip)",
        "peer": read_whole,
        "repeat": 1,
        "note": read_note,
    },
]
