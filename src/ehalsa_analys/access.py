"""Distance to service: nearest service per cell, summaries, 2SFCA and travel savings.

Inputs are the tidy tables of :mod:`ehalsa_analys.schemas`: population cells
(cell_id, population, municipality_code, point geometry) and services
(service_id, kind, capacity, point geometry), both in EPSG:3006, and for road
distances a :class:`ehalsa_analys.load.roads.RoadGraph`.

Methods
-------
Euclidean nearest
    A KD-tree (:class:`scipy.spatial.cKDTree`) of each kind's services,
    queried once for all cells.
Network nearest
    Cells and services are snapped to their nearest graph node (KD-tree);
    the snap distance is added at both ends and reported (``snap_m``: the
    cell's; the service's is in the distance). One Dijkstra pass per kind
    (:func:`scipy.sparse.csgraph.dijkstra`) runs from a virtual source joined
    to every service node by its snap distance, over the **transposed**
    graph, so the distance is the one travelled *from the cell to the
    service* when links are one-way. Which service is nearest comes from
    pointer jumping up the shortest-path tree (about log2(depth) numpy
    passes), never one search per cell. With ``weight="time"`` snap
    distances are converted at ``snap_speed_kmh`` (default 5 km/h, walking
    to the road). Unreachable cells (an island without a ferry link) get NaN
    and are counted in ``attrs["unreachable"]``.
Summaries
    Population-weighted mean; weighted median and 90th percentile as the
    smallest distance at which the cumulative population share reaches 0.5
    or 0.9 (the inverted weighted CDF, no interpolation: the distance that
    half of the population lives within). People and share beyond each
    threshold are strictly beyond it (``distance > threshold``). Cells with
    NaN distance are reported (``unreachable``) and left out of the shares.
Distance classes
    Pipos-style classes ``[lower, upper)`` in km or minutes (defaults: under
    5, 5–10, 10–30 and over 30 minutes; the same edges in km for distances),
    so that our numbers and Pipos tables share one chart.
Two-step floating catchment (E2SFCA; Luo & Wang 2003, Luo & Qi 2009)
    Step 1: each service's ratio ``R_j = S_j / Σ_k P_k w(d_kj)`` over the
    cells within the catchment. Step 2: each cell's score
    ``A_i = Σ_j R_j w(d_ij)`` over the services within the catchment.
    ``decay=None`` is the original 2SFCA (w = 1 inside); "gaussian" is Dai
    (2010)'s ``w = (exp(-½(d/d0)²) − exp(-½)) / (1 − exp(-½))``; "linear"
    is ``1 − d/d0``. Municipality scores are population-weighted means.
Travel savings
    Each client is served from its nearest base (or the base named in a
    ``base_id`` column); a visit is a round trip of twice that distance
    (``round_trip=False``: one way). Per month: km saved =
    trip km × visits × digital share; staff hours saved = km / speed +
    visits × digital share × minutes per visit saved / 60. All assumptions
    are parameters.
Scaling
    ``engine="dask"`` evaluates Euclidean queries in chunks of cells with
    dask (``pip install ehalsa_analys[dask]``), giving identical results; use
    it when the cells do not fit in memory together with their distance
    arrays (tens of millions of cells). The national 250 m grid (≈600 000
    cells) needs no dask.

Example
-------
>>> import geopandas as gpd
>>> cells = gpd.GeoDataFrame({"cell_id": ["a", "b"], "population": [10.0, 5.0],
...     "municipality_code": "1880"}, geometry=gpd.points_from_xy([0, 3000], [0, 4000]),
...     crs=3006)
>>> services = gpd.GeoDataFrame({"service_id": ["s"], "kind": "apotek", "capacity": 1.0},
...     geometry=gpd.points_from_xy([0], [0]), crs=3006)
>>> nearest(cells, services)[["cell_id", "kind", "distance", "service_id"]]
  cell_id    kind  distance service_id
0       a  apotek       0.0          s
1       b  apotek    5000.0          s
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.sparse.csgraph import dijkstra
from scipy.spatial import cKDTree

from .errors import CRSError, check_choice
from .load.roads import RoadGraph
from .schemas import CRS, require_columns, require_crs

__all__ = [
    "nearest",
    "summarise",
    "distance_classes",
    "two_step_fca",
    "travel_savings",
    "TIME_CLASSES_MIN",
]

#: Pipos' travel-time classes by car (minutes): under 5, 5–10, 10–30, over 30.
TIME_CLASSES_MIN = (0, 5, 10, 30, np.inf)
_EPS = 1e-9  # zero-length links and snaps stay edges in sparse Dijkstra


def _xy(frame) -> np.ndarray:
    return np.column_stack([frame.geometry.x.to_numpy(), frame.geometry.y.to_numpy()])


def _check_inputs(cells, services) -> None:
    require_columns(cells, "cells", ["cell_id", "population", "geometry"])
    require_columns(services, "services", ["service_id", "kind", "geometry"])
    for frame, name in ((cells, "cells"), (services, "services")):
        if frame.crs is not None and frame.crs.is_geographic:
            raise CRSError(
                f"`{name}` is in the geographic CRS {frame.crs.to_string()}; distances need "
                f"metres in {CRS}",
                hint=f"call {name}.to_crs('{CRS}') first",
            )
    if cells.crs is not None and services.crs is not None and not cells.crs.equals(services.crs):
        raise CRSError(
            f"`cells` are in {cells.crs.to_string()} but `services` in "
            f"{services.crs.to_string()}; both must be {CRS}",
            hint=f"call .to_crs('{CRS}') on both",
        )
    require_crs(cells, "cells")
    require_crs(services, "services")


def _kinds(services, kind) -> list[str]:
    available = sorted(services["kind"].unique())
    if kind is None:
        return available
    wanted = [kind] if isinstance(kind, str) else list(kind)
    for k in wanted:
        check_choice("kind", available, k)
    return wanted


def _euclidean(cell_xy: np.ndarray, service_xy: np.ndarray, engine: str | None):
    tree = cKDTree(service_xy)
    if engine is None:
        return tree.query(cell_xy, k=1, workers=-1)
    check_choice("engine", [None, "dask"], engine)
    try:
        import dask
    except ImportError as err:  # pragma: no cover - dask is in the dev extra
        raise ImportError("engine='dask' needs dask: pip install 'ehalsa_analys[dask]'") from err
    chunks = np.array_split(np.arange(len(cell_xy)), max(1, len(cell_xy) // 100_000))
    parts = dask.compute(*[dask.delayed(tree.query)(cell_xy[c], k=1) for c in chunks])
    return (
        np.concatenate([p[0] for p in parts]) if parts else np.zeros(0),
        np.concatenate([p[1] for p in parts]) if parts else np.zeros(0, int),
    )


def _root_below(pred: np.ndarray, source: int) -> np.ndarray:
    """For every node, its ancestor whose parent is ``source`` (pointer jumping); -1 if none."""
    n = pred.size
    jump = np.where((pred >= 0) & (pred != source), pred, np.arange(n))
    while True:
        nxt = jump[jump]
        if np.array_equal(nxt, jump):
            break
        jump = nxt
    reached = (pred >= 0) | (np.arange(n) == source)
    return np.where(reached & (pred[jump] == source), jump, -1)


def _network(
    graph: RoadGraph,
    cell_xy: np.ndarray,
    service_xy: np.ndarray,
    *,
    weight: str,
    snap_speed_kmh: float,
):
    nodes = np.column_stack([graph.x, graph.y])
    tree = cKDTree(nodes)
    cell_snap, cell_node = tree.query(cell_xy, k=1)
    service_snap, service_node = tree.query(service_xy, k=1)
    to_cost = 1.0 if weight == "length" else 3.6 / snap_speed_kmh  # metres -> seconds
    n = graph.n_nodes
    best = pd.DataFrame(
        {"node": service_node, "snap": service_snap, "i": np.arange(len(service_xy))}
    )
    best = best.sort_values(["node", "snap", "i"]).drop_duplicates("node")
    matrix = graph.weights(weight).tocsr().astype(float)
    matrix.data = np.maximum(matrix.data, _EPS)
    transposed = matrix.T.tocsr()
    super_row = sparse.csr_array(
        (
            np.maximum(best["snap"].to_numpy() * to_cost, _EPS),
            best["node"].to_numpy(),
            [0, len(best)],
        ),
        shape=(1, n),
    )
    augmented = sparse.bmat(
        [[transposed, sparse.csr_array((n, 1))], [super_row, sparse.csr_array((1, 1))]],
        format="csr",
    )
    dist, pred = dijkstra(augmented, directed=True, indices=n, return_predecessors=True)
    root = _root_below(pred, n)
    service_at = pd.Series(best["i"].to_numpy(), index=best["node"].to_numpy())
    node_service = np.full(n + 1, -1)
    has = root >= 0
    node_service[has] = service_at.reindex(root[has]).to_numpy()
    cost = dist[cell_node] + cell_snap * to_cost
    which = node_service[cell_node]
    # Round away the 1e-9 m given to zero-length links and snaps (module docstring).
    cost = np.where(np.isfinite(cost), np.round(cost, 6), np.nan)
    return cost, which, cell_snap


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
    cells, services : GeoDataFrame
        Population cells and service points in EPSG:3006.
    kind : str or list of str, optional
        Service kinds (default every kind in ``services``).
    method : {"euclidean", "network"}
    network : RoadGraph
        Required for ``method="network"``.
    weight : {"length", "time"}
        Network cost: metres or seconds (needs speeds).
    snap_speed_kmh : float, default 5
        Speed on the snap distances when ``weight="time"``.
    engine : {None, "dask"}
        Chunked evaluation with dask (Euclidean), identical results.

    Returns
    -------
    DataFrame
        One row per cell and kind: cell_id, municipality_code (when cells
        have it), population, kind, distance (m; s for time), unit ("m" or
        "s"), service_id (categorical, missing when unreachable), snap_m (network: the
        cell's snap distance). ``attrs["unreachable"]``: kind -> number of
        cells without a route.

    Raises
    ------
    CRSError
        A geographic CRS or different CRSs.

    Example
    -------
    >>> import geopandas as gpd
    >>> c = gpd.GeoDataFrame({"cell_id": ["a"], "population": [1.0]},
    ...     geometry=gpd.points_from_xy([10], [0]), crs=3006)
    >>> s = gpd.GeoDataFrame({"service_id": ["x", "y"], "kind": ["apotek", "vårdcentral"]},
    ...     geometry=gpd.points_from_xy([0, 40], [0, 0]), crs=3006)
    >>> nearest(c, s)["distance"].tolist()
    [10.0, 30.0]
    """
    check_choice("method", ["euclidean", "network"], method)
    check_choice("weight", ["length", "time"], weight)
    _check_inputs(cells, services)
    if method == "network":
        if not isinstance(network, RoadGraph):
            raise ValueError("method='network' needs `network`, a RoadGraph (load.roads).")
        if weight == "time":
            network.weights("time")  # raises when the graph has no travel times
    elif weight == "time":
        raise ValueError("weight='time' needs method='network' and a graph with speeds.")
    cell_xy = _xy(cells)
    n = len(cells)
    kinds = _kinds(services, kind)
    distances, snaps, service_codes, service_ids = [], [], [], []
    unreachable = {}
    offset = 0
    for k in kinds:
        chosen = services[services["kind"] == k]
        service_xy = _xy(chosen)
        if method == "euclidean":
            distance, which = _euclidean(cell_xy, service_xy, engine)
            snap = np.full(n, np.nan)
        else:
            distance, which, snap = _network(
                network, cell_xy, service_xy, weight=weight, snap_speed_kmh=snap_speed_kmh
            )
        missing = np.isnan(distance) | (which < 0)
        service_codes.append(np.where(missing, -1, which + offset))
        service_ids.append(chosen["service_id"].astype(str).to_numpy())
        offset += len(chosen)
        distances.append(distance)
        snaps.append(snap)
        unreachable[k] = int(np.isnan(distance).sum())
    # A long table of cells x kinds built once, with categorical ids (no string copies).
    repeat = len(kinds)
    out = pd.DataFrame(
        {
            "cell_id": pd.Categorical.from_codes(
                np.tile(np.arange(n), repeat), pd.Index(cells["cell_id"].astype(str))
            ),
            "population": np.tile(cells["population"].to_numpy(dtype=float), repeat),
            "kind": pd.Categorical.from_codes(np.repeat(np.arange(repeat), n), kinds),
            "distance": np.concatenate(distances) if distances else np.zeros(0),
            "unit": pd.Categorical.from_codes(
                np.zeros(n * repeat, int), ["s" if weight == "time" else "m"]
            ),
            # The nearest service's id; missing when unreachable.
            "service_id": pd.Categorical.from_codes(
                np.concatenate(service_codes) if service_codes else np.zeros(0, int),
                pd.Index(np.concatenate(service_ids)).unique()
                if len(service_ids)
                else pd.Index([]),
            ),
            "snap_m": np.concatenate(snaps) if snaps else np.zeros(0),
        }
    )
    for name in ("population_70plus", "urban", "municipality_code"):
        if name in cells:
            out.insert(1, name, np.tile(cells[name].to_numpy(), repeat))
    out.attrs = {"unreachable": unreachable, "method": method, "weight": weight}
    return out


