"""The cost step of :mod:`ehalsa_analys.access`: nearest costs and the (origin, dest, cost) table.

Private; :func:`nearest` and :func:`costs` are public as ``access.nearest`` and
``access.costs``. Both check their inputs the same way and leave the
searching to :mod:`._engine`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..load import RoadGraph
from ..schemas import require_columns
from ._checks import (
    _check_crs,
    _check_method,
    _check_network,
    _kinds,
    _points_input,
    _repeat,
    _require_amounts,
    _take,
)
from ._engine import _each, _Queries, _Router, _Tree, euclidean_pairs, network_pairs

_UNITS = {"length": "m", "time": "s"}


def _small(count: int):
    """The smallest signed integer dtype for categorical codes of ``count`` categories."""
    return np.int8 if count < 2**7 else np.int16 if count < 2**15 else np.int32


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
        cell_id (the cells' own ids and dtype), [municipality_code, urban,
        population_70plus,] population, kind, distance (m; seconds for time;
        NaN when unreachable), unit ("m" or "s"), service_id (the services'
        ids and dtype, missing when unreachable: integer ids then become
        the nullable Int64), snap_m and service_snap_m (network: metres
        from the cell and from the service to their nodes; NaN for
        Euclidean), and for ``weight="time"`` length_m (road metres of the
        fastest route, snaps included). ``attrs``: "unreachable" (kind ->
        number of cells without a route), "method", "weight".

    Raises
    ------
    CRSError
        A geographic CRS, different CRSs, no CRS, or coordinates in degrees.
    SchemaError
        Missing columns, duplicate ids, non-point geometries, bad populations.

    Notes
    -----
    *Checks.* Cells and services must both be labelled EPSG:3006 (SWEREF 99
    TM, metres). A geographic CRS, two different CRSs, no CRS, or
    coordinates that all look like degrees (|x| ≤ 180 and |y| ≤ 90, a
    ``set_crs`` on longitudes and latitudes) raise
    :class:`~ehalsa_analys.errors.CRSError` with a fix; PySAL's access
    leaves this unchecked. Ids must be unique, coordinates finite and
    populations non-negative numbers.

    *Euclidean.* A KD-tree of each kind's services (pykdtree, OpenMP
    threads, the kinds on a thread per core) is queried once for all cells
    in a spatial order (2 km buckets) and the results put back in input
    order: straight-line metres. Pipos measures road kilometres, so straight
    lines are shorter than Pipos' figures.

    *Network.* Cells and services are snapped to their nearest graph node
    (a KD-tree of the nodes). The snap distances are added at both ends and
    reported (``snap_m``, ``service_snap_m``). Each service gets a virtual
    node joined to its snapped node by its snap cost, and one multi-source
    Dijkstra per kind (:func:`scipy.sparse.csgraph.dijkstra` with
    ``min_only=True``, starting from the virtual nodes, so ``sources`` names
    the nearest service) runs over the **transposed** graph: the cost is
    the one travelled *from the cell to the service* when links are
    one-way, and it is never one search per cell. Zero-length links (two
    nodes at one place) are explicit zeros in the sparse matrix, which scipy
    treats as links. With ``weight="time"`` the cost is seconds, snap
    distances are converted at ``snap_speed_kmh`` (default 5 km/h: walking
    from the home to the road, a conservative choice), and ``length_m``
    gives the road length of that fastest route (summed up the
    shortest-path tree by pointer jumping), so one run yields both minutes
    and kilometres as Pipos reports them. Cells snap to the nearest node
    whatever its component: an island without a ferry link is unreachable,
    its cells get NaN and are counted per kind in ``attrs["unreachable"]``,
    never a huge number.

    *Scaling.* ``engine="dask"`` evaluates the per-cell work (KD-tree
    queries, snapping) in chunks of 100 000 cells as dask tasks on the
    active dask scheduler (threads, processes, or a cluster when a
    ``distributed.Client`` is running); the trees travel once per worker,
    the graph search and the result stay in local memory, and the results
    are identical. It needs the optional extra (``pip install
    ehalsa_analys[dask]``). The national 250 m grid (≈600 000 cells) needs
    no dask; use it for tens of millions of points (a 100 m grid, or
    addresses) or to spread the queries over a cluster.

    Example
    -------
    >>> import geopandas as gpd
    >>> c = gpd.GeoDataFrame({"cell_id": [7], "population": [1.0]},
    ...     geometry=gpd.points_from_xy([500010], [6500000]), crs=3006)
    >>> s = gpd.GeoDataFrame({"service_id": ["x", "y"], "kind": ["apotek", "vårdcentral"]},
    ...     geometry=gpd.points_from_xy([500000, 500040], [6500000, 6500000]), crs=3006)
    >>> nearest(c, s)[["cell_id", "kind", "distance", "service_id"]]
       cell_id         kind  distance service_id
    0        7       apotek      10.0          x
    1        7  vårdcentral      30.0          y
    """
    _check_method(method, network, weight, engine)
    _check_crs([(cells, "cells"), (services, "services")])
    cell_xy, _ = _points_input(cells, "cells", "cell_id", ["population"])
    population = _require_amounts(cells, "cells", "population")
    service_xy, _ = _points_input(services, "services", "service_id", ["kind"])
    if method == "network":
        _check_network(network, weight)
        router = _Router(network, weight, snap_speed_kmh)
        cell_snap = router.snap(cell_xy, engine)
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
        snapped = router.snap(service_xy[rows[i]])
        cost, which, metres = router.nearest(snapped, cell_snap)
        snap_m[part] = cell_snap.distance
        service_snap_m[part] = np.where(which >= 0, snapped.distance[np.maximum(which, 0)], np.nan)
        if length_m is not None:
            length_m[part] = metres
        missing = np.isnan(cost) | (which < 0)
        distance[part] = np.where(missing, np.nan, cost)
        code[part] = np.where(missing, -1, rows[i][np.maximum(which, 0)])
        unreachable[k] = int(missing.sum())
    columns = {
        "cell_id": _repeat(cells["cell_id"], repeat),
        "population": np.tile(population, repeat),
        "kind": pd.Categorical.from_codes(
            np.repeat(np.arange(repeat, dtype=_small(repeat)), n), kinds
        ),
        "distance": distance,
        "unit": pd.Categorical.from_codes(np.zeros(n * repeat, np.int8), [_UNITS[weight]]),
        "service_id": _take(services["service_id"], code),
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
                codes = codes.astype(_small(len(uniques)))  # 3 M int16, not int64
                carried[name] = pd.Categorical.from_codes(np.tile(codes, repeat), uniques)
            else:
                carried[name] = np.tile(values.to_numpy(), repeat)
    columns = {"cell_id": columns.pop("cell_id"), **carried, **columns}
    # The arrays are new and ours: no copy, no consolidation into 2-D blocks.
    out = pd.DataFrame(columns, copy=False)
    out.attrs = {"unreachable": unreachable, "method": method, "weight": weight}
    return out


def _max_cost(weight: str, max_cost_m, max_cost_s) -> float:
    """The bound in the unit of ``weight`` (inf when none); the other unit's bound is refused."""
    unit = _UNITS[weight]
    other = "s" if unit == "m" else "m"
    names = {"m": "metres", "s": "seconds"}
    given = {"m": max_cost_m, "s": max_cost_s}
    if given[other] is not None:
        raise ValueError(
            f"`max_cost_{other}` bounds {names[other]}, but weight={weight!r} gives costs in "
            f"{names[unit]}; pass max_cost_{unit} instead."
        )
    value = given[unit]
    if value is None:
        return np.inf
    if not value > 0:
        raise ValueError(f"`max_cost_{unit}` must be positive, but {value!r} was passed.")
    return float(value)


def costs(
    cells,
    services,
    *,
    kind: str | Sequence[str] | None = None,
    method: str = "euclidean",
    network: RoadGraph | None = None,
    weight: str = "length",
    max_cost_m: float | None = None,
    max_cost_s: float | None = None,
    snap_speed_kmh: float = 5.0,
    engine: str | None = None,
) -> pd.DataFrame:
    """The long cost table: one row per (cell, service) pair within reach.

    The step every catchment metric reads (:func:`two_step_fca`), as in
    PySAL's access: Euclidean, road and imported costs are interchangeable.

    Parameters
    ----------
    cells : GeoDataFrame
        Origins: cell_id and point geometry in EPSG:3006.
    services : GeoDataFrame
        Destinations: service_id and point geometry in EPSG:3006 (and kind
        when ``kind`` is given).
    kind : str or list of str, optional
        Only services of these kinds (default all rows of ``services``).
    method : {"euclidean", "network"}
        Straight lines or roads.
    network : RoadGraph
        Required for ``method="network"``.
    weight : {"length", "time"}
        Metres, or seconds of road travel time (``method="network"``).
    max_cost_m, max_cost_s : float, optional
        Leave out pairs costing more: metres for ``weight="length"``,
        seconds for ``weight="time"``. Default: every pair with a route
        (cells × services rows; bound it on large data).
    snap_speed_kmh : float, default 5
        Speed on the snap distances when ``weight="time"``.
    engine : {None, "dask"}
        Chunked evaluation of the cells with dask; identical results.

    Returns
    -------
    DataFrame
        origin (the cells' cell_id, own dtype), dest (the services'
        service_id, own dtype), cost_m (metres) or cost_s (seconds); sorted
        by cell, then service, in input order. Unreachable pairs are absent.
        ``attrs``: "method", "weight" and "max_cost_m" or "max_cost_s" (the
        bound, inf when none), which :func:`two_step_fca` checks.

    Raises
    ------
    CRSError, SchemaError
        As :func:`nearest`.

    Notes
    -----
    Inputs are checked as in :func:`nearest`. *Euclidean*: a KD-tree of the
    services (scipy's cKDTree) and one of each chunk of cells give every
    pair within ``max_cost_m`` at once (``sparse_distance_matrix``). *Network*:
    cells and services are snapped to their nearest nodes as in
    :func:`nearest` (snap costs added at both ends) and one bounded Dijkstra
    (``limit=max_cost``) runs from each distinct service node over the
    transposed graph, in batches of rows, so costs run from the cell to the
    service on one-way links. ``engine="dask"`` chunks the cells as in
    :func:`nearest`.

    Example
    -------
    >>> import geopandas as gpd
    >>> c = gpd.GeoDataFrame({"cell_id": [1, 2]},
    ...     geometry=gpd.points_from_xy([500000, 503000], [6500000, 6500000]), crs=3006)
    >>> s = gpd.GeoDataFrame({"service_id": ["x", "y"]},
    ...     geometry=gpd.points_from_xy([500000, 506000], [6500000, 6500000]), crs=3006)
    >>> costs(c, s, max_cost_m=5000)
       origin dest  cost_m
    0       1    x     0.0
    1       2    x  3000.0
    2       2    y  3000.0
    """
    _check_method(method, network, weight, engine)
    bound = _max_cost(weight, max_cost_m, max_cost_s)
    _check_crs([(cells, "cells"), (services, "services")])
    cell_xy, _ = _points_input(cells, "cells", "cell_id")
    if kind is not None:
        require_columns(services, "services", ["kind"])
        wanted = _kinds(services, kind)
        services = services[services["kind"].astype(str).isin(wanted).to_numpy()]
    service_xy, _ = _points_input(services, "services", "service_id")
    if method == "euclidean":
        i, j, cost = euclidean_pairs(cell_xy, service_xy, bound, engine)
    else:
        _check_network(network, weight)
        router = _Router(network, weight, snap_speed_kmh)
        i, j, cost = network_pairs(router, cell_xy, service_xy, bound, engine)
    order = np.lexsort((j, i))  # one canonical order, whatever the chunks
    i, j, cost = i[order], j[order], cost[order]
    unit = _UNITS[weight]
    out = pd.DataFrame(
        {
            "origin": _take(cells["cell_id"], i),
            "dest": _take(services["service_id"], j),
            f"cost_{unit}": cost.astype(float),
        },
        copy=False,
    )
    out.attrs = {"method": method, "weight": weight, f"max_cost_{unit}": bound}
    return out
