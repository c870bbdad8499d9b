"""The distance engine behind :mod:`ehalsa_analys.access`: KD-trees, threads, dask chunks, roads.

Private: the public functions check their inputs and shape the tables; this
module only turns coordinates (float arrays in metres) and a road graph into
nearest costs and (cell, service, cost) pairs. How each search works is
described in the Notes of :func:`ehalsa_analys.access.nearest` and
:func:`ehalsa_analys.access.costs`.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from pykdtree.kdtree import KDTree
from scipy import sparse
from scipy.sparse.csgraph import dijkstra
from scipy.spatial import cKDTree

from ..errors import check_choice
from ..load import RoadGraph

#: Cells per dask task (``engine="dask"``).
CHUNK = 100_000
#: Upper bound of floats held by one batch of bounded Dijkstra rows (cost pairs on roads).
_BATCH_FLOATS = 20_000_000


def _empty_pairs() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0)


# --------------------------------------------------------------------------- KD-trees


def _spatial_order(xy: np.ndarray, bucket: float = 2000.0) -> np.ndarray:
    """An order of points by 2 km buckets, row by row: neighbours are queried together.

    Queries in this order walk the same KD-tree branches one after another
    (a quarter faster for services, three times for snapping to a national
    road graph); results are put back in input order, so the sort need not be
    stable."""
    if not len(xy):
        return np.zeros(0, np.int64)
    cell = ((xy - xy.min(axis=0)) * (1.0 / bucket)).astype(np.int64)
    return np.argsort(cell[:, 1] * (cell[:, 0].max() + 1) + cell[:, 0])


class _Tree:
    """A KD-tree of points for nearest queries: pykdtree's (OpenMP threads).

    About 1.4 times as fast as scipy's cKDTree on services and twice on road
    nodes. pykdtree's trees do not pickle, so this one pickles as its points
    and is rebuilt where it lands: dask's process and cluster schedulers can
    ship it to their workers."""

    def __init__(self, points: np.ndarray):
        self.points = np.ascontiguousarray(points, dtype=float)
        self._tree = KDTree(self.points)

    def __getstate__(self):
        return {"points": self.points}

    def __setstate__(self, state):
        self.__init__(state["points"])

    def query(self, xy: np.ndarray):
        """(distance, index) of the nearest point for each row of ``xy``."""
        return self._tree.query(xy, k=1)


def _query(chunk: np.ndarray, start: int, tree: _Tree):
    return tree.query(chunk)


class _Queries:
    """Query points in :func:`_spatial_order`, sorted once for several trees."""

    def __init__(self, xy: np.ndarray):
        self.order = _spatial_order(xy)
        self.sorted = np.ascontiguousarray(xy[self.order], dtype=float)

    def nearest(self, tree: _Tree, engine: str | None = None, out=None):
        """Distance to and index of the nearest point of ``tree``, in input order.

        ``out``: a (distance, index) pair of arrays to write into. Ties between
        equidistant points go the same way on every run."""
        distance, index = _by_chunks(_query, self.sorted, engine, tree)
        if out is None:
            out = np.empty(len(self.order)), np.empty(len(self.order), np.int64)
        out[0][self.order] = distance
        out[1][self.order] = index
        return out


def _pairs(chunk: np.ndarray, start: int, tree: cKDTree, *, max_cost: float):
    found = cKDTree(chunk).sparse_distance_matrix(tree, max_cost, output_type="ndarray")
    return found["i"].astype(np.int64) + start, found["j"].astype(np.int64), found["v"]


def euclidean_pairs(
    cell_xy: np.ndarray, service_xy: np.ndarray, max_cost: float, engine: str | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(cell row, service row, metres) of every pair at most ``max_cost`` apart, unordered."""
    if not len(cell_xy) or not len(service_xy):
        return _empty_pairs()
    pairs = functools.partial(_pairs, max_cost=max_cost)
    return _by_chunks(pairs, cell_xy, engine, cKDTree(service_xy))


# --------------------------------------------------------------------------- threads and dask


def _each(func: Callable, items: Sequence, engine: str | None) -> list:
    """``[func(item) for item in items]``, on a thread per core unless dask runs the chunks.

    For KD-tree queries, which release the GIL: five kinds on two threads take
    three quarters of the time of one OpenMP-parallel query after another."""
    if engine is not None or len(items) <= 1:
        return [func(item) for item in items]
    with ThreadPoolExecutor(max_workers=min(len(items), os.cpu_count() or 1)) as pool:
        return list(pool.map(func, items))


def _dask():
    try:
        import dask
    except ImportError as err:  # pragma: no cover - dask is in the dev extra
        raise ImportError(
            "engine='dask' needs the optional dependency dask: pip install 'ehalsa_analys[dask]'"
        ) from err
    return dask


def _by_chunks(
    func: Callable, xy: np.ndarray, engine: str | None, shared=None
) -> tuple[np.ndarray, ...]:
    """Apply ``func(xy_chunk, start[, shared])`` to chunks of cells (dask) or to all at once.

    ``shared`` (a tree, say) enters the dask graph once, so a cluster sends it
    to each worker once rather than with every chunk."""
    check_choice("engine", [None, "dask"], engine)
    extra = () if shared is None else (shared,)
    if engine is None or len(xy) <= 1:
        return func(xy, 0, *extra)
    dask = _dask()
    starts = range(0, len(xy), CHUNK)
    extra = tuple(dask.delayed(value) for value in extra)
    parts = dask.compute(*[dask.delayed(func)(xy[s : s + CHUNK], s, *extra) for s in starts])
    return tuple(np.concatenate(arrays) for arrays in zip(*parts, strict=True))


