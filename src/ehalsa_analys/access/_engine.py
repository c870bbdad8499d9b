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
#: Points snapped to the road at a time: their candidate arrays stay in the CPU caches.
_SNAP_CHUNK = 32_768


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

    def query(self, xy: np.ndarray, k: int = 1):
        """(distance, index) of the ``k`` nearest points for each row of ``xy``."""
        return self._tree.query(xy, k=k)


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


def _augmented(transposed: sparse.csr_array, source: np.ndarray, node: np.ndarray, cost):
    """The transposed graph plus virtual nodes: ``source[k]`` (0, 1, …) joined to ``node[k]``.

    Each virtual node stands for one service and reaches the real nodes it
    was snapped between at ``cost`` (the cost from that node to the service,
    snap included). Built from the CSR arrays directly so explicit zeros
    (zero-length links, services exactly on a node) stay links."""
    n = transposed.shape[0]
    m = int(source.max()) + 1 if len(source) else 0
    order = np.argsort(source, kind="stable")
    counts = np.bincount(source, minlength=m)
    # int32 indices and float64 data, as scipy's Dijkstra wants them: no conversion there.
    index = np.int32 if len(transposed.indices) + len(node) < 2**31 else np.int64
    indptr = np.concatenate(
        [transposed.indptr, transposed.indptr[-1] + np.cumsum(counts)], dtype=index
    )
    indices = np.concatenate([transposed.indices, node[order]], dtype=index)
    data = np.concatenate([transposed.data, np.asarray(cost, float)[order]], dtype=float)
    return sparse.csr_array((data, indices, indptr), shape=(n + m, n + m))


def _edge_lookup(
    matrix: sparse.csr_array, rows: np.ndarray, cols: np.ndarray, cache=None
) -> np.ndarray:
    """Values of ``matrix[rows, cols]`` for links known to exist (explicit zeros kept)."""
    value, found = _edge_find(matrix, rows, cols, cache)
    if not found.all():
        raise ValueError(
            "The road graph's `time` matrix has links that its `length` matrix lacks; "
            "both must describe the same links."
        )
    return value


def _edge_find(matrix: sparse.csr_array, rows: np.ndarray, cols: np.ndarray, cache=None):
    """(value, found) of ``matrix[rows, cols]``: found is False where there is no link.

    ``cache`` (a dict) keeps the sorted link keys for the next call on the same matrix."""
    cache = {} if cache is None else cache
    if "keys" not in cache:
        matrix = matrix.tocsr()
        if not matrix.has_sorted_indices:
            matrix = matrix.copy()
            matrix.sort_indices()
        row_of = np.repeat(np.arange(matrix.shape[0], dtype=np.int64), np.diff(matrix.indptr))
        cache["keys"] = row_of * matrix.shape[1] + matrix.indices
        cache["data"] = np.asarray(matrix.data, float)
    keys, data = cache["keys"], cache["data"]
    wanted = rows.astype(np.int64) * matrix.shape[1] + cols
    if not len(keys):
        return np.full(len(wanted), np.nan), np.zeros(len(wanted), bool)
    pos = np.minimum(np.searchsorted(keys, wanted), len(keys) - 1)
    found = keys[pos] == wanted
    return np.where(found, data[pos], np.nan), found


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


# --------------------------------------------------------------------------- exact snapping


def _transposed(graph: RoadGraph, weight: str) -> sparse.csr_array:
    """The graph's ``weight`` matrix transposed (CSR), kept in the graph's cache."""
    key = f"transposed_{weight}"
    if key not in graph._cache:
        graph._cache[key] = graph.weights(weight).T.tocsr()
    return graph._cache[key]


def _upper(matrix: sparse.csr_array):
    """(row, col, position in data) of the entries above the diagonal, in CSR order."""
    row = np.repeat(np.arange(matrix.shape[0], dtype=np.int64), np.diff(matrix.indptr))
    col = matrix.indices.astype(np.int64)
    pos = np.flatnonzero(row < col)
    return row[pos], col[pos], pos


