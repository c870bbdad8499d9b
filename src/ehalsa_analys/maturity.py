"""LIKA maturity: scores, maturity index, gaps, dispersion, development areas, change, peers.

Pure functions over a ``lika_responses`` table (:mod:`ehalsa_analys.schemas`, built by
:func:`ehalsa_analys.load.lika`) or the scores computed from it. Inputs are never changed; each
output has documented columns, sorted by its keys (areas and dimensions in LIKA's order) with a
fresh index. A NaN ``score`` ("Ej relevant" or blank) is counted (``n_unscored``) but left out of
every mean, never taken as the lowest level. Overview and literature: docs/methods.md.

Example
-------
>>> r = pd.DataFrame({"municipality_code": "1880", "dimension": ["Ledning", "Ledning", "Kompetens"],
...                   "indicator_id": ["L1", "L2", "K1"], "score": [1.0, 0.5, None]})
>>> scores(r, ci=None)[["dimension", "score", "n_scored", "n_unscored"]]
   dimension  score  n_scored  n_unscored
0    Ledning   0.75         2           0
1  Kompetens    NaN         0           1
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.cluster import hierarchy
from scipy.spatial.distance import pdist, squareform

from .errors import SchemaError, check_choice
from .schemas import AREAS, DIMENSIONS, require_columns

__all__ = [
    "REFERENCES",
    "PEER_METHODS",
    "scores",
    "maturity_index",
    "gaps",
    "dispersion",
    "weakest_indicators",
    "development_areas",
    "change",
    "peer_groups",
    "peer_profiles",
]

#: The references :func:`gaps` measures against.
REFERENCES = ("county", "nation", "best", "target")
#: Clustering methods :func:`peer_groups` accepts (scipy's linkage methods on Euclidean distances).
PEER_METHODS = ("ward", "average", "complete", "single")

_MEASURES = ("score", "index", "ci_low", "ci_high", "n_scored", "n_unscored")
_ORDER = {"area": AREAS, "dimension": DIMENSIONS}
_UNIT_KEYS = ("municipality_code", "assessed_on")
_TIE_BREAK = ("municipality_code", "assessed_on", "indicator_id")
_CHUNK = 1_000_000  # bootstrap draws per block: fits in cache, bounds memory
_MAX_K = 6


# --------------------------------------------------------------------------- checks


_check_choice = check_choice


def _as_keys(name: str, by: Any) -> list[str]:
    if by is None:
        keys: list[Any] = []
    elif isinstance(by, str):
        keys = [by]
    else:
        try:
            keys = list(by)
        except TypeError:
            keys = [by]
    if not all(isinstance(key, str) for key in keys):
        raise ValueError(
            f"`{name}` must be a column name or a sequence of column names, but {by!r} was passed."
        )
    if len(set(keys)) != len(keys):
        raise ValueError(f"`{name}` names a column more than once: {by!r}.")
    clash = [key for key in keys if key in _MEASURES]
    if clash:
        raise ValueError(f"`{name}` may not contain {clash}: these are output columns, not keys.")
    return keys


def _require_key_columns(data: pd.DataFrame, name: str, argument: str, keys: list[str]) -> None:
    missing = [key for key in keys if key not in data.columns]
    if missing:
        raise ValueError(
            f"`{argument}` names {missing}, not a column of `{name}`; it has {list(data.columns)}."
        )


def _values(data: pd.DataFrame, column: str, name: str, *, unit_range: bool) -> np.ndarray:
    """``data[column]`` as float64 (NaN = missing); refuses text and, if asked, values off 0–1."""
    series = data[column]
    if series.dtype == object:  # numbers and None after a concat: fine; text is not
        numeric = pd.to_numeric(series, errors="coerce")
        if not (numeric.notna() | series.isna()).all() or series.map(type).eq(bool).any():
            numeric = series
        series = numeric
    if pd.api.types.is_bool_dtype(series) or not pd.api.types.is_numeric_dtype(series):
        raise SchemaError(
            f"Column {column!r} of `{name}` must be numeric, but it has dtype {series.dtype}",
            column=column,
            hint="map the LIKA statuses to scores in 0–1 (the loader does this)",
        )
    values = series.to_numpy(dtype="float64", na_value=np.nan)
    if unit_range:
        bad = ~np.isnan(values) & ((values < 0) | (values > 1))
        if bad.any():
            first = int(np.flatnonzero(bad)[0])
            raise SchemaError(
                f"Column {column!r} of `{name}` must lie in 0–1, but index "
                f"{series.index[first]!r} has {values[first]!r}",
                column=column,
                value=values[first],
                hint="scores are 0–1; divide 0–100 values by 100",
            )
    return values


def _check_ci(ci: Any) -> None:
    if ci is None:
        return
    if isinstance(ci, bool) or not isinstance(ci, int | float) or not 0 < ci < 1:
        raise ValueError(
            f"`ci` must be a number between 0 and 1 (e.g. 0.95) or None, but {ci!r} was passed."
        )


def _check_n_boot(n_boot: Any) -> None:
    if isinstance(n_boot, bool) or not isinstance(n_boot, int | np.integer) or n_boot < 2:
        raise ValueError(f"`n_boot` must be an integer of at least 2, but {n_boot!r} was passed.")


def _check_threshold(threshold: Any) -> None:
    if (
        isinstance(threshold, bool)
        or not isinstance(threshold, int | float | np.floating)
        or not 0 <= threshold <= 1
    ):
        raise ValueError(
            f"`threshold` must be a score between 0 and 1, but {threshold!r} was passed."
        )


def _check_count(name: str, value: Any, *, allow_none: bool) -> None:
    if value is None and allow_none:
        return
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1:
        what = "a positive integer or None" if allow_none else "a positive integer"
        raise ValueError(f"`{name}` must be {what}, but {value!r} was passed.")


def _check_one_round(
    responses: pd.DataFrame, keys: list[str], name: str = "responses", *, by_hint: bool = True
) -> None:
    """Refuse several assessment dates per municipality unless assessed_on is a key."""
    if "assessed_on" in keys or not set(_UNIT_KEYS) <= set(responses.columns):
        return
    several = _several_rounds(responses)
    if several:
        more = f" and {len(several) - 10} more" if len(several) > 10 else ""
        shown = ", ".join(several[:10]) + more
        raise ValueError(
            f"`{name}` holds several assessment rounds (assessed_on dates) for the "
            f"municipalities {shown}. Filter one round, e.g. "
            f"{name}[{name}['assessed_on'] == ...]"
            + (", or add 'assessed_on' to `by`." if by_hint else ".")
        )


def _several_rounds(responses: pd.DataFrame) -> list[str]:
    if not set(_UNIT_KEYS) <= set(responses.columns) or responses.empty:
        return []
    rounds = responses.groupby("municipality_code", sort=True)["assessed_on"].nunique(dropna=False)
    return [str(code) for code in rounds.index[rounds > 1]]


# --------------------------------------------------------------------------- weights


def _weight_table(weights: Any, name: str) -> pd.Series | None:
    """The weights as a float Series indexed by indicator_id, or None when all are equal."""
    if weights is None:
        return None
    if isinstance(weights, pd.DataFrame):
        require_columns(weights, name, ["indicator_id"])
        if "weight" not in weights.columns:
            return None
        table = pd.Series(weights["weight"].to_numpy(), index=weights["indicator_id"].to_numpy())
    elif isinstance(weights, pd.Series):
        table = weights
    elif isinstance(weights, Mapping):
        table = pd.Series(dict(weights), dtype="object")
    else:
        raise ValueError(
            f"`{name}` must be an instrument table (indicator_id, weight), a Series or a "
            f"mapping from indicator_id to weight, or None, but a {type(weights).__name__} "
            "was passed."
        )
    numeric = pd.to_numeric(table, errors="coerce")
    text = numeric.isna() & table.notna()
    if text.any():
        raise ValueError(
            f"`{name}` has weights that are not numbers: {table[text].head(5).to_dict()}."
        )
    numeric = numeric.astype("float64").fillna(1.0)  # an instrument's blank weight means 1
    bad = ~np.isfinite(numeric) | (numeric <= 0)
    if bad.any():
        raise ValueError(
            f"`{name}` must have finite weights > 0, but has {numeric[bad].head(5).to_dict()}."
        )
    numeric.index = numeric.index.astype(str)
    dup = numeric.index.duplicated(keep=False)
    if dup.any():
        conflicting = numeric[dup].groupby(level=0).nunique()
        if (conflicting > 1).any():
            raise ValueError(
                f"`{name}` gives different weights to the same indicator_id: "
                f"{sorted(conflicting.index[conflicting > 1])[:5]}."
            )
        numeric = numeric[~numeric.index.duplicated()]
    return numeric


def _row_weights(ids: pd.Series, table: pd.Series | None, name: str) -> np.ndarray | None:
    if table is None:
        return None
    position = table.index.get_indexer(ids.astype(str))
    missing = position < 0
    if missing.any():
        absent = sorted(set(ids[missing].astype(str)))
        raise ValueError(
            f"`{name}` has no weight for the indicator_id(s) {absent[:5]}"
            f"{f' and {len(absent) - 5} more' if len(absent) > 5 else ''}; "
            f"give every indicator in the responses a weight."
        )
    weights = table.to_numpy()[position]
    return None if np.all(weights == weights[0]) else weights


def _category_weights(name: str, weights: Any, allowed: Iterable[str]) -> dict[str, float]:
    if weights is None:
        return {}
    if isinstance(weights, pd.Series):
        weights = weights.to_dict()
    if not isinstance(weights, Mapping):
        raise ValueError(
            f"`{name}` must be a mapping or Series from name to weight, "
            f"but a {type(weights).__name__} was passed."
        )
    allowed = list(allowed)
    unknown = [key for key in weights if key not in allowed]
    if unknown:
        raise ValueError(f"`{name}` names {unknown}; the known values are {allowed}.")
    out = {}
    for key, weight in weights.items():
        if isinstance(weight, bool) or not isinstance(weight, int | float | np.number):
            raise ValueError(f"`{name}` must map to numbers, but {key!r} has {weight!r}.")
        if not np.isfinite(weight) or weight <= 0:
            raise ValueError(f"`{name}` must have finite weights > 0, but {key!r} has {weight!r}.")
        out[key] = float(weight)
    return out


def _known(column: pd.Series, order: Iterable[str]) -> list[str]:
    order = list(order)
    return [*order, *sorted(set(map(str, column.dropna().unique())) - set(order))]


# --------------------------------------------------------------------------- sorting


def _order_key(column: pd.Series) -> pd.Series:
    known = _ORDER.get(column.name)
    if known is None:
        return column
    others = sorted(set(map(str, column.dropna().unique())) - set(known))
    return pd.Series(
        pd.Categorical(column, categories=[*known, *others], ordered=True), index=column.index
    )


def _sorted(data: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Sort by ``columns``, areas and dimensions in LIKA's order, with a fresh index."""
    if not columns or data.empty:
        return data.reset_index(drop=True)
    return data.sort_values(columns, key=_order_key, kind="stable").reset_index(drop=True)