def _weighted_quantile(values: np.ndarray, weights: np.ndarray, q: float) -> float:
    ok = np.isfinite(values) & (weights > 0)
    if not ok.any():
        return np.nan
    order = np.argsort(values[ok], kind="stable")
    v, w = values[ok][order], weights[ok][order]
    share = np.cumsum(w) / w.sum()
    return float(v[np.searchsorted(share, q - 1e-12)])


def summarise(
    distances: pd.DataFrame,
    *,
    by: str | Sequence[str] = "municipality_code",
    thresholds_km: Sequence[float] = (2, 5, 10, 20, 25, 30),
    thresholds_min: Sequence[float] = (5, 10, 30),
    weight: str = "population",
) -> pd.DataFrame:
    """Population-weighted distance summaries per group and kind.

    Parameters
    ----------
    distances : DataFrame
        Output of :func:`nearest`.
    by : str or list of str
        Grouping columns besides ``kind`` (e.g. "municipality_code", or
        ["municipality_code", "urban"]).
    thresholds_km, thresholds_min
        Thresholds for distances (unit "m") and times (unit "s").
    weight : str, default "population"
        The column to weight by; "population_70plus" gives the 70+ figures.

    Returns
    -------
    DataFrame
        *by, kind, population, unreachable (people), mean, median, p90 (km or
        min), and for each threshold t: ``beyond_<t>`` (people) and
        ``share_beyond_<t>`` (0–1 of the reachable population).

    Example
    -------
    >>> d = pd.DataFrame({"municipality_code": "1880", "kind": "apotek", "unit": "m",
    ...     "population": [10.0, 30.0, 60.0], "distance": [1000.0, 4000.0, 12000.0]})
    >>> s = summarise(d, thresholds_km=(5,))
    >>> s[["mean", "median", "beyond_5", "share_beyond_5"]].iloc[0].tolist()
    [8.5, 12.0, 60.0, 0.6]
    """
    by = [by] if isinstance(by, str) else list(by)
    require_columns(distances, "distances", [*by, "kind", "distance", "unit", weight])
    rows = []
    for key, group in distances.groupby([*by, "kind"], sort=True, dropna=False):
        unit = group["unit"].iloc[0]
        scale = 1000.0 if unit == "m" else 60.0
        thresholds = thresholds_km if unit == "m" else thresholds_min
        suffix = "" if unit == "m" else "min"
        values = group["distance"].to_numpy(float) / scale
        weights = group[weight].to_numpy(float)
        ok = np.isfinite(values)
        reach = weights[ok].sum()
        row = dict(zip([*by, "kind"], key if isinstance(key, tuple) else (key,), strict=True))
        row |= {
            "unit": "km" if unit == "m" else "min",
            "population": float(weights.sum()),
            "unreachable": float(weights[~ok].sum()),
            "mean": float(np.average(values[ok], weights=weights[ok])) if reach else np.nan,
            "median": _weighted_quantile(values, weights, 0.5),
            "p90": _weighted_quantile(values, weights, 0.9),
        }
        for t in thresholds:
            beyond = float(weights[ok & (values > t)].sum())
            label = f"{t:g}{suffix}"
            row[f"beyond_{label}"] = beyond
            row[f"share_beyond_{label}"] = beyond / reach if reach else np.nan
        rows.append(row)
    return pd.DataFrame(rows)