class _Segments:
    """The links of a straight-link graph as undirected segments, for snapping to the road.

    ``a < b`` are the nodes; ``forward[w]`` the weight of the link a -> b
    (inf when there is none), ``backward[w]`` of b -> a, for w in "length"
    and "time". Each segment is cut into pieces of at most ``piece`` metres
    whose midpoints sit in a KD-tree: the nearest point of the nearest
    segment is then found exactly (see :meth:`snap`)."""

    def __init__(self, graph: RoadGraph):
        n = graph.n_nodes
        names = ["length"] + (["time"] if graph.time is not None else [])
        ahead = {w: graph.weights(w).tocsr() for w in names}
        behind = {w: _transposed(graph, w) for w in names}
        for matrices in (ahead, behind):
            for w, m in matrices.items():
                if not m.has_sorted_indices:
                    m = m.copy()
                    m.sort_indices()
                    matrices[w] = m
        # Links a -> b with a < b come sorted from the matrix, links b -> a from its transpose.
        up_a, up_b, up_pos = _upper(ahead["length"])
        low_a, low_b, low_pos = _upper(behind["length"])
        up_key, low_key = up_a * n + up_b, low_a * n + low_b
        at = np.minimum(np.searchsorted(up_key, low_key), max(len(up_key) - 1, 0))
        paired = (up_key[at] == low_key) if len(up_key) else np.zeros(len(low_key), bool)
        alone = np.flatnonzero(~paired)
        self.a = np.concatenate([up_a, low_a[alone]])
        self.b = np.concatenate([up_b, low_b[alone]])
        m, k = len(self.a), len(up_key)
        self.forward, self.backward = {}, {}
        for w in names:
            if w != "length" and not (
                np.array_equal(ahead[w].indptr, ahead["length"].indptr)
                and np.array_equal(ahead[w].indices, ahead["length"].indices)
            ):
                raise ValueError(
                    "The road graph's `time` matrix has other links than its `length` matrix; "
                    "both must describe the same links."
                )
            fwd, bwd = np.full(m, np.inf), np.full(m, np.inf)
            fwd[:k] = np.asarray(ahead[w].data, float)[up_pos]
            low = np.asarray(behind[w].data, float)[low_pos]
            bwd[at[paired]] = low[paired]
            bwd[k:] = low[alone]
            self.forward[w], self.backward[w] = fwd, bwd
        self.x0, self.y0 = graph.x[self.a], graph.y[self.a]
        self.dx, self.dy = graph.x[self.b] - self.x0, graph.y[self.b] - self.y0
        self.norm = self.dx * self.dx + self.dy * self.dy
        span = np.sqrt(self.norm)
        self.piece = max(float(np.median(span)) if m else 1.0, 1.0)
        count = np.maximum(np.ceil(span / self.piece).astype(np.int64), 1)
        if (count == 1).all():
            self.owner = np.arange(m)
            middle = np.full(m, 0.5)
        else:
            self.owner = np.repeat(np.arange(m), count)
            first = np.cumsum(count) - count
            middle = (np.arange(len(self.owner)) - first[self.owner] + 0.5) / count[self.owner]
        o = self.owner
        points = np.empty((len(o), 2))
        points[:, 0] = self.x0[o] + middle * self.dx[o]
        points[:, 1] = self.y0[o] + middle * self.dy[o]
        self.tree = _Tree(points) if len(o) else None

    def _project(self, x: np.ndarray, y: np.ndarray, seg: np.ndarray):
        """(distance, fraction along a -> b) of the nearest point of ``seg`` to (x, y)."""
        rx, ry = x - self.x0[seg], y - self.y0[seg]
        dx, dy, norm = self.dx[seg], self.dy[seg], self.norm[seg]
        with np.errstate(invalid="ignore", divide="ignore"):
            frac = np.clip((rx * dx + ry * dy) / norm, 0.0, 1.0)
        frac[norm == 0] = 0.0
        rx -= frac * dx
        ry -= frac * dy
        return np.sqrt(rx * rx + ry * ry), frac

    def snap(self, xy: np.ndarray):
        """(distance, segment, fraction) of the nearest point on any segment, exactly.

        The k nearest piece midpoints give candidate segments and the exact
        nearest point of each. The nearest segment's piece midpoint lies
        within (its distance + piece/2), so once the k-th midpoint is farther
        than (best found + piece/2) no other segment can be nearer; points
        where it is not yet are asked again with four times k."""
        distance = np.empty(len(xy))
        seg = np.empty(len(xy), np.int64)
        frac = np.empty(len(xy))
        for first in range(0, len(xy), _SNAP_CHUNK):  # chunks small enough for the CPU caches
            part = slice(first, first + _SNAP_CHUNK)
            distance[part], seg[part], frac[part] = self._snap(xy[part])
        return distance, seg, frac

    def _snap(self, xy: np.ndarray):
        n_pieces = len(self.owner)
        distance = np.empty(len(xy))
        seg = np.empty(len(xy), np.int64)
        frac = np.empty(len(xy))
        todo = np.arange(len(xy))
        k = min(8, n_pieces)
        while len(todo):
            points = xy[todo]
            mid, idx = self.tree.query(points, k=k)
            mid, idx = mid.reshape(len(todo), k), idx.reshape(len(todo), k)
            cand = self.owner[idx]
            d, f = self._project(points[:, :1], points[:, 1:], cand)
            pick = np.argmin(d, axis=1)
            rows = np.arange(len(todo))
            best = d[rows, pick]
            done = (mid[:, -1] > best + 0.5 * self.piece) | (k >= n_pieces)
            take = todo[done]
            distance[take] = best[done]
            seg[take] = cand[rows, pick][done]
            frac[take] = f[rows, pick][done]
            todo = todo[~done]
            k = min(4 * k, n_pieces)
        return distance, seg, frac


