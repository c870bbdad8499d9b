"""Municipality comparisons of survey key figures: reference levels, size classes, trends.

Inputs are ``observations`` tables (:func:`ehalsa_analys.load.socialstyrelsen`).
A figure is **binary** when its unit is "ja/nej"; its level is the share of
the municipalities that answered with 1 (missing and suppressed answers are
left out of the denominator and counted). Numeric figures get the mean and
the median over municipalities. Levels are **unweighted** by default, as
Kolada's group means (every municipality counts once);
``population=`` weights them by inhabitants (the share of the population
living in a municipality that offers the service). National and county
aggregate rows (codes "0000" and "00xx") are never counted as
municipalities.

Size classes are the five population groups of Socialstyrelsen's reports
(2022 report, appendix; facts.md B4): under 10 000, 10 000–20 000,
20 000–50 000, 50 000–100 000 and over 100 000 inhabitants, lower bound
inclusive.

Example
-------
>>> import pandas as pd
>>> obs = pd.DataFrame({"municipality_code": ["1880", "1814", "0180"], "period": 2022,
...     "indicator_id": "digital_nattillsyn", "value": [1.0, 0.0, 1.0], "unit": "ja/nej",
...     "status": ""})
>>> levels = reference_levels(obs, by=("nation",))
>>> levels[["level", "n", "share"]].to_dict("records")
[{'level': 'nation', 'n': 3, 'share': 0.6666666666666666}]
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from . import reference
from .errors import check_choice
from .schemas import require_columns

__all__ = [
    "SIZE_CLASSES",
    "RANK_COLOURS",
    "size_classes",
    "reference_levels",
    "trend",
    "rank_colour",
    "composite",
]

#: Socialstyrelsen's population size classes: (label, lower bound inclusive).
SIZE_CLASSES = (
    ("under 10 000", 0),
    ("10 000–20 000", 10_000),
    ("20 000–50 000", 20_000),
    ("50 000–100 000", 50_000),
    ("över 100 000", 100_000),
)


def size_classes(population: pd.DataFrame | None = None) -> pd.DataFrame:
    """Each municipality's size class (default: by the 2025 population shipped).

    Returns
    -------
    DataFrame
        municipality_code, population, group (the class label).

    Example
    -------
    >>> s = size_classes().set_index("municipality_code")
    >>> s.loc["1880", "group"], s.loc["1814", "group"]
    ('över 100 000', 'under 10 000')
    """
    pop = population if population is not None else reference.population()
    require_columns(pop, "population", ["municipality_code", "population"])
    bounds = [b for _, b in SIZE_CLASSES]
    labels = [label for label, _ in SIZE_CLASSES]
    index = np.searchsorted(bounds, pop["population"].to_numpy(float), side="right") - 1
    return pd.DataFrame(
        {
            "municipality_code": pop["municipality_code"].to_numpy(),
            "population": pop["population"].to_numpy(float),
            "group": pd.Categorical.from_codes(index, labels),
        }
    )


def _municipalities_only(obs: pd.DataFrame) -> pd.DataFrame:
    codes = obs["municipality_code"].astype(str)
    return obs[~codes.str.startswith("00")]


def reference_levels(
    obs: pd.DataFrame,
    *,
    by: Sequence[str] = ("county", "nation", "group"),
    groups: pd.DataFrame | None = None,
    population: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """County, national and group levels per indicator and year.

    Parameters
    ----------
    obs : DataFrame
        An observations table.
    by : sequence of {"county", "nation", "group"}
        Which levels to compute.
    groups : DataFrame, optional
        municipality_code and group (e.g. :func:`reference.municipality_groups`
        renamed, :func:`size_classes`, or LIKA peer groups); default the size
        classes.
    population : DataFrame, optional
        municipality_code and population: weight the levels by inhabitants.

    Returns
    -------
    DataFrame
        indicator_id, period, level ("county", "nation", "group"), key (the
        county code, "0000" or the group label), n (municipalities with a
        value), n_missing, share (binary figures), mean and median (numeric
        figures), weighted (bool).

    Example
    -------
    >>> import pandas as pd
    >>> obs = pd.DataFrame({"municipality_code": ["1880", "1814", "0180"], "period": 2022,
    ...     "indicator_id": "x", "value": [2.0, 4.0, 9.0], "unit": "antal", "status": ""})
    >>> reference_levels(obs, by=("county",))[["key", "mean", "median"]].values.tolist()
    [['01', 9.0, 9.0], ['18', 3.0, 3.0]]
    """
    require_columns(obs, "obs", ["municipality_code", "period", "indicator_id", "value", "unit"])
    for level in by:
        check_choice("by", ["county", "nation", "group"], level)
    data = _municipalities_only(obs).copy()
    data["county"] = data["municipality_code"].astype(str).str[:2]
    data["nation"] = reference.NATIONAL_CODE
    if "group" in by:
        table = groups if groups is not None else size_classes()
        require_columns(table, "groups", ["municipality_code", "group"])
        data["group"] = data["municipality_code"].map(
            table.set_index("municipality_code")["group"].astype(str)
        )
    weighted = population is not None
    if weighted:
        require_columns(population, "population", ["municipality_code", "population"])
        data["_w"] = (
            data["municipality_code"]
            .map(population.set_index("municipality_code")["population"])
            .astype(float)
        )
    else:
        data["_w"] = 1.0
    data["_ok"] = data["value"].notna() & data["_w"].notna()
    data["_wv"] = (data["value"] * data["_w"]).where(data["_ok"])
    data["_wk"] = data["_w"].where(data["_ok"])
    binary_of = data.groupby("indicator_id")["unit"].first().eq("ja/nej")
    frames = []
    for level in by:
        grouped = data.groupby(["indicator_id", "period", level], sort=True, dropna=True)
        stats = grouped.agg(
            n=("_ok", "sum"),
            size=("_ok", "size"),
            wv=("_wv", "sum"),
            wk=("_wk", "sum"),
            median=("value", "median"),
        ).reset_index()
        stats = stats.rename(columns={level: "key"})
        binary = stats["indicator_id"].map(binary_of).to_numpy(bool)
        average = (stats["wv"] / stats["wk"]).where(stats["n"] > 0)
        frames.append(
            pd.DataFrame(
                {
                    "indicator_id": stats["indicator_id"],
                    "period": stats["period"],
                    "level": level,
                    "key": stats["key"].astype(str),
                    "n": stats["n"].astype(int),
                    "n_missing": (stats["size"] - stats["n"]).astype(int),
                    "share": average.where(binary),
                    "mean": average.where(~binary),
                    "median": stats["median"].where(~binary),
                    "weighted": weighted,
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def trend(obs: pd.DataFrame) -> pd.DataFrame:
    """First and last year, change, and adoption (0 → 1) or drop (1 → 0) per municipality.

    For binary figures ``adopted_in`` is the first year with 1 after a year
    with 0 (None when the municipality had it from the start or never);
    ``dropped`` is True when the last value is 0 after a 1.

    Example
    -------
    >>> import pandas as pd
    >>> obs = pd.DataFrame({"municipality_code": "1880", "period": [2019, 2020, 2021],
    ...     "indicator_id": "x", "value": [0.0, 1.0, 1.0], "unit": "ja/nej", "status": ""})
    >>> trend(obs)[["first_year", "last_year", "change", "adopted_in", "dropped"]].values.tolist()
    [[2019, 2021, 1.0, 2020, False]]
    """
    require_columns(obs, "obs", ["municipality_code", "period", "indicator_id", "value", "unit"])
    data = _municipalities_only(obs).dropna(subset=["value"])
    data = data.sort_values(["municipality_code", "indicator_id", "period"], kind="stable")
    keys = ["municipality_code", "indicator_id"]
    grouped = data.groupby(keys, sort=True)
    out = grouped.agg(
        first_year=("period", "first"),
        last_year=("period", "last"),
        first=("value", "first"),
        last=("value", "last"),
        unit=("unit", "first"),
        ever=("value", "max"),
    )
    previous = grouped["value"].shift(1)
    rises = data[(data["value"] == 1) & (previous == 0)]
    adopted = rises.groupby(keys)["period"].min()
    binary = out["unit"] == "ja/nej"
    out["change"] = out["last"] - out["first"]
    out["adopted_in"] = adopted.reindex(out.index).where(binary).astype("Int64")
    out["dropped"] = binary & (out["last"] == 0) & (out["ever"] == 1)
    out = out.reset_index()
    out["first_year"] = out["first_year"].astype(int)
    out["last_year"] = out["last_year"].astype(int)
    return out[
        [
            "municipality_code",
            "indicator_id",
            "first_year",
            "last_year",
            "first",
            "last",
            "change",
            "adopted_in",
            "dropped",
        ]
    ]


#: Colours of :func:`rank_colour` (Kolada's traffic lights, colour-blind-safe tones).
RANK_COLOURS = {"green": "#009E73", "yellow": "#F0E442", "red": "#D55E00", "grey": "#BBBBBB"}


def rank_colour(obs: pd.DataFrame, catalogue: pd.DataFrame | None = None) -> pd.DataFrame:
    """Kolada-style traffic lights per indicator and year among the municipalities.

    Numeric figures: the best quarter is green, the middle half yellow and the
    worst quarter red, by the quartiles of the municipalities' values (linear
    interpolation); a value exactly on a quartile goes to the outer class
    (green or red), so ties at the boundary are treated alike. This follows
    the quartile colouring of SKR's KKiK reports and is our choice.
    Ja/Nej figures: 1 is green and 0 red. Direction follows the catalogue's
    ``higher_is_better`` (default True). A missing value is grey with marker
    "missing"; a suppressed one grey with marker "suppressed"; one that does
    not apply grey with marker "not_applicable".

    Returns
    -------
    DataFrame
        The observations of municipalities with ``colour`` (green, yellow,
        red, grey) and ``marker`` ("", "missing", "suppressed",
        "not_applicable").

    Example
    -------
    >>> import pandas as pd
    >>> obs = pd.DataFrame({"municipality_code": ["a", "b", "c", "d", "e"], "period": 2022,
    ...     "indicator_id": "x", "value": [1.0, 2, 3, 4, 5], "unit": "%", "status": ""})
    >>> rank_colour(obs)["colour"].tolist()
    ['red', 'red', 'yellow', 'green', 'green']
    """
    require_columns(obs, "obs", ["municipality_code", "period", "indicator_id", "value", "unit"])
    data = _municipalities_only(obs).copy()
    direction = (
        catalogue.set_index("indicator_id")["higher_is_better"]
        if catalogue is not None
        else pd.Series(dtype=bool)
    )
    better = data["indicator_id"].map(direction).astype(object).fillna(True).astype(bool).to_numpy()
    value = data["value"].to_numpy(float)
    signed = np.where(better, value, -value)
    grouped = pd.Series(signed, index=data.index).groupby([data["indicator_id"], data["period"]])
    q1 = grouped.transform(lambda s: s.quantile(0.25)).to_numpy()
    q3 = grouped.transform(lambda s: s.quantile(0.75)).to_numpy()
    binary = (data["unit"] == "ja/nej").to_numpy()
    colour = np.where(signed >= q3, "green", np.where(signed <= q1, "red", "yellow"))
    binary_colour = np.where(
        better, np.where(value == 1, "green", "red"), np.where(value == 0, "green", "red")
    )
    colour = np.where(binary, binary_colour, colour)
    missing = np.isnan(value)
    colour = np.where(missing, "grey", colour)
    status = data["status"].to_numpy() if "status" in data else np.full(len(data), "")
    marker = np.where(
        missing,
        np.where(np.isin(status, ["suppressed", "not_applicable"]), status, "missing"),
        "",
    )
    return data.assign(colour=colour, marker=marker)


def composite(
    obs: pd.DataFrame,
    *,
    indicators: Sequence[str],
    weights: Sequence[float] | None = None,
    catalogue: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """An e-health index per municipality and year from several key figures.

    Normalisation (our choice): Ja/Nej figures count as they are (0 or 1);
    numeric figures become their percentile rank among the municipalities of
    that year (0 worst – 1 best, direction from the catalogue, ties share
    the average rank). The index is the weighted mean over the indicators a
    municipality has a value for; missing indicators are left out, never
    counted as 0, and ``coverage`` is the share of the total weight present.

    Returns
    -------
    DataFrame
        municipality_code, period, index (0–1), n_indicators, coverage.

    Example
    -------
    >>> import pandas as pd
    >>> obs = pd.DataFrame({"municipality_code": ["a", "a", "b"], "period": 2022,
    ...     "indicator_id": ["x", "y", "x"], "value": [1.0, 0.0, 1.0], "unit": "ja/nej",
    ...     "status": ""})
    >>> composite(obs, indicators=["x", "y"])[["municipality_code", "index", "coverage"]]
      municipality_code  index  coverage
    0                 a    0.5       1.0
    1                 b    1.0       0.5
    """
    require_columns(obs, "obs", ["municipality_code", "period", "indicator_id", "value", "unit"])
    indicators = list(indicators)
    w = np.ones(len(indicators)) if weights is None else np.asarray(weights, dtype=float)
    if len(w) != len(indicators) or (w <= 0).any():
        raise ValueError("`weights` must give one positive weight per indicator.")
    weight = dict(zip(indicators, w, strict=True))
    data = _municipalities_only(obs)
    data = data[data["indicator_id"].isin(indicators) & data["value"].notna()].copy()
    direction = (
        catalogue.set_index("indicator_id")["higher_is_better"]
        if catalogue is not None
        else pd.Series(dtype=bool)
    )
    better = data["indicator_id"].map(direction).astype(object).fillna(True).astype(bool)
    signed = data["value"].where(better, -data["value"])
    ranks = signed.groupby([data["indicator_id"], data["period"]]).rank(pct=False)
    counts = signed.groupby([data["indicator_id"], data["period"]]).transform("count")
    percentile = ((ranks - 1) / (counts - 1)).where(counts > 1, 1.0)
    binary = data["unit"] == "ja/nej"
    data["score"] = np.where(binary, np.where(better, data["value"], 1 - data["value"]), percentile)
    data["w"] = data["indicator_id"].map(weight)
    data["ws"] = data["score"] * data["w"]
    groups = data.groupby(["municipality_code", "period"], sort=True)
    out = pd.DataFrame(
        {
            "index": groups["ws"].sum() / groups["w"].sum(),
            "n_indicators": groups["indicator_id"].nunique(),
            "coverage": groups["w"].sum() / w.sum(),
        }
    ).reset_index()
    return out