# --------------------------------------------------------------------------- graph search


def _augmented(transposed: sparse.csr_array, nodes: np.ndarray, start: np.ndarray):
    """The transposed graph plus one virtual node per source joined to ``nodes`` by ``start``.

    Built from the CSR arrays directly so explicit zeros (zero-length links,
    services exactly on a node) stay links."""
    n, m = transposed.shape[0], len(nodes)
    indptr = np.concatenate([transposed.indptr, transposed.indptr[-1] + np.arange(1, m + 1)])
    indices = np.concatenate([transposed.indices, nodes]).astype(np.int64)
    data = np.concatenate([transposed.data.astype(float), start.astype(float)])
    return sparse.csr_array((data, indices, indptr.astype(np.int64)), shape=(n + m, n + m))


def _edge_lookup(matrix: sparse.csr_array, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """Values of ``matrix[rows, cols]`` for links known to exist (explicit zeros kept)."""
    matrix = matrix.tocsr()
    matrix.sort_indices()
    n = matrix.shape[1]
    row_of = np.repeat(np.arange(matrix.shape[0], dtype=np.int64), np.diff(matrix.indptr))
    keys = row_of * n + matrix.indices
    wanted = rows.astype(np.int64) * n + cols
    pos = np.minimum(np.searchsorted(keys, wanted), max(len(keys) - 1, 0))
    found = len(keys) > 0 and (keys[pos] == wanted).all()
    if not found:
        raise ValueError(
            "The road graph's `time` matrix has links that its `length` matrix lacks; "
            "both must describe the same links."
        )
    return np.asarray(matrix.data, float)[pos]


def _tree_sum(pred: np.ndarray, step: np.ndarray) -> np.ndarray:
    """Sum ``step`` from every node up to its root of the shortest-path tree (pointer jumping)."""
    size = pred.size
    parent = np.where(pred >= 0, pred, np.arange(size))
    total = step.astype(float).copy()
    while True:
        grand = parent[parent]
        if np.array_equal(grand, parent):
            return total
        total += total[parent]
        parent = grand


class _Router:
    """Snapping and multi-source searches on one road graph for one weight."""

    def __init__(self, graph: RoadGraph, weight: str, snap_speed_kmh: float):
        if not snap_speed_kmh > 0:
            raise ValueError(
                f"`snap_speed_kmh` must be positive, but {snap_speed_kmh!r} was passed."
            )
        self.graph = graph
        self.weight = weight
        self.per_metre = 1.0 if weight == "length" else 3.6 / snap_speed_kmh
        self.n = graph.n_nodes
        self.tree = _Tree(np.column_stack([graph.x, graph.y])) if self.n else None
        self.transposed = graph.weights(weight).T.tocsr()

    def snap(self, xy: np.ndarray, engine: str | None = None):
        if len(xy) == 0:
            return np.zeros(0), np.zeros(0, np.int64)
        if self.n == 0:
            raise ValueError("The road graph has no nodes.")
        return _Queries(xy).nearest(self.tree, engine)

    def nearest(self, service_xy: np.ndarray):
        """Cost, nearest service, route length and the services' snaps for every node."""
        snap, node = self.snap(service_xy)
        start = snap * self.per_metre
        graph = _augmented(self.transposed, node, start)
        sources = np.arange(self.n, self.n + len(node))
        dist, pred, origin = dijkstra(
            graph, directed=True, indices=sources, min_only=True, return_predecessors=True
        )
        which = np.where(origin[: self.n] >= 0, origin[: self.n] - self.n, -1)
        cost = np.where(np.isfinite(dist[: self.n]), dist[: self.n], np.nan)
        length = None
        if self.weight == "time":
            step = np.zeros(graph.shape[0])
            real = np.flatnonzero(pred[: self.n] >= 0)
            to = pred[real]
            first = to >= self.n  # the link from the service's node to the service
            step[real[first]] = snap[to[first] - self.n]
            step[real[~first]] = _edge_lookup(self.graph.length, real[~first], to[~first])
            length = _tree_sum(pred, step)[: self.n]
            length[np.isnan(cost)] = np.nan
        return cost, which, length, snap

    def within(self, service_xy: np.ndarray, limit: float):
        """Rows of bounded costs from every node to each service: yields (services, costs)."""
        snap, node = self.snap(service_xy)
        unique, inverse = np.unique(node, return_inverse=True)
        batch = max(1, _BATCH_FLOATS // max(self.n, 1))
        for first in range(0, len(unique), batch):
            rows = dijkstra(
                self.transposed,
                directed=True,
                indices=unique[first : first + batch],
                limit=limit,
            )
            chosen = np.flatnonzero((inverse >= first) & (inverse < first + batch))
            yield chosen, rows[inverse[chosen] - first] + (snap[chosen] * self.per_metre)[:, None]


def network_pairs(
    router: _Router,
    cell_xy: np.ndarray,
    service_xy: np.ndarray,
    max_cost: float,
    engine: str | None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(cell row, service row, cost) of every pair with a route of at most ``max_cost``."""
    if not len(cell_xy) or not len(service_xy):
        return _empty_pairs()
    cell_snap, cell_node = router.snap(cell_xy, engine)
    cell_cost = cell_snap * router.per_metre
    parts = []
    for rows, node_cost in router.within(service_xy, max_cost):
        total = node_cost[:, cell_node] + cell_cost[None, :]
        r, c = np.nonzero(np.isfinite(total) & (total <= max_cost))
        parts.append((c, rows[r], total[r, c]))
    if not parts:
        return _empty_pairs()
    return tuple(np.concatenate(p) for p in zip(*parts, strict=True))