# --------------------------------------------------------------------------- bootstrap


def _bootstrap(
    values: np.ndarray,
    weights: np.ndarray | None,
    sizes: np.ndarray,
    n_boot: int,
    rng: np.random.Generator,
) -> np.ndarray:
    """Weighted means of ``n_boot`` resamples of each group, as an (n_boot, groups) array.

    ``values`` (and ``weights``) hold the groups one after the other, each of size >= 1; all
    groups and a block of replicates are drawn in one array operation.
    """
    n = int(sizes.sum())
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    out = np.empty((n_boot, sizes.size))
    small = sizes.max() < 2**16  # float32 draws are exact enough and twice as fast
    dtype, itype = (np.float32, np.int32) if small and n < 2**31 else (np.float64, np.int64)
    pos_size = np.repeat(sizes, sizes)
    pos_size_f = pos_size.astype(dtype)
    pos_last = (pos_size - 1).astype(itype)
    pos_start = np.repeat(starts, sizes).astype(itype)
    weighted = values if weights is None else values * weights
    block = max(1, _CHUNK // max(n, 1))
    for first in range(0, n_boot, block):
        count = min(block, n_boot - first)
        draw = rng.random((count, n), dtype=dtype)
        draw *= pos_size_f
        index = draw.astype(itype)
        np.minimum(index, pos_last, out=index)  # guard against rounding up to size
        index += pos_start
        total = np.add.reduceat(weighted[index], starts, axis=1)
        if weights is None:
            out[first : first + count] = total / sizes
        else:
            out[first : first + count] = total / np.add.reduceat(weights[index], starts, axis=1)
    return out


def _interval(boot: np.ndarray, ci: float) -> tuple[np.ndarray, np.ndarray]:
    if boot.shape[1] == 0:
        return np.empty(0), np.empty(0)
    low, high = np.quantile(boot, [(1 - ci) / 2, (1 + ci) / 2], axis=0)
    return low, high


class _Stats(NamedTuple):
    groups: pd.DataFrame  # key columns, sorted, fresh index
    score: np.ndarray
    n_scored: np.ndarray
    n_unscored: np.ndarray
    boot: np.ndarray | None  # (n_boot, groups); NaN columns for groups below min_size


def _group_stats(
    responses: pd.DataFrame,
    keys: list[str],
    weights: pd.Series | None,
    *,
    n_boot: int,
    rng: np.random.Generator | None,
    min_size: int = 2,
    name: str = "responses",
    weights_name: str = "weights",
) -> _Stats:
    """Weighted mean per group of ``keys``, counts, and (if rng) bootstrap replicates."""
    tie = [col for col in _TIE_BREAK if col in responses.columns and col not in keys]
    frame = responses[keys + tie].copy()
    frame["_score"] = _values(responses, "score", name, unit_range=True)
    row_weights = (
        None if weights is None else _row_weights(responses["indicator_id"], weights, weights_name)
    )
    if row_weights is not None:
        frame["_weight"] = row_weights
    frame = _sorted(frame, keys + tie)
    if keys:
        gid = frame.groupby(keys, sort=False, dropna=False).ngroup().to_numpy()
    else:
        gid = np.zeros(len(frame), dtype=np.int64)
    n_groups = int(gid.max()) + 1 if len(gid) else 0
    first_rows = np.flatnonzero(np.r_[True, gid[1:] != gid[:-1]]) if len(gid) else np.empty(0, int)
    groups = frame.loc[first_rows, keys].reset_index(drop=True)
    if not keys:
        groups = pd.DataFrame(index=range(n_groups))

    score = frame["_score"].to_numpy()
    scored = ~np.isnan(score)
    weight = frame["_weight"].to_numpy() if "_weight" in frame.columns else None
    g_s, s = gid[scored], score[scored]
    w = None if weight is None else weight[scored]
    n_scored = np.bincount(g_s, minlength=n_groups)
    n_unscored = np.bincount(gid[~scored], minlength=n_groups)
    total = np.bincount(g_s, weights=s if w is None else s * w, minlength=n_groups)
    norm = n_scored.astype(float) if w is None else np.bincount(g_s, weights=w, minlength=n_groups)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(n_scored > 0, total / norm, np.nan)

    boot = None
    if rng is not None:
        boot = np.full((n_boot, n_groups), np.nan)
        eligible = n_scored >= min_size
        if eligible.any():
            take = eligible[g_s]
            boot[:, eligible] = _bootstrap(
                s[take], None if w is None else w[take], n_scored[eligible], n_boot, rng
            )
    return _Stats(groups, mean, n_scored, n_unscored, boot)


# --------------------------------------------------------------------------- scores


def scores(
    responses: pd.DataFrame,
    *,
    by: Iterable[str] | str = ("municipality_code", "dimension"),
    weights: pd.DataFrame | pd.Series | Mapping[str, float] | None = None,
    ci: float | None = 0.95,
    n_boot: int = 1000,
    seed: int = 0,
) -> pd.DataFrame:
    """Return the weighted mean LIKA score per group, with counts and a bootstrap interval.

    Parameters
    ----------
    responses : DataFrame
        A ``lika_responses`` table. Only the columns used are checked, and that ``score`` is
        numeric within 0–1; validating the whole table is the loader's job.
    by : str or sequence of str, default ("municipality_code", "dimension")
        Group columns. Without "assessed_on", each municipality must have a single assessment
        date (one round); :func:`change` compares two rounds.
    weights : DataFrame, Series, mapping or None
        Indicator weights: an instrument table (indicator_id, weight; a missing or NaN weight
        means 1) or weights keyed by indicator_id; None weighs all alike. Weights must be finite
        and > 0, and every indicator of ``responses`` needs one: a table that does not cover the
        responses is an error, never patched silently.
    ci : float or None, default 0.95
        Coverage of the bootstrap interval; None skips the bootstrap (the interval is then NaN).
    n_boot : int, default 1000
        Bootstrap replicates.
    seed : int, default 0
        Seed of ``numpy.random.default_rng``; the same seed gives the same interval.

    Returns
    -------
    DataFrame
        Columns: *by, score, ci_low, ci_high, n_scored, n_unscored. ``score`` is NaN for a group
        with no scored indicator, the interval for one with fewer than 2.

    Raises
    ------
    ValueError
        An invalid argument (the message names it), or several rounds without "assessed_on" in
        ``by``.
    SchemaError
        ``responses`` lacks a needed column or has scores outside 0–1.

    Notes
    -----
    The score is ``sum(w * s) / sum(w)`` over the group's scored indicators. The interval is a
    percentile bootstrap over indicators: each replicate resamples the group's scored indicators
    with replacement (as many as there are) and takes their weighted mean; ``ci_low`` and
    ``ci_high`` are the ``(1 - ci) / 2`` and ``(1 + ci) / 2`` quantiles of the replicates (linear
    interpolation, no bias correction). It treats the indicators as exchangeable: it shows how
    much the score depends on which indicators were asked, not rating error. Rows are sorted by
    key, municipality, date and indicator before drawing, so the input's row order does not matter.

    Example
    -------
    >>> r = pd.DataFrame({"municipality_code": "1880", "dimension": "Ledning",
    ...                   "indicator_id": ["L1", "L2"], "score": [1.0, 0.25]})
    >>> scores(r, weights={"L1": 3, "L2": 1}, ci=None)[["municipality_code", "score"]]
      municipality_code   score
    0              1880  0.8125
    """
    keys = _as_keys("by", by)
    needs = ["score"] + (["indicator_id"] if weights is not None else [])
    require_columns(responses, "responses", needs)
    _require_key_columns(responses, "responses", "by", keys)
    _check_ci(ci)
    _check_n_boot(n_boot)
    _check_one_round(responses, keys)
    table = _weight_table(weights, "weights")
    return _scores(responses, keys, table, ci=ci, n_boot=n_boot, seed=seed)


def _scores(
    responses: pd.DataFrame,
    keys: list[str],
    table: pd.Series | None,
    *,
    ci: float | None,
    n_boot: int,
    seed: int,
    weights_name: str = "weights",
) -> pd.DataFrame:
    rng = np.random.default_rng(seed) if ci is not None else None
    stats = _group_stats(responses, keys, table, n_boot=n_boot, rng=rng, weights_name=weights_name)
    low = high = np.full(len(stats.score), np.nan)
    if stats.boot is not None:
        eligible = stats.n_scored >= 2
        low, high = low.copy(), high.copy()
        low[eligible], high[eligible] = _interval(stats.boot[:, eligible], ci)
    out = stats.groups.copy()
    out["score"] = stats.score
    out["ci_low"] = low
    out["ci_high"] = high
    out["n_scored"] = stats.n_scored.astype("int64")
    out["n_unscored"] = stats.n_unscored.astype("int64")
    return out


def maturity_index(
    responses: pd.DataFrame,
    *,
    weights: pd.DataFrame | pd.Series | Mapping[str, float] | None = None,
    dimension_weights: Mapping[str, float] | pd.Series | None = None,
    area_weights: Mapping[str, float] | pd.Series | None = None,
    ci: float | None = 0.95,
    n_boot: int = 1000,
    seed: int = 0,
) -> pd.DataFrame:
    """Return one maturity index (0–1) per municipality, every area × dimension cell weighted alike.

    Parameters
    ----------
    responses : DataFrame
        A ``lika_responses`` table.
    weights
        Indicator weights within cells, as in :func:`scores`.
    dimension_weights, area_weights : mapping or Series, optional
        Weight > 0 per dimension / area; the ones left out weigh 1. To leave a dimension out,
        filter ``responses``.
    ci, n_boot, seed
        As in :func:`scores`.

    Returns
    -------
    DataFrame
        Columns: municipality_code, [assessed_on], index, ci_low, ci_high, n_scored, n_unscored.
        ``assessed_on`` is there when some municipality has several assessment dates; each row is
        then one round.

    Notes
    -----
    Each area × dimension cell is scored as in :func:`scores`. The index is the weighted mean of
    the cells that have a scored indicator, with cell weight
    ``area_weights[area] * dimension_weights[dimension]`` renormalised over those cells, so a cell
    with many indicators counts no more than one with few. The interval is a bootstrap stratified
    by cell: indicators are resampled within their cell.

    Example
    -------
    >>> r = pd.DataFrame({"municipality_code": "1880", "area": "Äldreomsorg",
    ...     "dimension": ["Ledning", "Ledning", "Ledning", "Kompetens"],
    ...     "indicator_id": ["L1", "L2", "L3", "K1"], "score": [1.0, 1.0, 1.0, 0.0]})
    >>> maturity_index(r, ci=None)[["municipality_code", "index", "n_scored"]]
      municipality_code  index  n_scored
    0              1880    0.5         4
    """
    require_columns(
        responses,
        "responses",
        ["municipality_code", "area", "dimension", "score"]
        + (["indicator_id"] if weights is not None else []),
    )
    _check_ci(ci)
    _check_n_boot(n_boot)
    table = _weight_table(weights, "weights")
    dim_w = _category_weights(
        "dimension_weights", dimension_weights, _known(responses["dimension"], DIMENSIONS)
    )
    area_w = _category_weights("area_weights", area_weights, _known(responses["area"], AREAS))
    unit = ["municipality_code"] + (["assessed_on"] if _several_rounds(responses) else [])
    rng = np.random.default_rng(seed) if ci is not None else None
    cells = _group_stats(
        responses, unit + ["area", "dimension"], table, n_boot=n_boot, rng=rng, min_size=1
    )
    groups = cells.groups
    cell_w = groups["dimension"].map(lambda d: dim_w.get(d, 1.0)).to_numpy(dtype=float) * groups[
        "area"
    ].map(lambda a: area_w.get(a, 1.0)).to_numpy(dtype=float)
    uid = groups.groupby(unit, sort=False, dropna=False).ngroup().to_numpy()
    n_units = int(uid.max()) + 1 if len(uid) else 0
    has = cells.n_scored > 0
    w = np.where(has, cell_w, 0.0)
    norm = np.bincount(uid, weights=w, minlength=n_units)
    total = np.bincount(uid, weights=np.where(has, cells.score, 0.0) * w, minlength=n_units)
    n_scored = np.bincount(uid, weights=cells.n_scored, minlength=n_units).astype("int64")
    n_unscored = np.bincount(uid, weights=cells.n_unscored, minlength=n_units).astype("int64")
    with np.errstate(invalid="ignore", divide="ignore"):
        index = np.where(norm > 0, total / norm, np.nan)

    low = np.full(n_units, np.nan)
    high = np.full(n_units, np.nan)
    if cells.boot is not None and has.any():
        cols = np.flatnonzero(has)
        mix = sparse.csr_matrix(
            (w[cols], (np.arange(cols.size), uid[cols])), shape=(cols.size, n_units)
        )
        boot = np.asarray((mix.T @ cells.boot[:, cols].T).T)
        with np.errstate(invalid="ignore", divide="ignore"):
            boot = boot / norm
        eligible = n_scored >= 2
        low[eligible], high[eligible] = _interval(boot[:, eligible], ci)

    first = np.flatnonzero(np.r_[True, uid[1:] != uid[:-1]]) if len(uid) else np.empty(0, int)
    out = groups.loc[first, unit].reset_index(drop=True)
    out["index"] = index
    out["ci_low"] = low
    out["ci_high"] = high
    out["n_scored"] = n_scored
    out["n_unscored"] = n_unscored
    return out


# --------------------------------------------------------------------------- gaps


def _score_keys(scores: pd.DataFrame, value: str) -> tuple[list[str], list[str]]:
    """Key columns of a scores table, and those municipalities are compared within."""
    keys = [col for col in scores.columns if col not in _MEASURES and col != value]
    peer = [key for key in keys if key not in _UNIT_KEYS]
    return keys, peer


def _check_value(scores: pd.DataFrame, value: Any, name: str = "scores") -> None:
    require_columns(scores, name, [])
    if not isinstance(value, str) or value not in scores.columns:
        raise ValueError(
            f"`value` must name a column of `{name}`, but {value!r} was passed; "
            f"it has {list(scores.columns)}."
        )


def _check_one_row_per_municipality(scores: pd.DataFrame, peer: list[str], argument: str) -> None:
    dup = scores.duplicated(["municipality_code", *peer], keep=False)
    if dup.any():
        row = scores.loc[dup, ["municipality_code", *peer]].iloc[0].to_dict()
        raise ValueError(
            f"`{argument}` has several rows for {row}. Keep one assessment round "
            f"(filter on assessed_on) or one row per municipality and "
            f"{peer or 'table'}."
        )


def _group_mean(values: pd.Series, groups: list[pd.Series], exclude_self: bool) -> np.ndarray:
    """Unweighted mean of each row's group (non-missing values; optionally without the row)."""
    frame = pd.DataFrame({f"_g{i}": g.to_numpy() for i, g in enumerate(groups)})
    frame["_v"] = values.to_numpy()
    grouped = frame.groupby([f"_g{i}" for i in range(len(groups))], dropna=False, sort=False)["_v"]
    total = grouped.transform("sum").to_numpy(dtype=float)
    count = grouped.transform("count").to_numpy(dtype=float)
    own = frame["_v"].to_numpy(dtype=float)
    if exclude_self:
        present = ~np.isnan(own)
        total = total - np.where(present, own, 0.0)
        count = count - present
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 0, total / count, np.nan)


