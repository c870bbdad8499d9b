"""Digital service points: choose k sites among candidates with PySAL's spopt (MCLP, p-median).

Private; :func:`choose_sites` and :class:`SiteChoice` are public in ``access``.
The costs are the long (origin, dest, cost) table of
:func:`ehalsa_analys.access.costs` from population squares to the candidate
sites, on the road travel times the engine computes; the models are spopt's
``MCLP`` and ``PMedian`` solved with PuLP's bundled CBC.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import SchemaError, check_choice
from ..schemas import require_columns
from ._checks import _require_amounts, _unique_ids

__all__ = ["SiteChoice", "choose_sites", "site_costs"]


@dataclass(frozen=True)
class SiteChoice:
    """The sites chosen for each k, and the people they reach.

    Attributes
    ----------
    curve : DataFrame
        One row per k: k, covered (people within the bound of a chosen site
        or an existing service; MCLP), covered_share, added (on k − 1),
        mean_cost (people-weighted cost to the nearest chosen site or
        existing service, in the costs' unit; p-median), sites (";"-joined
        ids in candidate order).
    chosen : DataFrame
        One row per k and chosen site: k, site_id and the candidate's other
        columns (kind, …) as given; a point geometry becomes x and y.
    nested : bool
        Whether each k's sites contain the previous k's (the curve can then
        be built one site at a time); optimal solutions need not nest.
    model : str
        "mclp" or "pmedian".
    base : float
        People covered by the existing services alone (k = 0).
    total : float
        All people (the weight summed over the demand).
    """

    curve: pd.DataFrame
    chosen: pd.DataFrame
    nested: bool
    model: str
    base: float
    total: float


@contextmanager
def _quiet():
    """PuLP 3 warns about its own API it deprecates for 4.0 (used inside spopt too)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=DeprecationWarning, module=r"pulp(\.|$)")
        yield


def _solver(solver):
    import pulp

    return solver if solver is not None else pulp.PULP_CBC_CMD(msg=False, threads=1)


def _cost_column(costs: pd.DataFrame, max_cost_m, max_cost_s) -> tuple[str, float | None]:
    have = [c for c in ("cost_s", "cost_m") if c in costs]
    if len(have) != 1:
        raise SchemaError(
            f"`costs` must have one of cost_s and cost_m; it has {list(costs.columns)}",
            column="cost", hint="pass the output of access.costs",
        )
    column = have[0]
    bound = max_cost_s if column == "cost_s" else max_cost_m
    other = max_cost_m if column == "cost_s" else max_cost_s
    if other is not None:
        raise ValueError(
            f"`costs` are in {'seconds' if column == 'cost_s' else 'metres'}; pass "
            f"max_cost_{column[-1]}, not max_cost_{'m' if column == 'cost_s' else 's'}."
        )
    if bound is None:
        bound = costs.attrs.get(f"max_cost_{column[-1]}")  # the bound costs() was given
        bound = None if bound is None or not np.isfinite(bound) else float(bound)
    if bound is not None and not bound > 0:
        raise ValueError(f"The bound must be positive, but {bound!r} was passed.")
    return column, bound


def _existing(existing, ids: pd.Index) -> np.ndarray:
    """Cost from each demand row to its nearest real service (inf without one)."""
    if existing is None:
        return np.full(len(ids), np.inf)
    require_columns(existing, "existing", ["cell_id", "distance"],
                    hint="pass access.nearest(cells, services, kind=...)")
    best = pd.to_numeric(existing["distance"], errors="coerce").groupby(
        existing["cell_id"].to_numpy()).min()
    return best.reindex(ids).fillna(np.inf).to_numpy(float)