def distance_classes(
    distances: pd.DataFrame,
    *,
    edges: Sequence[float] = TIME_CLASSES_MIN,
    by: str | Sequence[str] = "municipality_code",
) -> pd.DataFrame:
    """Population per distance (km) or time (min) class, in Pipos' table shape.

    Returns
    -------
    DataFrame
        *by, kind, lower, upper, unit ("km" or "min"), population, share.
        Classes are ``[lower, upper)``; unreachable cells are left out.

    Example
    -------
    >>> d = pd.DataFrame({"municipality_code": "1880", "kind": "dagligvaror", "unit": "s",
    ...     "population": [10.0, 30.0, 60.0], "distance": [120.0, 400.0, 2400.0]})
    >>> distance_classes(d)[["lower", "upper", "population"]].values.tolist()
    [[0.0, 5.0, 10.0], [5.0, 10.0, 30.0], [10.0, 30.0, 0.0], [30.0, inf, 60.0]]
    """
    by = [by] if isinstance(by, str) else list(by)
    require_columns(distances, "distances", [*by, "kind", "distance", "unit", "population"])
    edges = np.asarray(edges, dtype=float)
    rows = []
    for key, group in distances.groupby([*by, "kind"], sort=True, dropna=False):
        unit = group["unit"].iloc[0]
        values = group["distance"].to_numpy(float) / (1000.0 if unit == "m" else 60.0)
        weights = group["population"].to_numpy(float)
        ok = np.isfinite(values)
        total = weights[ok].sum()
        index = np.searchsorted(edges, values[ok], side="right") - 1
        people = np.bincount(index, weights=weights[ok], minlength=len(edges) - 1)[: len(edges) - 1]
        keys = dict(zip([*by, "kind"], key if isinstance(key, tuple) else (key,), strict=True))
        for lower, upper, count in zip(edges[:-1], edges[1:], people, strict=True):
            rows.append(
                keys
                | {
                    "lower": lower,
                    "upper": upper,
                    "unit": "km" if unit == "m" else "min",
                    "population": float(count),
                    "share": float(count / total) if total else np.nan,
                }
            )
    return pd.DataFrame(rows)