def _best(
    values: pd.Series, codes: pd.Series, groups: list[pd.Series], exclude_self: bool
) -> tuple[np.ndarray, np.ndarray]:
    """Best value per group (ties: lowest code) and its municipality, per row."""
    names = [f"_g{i}" for i in range(len(groups))]
    frame = pd.DataFrame({name: g.to_numpy() for name, g in zip(names, groups, strict=True)})
    frame["_v"] = values.to_numpy(dtype=float)
    frame["_c"] = codes.astype(str).to_numpy()
    frame["_row"] = np.arange(len(frame))
    ranked = frame[frame["_v"].notna()].sort_values(
        [*names, "_v", "_c"], ascending=[True] * len(names) + [False, True], kind="stable"
    )
    ranked["_rank"] = ranked.groupby(names, sort=False, dropna=False).cumcount()
    top = ranked[ranked["_rank"] < 2]
    first = top[top["_rank"] == 0][[*names, "_v", "_c", "_row"]]
    second = top[top["_rank"] == 1][[*names, "_v", "_c"]]
    merged = frame[[*names, "_row"]].merge(
        first.rename(columns={"_v": "_v1", "_c": "_c1", "_row": "_row1"}), on=names, how="left"
    )
    merged = merged.merge(second.rename(columns={"_v": "_v2", "_c": "_c2"}), on=names, how="left")
    merged = merged.sort_values("_row").reset_index(drop=True)
    best_v = merged["_v1"].to_numpy(dtype=float)
    best_c = merged["_c1"].to_numpy(dtype=object)
    if exclude_self:
        is_best = (merged["_row1"] == merged["_row"]).to_numpy()
        best_v = np.where(is_best, merged["_v2"].to_numpy(dtype=float), best_v)
        best_c = np.where(is_best, merged["_c2"].to_numpy(dtype=object), best_c)
    best_c = np.array([None if pd.isna(c) else c for c in best_c], dtype=object)
    return best_v, best_c