def choose_sites(
    demand,
    candidates: pd.DataFrame,
    costs: pd.DataFrame,
    *,
    k: int | Iterable[int] = range(1, 11),
    max_cost_s: float | None = None,
    max_cost_m: float | None = None,
    existing: pd.DataFrame | None = None,
    weight: str = "population",
    model: str = "mclp",
    solver=None,
) -> SiteChoice:
    """Choose k service points among candidates: most people reached (MCLP) or least travel.

    Parameters
    ----------
    demand : DataFrame
        Population squares: cell_id and ``weight``.
    candidates : DataFrame
        Candidate sites: service_id (the ids in ``costs``' dest), and any
        other columns (kind: "bibliotek", "kommunhus", "by" …) carried into
        :attr:`SiteChoice.chosen`.
    costs : DataFrame
        :func:`access.costs` from ``demand`` to ``candidates`` (origin,
        dest, cost_s or cost_m); pairs beyond its bound are absent.
    k : int or iterable of int, default 1…10
        The numbers of sites to choose; each is solved on its own.
    max_cost_s, max_cost_m : float
        MCLP: a square is covered when a chosen site (or an existing
        service) lies within this cost (seconds or metres, the unit of
        ``costs``). Default: the bound ``costs`` was computed with
        (:func:`access.costs` keeps it in ``attrs``). Required for "mclp" (as
        one or the other); for "pmedian" only reported.
    existing : DataFrame, optional
        :func:`access.nearest` from ``demand`` to the real services (cell_id,
        distance in the unit of ``costs``): people they already reach count
        as covered, and p-median adds the sites to them.
    weight : str, default "population"
        The demand column to weight by ("population_70plus": old people first).
    model : {"mclp", "pmedian"}
        Maximal covering location, or p-median (least weighted cost).
    solver : pulp solver, optional
        Default PuLP's CBC, one thread, silent.

    Returns
    -------
    SiteChoice

    Notes
    -----
    *MCLP* (Church and ReVelle 1974): maximise the weight within the bound
    of a chosen site with exactly k sites. Squares an existing service
    already covers, and squares no candidate covers, cannot change the
    objective and are left out of the model; squares covered by the same
    set of candidates are merged into one demand point with their summed
    weight. Both reductions keep the optimum (and its value) exactly and
    make the model small enough for a county. The spopt model is built once
    and re-solved for each k with the site count changed.
    *p-median* (Hakimi 1964): minimise the weighted cost from each square
    to its nearest chosen site or existing service. The existing services
    enter as one extra, always open facility whose cost is each square's
    cost to its nearest real service; pairs beyond the ``costs`` bound are
    given a cost no solution would use (ten times the largest). Squares that
    no candidate reaches more cheaply than their existing service are left
    out (their cost does not depend on the choice). p-median's model has a
    variable per square and site: use it on a few thousand squares and
    hundreds of candidates, or on aggregated squares.
    Optimal solutions for successive k need not nest (the best two sites
    need not contain the best one); :attr:`SiteChoice.nested` says whether
    they do here.

    Example
    -------
    >>> demand = pd.DataFrame({"cell_id": ["a", "b", "c", "d"],
    ...     "population": [10.0, 20.0, 30.0, 5.0]})
    >>> sites = pd.DataFrame({"service_id": ["X", "Y", "Z"], "kind": "bibliotek"})
    >>> costs = pd.DataFrame({"origin": ["a", "b", "b", "c", "d"],
    ...     "dest": ["X", "X", "Z", "Z", "Y"], "cost_s": 300.0})
    >>> choice = choose_sites(demand, sites, costs, k=[1, 2], max_cost_s=600)
    >>> choice.curve[["k", "covered", "sites"]].values.tolist()
    [[1, 50.0, 'Z'], [2, 60.0, 'X;Z']]
    """
    check_choice("model", ["mclp", "pmedian"], model)
    require_columns(demand, "demand", ["cell_id", weight])
    require_columns(candidates, "candidates", ["service_id"])
    require_columns(costs, "costs", ["origin", "dest"], hint="pass the output of access.costs")
    column, bound = _cost_column(costs, max_cost_m, max_cost_s)
    if model == "mclp" and bound is None:
        raise ValueError(
            f"model='mclp' needs the covering bound: pass max_cost_{column[-1]} (e.g. 1800 s).")
    ks = [int(k)] if np.ndim(k) == 0 else [int(v) for v in k]
    if not ks or min(ks) < 1:
        raise ValueError(f"`k` must be whole numbers ≥ 1, but {k!r} was passed.")
    ids = _unique_ids(demand, "demand", "cell_id")
    sites = _unique_ids(candidates, "candidates", "service_id")
    w = _require_amounts(demand, "demand", weight)
    rows = ids.get_indexer(costs["origin"])
    cols = sites.get_indexer(costs["dest"])
    unknown = (rows < 0) | (cols < 0)
    if unknown.any():
        i = int(np.flatnonzero(unknown)[0])
        which = "origin" if rows[i] < 0 else "dest"
        raise SchemaError(
            f"`costs` has the {which} {costs[which].iloc[i]!r}, which is not in "
            f"{'demand' if which == 'origin' else 'candidates'}",
            column=which, value=costs[which].iloc[i],
            hint="compute costs from these demand squares to these candidates",
        )
    cost = pd.to_numeric(costs[column], errors="coerce").to_numpy(float)
    near = _existing(existing, ids)
    total = float(w.sum())
    base = float(w[near <= bound].sum()) if bound is not None else 0.0
    with _quiet():
        if model == "mclp":
            solved = _mclp(rows, cols, cost, w, near, bound, len(sites), ks, solver)
        else:
            solved = _pmedian(rows, cols, cost, w, near, len(sites), ks, solver)
    curve, chosen, previous, nested = [], [], None, True
    for kk, (picked, value) in zip(ks, solved, strict=True):
        if model == "mclp":
            covered, mean = base + value, np.nan
        else:
            reach = _reach_cost(rows, cols, cost, picked, near)
            covered = float(w[reach <= bound].sum()) if bound is not None else np.nan
            finite = np.isfinite(reach)
            mean = float((w[finite] * reach[finite]).sum() / w[finite].sum()) if finite.any() \
                else np.nan
        names = [str(sites[j]) for j in sorted(picked)]
        if previous is not None and not set(previous) <= set(picked):
            nested = False
        previous = picked
        curve.append({"k": kk, "covered": covered,
                      "covered_share": covered / total if total else np.nan,
                      "mean_cost": mean, "sites": ";".join(names)})
        part = pd.DataFrame(candidates.iloc[sorted(picked)])
        if "geometry" in part:  # a table for reports: coordinates, not shapes
            points = part["geometry"].to_numpy()
            part = pd.DataFrame(part.drop(columns="geometry")).assign(
                x=[p.x for p in points], y=[p.y for p in points])
        part.insert(0, "k", kk)
        chosen.append(part.rename(columns={"service_id": "site_id"}))
    curve = pd.DataFrame(curve)
    curve.insert(2, "added", curve["covered"].diff().fillna(curve["covered"] - base))
    chosen = pd.concat(chosen, ignore_index=True)
    return SiteChoice(curve=curve, chosen=chosen, nested=nested, model=model, base=base,
                      total=total)


