"""Effect monitoring: baselines, targets, run charts, control charts and interrupted time series.

Pure functions over one series (a pandas Series indexed by quarter, or plain
arrays) and grouped versions over the tidy ``monitoring`` table. Chart
functions return one tidy row per point, with the part-level statistics
repeated on each row (the shape of qicharts2's ``qic(..., return.data=TRUE)``),
so a chart, a table and a test read the same frame.

Chart columns
-------------
x (the period), y (the plotted value), n (denominator, when any), part
(1, 2, …), baseline (the point is used for centre and limits), include
(False for excluded points), cl, lcl, ucl, sigma_signal (outside the
limits), shift_point (in an unusually long run), trend_point (IHI rules),
n_useful, longest_run, longest_run_max, n_crossings, n_crossings_min,
runs_signal (any runs rule fired in the part), and for the IHI rules
n_runs_min/n_runs_max.

Methods
-------
Anhøj rules (default, ``rules="anhoej"``; Anhøj & Olesen 2014, as in qicharts2)
    Points on the centre line and excluded points are ignored; ``n_useful``
    counts the rest. A *run* is a sequence of useful points on the same side;
    ``n_crossings`` = number of runs − 1. A shift signal fires when the
    longest run exceeds ``round(log2(n_useful)) + 3`` (Schilling 2012); a
    crossings signal when ``n_crossings`` is below the 5 % quantile of
    Binomial(n_useful − 1, 0.5) (Chen 2010). The points of every run longer
    than the limit are marked ``shift_point``.
IHI rules (``rules="ihi"``; Provost & Murray 2011, Perla et al. 2011)
    Shift: 6 or more consecutive useful points on one side. Trend: 5 or more
    consecutive points all going up or all going down (equal neighbours do
    not count and do not break the trend). Too few or too many runs: outside
    the central 90 % of the exact distribution of the number of runs for the
    numbers of points above and below (Swed & Eisenhart 1943), which is the
    distribution Perla's table is built on.
Centre lines and limits (Montgomery 2009; Provost & Murray 2011)
    run: median. i: mean; sigma = mean moving range / 1.128; with
    ``screen_mr=True`` moving ranges above 3.267 × their mean are dropped
    first (Provost & Murray p. 156; qicharts2 always screens). mr: mean
    moving range, UCL 3.267 × it. xbar/s: subgroups are the values sharing a
    period; centre = size-weighted mean of subgroup means; sigma = pooled
    standard deviation (varying sizes) or mean s (equal sizes); A3, B3, B4
    from the exact c4(n) = sqrt(2/(n−1)) Γ(n/2)/Γ((n−1)/2). t: time between
    events, I chart on y^(1/3.6), back-transformed (Provost & Murray).
    p: centre = Σ numerator / Σ denominator; sigma_i = sqrt(p(1−p)/n_i).
    pp (Laney p′): sigma_i × sigma_z, with sigma_z = mean |Δz| / 1.128 over
    the baseline z-scores (Laney 2002). c: mean, sigma sqrt(c). u: Σ counts
    / Σ exposure, sigma_i = sqrt(u/n_i). up: Laney u′. g: mean for the limits,
    sigma sqrt(g(g+1)), then the median as centre line. Limits are 3 sigma;
    lower limits are clipped at 0 and p upper limits at 1.
Baseline (freeze) and parts
    ``baseline_end`` (a period): centre and limits come from the points up to
    it and extend over the rest. ``parts`` (periods where a new part starts,
    e.g. when a service was introduced): everything is recomputed per part.
    ``baseline_end`` may list one period per part, which freezes a new
    baseline after an intervention; a part with no end inside it uses all its
    points. ``exclude`` (periods) keeps
    points in the output but out of every calculation.
Baseline level and targets
    :func:`baseline` is the median of the baseline periods by default (robust
    to a single odd quarter, and the run chart's centre line); ``method="mean"``
    is the alternative. :func:`target_attainment` measures progress from that
    baseline.
Interrupted time series
    Segmented OLS regression ``y = b0 + b1·t + b2·after + b3·(t − t0)·after``
    (Wagner et al. 2002) with statsmodels; 95 % intervals, optionally with
    Newey–West (HAC) standard errors for autocorrelated quarters.

Example
-------
>>> import pandas as pd
>>> y = pd.Series([5, 6, 5, 7, 6, 5, 9, 10, 11, 10, 12, 11, 10, 12],
...               index=pd.period_range("2022Q1", periods=14, freq="Q"))
>>> rc = run_chart(y)
>>> rc[["n_useful", "longest_run", "longest_run_max", "n_crossings"]].iloc[0].astype(int).tolist()
[14, 7, 7, 1]
>>> bool(rc["runs_signal"].iloc[0])  # 1 crossing is fewer than the 4 expected at least
True
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats
from scipy.special import gammaln

from .disclosure import SUPPRESSION_LIMIT, suppress
from .errors import SchemaError, check_choice
from .schemas import require_columns

__all__ = [
    "CHARTS",
    "RULES",
    "baseline",
    "target_attainment",
    "run_chart",
    "control_chart",
    "run_charts",
    "control_charts",
    "interrupted_time_series",
    "ITSResult",
    "DEFAULT_CHARTS",
    "charts_for",
    "quarter_summary",
    "summary_lines",
    "quarter_table",
    "hide_small_counts",
    "target_attainments",
    "largest_change_its",
    "metric_with_target",
]

#: Chart types of :func:`control_chart` (run charts: :func:`run_chart`).
CHARTS = ("i", "mr", "xbar", "s", "t", "p", "pp", "c", "u", "up", "g")
#: Rule sets for runs analysis.
RULES = ("anhoej", "ihi")
_D2 = 1.128  # d2 for moving ranges of two
_D4 = 3.267  # D4 for moving ranges of two
_COLUMNS = [
    "x",
    "y",
    "n",
    "part",
    "baseline",
    "include",
    "cl",
    "lcl",
    "ucl",
    "sigma_signal",
    "shift_point",
    "trend_point",
    "n_useful",
    "longest_run",
    "longest_run_max",
    "n_crossings",
    "n_crossings_min",
    "n_runs_min",
    "n_runs_max",
    "runs_signal",
]


# --------------------------------------------------------------------------- input


def _as_series(values: Any, name: str) -> pd.Series:
    if isinstance(values, pd.Series):
        series = values
    elif isinstance(values, pd.DataFrame):
        raise TypeError(f"`{name}` must be one series (a pandas Series), not a DataFrame.")
    else:
        series = pd.Series(values)
    out = pd.to_numeric(series, errors="coerce").astype(float)
    bad = series.notna() & out.isna()
    if bad.any():
        raise ValueError(
            f"`{name}` must hold numbers; {series[bad].iloc[0]!r} at {series[bad].index[0]} is not."
        )
    return out


def _positions(index: pd.Index, periods: Any, name: str) -> list[int]:
    """Positions in ``index`` of the given periods (or labels)."""
    if periods is None:
        return []
    if isinstance(periods, (str, pd.Period)) or not isinstance(periods, Iterable):
        periods = [periods]
    out = []
    for p in periods:
        key = pd.Period(p, freq=index.freq) if isinstance(index, pd.PeriodIndex) else p
        if key not in index:
            raise ValueError(f"`{name}` names {p!r}, which is not in the series ({index[0]}…).")
        out.append(int(index.get_loc(key)))
    return out


def _baseline_mask(index: pd.Index, end: Any, part: np.ndarray | None = None) -> np.ndarray:
    """Rows in the baseline: up to the end that lies in the row's part (several ends allowed)."""
    if end is None:
        return np.ones(len(index), dtype=bool)
    part = np.ones(len(index), dtype=int) if part is None else part
    where = np.arange(len(index))
    mask = np.zeros(len(index), dtype=bool)
    for pos in _positions(index, end, "baseline_end"):
        mask |= (part == part[pos]) & (where <= pos)
    return mask


def _part_ids(index: pd.Index, parts: Any) -> np.ndarray:
    starts = sorted(set(_positions(index, parts, "parts")) - {0})
    ids = np.ones(len(index), dtype=int)
    for s in starts:
        ids[s:] += 1
    return ids


# --------------------------------------------------------------------------- runs rules


@dataclass(frozen=True)
class _Runs:
    n_useful: int
    longest_run: float
    longest_run_max: float
    n_crossings: float
    n_crossings_min: float
    n_runs_min: float
    n_runs_max: float
    signal: bool
    shift_points: np.ndarray
    trend_points: np.ndarray


