"""Digital reach: where an e-service can replace the trip, and where it cannot.

Private; :func:`digital_reach`, :func:`reach_counts` and :func:`publishable_reach`
are public in ``access``. They read :func:`ehalsa_analys.access.nearest`'s table
and PTS' broadband shares (:func:`ehalsa_analys.load.broadband`, or the user's own
per-square table, :func:`ehalsa_analys.load.broadband_points`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..disclosure import SUPPRESSION_LIMIT, suppress
from ..errors import SchemaError, check_choice
from ..schemas import require_columns
from ._summaries import THRESHOLDS_KM, THRESHOLDS_MIN, _keys

__all__ = ["REACH_CLASSES", "digital_reach", "reach_counts", "publishable_reach",
           "broadband_probability", "broadband_per_cell"]

#: The four classes, in output order: near the service; far and connected (an e-service
#: can replace the trip); far and not connected (the risk of digital exclusion); far
#: with unknown broadband.
REACH_CLASSES = ("near", "far_connected", "far_unconnected", "unknown")
_GROUPS = {"all": "population", "70+": "population_70plus"}


def _latest(table: pd.DataFrame, year) -> pd.DataFrame:
    if "year" not in table or table["year"].isna().all():
        return table
    years = pd.to_numeric(table["year"], errors="coerce")
    chosen = years.max() if year is None else year
    if year is not None and not (years == year).any():
        raise ValueError(
            f"The broadband table has no year {year!r}; it has "
            f"{sorted(int(y) for y in years.dropna().unique())}."
        )
    return table[(years == chosen).to_numpy()]


def broadband_per_cell(points, cells, *, cell_size: float | None = None) -> pd.DataFrame:
    """Broadband per population square from points inside it (buildings, or squares' centres).

    Each point of ``points`` (:func:`ehalsa_analys.load.broadband_points`:
    speed_mbit, share, point geometry, optional year and cell_id) is placed
    in the square with its cell_id, else in the grid square that contains
    it; a square's share is the mean over its
    points (the share of its buildings with access, when the points are
    buildings). Squares are those of ``cells`` (cell_id, point geometry at
    the square's centre, EPSG:3006), on a grid whose lines are multiples of
    ``cell_size`` (SCB's and Pipos' grids are).

    Parameters
    ----------
    points : GeoDataFrame
    cells : GeoDataFrame
    cell_size : float, optional
        The squares' side in metres; default the smallest spacing between
        the cells' centres.

    Returns
    -------
    DataFrame or None
        cell_id, year, speed_mbit, share, points (how many points the share
        is the mean of); squares without a point are absent. None when
        ``points`` is None (no finer data: the municipal shares are used).

    Example
    -------
    >>> import geopandas as gpd
    >>> cells = gpd.GeoDataFrame({"cell_id": ["a", "b"]},
    ...     geometry=gpd.points_from_xy([500500, 501500], [6500500, 6500500]), crs=3006)
    >>> pts = gpd.GeoDataFrame({"speed_mbit": 100, "share": [1.0, 0.0, 1.0], "year": 2024},
    ...     geometry=gpd.points_from_xy([500100, 500900, 501200], [6500100, 6500300, 6500700]),
    ...     crs=3006)
    >>> broadband_per_cell(pts, cells)[["cell_id", "share", "points"]].values.tolist()
    [['a', 0.5, 2], ['b', 1.0, 1]]
    """
    from ._checks import _check_crs, _xy

    if points is None:
        return None
    require_columns(points, "points", ["speed_mbit", "share", "geometry"],
                    hint="pass the output of load.broadband_points")
    require_columns(cells, "cells", ["cell_id", "geometry"])
    _check_crs([(cells, "cells"), (points, "points")])
    centre = _xy(cells, "cells")
    if cell_size is None:
        xs = np.unique(centre[:, 0])
        steps = np.diff(xs) if len(xs) > 1 else np.diff(np.unique(centre[:, 1]))
        cell_size = float(steps.min()) if len(steps) else 1000.0
    if not cell_size > 0:
        raise ValueError(f"`cell_size` must be positive, but {cell_size!r} was passed.")
    key = pd.MultiIndex.from_arrays(np.floor(centre / cell_size).astype(np.int64).T)
    at = pd.Series(cells["cell_id"].to_numpy(), index=key)
    at = at[~at.index.duplicated()]
    xy = _xy(points, "points")
    where = pd.MultiIndex.from_arrays(np.floor(xy / cell_size).astype(np.int64).T)
    found = at.reindex(where).to_numpy()
    if "cell_id" in points:  # the square's own id first (a 250 m id read as 1 km stays right)
        ids = pd.Index(cells["cell_id"].astype(str))
        own = ids.get_indexer(points["cell_id"].astype(str))
        found = np.where(own >= 0, cells["cell_id"].to_numpy()[np.maximum(own, 0)], found)
    inside = pd.notna(found)
    year = points["year"].to_numpy(float) if "year" in points else np.full(len(points), np.nan)
    frame = pd.DataFrame({"cell_id": found[inside], "year": year[inside],
                          "speed_mbit": points["speed_mbit"].to_numpy()[inside],
                          "share": points["share"].to_numpy(float)[inside]})
    out = frame.groupby(["cell_id", "year", "speed_mbit"], dropna=False, sort=True).agg(
        share=("share", "mean"), points=("share", "size")).reset_index()
    order = pd.Index(cells["cell_id"]).get_indexer(out["cell_id"])
    out = out.iloc[np.lexsort((out["speed_mbit"].to_numpy(), order))].reset_index(drop=True)
    return out[["cell_id", "year", "speed_mbit", "share", "points"]]


def broadband_probability(
    distances: pd.DataFrame,
    *,
    broadband: pd.DataFrame | None = None,
    cell_broadband: pd.DataFrame | None = None,
    speed_mbit: int = 100,
    subject: str = "households",
    year: int | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Per row of ``distances``: the probability that its people can order ``speed_mbit``.

    The square's own share (``cell_broadband``: cell_id, speed_mbit, share,
    optional year) where it has one, else its municipality's share of
    households (``broadband``: :func:`ehalsa_analys.load.broadband`), else
    NaN (unknown). Returns (probability, source) with source "cell",
    "municipality" or "" per row. The latest year of each table is used
    unless ``year`` is given.

    Example
    -------
    >>> d = pd.DataFrame({"cell_id": ["a", "b"], "municipality_code": ["1880", "1814"]})
    >>> m = pd.DataFrame({"municipality_code": ["1880"], "year": 2024, "subject": "households",
    ...     "speed_mbit": 100, "share": [0.9]})
    >>> c = pd.DataFrame({"cell_id": ["b"], "speed_mbit": 100, "share": [0.0]})
    >>> p, source = broadband_probability(d, broadband=m, cell_broadband=c)
    >>> p.tolist(), source.tolist()
    ([0.9, 0.0], ['municipality', 'cell'])
    """
    n = len(distances)
    p = np.full(n, np.nan)
    source = np.full(n, "", dtype=object)
    if broadband is not None:
        require_columns(broadband, "broadband",
                        ["municipality_code", "subject", "speed_mbit", "share"],
                        hint="pass the output of load.broadband")
        require_columns(distances, "distances", ["municipality_code"])
        rows = broadband[(broadband["subject"] == subject)
                         & (broadband["speed_mbit"] == speed_mbit)]
        if rows.empty:
            raise SchemaError(
                f"`broadband` has no shares of {subject} at {speed_mbit} Mbit/s",
                column="speed_mbit", value=speed_mbit,
                hint=f"it has speeds {sorted(broadband['speed_mbit'].unique().tolist())} and "
                f"subjects {sorted(broadband['subject'].unique().tolist())}",
            )
        rows = _latest(rows, year)
        share = rows.drop_duplicates("municipality_code", keep="last").set_index(
            "municipality_code")["share"]
        codes, uniques = pd.factorize(distances["municipality_code"])
        labels = pd.Index(np.asarray(uniques, dtype=object)).astype(str)
        found = share.reindex(labels).to_numpy(float)
        mapped = np.where(codes >= 0, found[np.maximum(codes, 0)], np.nan)
        known = np.isfinite(mapped)
        p[known], source[known] = mapped[known], "municipality"
    if cell_broadband is not None:
        require_columns(cell_broadband, "cell_broadband", ["cell_id", "speed_mbit", "share"],
                        hint="pass the output of load.broadband_points")
        require_columns(distances, "distances", ["cell_id"])
        rows = _latest(cell_broadband[cell_broadband["speed_mbit"] == speed_mbit], year)
        share = rows.groupby(rows["cell_id"].astype(str))["share"].mean()
        mapped = distances["cell_id"].astype(str).map(share).to_numpy(float)
        known = np.isfinite(mapped)
        p[known], source[known] = mapped[known], "cell"
    bad = np.isfinite(p) & ((p < 0) | (p > 1))
    if bad.any():
        raise SchemaError(
            f"A broadband share of {p[bad][0]!r} lies outside 0–1",
            column="share", value=float(p[bad][0]),
            hint="shares are decimals 0–1, as load.broadband gives them",
        )
    return p, source


def digital_reach(
    distances: pd.DataFrame,
    *,
    broadband: pd.DataFrame | None = None,
    cell_broadband: pd.DataFrame | None = None,
    kind: str | None = None,
    thresholds_min: Sequence[float] = THRESHOLDS_MIN,
    thresholds_km: Sequence[float] = THRESHOLDS_KM,
    speed_mbit: int = 100,
    subject: str = "households",
    year: int | None = None,
) -> pd.DataFrame:
    """Four classes per population square: near; far and connected; far, not connected; unknown.

    Parameters
    ----------
    distances : DataFrame
        :func:`nearest` to one kind of service (cell_id, municipality_code,
        population, kind, distance, unit; population_70plus when present).
    broadband : DataFrame, optional
        PTS' shares per municipality (:func:`ehalsa_analys.load.broadband`):
        the probability that a square's people are connected where the
        square has no share of its own.
    cell_broadband : DataFrame, optional
        Shares per square (cell_id, speed_mbit, share 0–1; yes/no as 1/0),
        e.g. :func:`ehalsa_analys.load.broadband_points`.
    kind : str, optional
        The kind of service, when ``distances`` holds several.
    thresholds_min, thresholds_km : sequence of float
        "Far" is at or beyond the threshold (minutes for road times, km for
        distances); default Pipos' 5, 10, 30 minutes and
        :data:`THRESHOLDS_KM`. One block of rows per threshold.
    speed_mbit : int, default 100
        The speed that counts as connected (1000 for 1 Gbit/s).
    subject : {"households", "workplaces"}, default "households"
    year : int, optional
        The broadband year (default each table's latest).

    Returns
    -------
    DataFrame
        One row per cell and threshold: cell_id, municipality_code, kind
        (categoricals), threshold, unit ("min" or "km"), distance (in that unit; NaN when
        not reachable by road), p_connected (NaN unknown), broadband_source
        ("cell", "municipality", ""), reach (the square's most likely class),
        and the expected people of each class — near, far_connected,
        far_unconnected, unknown — then the same for 70+ (``near_70plus`` …)
        when ``distances`` has population_70plus.

    Notes
    -----
    A square whose travel time (or distance) to the nearest service is at
    least the threshold is far; a square not reachable by road is far
    whatever the threshold (its people cannot make the trip at all). Near
    squares need no connection and count wholly as near. A far square's
    people are split by the probability ``p`` that they can order the speed:
    ``p × people`` far and connected, ``(1 − p) × people`` far and not
    connected. With a square's own yes/no, ``p`` is 1 or 0 and the split is
    exact; with only the municipality's share of households, the counts are
    expected values (as if access were independent of distance within the
    municipality, which flatters remote squares: PTS' rural shares are lower,
    so the far-and-connected count is an upper bound). Without either, the
    far square's people are unknown. ``reach`` is near, else connected when
    ``p ≥ 0.5``, not connected when ``p < 0.5``, unknown without ``p``.

    Example
    -------
    >>> d = pd.DataFrame({"cell_id": ["a", "b", "c"], "municipality_code": "1880",
    ...     "kind": "vårdcentral", "unit": "s", "population": [10.0, 20.0, 30.0],
    ...     "distance": [120.0, 1200.0, float("nan")]})
    >>> m = pd.DataFrame({"municipality_code": ["1880"], "subject": "households",
    ...     "speed_mbit": 100, "share": [0.75]})
    >>> r = digital_reach(d, broadband=m, thresholds_min=[10])
    >>> r[["cell_id", "reach", "near", "far_connected", "far_unconnected"]]
      cell_id            reach  near  far_connected  far_unconnected
    0       a             near  10.0            0.0              0.0
    1       b    far_connected   0.0           15.0              5.0
    2       c    far_connected   0.0           22.5              7.5
    """
    require_columns(distances, "distances",
                    ["cell_id", "municipality_code", "population", "kind", "distance", "unit"],
                    hint="pass the output of access.nearest")
    kinds = sorted(map(str, pd.unique(distances["kind"].dropna())))
    if kind is not None:
        check_choice("kind", kinds, kind)
        distances = distances[(distances["kind"].astype(str) == kind).to_numpy()]
    elif len(kinds) > 1:
        raise SchemaError(
            f"`distances` holds the kinds {kinds}; the classes are per kind of service",
            column="kind", hint=f"pass kind=, e.g. kind={kinds[0]!r}",
        )
    units = set(map(str, pd.unique(distances["unit"].dropna())))
    if len(units) != 1 or not units <= {"m", "s"}:
        raise SchemaError(f"`distances` has the unit(s) {sorted(units)}; expected 'm' or 's'",
                          column="unit", hint="pass the output of access.nearest")
    unit = "min" if units == {"s"} else "km"
    edges = np.asarray(thresholds_min if unit == "min" else thresholds_km, float)
    if not len(edges) or (edges <= 0).any() or not np.isfinite(edges).all():
        raise ValueError(f"Thresholds must be positive numbers, but {list(edges)} was passed.")
    value = distances["distance"].to_numpy(float) / (60.0 if unit == "min" else 1000.0)
    p, source = broadband_probability(
        distances, broadband=broadband, cell_broadband=cell_broadband,
        speed_mbit=speed_mbit, subject=subject, year=year,
    )
    n, k = len(distances), len(edges)
    far = ~(value[None, :] < edges[:, None])  # NaN (no road) is far
    known = np.isfinite(p)
    p0 = np.where(known, p, 0.0)
    reach = np.where(~far, 0, np.where(~known, 3, np.where(p0 >= 0.5, 1, 2)))
    def categorical(values) -> pd.Categorical:
        """``values`` repeated for every threshold, as a categorical (few distinct texts)."""
        codes, uniques = pd.factorize(values, sort=True)  # a categorical keeps its codes
        labels = pd.Index(np.asarray(uniques, dtype=object)).astype(str)
        return pd.Categorical.from_codes(np.tile(codes, k), labels)

    columns = {
        "cell_id": pd.concat([distances["cell_id"]] * k, ignore_index=True),
        "municipality_code": categorical(distances["municipality_code"]),
        "kind": categorical(distances["kind"]),
        "threshold": np.repeat(edges, n),
        "unit": pd.Categorical.from_codes(np.zeros(n * k, np.int8), [unit]),
        "distance": np.tile(value, k),
        "p_connected": np.tile(p, k),
        "broadband_source": categorical(pd.Categorical(source)),
        "reach": pd.Categorical.from_codes(reach.ravel(), REACH_CLASSES),
    }
    for group, column in _GROUPS.items():
        if column not in distances:
            continue
        people = np.nan_to_num(pd.to_numeric(distances[column], errors="coerce").to_numpy(float))
        suffix = "" if group == "all" else "_70plus"
        columns["near" + suffix] = (people * ~far).ravel()
        columns["far_connected" + suffix] = (people * far * p0).ravel()
        columns["far_unconnected" + suffix] = (people * far * np.where(known, 1 - p0, 0)).ravel()
        columns["unknown" + suffix] = (people * far * ~known).ravel()
    out = pd.DataFrame(columns, copy=False)  # fresh arrays: no copy, no 2-D consolidation
    out.attrs = {"speed_mbit": speed_mbit, "subject": subject, "unit": unit}
    return out


def reach_counts(reach: pd.DataFrame, *, by: str | Sequence[str] | None = "municipality_code"
                 ) -> pd.DataFrame:
    """People per area, threshold, group ("all", "70+") and class, from :func:`digital_reach`.

    Returns
    -------
    DataFrame
        *by, kind, threshold, unit, group, class (:data:`REACH_CLASSES`, in
        order), people (expected counts), share (of the group's people in
        the area). Every class is listed, empty ones with 0.

    Example
    -------
    >>> r = pd.DataFrame({"municipality_code": "1880", "kind": "apotek", "threshold": 10.0,
    ...     "unit": "min", "near": [10.0, 0.0], "far_connected": [0.0, 15.0],
    ...     "far_unconnected": [0.0, 5.0], "unknown": 0.0})
    >>> reach_counts(r)[["class", "people", "share"]].values.tolist()
    [['near', 10.0, 0.3333333333333333], ['far_connected', 15.0, 0.5], \
['far_unconnected', 5.0, 0.16666666666666666], ['unknown', 0.0, 0.0]]
    """
    keys = [*_keys(by), "kind", "threshold", "unit"]
    require_columns(reach, "reach", [*keys, *REACH_CLASSES],
                    hint="pass the output of access.digital_reach")
    frames = []
    for group in _GROUPS:
        suffix = "" if group == "all" else "_70plus"
        columns = [c + suffix for c in REACH_CLASSES]
        if not set(columns) <= set(reach.columns):
            continue
        sums = reach.groupby(keys, sort=True, observed=True)[columns].sum()
        sums.columns = list(REACH_CLASSES)
        long = sums.stack().rename("people").reset_index()
        long = long.rename(columns={f"level_{len(keys)}": "class"})
        total = long.groupby(keys, sort=False)["people"].transform("sum")
        long["share"] = np.where(total > 0, long["people"] / total.where(total > 0, 1), np.nan)
        frames.append(long.assign(group=group))
    out = pd.concat(frames, ignore_index=True)
    out["class"] = pd.Categorical(out["class"], REACH_CLASSES)
    out["group"] = pd.Categorical(out["group"], list(_GROUPS))
    out = out.sort_values([*keys, "group", "class"], ignore_index=True)
    out["class"] = out["class"].astype(str)
    out["group"] = out["group"].astype(str)
    for key in keys:  # plain columns for tables (digital_reach's texts are categoricals)
        if isinstance(out[key].dtype, pd.CategoricalDtype):
            out[key] = out[key].astype(out[key].cat.categories.dtype)
    return out[[*keys, "group", "class", "people", "share"]]


def publishable_reach(
    counts: pd.DataFrame,
    *,
    by: str | Sequence[str] | None = "municipality_code",
    limit: int = SUPPRESSION_LIMIT,
) -> pd.DataFrame:
    """The :func:`reach_counts` table rounded to whole people, small counts masked.

    Parameters
    ----------
    counts : DataFrame
        Output of :func:`reach_counts`.
    by : str, list of str or None, default "municipality_code"
    limit : int, default 5

    Returns
    -------
    DataFrame
        A copy with ``people`` rounded to whole people, masked people and
        share NaN, ``status`` "suppressed" and ``suppression`` "primary",
        "secondary" or "", and ``total``: the area's people in the group
        (the four classes together; NaN when it is itself a small count),
        which the masking assumes known.

    Notes
    -----
    Expected counts are rounded first (a published 3.4 people is still
    about 3). Masked, until nothing changes (:func:`ehalsa_analys.disclosure.suppress`):
    a count of 1 to ``limit − 1`` people, and every class (zeros too) of an
    area whose group holds so few people; the four classes of an area,
    threshold and group add up to its people, so a lone masked class takes
    another with it (secondary); likewise the county's total per class
    (the sum over its municipalities); and a 70+ count whose difference
    from the class's count for everyone is small (the people under 70 in
    the class) is masked too.

    Example
    -------
    >>> c = pd.DataFrame({"municipality_code": "1880", "kind": "apotek", "threshold": 10.0,
    ...     "unit": "min", "group": "all", "class": ["near", "far_connected",
    ...     "far_unconnected", "unknown"], "people": [90.2, 30.0, 2.4, 0.0]})
    >>> publishable_reach(c)["people"].tolist()
    [90.0, nan, nan, 0.0]
    """
    keys = [*_keys(by), "kind", "threshold", "unit"]
    require_columns(counts, "counts", [*keys, "group", "class", "people"],
                    hint="pass the output of access.reach_counts")
    out = counts.reset_index(drop=True).copy()
    out["people"] = out["people"].round(0)
    total = out.groupby([*keys, "group"], sort=False)["people"].transform("sum").to_numpy()
    forced = (total.round(6) >= 1) & (total.round(6) < limit)  # an area of a few: all of it
    groups = [[*keys, "group"], ["kind", "threshold", "unit", "group", "class"]]
    mask_with = ["share"] if "share" in out else []
    while True:
        work = out.copy()
        work.loc[forced, "people"] = 1.0  # already known to be masked: mask it again
        done = suppress(work, counts=["people"], limit=limit, groups=groups,
                        mask_with=mask_with, status="status")
        masked = done["people"].isna().to_numpy()
        # The people under 70 in a class: "all" minus "70+", both published.
        pair_keys = [*keys, "class"]
        both = out.assign(_m=masked).pivot_table(index=pair_keys, columns="group",
                                                 values=["people", "_m"], aggfunc="first",
                                                 observed=True)
        if "70+" not in out["group"].to_numpy():
            break
        diff = both[("people", "all")] - both[("people", "70+")]
        open_pair = ~both[("_m", "all")].astype(bool) & ~both[("_m", "70+")].astype(bool)
        small = open_pair & (diff.round(6) >= 1) & (diff.round(6) < limit)
        if not small.any():
            break
        index = out.set_index(pair_keys).index
        hit = index.isin(small[small].index) & (out["group"] == "70+").to_numpy()
        if (forced | hit).sum() == forced.sum():
            break
        forced |= hit
    result = out.copy()
    result["people"] = done["people"]
    for column in mask_with:
        result[column] = done[column]
    result["status"] = done["status"]
    result["total"] = np.where((total.round(6) >= 1) & (total.round(6) < limit), np.nan,
                               total.round(0))
    result["suppression"] = done["suppression"]
    return result