def _reach_cost(rows, cols, cost, picked, near) -> np.ndarray:
    out = near.copy()
    take = np.isin(cols, list(picked))
    np.minimum.at(out, rows[take], cost[take])
    return out


def _mclp(rows, cols, cost, w, near, bound, n_sites, ks, solver):
    """(chosen site positions, weight covered beyond the base) for each k."""
    import pulp
    from spopt.locate import MCLP

    within = (cost <= bound) & ~(near[rows] <= bound) & (w[rows] > 0)
    r, c = rows[within], cols[within]
    if not len(r):
        return [(list(range(min(kk, n_sites))), 0.0) for kk in ks]
    used = np.unique(c)  # candidates that cover anyone still uncovered
    # One demand point per distinct set of covering candidates (exact).
    order = np.lexsort((c, r))
    r, c = r[order], c[order]
    starts = np.flatnonzero(np.r_[True, r[1:] != r[:-1]])
    keys = [tuple(s) for s in np.split(c, starts[1:])]
    clients = r[starts]
    codes, uniques = pd.factorize(pd.Series(keys, dtype=object))
    weights = np.bincount(codes, w[clients], minlength=len(uniques))
    position = {j: i for i, j in enumerate(used)}
    matrix = np.full((len(uniques), len(used)), 2.0)
    for i, key in enumerate(uniques):
        matrix[i, [position[j] for j in key]] = 0.0
    problem = MCLP.from_cost_matrix(matrix, weights, service_radius=1.0, p_facilities=1)
    count = _site_count(problem.problem, problem.fac_vars)
    out = []
    for kk in ks:
        m = min(kk, len(used))
        count.constant = -float(m)
        problem.problem.solve(_solver(solver))
        if pulp.LpStatus[problem.problem.status] != "Optimal":
            raise RuntimeError(f"The MCLP for k={kk} was not solved to optimality "
                               f"({pulp.LpStatus[problem.problem.status]}).")
        picked = [int(used[j]) for j, v in enumerate(problem.fac_vars) if v.value() > 0.5]
        value = float(sum(weights[i] for i, v in enumerate(problem.cli_vars)
                          if v.value() > 0.5))
        extra = [j for j in range(n_sites) if j not in set(picked)][: kk - len(picked)]
        out.append((picked + extra, value))  # k beyond the useful sites: any others
    return out