def _run_lengths(side: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start index and length of each run of equal values in ``side``."""
    if side.size == 0:
        return np.zeros(0, int), np.zeros(0, int)
    change = np.flatnonzero(np.diff(side)) + 1
    starts = np.concatenate([[0], change])
    lengths = np.diff(np.concatenate([starts, [side.size]]))
    return starts, lengths


def _runs_exact_limits(n_above: int, n_below: int, alpha: float = 0.05) -> tuple[float, float]:
    """Fewest and most runs inside the central 1 − 2·alpha of the exact runs distribution."""
    n1, n2 = n_above, n_below
    if n1 == 0 or n2 == 0:
        return np.nan, np.nan
    r = np.arange(2, n1 + n2 + 1)
    k = r // 2
    log_total = gammaln(n1 + n2 + 1) - gammaln(n1 + 1) - gammaln(n2 + 1)

    def log_comb(a, b):
        a = np.asarray(a, float)
        b = np.asarray(b, float)
        with np.errstate(invalid="ignore"):
            out = gammaln(a + 1) - gammaln(b + 1) - gammaln(a - b + 1)
        return np.where((b < 0) | (b > a), -np.inf, out)

    even = np.log(2) + log_comb(n1 - 1, k - 1) + log_comb(n2 - 1, k - 1)
    odd = np.logaddexp(
        log_comb(n1 - 1, k - 1) + log_comb(n2 - 1, k), log_comb(n1 - 1, k) + log_comb(n2 - 1, k - 1)
    )
    p = np.exp(np.where(r % 2 == 0, even, odd) - log_total)
    cdf = np.cumsum(p)
    sf = np.cumsum(p[::-1])[::-1]
    low = r[cdf < alpha]
    high = r[sf < alpha]
    return (float(low.max()) + 1 if low.size else 2.0), (
        float(high.min()) - 1 if high.size else float(n1 + n2)
    )


def _runs(y: np.ndarray, cl: np.ndarray, include: np.ndarray, rules: str) -> _Runs:
    n = y.size
    shift = np.zeros(n, bool)
    trend = np.zeros(n, bool)
    with np.errstate(invalid="ignore"):
        side = np.sign(y - cl)
    useful = include & np.isfinite(side) & (side != 0)
    idx = np.flatnonzero(useful)
    sides = side[idx]
    n_useful = idx.size
    nan = float("nan")
    if n_useful == 0:
        return _Runs(0, nan, nan, nan, nan, nan, nan, False, shift, trend)
    starts, lengths = _run_lengths(sides)
    longest = int(lengths.max())
    n_runs = lengths.size
    crossings = n_runs - 1
    if rules == "anhoej":
        limit = round(math.log2(n_useful)) + 3
        min_cross = float(stats.binom.ppf(0.05, max(n_useful - 1, 0), 0.5))
        for s, length in zip(starts, lengths, strict=True):
            if length > limit:
                shift[idx[s : s + length]] = True
        signal = longest > limit or crossings < min_cross
        return _Runs(
            n_useful, longest, limit, crossings, min_cross, nan, nan, bool(signal), shift, trend
        )
    # IHI rules
    limit = 5  # a shift is 6 or more, i.e. longer than 5
    for s, length in zip(starts, lengths, strict=True):
        if length > limit:
            shift[idx[s : s + length]] = True
    finite = np.flatnonzero(include & np.isfinite(y))
    values = y[finite]
    step = np.sign(np.diff(values))
    moving = np.flatnonzero(step != 0)  # equal neighbours neither count nor break
    if moving.size:
        dirs = step[moving]
        t_starts, t_lengths = _run_lengths(dirs)
        for s, length in zip(t_starts, t_lengths, strict=True):
            if length >= 4:  # 4 steps in one direction = 5 points
                first = moving[s]
                last = moving[s + length - 1] + 1
                trend[finite[first : last + 1]] = True
    n_above = int((sides > 0).sum())
    low, high = _runs_exact_limits(n_above, n_useful - n_above)
    few_many = np.isfinite(low) and (n_runs < low or n_runs > high)
    signal = bool(shift.any() or trend.any() or few_many)
    return _Runs(n_useful, longest, limit, crossings, nan, low, high, signal, shift, trend)


# --------------------------------------------------------------------------- centre and limits
#
# Everything below works on "segments": the rows of one series and one part,
# stored one after another in time order, so that all groups and parts of a
# table are computed at once with numpy and pandas group operations.


def _c4(n: np.ndarray) -> np.ndarray:
    n = np.asarray(n, float)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.sqrt(2 / (n - 1)) * np.exp(gammaln(n / 2) - gammaln((n - 1) / 2))
    return np.where(n >= 2, out, np.nan)


def _per_segment(seg: np.ndarray, count: int, values: np.ndarray, mask: np.ndarray, how: str):
    """``how`` ("mean", "median", "sum") of ``values[mask]`` per segment (NaN when none)."""
    series = pd.Series(values[mask]).groupby(seg[mask])
    stat = getattr(series, how)()
    return stat.reindex(range(count)).to_numpy(dtype=float)


def _within(seg: np.ndarray, values: np.ndarray, mask: np.ndarray):
    """Differences of consecutive masked values inside each segment: (diffs, their segment)."""
    idx = np.flatnonzero(mask)
    same = seg[idx][1:] == seg[idx][:-1]
    return np.diff(values[idx])[same], seg[idx][1:][same]


def _moving_sigma(seg, count, values, mask, screen):
    mr, mr_seg = _within(seg, values, mask)
    mr = np.abs(mr)
    amr = _per_segment(mr_seg, count, mr, np.isfinite(mr), "mean")
    if screen:
        kept = mr < _D4 * amr[mr_seg]
        screened = _per_segment(mr_seg, count, mr, kept, "mean")
        amr = np.where(np.isfinite(screened), screened, amr)
    return amr / _D2


def _limits(chart, y, n, sd, seg, count, base, *, screen_mr):
    """(y_plotted, cl, lcl, ucl) per row for every segment; ``base``: rows for centre/limits."""
    ok = base & np.isfinite(y)
    if chart == "run":
        cl = _per_segment(seg, count, y, ok, "median")[seg]
        return y, cl, np.full(y.size, np.nan), np.full(y.size, np.nan)
    if chart == "i":
        cl = _per_segment(seg, count, y, ok, "mean")
        sigma = _moving_sigma(seg, count, y, ok, screen_mr)
        return y, cl[seg], (cl - 3 * sigma)[seg], (cl + 3 * sigma)[seg]
    if chart == "mr":
        mr = np.abs(np.diff(y, prepend=np.nan))
        mr[np.r_[True, seg[1:] != seg[:-1]]] = np.nan
        cl = _per_segment(seg, count, mr, base & np.isfinite(mr), "mean")[seg]
        return mr, cl, np.zeros(y.size), _D4 * cl
    if chart == "t":
        if np.nanmin(y) <= 0:
            raise ValueError("A t chart needs times between events greater than zero.")
        _, cl, lcl, ucl = _limits("i", y ** (1 / 3.6), n, sd, seg, count, base, screen_mr=screen_mr)
        return y, cl**3.6, np.where(lcl < 0, 0.0, lcl) ** 3.6, ucl**3.6
    if chart in ("xbar", "s"):
        okn = ok & (n >= 2) & np.isfinite(sd)
        sizes = pd.Series(n[np.isfinite(n)]).groupby(seg[np.isfinite(n)]).nunique()
        var_n = sizes.reindex(range(count)).fillna(1).to_numpy() > 1
        pooled = np.sqrt(
            _per_segment(seg, count, (n - 1) * sd**2, okn, "sum")
            / _per_segment(seg, count, n - 1, okn, "sum")
        )
        pooled = np.where(var_n, pooled, _per_segment(seg, count, sd, okn, "mean"))[seg]
        c4 = _c4(n)
        if chart == "xbar":
            cl = (
                _per_segment(seg, count, n * y, ok, "sum") / _per_segment(seg, count, n, ok, "sum")
            )[seg]
            a3 = 3 / (c4 * np.sqrt(n))
            return y, cl, cl - a3 * pooled, cl + a3 * pooled
        width = 3 * np.sqrt(1 - c4**2) / c4
        return sd, pooled, np.clip(1 - width, 0, None) * pooled, (1 + width) * pooled
    if chart in ("p", "pp", "u", "up"):
        okn = ok & np.isfinite(n) & (n > 0)
        cl = (
            _per_segment(seg, count, y * n, okn, "sum") / _per_segment(seg, count, n, okn, "sum")
        )[seg]
        with np.errstate(invalid="ignore", divide="ignore"):
            sigma = np.sqrt(cl * (1 - cl) / n) if chart in ("p", "pp") else np.sqrt(cl / n)
        if chart in ("pp", "up"):
            z = (y - cl) / sigma
            dz, dz_seg = _within(seg, z, okn)
            dz = np.abs(dz)
            sigma = sigma * (_per_segment(dz_seg, count, dz, np.isfinite(dz), "mean") / _D2)[seg]
        lcl = np.clip(cl - 3 * sigma, 0, None)
        ucl = cl + 3 * sigma
        if chart in ("p", "pp"):
            ucl = np.clip(ucl, None, 1)
        return y, cl, lcl, ucl
    if chart == "c":
        cl = _per_segment(seg, count, y, ok, "mean")
        sigma = np.sqrt(np.clip(cl, 0, None))
        return y, cl[seg], np.clip(cl - 3 * sigma, 0, None)[seg], (cl + 3 * sigma)[seg]
    if chart == "g":
        mean = _per_segment(seg, count, y, ok, "mean")
        sigma = np.sqrt(mean * (mean + 1))
        median = _per_segment(seg, count, y, ok, "median")
        return y, median[seg], np.clip(mean - 3 * sigma, 0, None)[seg], (mean + 3 * sigma)[seg]
    raise AssertionError(chart)  # pragma: no cover - checked by the callers


def _anhoej(seg, count, plotted, cl, include):
    """Anhøj runs analysis of every segment at once."""
    with np.errstate(invalid="ignore"):
        side = np.sign(plotted - cl)
    useful = include & np.isfinite(side) & (side != 0)
    idx = np.flatnonzero(useful)
    s, g = side[idx], seg[idx]
    starts = np.r_[True, (s[1:] != s[:-1]) | (g[1:] != g[:-1])] if idx.size else np.zeros(0, bool)
    run_id = np.cumsum(starts) - 1
    run_len = np.bincount(run_id) if idx.size else np.zeros(0, int)
    run_seg = g[starts]
    n_useful = np.bincount(g, minlength=count)
    n_runs = np.bincount(run_seg, minlength=count)
    longest = np.zeros(count)
    np.maximum.at(longest, run_seg, run_len)
    has = n_useful > 0
    with np.errstate(divide="ignore"):
        limit = np.where(has, np.round(np.log2(np.maximum(n_useful, 1))) + 3, np.nan)
    min_cross = np.where(has, stats.binom.ppf(0.05, np.maximum(n_useful - 1, 0), 0.5), np.nan)
    crossings = np.where(has, n_runs - 1, np.nan)
    longest = np.where(has, longest, np.nan)
    signal = has & ((longest > limit) | (crossings < min_cross))
    shift = np.zeros(plotted.size, bool)
    if idx.size:
        shift[idx] = run_len[run_id] > limit[g]
    nan = np.full(count, np.nan)
    return (
        n_useful,
        longest,
        limit,
        crossings,
        min_cross,
        nan,
        nan,
        signal,
        shift,
        np.zeros_like(shift),
    )


def _ihi(seg, count, plotted, cl, include):
    """IHI runs analysis, segment by segment."""
    out = [np.zeros(count) for _ in range(7)]
    signal = np.zeros(count, bool)
    shift = np.zeros(plotted.size, bool)
    trend = np.zeros(plotted.size, bool)
    bounds = np.flatnonzero(np.r_[True, seg[1:] != seg[:-1], True])
    for start, stop in zip(bounds[:-1], bounds[1:], strict=True):
        k = seg[start]
        r = _runs(plotted[start:stop], cl[start:stop], include[start:stop], "ihi")
        values = (
            r.n_useful,
            r.longest_run,
            r.longest_run_max,
            r.n_crossings,
            r.n_crossings_min,
            r.n_runs_min,
            r.n_runs_max,
        )
        for array, value in zip(out, values, strict=True):
            array[k] = value
        signal[k] = r.signal
        shift[start:stop] = r.shift_points
        trend[start:stop] = r.trend_points
    return (*out, signal, shift, trend)


def _compute(chart, x, y, n, sd, seg, baseline, include, *, screen_mr, rules, part):
    """The chart frame for rows grouped in consecutive segments (time order within each)."""
    check_choice("rules", list(RULES), rules)
    count = int(seg.max()) + 1 if seg.size else 0
    base = baseline & include
    has_base = np.bincount(seg, weights=base.astype(float), minlength=count) > 0
    base = base | (~has_base[seg] & include)  # a part after the baseline: its own points
    plotted, cl, lcl, ucl = _limits(chart, y, n, sd, seg, count, base, screen_mr=screen_mr)
    runs = (_anhoej if rules == "anhoej" else _ihi)(seg, count, plotted, cl, include)
    n_useful, longest, limit, crossings, min_cross, runs_min, runs_max, signal, shift, trend = runs
    with np.errstate(invalid="ignore"):
        outside = include & ((plotted > ucl) | (plotted < lcl))
    return pd.DataFrame(
        {
            "x": x,
            "y": plotted,
            "n": n,
            "part": part,
            "baseline": baseline & include,
            "include": include,
            "cl": cl,
            "lcl": lcl,
            "ucl": ucl,
            "sigma_signal": outside,
            "shift_point": shift,
            "trend_point": trend,
            "n_useful": n_useful[seg],
            "longest_run": longest[seg],
            "longest_run_max": limit[seg],
            "n_crossings": crossings[seg],
            "n_crossings_min": min_cross[seg],
            "n_runs_min": runs_min[seg],
            "n_runs_max": runs_max[seg],
            "runs_signal": signal[seg],
        }
    )


def _chart(
    chart: str,
    y: pd.Series,
    n: pd.Series | None,
    *,
    baseline_end: Any,
    parts: Any,
    exclude: Any,
    screen_mr: bool,
    rules: str,
    sd: pd.Series | None = None,
) -> pd.DataFrame:
    index = y.index
    include = np.ones(len(y), bool)
    include[_positions(index, exclude, "exclude")] = False
    part = _part_ids(index, parts)
    out = _compute(
        chart,
        index,
        y.to_numpy(float),
        n.to_numpy(float) if n is not None else np.full(len(y), np.nan),
        sd.to_numpy(float) if sd is not None else np.full(len(y), np.nan),
        part - 1,
        _baseline_mask(index, baseline_end, part),
        include,
        screen_mr=screen_mr,
        rules=rules,
        part=part,
    )
    out.attrs = {"chart": chart, "rules": rules}
    return out


_CHART_DOC_PARAMS = """baseline_end : period or list of periods, optional
        Freeze: centre and limits from the points up to this period only.
        With ``parts``, one end per part freezes a new baseline after an
        intervention (e.g. the first four quarters of the new part).
    parts : period or list of periods, optional
        Periods where a new part starts; each part gets its own centre and limits.
    exclude : period or list of periods, optional
        Points kept in the output but left out of every calculation.
    rules : {"anhoej", "ihi"}, default "anhoej"
        The runs rules (module docstring)."""


def run_chart(
    series: pd.Series,
    *,
    baseline_end: Any = None,
    parts: Any = None,
    exclude: Any = None,
    rules: str = "anhoej",
) -> pd.DataFrame:
    """Run chart with the median as centre line and the runs rules' signals.

    Parameters
    ----------
    series : Series
        Values in time order, indexed by period (NaN allowed: not plotted,
        not counted).
    {params}

    Returns
    -------
    DataFrame
        One row per point; columns in the module docstring. ``lcl``/``ucl``
        are NaN. Part statistics (``n_useful``, ``longest_run``, …) repeat
        on every row of the part.

    Example
    -------
    >>> import pandas as pd
    >>> q = pd.period_range("2024Q1", periods=8, freq="Q")
    >>> y = pd.Series([3, 5, 4, 5, 3, 4, 5, 3], index=q)
    >>> run_chart(y)[["cl", "n_useful", "n_crossings", "n_crossings_min"]].iloc[0].tolist()
    [4.0, 6.0, 4.0, 1.0]
    """
    y = _as_series(series, "series")
    return _chart(
        "run",
        y,
        None,
        baseline_end=baseline_end,
        parts=parts,
        exclude=exclude,
        screen_mr=False,
        rules=rules,
    )


def control_chart(
    values: pd.Series,
    denominators: pd.Series | None = None,
    *,
    chart: str = "i",
    baseline_end: Any = None,
    parts: Any = None,
    exclude: Any = None,
    screen_mr: bool = False,
    rules: str = "anhoej",
) -> pd.DataFrame:
    """Shewhart control chart: centre line, 3-sigma limits per point, and the runs signals.

    Parameters
    ----------
    values : Series
        Indexed by period in time order. For p/pp charts the proportion
        (0–1); for u/up the rate per unit of the denominator; for c the
        count; for g the number of opportunities between events; for t the
        time between events; for xbar/s the individual measurements, several
        per period (the subgroup is the period).
    denominators : Series, optional
        Required for p, pp, u and up: the subgroup sizes (same index).
    chart : {{"i", "mr", "xbar", "s", "t", "p", "pp", "c", "u", "up", "g"}}
    {params}
    screen_mr : bool, default False
        I and t charts: drop moving ranges above 3.267 × their mean before
        estimating sigma (qicharts2 always does).

    Returns
    -------
    DataFrame
        One row per point (per period for xbar/s): y, cl, lcl, ucl,
        sigma_signal (outside the limits) and the runs columns.

    Example
    -------
    >>> import pandas as pd
    >>> q = pd.period_range("2024Q1", periods=4, freq="Q")
    >>> p = control_chart(pd.Series([0.1, 0.2, 0.1, 0.2], index=q),
    ...                   pd.Series([100, 50, 100, 50], index=q), chart="p")
    >>> p[["cl", "ucl"]].round(4).iloc[:2].values.tolist()
    [[0.1333, 0.2353], [0.1333, 0.2776]]
    """
    check_choice("chart", list(CHARTS), chart)
    y = _as_series(values, "values")
    n = None
    sd = None
    if chart in ("p", "pp", "u", "up"):
        if denominators is None:
            raise ValueError(f"A {chart} chart needs `denominators` (the subgroup sizes).")
        n = _as_series(denominators, "denominators").reindex(y.index)
        if (n <= 0).any():
            raise ValueError("`denominators` must be greater than zero.")
    _check_domain(y, chart)
    if chart in ("xbar", "s"):
        grouped = y.groupby(level=0, sort=False)
        n = grouped.count().astype(float)
        sd = grouped.std(ddof=1)
        y = grouped.mean()
    return _chart(
        chart,
        y,
        n,
        baseline_end=baseline_end,
        parts=parts,
        exclude=exclude,
        screen_mr=screen_mr,
        rules=rules,
        sd=sd,
    )


def _check_domain(y: pd.Series, chart: str) -> None:
    """Refuse values a chart cannot mean: proportions outside 0–1, negative counts, ±inf."""
    values = y.to_numpy(float)
    if chart in ("p", "pp"):
        bad, domain = ~np.isnan(values) & ~((values >= 0) & (values <= 1)), "proportions 0–1"
    elif chart in ("c", "u", "up", "g", "t"):
        bad, domain = ~np.isnan(values) & ~((values >= 0) & np.isfinite(values)), "values >= 0"
    else:
        bad, domain = np.isinf(values), "finite values"
    if bad.any():
        first = int(np.flatnonzero(bad)[0])
        raise SchemaError(
            f"A {chart} chart takes {domain}, but {int(bad.sum())} value(s) are outside, "
            f"first {float(values[first])!r} in {y.index[first]}",
            column=y.name,
            value=float(values[first]),
            hint="give shares as 0–1 (divide percentages by 100) and counts as numbers >= 0"
            if chart in ("p", "pp")
            else "check the measurements: counts and times cannot be negative or infinite",
        )


run_chart.__doc__ = run_chart.__doc__.format(params=_CHART_DOC_PARAMS)
control_chart.__doc__ = control_chart.__doc__.format(params=_CHART_DOC_PARAMS)


# --------------------------------------------------------------------------- baseline and targets


def baseline(series: pd.Series, *, end: Any = None, method: str = "median") -> float:
    """Baseline level: the median (default) or mean of the periods up to ``end``.

    Example
    -------
    >>> import pandas as pd
    >>> y = pd.Series([4, 6, 5, 20], index=pd.period_range("2024Q1", periods=4, freq="Q"))
    >>> baseline(y, end="2024Q3"), baseline(y, end="2024Q3", method="mean")
    (5.0, 5.0)
    """
    check_choice("method", ["median", "mean"], method)
    y = _as_series(series, "series")
    values = y[_baseline_mask(y.index, end)].dropna()
    if values.empty:
        return float("nan")
    return float(values.median() if method == "median" else values.mean())


def target_attainment(
    series: pd.Series,
    target: float,
    *,
    baseline_end: Any = None,
    higher_is_better: bool = True,
    method: str = "median",
) -> pd.Series:
    """Latest value against a target: share of the way from baseline, first period met.

    ``share_of_way = (latest − baseline) / (target − baseline)``: 0 at the
    baseline, 1 at the target (above 1 beyond it, negative when moving away).
    A period meets the target when its value is at least the target (at most,
    when lower is better).

    Returns
    -------
    Series
        latest_period, latest, baseline, target, share_of_way, met (latest
        period), first_met (first period meeting it, or None).

    Example
    -------
    >>> import pandas as pd
    >>> y = pd.Series([2.0, 2.0, 6.0, 11.0], index=pd.period_range("2025Q1", periods=4, freq="Q"))
    >>> r = target_attainment(y, 10, baseline_end="2025Q2")
    >>> r["share_of_way"], r["met"], str(r["first_met"])
    (1.125, True, '2025Q4')
    """
    y = _as_series(series, "series").dropna()
    if y.empty:
        raise ValueError("`series` has no values.")
    base = baseline(y, end=baseline_end, method=method)
    latest = float(y.iloc[-1])
    met = y >= target if higher_is_better else y <= target
    share = (latest - base) / (target - base) if target != base else float("nan")
    return pd.Series(
        {
            "latest_period": y.index[-1],
            "latest": latest,
            "baseline": base,
            "target": float(target),
            "share_of_way": share,
            "met": bool(met.iloc[-1]),
            "first_met": y.index[met.to_numpy()][0] if met.any() else None,
        }
    )


# --------------------------------------------------------------------------- grouped


def _grouped(
    data: pd.DataFrame,
    by: Sequence[str],
    charts: pd.Series,
    *,
    baseline_end: Any,
    screen_mr: bool,
    rules: str,
) -> pd.DataFrame:
    """Charts of every group at once; ``charts`` gives each row's chart type."""
    by = list(by)
    require_columns(data, "data", [*by, "period", "value"])
    for kind in charts.unique():
        check_choice("chart", ["run", *CHARTS], kind)
    frames = []
    for kind in sorted(charts.unique()):
        part = data[(charts == kind).to_numpy()]
        if kind in ("xbar", "s"):  # subgroups: the values of one period
            grouped = part.groupby([*by, "period"], sort=False)["value"]
            part = grouped.mean().rename("value").to_frame()
            part["denominator"] = grouped.count().astype(float)
            part["sd"] = grouped.std(ddof=1)
            part = part.reset_index()
        part = part.sort_values([*by, "period"], kind="stable")
        seg = part.groupby(by, sort=False).ngroup().to_numpy()
        if kind in ("p", "pp", "u", "up"):
            require_columns(part, "data", ["denominator"])
        n = part["denominator"].to_numpy(float) if "denominator" in part else None
        end = pd.Period(baseline_end, freq="Q") if baseline_end is not None else None
        frame = _compute(
            kind,
            part["period"].array,  # kept a PeriodArray: to_numpy() boxes every quarter
            part["value"].to_numpy(float),
            n
            if n is not None and kind in ("p", "pp", "u", "up", "xbar", "s")
            else np.full(len(part), np.nan),
            part["sd"].to_numpy(float) if "sd" in part else np.full(len(part), np.nan),
            seg,
            (part["period"] <= end).to_numpy() if end is not None else np.ones(len(part), bool),
            np.ones(len(part), bool),
            screen_mr=screen_mr,
            rules=rules,
            part=np.ones(len(part), int),
        )
        keys = part[by].reset_index(drop=True)
        frames.append(pd.concat([keys, frame.assign(chart=kind)], axis=1))
    if not frames:
        return pd.DataFrame(columns=[*by, *_COLUMNS, "chart"])
    out = pd.concat(frames, ignore_index=True)
    return out.sort_values([*by, "x"], kind="stable").reset_index(drop=True)


def run_charts(
    data: pd.DataFrame,
    *,
    by: Sequence[str] = ("municipality_code", "metric_id"),
    baseline_end: Any = None,
    rules: str = "anhoej",
) -> pd.DataFrame:
    """:func:`run_chart` for every group of a tidy ``monitoring`` table, computed at once.

    Example
    -------
    >>> import pandas as pd
    >>> d = pd.DataFrame({"municipality_code": "1880", "metric_id": "m",
    ...     "period": pd.period_range("2024Q1", periods=4, freq="Q"), "value": [1., 2, 3, 4]})
    >>> run_charts(d)["cl"].tolist()
    [2.5, 2.5, 2.5, 2.5]
    """
    charts = pd.Series("run", index=data.index)
    return _grouped(data, by, charts, baseline_end=baseline_end, screen_mr=False, rules=rules)


def control_charts(
    data: pd.DataFrame,
    *,
    chart: str | dict[str, str] = "i",
    by: Sequence[str] = ("municipality_code", "metric_id"),
    baseline_end: Any = None,
    screen_mr: bool = False,
    rules: str = "anhoej",
) -> pd.DataFrame:
    """:func:`control_chart` for every group, computed at once; ``chart`` may map metric_id.

    For p/pp/u/up charts the ``denominator`` column is used and ``value``
    must be the proportion (0–1) or the rate per unit. xbar/s take several
    rows per period (the subgroup). A ``chart`` column tells each row's type.

    Example
    -------
    >>> import pandas as pd
    >>> d = pd.DataFrame({"municipality_code": "1880", "metric_id": "m",
    ...     "period": pd.period_range("2024Q1", periods=4, freq="Q"), "value": [1., 3, 1, 3]})
    >>> control_charts(d)[["cl", "ucl"]].iloc[0].tolist()
    [2.0, 7.319148936170214]
    """
    if isinstance(chart, dict):
        charts = data["metric_id"].map(chart).fillna("i")
    else:
        charts = pd.Series(chart, index=data.index)
    return _grouped(data, by, charts, baseline_end=baseline_end, screen_mr=screen_mr, rules=rules)


# --------------------------------------------------------------------------- ITS


@dataclass(frozen=True)
class ITSResult:
    """Result of :func:`interrupted_time_series`.

    Attributes
    ----------
    coefficients : DataFrame
        term (baseline_level, baseline_slope, level_change, slope_change),
        estimate, ci_low, ci_high, p_value.
    fitted : DataFrame
        x, y, fitted, counterfactual (the pre-intervention line continued),
        after (bool).
    sentence : str
        The estimated effect in plain language.
    """

    coefficients: pd.DataFrame
    fitted: pd.DataFrame
    sentence: str


def interrupted_time_series(
    series: pd.Series,
    *,
    intervention: Any,
    hac_lags: int | None = None,
    unit: str = "",
    lang: str = "sv",
    decimals: int = 1,
) -> ITSResult:
    """Segmented regression of an interrupted time series (level and slope change).

    Parameters
    ----------
    series : Series
        Indexed by period, in time order.
    intervention : period
        The first period after the change.
    hac_lags : int, optional
        Newey–West standard errors with this many lags (quarterly data with
        autocorrelation: 1–4). None: ordinary OLS standard errors.
    unit : str
        Unit for the sentence (e.g. "procentenheter").
    lang : {"sv", "en"}
    decimals : int
        Decimals in the sentence.

    Returns
    -------
    ITSResult

    Example
    -------
    >>> import numpy as np, pandas as pd
    >>> q = pd.period_range("2022Q1", periods=12, freq="Q")
    >>> y = pd.Series(np.r_[np.full(6, 2.0), np.full(6, 5.0)] + np.tile([0.1, -0.1], 6), index=q)
    >>> r = interrupted_time_series(y, intervention="2023Q3")
    >>> round(float(r.coefficients.set_index("term").loc["level_change", "estimate"]))
    3
    >>> r.sentence.startswith("Efter förändringen 2023 K3 höjdes nivån med 3,1")
    True
    """
    import statsmodels.api as sm

    from .formatting import format_number

    check_choice("lang", ["sv", "en"], lang)
    y = _as_series(series, "series")
    (start,) = _positions(y.index, intervention, "intervention")
    if start < 3 or len(y) - start < 3:
        raise ValueError(
            "`intervention` must leave at least 3 periods before and 3 after it, but "
            f"{intervention!r} leaves {start} before and {len(y) - start} after."
        )
    t = np.arange(len(y), dtype=float)
    after = (t >= start).astype(float)
    design = np.column_stack([np.ones_like(t), t, after, (t - start) * after])
    ok = np.isfinite(y.to_numpy())
    model = sm.OLS(y.to_numpy()[ok], design[ok])
    fit = (
        model.fit(cov_type="HAC", cov_kwds={"maxlags": hac_lags})
        if hac_lags is not None
        else model.fit()
    )
    ci = np.asarray(fit.conf_int(0.05))
    terms = ["baseline_level", "baseline_slope", "level_change", "slope_change"]
    coefficients = pd.DataFrame(
        {
            "term": terms,
            "estimate": np.asarray(fit.params),
            "ci_low": ci[:, 0],
            "ci_high": ci[:, 1],
            "p_value": np.asarray(fit.pvalues),
        }
    )
    fitted = design @ np.asarray(fit.params)
    counterfactual = design[:, :2] @ np.asarray(fit.params)[:2]
    frame = pd.DataFrame(
        {
            "x": y.index,
            "y": y.to_numpy(),
            "fitted": fitted,
            "counterfactual": np.where(after == 1, counterfactual, np.nan),
            "after": after.astype(bool),
        }
    )
    level = coefficients.iloc[2]

    def num(v):
        return format_number(v, decimals=decimals, lang=lang)

    unit_text = f" {unit}" if unit else ""
    sure = level["ci_low"] > 0 or level["ci_high"] < 0
    period = (
        str(y.index[start])
        if not isinstance(y.index, pd.PeriodIndex)
        else (
            f"{y.index[start].year} K{y.index[start].quarter}"
            if lang == "sv"
            else f"{y.index[start].year} Q{y.index[start].quarter}"
        )
    )
    if lang == "sv":
        direction = "höjdes" if level["estimate"] > 0 else "sänktes"
        sentence = (
            f"Efter förändringen {period} {direction} nivån med {num(abs(level['estimate']))}"
            f"{unit_text} (95 % konfidensintervall {num(level['ci_low'])} till "
            f"{num(level['ci_high'])}); "
            + (
                "intervallet utesluter noll, så förändringen är troligen verklig."
                if sure
                else "intervallet omfattar noll, så vi kan inte säga att nivån ändrades."
            )
        )
    else:
        direction = "rose" if level["estimate"] > 0 else "fell"
        sentence = (
            f"After the change in {period} the level {direction} by "
            f"{num(abs(level['estimate']))}{unit_text} (95 % confidence interval "
            f"{num(level['ci_low'])} to {num(level['ci_high'])}); "
            + (
                "the interval excludes zero, so the change is likely real."
                if sure
                else "the interval includes zero, so we cannot say the level changed."
            )
        )
    return ITSResult(coefficients, frame, sentence)


# --------------------------------------------------------------------------- quarter summary

#: Default chart per metric kind (catalogue ``kind``): proportions with
#: denominators get Laney's p′ (quarterly denominators are large, so plain p
#: limits would flag ordinary between-quarter variation), counts a c chart,
#: rates Laney's u′, measures an I chart.
DEFAULT_CHARTS = {"proportion": "pp", "rate": "up", "count": "c", "measure": "i"}


def charts_for(data: pd.DataFrame, catalogue: pd.DataFrame) -> pd.DataFrame:
    """Control charts of every municipality and metric with the catalogue's defaults.

    Chart type from :data:`DEFAULT_CHARTS` (an I chart for a proportion
    without denominators), baseline from the catalogue's ``baseline_end``.
    Proportions are charted as numerator / denominator (0–1) whatever unit
    the value is written in. Adds the catalogue's ``higher_is_better`` and
    ``target`` (as 0–1 for "%" proportions) and the chart type.

    Example
    -------
    >>> import pandas as pd
    >>> cat = pd.DataFrame({"metric_id": ["m"], "unit": ["antal"], "kind": ["count"],
    ...     "higher_is_better": [True], "target": [float("nan")],
    ...     "baseline_end": [pd.NaT]})
    >>> d = pd.DataFrame({"municipality_code": "1880", "metric_id": "m",
    ...     "period": pd.period_range("2024Q1", periods=4, freq="Q"), "value": [4.0, 6, 5, 5]})
    >>> c = charts_for(d, cat).iloc[0]
    >>> c["chart"], float(c["cl"]), round(float(c["ucl"]), 2)
    ('c', 5.0, 11.71)
    """
    require_columns(data, "data", ["municipality_code", "metric_id", "period", "value"])
    require_columns(catalogue, "catalogue", ["metric_id", "kind", "higher_is_better"])
    meta = catalogue.set_index("metric_id")
    frames = []
    for metric, group in data.groupby("metric_id", sort=True):  # one vectorised pass per metric
        kind = meta["kind"].get(metric, "measure")
        has_n = "denominator" in group and group["denominator"].notna().all()
        chart = DEFAULT_CHARTS[kind] if (kind not in ("proportion", "rate") or has_n) else "i"
        target = meta["target"].get(metric, np.nan) if "target" in meta else np.nan
        values = group
        if chart in ("pp", "up"):
            values = group.assign(value=group["numerator"] / group["denominator"])
            if "unit" in meta and meta["unit"].get(metric) == "%":
                target = target / 100
        end = meta["baseline_end"].get(metric) if "baseline_end" in meta else None
        result = control_charts(
            values, chart=chart, baseline_end=None if end is None or pd.isna(end) else end
        )
        result["higher_is_better"] = bool(meta["higher_is_better"].get(metric, True))
        result["target"] = target
        frames.append(result)
    return pd.concat(frames, ignore_index=True)


def quarter_summary(charts: pd.DataFrame, *, quarter: Any = None) -> pd.DataFrame:
    """What is new in a quarter, per municipality and metric, from :func:`charts_for`.

    Columns: municipality_code, metric_id, quarter, value (as charted),
    target, target_met, signal ("improvement", "deterioration" or ""),
    new_signal (a signal now that was not there the quarter before),
    against_direction (a deterioration signal). A point signals when it is
    outside the limits or part of an unusually long run.

    Example
    -------
    >>> import pandas as pd
    >>> cat = pd.DataFrame({"metric_id": ["m"], "kind": ["measure"], "higher_is_better": [False],
    ...     "target": [3.0], "baseline_end": [pd.Period("2024Q4", "Q")]})
    >>> d = pd.DataFrame({"municipality_code": "1880", "metric_id": "m",
    ...     "period": pd.period_range("2024Q1", periods=6, freq="Q"),
    ...     "value": [5.0, 5.2, 4.9, 5.1, 5.0, 9.0]})
    >>> s = quarter_summary(charts_for(d, cat))
    >>> s[["signal", "new_signal", "against_direction"]].to_dict("records")
    [{'signal': 'deterioration', 'new_signal': True, 'against_direction': True}]
    """
    require_columns(
        charts,
        "charts",
        ["municipality_code", "metric_id", "x", "y", "cl", "sigma_signal", "shift_point"],
    )
    quarter = pd.Period(quarter, freq="Q") if quarter is not None else charts["x"].max()
    # Only the quarter and the one before matter: the rest of the history is left unread.
    frame = charts[((charts["x"] == quarter) | (charts["x"] == quarter - 1)).to_numpy()]
    signal_at = frame["sigma_signal"] | frame["shift_point"]
    better = np.where(frame["higher_is_better"], frame["y"] > frame["cl"], frame["y"] < frame["cl"])
    direction = np.where(signal_at, np.where(better, "improvement", "deterioration"), "")
    keys = ["municipality_code", "metric_id"]
    frame = frame.assign(_signal=direction)
    # The first row of each series in the quarter (and in the quarter before), one pass each.
    now = frame[(frame["x"] == quarter).to_numpy()].drop_duplicates(keys)
    if now.empty:
        return pd.DataFrame([])
    now = now.sort_values(keys, kind="stable")
    before = frame[(frame["x"] == quarter - 1).to_numpy()].drop_duplicates(keys)
    previous = (
        now[keys]
        .merge(before[[*keys, "_signal"]], on=keys, how="left")["_signal"]
        .fillna("")
        .to_numpy(dtype=object)
    )
    y = now["y"].to_numpy()
    target = now["target"].to_numpy() if "target" in now else np.full(len(now), np.nan)
    hib = (
        np.array([bool(v) for v in now["higher_is_better"]], dtype=bool)
        if "higher_is_better" in now
        else np.ones(len(now), dtype=bool)
    )
    has_target = pd.notna(target)
    with np.errstate(invalid="ignore"):
        reached = np.where(hib, y >= target, y <= target)
    signal = now["_signal"].to_numpy(dtype=object)
    return pd.DataFrame(
        {
            "municipality_code": now["municipality_code"].tolist(),
            "metric_id": now["metric_id"].tolist(),
            "quarter": [quarter] * len(now),
            "value": y.tolist(),
            "target": target.tolist(),
            "target_met": [
                bool(r) if t else None for r, t in zip(reached, has_target, strict=True)
            ],
            "signal": signal.tolist(),
            "new_signal": [bool(s and s != p) for s, p in zip(signal, previous, strict=True)],
            "against_direction": [bool(s == "deterioration") for s in signal],
        }
    )


def summary_lines(
    summary: pd.DataFrame,
    *,
    names: dict | pd.Series | None = None,
    titles: dict | pd.Series | None = None,
    lang: str = "sv",
) -> list[str]:
    """Plain-language lines on what is new in the quarter, from :func:`quarter_summary`.

    Example
    -------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"municipality_code": ["1880"], "metric_id": ["m"],
    ...     "quarter": [pd.Period("2026Q3", "Q")], "signal": ["improvement"],
    ...     "new_signal": [True], "against_direction": [False], "target_met": [True]})
    >>> for line in summary_lines(s, names={"1880": "Örebro"}, titles={"m": "Digitala besök"}):
    ...     print(line)
    Kvartal 2026 K3.
    Nya signaler: Örebro – Digitala besök (förbättring).
    Mål nådda: Örebro – Digitala besök.
    Inga mått går åt fel håll.
    """
    from .formatting import quarter_label

    check_choice("lang", ["sv", "en"], lang)
    names = dict(names) if names is not None else {}
    titles = dict(titles) if titles is not None else {}
    sv = lang == "sv"

    def label(row) -> str:
        return (
            f"{names.get(row.municipality_code, row.municipality_code)} – "
            f"{titles.get(row.metric_id, row.metric_id)}"
        )

    words = {"improvement": "förbättring", "deterioration": "försämring"} if sv else {}
    quarter = summary["quarter"].iloc[0] if len(summary) else None
    lines = [f"{'Kvartal' if sv else 'Quarter'} {quarter_label(quarter, lang)}."]
    new = summary[summary["new_signal"].astype(bool)]
    if len(new):
        items = "; ".join(f"{label(r)} ({words.get(r.signal, r.signal)})" for r in new.itertuples())
        lines.append(f"{'Nya signaler' if sv else 'New signals'}: {items}.")
    else:
        lines.append("Inga nya signaler." if sv else "No new signals.")
    met = summary[summary["target_met"].fillna(False).astype(bool)]
    if len(met):
        items = "; ".join(label(r) for r in met.itertuples())
        lines.append(f"{'Mål nådda' if sv else 'Targets met'}: {items}.")
    against = summary[summary["against_direction"].astype(bool)]
    if len(against):
        items = "; ".join(label(r) for r in against.itertuples())
        lines.append(f"{'Går åt fel håll' if sv else 'Moving the wrong way'}: {items}.")
    else:
        lines.append("Inga mått går åt fel håll." if sv else "No metric moves the wrong way.")
    return lines


# --------------------------------------------------------------------------- report tables

_QUARTER_TEXT = {
    "sv": {"improvement": "Förbättring", "deterioration": "Försämring", "new": "Ny signal"},
    "en": {"improvement": "Improvement", "deterioration": "Deterioration", "new": "New signal"},
}
#: Chart types whose values are proportions (0–1), shown as percentages.
_PERCENT_CHARTS = ("p", "pp")


def hide_small_counts(
    charts: pd.DataFrame,
    *,
    data: pd.DataFrame,
    catalogue: pd.DataFrame,
    limit: int = SUPPRESSION_LIMIT,
) -> pd.DataFrame:
    """The chart rows fit to publish: points resting on a small count are hidden.

    A point is hidden when its quarter's numerator (of a share or rate), or the
    value of a metric of kind "count", is from 1 to ``limit − 1``, or when the
    source already marked it suppressed: the same primary rule as
    :func:`quarter_table`. Its ``y`` becomes NaN, its signals are cleared, and
    ``suppressed`` is True, so a figure draws neither the point nor its signal
    and says how many it left out (:func:`ehalsa_analys.plots.spc_chart`). A
    series with a hidden point also loses its centre line and limits, which
    together with the visible points would give the hidden values back.

    Example
    -------
    >>> cat = pd.DataFrame({"metric_id": ["m"], "kind": ["count"], "higher_is_better": [True]})
    >>> d = pd.DataFrame({"municipality_code": "1880", "metric_id": "m",
    ...     "period": pd.period_range("2024Q1", periods=4, freq="Q"), "value": [9.0, 3, 0, 12]})
    >>> out = hide_small_counts(charts_for(d, cat), data=d, catalogue=cat)
    >>> out["y"].tolist(), out["suppressed"].tolist()
    ([9.0, nan, 0.0, 12.0], [False, True, False, False])
    """
    require_columns(charts, "charts", ["municipality_code", "metric_id", "x", "y"])
    require_columns(data, "data", ["municipality_code", "metric_id", "period", "value"])
    kinds = catalogue.set_index("metric_id")["kind"]
    keys = data[["municipality_code", "metric_id", "period"]].rename(columns={"period": "x"})
    numerator = data["numerator"] if "numerator" in data else pd.Series(np.nan, index=data.index)
    count = numerator.where(
        numerator.notna(), data["value"].where(data["metric_id"].map(kinds).eq("count"))
    )
    status = data["status"] if "status" in data else pd.Series("", index=data.index)
    small = (count >= 1) & (count < limit) | status.eq("suppressed")
    hidden = keys.assign(hidden=small.to_numpy(dtype=bool)).drop_duplicates(
        ["municipality_code", "metric_id", "x"]
    )
    out = charts.merge(hidden, on=["municipality_code", "metric_id", "x"], how="left")
    mask = out.pop("hidden").fillna(False).to_numpy(dtype=bool)
    out.loc[mask, "y"] = np.nan
    for column in ("sigma_signal", "shift_point", "trend_point"):
        if column in out and out[column].dtype == bool:
            out.loc[mask, column] = False
    # A centre line is a mean or median of the points, hidden ones included: with the
    # visible points it would give the hidden ones back. A series with a hidden point
    # keeps its points only.
    touched = (
        pd.Series(mask, index=out.index)
        .groupby([out["municipality_code"], out["metric_id"]], sort=False)
        .transform("any")
        .to_numpy(dtype=bool)
    )
    for column in ("cl", "lcl", "ucl"):
        if column in out:
            out.loc[touched, column] = np.nan
    out["suppressed"] = mask
    return out


def quarter_table(
    charts: pd.DataFrame,
    *,
    data: pd.DataFrame,
    catalogue: pd.DataFrame,
    quarter: Any = None,
    names: dict | pd.Series | None = None,
    titles: dict | pd.Series | None = None,
    lang: str = "sv",
    limit: int = SUPPRESSION_LIMIT,
) -> pd.DataFrame:
    """The quarter in a report: latest value, target and signal per municipality and metric.

    One table for every output of the quarter (notebook 04 and ``ehalsa
    monitor``), so all of them hide the same cells. Values are written as
    text (Swedish "9,5 %", English "9.5%"); a hidden value is "x".

    Hidden (:func:`ehalsa_analys.disclosure.suppress`, groups per metric):

    * primary: the quarter's numerator (of a share or rate), or the value of
      a metric of kind "count", is from 1 to ``limit − 1``;
    * secondary: in a metric with exactly one such municipality, the smallest
      other count too, since the county total would reveal it;
    * a value the source file already marked as suppressed.

    Parameters
    ----------
    charts : DataFrame
        :func:`charts_for` of ``data``.
    data : DataFrame
        The tidy ``monitoring`` table (numerator, value, status per quarter).
    catalogue : DataFrame
        The metric catalogue (metric_id, kind).
    quarter : period, optional
        Default the latest quarter in ``charts``.
    names, titles : mapping or Series, optional
        Municipality name by code and metric title by id; codes and ids
        are shown where missing.
    lang : {"sv", "en"}
    limit : int, default 5
        Counts from 1 to ``limit − 1`` are hidden.

    Returns
    -------
    DataFrame
        municipality_code, metric_id, quarter, municipality, metric, latest,
        target, signal, note (text, as :func:`ehalsa_analys.plots.summary_table`
        draws them), value (latest as a number, as shown: shares in percent, counts
        whole, other measures to one decimal; NaN when hidden) and
        suppression ("primary", "secondary", "source" or ""); sorted by
        municipality and metric.

    Example
    -------
    >>> import pandas as pd
    >>> cat = pd.DataFrame({"metric_id": ["besok"], "kind": ["proportion"],
    ...     "higher_is_better": [True], "target": [float("nan")], "baseline_end": [pd.NaT]})
    >>> q = list(pd.period_range("2024Q1", periods=4, freq="Q"))
    >>> d = pd.DataFrame({"municipality_code": ["1880"] * 4 + ["1814"] * 4 + ["1860"] * 4,
    ...     "metric_id": "besok", "period": q * 3,
    ...     "numerator": [30.0, 31, 29, 30, 10, 9, 11, 3, 50, 52, 49, 51],
    ...     "denominator": 100.0, "status": ""})
    >>> d["value"] = d["numerator"]
    >>> t = quarter_table(charts_for(d, cat), data=d, catalogue=cat)
    >>> t[["municipality_code", "latest", "suppression"]].values.tolist()
    [['1814', 'x', 'primary'], ['1860', '51,0\xa0%', ''], ['1880', 'x', 'secondary']]
    """
    from .formatting import format_number

    check_choice("lang", list(_QUARTER_TEXT), lang)
    require_columns(charts, "charts", ["municipality_code", "metric_id", "x", "y", "chart"])
    require_columns(data, "data", ["municipality_code", "metric_id", "period", "value"])
    require_columns(catalogue, "catalogue", ["metric_id", "kind"])
    text = _QUARTER_TEXT[lang]
    keys = ["municipality_code", "metric_id"]
    summary = quarter_summary(charts, quarter=quarter)
    if summary.empty:
        summary = pd.DataFrame(
            columns=[*keys, "quarter", "value", "target", "signal", "new_signal"]
        )
    period = pd.Period(quarter, freq="Q") if quarter is not None else charts["x"].max()
    reasons = _quarter_suppression(data, catalogue, period, limit=limit)
    kinds = charts.drop_duplicates(keys).set_index(keys)["chart"]
    index = pd.MultiIndex.from_frame(summary[keys])
    reason = reasons.reindex(index).fillna("").to_numpy()
    chart = kinds.reindex(index).to_numpy()
    percent = np.isin(chart, _PERCENT_CHARTS)
    hidden = reason != ""
    value = summary["value"].to_numpy(float)
    shown = [
        "x"
        if hide
        else format_number(v * 100, decimals=1, lang=lang, percent=True)
        if pct
        else format_number(v, decimals=0 if c == "c" else 1, lang=lang)
        for v, c, pct, hide in zip(value, chart, percent, hidden, strict=True)
    ]
    targets = [
        format_number(t * 100 if pct else t, lang=lang, percent=bool(pct))
        for t, pct in zip(summary["target"].to_numpy(float), percent, strict=True)
    ]
    names = dict(names) if names is not None else {}
    titles = dict(titles) if titles is not None else {}
    out = pd.DataFrame(
        {
            "municipality_code": summary["municipality_code"].to_numpy(),
            "metric_id": summary["metric_id"].to_numpy(),
            "quarter": summary["quarter"].to_numpy(),
            "municipality": [names.get(c, c) for c in summary["municipality_code"]],
            "metric": [titles.get(m, m) for m in summary["metric_id"]],
            "latest": shown,
            "target": targets,
            "signal": [text.get(s, "") for s in summary["signal"]],
            "note": [text["new"] if n else "" for n in summary["new_signal"]],
            # the number of "latest", as the figures show it (shares in percent), rounded
            "value": np.where(
                hidden,
                np.nan,
                np.where(
                    percent,
                    np.round(value * 100, 1),
                    np.where(chart == "c", np.round(value), np.round(value, 1)),
                ),
            ),
            "suppression": reason,
        }
    )
    return out.sort_values(keys, kind="stable", ignore_index=True)


def _quarter_suppression(
    data: pd.DataFrame, catalogue: pd.DataFrame, period: Any, *, limit: int
) -> pd.Series:
    """Why each municipality's and metric's value of ``period`` is hidden ("" when shown).

    The one rule of every quarter output (:func:`quarter_table`, :func:`target_attainments`):
    primary when the quarter's numerator (of a share or rate), or the value of a metric of kind
    "count", is from 1 to ``limit − 1``; secondary per metric (the county total would give one
    hidden value back); "source" for a value the source file marked suppressed. Indexed by
    municipality_code and metric_id.
    """
    keys = ["municipality_code", "metric_id"]
    now = data[data["period"] == period]
    numerator = now["numerator"] if "numerator" in now else pd.Series(np.nan, index=now.index)
    kinds = (
        catalogue.set_index("metric_id")["kind"] if "kind" in catalogue else pd.Series(dtype=object)
    )
    is_count = now["metric_id"].map(kinds).eq("count")
    counts = now[keys].assign(
        antal=numerator.where(numerator.notna(), now["value"].where(is_count)),
        source=(now["status"] == "suppressed") if "status" in now else False,
    )
    masked = suppress(counts, counts=["antal"], groups=[["metric_id"]], limit=limit, status=None)
    masked["suppression"] = masked["suppression"].where(
        masked["suppression"].ne("") | ~masked["source"].astype(bool), "source"
    )
    return masked.drop_duplicates(keys).set_index(keys)["suppression"]


def target_attainments(
    data: pd.DataFrame,
    catalogue: pd.DataFrame,
    *,
    method: str = "median",
    limit: int | None = SUPPRESSION_LIMIT,
) -> pd.DataFrame:
    """:func:`target_attainment` of every municipality and metric whose metric has a target.

    The target, ``baseline_end`` and ``higher_is_better`` come from the
    catalogue, in the unit the values are written in (a "%" metric's
    target 10 against values such as 9.5). Metrics without a target, or not
    in the catalogue, and series without any value are left out.

    Small counts are hidden as in :func:`quarter_table` (the same cells): when
    the latest quarter's value rests on a count of 1 to ``limit − 1`` (the
    numerator of a share, or the value of a metric of kind "count"), or on
    the value the quarter table hides to protect one, ``latest``,
    ``share_of_way`` and ``met`` are NaN (they would give it back, as would
    ``latest_period``, which is kept); a count metric's baseline of 1 to
    ``limit − 1`` is hidden too. ``limit=None`` keeps every value (analysis,
    not a report).

    Returns
    -------
    DataFrame
        municipality_code, metric_id, latest_period, latest, baseline,
        target, share_of_way, met, first_met; sorted by municipality and
        metric.

    Example
    -------
    >>> import pandas as pd
    >>> cat = pd.DataFrame({"metric_id": ["m", "n"], "target": [10.0, float("nan")],
    ...     "higher_is_better": [True, True], "baseline_end": [pd.Period("2025Q2", "Q"), pd.NaT]})
    >>> d = pd.DataFrame({"municipality_code": "1880", "metric_id": ["m"] * 4 + ["n"] * 4,
    ...     "period": list(pd.period_range("2025Q1", periods=4, freq="Q")) * 2,
    ...     "value": [2.0, 2.0, 6.0, 11.0, 1, 2, 3, 4]})
    >>> target_attainments(d, cat)[["metric_id", "share_of_way", "met"]].values.tolist()
    [['m', 1.125, True]]
    """
    require_columns(data, "data", ["municipality_code", "metric_id", "period", "value"])
    require_columns(catalogue, "catalogue", ["metric_id", "target", "higher_is_better"])
    meta = catalogue.set_index("metric_id")
    columns = ["municipality_code", "metric_id", *_ATTAINMENT]
    with_target = meta.index[meta["target"].notna()]
    chosen = data[data["metric_id"].isin(with_target) & data["value"].notna()]
    rows = []
    for (code, metric), group in chosen.groupby(["municipality_code", "metric_id"], sort=True):
        end = meta["baseline_end"].get(metric) if "baseline_end" in meta else None
        result = target_attainment(
            group.sort_values("period").set_index("period")["value"],
            float(meta.loc[metric, "target"]),
            baseline_end=None if end is None or pd.isna(end) else end,
            higher_is_better=bool(meta.loc[metric, "higher_is_better"]),
            method=method,
        )
        rows.append({"municipality_code": code, "metric_id": metric, **result.to_dict()})
    out = pd.DataFrame(rows, columns=columns)
    if limit is None or out.empty:
        return out
    keys = ["municipality_code", "metric_id"]
    hidden = np.zeros(len(out), dtype=bool)
    for period in out["latest_period"].dropna().unique():
        reasons = _quarter_suppression(data, catalogue, period, limit=limit)
        at = (out["latest_period"] == period).to_numpy()
        found = reasons.reindex(pd.MultiIndex.from_frame(out.loc[at, keys])).fillna("")
        hidden[at] = found.ne("").to_numpy()
    kinds = meta["kind"] if "kind" in meta else pd.Series(dtype=object)
    is_count = out["metric_id"].map(kinds).eq("count").to_numpy()
    baseline = out["baseline"].to_numpy(float)
    small_base = is_count & (baseline >= 1) & (baseline < limit)
    out["met"] = out["met"].astype(object)
    out.loc[hidden, ["latest", "share_of_way", "met"]] = np.nan
    out.loc[small_base, ["baseline", "share_of_way"]] = np.nan
    return out


_ATTAINMENT = ["latest_period", "latest", "baseline", "target", "share_of_way", "met", "first_met"]
_UNIT_WORDS = {"sv": {"%": "procentenheter"}, "en": {"%": "percentage points"}}


def largest_change_its(
    data: pd.DataFrame,
    catalogue: pd.DataFrame,
    *,
    metric_id: str,
    hac_lags: int | None = 2,
    lang: str = "sv",
    limit: int = SUPPRESSION_LIMIT,
) -> tuple[str, ITSResult] | None:
    """The interrupted time series of the municipality whose ``metric_id`` improved most.

    Only municipalities without a small count in the metric's series (numerator or count of
    1 to ``limit − 1``, or a value suppressed at the source) are candidates, since the figure
    shows every point.

    The change of a municipality is its mean after the catalogue's
    ``baseline_end`` minus its mean up to it; the largest rise is chosen
    (the largest fall when lower is better; ties: the lowest code). Its
    series is then fitted by :func:`interrupted_time_series` with the
    intervention in the quarter after ``baseline_end``, the unit from the
    catalogue ("%" is written as percentage points).

    Returns
    -------
    (str, ITSResult) or None
        The municipality code and the result; None when the metric has no
        values, no baseline_end in the catalogue, or no municipality has
        quarters on both sides of it.

    Example
    -------
    >>> import pandas as pd
    >>> cat = pd.DataFrame({"metric_id": ["m"], "unit": ["%"], "higher_is_better": [True],
    ...                     "baseline_end": [pd.Period("2023Q2", "Q")]})
    >>> q = list(pd.period_range("2022Q1", periods=12, freq="Q"))
    >>> d = pd.DataFrame({"municipality_code": ["1880"] * 12 + ["1814"] * 12, "metric_id": "m",
    ...     "period": q * 2, "value": [2.0, 2.2] * 3 + [5.0, 5.2] * 3 + [2.0, 2.2] * 6})
    >>> code, its = largest_change_its(d, cat, metric_id="m")
    >>> code, its.sentence[:43]
    ('1880', 'Efter förändringen 2023 K3 höjdes nivån med')
    """
    check_choice("lang", list(_UNIT_WORDS), lang)
    require_columns(data, "data", ["municipality_code", "metric_id", "period", "value"])
    require_columns(catalogue, "catalogue", ["metric_id", "baseline_end"])
    meta = catalogue.set_index("metric_id")
    if metric_id not in meta.index or pd.isna(meta.loc[metric_id, "baseline_end"]):
        return None
    end = meta.loc[metric_id, "baseline_end"]
    rows = data[data["metric_id"] == metric_id]
    # Only a series whose every point may be published: a fitted line with the visible
    # points would give a hidden one back (see :func:`hide_small_counts`).
    if "kind" in meta:
        publishable = hide_small_counts(
            rows.rename(columns={"period": "x"}).assign(y=rows["value"]),
            data=rows,
            catalogue=catalogue,
            limit=limit,
        )
        small = publishable.groupby("municipality_code")["suppressed"].any()
        rows = rows[~rows["municipality_code"].map(small).fillna(False).to_numpy(dtype=bool)]
    wide = rows.pivot(index="period", columns="municipality_code", values="value").sort_index()
    change = (wide[wide.index > end].mean() - wide[wide.index <= end].mean()).dropna()
    if change.empty:
        return None
    hib = "higher_is_better" not in meta or bool(meta.loc[metric_id, "higher_is_better"])
    ranked = pd.DataFrame({"code": change.index, "key": change.to_numpy() * (-1 if hib else 1)})
    code = str(ranked.sort_values(["key", "code"], kind="stable")["code"].iloc[0])
    unit = str(meta["unit"].get(metric_id, "")) if "unit" in meta else ""
    result = interrupted_time_series(
        wide[code],  # every quarter of the metric, so time steps stay one quarter apart
        intervention=end + 1,
        hac_lags=hac_lags,
        unit=_UNIT_WORDS[lang].get(unit, unit),
        lang=lang,
    )
    return code, result


def metric_with_target(charts: pd.DataFrame, catalogue: pd.DataFrame) -> str | None:
    """The first metric of the catalogue (in its order) that has a target and is charted.

    Example
    -------
    >>> import pandas as pd
    >>> cat = pd.DataFrame({"metric_id": ["a", "b", "c"], "target": [None, 5.0, 7.0]})
    >>> metric_with_target(pd.DataFrame({"metric_id": ["a", "c"]}), cat)
    'c'
    """
    require_columns(charts, "charts", ["metric_id"])
    require_columns(catalogue, "catalogue", ["metric_id", "target"])
    charted = set(charts["metric_id"])
    chosen = catalogue.loc[catalogue["target"].notna() & catalogue["metric_id"].isin(charted)]
    return str(chosen["metric_id"].iloc[0]) if len(chosen) else None