def _part(fraction: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """``fraction * weight``, 0 for no stretch at all (even against a one-way link's inf)."""
    with np.errstate(invalid="ignore"):
        return np.where(fraction > 0, fraction * weight, 0.0)


class _Snapped:
    """Points snapped to a road graph for one weight.

    ``distance`` (m) to the road; ``a``, ``b`` the nodes between which each
    point lies (a == b when snapped to a node; a < b on a segment), ``seg``
    and ``frac`` the segment and the fraction along a -> b (-1 and 0 for a
    node); ``fwd``/``bwd`` the weight of the whole link a -> b / b -> a (inf
    where the direction is forbidden) and ``fwd_m``/``bwd_m`` its metres."""

    def __init__(self, distance, a, b, seg, frac, fwd, bwd, fwd_m, bwd_m):
        self.distance, self.a, self.b, self.seg, self.frac = distance, a, b, seg, frac
        self.fwd, self.bwd, self.fwd_m, self.bwd_m = fwd, bwd, fwd_m, bwd_m

    def __len__(self):
        return len(self.distance)

    def take(self, rows: np.ndarray) -> _Snapped:
        """The snaps of ``rows`` only."""
        fields = ("distance", "a", "b", "seg", "frac", "fwd", "bwd", "fwd_m", "bwd_m")
        return _Snapped(*(getattr(self, name)[rows] for name in fields))

    def on_segments(self, segments: np.ndarray) -> np.ndarray:
        """Rows of the points snapped onto any of ``segments`` (sorted, unique ids)."""
        if not hasattr(self, "_by_segment"):
            on = np.flatnonzero(self.seg >= 0)
            order = on[np.argsort(self.seg[on], kind="stable")]
            self._by_segment = order, self.seg[order]
        order, keys = self._by_segment
        lo = np.searchsorted(keys, segments, "left")
        count = np.searchsorted(keys, segments, "right") - lo
        offset = np.arange(count.sum()) - np.repeat(np.cumsum(count) - count, count)
        return np.sort(order[np.repeat(lo, count) + offset])

    def leave(self):
        """(node, cost, metres) of driving from the point to a and to b: two arrays each."""
        if not hasattr(self, "_leave"):
            rest = 1 - self.frac
            cost = (_part(self.frac, self.bwd), _part(rest, self.fwd))
            metres = (_part(self.frac, self.bwd_m), _part(rest, self.fwd_m))
            self._leave = (self.a, self.b), cost, metres
        return self._leave

    def arrive(self):
        """(node, cost, metres) of driving from a and from b to the point."""
        rest = 1 - self.frac
        cost = (_part(self.frac, self.fwd), _part(rest, self.bwd))
        metres = (_part(self.frac, self.fwd_m), _part(rest, self.bwd_m))
        return (self.a, self.b), cost, metres


def _sources(services: _Snapped, start: np.ndarray):
    """(virtual source, node, cost) links of the services' virtual nodes into the graph."""
    m = len(services)
    (a, b), (cost_a, cost_b), _ = services.arrive()
    source = np.concatenate([np.arange(m), np.arange(m)])
    node = np.concatenate([a, b])
    cost = np.concatenate([start + cost_a, start + cost_b])
    usable = np.isfinite(cost) & np.r_[np.ones(m, bool), a != b]
    return source[usable], node[usable], cost[usable]


def _same_segment(cells: _Snapped, services: _Snapped):
    """(cell row, service row) of every cell and service snapped onto the same segment."""
    on = np.flatnonzero(cells.seg >= 0)
    s_rows = np.flatnonzero(services.seg >= 0)
    if not len(on) or not len(s_rows):
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    order = on[np.argsort(cells.seg[on], kind="stable")]
    keys = cells.seg[order]
    lo = np.searchsorted(keys, services.seg[s_rows], "left")
    count = np.searchsorted(keys, services.seg[s_rows], "right") - lo
    service = np.repeat(s_rows, count)
    offset = np.arange(count.sum()) - np.repeat(np.cumsum(count) - count, count)
    return order[np.repeat(lo, count) + offset], service


def _direct(cells: _Snapped, services: _Snapped, c: np.ndarray, s: np.ndarray):
    """Cost and road metres from cell ``c`` to service ``s`` along the segment they share."""
    u, t = cells.frac[c], services.frac[s]
    ahead = t >= u
    gap = np.abs(t - u)
    cost = np.where(ahead, _part(gap, cells.fwd[c]), _part(gap, cells.bwd[c]))
    metres = np.where(ahead, _part(gap, cells.fwd_m[c]), _part(gap, cells.bwd_m[c]))
    return cost, metres


def _direct_best(cells: _Snapped, services: _Snapped, start: np.ndarray):
    """(cost, service, road metres) of each cell's cheapest service on its own segment.

    Along the segment the cost from a cell at u to a service at t >= u is
    (t - u) * fwd + start = (t * fwd + start) - u * fwd, so the best service
    ahead is a suffix minimum of (t * fwd + start) over the segment's
    services sorted by t; behind, a prefix minimum of (start - t * bwd).
    inf and -1 where the segment has no service within reach."""
    n = len(cells)
    cost, which, metres = np.full(n, np.inf), np.full(n, -1), np.zeros(n)
    on = np.flatnonzero(services.seg >= 0)
    if not len(on):
        return cost, which, metres
    order = on[np.lexsort((services.frac[on], services.seg[on]))]
    seg, t = services.seg[order], services.frac[order]
    fwd, bwd = services.fwd[order], services.bwd[order]
    ahead = np.where(np.isfinite(fwd), _part(t, fwd), np.inf) + start[order]
    behind = np.where(np.isfinite(bwd), start[order] - _part(t, bwd), np.inf)
    best_ahead, best_behind = ahead.copy(), behind.copy()
    arg_ahead, arg_behind = np.arange(len(order)), np.arange(len(order))
    step = 1
    while step < len(order):  # segmented suffix and prefix minima by doubling
        same = seg[step:] == seg[:-step]
        if not same.any():
            break
        i = np.flatnonzero(same & (best_ahead[step:] < best_ahead[:-step]))
        best_ahead[i], arg_ahead[i] = best_ahead[i + step], arg_ahead[i + step]
        j = np.flatnonzero(same & (best_behind[:-step] < best_behind[step:])) + step
        best_behind[j], arg_behind[j] = best_behind[j - step], arg_behind[j - step]
        step *= 2
    mine = cells.on_segments(np.unique(seg))
    key = seg * 2.0 + t
    wanted = cells.seg[mine] * 2.0 + cells.frac[mine]
    at = np.searchsorted(key, wanted, "left")  # first service at or ahead of the cell
    u = cells.frac[mine]
    here = at < len(order)
    hit = here.copy()
    hit[here] = seg[at[here]] == cells.seg[mine[here]]
    rows, k = mine[hit], arg_ahead[at[hit]]
    reach = best_ahead[at[hit]]
    with np.errstate(invalid="ignore"):  # inf - inf where the way ahead is closed
        ahead_cost = np.where(np.isfinite(reach), reach - _part(u[hit], cells.fwd[rows]), np.inf)
    cost[rows], which[rows] = ahead_cost, order[k]
    metres[rows] = _part(t[k] - u[hit], cells.fwd_m[rows])
    back = at > 0
    hit = back.copy()
    hit[back] = seg[at[back] - 1] == cells.seg[mine[back]]
    rows, k = mine[hit], arg_behind[at[hit] - 1]
    behind_cost = best_behind[at[hit] - 1] + _part(u[hit], cells.bwd[rows])
    better = behind_cost < cost[rows]
    rows, k = rows[better], k[better]
    cost[rows], which[rows] = behind_cost[better], order[k]
    metres[rows] = _part(u[hit][better] - t[k], cells.bwd_m[rows])
    cost[~np.isfinite(cost)] = np.inf
    return cost, which, metres


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
        cache = graph._cache
        self.segments = None
        self.tree = None
        if self.n and graph.straight_links:
            if "segments" not in cache:
                cache["segments"] = _Segments(graph)
            self.segments = cache["segments"]
            if self.segments.tree is None:  # no links at all: nodes only
                self.segments = None
        if self.n and self.segments is None:
            if "tree" not in cache:
                cache["tree"] = _Tree(np.column_stack([graph.x, graph.y]))
            self.tree = cache["tree"]
        self.transposed = _transposed(graph, weight)

    def snap(self, xy: np.ndarray, engine: str | None = None) -> _Snapped:
        """Snap points to the nearest point of the nearest link (or node)."""
        if len(xy) and self.n == 0:
            raise ValueError("The road graph has no nodes.")
        if self.segments is None:
            if len(xy):
                distance, node = _Queries(xy).nearest(self.tree, engine)
            else:
                distance, node = np.zeros(0), np.zeros(0, np.int64)
            zero = np.zeros(len(xy))
            seg = np.full(len(xy), -1, np.int64)
            return _Snapped(distance, node, node, seg, zero, zero, zero, zero, zero)
        queries = _Queries(xy)
        if len(xy):
            parts = _by_chunks(_snap_chunk, queries.sorted, engine, self.segments)
        else:
            parts = (np.zeros(0), np.zeros(0, np.int64), np.zeros(0))
        distance, seg, frac = (np.empty_like(p) for p in parts)
        for out, part in zip((distance, seg, frac), parts, strict=True):
            out[queries.order] = part
        sg, w = self.segments, self.weight
        return _Snapped(
            distance,
            sg.a[seg],
            sg.b[seg],
            seg,
            frac,
            sg.forward[w][seg],
            sg.backward[w][seg],
            sg.forward["length"][seg],
            sg.backward["length"][seg],
        )

    def nearest(self, services: _Snapped, cells: _Snapped):
        """Cost, nearest service and route metres (time) for each cell: NaN and -1 unreached.

        One multi-source Dijkstra from the services' virtual nodes over the
        transposed graph; each cell then leaves its link towards a or b,
        whichever is cheaper in all, or drives straight to a service on its
        own segment."""
        m = len(services)
        start = services.distance * self.per_metre
        graph = _augmented(self.transposed, *_sources(services, start))
        dist, pred, origin = dijkstra(
            graph,
            directed=True,
            indices=np.arange(self.n, self.n + m),
            min_only=True,
            return_predecessors=True,
        )
        which = np.where(origin[: self.n] >= 0, origin[: self.n] - self.n, -1)
        by_node = dist[: self.n]
        length = None
        if self.weight == "time":
            step = np.zeros(graph.shape[0])
            real = np.flatnonzero(pred[: self.n] >= 0)
            to = pred[real]
            first = to >= self.n  # the link from the service to its node
            k = to[first] - self.n
            _, _, (metres_a, metres_b) = services.arrive()
            at_a = real[first] == services.a[k]
            step[real[first]] = services.distance[k] + np.where(at_a, metres_a[k], metres_b[k])
            step[real[~first]] = _edge_lookup(
                self.graph.length,
                real[~first],
                to[~first],
                self.graph._cache.setdefault("length_keys", {}),
            )
            length = _tree_sum(pred, step)[: self.n]
        (a, b), (cost_a, cost_b), (metres_a, metres_b) = cells.leave()
        via_a, via_b = by_node[a] + cost_a, by_node[b] + cost_b
        use_b = via_b < via_a
        total = np.where(use_b, via_b, via_a)
        node = np.where(use_b, b, a)
        chosen = which[node]
        metres = None
        if length is not None:
            metres = length[node] + np.where(use_b, metres_b, metres_a)
        if self.segments is not None:
            direct, s, direct_m = _direct_best(cells, services, start)
            better = np.flatnonzero(direct < total)
            total[better] = direct[better]
            chosen[better] = s[better]
            if metres is not None:
                metres[better] = direct_m[better] + services.distance[s[better]]
        missing = ~np.isfinite(total) | (chosen < 0)
        total = np.where(missing, np.nan, total + cells.distance * self.per_metre)
        chosen = np.where(missing, -1, chosen)
        if metres is not None:
            metres = np.where(missing, np.nan, metres + cells.distance)
        return total, chosen, metres

    def within(self, services: _Snapped, limit: float):
        """Bounded costs from every node to the services: yields (rows, costs, row of each).

        ``costs`` has one row per distinct snap position (services snapped to
        the same place share one search, walk excluded); ``row of each``
        gives the row of each service in ``rows``."""
        where = np.column_stack([services.a, services.b, services.frac])
        unique, first_row, inverse = np.unique(
            where, axis=0, return_index=True, return_inverse=True
        )
        inverse = inverse.ravel()
        batch = max(1, _BATCH_FLOATS // max(self.n, 1))
        for first in range(0, len(unique), batch):
            rows = first_row[first : first + batch]
            part = services.take(rows)
            graph = _augmented(self.transposed, *_sources(part, np.zeros(len(rows))))
            found = dijkstra(
                graph, directed=True, indices=np.arange(self.n, self.n + len(rows)), limit=limit
            )[:, : self.n]
            chosen = np.flatnonzero((inverse >= first) & (inverse < first + batch))
            yield chosen, found, inverse[chosen] - first


def _snap_chunk(chunk: np.ndarray, start: int, segments: _Segments):
    return segments.snap(chunk)


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
    cells = router.snap(cell_xy, engine)
    cell_cost = cells.distance * router.per_metre
    services = router.snap(service_xy)
    start = services.distance * router.per_metre
    (a, b), (cost_a, cost_b), _ = cells.leave()
    parts = []
    for rows, node_cost, row_of in router.within(services, max_cost):
        total = np.minimum(node_cost[:, a] + cost_a, node_cost[:, b] + cost_b)
        total = total[row_of] + (start[rows][:, None] + cell_cost[None, :])
        r, c = np.nonzero(np.isfinite(total) & (total <= max_cost))
        parts.append((c, rows[r], total[r, c]))
    pairs = [tuple(np.concatenate(p) for p in zip(*parts, strict=True))] if parts else []
    c, s = _same_segment(cells, services)
    if len(c):
        direct = _direct(cells, services, c, s)[0] + start[s] + cell_cost[c]
        keep = np.isfinite(direct) & (direct <= max_cost)
        pairs.append((c[keep], s[keep], direct[keep]))
    if not pairs:
        return _empty_pairs()
    i, j, cost = (np.concatenate(p) for p in zip(*pairs, strict=True))
    # A pair found both ways keeps its cheaper cost.
    order = np.lexsort((cost, j, i))
    i, j, cost = i[order], j[order], cost[order]
    head = np.r_[True, (i[1:] != i[:-1]) | (j[1:] != j[:-1])] if len(i) else np.zeros(0, bool)
    return i[head], j[head], cost[head]
