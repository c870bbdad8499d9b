"""Municipality comparisons of survey key figures: reference levels, rank colours, trends, index.

Pure functions over an ``observations`` table (:mod:`ehalsa_analys.schemas`; from the survey
and Kolada loaders of :mod:`ehalsa_analys.load`): one row per municipality, indicator and period
(a repeated row is a :class:`~ehalsa_analys.errors.SchemaError`), a missing answer a NaN
``value`` with its reason in ``status``. Only the 290 municipalities are
compared: a row counts when its code is four digits not starting with "00", so the nation "0000",
Kolada's county aggregates "0001"–"0025" and group ids never count as one more municipality.
Outputs are new frames sorted by their keys with a fresh index. Overview and literature:
docs/methods.md.

Example
-------
>>> obs = pd.DataFrame({"municipality_code": ["1880", "1814", "0180"], "period": 2022,
...     "indicator_id": "digital_nattillsyn", "value": [1.0, 0.0, 1.0], "unit": "ja/nej"})
>>> reference_levels(obs, by="nation")[["level", "n", "share"]].to_dict("records")
[{'level': 'nation', 'n': 3, 'share': 0.6666666666666666}]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from . import reference
from .disclosure import SUPPRESSION_LIMIT
from .errors import SchemaError, check_choice
from .schemas import require_columns

__all__ = [
    "SIZE_CLASSES",
    "RANK_CATEGORIES",
    "BINARY_UNITS",
    "size_classes",
    "reference_levels",
    "rank_colour",
    "trend",
    "composite",
    "publishable",
]

#: Socialstyrelsen's population size classes: (label, lower bound, inclusive).
SIZE_CLASSES = (
    ("under 10 000", 0),
    ("10 000–20 000", 10_000),
    ("20 000–50 000", 20_000),
    ("50 000–100 000", 50_000),
    ("över 100 000", 100_000),
)

#: Units that mark a Ja/Nej figure (compared lower-case, spaces removed).
BINARY_UNITS = frozenset({"ja/nej", "yes/no"})

#: The categories of :func:`rank_colour`'s ``colour`` column, Kolada's traffic lights
#: (the figures' tones for them: :data:`ehalsa_analys.plots.RANK_COLOURS`).
RANK_CATEGORIES = ("green", "yellow", "red", "grey")

_LEVELS = ("county", "nation", "group")
_MISSING_STATUSES = ("suppressed", "not_applicable")


# --------------------------------------------------------------------------- helpers


def _municipalities_only(obs: pd.DataFrame) -> pd.DataFrame:
    """Rows of municipalities: four-digit codes not starting with "00"."""
    codes = obs["municipality_code"].astype(str)
    keep = codes.str.fullmatch(r"\d{4}") & ~codes.str.startswith("00")
    return obs[keep.to_numpy(bool)]


def _check_unique(data: pd.DataFrame) -> None:
    keys = ["municipality_code", "indicator_id", "period"]
    repeated = data.duplicated(keys, keep=False)
    if repeated.any():
        first = data.loc[repeated, keys].iloc[0]
        raise SchemaError(
            f"`obs` has {int(repeated.sum())} rows that repeat a municipality, indicator and "
            f"period, e.g. municipality {first['municipality_code']}, indicator "
            f"{first['indicator_id']!r}, period {first['period']}",
            column="municipality_code",
            value=first["municipality_code"],
            hint="keep one row per municipality, indicator and period (for Kolada: one gender)",
        )


def _normalised_units(units: pd.Series) -> pd.Series:
    text = units.astype("string").str.strip().str.lower().str.replace(" ", "", regex=False)
    return text.mask(text.eq(""))


_TRUTH = {"true": True, "false": False, "ja": True, "nej": False, "1": True, "0": False}


def _direction(indicators: pd.Index, catalogue: pd.DataFrame | None) -> pd.Series:
    """higher_is_better per indicator (True without a catalogue)."""
    if catalogue is None:
        return pd.Series(True, index=indicators, dtype=bool)
    require_columns(catalogue, "catalogue", ["indicator_id", "higher_is_better"])
    table = catalogue.drop_duplicates("indicator_id").set_index("indicator_id")
    raw = table["higher_is_better"]
    if not pd.api.types.is_bool_dtype(raw):  # "True"/"false"/"ja"/1 as read from a csv
        raw = raw.map(lambda v: v if isinstance(v, bool) else _TRUTH.get(str(v).strip().lower()))
    better = raw.reindex(indicators)
    if better.isna().any():
        lacking = better.index[better.isna()].tolist()
        raise SchemaError(
            f"`catalogue` gives no higher_is_better for the indicator(s) {lacking[:5]}"
            + (f" and {len(lacking) - 5} more" if len(lacking) > 5 else ""),
            column="higher_is_better",
            value=lacking[0],
            hint="add them to the catalogue, or leave them out of `obs`",
        )
    return better.astype(bool)


def _metadata(
    data: pd.DataFrame, catalogue: pd.DataFrame | None, *, direction: bool = True
) -> pd.DataFrame:
    """Per indicator of ``data``: binary (bool) and better (higher_is_better).

    ``direction=False``: the caller needs no direction; the catalogue only lends units and its
    higher_is_better is not required.
    """
    indicators = pd.Index(pd.unique(data["indicator_id"]), name="indicator_id")
    units = (
        _normalised_units(data["unit"])
        if "unit" in data
        else pd.Series(pd.NA, index=data.index, dtype="string")
    )
    distinct = units.groupby(data["indicator_id"]).nunique()
    if (distinct > 1).any():
        name = distinct.index[distinct > 1][0]
        found = sorted(units[data["indicator_id"] == name].dropna().unique())
        raise SchemaError(
            f"`obs` gives the indicator {name!r} more than one unit: {found}",
            column="unit",
            value=found[-1],
            hint="give each indicator one unit (the catalogue's)",
        )
    unit = units.groupby(data["indicator_id"]).first().reindex(indicators)
    if catalogue is not None:
        require_columns(catalogue, "catalogue", ["indicator_id"])
    if catalogue is not None and "unit" in catalogue:
        listed = catalogue.drop_duplicates("indicator_id").set_index("indicator_id")["unit"]
        unit = unit.fillna(_normalised_units(listed).reindex(indicators))
    value = data["value"]
    zero_one = (value.isin([0.0, 1.0]) | value.isna()).groupby(data["indicator_id"]).all()
    answered = value.notna().groupby(data["indicator_id"]).any()
    by_values = (zero_one & answered).reindex(indicators, fill_value=False)
    binary = unit.isin(BINARY_UNITS).to_numpy(bool)
    binary = np.where(unit.isna().to_numpy(), by_values.to_numpy(bool), binary)
    better = _direction(indicators, catalogue if direction else None)
    meta = pd.DataFrame({"binary": binary, "better": better.to_numpy(bool)}, index=indicators)
    bad = data["indicator_id"].map(meta["binary"]).to_numpy(bool) & ~(
        value.isin([0.0, 1.0]) | value.isna()
    ).to_numpy(bool)
    if bad.any():
        row = data[bad].iloc[0]
        raise SchemaError(
            f"The Ja/Nej indicator {row['indicator_id']!r} has the value "
            f"{float(row['value'])!r} for municipality {row['municipality_code']} in "
            f"{row['period']}; only 0 and 1 are allowed",
            column="value",
            value=float(row["value"]),
            hint="check the unit in the catalogue, or the loader's Ja/Nej mapping",
        )
    return meta


def _mapping(table: pd.DataFrame | pd.Series | Mapping, name: str, column: str) -> pd.Series:
    """A municipality_code -> ``column`` Series from a table, Series or mapping."""
    if isinstance(table, Mapping):
        table = pd.Series(table)
    if isinstance(table, pd.Series):
        series = table.copy()
        series.index = series.index.astype(str)
    else:
        if column == "group" and "group" not in table and "group_name" in table:
            column = "group_name"  # reference.municipality_groups()
        require_columns(table, name, ["municipality_code", column])
        series = table.set_index(table["municipality_code"].astype(str))[column]
    if series.index.duplicated().any():
        code = series.index[series.index.duplicated()][0]
        raise SchemaError(
            f"`{name}` lists municipality {code} more than once",
            column="municipality_code",
            value=code,
            hint="give each municipality one row",
        )
    return series


def _weighted_median(frame: pd.DataFrame, keys: list[str], value: str, weight: str) -> pd.Series:
    """Weighted median per group (SAS definition; the ordinary median for equal weights)."""
    d = frame.loc[frame[value].notna() & frame[weight].notna(), [*keys, value, weight]]
    d = d.sort_values([*keys, value], kind="stable")
    grouped = d.groupby(keys, sort=False)
    cum = grouped[weight].cumsum().to_numpy(float)
    half = grouped[weight].transform("sum").to_numpy(float) / 2
    following = grouped[value].shift(-1).to_numpy(float)
    tol = 1e-9 * half
    reached = cum >= half - tol
    before = (cum - d[weight].to_numpy(float)) >= half - tol
    pick = reached & ~before
    x = d[value].to_numpy(float)
    exact = np.abs(cum - half) <= tol
    median = np.where(exact & ~np.isnan(following), (x + following) / 2, x)
    index = pd.MultiIndex.from_frame(d.loc[pick, keys]) if len(keys) > 1 else d.loc[pick, keys[0]]
    return pd.Series(median[pick], index=index)


# --------------------------------------------------------------------------- public API


def size_classes(population: pd.DataFrame | None = None) -> pd.DataFrame:
    """Each municipality's population size class (default: the 2025 population shipped).

    Parameters
    ----------
    population : DataFrame, optional
        municipality_code and population; default :func:`ehalsa_analys.reference.population`.

    Returns
    -------
    DataFrame
        municipality_code, population, group (categorical, in :data:`SIZE_CLASSES` order).

    Notes
    -----
    The five population groups of Socialstyrelsen's yearly report (2022, appendix by municipality
    size; facts.md B4). The report does not say where a municipality on an edge belongs; our choice
    is the lower bound inclusive (20 000 is in "20 000–50 000").

    Example
    -------
    >>> s = size_classes().set_index("municipality_code")
    >>> s.loc["1880", "group"], s.loc["1814", "group"]
    ('över 100 000', 'under 10 000')
    """
    pop = population if population is not None else reference.population()
    require_columns(pop, "population", ["municipality_code", "population"])
    people = pd.to_numeric(pop["population"], errors="coerce").to_numpy(float)
    if np.isnan(people).any() or (people < 0).any():
        at = int(np.flatnonzero(np.isnan(people) | (people < 0))[0])
        raise SchemaError(
            f"`population` has no valid number for municipality "
            f"{pop['municipality_code'].iloc[at]}: {pop['population'].iloc[at]!r}",
            column="population",
            value=pop["population"].iloc[at],
            hint="give every municipality its number of inhabitants (0 or more)",
        )
    bounds = [b for _, b in SIZE_CLASSES]
    labels = [label for label, _ in SIZE_CLASSES]
    index = np.searchsorted(bounds, people, side="right") - 1
    return pd.DataFrame(
        {
            "municipality_code": pop["municipality_code"].astype(str).to_numpy(),
            "population": people,
            "group": pd.Categorical.from_codes(index, labels),
        }
    ).sort_values("municipality_code", ignore_index=True)


def reference_levels(
    obs: pd.DataFrame,
    *,
    by: Sequence[str] = ("county", "nation", "group"),
    groups: pd.DataFrame | pd.Series | Mapping | None = None,
    population: pd.DataFrame | pd.Series | Mapping | None = None,
    catalogue: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """County, national and group levels per indicator and year.

    Parameters
    ----------
    obs : DataFrame
        An observations table.
    by : sequence of {"county", "nation", "group"}
        Which levels to compute (a single string is one level). The county is the first two
        digits of the code.
    groups : DataFrame, Series or mapping, optional
        municipality_code → group: a table with municipality_code and group (:func:`size_classes`,
        LIKA peer groups) or group_name (:func:`ehalsa_analys.reference.municipality_groups`), or a
        Series or dict keyed by code. Default :func:`size_classes`. Municipalities without a group
        are left out of the group levels.
    population : DataFrame, Series or mapping, optional
        municipality_code → inhabitants: weight every level by population. Every municipality
        with a value must have a positive population.
    catalogue : DataFrame, optional
        Units for indicators whose rows carry none.

    Returns
    -------
    DataFrame
        indicator_id, period, level, key (county code, "0000" or group label), binary, n
        (municipalities that answered), n_missing (rows without a value), share (binary figures),
        mean and median (numeric figures), weighted (bool); sorted by indicator, period, level (in
        ``by`` order) and key.

    Notes
    -----
    An indicator is binary (Ja/Nej) when its unit is in :data:`BINARY_UNITS` (case and spaces
    ignored), taken from ``obs`` or, where ``obs`` has none, from the catalogue; with no unit at
    all, when all its non-missing values are 0 or 1. Any other unit makes it numeric. Binary values
    must be 0 or 1, and an indicator must not carry two units. Every function here uses this rule.

    ``share`` is the share of the municipalities that answered with 1; missing, suppressed and
    not-applicable answers are left out of the denominator ``n``. Levels are unweighted, as
    Kolada's group means, unless ``population`` is given: the share is then the share of the
    population living in a municipality that answered 1, the mean ``sum(w x) / sum(w)``, and the
    median the smallest value whose cumulative weight reaches half the total weight, or the midpoint
    of it and the next value when it reaches exactly half (SAS's definition, as ``statsmodels``'
    ``DescrStatsW.quantile``; the ordinary median for equal weights).

    Example
    -------
    >>> obs = pd.DataFrame({"municipality_code": ["1880", "1814", "0180"], "period": 2022,
    ...     "indicator_id": "x", "value": [2.0, 4.0, 9.0], "unit": "antal", "status": ""})
    >>> reference_levels(obs, by="county")[["key", "mean", "median"]].values.tolist()
    [['01', 9.0, 9.0], ['18', 3.0, 3.0]]
    """
    require_columns(obs, "obs", ["municipality_code", "period", "indicator_id", "value"])
    by = (by,) if isinstance(by, str) else tuple(by)
    if not by:
        raise ValueError(f"The value for `by` must name at least one of {list(_LEVELS)}.")
    for level in by:
        check_choice("by", _LEVELS, level)
    data = _municipalities_only(obs)
    _check_unique(data)
    meta = _metadata(data, catalogue, direction=False)
    codes = data["municipality_code"].astype(str)
    frame = pd.DataFrame(
        {
            "indicator_id": data["indicator_id"].to_numpy(),
            "period": data["period"].to_numpy(),
            "value": pd.to_numeric(data["value"]).to_numpy(float),
            "county": codes.str[:2].to_numpy(),
            "nation": reference.NATIONAL_CODE,
        }
    )
    if "group" in by:
        mapping = _mapping(groups if groups is not None else size_classes(), "groups", "group")
        frame["group"] = codes.map(mapping.astype(str)).to_numpy()
    weighted = population is not None
    if weighted:
        people = pd.to_numeric(_mapping(population, "population", "population"), errors="coerce")
        frame["w"] = codes.map(people).to_numpy(float)
        bad = frame["value"].notna() & ~(frame["w"] > 0)
        if bad.any():
            lacking = sorted(codes[bad.to_numpy()].unique())
            raise SchemaError(
                f"`population` has no positive number for the municipality(ies) {lacking[:5]}"
                + (f" and {len(lacking) - 5} more" if len(lacking) > 5 else ""),
                column="population",
                value=lacking[0],
                hint="pass a population for every municipality in `obs`, e.g. "
                "reference.population()",
            )
    else:
        frame["w"] = 1.0
    answered = frame["value"].notna()
    frame["ok"] = answered.astype(int)
    frame["wv"] = (frame["value"] * frame["w"]).where(answered)
    frame["wk"] = frame["w"].where(answered)
    frames = []
    for level in by:
        keys = ["indicator_id", "period", level]
        grouped = frame.groupby(keys, sort=True, dropna=True)
        stats = grouped.agg(
            n=("ok", "sum"), size=("ok", "size"), wv=("wv", "sum"), wk=("wk", "sum")
        )
        if weighted:
            median = _weighted_median(frame[frame[level].notna()], keys, "value", "w")
        else:
            median = grouped["value"].median()
        stats["median"] = median.reindex(stats.index)
        stats = stats.reset_index()
        binary = stats["indicator_id"].map(meta["binary"]).to_numpy(bool)
        average = (stats["wv"] / stats["wk"]).where(stats["n"] > 0)
        frames.append(
            pd.DataFrame(
                {
                    "indicator_id": stats["indicator_id"],
                    "period": stats["period"],
                    "level": level,
                    "key": stats[level].astype(str),
                    "binary": binary,
                    "n": stats["n"].astype(int),
                    "n_missing": (stats["size"] - stats["n"]).astype(int),
                    "share": average.where(binary),
                    "mean": average.where(~binary),
                    "median": stats["median"].where(~binary),
                    "weighted": weighted,
                }
            )
        )
    out = pd.concat(frames, ignore_index=True)
    order = out["level"].map({level: i for i, level in enumerate(by)})
    out = out.assign(_order=order).sort_values(
        ["indicator_id", "period", "_order", "key"], kind="stable", ignore_index=True
    )
    return out.drop(columns="_order")


def rank_colour(obs: pd.DataFrame, *, catalogue: pd.DataFrame | None = None) -> pd.DataFrame:
    """Kolada-style traffic lights per indicator and year among the municipalities.

    Parameters
    ----------
    obs : DataFrame
        An observations table.
    catalogue : DataFrame, optional
        indicator_id and higher_is_better, and units for indicators whose rows carry none.
        Without it every figure is higher-is-better; with it, an indicator it lacks or whose
        direction is blank is refused rather than guessed.

    Returns
    -------
    DataFrame
        The municipalities' rows of ``obs`` (all its columns) plus ``colour`` ("green", "yellow",
        "red", "grey"), ``marker`` ("", "missing", "suppressed", "not_applicable", from
        ``status``) and ``rank`` (1 = best, ties share the best rank; NA when missing); sorted by
        indicator, period and municipality.

    Notes
    -----
    Among the municipalities with a value that year, by the quartiles Q1 and Q3 (linear
    interpolation, numpy's default and Excel's QUARTILE.INC) in the figure's direction: the best
    quarter green, the middle half yellow, the worst quarter red. A value exactly on a quartile goes
    to the outer class, and the colour depends on the value only, so ties share a colour and with
    few municipalities more than a quarter can be green or red. When Q1 = Q3 the values equal to
    them are yellow, better ones green, worse ones red; a lone municipality is yellow. Ja/Nej
    figures (as in :func:`reference_levels`): the good answer green, the other red. Missing values
    are grey. The 25/50/25 split follows the quartile groups of SKR's KKiK reports; Kolada states no
    cut-offs, so it is our choice.

    Example
    -------
    >>> obs = pd.DataFrame({"municipality_code": ["0114", "0115", "0117", "0120", "0123"],
    ...     "period": 2022, "indicator_id": "x", "value": [1.0, 2, 3, 4, 5], "unit": "%"})
    >>> rank_colour(obs)["colour"].tolist()
    ['red', 'red', 'yellow', 'green', 'green']
    """
    require_columns(obs, "obs", ["municipality_code", "period", "indicator_id", "value"])
    data = _municipalities_only(obs)
    _check_unique(data)
    meta = _metadata(data, catalogue)
    data = data.sort_values(
        ["indicator_id", "period", "municipality_code"], kind="stable", ignore_index=True
    )
    value = pd.to_numeric(data["value"]).to_numpy(float)
    better = data["indicator_id"].map(meta["better"]).to_numpy(bool)
    binary = data["indicator_id"].map(meta["binary"]).to_numpy(bool)
    signed = pd.Series(np.where(better, value, -value))
    keys = [data["indicator_id"], data["period"]]
    grouped = signed.groupby(keys, sort=False)
    q1 = grouped.transform("quantile", 0.25).to_numpy(float)
    q3 = grouped.transform("quantile", 0.75).to_numpy(float)
    colour = np.where(
        (signed >= q3) & (signed > q1),
        "green",
        np.where((signed <= q1) & (signed < q3), "red", "yellow"),
    )
    good = np.where(better, 1.0, 0.0)
    colour = np.where(binary, np.where(value == good, "green", "red"), colour)
    missing = np.isnan(value)
    colour = np.where(missing, "grey", colour)
    status = data["status"].astype(str).to_numpy() if "status" in data else np.full(len(data), "")
    marker = np.where(missing, np.where(np.isin(status, _MISSING_STATUSES), status, "missing"), "")
    rank = grouped.rank(ascending=False, method="min").astype("Int64")
    return data.assign(colour=colour, marker=marker, rank=rank.to_numpy())


def trend(obs: pd.DataFrame, *, catalogue: pd.DataFrame | None = None) -> pd.DataFrame:
    """First and last year, change, and adoption (0 → 1) or drop (1 → 0) per municipality.

    Parameters
    ----------
    obs : DataFrame
        An observations table; missing values are left out.
    catalogue : DataFrame, optional
        Units for indicators whose rows carry none.

    Returns
    -------
    DataFrame
        municipality_code, indicator_id, first_year, last_year, n_years, first, last, change (last
        − first), adopted, adopted_in, dropped; sorted by municipality and indicator.

    Notes
    -----
    Over the years a municipality answered. For Ja/Nej figures (as in :func:`reference_levels`)
    ``adopted`` is True when it has the service in its last year and lacked it in an earlier one,
    ``dropped`` when it lacks it in its last year and had it earlier; ``adopted_in`` is the first
    answered year with 1 right after a 0 (missing years between are skipped; NA when it had the
    service from its first answer, or never). The three are NA for numeric figures.

    Example
    -------
    >>> obs = pd.DataFrame({"municipality_code": "1880", "period": [2019, 2020, 2021],
    ...     "indicator_id": "x", "value": [0.0, 1.0, 1.0], "unit": "ja/nej", "status": ""})
    >>> trend(obs)[["first_year", "change", "adopted", "adopted_in", "dropped"]].values.tolist()
    [[2019, 1.0, True, 2020, False]]
    """
    require_columns(obs, "obs", ["municipality_code", "period", "indicator_id", "value"])
    data = _municipalities_only(obs)
    _check_unique(data)
    meta = _metadata(data, catalogue, direction=False)
    keys = ["municipality_code", "indicator_id"]
    data = data.loc[data["value"].notna(), [*keys, "period", "value"]]
    data = data.sort_values([*keys, "period"], kind="stable", ignore_index=True)
    data["value"] = pd.to_numeric(data["value"]).astype(float)
    grouped = data.groupby(keys, sort=True)
    out = grouped.agg(
        first_year=("period", "first"),
        last_year=("period", "last"),
        n_years=("period", "size"),
        first=("value", "first"),
        last=("value", "last"),
        low=("value", "min"),
        high=("value", "max"),
    )
    previous = grouped["value"].shift(1)
    rises = data[(data["value"] == 1) & (previous == 0)]
    adopted_in = rises.groupby(keys)["period"].min().reindex(out.index)
    binary = pd.Series(
        out.index.get_level_values("indicator_id").map(meta["binary"]).to_numpy(bool),
        index=out.index,
    )
    out["change"] = out["last"] - out["first"]
    out["adopted"] = ((out["last"] == 1) & (out["low"] == 0)).astype("boolean").where(binary)
    out["adopted_in"] = adopted_in.where(binary).astype("Int64")
    out["dropped"] = ((out["last"] == 0) & (out["high"] == 1)).astype("boolean").where(binary)
    out = out.reset_index()
    columns = [
        *keys,
        "first_year",
        "last_year",
        "n_years",
        "first",
        "last",
        "change",
        "adopted",
        "adopted_in",
        "dropped",
    ]
    return out[columns]


def composite(
    obs: pd.DataFrame,
    *,
    indicators: Sequence[str],
    weights: Sequence[float] | Mapping[str, float] | None = None,
    catalogue: pd.DataFrame | None = None,
    min_coverage: float = 0.0,
) -> pd.DataFrame:
    """An e-health index (0–1) per municipality and year from several key figures.

    Parameters
    ----------
    obs : DataFrame
        An observations table.
    indicators : sequence of str
        The key figures of the index.
    weights : sequence or mapping of float, optional
        One positive weight per indicator (in ``indicators`` order, or keyed by indicator);
        default all 1.
    catalogue : DataFrame, optional
        As in :func:`rank_colour`.
    min_coverage : float, default 0
        The index is NaN where ``coverage`` is below this (0–1).

    Returns
    -------
    DataFrame
        municipality_code, period, index (NaN when no indicator is present or coverage is too
        low), n_indicators (present), coverage (share of the total weight present); one row per
        municipality and year with a row for any of ``indicators``; sorted by municipality and
        period.

    Notes
    -----
    Ja/Nej figures count as they are (0 or 1; 1 − value when lower is better). A numeric figure
    becomes its percentile rank among the municipalities with a value that year,
    ``(rank - 1) / (n - 1)`` with ties at their average rank, 0 the worst and 1 the best in its
    direction; a lone value gets 0.5. Ranks rather than min–max, so one outlier does not squeeze the
    others together. The index is the weighted mean of the scores a municipality has: a missing
    indicator is left out, never counted as 0.

    Example
    -------
    >>> obs = pd.DataFrame({"municipality_code": ["1880", "1880", "1814"], "period": 2022,
    ...     "indicator_id": ["x", "y", "x"], "value": [1.0, 0.0, 1.0], "unit": "ja/nej"})
    >>> composite(obs, indicators=["x", "y"])[["municipality_code", "index", "coverage"]]
      municipality_code  index  coverage
    0              1814    1.0       0.5
    1              1880    0.5       1.0
    """
    require_columns(obs, "obs", ["municipality_code", "period", "indicator_id", "value"])
    if isinstance(indicators, str):
        indicators = [indicators]
    indicators = list(indicators)
    if not indicators or len(set(indicators)) != len(indicators):
        raise ValueError(
            "The value for `indicators` must list at least one indicator, each once, "
            f"but {indicators!r} was passed."
        )
    if weights is None:
        w = np.ones(len(indicators))
    elif isinstance(weights, Mapping):
        w = np.array([weights.get(i, np.nan) for i in indicators], dtype=float)
    else:
        w = np.asarray(list(weights), dtype=float)
    if w.shape != (len(indicators),) or not (np.isfinite(w) & (w > 0)).all():
        raise ValueError(
            f"The value for `weights` must give one positive weight per indicator "
            f"({len(indicators)}: {indicators}), but {weights!r} was passed."
        )
    if not 0 <= min_coverage <= 1:
        raise ValueError(
            f"The value for `min_coverage` must be within 0–1, but {min_coverage!r} was passed."
        )
    weight = pd.Series(w, index=indicators)
    data = _municipalities_only(obs)
    data = data[data["indicator_id"].isin(indicators)]
    _check_unique(data)
    meta = _metadata(data, catalogue)
    data = data[["municipality_code", "period", "indicator_id", "value"]].reset_index(drop=True)
    value = pd.to_numeric(data["value"]).astype(float)
    better = data["indicator_id"].map(meta["better"]).to_numpy(bool)
    binary = data["indicator_id"].map(meta["binary"]).to_numpy(bool)
    signed = value.where(better, -value)
    grouped = signed.groupby([data["indicator_id"], data["period"]])
    ranks = grouped.rank(method="average")
    counts = grouped.transform("count")
    percentile = ((ranks - 1) / (counts - 1)).where(counts > 1, 0.5)
    score = np.where(binary, np.where(better, value, 1 - value), percentile)
    present = value.notna().to_numpy()
    data["w"] = np.where(present, data["indicator_id"].map(weight).to_numpy(float), 0.0)
    data["ws"] = np.where(present, score * data["w"], 0.0)
    data["present"] = present.astype(int)
    sums = data.groupby(["municipality_code", "period"], sort=True)[["w", "ws", "present"]].sum()
    coverage = sums["w"] / w.sum()
    index = (sums["ws"] / sums["w"]).where((sums["w"] > 0) & (coverage >= min_coverage))
    return pd.DataFrame(
        {
            "index": index,
            "n_indicators": sums["present"].astype(int),
            "coverage": coverage,
        }
    ).reset_index()


#: Units of indicators that count people (compared lower-case, spaces removed).
COUNT_UNITS = frozenset({"antal", "count"})


def publishable(
    obs: pd.DataFrame,
    *,
    catalogue: pd.DataFrame | None = None,
    limit: int = SUPPRESSION_LIMIT,
) -> pd.DataFrame:
    """The observations with counts of people from 1 to ``limit − 1`` masked.

    Parameters
    ----------
    obs : DataFrame
        An observations table (indicator_id, value, status, and unit or a catalogue).
    catalogue : DataFrame, optional
        Units for indicators whose rows carry none.
    limit : int, default 5

    Returns
    -------
    DataFrame
        A copy: the value of a count indicator (unit "antal") from 1 to ``limit − 1`` is NaN
        with status "suppressed". Other rows are unchanged.

    Notes
    -----
    Compute every published statistic from the returned table: county, national and group
    levels (:func:`reference_levels`) then leave masked municipalities out (their ``n``
    shows it) and cannot give them back, so no secondary suppression is needed; a mean of
    the raw values beside the masked table would. Zero is published (it reveals no one).
    Shares are not masked here: the survey gives no numerator to test.

    Example
    -------
    >>> o = pd.DataFrame({"municipality_code": ["1880", "1881"], "period": 2025,
    ...     "indicator_id": "brukare_antal", "value": [3.0, 12.0], "unit": "antal", "status": ""})
    >>> publishable(o)[["value", "status"]].values.tolist()
    [[nan, 'suppressed'], [12.0, '']]
    """
    require_columns(obs, "obs", ["indicator_id", "value"])
    if limit < 1:
        raise ValueError(f"`limit` must be at least 1, but {limit!r} was passed.")
    out = obs.copy()
    units = (
        _normalised_units(out["unit"])
        if "unit" in out
        else pd.Series(pd.NA, index=out.index, dtype="string")
    )
    if catalogue is not None and "unit" in catalogue:
        listed = catalogue.drop_duplicates("indicator_id").set_index("indicator_id")["unit"]
        units = units.fillna(_normalised_units(out["indicator_id"].map(listed)))
    counting = units.isin(COUNT_UNITS).fillna(False).to_numpy(bool)
    value = pd.to_numeric(out["value"], errors="coerce").to_numpy(float)
    with np.errstate(invalid="ignore"):
        small = counting & (np.round(value, 6) >= 1) & (np.round(value, 6) < limit)
    out.loc[small, "value"] = np.nan
    if "status" not in out:
        out["status"] = ""
    out.loc[small, "status"] = "suppressed"
    return out