def gaps(
    scores: pd.DataFrame,
    *,
    reference: str = "county",
    target: float | None = None,
    national: pd.DataFrame | None = None,
    exclude_self: bool = False,
    value: str = "score",
) -> pd.DataFrame:
    """Return each municipality's gap to a reference level, ``gap = value - reference_value``.

    A negative gap means behind. Municipalities are compared within the same keys other than
    municipality_code and assessed_on (e.g. the same dimension); the county is the first two digits
    of the code. Levels computed from ``scores`` are unweighted means of the non-missing values, as
    Kolada's group means (not weighted by population or by number of indicators). References, with
    the label in the ``reference`` column:

    ``"county"``
        The county's mean ("county"; with ``exclude_self`` the others', "county_others").
    ``"nation"``
        The ``national`` table ("national_table"); without one, when ``scores`` covers several
        counties, the mean of all its municipalities ("all_municipalities[_others]").
    ``"best"``
        The county's highest value ("best_in_county"; with ``exclude_self``
        "best_other_in_county"); ties go to the lowest code, given in ``best_municipality_code``.
    ``"target"``
        The constant ``target`` ("target").

    Parameters
    ----------
    scores : DataFrame
        :func:`scores` or :func:`maturity_index` output for one round. Every column that is not a
        measure (score, index, ci_low, ci_high, n_scored, n_unscored, ``value``) is a key: drop
        other columns, such as a merged municipality name, first.
    reference : {"county", "nation", "best", "target"}, default "county"
    target : float, optional
        Required for ``reference="target"``, refused otherwise.
    national : DataFrame, optional
        For ``reference="nation"``: the keys other than municipality_code and assessed_on and
        ``value``, one row per key.
    exclude_self : bool, default False
        Leave the municipality itself out of county, computed national and best references;
        refused with a target or a national table.
    value : str, default "score"
        The column compared ("index" for :func:`maturity_index` output).

    Returns
    -------
    DataFrame
        Columns: *keys, ``value``, reference, reference_value, gap, gap_low, gap_high (and
        best_municipality_code for "best"). ``gap_low``/``gap_high`` are ci_low/ci_high minus the
        reference taken as fixed, its own uncertainty ignored (NaN without an interval).

    Example
    -------
    >>> s = pd.DataFrame({"municipality_code": ["1880", "1881"], "dimension": "Ledning",
    ...                   "score": [0.8, 0.4]})
    >>> gaps(s)[["municipality_code", "reference", "reference_value", "gap"]]
      municipality_code reference  reference_value  gap
    0              1880    county              0.6  0.2
    1              1881    county              0.6 -0.2
    """
    _check_choice("reference", REFERENCES, reference)
    _check_value(scores, value)
    require_columns(scores, "scores", ["municipality_code"])
    if not isinstance(exclude_self, bool | np.bool_):
        raise ValueError(f"`exclude_self` must be True or False, but {exclude_self!r} was passed.")
    if reference == "target":
        if target is None:
            raise ValueError("`target` is required when reference='target'; pass e.g. target=0.75.")
        if (
            isinstance(target, bool)
            or not isinstance(target, int | float | np.number)
            or not np.isfinite(target)
        ):
            raise ValueError(f"`target` must be a finite number, but {target!r} was passed.")
    elif target is not None:
        raise ValueError(
            f"`target` is used only with reference='target', but reference={reference!r}."
        )
    if national is not None and reference != "nation":
        raise ValueError(
            f"`national` is used only with reference='nation', but reference={reference!r}."
        )
    if exclude_self and (reference == "target" or national is not None):
        raise ValueError(
            "`exclude_self` applies only to references computed from `scores` "
            "(county, best, or nation without a `national` table)."
        )
    keys, peer = _score_keys(scores, value)
    _check_one_row_per_municipality(scores, peer, "scores")
    data = _sorted(scores, keys)
    values = pd.Series(_values(data, value, "scores", unit_range=False))
    codes = data["municipality_code"].astype(str)
    county = codes.str[:2]
    peers = [data[key] for key in peer]
    best_code = None

    if reference == "county":
        ref = _group_mean(values, [county, *peers], exclude_self)
        label = "county_others" if exclude_self else "county"
    elif reference == "best":
        ref, best_code = _best(values, codes, [county, *peers], exclude_self)
        label = "best_other_in_county" if exclude_self else "best_in_county"
    elif reference == "target":
        ref = np.full(len(data), float(target))
        label = "target"
    elif national is None:
        if county.nunique() < 2:
            raise ValueError(
                "reference='nation' needs `national` (a table of national values) when "
                "`scores` covers only one county."
            )
        ref = _group_mean(values, [pd.Series("all", index=data.index), *peers], exclude_self)
        label = "all_municipalities_others" if exclude_self else "all_municipalities"
    else:
        ref = _national_values(national, data, peer, value)
        label = "national_table"

    out = data[keys].copy()
    out[value] = values.to_numpy()
    out["reference"] = label
    out["reference_value"] = ref
    out["gap"] = out[value] - ref
    for bound, col in (("ci_low", "gap_low"), ("ci_high", "gap_high")):
        out[col] = (data[bound].to_numpy(dtype=float) - ref) if bound in data.columns else np.nan
    if reference == "best":
        out["best_municipality_code"] = best_code
    return out


