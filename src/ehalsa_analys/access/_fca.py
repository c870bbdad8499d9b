"""Two-step floating catchment over a long cost table (:func:`two_step_fca`).

Private; public as ``access.two_step_fca``. It reads ids, amounts and the
(origin, dest, cost) rows of :func:`ehalsa_analys.access.costs` (or any table
of that shape) and never measures a distance itself.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from ..errors import SchemaError, check_choice
from ..schemas import require_columns
from ._checks import _plain, _positions, _require_amounts, _take, _unique_ids

_UNIT_NAMES = {"m": "metres", "s": "seconds"}


def _decay(cost: np.ndarray, d0: float, decay) -> np.ndarray:
    if decay is None:
        return np.ones_like(cost)
    if isinstance(decay, Mapping):
        uppers = np.asarray(sorted(decay), float)
        weights = np.r_[[float(decay[u]) for u in sorted(decay)], 0.0]
        return weights[np.searchsorted(uppers, cost, side="left")]
    if decay == "linear":
        return 1.0 - cost / d0
    edge = np.exp(-0.5)
    return (np.exp(-0.5 * (cost / d0) ** 2) - edge) / (1.0 - edge)


def _catchment(max_cost_m, max_cost_s) -> tuple[str, float]:
    if (max_cost_m is None) == (max_cost_s is None):
        raise ValueError(
            "Give exactly one of `max_cost_m` and `max_cost_s` (the catchment), but "
            f"max_cost_m={max_cost_m!r} and max_cost_s={max_cost_s!r} were passed."
        )
    unit, size = ("m", max_cost_m) if max_cost_s is None else ("s", max_cost_s)
    if not size > 0:
        raise ValueError(f"The catchment must be positive, but {size!r} was passed.")
    return unit, float(size)


def _cost_rows(costs, unit: str, d0: float) -> np.ndarray:
    """The cost column in ``unit``, checked against the catchment the table was built for."""
    column = f"cost_{unit}"
    other = "cost_s" if unit == "m" else "cost_m"
    if column not in getattr(costs, "columns", []) and other in getattr(costs, "columns", []):
        raise SchemaError(
            f"`costs` holds {other} ({_UNIT_NAMES[other[-1]]}), but max_cost_{unit} asks for "
            f"{_UNIT_NAMES[unit]}",
            column=other,
            hint=f"pass max_cost_{other[-1]}, or costs from access.costs(weight="
            f"{'length' if unit == 'm' else 'time'!r})",
        )
    require_columns(
        costs, "costs", ["origin", "dest", column], hint="build it with access.costs(...)"
    )
    limit = costs.attrs.get(f"max_cost_{unit}")
    if limit is not None and limit < d0:
        raise ValueError(
            f"`costs` holds only the pairs up to max_cost_{unit}={limit:g}, but the catchment "
            f"max_cost_{unit}={d0:g} reaches further. Build the costs with "
            f"max_cost_{unit}={d0:g} or more."
        )
    cost = pd.to_numeric(costs[column], errors="coerce").to_numpy(float)
    bad = np.flatnonzero(np.isnan(cost) | (cost < 0))
    if bad.size:
        value = _plain(costs[column].iloc[bad[0]])
        raise SchemaError(
            f"`costs` has {column} {value!r} at index {costs.index[bad[0]]!r}; costs must be "
            f"numbers ≥ 0 ({bad.size} such rows)",
            column=column,
            value=value,
            hint="leave unreachable pairs out of the table",
        )
    return cost


def two_step_fca(
    demand,
    supply,
    costs: pd.DataFrame,
    *,
    max_cost_m: float | None = None,
    max_cost_s: float | None = None,
    decay: str | Mapping[float, float] | None = "gaussian",
    capacity: str = "capacity",
    by: str | None = "municipality_code",
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Two-step floating catchment accessibility (E2SFCA) per cell and per area.

    Parameters
    ----------
    demand : DataFrame
        Cells: cell_id, population (and ``by`` for the area scores).
    supply : DataFrame
        Services: service_id and the ``capacity`` column (e.g. staff).
        Only these services count: cost rows to other services are left
        out, so one cost table serves every kind.
    costs : DataFrame
        The long cost table of :func:`costs`: origin (a cell_id of
        ``demand``), dest (a service_id), cost_m or cost_s.
    max_cost_m, max_cost_s : float
        The catchment d0 in metres (straight lines or road length) or in
        seconds of road travel time, matching the cost column; give one.
    decay : {"gaussian", "linear", None} or dict, default "gaussian"
        Weight by cost inside the catchment; a dict maps upper bounds (in
        the cost's unit) to step weights (Notes).
    capacity : str, default "capacity"
        Column of ``supply`` holding the supply.
    by : str or None, default "municipality_code"
        Column of ``demand`` for the area scores.

    Returns
    -------
    (cells, areas) : tuple of DataFrame
        Cells: cell_id (the demand's ids and dtype), [by,] population,
        score (capacity per person within reach; 0 when no service is
        within reach), in the demand's order. Areas: by, population, score
        (population-weighted mean); empty when ``by`` is None or not a
        column of ``demand``.

    Raises
    ------
    SchemaError
        Missing columns, duplicate ids, bad amounts or costs, a cost row from
        a cell that ``demand`` lacks (often ids of another type: 7 is not
        "7"), the same pair twice, or a cost column in the other unit.
    ValueError
        A catchment beyond the bound the cost table was built with.

    Notes
    -----
    Enhanced two-step floating catchment (Luo & Wang 2003, Luo & Qi 2009).
    Step 1: each service's ratio ``R_j = S_j / Σ_k P_k w(d_kj)`` over the
    cells within the catchment ``d ≤ d0``. Step 2: each cell's score
    ``A_i = Σ_j R_j w(d_ij)`` over the services within the catchment: the
    capacity per person within reach. ``decay=None`` is the original 2SFCA
    (w = 1 inside); "gaussian" is Dai (2010)'s
    ``w = (exp(-½(d/d0)²) − exp(-½)) / (1 − exp(-½))``; "linear" is
    ``1 − d/d0``; a dict ``{upper: weight}`` is Luo & Qi's step weights
    (the weight of the smallest upper bound ≥ d, 0 beyond the largest). A
    service with no population in its catchment has R = 0. The sums run in
    one canonical order (by cell, then service), so they do not depend on
    how the cost table was chunked. Area scores are population-weighted
    means of the cells' scores. The same as PySAL access'
    ``fca.two_stage_fca`` on the same cost table, except that cells without
    a service in reach score 0 here and are absent there.

    Example
    -------
    >>> import geopandas as gpd
    >>> from ehalsa_analys import access
    >>> c = gpd.GeoDataFrame({"cell_id": ["a", "b"], "population": [100.0, 300.0],
    ...     "municipality_code": "1880"},
    ...     geometry=gpd.points_from_xy([500000, 502000], [6500000, 6500000]), crs=3006)
    >>> s = gpd.GeoDataFrame({"service_id": ["x"], "kind": "hemtjänst", "capacity": [8.0]},
    ...     geometry=gpd.points_from_xy([500000], [6500000]), crs=3006)
    >>> reach = access.costs(c, s, max_cost_m=5000)
    >>> two_step_fca(c, s, reach, max_cost_m=5000, decay=None)[0]["score"].tolist()
    [0.02, 0.02]
    """
    if not isinstance(decay, Mapping):
        check_choice("decay", [None, "gaussian", "linear"], decay)
    elif not decay or any(float(u) <= 0 or float(w) < 0 for u, w in decay.items()):
        raise ValueError(
            f"A step `decay` maps positive upper bounds to weights ≥ 0, but {decay!r} was passed."
        )
    unit, d0 = _catchment(max_cost_m, max_cost_s)
    require_columns(demand, "demand", ["cell_id", "population"])
    cell_ids = _unique_ids(demand, "demand", "cell_id")
    population = _require_amounts(demand, "demand", "population")
    require_columns(supply, "supply", ["service_id", capacity])
    service_ids = _unique_ids(supply, "supply", "service_id")
    amount = _require_amounts(supply, "supply", capacity)
    cost = _cost_rows(costs, unit, d0)
    i = _positions(costs["origin"], cell_ids)
    unknown = np.flatnonzero(i < 0)
    if unknown.size:
        value = _plain(costs["origin"].iloc[unknown[0]])
        raise SchemaError(
            f"`costs` has the origin {value!r} ({type(value).__name__}), which is no cell_id "
            f"of `demand` (dtype {demand['cell_id'].dtype}; {unknown.size} such rows)",
            column="origin",
            value=value,
            hint="build the costs from the same cells: access.costs(cells, services, ...)",
        )
    j = _positions(costs["dest"], service_ids)
    keep = (j >= 0) & (cost <= d0)
    i, j, cost = i[keep], j[keep], cost[keep]
    order = np.lexsort((j, i))  # one canonical order: the sums do not depend on chunking
    i, j, cost = i[order], j[order], cost[order]
    twice = np.flatnonzero((i[1:] == i[:-1]) & (j[1:] == j[:-1]))
    if twice.size:
        origin, dest = _plain(cell_ids[i[twice[0]]]), _plain(service_ids[j[twice[0]]])
        raise SchemaError(
            f"`costs` has the pair origin {origin!r}, dest {dest!r} more than once "
            f"({twice.size} repeated pairs)",
            column="origin",
            hint="keep one cost per pair, e.g. costs.groupby(['origin', 'dest']).min()",
        )
    w = _decay(cost, d0, decay)
    weighted_demand = np.bincount(j, weights=population[i] * w, minlength=len(supply))
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where(weighted_demand > 0, amount / weighted_demand, 0.0)
    score = np.bincount(i, weights=ratio[j] * w, minlength=len(demand))
    per_cell = pd.DataFrame(
        {
            "cell_id": _take(demand["cell_id"], np.arange(len(demand))),
            "population": population,
            "score": score,
        }
    )
    areas = pd.DataFrame(columns=[by or "area", "population", "score"])
    if by is not None and by in demand:
        per_cell.insert(1, by, demand[by].to_numpy())
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