def _site_count(problem, fac_vars):
    """The constraint "sum of site variables == p" of a spopt model."""
    names = {v.name for v in fac_vars}
    for constraint in problem.constraints.values():
        if (constraint.sense == 0 and len(constraint) == len(names)
                and {v.name for v in constraint} == names):
            return constraint
    raise RuntimeError("spopt's site-count constraint was not found in the model.")


def _pmedian(rows, cols, cost, w, near, n_sites, ks, solver):
    import pulp
    from spopt.locate import PMedian

    useful = (cost < near[rows]) & (w[rows] > 0)
    clients = np.unique(rows[useful])
    if not len(clients):
        return [(list(range(min(kk, n_sites))), 0.0) for kk in ks]
    used = np.unique(cols[useful])
    finite = np.r_[cost[np.isfinite(cost)], near[np.isfinite(near)]]
    big = 10.0 * (finite.max() if len(finite) else 1.0) + 1.0
    at = {j: i for i, j in enumerate(used)}
    client_at = {j: i for i, j in enumerate(clients)}
    matrix = np.full((len(clients), len(used) + 1), big)
    keep = np.isin(rows, clients) & np.isin(cols, used)
    matrix[[client_at[x] for x in rows[keep]], [at[y] for y in cols[keep]]] = cost[keep]
    matrix[:, -1] = np.where(np.isfinite(near[clients]), near[clients], big)
    predefined = np.r_[np.zeros(len(used)), 1].astype(int)
    problem = PMedian.from_cost_matrix(matrix, w[clients], p_facilities=2,
                                       predefined_facilities_arr=predefined)
    count = _site_count(problem.problem, problem.fac_vars)
    out = []
    for kk in ks:
        m = min(kk, len(used))
        count.constant = -float(m + 1)
        problem.problem.solve(_solver(solver))
        if pulp.LpStatus[problem.problem.status] != "Optimal":
            raise RuntimeError(f"The p-median for k={kk} was not solved to optimality "
                               f"({pulp.LpStatus[problem.problem.status]}).")
        picked = [int(used[j]) for j, v in enumerate(problem.fac_vars[:-1]) if v.value() > 0.5]
        extra = [j for j in range(n_sites) if j not in set(picked)][: kk - len(picked)]
        out.append((picked + extra, float(pulp.value(problem.problem.objective))))
    return out


def site_costs(
    cells,
    candidates,
    *,
    within_min: float = 20.0,
    within_km: float = 20.0,
    method: str = "network",
    network=None,
    weight: str = "time",
    snap_speed_kmh: float = 5.0,
) -> pd.DataFrame:
    """:func:`access.costs` from squares to candidate sites within the covering bound.

    The bound in the unit the method gives: ``within_min`` minutes for road
    times (``weight="time"``), else ``within_km`` km. The table keeps the
    bound in ``attrs``, so :func:`choose_sites` covers within it by default.

    Example
    -------
    >>> import geopandas as gpd
    >>> c = gpd.GeoDataFrame({"cell_id": [1, 2]},
    ...     geometry=gpd.points_from_xy([500000, 530000], [6500000, 6500000]), crs=3006)
    >>> k = gpd.GeoDataFrame({"service_id": ["bibl"]},
    ...     geometry=gpd.points_from_xy([505000], [6500000]), crs=3006)
    >>> t = site_costs(c, k, within_km=10, method="euclidean", weight="length")
    >>> t.values.tolist(), t.attrs["max_cost_m"]
    ([[1, 'bibl', 5000.0]], 10000.0)
    """
    from ._costs import costs

    bound = {"max_cost_s": within_min * 60.0} if weight == "time" else {
        "max_cost_m": within_km * 1000.0}
    return costs(cells, candidates, method=method, network=network, weight=weight,
                 snap_speed_kmh=snap_speed_kmh, **bound)