def _decay(d: np.ndarray, d0: float, decay: str | None) -> np.ndarray:
    if decay is None:
        return np.ones_like(d)
    if decay == "linear":
        return 1 - d / d0
    edge = np.exp(-0.5)
    return (np.exp(-0.5 * (d / d0) ** 2) - edge) / (1 - edge)


def two_step_fca(
    cells,
    services,
    *,
    catchment_km: float,
    kind: str | None = None,
    decay: str | None = "gaussian",
    capacity: str = "capacity",
    by: str = "municipality_code",
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Two-step floating catchment accessibility (E2SFCA) per cell and per municipality.

    Parameters
    ----------
    cells, services : GeoDataFrame
        EPSG:3006; services need the ``capacity`` column (e.g. staff).
    catchment_km : float
        Catchment radius d0 (Euclidean).
    kind : str, optional
        Only services of this kind.
    decay : {None, "gaussian", "linear"}
        Distance decay inside the catchment (module docstring).
    capacity : str, default "capacity"
    by : str, default "municipality_code"

    Returns
    -------
    (cells, areas) : tuple of DataFrame
        Cells: cell_id, population, score (capacity per person reachable).
        Areas: ``by``, population, score (population-weighted mean).

    Example
    -------
    >>> import geopandas as gpd
    >>> c = gpd.GeoDataFrame({"cell_id": ["a", "b"], "population": [100.0, 300.0],
    ...     "municipality_code": "1880"}, geometry=gpd.points_from_xy([0, 2000], [0, 0]), crs=3006)
    >>> s = gpd.GeoDataFrame({"service_id": ["x"], "kind": "hemtjänst", "capacity": [8.0]},
    ...     geometry=gpd.points_from_xy([0], [0]), crs=3006)
    >>> two_step_fca(c, s, catchment_km=5, decay=None)[0]["score"].tolist()
    [0.02, 0.02]
    """
    check_choice("decay", [None, "gaussian", "linear"], decay)
    _check_inputs(cells, services)
    require_columns(services, "services", [capacity])
    chosen = services if kind is None else services[services["kind"] == kind]
    d0 = catchment_km * 1000.0
    pairs = cKDTree(_xy(cells)).sparse_distance_matrix(
        cKDTree(_xy(chosen)), max_distance=d0, output_type="coo_matrix"
    )
    i, j, d = pairs.row, pairs.col, pairs.data
    w = _decay(d, d0, decay)
    population = cells["population"].to_numpy(float)
    demand = np.bincount(j, weights=population[i] * w, minlength=len(chosen))
    supply = chosen[capacity].to_numpy(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where(demand > 0, supply / demand, 0.0)
    score = np.bincount(i, weights=ratio[j] * w, minlength=len(cells))
    per_cell = pd.DataFrame(
        {"cell_id": cells["cell_id"].to_numpy(), "population": population, "score": score}
    )
    if by in cells:
        per_cell.insert(1, by, cells[by].to_numpy())
        groups = per_cell.groupby(by)
        areas = pd.DataFrame(
            {
                "population": groups["population"].sum(),
                "score": groups.apply(
                    lambda g: (
                        np.average(g["score"], weights=g["population"])
                        if g["population"].sum() > 0
                        else np.nan
                    ),
                    include_groups=False,
                ),
            }
        ).reset_index()
    else:
        areas = pd.DataFrame()
    return per_cell, areas


def travel_savings(
    clients,
    bases,
    *,
    visits_per_month: str | float = "visits_per_month",
    digital_share: float = 0.10,
    speed_kmh: float = 50.0,
    round_trip: bool = True,
    minutes_saved_per_visit: float = 0.0,
    network: RoadGraph | None = None,
    by: str = "municipality_code",
) -> pd.DataFrame:
    """Km and staff hours per month saved when a share of home visits becomes digital.

    Parameters
    ----------
    clients : GeoDataFrame
        One row per client (or per cell of clients) with a visits column.
    bases : GeoDataFrame
        Home-care bases (service points), EPSG:3006.
    visits_per_month : str or float
        Column of visits per month, or one number for every client.
    digital_share : float, default 0.10
        Share of visits made digital (night supervision by camera, video).
    speed_kmh : float, default 50
        Average driving speed.
    round_trip : bool, default True
    minutes_saved_per_visit : float, default 0
        Time at the door saved per digital visit, on top of driving.
    network : RoadGraph, optional
        Road distances instead of straight lines.
    by : str

    Returns
    -------
    DataFrame
        ``by``, clients, visits, km_saved, hours_saved (per month), plus the
        assumptions as columns.

    Example
    -------
    >>> import geopandas as gpd
    >>> c = gpd.GeoDataFrame({"cell_id": ["a"], "population": [1.0], "municipality_code": "1880",
    ...     "visits_per_month": [60.0]}, geometry=gpd.points_from_xy([5000], [0]), crs=3006)
    >>> b = gpd.GeoDataFrame({"service_id": ["h"], "kind": "hemtjänst"},
    ...     geometry=gpd.points_from_xy([0], [0]), crs=3006)
    >>> travel_savings(c, b)[["km_saved", "hours_saved"]].iloc[0].tolist()
    [60.0, 1.2]
    """
    if not 0 <= digital_share <= 1:
        raise ValueError(f"`digital_share` must lie in 0–1, but {digital_share!r} was passed.")
    if speed_kmh <= 0:
        raise ValueError(f"`speed_kmh` must be positive, but {speed_kmh!r} was passed.")
    frame = clients.copy()
    if "cell_id" not in frame:
        frame["cell_id"] = np.arange(len(frame)).astype(str)
    if "population" not in frame:
        frame["population"] = 1.0
    dist = nearest(
        frame,
        bases.assign(kind="base"),
        method="network" if network is not None else "euclidean",
        network=network,
    )
    visits = (
        frame[visits_per_month].to_numpy(float)
        if isinstance(visits_per_month, str)
        else np.full(len(frame), float(visits_per_month))
    )
    trip_km = dist["distance"].to_numpy(float) / 1000 * (2 if round_trip else 1)
    saved_visits = visits * digital_share
    km = trip_km * saved_visits
    hours = km / speed_kmh + saved_visits * minutes_saved_per_visit / 60
    out = pd.DataFrame(
        {
            by: frame[by].to_numpy() if by in frame else "alla",
            "clients": frame["population"].to_numpy(float),
            "visits": visits,
            "km_saved": km,
            "hours_saved": hours,
        }
    )
    out = out.groupby(by, as_index=False).sum(min_count=1)
    return out.assign(
        digital_share=digital_share,
        speed_kmh=speed_kmh,
        round_trip=round_trip,
        minutes_saved_per_visit=minutes_saved_per_visit,
    )