def _national_values(national: Any, data: pd.DataFrame, peer: list[str], value: str) -> np.ndarray:
    require_columns(national, "national", [*peer, value])
    table = national[[*peer, value]]
    if table.duplicated(peer).any():
        raise ValueError(f"`national` must have one row per {peer or 'table'}, but has duplicates.")
    if not peer:
        if len(table) != 1:
            raise ValueError(
                f"`national` must have exactly one row of {value!r} here, but has {len(table)}."
            )
        return np.full(len(data), float(_values(table, value, "national", unit_range=False)[0]))
    table = table.assign(_ref=_values(table, value, "national", unit_range=False))
    merged = data[peer].merge(table[[*peer, "_ref"]], on=peer, how="left", indicator=True)
    absent = merged["_merge"] == "left_only"
    if absent.any():
        missing = merged.loc[absent, peer].drop_duplicates().head(5).to_dict("records")
        raise ValueError(f"`national` has no row for {missing}; add them or filter `scores`.")
    return merged["_ref"].to_numpy(dtype=float)


# --------------------------------------------------------------------------- dispersion


def dispersion(
    scores: pd.DataFrame, *, by: Iterable[str] | str | None = "dimension", value: str = "score"
) -> pd.DataFrame:
    """Return how far apart the municipalities are per group: spread and Gini of ``value``.

    Parameters
    ----------
    scores : DataFrame
        One row per municipality and group, e.g. :func:`scores` output.
    by : str, sequence of str or None, default "dimension"
        Group columns; None or () for one overall row.
    value : str, default "score"

    Returns
    -------
    DataFrame
        Columns: *by, n (non-missing values), mean, min, max, range, q1, q3, iqr, std, gini.

    Notes
    -----
    ``std`` has ddof=1 (NaN for n < 2); ``q1`` and ``q3`` interpolate linearly (numpy's and
    pandas' default). ``gini`` is the mean absolute difference over all ordered pairs, each value
    with itself included, over twice the mean: ``sum_ij |x_i - x_j| / (2 n**2 mean)``; 0 when all
    values are equal, NaN with a negative value or a zero mean.

    Example
    -------
    >>> s = pd.DataFrame({"dimension": "Ledning", "score": [0.2, 0.4, 0.6]})
    >>> dispersion(s)[["dimension", "n", "range", "iqr", "std"]].round(3)
      dimension  n  range  iqr  std
    0   Ledning  3    0.4  0.2  0.2
    """
    keys = _as_keys("by", by)
    _check_value(scores, value)
    _require_key_columns(scores, "scores", "by", keys)
    if "municipality_code" in scores.columns and "municipality_code" not in keys:
        _check_one_row_per_municipality(scores, keys, "scores")
    frame = scores[keys].copy()
    frame["_v"] = _values(scores, value, "scores", unit_range=False)
    frame = _sorted(frame, keys + ["_v"])
    if keys:
        gid = frame.groupby(keys, sort=False, dropna=False).ngroup().to_numpy()
    else:
        gid = np.zeros(len(frame), dtype=np.int64)
    n_groups = int(gid.max()) + 1 if len(gid) else (0 if keys else 1)
    first = np.flatnonzero(np.r_[True, gid[1:] != gid[:-1]]) if len(gid) else np.empty(0, int)
    if keys:
        out = frame.loc[first, keys].reset_index(drop=True)
    else:
        out = pd.DataFrame(index=range(n_groups))

    v = frame["_v"]
    grouped = v.groupby(gid, sort=True)
    stats = pd.DataFrame(index=range(n_groups))
    stats["n"] = grouped.count().reindex(stats.index, fill_value=0).astype("int64")
    stats["mean"] = grouped.mean().reindex(stats.index)
    stats["min"] = grouped.min().reindex(stats.index)
    stats["max"] = grouped.max().reindex(stats.index)
    stats["range"] = stats["max"] - stats["min"]
    stats["q1"] = grouped.quantile(0.25).reindex(stats.index)
    stats["q3"] = grouped.quantile(0.75).reindex(stats.index)
    stats["iqr"] = stats["q3"] - stats["q1"]
    stats["std"] = grouped.std(ddof=1).reindex(stats.index)
    stats["gini"] = _gini(v.to_numpy(), gid, n_groups)
    for col in stats.columns:
        out[col] = stats[col].to_numpy()
    return out


def _gini(values: np.ndarray, gid: np.ndarray, n_groups: int) -> np.ndarray:
    """Gini per group; ``values`` sorted ascending within each contiguous group (NaN last)."""
    ok = ~np.isnan(values)
    g, x = gid[ok], values[ok]
    n = np.bincount(g, minlength=n_groups)
    if x.size == 0:
        return np.full(n_groups, np.nan)
    starts = np.concatenate([[0], np.cumsum(n)[:-1]])
    rank = np.arange(x.size) - np.repeat(starts, n) + 1  # 1..n within the group
    size = np.repeat(n, n)
    # sum_ij |x_i - x_j| = 2 * sum_i (2 i - n - 1) x_(i) for sorted x
    half = np.bincount(g, weights=(2 * rank - size - 1) * x, minlength=n_groups)
    total = np.bincount(g, weights=x, minlength=n_groups)
    negative = np.bincount(g, weights=(x < 0).astype(float), minlength=n_groups) > 0
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = total / n
        gini = half / (n.astype(float) ** 2 * mean)
    return np.where((n > 0) & (mean > 0) & ~negative, gini, np.nan)


# --------------------------------------------------------------------------- development areas


def _area_keys(by: Any) -> list[str]:
    keys = _as_keys("by", by)
    bad = [key for key in keys if key not in ("area", "dimension")]
    if bad:
        raise ValueError(f"`by` may contain only 'area' and 'dimension', but {by!r} was passed.")
    return keys


