"""Distance to service: nearest service per cell, summaries, 2SFCA and travel savings.

Inputs are the tidy tables of :mod:`ehalsa_analys.schemas`: population cells
(cell_id, population, municipality_code, point geometry) and services
(service_id, kind, capacity, point geometry), both in EPSG:3006, and for road
distances a :class:`ehalsa_analys.load.roads.RoadGraph`. Two optional cell
columns are carried through and used for splits: ``urban`` (bool: the cell
lies in a tätort) and ``population_70plus`` (residents aged 70 or more), the
names :func:`ehalsa_analys.load.population` gives them.

Methods
-------
Checks
    Cells and services must both be labelled EPSG:3006 (SWEREF 99 TM, metres).
    A geographic CRS, two different CRSs, no CRS, or coordinates that all
    look like degrees (|x| ≤ 180 and |y| ≤ 90, a ``set_crs`` on longitudes
    and latitudes) raise :class:`~ehalsa_analys.errors.CRSError` with a fix.
    PySAL's access leaves this unchecked. Ids must be unique, coordinates
    finite and populations non-negative numbers.
Euclidean nearest
    A KD-tree of each kind's services (pykdtree, OpenMP threads), queried
    once for all cells in a spatial order (2 km buckets), the results put
    back in input order: straight-line metres. Pipos measures road
    kilometres, so straight lines are shorter than Pipos' figures.
Network nearest
    Cells and services are snapped to their nearest graph node (KD-tree of
    the nodes). The snap distances are added at both ends and reported
    (``snap_m`` for the cell, ``service_snap_m`` for the service). Each
    service gets a virtual node joined to its snapped node by its snap cost,
    and one multi-source Dijkstra per kind
    (:func:`scipy.sparse.csgraph.dijkstra` with ``min_only=True``, starting
    from the virtual nodes, so ``sources`` names the nearest service) runs
    over the **transposed** graph. The distance is therefore the one
    travelled *from the cell to the service* when links are one-way; it is
    never one search per cell. Zero-length links (two nodes at one place)
    are explicit zeros in the sparse matrix, which scipy treats as links.
    With ``weight="time"`` the cost is seconds, snap distances are converted
    at ``snap_speed_kmh`` (default 5 km/h: walking from the home to the
    road, a conservative choice), and ``length_m`` gives the road length of
    that fastest route (summed up the shortest-path tree by pointer
    jumping), so one run yields both minutes and kilometres as Pipos
    reports them. Cells snap to the nearest node whatever its component:
    an island without a ferry link is unreachable, its cells get NaN and
    are counted per kind in ``attrs["unreachable"]``, never a huge number.
Summaries
    Population-weighted mean. The weighted quantile (median, 90th
    percentile) is the inverted weighted CDF: sort the values, let
    ``F_i`` be the cumulative weight share up to value ``i``; the
    q-quantile is the smallest value with ``F_i ≥ q`` (no interpolation; the
    distance within which at least a share q of the people live). It
    equals ``numpy.quantile(values, q, weights=w, method="inverted_cdf")``.
    "Beyond t" means a distance of t or more: the complement of Pipos'
    "under t" class, so the shares add up with :func:`distance_classes`.
    People without a route are reported (``unreachable``) and left out of
    the shares and statistics, as Pipos removes island squares without
    reliable accessibility.
Distance classes
    Pipos-style classes ``[lower, upper)``: for times the edges are
    0, 5, 10, 30, ∞ minutes (Pipos' "under 5, 5–10, 10–30, over 30 minutes
    by car"); for distances 0, the ``thresholds_km`` and ∞. A Pipos table
    read with :func:`ehalsa_analys.load.pipos` has the same columns (lower,
    upper, unit, population), so both sit in one chart.
Two-step floating catchment (E2SFCA; Luo & Wang 2003, Luo & Qi 2009)
    Step 1: each service's ratio ``R_j = S_j / Σ_k P_k w(d_kj)`` over the
    cells within the catchment ``d ≤ d0``. Step 2: each cell's score
    ``A_i = Σ_j R_j w(d_ij)`` over the services within the catchment: the
    capacity per person within reach. ``decay=None`` is the original 2SFCA
    (w = 1 inside); "gaussian" is Dai (2010)'s
    ``w = (exp(-½(d/d0)²) − exp(-½)) / (1 − exp(-½))``; "linear" is
    ``1 − d/d0``; a dict ``{upper: weight}`` is Luo & Qi's step weights (the
    weight of the smallest upper bound ≥ d, 0 beyond the largest). A
    service with no population in its catchment has R = 0. Costs are
    straight-line or road metres (``catchment_km``) or road seconds
    (``catchment_min``); road costs run one bounded Dijkstra (``limit=d0``)
    per service node, in batches of rows. Municipality scores are
    population-weighted means of the cells' scores.
Travel savings
    Each client is served from the nearest base. A visit is a round trip of
    twice the distance (``round_trip=False``: one way, closer to a route
    that chains visits). Per month: digital visits = clients × visits per
    client × digital share; km saved = trip km × detour factor × digital
    visits; staff hours saved = staff per visit × digital visits ×
    (driving hours per trip + minutes saved at the door / 60), with the
    driving time from the route time (``weight="time"``) or km /
    ``speed_kmh``. All assumptions are parameters and returned as columns.
Scaling
    ``engine="dask"`` evaluates the per-cell work (KD-tree queries, snapping,
    catchment pairs) in chunks of 100 000 cells as dask tasks on the active
    dask scheduler (threads, or a cluster when a ``distributed.Client`` is
    running); the service trees, the graph search and the result stay in
    local memory and the results are identical. It needs the optional extra
    (``pip install ehalsa_analys[dask]``). The national 250 m grid
    (≈600 000 cells) needs no dask; use it for tens of millions of points
    (a 100 m grid, or addresses) or to spread the queries over a cluster.

Example
-------
>>> import geopandas as gpd
>>> cells = gpd.GeoDataFrame({"cell_id": ["a", "b"], "population": [10.0, 5.0],
...     "municipality_code": "1880"},
...     geometry=gpd.points_from_xy([515000, 518000], [6566000, 6570000]), crs=3006)
>>> services = gpd.GeoDataFrame({"service_id": ["s"], "kind": "apotek", "capacity": 1.0},
...     geometry=gpd.points_from_xy([515000], [6566000]), crs=3006)
>>> nearest(cells, services)[["cell_id", "kind", "distance", "service_id"]]
  cell_id    kind  distance service_id
0       a  apotek       0.0          s
1       b  apotek    5000.0          s
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pykdtree.kdtree import KDTree
from scipy import sparse
from scipy.sparse.csgraph import dijkstra
from scipy.spatial import cKDTree

from .errors import CRSError, SchemaError, check_choice
from .load import RoadGraph
from .schemas import CRS, require_columns, require_crs

__all__ = [
    "nearest",
    "summarise",
    "distance_classes",
    "two_step_fca",
    "travel_savings",
    "TIME_CLASSES_MIN",
    "THRESHOLDS_KM",
    "THRESHOLDS_MIN",
    "GROUPS",
]

#: Pipos' travel-time classes by car (minutes): under 5, 5–10, 10–30, 30 or more.
TIME_CLASSES_MIN = (0.0, 5.0, 10.0, 30.0, np.inf)
#: Default distance thresholds (km); 25 km is the cash-service rule.
THRESHOLDS_KM = (2, 5, 10, 20, 25, 30)
#: Default travel-time thresholds (minutes), the inner edges of :data:`TIME_CLASSES_MIN`.
THRESHOLDS_MIN = (5, 10, 30)
#: Population groups of :func:`summarise`, in output order.
GROUPS = ("all", "urban", "rural", "70+")
#: Cells per dask task (``engine="dask"``).
CHUNK = 100_000
#: Upper bound of floats held by one batch of bounded Dijkstra rows (2SFCA on roads).
_BATCH_FLOATS = 20_000_000


# --------------------------------------------------------------------------- checks


def _xy(frame, name: str) -> np.ndarray:
    geometry = np.asarray(frame.geometry.array)
    type_id = shapely.get_type_id(geometry)
    bad = np.flatnonzero((type_id != shapely.GeometryType.POINT) & (type_id >= 0))
    if bad.size:
        label = frame.index[bad[0]]
        kind = shapely.GeometryType(type_id[bad[0]]).name.title().replace("string", "String")
        raise SchemaError(
            f"`{name}` must hold points, but index {label!r} is a {kind} "
            f"({bad.size} non-point geometries)",
            column="geometry",
            value=kind,
            hint=f"use {name}.assign(geometry={name}.representative_point()) for squares",
        )
    xy = np.column_stack([shapely.get_x(geometry), shapely.get_y(geometry)]).astype(float)
    bad = np.flatnonzero(~np.isfinite(xy).all(axis=1))
    if bad.size:
        raise SchemaError(
            f"`{name}` has an empty or non-finite point at index {frame.index[bad[0]]!r} "
            f"({bad.size} such rows)",
            column="geometry",
            hint="drop rows without coordinates first",
        )
    if len(xy) and (np.abs(xy[:, 0]) <= 180).all() and (np.abs(xy[:, 1]) <= 90).all():
        raise CRSError(
            f"`{name}` is labelled {CRS} but every coordinate looks like degrees "
            f"(first point {xy[0, 0]:g}, {xy[0, 1]:g})",
            column="geometry",
            hint=f"label it with .set_crs('EPSG:4326', allow_override=True), then call "
            f".to_crs('{CRS}')",
        )
    return xy


def _unique_ids(frame, name: str, column: str) -> pd.Index:
    """The ids as strings; they must be unique (the index is reused for categoricals)."""
    ids = pd.Index(frame[column].astype(str))
    if not ids.is_unique:
        duplicated = ids.duplicated()
        value = ids[duplicated][0]
        raise SchemaError(
            f"`{name}` has the {column} {value!r} more than once "
            f"({int(duplicated.sum())} duplicates)",
            column=column,
            value=value,
            hint=f"give every row its own {column}",
        )
    return ids


def _require_amounts(frame, name: str, column: str) -> np.ndarray:
    values = pd.to_numeric(frame[column], errors="coerce").to_numpy(float)
    bad = np.flatnonzero(~np.isfinite(values) | (values < 0))
    if bad.size:
        value = frame[column].iloc[bad[0]]
        value = value.item() if isinstance(value, np.generic) else value
        raise SchemaError(
            f"`{name}` has {column} {value!r} at index {frame.index[bad[0]]!r}; it must be a "
            f"number ≥ 0 ({bad.size} such rows)",
            column=column,
            value=value,
            hint=f"fill or drop the rows without a {column}",
        )
    return values


def _check_crs(frames: Sequence[tuple[object, str]]) -> None:
    for frame, name in frames:
        crs = getattr(frame, "crs", None)
        if crs is not None and crs.is_geographic:
            raise CRSError(
                f"`{name}` is in the geographic CRS {crs.to_string()}; distances need "
                f"metres in {CRS}",
                hint=f"call {name}.to_crs('{CRS}') first",
            )
    (first, first_name), *rest = frames
    for frame, name in rest:
        a, b = getattr(first, "crs", None), getattr(frame, "crs", None)
        if a is not None and b is not None and not a.equals(b):
            raise CRSError(
                f"`{first_name}` are in {a.to_string()} but `{name}` in {b.to_string()}; "
                f"both must be {CRS}",
                hint=f"call .to_crs('{CRS}') on both",
            )
    for frame, name in frames:
        require_crs(frame, name)


def _cells_input(cells, name: str = "cells"):
    """Coordinates, populations and ids of checked cells."""
    require_columns(cells, name, ["cell_id", "population", "geometry"])
    ids = _unique_ids(cells, name, "cell_id")
    return _xy(cells, name), _require_amounts(cells, name, "population"), ids


def _services_input(services, name: str = "services"):
    """Coordinates and ids of checked services."""
    require_columns(services, name, ["service_id", "kind", "geometry"])
    ids = _unique_ids(services, name, "service_id")
    return _xy(services, name), ids


def _check_network(network, weight: str) -> None:
    if not isinstance(network, RoadGraph):
        raise ValueError(
            "method='network' needs `network`, a RoadGraph (load.roads), but "
            f"{type(network).__name__} was passed."
        )
    if network.crs != CRS:
        raise CRSError(
            f"`network` is in {network.crs}; distances need {CRS}",
            hint="build the graph from roads reprojected to EPSG:3006 (load.roads does)",
        )
    matrix = network.weights(weight)  # raises when the graph has no travel times
    data = np.asarray(matrix.data)
    if data.size and not (np.isfinite(data) & (data >= 0)).all():
        raise ValueError(
            f"The road graph's `{weight}` weights must be finite and ≥ 0, but it has "
            f"{float(data[~(np.isfinite(data) & (data >= 0))][0])!r}."
        )


def _check_method(method: str, network) -> None:
    """``method`` is known, and a road graph is not passed to be silently ignored."""
    check_choice("method", ["euclidean", "network"], method)
    if method == "euclidean" and network is not None:
        raise ValueError(
            "A road graph was passed as `network`, but method='euclidean' measures straight "
            "lines and would not use it. Pass method='network' to measure along the roads, or "
            "leave out `network`."
        )


def _kinds(services, kind) -> list[str]:
    available = sorted(services["kind"].astype(str).unique())
    if kind is None:
        return available
    wanted = [kind] if isinstance(kind, str) else list(kind)
    for k in wanted:
        check_choice("kind", available, k)
    return wanted


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


# --------------------------------------------------------------------------- nearest


def nearest(
    cells,
    services,
    *,
    kind: str | Sequence[str] | None = None,
    method: str = "euclidean",
    network: RoadGraph | None = None,
    weight: str = "length",
    snap_speed_kmh: float = 5.0,
    engine: str | None = None,
) -> pd.DataFrame:
    """Distance (m) or time (s) from every cell to its nearest service of each kind.

    Parameters
    ----------
    cells : GeoDataFrame
        Population cells (cell_id, population, point geometry) in EPSG:3006;
        municipality_code, urban and population_70plus are carried along.
    services : GeoDataFrame
        Service points (service_id, kind, point geometry) in EPSG:3006.
    kind : str or list of str, optional
        Service kinds (default every kind in ``services``, sorted).
    method : {"euclidean", "network"}
        Straight lines (KD-tree) or roads (one Dijkstra per kind).
    network : RoadGraph
        Required for ``method="network"``.
    weight : {"length", "time"}
        Network cost: metres, or seconds (the graph needs travel times).
    snap_speed_kmh : float, default 5
        Speed on the snap distances when ``weight="time"`` (walking).
    engine : {None, "dask"}
        Chunked evaluation of the cells with dask; identical results.

    Returns
    -------
    DataFrame
        One row per cell and kind, cells in input order within each kind:
        cell_id, [municipality_code, urban, population_70plus,] population,
        kind, distance (m; seconds for time; NaN when unreachable), unit
        ("m" or "s"), service_id (categorical; missing when unreachable),
        snap_m and service_snap_m (network: metres from the cell and from
        the service to their nodes; NaN for Euclidean), and for
        ``weight="time"`` length_m (road metres of the fastest route, snaps
        included). ``attrs``: "unreachable" (kind -> number of cells
        without a route), "method", "weight".

    Raises
    ------
    CRSError
        A geographic CRS, different CRSs, no CRS, or coordinates in degrees.
    SchemaError
        Missing columns, duplicate ids, non-point geometries, bad populations.

    Example
    -------
    >>> import geopandas as gpd
    >>> c = gpd.GeoDataFrame({"cell_id": ["a"], "population": [1.0]},
    ...     geometry=gpd.points_from_xy([500010], [6500000]), crs=3006)
    >>> s = gpd.GeoDataFrame({"service_id": ["x", "y"], "kind": ["apotek", "vårdcentral"]},
    ...     geometry=gpd.points_from_xy([500000, 500040], [6500000, 6500000]), crs=3006)
    >>> nearest(c, s)["distance"].tolist()
    [10.0, 30.0]
    """
    _check_method(method, network)
    check_choice("weight", ["length", "time"], weight)
    check_choice("engine", [None, "dask"], engine)
    _check_crs([(cells, "cells"), (services, "services")])
    cell_xy, population, cell_ids = _cells_input(cells)
    service_xy, service_ids = _services_input(services)
    if method == "network":
        _check_network(network, weight)
        router = _Router(network, weight, snap_speed_kmh)
        cell_snap, cell_node = router.snap(cell_xy, engine)
    elif weight == "time":
        raise ValueError("weight='time' needs method='network' and a road graph with speeds.")
    n = len(cells)
    kinds = _kinds(services, kind)
    repeat = len(kinds)
    queries = _Queries(cell_xy) if method == "euclidean" else None
    service_kind = services["kind"].astype(str).to_numpy()
    # One preallocated array per column, a slice per kind: no concatenation.
    distance = np.empty(n * repeat)
    code = np.empty(n * repeat, np.int64)
    snap_m = np.full(n * repeat, np.nan)
    service_snap_m = np.full(n * repeat, np.nan)
    length_m = np.empty(n * repeat) if weight == "time" else None
    unreachable = {}
    parts = [slice(i * n, (i + 1) * n) for i in range(repeat)]
    rows = [np.flatnonzero(service_kind == k) for k in kinds]
    if method == "euclidean":

        def search(i):
            queries.nearest(
                _Tree(service_xy[rows[i]]), engine, (distance[parts[i]], code[parts[i]])
            )
            code[parts[i]] = rows[i][code[parts[i]]]

        _each(search, range(repeat), engine)
        unreachable = dict.fromkeys(kinds, 0)
    for i, k in enumerate(kinds if method == "network" else []):
        part = parts[i]
        by_node, by_node_which, by_node_length, snaps = router.nearest(service_xy[rows[i]])
        cost = by_node[cell_node] + cell_snap * router.per_metre
        which = by_node_which[cell_node]
        snap_m[part] = cell_snap
        service_snap_m[part] = np.where(which >= 0, snaps[np.maximum(which, 0)], np.nan)
        if length_m is not None:
            length_m[part] = by_node_length[cell_node] + cell_snap
        missing = np.isnan(cost) | (which < 0)
        distance[part] = np.where(missing, np.nan, cost)
        code[part] = np.where(missing, -1, rows[i][np.maximum(which, 0)])
        unreachable[k] = int(missing.sum())
    columns = {
        "cell_id": pd.Categorical.from_codes(np.tile(np.arange(n), repeat), cell_ids),
        "population": np.tile(population, repeat),
        "kind": pd.Categorical.from_codes(np.repeat(np.arange(repeat), n), kinds),
        "distance": distance,
        "unit": pd.Categorical.from_codes(
            np.zeros(n * repeat, np.int8), ["s" if weight == "time" else "m"]
        ),
        "service_id": pd.Categorical.from_codes(code, service_ids),
        "snap_m": snap_m,
        "service_snap_m": service_snap_m,
    }
    if length_m is not None:
        columns["length_m"] = length_m
    carried = {}
    for name in ("municipality_code", "urban", "population_70plus"):
        if name in cells:
            values = cells[name]
            if name == "municipality_code":  # few codes: a categorical, not 3 M strings
                codes, uniques = pd.factorize(values, sort=True)
                carried[name] = pd.Categorical.from_codes(np.tile(codes, repeat), uniques)
            else:
                carried[name] = np.tile(values.to_numpy(), repeat)
    columns = {"cell_id": columns.pop("cell_id"), **carried, **columns}
    # The arrays are new and ours: no copy, no consolidation into 2-D blocks.
    out = pd.DataFrame(columns, copy=False)
    out.attrs = {"unreachable": unreachable, "method": method, "weight": weight}
    return out


# --------------------------------------------------------------------------- summaries


def _keys(by) -> list[str]:
    if by is None:
        return []
    return [by] if isinstance(by, str) else list(by)


def _measures(distances: pd.DataFrame) -> dict[str, np.ndarray]:
    """Distances in km and times in minutes, each where the table has them."""
    unit = distances["unit"]
    unknown = sorted(set(map(str, pd.unique(unit.dropna()))) - {"m", "s"})
    if unknown or unit.isna().any():
        value = unknown[0] if unknown else None
        raise SchemaError(
            f"`distances` has the unit {value!r}; expected 'm' or 's'",
            column="unit",
            value=value,
            hint="pass the output of access.nearest",
        )
    metres = (unit == "m").to_numpy()
    seconds = ~metres
    distance = distances["distance"].to_numpy(float)
    out = {}
    if metres.any() or "length_m" in distances:
        km = np.where(metres, distance / 1000.0, np.nan)
        if "length_m" in distances:
            km = np.where(seconds, distances["length_m"].to_numpy(float) / 1000.0, km)
        out["km"] = km
    if seconds.any():
        out["min"] = np.where(seconds, distance / 60.0, np.nan)
    return out


def _splits(distances: pd.DataFrame, weight: str, splits: bool):
    """(group name, rows in the group or None for all, weights) of every population group."""
    base = np.nan_to_num(pd.to_numeric(distances[weight], errors="coerce").to_numpy(float))
    yield "all", None, base
    if splits and "urban" in distances:
        urban = distances["urban"]
        known = urban.notna().to_numpy()
        flag = urban.where(known, False).astype(bool).to_numpy()
        yield "urban", known & flag, base
        yield "rural", known & ~flag, base
    if splits and "population_70plus" in distances and weight == "population":
        old = pd.to_numeric(distances["population_70plus"], errors="coerce").to_numpy(float)
        yield "70+", None, np.nan_to_num(old)


def _group_codes(frame: pd.DataFrame, columns: list[str]):
    """Integer group codes in sorted key order (missing keys last), and the keys of each code.

    Each column is factorised on its own (a categorical by its codes) and the
    codes combined: ten times ``groupby(...).ngroup()`` on 3 M rows."""
    combined = np.zeros(len(frame), np.int64)
    uniques = []
    for column in columns:
        codes, values = pd.factorize(frame[column], sort=True, use_na_sentinel=False)
        if isinstance(values, pd.Categorical):
            values = np.asarray(values.astype(values.categories.dtype))
        combined = combined * max(len(values), 1) + codes
        uniques.append(values)
    codes, present = pd.factorize(combined, sort=True)
    keys = {}
    for column, values in zip(reversed(columns), reversed(uniques), strict=True):
        keys[column] = np.asarray(values, dtype=object)[present % max(len(values), 1)]
        present = present // max(len(values), 1)
    keys = pd.DataFrame({c: keys[c] for c in columns})
    for column in columns:
        dtype = frame[column].dtype
        if isinstance(dtype, pd.CategoricalDtype):
            dtype = dtype.categories.dtype
        keys[column] = keys[column].astype(dtype) if keys[column].notna().all() else keys[column]
    return codes, keys


def _sorted_quantiles(g, v, w, qs: Sequence[float], n_groups: int) -> list[np.ndarray]:
    """Inverted weighted CDF per group (module docstring) of values sorted by (group, value)."""
    outs = [np.full(n_groups, np.nan) for _ in qs]
    if not len(g):
        return outs
    cum = pd.Series(w).groupby(g, sort=False).cumsum().to_numpy()
    last = np.flatnonzero(np.r_[g[1:] != g[:-1], True])
    share = cum / np.repeat(cum[last], np.diff(np.r_[-1, last]))
    for q, out in zip(qs, outs, strict=True):
        hit = np.flatnonzero(share >= q)  # the last value of a group always qualifies
        first = hit[np.r_[True, g[hit][1:] != g[hit][:-1]]]
        out[g[first]] = v[first]
    return outs


def _label(t: float) -> str:
    return f"{t:g}"


def summarise(
    distances: pd.DataFrame,
    *,
    by: str | Sequence[str] | None = "municipality_code",
    thresholds_km: Sequence[float] = THRESHOLDS_KM,
    thresholds_min: Sequence[float] = THRESHOLDS_MIN,
    splits: bool = True,
    weight: str = "population",
) -> pd.DataFrame:
    """Population-weighted distance summaries per area, kind and population group.

    Parameters
    ----------
    distances : DataFrame
        Output of :func:`nearest` (kind, distance, unit, population, and
        length_m for road times).
    by : str, list of str or None, default "municipality_code"
        Grouping columns besides ``kind``; None for the whole table.
    thresholds_km : sequence of float, default (2, 5, 10, 20, 25, 30)
        Distance thresholds (km) for the people and share beyond.
    thresholds_min : sequence of float, default (5, 10, 30)
        Travel-time thresholds (minutes).
    splits : bool, default True
        Add the groups "urban" and "rural" when the table has an ``urban``
        column, and "70+" (weighted by ``population_70plus``) when it has
        that column.
    weight : str, default "population"
        The column to weight by.

    Returns
    -------
    DataFrame
        One row per *by, kind and group ("all", "urban", "rural", "70+"):
        population (people in the group), unreachable (people without a
        route); for distances mean_km, median_km, p90_km, beyond_<t>km and
        share_beyond_<t>km per threshold; for times the same with "min".
        Shares are of the people with a route; "beyond t" is t or more.
        Urban and rural rows appear where the area has such cells.

    Example
    -------
    >>> d = pd.DataFrame({"municipality_code": "1880", "kind": "apotek", "unit": "m",
    ...     "population": [10.0, 30.0, 60.0], "distance": [1000.0, 4000.0, 12000.0]})
    >>> s = summarise(d, thresholds_km=(5,))
    >>> s[["group", "mean_km", "median_km", "beyond_5km", "share_beyond_5km"]]
      group  mean_km  median_km  beyond_5km  share_beyond_5km
    0   all      8.5       12.0        60.0               0.6
    """
    keys = _keys(by)
    require_columns(distances, "distances", [*keys, "kind", "distance", "unit", weight])
    measures = _measures(distances)
    codes, base = _group_codes(distances, [*keys, "kind"])
    size = len(base)
    reach = np.isfinite(distances["distance"].to_numpy(float))
    thresholds = {"km": thresholds_km, "min": thresholds_min}
    groups = []
    for name, rows, w in _splits(distances, weight, splits):
        groups.append((name, rows, w if rows is None else np.where(rows, w, 0.0)))
    stats = [
        {
            "population": np.bincount(codes, w, minlength=size),
            "unreachable": np.bincount(codes[~reach], w[~reach], minlength=size),
        }
        for _, _, w in groups
    ]
    for unit, values in measures.items():
        # Work in one order, by group then value (NaN last): the gathers happen once.
        by_value = np.argsort(values)
        narrow = codes.astype(np.int16) if size < 2**15 else codes  # radix sort when small
        order = by_value[np.argsort(narrow[by_value], kind="stable")]
        sorted_codes, v = codes[order], values[order]
        finite = np.isfinite(v)
        edges = np.asarray(thresholds[unit], float)
        k = len(edges) + 1
        klass = np.searchsorted(edges, v, side="right")  # how many thresholds passed
        for (_, _, weights), out in zip(groups, stats, strict=True):
            w = weights[order]
            ok = finite & (w > 0)
            g, vk, wk = sorted_codes[ok], v[ok], w[ok]
            with np.errstate(invalid="ignore", divide="ignore"):
                out[f"mean_{unit}"] = np.bincount(g, wk * vk, size) / np.bincount(g, wk, size)
            median, p90 = _sorted_quantiles(g, vk, wk, (0.5, 0.9), size)
            out[f"median_{unit}"], out[f"p90_{unit}"] = median, p90
            counts = np.bincount(g * k + klass[ok], wk, minlength=size * k).reshape(size, k)
            passed = counts[:, ::-1].cumsum(axis=1)[:, ::-1]
            reached = out["population"] - out["unreachable"]
            for c, t in enumerate(edges, start=1):
                out[f"beyond_{_label(t)}{unit}"] = passed[:, c]
            for c, t in enumerate(edges, start=1):
                with np.errstate(invalid="ignore", divide="ignore"):
                    share = np.where(reached > 0, passed[:, c] / reached, np.nan)
                out[f"share_beyond_{_label(t)}{unit}"] = share
    frames = []
    for rank, ((name, rows, _), values) in enumerate(zip(groups, stats, strict=True)):
        present = (
            np.ones(size, bool) if rows is None else np.bincount(codes[rows], minlength=size) > 0
        )
        frame = base[present].assign(group=name, _code=np.flatnonzero(present), _rank=rank)
        frames.append(frame.assign(**{k: v[present] for k, v in values.items()}))
    out = pd.concat(frames, ignore_index=True).sort_values(["_code", "_rank"], kind="stable")
    return out.drop(columns=["_code", "_rank"]).reset_index(drop=True)


def distance_classes(
    distances: pd.DataFrame,
    *,
    by: str | Sequence[str] | None = "municipality_code",
    unit: str | None = None,
    thresholds_km: Sequence[float] = THRESHOLDS_KM,
    thresholds_min: Sequence[float] = THRESHOLDS_MIN,
    weight: str = "population",
) -> pd.DataFrame:
    """Population per distance (km) or time (min) class, in Pipos' table shape.

    Parameters
    ----------
    distances : DataFrame
        Output of :func:`nearest`.
    by : str, list of str or None, default "municipality_code"
    unit : {None, "km", "min"}
        Classes of distance or time; None: minutes for a time table (unit
        "s"), km otherwise. Km of a time table come from ``length_m``.
    thresholds_km, thresholds_min : sequence of float
        Inner class edges: classes are [0, t1), [t1, t2), …, [tk, ∞).
        The minute default gives Pipos' under 5, 5–10, 10–30, 30 or more.
    weight : str, default "population"
        Column to count ("population_70plus" for the 70+ classes).

    Returns
    -------
    DataFrame
        *by, kind, lower, upper, unit ("km" or "min"), population, share
        (of the people with a route, 0–1). Every class is listed, empty
        ones with 0; people without a route are left out.

    Example
    -------
    >>> d = pd.DataFrame({"municipality_code": "1880", "kind": "dagligvaror", "unit": "s",
    ...     "population": [10.0, 30.0, 60.0], "distance": [120.0, 400.0, 2400.0]})
    >>> distance_classes(d)[["lower", "upper", "population"]].values.tolist()
    [[0.0, 5.0, 10.0], [5.0, 10.0, 30.0], [10.0, 30.0, 0.0], [30.0, inf, 60.0]]
    """
    keys = _keys(by)
    check_choice("unit", [None, "km", "min"], unit)
    require_columns(distances, "distances", [*keys, "kind", "distance", "unit", weight])
    measures = _measures(distances)
    if unit is None:
        unit = "min" if "min" in measures else "km"
    if unit not in measures:
        raise ValueError(
            f"`unit={unit!r}` needs {'road times (unit s)' if unit == 'min' else 'distances'}"
            f" in `distances`, which has only {sorted(measures)}."
        )
    inner = np.asarray(thresholds_km if unit == "km" else thresholds_min, float)
    if (np.diff(inner) <= 0).any() or (inner <= 0).any():
        raise ValueError(
            f"Thresholds must be positive and increasing, but {list(inner)} was passed."
        )
    edges = np.r_[0.0, inner, np.inf]
    k = len(edges) - 1
    values = measures[unit]
    w = np.nan_to_num(pd.to_numeric(distances[weight], errors="coerce").to_numpy(float))
    codes, groups = _group_codes(distances, [*keys, "kind"])
    ok = np.isfinite(values)
    klass = np.clip(np.searchsorted(edges, values[ok], side="right") - 1, 0, k - 1)
    counts = np.bincount(codes[ok] * k + klass, w[ok], minlength=len(groups) * k)
    out = groups.loc[groups.index.repeat(k)].reset_index(drop=True)
    out["lower"] = np.tile(edges[:-1], len(groups))
    out["upper"] = np.tile(edges[1:], len(groups))
    out["unit"] = unit
    out["population"] = counts
    total = np.repeat(counts.reshape(-1, k).sum(axis=1), k) if len(groups) else counts
    with np.errstate(invalid="ignore", divide="ignore"):
        out["share"] = np.where(total > 0, counts / total, np.nan)
    return out


# --------------------------------------------------------------------------- 2SFCA


def _decay(cost: np.ndarray, d0: float, decay, scale: float) -> np.ndarray:
    if decay is None:
        return np.ones_like(cost)
    if isinstance(decay, Mapping):
        uppers = np.asarray(sorted(decay), float)
        weights = np.r_[[float(decay[u]) for u in sorted(decay)], 0.0]
        return weights[np.searchsorted(uppers, cost / scale, side="left")]
    if decay == "linear":
        return 1.0 - cost / d0
    edge = np.exp(-0.5)
    return (np.exp(-0.5 * (cost / d0) ** 2) - edge) / (1.0 - edge)


def two_step_fca(
    cells,
    services,
    *,
    catchment_km: float | None = None,
    catchment_min: float | None = None,
    kind: str | None = None,
    decay: str | Mapping[float, float] | None = "gaussian",
    capacity: str = "capacity",
    method: str = "euclidean",
    network: RoadGraph | None = None,
    snap_speed_kmh: float = 5.0,
    by: str | None = "municipality_code",
    engine: str | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Two-step floating catchment accessibility (E2SFCA) per cell and per municipality.

    Parameters
    ----------
    cells, services : GeoDataFrame
        EPSG:3006; services need the ``capacity`` column (e.g. staff).
    catchment_km : float, optional
        Catchment radius d0 in km (straight lines or road length).
    catchment_min : float, optional
        Catchment in minutes of road travel time (``method="network"``, a
        graph with times). Give exactly one of the two.
    kind : str, optional
        Only services of this kind.
    decay : {"gaussian", "linear", None} or dict, default "gaussian"
        Distance decay inside the catchment; a dict maps upper bounds (km
        or minutes) to step weights (module docstring).
    capacity : str, default "capacity"
        Column of the services' supply.
    method : {"euclidean", "network"}
    network : RoadGraph, optional
        Required for ``method="network"``.
    snap_speed_kmh : float, default 5
        Speed on the snap distances for ``catchment_min``.
    by : str or None, default "municipality_code"
        Column of ``cells`` for the area scores.
    engine : {None, "dask"}
        Chunked evaluation of the cells with dask; identical results.

    Returns
    -------
    (cells, areas) : tuple of DataFrame
        Cells: cell_id, [by,] population, score (capacity per person within
        reach; 0 when no service is within reach), in input order.
        Areas: by, population, score (population-weighted mean); empty
        when ``by`` is None or not a column of the cells.

    Example
    -------
    >>> import geopandas as gpd
    >>> c = gpd.GeoDataFrame({"cell_id": ["a", "b"], "population": [100.0, 300.0],
    ...     "municipality_code": "1880"},
    ...     geometry=gpd.points_from_xy([500000, 502000], [6500000, 6500000]), crs=3006)
    >>> s = gpd.GeoDataFrame({"service_id": ["x"], "kind": "hemtjänst", "capacity": [8.0]},
    ...     geometry=gpd.points_from_xy([500000], [6500000]), crs=3006)
    >>> two_step_fca(c, s, catchment_km=5, decay=None)[0]["score"].tolist()
    [0.02, 0.02]
    """
    if not isinstance(decay, Mapping):
        check_choice("decay", [None, "gaussian", "linear"], decay)
    elif not decay or any(float(u) <= 0 or float(w) < 0 for u, w in decay.items()):
        raise ValueError(
            f"A step `decay` maps positive upper bounds to weights ≥ 0, but {decay!r} was passed."
        )
    _check_method(method, network)
    check_choice("engine", [None, "dask"], engine)
    if (catchment_km is None) == (catchment_min is None):
        raise ValueError(
            "Give exactly one of `catchment_km` and `catchment_min`, but "
            f"catchment_km={catchment_km!r} and catchment_min={catchment_min!r} were passed."
        )
    weight = "length" if catchment_min is None else "time"
    if weight == "time" and method != "network":
        raise ValueError("`catchment_min` needs method='network' and a road graph with speeds.")
    size = catchment_km if catchment_min is None else catchment_min
    if not size > 0:
        raise ValueError(f"The catchment must be positive, but {size!r} was passed.")
    scale = 1000.0 if weight == "length" else 60.0
    d0 = float(size) * scale
    _check_crs([(cells, "cells"), (services, "services")])
    cell_xy, population, _ = _cells_input(cells)
    require_columns(services, "services", [capacity])
    if kind is not None:
        check_choice("kind", sorted(services["kind"].astype(str).unique()), kind)
    chosen = services if kind is None else services[services["kind"].astype(str) == kind]
    service_xy, _ = _services_input(chosen)
    supply = _require_amounts(chosen, "services", capacity)
    if method == "euclidean":

        def pairs(chunk, start, stree):
            found = cKDTree(chunk).sparse_distance_matrix(stree, d0, output_type="ndarray")
            return found["i"].astype(np.int64) + start, found["j"].astype(np.int64), found["v"]

        i, j, cost = (
            _by_chunks(pairs, cell_xy, engine, cKDTree(service_xy))
            if len(cell_xy)
            else (
                np.zeros(0, np.int64),
                np.zeros(0, np.int64),
                np.zeros(0),
            )
        )
    else:
        _check_network(network, weight)
        router = _Router(network, weight, snap_speed_kmh)
        cell_snap, cell_node = router.snap(cell_xy, engine)
        cell_cost = cell_snap * router.per_metre
        parts = []
        for rows, node_cost in router.within(service_xy, d0):
            total = node_cost[:, cell_node] + cell_cost[None, :]
            r, c = np.nonzero(total <= d0)
            parts.append((c, rows[r], total[r, c]))
        i, j, cost = (
            (np.concatenate(p) for p in zip(*parts, strict=True))
            if parts
            else (np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0))
        )
    order = np.lexsort((j, i))  # one canonical order: the sums do not depend on chunking
    i, j, cost = i[order], j[order], cost[order]
    w = _decay(cost, d0, decay, scale)
    demand = np.bincount(j, weights=population[i] * w, minlength=len(chosen))
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where(demand > 0, supply / demand, 0.0)
    score = np.bincount(i, weights=ratio[j] * w, minlength=len(cells))
    per_cell = pd.DataFrame(
        {
            "cell_id": cells["cell_id"].to_numpy(),
            "population": population,
            "score": score,
        }
    )
    areas = pd.DataFrame(columns=[by or "area", "population", "score"])
    if by is not None and by in cells:
        per_cell.insert(1, by, cells[by].to_numpy())
        sums = (
            per_cell.assign(_weighted=population * score)
            .groupby(by, sort=True)[["population", "_weighted"]]
            .sum()
        )
        with np.errstate(invalid="ignore", divide="ignore"):
            sums["score"] = np.where(
                sums["population"] > 0, sums["_weighted"] / sums["population"], np.nan
            )
        areas = sums[["population", "score"]].reset_index()
    return per_cell, areas