def _instrument(instrument: Any) -> pd.DataFrame | None:
    if instrument is None:
        return None
    require_columns(instrument, "instrument", ["indicator_id"])
    ids = instrument["indicator_id"].astype(str)
    if ids.duplicated().any():
        raise ValueError(
            f"`instrument` has duplicate indicator_id(s) {sorted(set(ids[ids.duplicated()]))[:5]}."
        )
    out = pd.DataFrame({"indicator_id": ids.to_numpy()})
    for col in ("text", "suggested_activity"):
        out[col] = instrument[col].to_numpy(dtype=object) if col in instrument.columns else None
    return out


def weakest_indicators(
    responses: pd.DataFrame,
    *,
    instrument: pd.DataFrame | None = None,
    n: int | None = None,
    by: Iterable[str] | str = ("dimension",),
    threshold: float = 0.5,
) -> pd.DataFrame:
    """Return the indicators with the lowest mean score over municipalities, weakest first.

    Parameters
    ----------
    responses : DataFrame
        A ``lika_responses`` table, one round per municipality (e.g. a county's compilation).
    instrument : DataFrame, optional
        The indicator list: indicator_id, optionally text (fills a blank ``indicator``),
        suggested_activity and weight. Indicators it lacks get None.
    n : int, optional
        Keep the ``n`` weakest scored indicators per group; None keeps all (unscored ones last).
    by : str or sequence from {"area", "dimension"}, default ("dimension",)
    threshold : float, default 0.5
        ``n_below`` counts municipalities scoring strictly below it.

    Returns
    -------
    DataFrame
        Columns: indicator_id, indicator, area, dimension, mean_score (unweighted over the
        municipalities that scored it), n_scored, n_below, suggested_activity. Sorted by ``by``
        (LIKA order), then mean_score ascending, n_below descending, indicator_id.

    Example
    -------
    >>> r = pd.DataFrame({"municipality_code": ["1880", "1880", "1881", "1881"],
    ...     "area": "Äldreomsorg", "dimension": "Kompetens", "indicator_id": ["K1", "K2"] * 2,
    ...     "score": [0.25, 1.0, 0.5, 0.75]})
    >>> weakest_indicators(r, n=1)[["indicator_id", "mean_score", "n_below"]]
      indicator_id  mean_score  n_below
    0           K1       0.375        1
    """
    keys = _area_keys(by)
    _check_count("n", n, allow_none=True)
    _check_threshold(threshold)
    require_columns(responses, "responses", ["indicator_id", "area", "dimension", "score"])
    _check_one_round(responses, keys, by_hint=False)
    inst = _instrument(instrument)
    table = _indicator_table(responses, threshold)
    if inst is not None:
        table = table.merge(inst, on="indicator_id", how="left")
        table["indicator"] = table["indicator"].where(table["indicator"].notna(), table["text"])
    else:
        table["suggested_activity"] = None
    table = table.sort_values(
        [*keys, "mean_score", "n_below", "indicator_id"],
        ascending=[True] * len(keys) + [True, False, True],
        key=_order_key,
        na_position="last",
        kind="stable",
    )
    if n is not None:
        table = table[table["n_scored"] > 0]
        table = table.groupby(keys, sort=False, dropna=False).head(n) if keys else table.head(n)
    columns = [
        "indicator_id",
        "indicator",
        "area",
        "dimension",
        "mean_score",
        "n_scored",
        "n_below",
        "suggested_activity",
    ]
    return table[columns].reset_index(drop=True)


def _indicator_table(responses: pd.DataFrame, threshold: float) -> pd.DataFrame:
    score = _values(responses, "score", "responses", unit_range=True)
    frame = pd.DataFrame(
        {
            "indicator_id": responses["indicator_id"].astype(str).to_numpy(),
            "area": responses["area"].to_numpy(),
            "dimension": responses["dimension"].to_numpy(),
            "indicator": responses["indicator"].to_numpy(dtype=object)
            if "indicator" in responses.columns
            else None,
            "_s": score,
            "_below": (score < threshold).astype("int64"),  # NaN < t is False
        }
    )
    grouped = frame.groupby("indicator_id", sort=True)
    out = grouped.agg(
        indicator=("indicator", "first"),
        area=("area", "first"),
        dimension=("dimension", "first"),
        mean_score=("_s", "mean"),
        n_scored=("_s", "count"),
        n_below=("_below", "sum"),
    ).reset_index()
    out["n_scored"] = out["n_scored"].astype("int64")
    out["n_below"] = out["n_below"].astype("int64")
    out["indicator"] = out["indicator"].astype(object).where(out["indicator"].notna(), None)
    return out


def development_areas(
    responses: pd.DataFrame,
    *,
    instrument: pd.DataFrame | None = None,
    threshold: float = 0.5,
    by: Iterable[str] | str = ("dimension",),
    n_weakest: int = 3,
) -> pd.DataFrame:
    """Return the common development areas of a county's municipalities, highest priority first.

    Per dimension (and area when ``by`` has it): the municipalities' mean score, how many fall
    below ``threshold``, and the weakest indicators (:func:`weakest_indicators`) with the
    instrument's suggested activities: the rows of a regional action plan (område / målbild /
    förslag på aktiviteter).

    Parameters
    ----------
    responses : DataFrame
        A ``lika_responses`` table, one round per municipality.
    instrument : DataFrame, optional
        As in :func:`weakest_indicators`; its weights (if any) weight each municipality's score,
        as in :func:`scores`.
    threshold : float, default 0.5
        A municipality is below when its score is strictly lower.
    by : str or sequence from {"area", "dimension"}, default ("dimension",)
    n_weakest : int, default 3
        How many weakest indicators to list per group.

    Returns
    -------
    DataFrame
        Columns: priority, *by, mean_score (unweighted over the municipalities), n_below,
        n_municipalities (with a score in the group), weakest_indicator_ids, weakest_indicators,
        suggested_activities. Priority 1 has the most municipalities below the threshold, then the
        lowest mean_score, then LIKA's order. The last three columns are tuples, weakest first; a
        missing activity is None.

    Example
    -------
    >>> r = pd.DataFrame({"municipality_code": ["1880", "1880", "1881", "1881"],
    ...     "area": "Äldreomsorg", "dimension": ["Ledning", "Kompetens"] * 2,
    ...     "indicator_id": ["L1", "K1"] * 2, "score": [0.75, 0.25, 1.0, 0.5]})
    >>> development_areas(r)[["priority", "dimension", "mean_score", "n_below"]]
       priority  dimension  mean_score  n_below
    0         1  Kompetens       0.375        1
    1         2    Ledning       0.875        0
    """
    keys = _area_keys(by)
    _check_threshold(threshold)
    _check_count("n_weakest", n_weakest, allow_none=False)
    require_columns(
        responses, "responses", ["municipality_code", "indicator_id", "area", "dimension", "score"]
    )
    _check_one_round(responses, keys, by_hint=False)
    _instrument(instrument)  # refuses duplicate indicator_ids
    table = _weight_table(instrument, "instrument")
    per_municipality = _scores(
        responses,
        ["municipality_code", *keys],
        table,
        ci=None,
        n_boot=2,
        seed=0,
        weights_name="instrument",
    )
    s = per_municipality["score"]
    frame = per_municipality[keys].assign(_s=s, _below=(s < threshold).astype("int64"))
    if keys:
        grouped = frame.groupby(keys, sort=False, dropna=False)
        summary = grouped.agg(
            mean_score=("_s", "mean"), n_below=("_below", "sum"), n_municipalities=("_s", "count")
        ).reset_index()
    else:
        summary = pd.DataFrame(
            {
                "mean_score": [s.mean()],
                "n_below": [int(frame["_below"].sum())],
                "n_municipalities": [int(s.count())],
            }
        )
    weak = weakest_indicators(
        responses, instrument=instrument, n=n_weakest, by=keys, threshold=threshold
    )
    lists = _tuples(weak, keys)
    summary = summary.merge(lists, on=keys, how="left") if keys else summary.assign(**lists.iloc[0])
    for col in ("weakest_indicator_ids", "weakest_indicators", "suggested_activities"):
        summary[col] = [v if isinstance(v, tuple) else () for v in summary[col]]
    summary["n_below"] = summary["n_below"].astype("int64")
    summary["n_municipalities"] = summary["n_municipalities"].astype("int64")
    summary = summary.sort_values(
        ["n_below", "mean_score", *keys],
        ascending=[False, True] + [True] * len(keys),
        key=_order_key,
        na_position="last",
        kind="stable",
    ).reset_index(drop=True)
    summary.insert(0, "priority", np.arange(1, len(summary) + 1, dtype="int64"))
    columns = [
        "priority",
        *keys,
        "mean_score",
        "n_below",
        "n_municipalities",
        "weakest_indicator_ids",
        "weakest_indicators",
        "suggested_activities",
    ]
    return summary[columns]


def _tuples(weak: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    def none(v: Any) -> Any:
        return None if v is None or (isinstance(v, float) and np.isnan(v)) else v

    rows: dict[Any, dict[str, tuple]] = {}
    for record in weak.itertuples(index=False):
        key = tuple(getattr(record, k) for k in keys)
        entry = rows.setdefault(
            key, {"weakest_indicator_ids": (), "weakest_indicators": (), "suggested_activities": ()}
        )
        entry["weakest_indicator_ids"] += (record.indicator_id,)
        entry["weakest_indicators"] += (none(record.indicator),)
        entry["suggested_activities"] += (none(record.suggested_activity),)
    if not keys:
        empty = {"weakest_indicator_ids": (), "weakest_indicators": (), "suggested_activities": ()}
        return pd.DataFrame([rows.get((), empty)])
    records = [dict(zip(keys, key, strict=True)) | entry for key, entry in rows.items()]
    return pd.DataFrame(
        records,
        columns=[*keys, "weakest_indicator_ids", "weakest_indicators", "suggested_activities"],
    )


# --------------------------------------------------------------------------- change


def change(
    responses_t0: pd.DataFrame,
    responses_t1: pd.DataFrame,
    *,
    by: Iterable[str] | str = ("municipality_code", "dimension"),
    weights: pd.DataFrame | pd.Series | Mapping[str, float] | None = None,
    ci: float | None = 0.95,
    n_boot: int = 1000,
    seed: int = 0,
) -> pd.DataFrame:
    """Return the change in score between two assessment rounds, with a bootstrap interval.

    Parameters
    ----------
    responses_t0, responses_t1 : DataFrame
        ``lika_responses`` tables of the earlier and the later round, one round per municipality
        each. Where both give an assessed_on date, t1 must be later.
    by : str or sequence of str, default ("municipality_code", "dimension")
        Group columns; not "assessed_on".
    weights, ci, n_boot, seed
        As in :func:`scores`. Each round's indicators are resampled independently; the interval is
        the percentile interval of the replicate differences.

    Returns
    -------
    DataFrame
        Columns: *by, score_t0, score_t1, change (t1 − t0), ci_low, ci_high, exceeds_interval (the
        interval excludes 0), direction ("up"/"down" when it does, "none" when not, NA when the
        change is NaN, as for a group in one round only), n_scored_t0, n_scored_t1.

    Example
    -------
    >>> t0 = pd.DataFrame({"municipality_code": "1880", "dimension": "Ledning",
    ...                    "indicator_id": ["L1", "L2", "L3"], "score": [0.0, 0.25, 0.25]})
    >>> change(t0, t0.assign(score=[1.0, 0.75, 1.0]))[["score_t0", "change", "direction"]].round(3)
       score_t0  change direction
    0     0.167    0.75        up
    """
    keys = _as_keys("by", by)
    if "assessed_on" in keys:
        raise ValueError("`by` may not contain 'assessed_on' in change(): each table is one round.")
    _check_ci(ci)
    _check_n_boot(n_boot)
    table = _weight_table(weights, "weights")
    needs = ["score"] + (["indicator_id"] if weights is not None else [])
    for name, data in (("responses_t0", responses_t0), ("responses_t1", responses_t1)):
        require_columns(data, name, needs)
        _require_key_columns(data, name, "by", keys)
        _check_one_round(data, keys, name, by_hint=False)
    _check_order(responses_t0, responses_t1)
    rng = np.random.default_rng(seed) if ci is not None else None
    st0 = _group_stats(responses_t0, keys, table, n_boot=n_boot, rng=rng, name="responses_t0")
    st1 = _group_stats(responses_t1, keys, table, n_boot=n_boot, rng=rng, name="responses_t1")
    g0 = st0.groups.assign(_i0=np.arange(len(st0.groups)))
    g1 = st1.groups.assign(_i1=np.arange(len(st1.groups)))
    if keys:
        merged = g0.merge(g1, on=keys, how="outer")
    else:
        merged = pd.concat([g0, g1], axis=1).iloc[:1] if len(g0) or len(g1) else g0.assign(_i1=[])
    merged = _sorted(merged, keys)
    i0 = merged["_i0"].to_numpy(dtype=float)
    i1 = merged["_i1"].to_numpy(dtype=float)
    in0, in1 = ~np.isnan(i0), ~np.isnan(i1)
    j0, j1 = np.where(in0, i0, 0).astype(int), np.where(in1, i1, 0).astype(int)

    def pick(values: np.ndarray, j: np.ndarray, present: np.ndarray, fill: float) -> np.ndarray:
        return np.where(present, values[j] if len(values) else fill, fill)

    score0 = pick(st0.score, j0, in0, np.nan)
    score1 = pick(st1.score, j1, in1, np.nan)
    n0 = pick(st0.n_scored, j0, in0, 0).astype("int64")
    n1 = pick(st1.n_scored, j1, in1, 0).astype("int64")
    diff = score1 - score0
    low = np.full(len(merged), np.nan)
    high = np.full(len(merged), np.nan)
    if rng is not None:
        eligible = in0 & in1 & (n0 >= 2) & (n1 >= 2)
        if eligible.any():
            boot = st1.boot[:, j1[eligible]] - st0.boot[:, j0[eligible]]
            low[eligible], high[eligible] = _interval(boot, ci)
    exceeds = (low > 0) | (high < 0)
    direction = np.where(exceeds, np.where(diff > 0, "up", "down"), "none").astype(object)
    direction[np.isnan(diff)] = None
    out = merged[keys].copy()
    out["score_t0"] = score0
    out["score_t1"] = score1
    out["change"] = diff
    out["ci_low"] = low
    out["ci_high"] = high
    out["exceeds_interval"] = exceeds.astype(bool)
    out["direction"] = direction
    out["n_scored_t0"] = n0
    out["n_scored_t1"] = n1
    return out


def _check_order(t0: pd.DataFrame, t1: pd.DataFrame) -> None:
    if not all(set(_UNIT_KEYS) <= set(t.columns) for t in (t0, t1)):
        return
    d0 = t0.groupby("municipality_code")["assessed_on"].max()
    d1 = t1.groupby("municipality_code")["assessed_on"].min()
    both = pd.concat([d0.rename("t0"), d1.rename("t1")], axis=1, join="inner").dropna()
    if both.empty:
        return
    both = both.assign(t0=pd.to_datetime(both["t0"]), t1=pd.to_datetime(both["t1"]))
    wrong = both.index[both["t1"] <= both["t0"]]
    if len(wrong):
        raise ValueError(
            f"`responses_t1` is not later than `responses_t0` for the municipalities "
            f"{[str(c) for c in wrong[:10]]}; pass the earlier round first."
        )


# --------------------------------------------------------------------------- peer groups


def _silhouette(distance: np.ndarray, labels: np.ndarray) -> float:
    """Mean silhouette (a singleton's is 0; 0 when a and b are both 0)."""
    clusters, inverse = np.unique(labels, return_inverse=True)
    member = np.zeros((labels.size, clusters.size))
    member[np.arange(labels.size), inverse] = 1.0
    size = member.sum(axis=0)
    sums = distance @ member  # distance from each point to each cluster, summed
    own = inverse
    own_size = size[own]
    with np.errstate(invalid="ignore", divide="ignore"):
        a = sums[np.arange(labels.size), own] / (own_size - 1)
        other = sums / size
    other[np.arange(labels.size), own] = np.inf
    b = other.min(axis=1)
    top = np.maximum(a, b)
    with np.errstate(invalid="ignore", divide="ignore"):
        s = np.where(top > 0, (b - a) / top, 0.0)
    s[own_size == 1] = 0.0
    return float(s.mean())


def peer_groups(
    scores: pd.DataFrame,
    *,
    k: int | None = None,
    value: str = "score",
    method: str = "ward",
    seed: int = 0,
) -> pd.DataFrame:
    """Return groups of municipalities with similar maturity profiles, and each one's nearest peers.

    Parameters
    ----------
    scores : DataFrame
        :func:`scores` output for one round, or any table of municipality_code, keys (as in
        :func:`gaps`) and ``value``.
    k : int, optional
        Number of groups (1..n); None chooses it by silhouette (Notes).
    value : str, default "score"
    method : {"ward", "average", "complete", "single"}, default "ward"
    seed : int, default 0
        Accepted so that every function with a random flavour takes one; the clustering is
        deterministic and does not use it.

    Returns
    -------
    DataFrame
        Columns: municipality_code, peer_group (Int64; group 1 has the highest mean profile value;
        NA for a municipality with no value), nearest_peers (tuple of up to 3 codes, nearest first,
        ties to the lower code). ``attrs`` holds "k", "method" and "silhouette" (k -> mean
        silhouette of the cuts considered). Group profiles: :func:`peer_profiles`.

    Notes
    -----
    A municipality's profile is its ``value`` over the other key columns (e.g. its four dimension
    scores), not standardised since scores share the 0–1 scale; a missing value is filled with the
    column's mean. Profiles are clustered with :func:`scipy.cluster.hierarchy.linkage` (``method``,
    Euclidean distances) and cut with ``fcluster(criterion="maxclust")``. With ``k=None`` the cut
    is the k in 2..min(6, n − 1) with the highest mean silhouette (ties: the smaller k); with
    fewer than three municipalities (a county of one or two, such as Gotland) there is no cut to
    choose, and ``k=None`` gives one group with an empty silhouette table. A municipality's nearest
    peers are the others in any case (none when it is alone).

    Example
    -------
    >>> s = pd.DataFrame({"municipality_code": ["0114", "0115", "0117", "0120"],
    ...                   "dimension": "Ledning", "score": [0.9, 0.85, 0.2, 0.25]})
    >>> peer_groups(s)["peer_group"].tolist()
    [1, 1, 2, 2]
    """
    _check_value(scores, value)
    require_columns(scores, "scores", ["municipality_code"])
    _check_choice("method", PEER_METHODS, method)
    _check_count("k", k, allow_none=True)
    keys, peer = _score_keys(scores, value)
    _check_one_row_per_municipality(scores, peer, "scores")
    frame = scores[["municipality_code", *peer]].copy()
    frame["municipality_code"] = frame["municipality_code"].astype(str)
    frame["_v"] = _values(scores, value, "scores", unit_range=False)
    if peer:
        wide = frame.pivot(index="municipality_code", columns=peer, values="_v")
    else:
        wide = frame.set_index("municipality_code")[["_v"]]
    wide = wide.sort_index().dropna(axis=1, how="all")
    everyone = wide.index.to_numpy(dtype=object)
    wide = wide.dropna(axis=0, how="all")
    x = wide.fillna(wide.mean()).to_numpy(dtype=float)
    codes = wide.index.to_numpy(dtype=object)
    n = len(codes)
    if k is None and n < 3:
        k = 1  # one or two municipalities (Gotland; a county of two): nothing to choose from
    if k is not None and k > max(n, 1):
        raise ValueError(
            f"`k` must be at most the number of municipalities with a value ({n}), "
            f"but {k} was passed."
        )

    silhouette: dict[int, float] = {}
    labels = np.ones(n, dtype=int)
    if n >= 2:
        distance = squareform(pdist(x))
        tree = hierarchy.linkage(x, method=method, metric="euclidean")
        candidates = range(2, min(_MAX_K, n - 1) + 1) if k is None else [k]
        best = None
        for kk in candidates:
            cut = hierarchy.fcluster(tree, t=kk, criterion="maxclust")
            if 2 <= len(np.unique(cut)) <= n - 1:
                silhouette[kk] = _silhouette(distance, cut)
            if k is not None:
                labels = cut
            elif kk in silhouette and (best is None or silhouette[kk] > silhouette[best] + 1e-12):
                best, labels = kk, cut
        if k is None and best is None:
            best = 2
            labels = hierarchy.fcluster(tree, t=2, criterion="maxclust")
        chosen = k if k is not None else best
        order = np.argsort(distance + np.diag(np.full(n, np.inf)), axis=1, kind="stable")
        nearest = [tuple(codes[order[i, : min(3, n - 1)]]) for i in range(n)]
    else:
        chosen = k if k is not None else 1
        nearest = [() for _ in range(n)]
    # Renumber: 1 = highest mean profile value; ties by the lowest member code.
    raw = np.unique(labels)
    level = {lab: x[labels == lab].mean() for lab in raw}
    lowest = {lab: codes[labels == lab].min() for lab in raw}
    ranked = sorted(raw, key=lambda lab: (-level[lab], lowest[lab]))
    renumber = {lab: i + 1 for i, lab in enumerate(ranked)}
    group = pd.Series([renumber[lab] for lab in labels], index=codes, dtype="Int64")
    peers_of = dict(zip(codes, nearest, strict=True))

    out = pd.DataFrame({"municipality_code": everyone})
    out["peer_group"] = group.reindex(everyone).to_numpy()
    out["peer_group"] = out["peer_group"].astype("Int64")
    out["nearest_peers"] = [peers_of.get(code, ()) for code in everyone]
    out.attrs = {"k": int(chosen), "method": method, "silhouette": silhouette}
    return out


def peer_profiles(
    scores: pd.DataFrame, peers: pd.DataFrame, *, value: str = "score"
) -> pd.DataFrame:
    """Return each peer group's mean profile: the unweighted mean ``value`` of its members per key.

    Parameters
    ----------
    scores : DataFrame
        The table given to :func:`peer_groups`.
    peers : DataFrame
        :func:`peer_groups` output.
    value : str, default "score"

    Returns
    -------
    DataFrame
        Columns: peer_group, *keys (other than municipality_code and assessed_on), ``value``,
        n_municipalities (members with a value).

    Example
    -------
    >>> s = pd.DataFrame({"municipality_code": ["0114", "0115", "0117", "0120"],
    ...                   "dimension": "Ledning", "score": [0.9, 0.8, 0.2, 0.3]})
    >>> peer_profiles(s, peer_groups(s, k=2))
       peer_group dimension  score  n_municipalities
    0           1   Ledning   0.85                 2
    1           2   Ledning   0.25                 2
    """
    _check_value(scores, value)
    require_columns(scores, "scores", ["municipality_code"])
    require_columns(peers, "peers", ["municipality_code", "peer_group"])
    _, peer = _score_keys(scores, value)
    frame = scores[["municipality_code", *peer]].copy()
    frame["municipality_code"] = frame["municipality_code"].astype(str)
    frame["_v"] = _values(scores, value, "scores", unit_range=False)
    groups = peers[["municipality_code", "peer_group"]].assign(
        municipality_code=peers["municipality_code"].astype(str)
    )
    frame = frame.merge(groups, on="municipality_code", how="inner")
    frame = frame[frame["peer_group"].notna()]
    keys = ["peer_group", *peer]
    out = (
        frame.groupby(keys, sort=False, dropna=False)["_v"]
        .agg(["mean", "count"])
        .reset_index()
        .rename(columns={"mean": value, "count": "n_municipalities"})
    )
    out["n_municipalities"] = out["n_municipalities"].astype("int64")
    out["peer_group"] = out["peer_group"].astype("Int64")
    return _sorted(out[[*keys, value, "n_municipalities"]], keys)