# --------------------------------------------------------------------------- travel savings


def _per_row(frame, value, name: str) -> np.ndarray:
    if isinstance(value, str):
        require_columns(frame, "clients", [value])
        return _require_amounts(frame, "clients", value)
    if not (isinstance(value, int | float) and np.isfinite(value) and value >= 0):
        raise ValueError(
            f"`{name}` must be a column name or a number ≥ 0, but {value!r} was passed."
        )
    return np.full(len(frame), float(value))


def travel_savings(
    clients,
    bases,
    *,
    visits_per_month: str | float = "visits_per_month",
    digital_share: float = 0.10,
    client_count: str | float | None = None,
    method: str = "euclidean",
    network: RoadGraph | None = None,
    weight: str = "length",
    speed_kmh: float = 50.0,
    round_trip: bool = True,
    detour_factor: float = 1.0,
    minutes_saved_per_visit: float = 0.0,
    staff_per_visit: float = 1.0,
    snap_speed_kmh: float = 5.0,
    by: str | None = "municipality_code",
    engine: str | None = None,
) -> pd.DataFrame:
    """Km and staff hours per month saved when a share of home visits becomes digital.

    For home care (hemtjänst) or home health care: night supervision by
    camera or video visits replace a share of the visits, and each replaced
    visit saves the trip from the nearest base (module docstring).

    Parameters
    ----------
    clients : GeoDataFrame
        One row per client, or per cell of clients, in EPSG:3006.
    bases : GeoDataFrame
        Home-care bases (service points), EPSG:3006.
    visits_per_month : str or float, default "visits_per_month"
        Visits per client and month: a column, or one number for all.
    digital_share : float, default 0.10
        Share of the visits made digital (0–1).
    client_count : str, float or None
        Clients per row: a column or a number; None takes the
        ``population`` column when there is one, else 1 per row.
    method : {"euclidean", "network"}
    network : RoadGraph, optional
        Required for ``method="network"``.
    weight : {"length", "time"}
        "time" takes driving hours from the fastest route's time (and km
        from its length) instead of km / ``speed_kmh``.
    speed_kmh : float, default 50
        Average driving speed, for ``weight="length"``.
    round_trip : bool, default True
        A trip is base → client → base; False: one way.
    detour_factor : float, default 1
        Multiplies the trip km (e.g. 1.3 to turn straight lines into roads).
    minutes_saved_per_visit : float, default 0
        Staff minutes at the door saved per digital visit, net of the time
        the digital visit itself takes.
    staff_per_visit : float, default 1
        Staff travelling together on a visit.
    snap_speed_kmh : float, default 5
        Speed on the snap distances for ``weight="time"``.
    by : str or None, default "municipality_code"
        Column of ``clients`` to sum by; None for one row "all".
    engine : {None, "dask"}

    Returns
    -------
    DataFrame
        by, clients, visits, digital_visits, km_saved, hours_saved (per
        month), unreachable (clients without a route, left out of the
        savings), and the assumptions as columns.

    Example
    -------
    >>> import geopandas as gpd
    >>> c = gpd.GeoDataFrame({"municipality_code": ["1880"], "visits_per_month": [60.0]},
    ...     geometry=gpd.points_from_xy([505000], [6500000]), crs=3006)
    >>> b = gpd.GeoDataFrame({"service_id": ["h"], "kind": "hemtjänst"},
    ...     geometry=gpd.points_from_xy([500000], [6500000]), crs=3006)
    >>> out = travel_savings(c, b)  # 60 visits x 10 % x 2 x 5 km; 60 km at 50 km/h
    >>> out[["digital_visits", "km_saved", "hours_saved"]].round(6).iloc[0].tolist()
    [6.0, 60.0, 1.2]
    """
    if not 0 <= digital_share <= 1:
        raise ValueError(f"`digital_share` must lie in 0–1, but {digital_share!r} was passed.")
    for name, value in (
        ("speed_kmh", speed_kmh),
        ("detour_factor", detour_factor),
        ("staff_per_visit", staff_per_visit),
    ):
        if not value > 0:
            raise ValueError(f"`{name}` must be positive, but {value!r} was passed.")
    if not minutes_saved_per_visit >= 0:
        raise ValueError(
            f"`minutes_saved_per_visit` must be ≥ 0, but {minutes_saved_per_visit!r} was passed."
        )
    _check_method(method, network)
    check_choice("weight", ["length", "time"], weight)
    require_columns(clients, "clients", [by] if by is not None else [])
    _check_crs([(clients, "clients"), (bases, "bases")])
    _xy(clients, "clients")
    if client_count is None:
        client_count = "population" if "population" in clients else 1.0
    count = _per_row(clients, client_count, "client_count")
    visits = _per_row(clients, visits_per_month, "visits_per_month")
    frame = gpd.GeoDataFrame(
        {"cell_id": np.arange(len(clients)).astype(str), "population": count},
        geometry=clients.geometry.to_numpy(),
        crs=clients.crs,
    )
    dist = nearest(
        frame,
        bases.assign(kind="base"),
        method=method,
        network=network,
        weight=weight,
        snap_speed_kmh=snap_speed_kmh,
        engine=engine,
    )
    trips = 2.0 if round_trip else 1.0
    metres = (dist["length_m"] if weight == "time" else dist["distance"]).to_numpy(float)
    trip_km = metres / 1000.0 * trips * detour_factor
    drive_hours = (
        dist["distance"].to_numpy(float) / 3600.0 * trips * detour_factor
        if weight == "time"
        else trip_km / speed_kmh
    )
    digital = count * visits * digital_share
    reach = np.isfinite(trip_km)
    out = pd.DataFrame(
        {
            "key": clients[by].to_numpy() if by is not None else "all",
            "clients": count,
            "visits": count * visits,
            "digital_visits": digital,
            "km_saved": np.where(reach, trip_km * digital, 0.0),
            "hours_saved": np.where(
                reach,
                staff_per_visit * digital * (drive_hours + minutes_saved_per_visit / 60.0),
                0.0,
            ),
            "unreachable": np.where(reach, 0.0, count),
        }
    )
    out = out.groupby("key", sort=True).sum().reset_index().rename(columns={"key": by or "area"})
    return out.assign(
        digital_share=digital_share,
        method=method,
        weight=weight,
        speed_kmh=speed_kmh if weight == "length" else np.nan,
        round_trip=round_trip,
        detour_factor=detour_factor,
        minutes_saved_per_visit=minutes_saved_per_visit,
        staff_per_visit=staff_per_visit,
    )
