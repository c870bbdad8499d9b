"""The sentences under the notebooks' figures, Swedish by default and English with ``lang="en"``.

Each function takes the table a figure draws (from :mod:`maturity`,
:mod:`compare`, :mod:`access` or :mod:`monitoring`) and returns the caption
that says what the figure shows, with its few numbers written the Swedish
way (:func:`ehalsa_analys.plots.format_number`). Fixed captions are in
:data:`TEXT` and read with :func:`text`. Ties are broken by the lowest
municipality code, so captions are deterministic.

Example
-------
>>> import pandas as pd
>>> change = pd.DataFrame({"municipality_code": ["1880", "1814"], "direction": ["up", "none"]})
>>> maturity_change(change, rounds=(2018, 2022))
'1 av 2 kommuner har ökat sin mognad säkert mellan 2018 och 2022.'
>>> maturity_change(change, rounds=(2018, 2022), lang="en")
'1 of 2 municipalities raised their maturity beyond the uncertainty between 2018 and 2022.'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from . import reference
from .disclosure import SUPPRESSION_LIMIT
from .errors import SchemaError, check_choice
from .formatting import format_number, quarter_label
from .plots.access import KIND_NAMES
from .plots.maturity import lika_label
from .schemas import require_columns

__all__ = [
    "TEXT",
    "text",
    "lika_intro",
    "weakest_dimension",
    "widest_spread",
    "maturity_change",
    "one_round",
    "peer_groups",
    "first_development_area",
    "highest_index",
    "survey_intro",
    "adoption",
    "most_green",
    "access_intro",
    "unreachable",
    "far_from_service",
    "access_figure",
    "pipos_difference",
    "best_access",
    "travel_savings",
    "monitoring_intro",
    "metric_signals",
    "its",
    "quarter",
    "improvements",
    "index_range",
    "county_vs_nation",
    "signal_counts",
]

#: Fixed captions and titles by key, with ``{placeholders}`` filled by :func:`text`.
TEXT = {
    "sv": {
        "lika_gap_per_kommun": "Skillnad mot jämförelsen per kommun och del, med "
        "osäkerhetsintervall.",
        "enkat_kommuner": "{title} per kommun och år.",
        "enkat_karta": "{title} {year}, hela landet.",
        "enkat_forandring": "{title}, {first} och {last}.",
        "avstand_klasser_tid": "Befolkning per restidsklass till närmaste {kind}, per kommun.",
        "avstand_klasser_km": "Befolkning per avståndsklass till närmaste {kind}, per kommun.",
        "avstand_kurvor_tid": "Andel av invånarna inom en given restid till närmaste {kind}, "
        "per kommun.",
        "avstand_kurvor_km": "Andel av invånarna inom ett givet avstånd till närmaste {kind}, "
        "per kommun.",
        "lika_utgar": "Inga LIKA-värderingar för länet i underlaget: delen om digital mognad "
        "utgår.",
        "enkat_utgar": "Inga enkätdata i underlaget: jämförelsen med riket utgår.",
        "uppfoljning_utgar": "Inga uppföljningsdata för länet i underlaget: delen om "
        "effektuppföljning utgår.",
        "underlag": "{county}: underlag i {folder}",
    },
    "en": {
        "lika_gap_per_kommun": "Difference from the comparison by municipality and dimension, "
        "with uncertainty intervals.",
        "enkat_kommuner": "{title} by municipality and year.",
        "enkat_karta": "{title} {year}, the whole country.",
        "enkat_forandring": "{title}, {first} and {last}.",
        "avstand_klasser_tid": "Population by travel-time class to the nearest {kind}, "
        "by municipality.",
        "avstand_klasser_km": "Population by distance class to the nearest {kind}, "
        "by municipality.",
        "avstand_kurvor_tid": "Share of the inhabitants within a given travel time to the "
        "nearest {kind}, by municipality.",
        "avstand_kurvor_km": "Share of the inhabitants within a given distance to the "
        "nearest {kind}, "
        "by municipality.",
        "lika_utgar": "No LIKA assessments for the county in the data: the part on digital "
        "maturity is left out.",
        "enkat_utgar": "No survey data: the comparison with the country is left out.",
        "uppfoljning_utgar": "No monitoring data for the county: the part on effect monitoring "
        "is left out.",
        "underlag": "{county}: data in {folder}",
    },
}


def _lang(lang: str) -> dict[str, str]:
    check_choice("lang", list(TEXT), lang)
    return TEXT[lang]


def _pct(share: float, lang: str, decimals: int = 0) -> str:
    return format_number(share * 100, decimals=decimals, lang=lang, percent=True)


def _name(code: str) -> str:
    return reference.municipality_names([code])[0]


def _first(frame: pd.DataFrame, column: str, *, largest: bool) -> pd.Series:
    """The row with the largest (or smallest) ``column``; ties: the lowest municipality code."""
    if frame.empty or frame[column].isna().all():
        raise SchemaError(f"There is no {column} to describe", column=column)
    ordered = frame.dropna(subset=[column]).sort_values(
        [column, "municipality_code"], ascending=[not largest, True], kind="stable"
    )
    return ordered.iloc[0]


def text(key: str, lang: str = "sv", **values: Any) -> str:
    """A fixed caption of :data:`TEXT`, its ``{placeholders}`` filled from ``values``.

    Example
    -------
    >>> text("enkat_karta", "en", title="Digital night checks", year=2024)
    'Digital night checks 2024, the whole country.'
    """
    words = _lang(lang)
    check_choice("key", list(words), key)
    return words[key].format(**values)


# --------------------------------------------------------------------------- LIKA


def lika_intro(
    latest: pd.DataFrame, *, years: Sequence[int], instrument: pd.DataFrame, lang: str = "sv"
) -> str:
    """What was read: municipalities in the latest round, rounds in the data, indicators.

    Example
    -------
    >>> import pandas as pd
    >>> latest = pd.DataFrame({"municipality_code": ["1880", "1880", "1814"],
    ...     "assessed_on": pd.to_datetime(["2022-03-01"] * 3)})
    >>> print(lika_intro(latest, years=[2018, 2022],
    ...                  instrument=pd.DataFrame({"indicator_id": [1, 2]})))
    2 kommuner i senaste omgången (2022), omgångar i data: 2018, 2022, 2 indikatorer i instrumentet.
    """
    _lang(lang)
    require_columns(latest, "latest", ["municipality_code", "assessed_on"])
    n = latest["municipality_code"].nunique()
    year = int(latest["assessed_on"].dt.year.max())
    rounds = ", ".join(str(int(y)) for y in years)
    if lang == "sv":
        return (
            f"{n} kommuner i senaste omgången ({year}), omgångar i data: {rounds}, "
            f"{len(instrument)} indikatorer i instrumentet."
        )
    return (
        f"{n} municipalities in the latest round ({year}), rounds in the data: {rounds}, "
        f"{len(instrument)} indicators in the instrument."
    )


def weakest_dimension(scores: pd.DataFrame, *, year: int, lang: str = "sv") -> str:
    """Which dimension is most often a municipality's weakest.

    A municipality's weakest dimension is the one with its lowest score
    (ties: LIKA's order); the dimension that is weakest in most
    municipalities is named (ties: LIKA's order).

    Example
    -------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"municipality_code": ["1880"] * 2 + ["1814"] * 2 + ["1860"] * 2,
    ...     "dimension": ["Ledning", "Kompetens"] * 3, "score": [0.8, 0.4, 0.3, 0.5, 0.9, 0.2]})
    >>> weakest_dimension(s, year=2022)
    'Kompetens är den svagaste delen i 2 av 3 kommuner (2022).'
    >>> weakest_dimension(s, year=2022, lang="en")
    'Competence is the weakest dimension in 2 of 3 municipalities (2022).'
    """
    _lang(lang)
    require_columns(scores, "scores", ["municipality_code", "dimension", "score"])
    from .schemas import DIMENSIONS

    rank = {d: i for i, d in enumerate(DIMENSIONS)}
    scored = scores.dropna(subset=["score"]).assign(_rank=scores["dimension"].map(rank))
    weakest = scored.sort_values(
        ["municipality_code", "score", "_rank"], kind="stable"
    ).drop_duplicates("municipality_code")
    counts = weakest.groupby("dimension", sort=False).size().rename("n").reset_index()
    counts["_rank"] = counts["dimension"].map(rank)
    top = counts.sort_values(["n", "_rank"], ascending=[False, True], kind="stable").iloc[0]
    n, total, name = int(top["n"]), len(weakest), lika_label(top["dimension"], lang)
    if lang == "sv":
        return f"{name} är den svagaste delen i {n} av {total} kommuner ({year})."
    return f"{name} is the weakest dimension in {n} of {total} municipalities ({year})."


def widest_spread(spread: pd.DataFrame, *, lang: str = "sv") -> str:
    """The dimension whose municipalities lie furthest apart (from :func:`maturity.dispersion`).

    Example
    -------
    >>> import pandas as pd
    >>> d = pd.DataFrame({"dimension": ["Ledning", "Kompetens"], "min": [0.2, 0.4],
    ...                   "max": [0.9, 0.6], "range": [0.7, 0.2]})
    >>> widest_spread(d)
    'Störst spridning i Ledning: från 20 till 90 poäng.'
    """
    _lang(lang)
    require_columns(spread, "spread", ["dimension", "min", "max", "range"])
    widest = spread.sort_values("range", ascending=False, kind="stable").iloc[0]
    low = format_number(widest["min"] * 100, decimals=0, lang=lang)
    high = format_number(widest["max"] * 100, decimals=0, lang=lang)
    name = lika_label(widest["dimension"], lang)
    if lang == "sv":
        return f"Störst spridning i {name}: från {low} till {high} poäng."
    return f"The widest spread is in {name}: from {low} to {high} points."


def maturity_change(change: pd.DataFrame, *, rounds: Sequence[Any], lang: str = "sv") -> str:
    """How many municipalities raised their maturity beyond the interval (:func:`maturity.change`).

    ``rounds``: the first and last round compared (the module's example).
    """
    _lang(lang)
    require_columns(change, "change", ["direction"])
    up = int((change["direction"] == "up").sum())
    first, last = rounds[0], rounds[-1]
    if lang == "sv":
        return (
            f"{up} av {len(change)} kommuner har ökat sin mognad säkert mellan {first} och {last}."
        )
    return (
        f"{up} of {len(change)} municipalities raised their maturity beyond the uncertainty "
        f"between {first} and {last}."
    )


def one_round(year: int, *, lang: str = "sv") -> str:
    """Why there is no change to show.

    Example
    -------
    >>> one_round(2022)
    'Bara en omgång (2022) i data: ingen förändring att visa.'
    """
    _lang(lang)
    if lang == "sv":
        return f"Bara en omgång ({year}) i data: ingen förändring att visa."
    return f"Only one round ({year}) in the data: no change to show."


def peer_groups(peers: pd.DataFrame, *, lang: str = "sv") -> str:
    """How many peer groups :func:`maturity.peer_groups` chose, and how.

    Example
    -------
    >>> import pandas as pd
    >>> p = pd.DataFrame({"peer_group": [1, 2]})
    >>> p.attrs["k"] = 2
    >>> peer_groups(p, lang="en")
    '2 groups (the number with the highest silhouette).'
    >>> one = pd.DataFrame({"peer_group": [1]})
    >>> one.attrs["k"] = 1
    >>> peer_groups(one, lang="en")
    'One group: too few municipalities to divide into groups.'
    """
    _lang(lang)
    k = peers.attrs.get("k", peers["peer_group"].nunique())
    if k == 1 and peers["peer_group"].notna().sum() < 3:  # a county of one or two municipalities
        if lang == "sv":
            return "En grupp: för få kommuner för att dela in i grupper."
        return "One group: too few municipalities to divide into groups."
    if lang == "sv":
        return f"{k} grupper (vald efter högst silhuettvärde)."
    return f"{k} groups (the number with the highest silhouette)."


def first_development_area(areas: pd.DataFrame, *, threshold: float, lang: str = "sv") -> str:
    """The county's first development area (:func:`maturity.development_areas`, first row).

    Example
    -------
    >>> import pandas as pd
    >>> a = pd.DataFrame({"dimension": ["Kompetens"], "n_below": [9], "n_municipalities": [12]})
    >>> first_development_area(a, threshold=0.5)
    'Kompetens är länets första utvecklingsområde: 9 av 12 kommuner ligger under 50 poäng.'
    """
    _lang(lang)
    require_columns(areas, "areas", ["dimension", "n_below", "n_municipalities"])
    top = areas.iloc[0]
    name = lika_label(top["dimension"], lang)
    points = format_number(threshold * 100, decimals=0, lang=lang)
    n, total = int(top["n_below"]), int(top["n_municipalities"])
    if lang == "sv":
        return (
            f"{name} är länets första utvecklingsområde: {n} av {total} kommuner ligger under "
            f"{points} poäng."
        )
    return (
        f"{name} is the county's first development area: {n} of {total} municipalities are "
        f"below {points} points."
    )


def highest_index(index: pd.DataFrame, *, lang: str = "sv") -> str:
    """The municipality with the highest maturity index (:func:`maturity.maturity_index`).

    Example
    -------
    >>> import pandas as pd
    >>> i = pd.DataFrame({"municipality_code": ["1814", "1880"], "index": [0.61, 0.61]})
    >>> highest_index(i)
    'Högst mognadsindex har Lekeberg (61 poäng).'
    """
    _lang(lang)
    require_columns(index, "index", ["municipality_code", "index"])
    best = _first(index, "index", largest=True)
    points = format_number(best["index"] * 100, decimals=0, lang=lang)
    name = _name(best["municipality_code"])
    if lang == "sv":
        return f"Högst mognadsindex har {name} ({points} poäng)."
    return f"{name} has the highest maturity index ({points} points)."


# --------------------------------------------------------------------------- survey


def survey_intro(obs: pd.DataFrame, *, year: int, lang: str = "sv") -> str:
    """What was read: municipalities, years and indicators of an observations table.

    Example
    -------
    >>> import pandas as pd
    >>> o = pd.DataFrame({"municipality_code": ["1880", "1814"], "period": [2014, 2024],
    ...                   "indicator_id": "x"})
    >>> survey_intro(o, year=2024)
    '2 kommuner, 2014–2024, 1 nyckeltal.'
    """
    _lang(lang)
    require_columns(obs, "obs", ["municipality_code", "period", "indicator_id"])
    n, k = obs["municipality_code"].nunique(), obs["indicator_id"].nunique()
    first = int(obs["period"].min())
    if lang == "sv":
        return f"{n} kommuner, {first}–{year}, {k} nyckeltal."
    return f"{n} municipalities, {first}–{year}, {k} indicators."


def adoption(
    levels: pd.DataFrame,
    *,
    indicator: str,
    county_code: str,
    title: str,
    year: int | None = None,
    lang: str = "sv",
) -> str:
    """The county's and the country's share of municipalities with a service in a year.

    Parameters
    ----------
    levels : DataFrame
        :func:`compare.reference_levels` with the county and nation levels.
    indicator, county_code, title : str
    year : int, optional
        Default the latest year of the indicator.

    Example
    -------
    >>> import pandas as pd
    >>> lv = pd.DataFrame({"indicator_id": "x", "period": 2024, "level": ["county", "nation"],
    ...                    "key": ["18", "0000"], "share": [0.5, 0.6]})
    >>> adoption(lv, indicator="x", county_code="18", title="Digital nattillsyn")
    'Digital nattillsyn 2024: 50\\xa0% av kommunerna i Örebro län, 60\\xa0% i riket.'
    """
    _lang(lang)
    require_columns(levels, "levels", ["indicator_id", "period", "level", "key", "share"])
    shown = levels[levels["indicator_id"] == indicator]
    if shown.empty:
        raise SchemaError(
            f"`levels` has no rows for the indicator {indicator!r}",
            column="indicator_id",
            value=indicator,
        )
    year = int(shown["period"].max()) if year is None else int(year)
    now = shown[shown["period"] == year].set_index(["level", "key"])["share"]
    county_share = now.get(("county", county_code), np.nan)
    nation = now.xs("nation", level="level") if "nation" in now.index.get_level_values(0) else []
    nation_share = nation.iloc[0] if len(nation) else np.nan
    county = reference.counties().set_index("county_code").loc[county_code, "county"]
    here, there = _pct(county_share, lang), _pct(nation_share, lang)
    if lang == "sv":
        return f"{title} {year}: {here} av kommunerna i {county}, {there} i riket."
    return f"{title} {year}: {here} of the municipalities in {county}, {there} in the country."


def most_green(colours: pd.DataFrame, *, year: int, lang: str = "sv") -> str:
    """The municipality with the largest share of green tiles (:func:`compare.rank_colour`).

    Example
    -------
    >>> import pandas as pd
    >>> c = pd.DataFrame({"municipality_code": ["1880", "1880", "1814", "1814"],
    ...                   "colour": ["green", "red", "green", "green"]})
    >>> most_green(c, year=2024)
    'Lekeberg har flest gröna rutor (100\\xa0% av nyckeltalen) 2024.'
    """
    _lang(lang)
    require_columns(colours, "colours", ["municipality_code", "colour"])
    greens = (
        (colours["colour"] == "green")
        .groupby(colours["municipality_code"])
        .mean()
        .rename("share")
        .reset_index()
    )
    best = _first(greens, "share", largest=True)
    name, share = _name(best["municipality_code"]), _pct(best["share"], lang)
    if lang == "sv":
        return f"{name} har flest gröna rutor ({share} av nyckeltalen) {year}."
    return f"{name} has the most green tiles ({share} of the indicators) in {year}."


# --------------------------------------------------------------------------- access


def access_intro(cells, services, *, county: str, method: str, lang: str = "sv") -> str:
    """What was read: populated cells, inhabitants and service points, and the method.

    Example
    -------
    >>> import pandas as pd
    >>> access_intro(pd.DataFrame({"population": [10.0, 25.0]}), pd.DataFrame({"kind": ["a"]}),
    ...              county="Örebro län", method="network")
    'Örebro län: 2 befolkade rutor, 35 invånare, 1 servicepunkter, metod network.'
    """
    _lang(lang)
    people = format_number(float(cells["population"].sum()), decimals=0, lang=lang)
    if lang == "sv":
        return (
            f"{county}: {len(cells)} befolkade rutor, {people} invånare, "
            f"{len(services)} servicepunkter, metod {method}."
        )
    return (
        f"{county}: {len(cells)} populated cells, {people} inhabitants, "
        f"{len(services)} service points, method {method}."
    )


def unreachable(distances: pd.DataFrame, *, lang: str = "sv") -> str:
    """Cells without a route, per kind (``attrs["unreachable"]`` of :func:`access.nearest`).

    Example
    -------
    >>> import pandas as pd
    >>> d = pd.DataFrame()
    >>> d.attrs["unreachable"] = {"apotek": 2, "dagligvaror": 0}
    >>> unreachable(d)
    'Rutor som inte nås via vägnätet: apotek 2, dagligvaror 0.'
    """
    _lang(lang)
    counts = distances.attrs.get("unreachable", {})
    listed = ", ".join(f"{kind} {n}" for kind, n in sorted(counts.items())) or "0"
    if lang == "sv":
        return f"Rutor som inte nås via vägnätet: {listed}."
    return f"Cells the road network does not reach: {listed}."


def far_from_service(
    summary: pd.DataFrame,
    *,
    kind: str,
    county: str,
    time: bool,
    lang: str = "sv",
) -> str:
    """The share of the inhabitants beyond the last threshold from the nearest ``kind``.

    Parameters
    ----------
    summary : DataFrame
        :func:`access.summarise` (its "all" rows per area are added up).
    kind : str
    county : str
        The county's name.
    time : bool
        Travel times (the ``beyond_<t>min`` columns); else distances (km).

    Example
    -------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"kind": "apotek", "group": "all", "population": [100.0, 300.0],
    ...                   "beyond_5min": [50.0, 90.0], "beyond_30min": [10.0, 20.0]})
    >>> far_from_service(s, kind="apotek", county="Örebro län", time=True)
    '7,5\\xa0% av invånarna i Örebro län har mer än 30 minuter till närmaste apotek.'

    A county total of 1 to 4 people is not given (nor its share):

    >>> far_from_service(s.assign(beyond_30min=[1.0, 2.0]), kind="apotek", county="Örebro län",
    ...                  time=True)
    'Färre än 5 av invånarna i Örebro län har mer än 30 minuter till närmaste apotek.'
    """
    _lang(lang)
    require_columns(summary, "summary", ["kind", "group", "population"])
    unit = "min" if time else "km"
    columns = [c for c in summary.columns if c.startswith("beyond_") and c.endswith(unit)]
    if not columns:
        raise SchemaError(
            f"`summary` has no beyond_<t>{unit} column",
            column=f"beyond_<t>{unit}",
            hint="pass access.summarise of distances in the same unit",
        )
    last = columns[-1]
    limit = last.removeprefix("beyond_").removesuffix(unit)
    rows = summary[(summary["kind"] == kind) & (summary["group"] == "all")]
    kind = _kind_name(kind, lang)
    people = float(rows[last].sum())
    share = _pct(people / rows["population"].sum(), lang, decimals=1)
    if 1 <= people < SUPPRESSION_LIMIT:  # the share with the county's population gives it back
        share = {"sv": "Färre än", "en": "Fewer than"}[lang] + f" {SUPPRESSION_LIMIT}"
    if lang == "sv":
        words = "minuter" if time else "km"
        return f"{share} av invånarna i {county} har mer än {limit} {words} till närmaste {kind}."
    words = "minutes" if time else "km"
    return (
        f"{share} of the inhabitants of {county} have more than {limit} {words} to the "
        f"nearest {kind}."
    )


def access_figure(name: str, *, kind: str, time: bool, lang: str = "sv") -> str:
    """The fixed caption of an access figure ("avstand_klasser", "avstand_kurvor") for ``kind``.

    ``time``: the distances are travel times (else lengths).

    Example
    -------
    >>> access_figure("avstand_klasser", kind="apotek", time=True)
    'Befolkning per restidsklass till närmaste apotek, per kommun.'
    >>> access_figure("avstand_kurvor", kind="apotek", time=False, lang="en")
    'Share of the inhabitants within a given distance to the nearest pharmacy, by municipality.'
    """
    check_choice("name", ["avstand_klasser", "avstand_kurvor"], name)
    return text(f"{name}_{'tid' if time else 'km'}", lang, kind=_kind_name(kind, lang))


def _kind_name(kind: str, lang: str) -> str:
    """A service kind as figures name it: "dagligvaror" is "dagligvarubutik" ("grocery store")."""
    _lang(lang)
    return KIND_NAMES[lang].get(kind, kind)


def pipos_difference(comparison: pd.DataFrame, *, lang: str = "sv") -> str:
    """The largest difference in people between our distance classes and a Pipos table.

    Example
    -------
    >>> import pandas as pd
    >>> c = pd.DataFrame({"population": [100.0, 50.0], "population_pipos": [98.0, 57.0]})
    >>> pipos_difference(c)
    'Största skillnad mot Pipos-tabellen: 7 invånare.'
    """
    _lang(lang)
    require_columns(comparison, "comparison", ["population", "population_pipos"])
    largest = (comparison["population"] - comparison["population_pipos"]).abs().max()
    people = format_number(float(largest), decimals=0, lang=lang)
    if lang == "sv":
        return f"Största skillnad mot Pipos-tabellen: {people} invånare."
    return f"Largest difference from the Pipos table: {people} inhabitants."


def best_access(per_area: pd.DataFrame, *, lang: str = "sv") -> str:
    """The municipality with the highest 2SFCA score (:func:`access.two_step_fca` areas).

    Example
    -------
    >>> import pandas as pd
    >>> best_access(pd.DataFrame({"municipality_code": ["1880", "1814"], "score": [0.1, 0.3]}))
    'Högst tillgänglighet till hemtjänst har Lekeberg.'
    """
    _lang(lang)
    require_columns(per_area, "per_area", ["municipality_code", "score"])
    name = _name(_first(per_area, "score", largest=True)["municipality_code"])
    if lang == "sv":
        return f"Högst tillgänglighet till hemtjänst har {name}."
    return f"{name} has the best access to home care."


def travel_savings(savings: pd.DataFrame, *, digital_share: float, lang: str = "sv") -> str:
    """Km and hours a month saved in the county (:func:`access.travel_savings`).

    Example
    -------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"km_saved": [1200.4, 300.0], "hours_saved": [20.2, 5.0]})
    >>> travel_savings(s, digital_share=0.1)
    'Med 10\\xa0% digitala besök sparas omkring 1\\xa0500 km och 25 timmar i månaden i länet.'
    """
    _lang(lang)
    require_columns(savings, "savings", ["km_saved", "hours_saved"])
    share = _pct(digital_share, lang)
    km = format_number(float(savings["km_saved"].sum()), decimals=0, lang=lang)
    hours = format_number(float(savings["hours_saved"].sum()), decimals=0, lang=lang)
    if lang == "sv":
        return (
            f"Med {share} digitala besök sparas omkring {km} km och {hours} timmar i månaden "
            "i länet."
        )
    return (
        f"With {share} digital visits about {km} km and {hours} hours a month are saved in "
        "the county."
    )


# --------------------------------------------------------------------------- monitoring


def monitoring_intro(data: pd.DataFrame, *, quarter: Any, lang: str = "sv") -> str:
    """What was read: municipalities, metrics, quarters, and the quarter summarised.

    Example
    -------
    >>> import pandas as pd
    >>> d = pd.DataFrame({"municipality_code": ["1880", "1814"], "metric_id": "m",
    ...                   "period": pd.PeriodIndex(["2024Q1", "2026Q3"], freq="Q")})
    >>> monitoring_intro(d, quarter=pd.Period("2026Q3", "Q"))
    '2 kommuner, 1 mått, 2024 K1–2026 K3; sammanfattat kvartal 2026 K3.'
    """
    _lang(lang)
    require_columns(data, "data", ["municipality_code", "metric_id", "period"])
    n, k = data["municipality_code"].nunique(), data["metric_id"].nunique()
    first = quarter_label(data["period"].min(), lang)
    last = quarter_label(data["period"].max(), lang)
    now = quarter_label(pd.Period(quarter, freq="Q"), lang)
    if lang == "sv":
        return f"{n} kommuner, {k} mått, {first}–{last}; sammanfattat kvartal {now}."
    return f"{n} municipalities, {k} metrics, {first}–{last}; quarter summarised {now}."


def metric_signals(
    charts: pd.DataFrame,
    *,
    quarter: Any,
    titles: Mapping | pd.Series | None = None,
    lang: str = "sv",
) -> dict[str, str]:
    """Per metric: how many municipalities signal in ``quarter`` (:func:`monitoring.charts_for`).

    A point signals when it is outside the limits or in an unusually long run.

    Returns
    -------
    dict
        Caption by metric_id, in metric order.

    Example
    -------
    >>> import pandas as pd
    >>> q = pd.Period("2026Q3", "Q")
    >>> c = pd.DataFrame({"metric_id": "m", "municipality_code": ["1880", "1814", "1860"],
    ...     "x": q, "sigma_signal": [True, False, False], "shift_point": [False, True, False]})
    >>> metric_signals(c, quarter=q, titles={"m": "Digitala besök"})
    {'m': 'Digitala besök: 2 av 3 kommuner visar en signal 2026 K3.'}
    """
    _lang(lang)
    require_columns(
        charts, "charts", ["metric_id", "municipality_code", "x", "sigma_signal", "shift_point"]
    )
    period = pd.Period(quarter, freq="Q")
    titles = dict(titles) if titles is not None else {}
    label = quarter_label(period, lang)
    out = {}
    for metric, group in charts.groupby("metric_id", sort=True):
        now = group[group["x"] == period]
        signals = int((now["sigma_signal"] | now["shift_point"]).sum())
        total = group["municipality_code"].nunique()
        title = titles.get(metric, metric)
        out[metric] = (
            f"{title}: {signals} av {total} kommuner visar en signal {label}."
            if lang == "sv"
            else f"{title}: {signals} of {total} municipalities signal in {label}."
        )
    return out


def its(
    municipality_code: str,
    result: Any,
    *,
    metric_id: str,
    catalogue: pd.DataFrame,
    lang: str = "sv",
) -> tuple[str, str]:
    """Title and caption of an interrupted time series (:func:`monitoring.largest_change_its`).

    Returns
    -------
    (str, str)
        "<municipality>: <metric title>[, %]" and "<municipality>: <the result's sentence>".

    Example
    -------
    >>> import pandas as pd
    >>> from types import SimpleNamespace
    >>> cat = pd.DataFrame({"metric_id": ["m"], "title_sv": ["Digitala besök"], "unit": ["%"]})
    >>> its("1880", SimpleNamespace(sentence="Nivån höjdes."), metric_id="m", catalogue=cat)
    ('Örebro: Digitala besök, %', 'Örebro: Nivån höjdes.')
    """
    _lang(lang)
    require_columns(catalogue, "catalogue", ["metric_id", "title_sv"])
    meta = catalogue.set_index("metric_id")
    name = _name(municipality_code)
    title = metric_id
    if metric_id in meta.index:
        title = meta.loc[metric_id, "title_sv"]
        if lang == "en" and "title_en" in meta and pd.notna(meta.loc[metric_id, "title_en"]):
            title = meta.loc[metric_id, "title_en"]
    unit = meta["unit"].get(metric_id, "") if "unit" in meta else ""
    heading = f"{name}: {title}" + (", %" if unit == "%" else "")
    return heading, f"{name}: {result.sentence}"


def quarter(summary: pd.DataFrame, *, lang: str = "sv") -> str:
    """New signals, targets met, metrics moving the wrong way (:func:`monitoring.quarter_summary`).

    Example
    -------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"quarter": pd.Period("2026Q3", "Q"), "new_signal": [True, False],
    ...     "target_met": [None, True], "against_direction": [False, False]})
    >>> quarter(s)
    '2026 K3: 1 nya signaler, 1 mål nådda, 0 mått går åt fel håll.'
    """
    _lang(lang)
    require_columns(
        summary, "summary", ["quarter", "new_signal", "target_met", "against_direction"]
    )
    label = quarter_label(summary["quarter"].iloc[0], lang) if len(summary) else "–"
    new = int(summary["new_signal"].astype(bool).sum())
    met = int(summary["target_met"].fillna(False).astype(bool).sum())
    against = int(summary["against_direction"].astype(bool).sum())
    if lang == "sv":
        return f"{label}: {new} nya signaler, {met} mål nådda, {against} mått går åt fel håll."
    return f"{label}: {new} new signals, {met} targets met, {against} metrics moving the wrong way."


def improvements(summary: pd.DataFrame, *, metric_id: str, title: str, lang: str = "sv") -> str:
    """How many municipalities improve in one metric (:func:`monitoring.quarter_summary`).

    Example
    -------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"metric_id": "m", "quarter": pd.Period("2026Q3", "Q"),
    ...                   "signal": ["improvement", "", "deterioration"]})
    >>> improvements(s, metric_id="m", title="Digitala besök", lang="en")
    'Digitala besök: 1 of 3 municipalities show an improvement in 2026 Q3.'
    """
    _lang(lang)
    require_columns(summary, "summary", ["metric_id", "quarter", "signal"])
    now = summary[summary["metric_id"] == metric_id]
    if now.empty:
        raise SchemaError(
            f"`summary` has no rows for the metric {metric_id!r}",
            column="metric_id",
            value=metric_id,
        )
    better = int((now["signal"] == "improvement").sum())
    label = quarter_label(now["quarter"].iloc[0], lang)
    if lang == "sv":
        return f"{title}: {better} av {len(now)} kommuner visar en förbättring {label}."
    return f"{title}: {better} of {len(now)} municipalities show an improvement in {label}."


# --------------------------------------------------------------------------- summary (notebook 05)


def index_range(index: pd.DataFrame, *, lang: str = "sv") -> str:
    """The highest and lowest maturity index and the county mean (:func:`plots.index_bars`).

    Example
    -------
    >>> import pandas as pd
    >>> i = pd.DataFrame({"municipality_code": ["1814", "1880", "1860"],
    ...                   "index": [0.43, 0.74, 0.52]})
    >>> index_range(i)
    'Högst mognadsindex har Örebro (74 poäng), lägst Lekeberg (43); länets medelvärde är 56.'
    >>> index_range(i, lang="en").split("; ")
    ... # doctest: +NORMALIZE_WHITESPACE
    ['Örebro has the highest maturity index (74 points), Lekeberg the lowest (43)',
     'the county mean is 56.']
    """
    _lang(lang)
    require_columns(index, "index", ["municipality_code", "index"])
    best = _first(index, "index", largest=True)
    worst = _first(index, "index", largest=False)
    high, low, mean = (
        format_number(v * 100, decimals=0, lang=lang)
        for v in (best["index"], worst["index"], index["index"].mean())
    )
    top, bottom = _name(best["municipality_code"]), _name(worst["municipality_code"])
    if lang == "sv":
        return (
            f"Högst mognadsindex har {top} ({high} poäng), lägst {bottom} ({low}); "
            f"länets medelvärde är {mean}."
        )
    return (
        f"{top} has the highest maturity index ({high} points), {bottom} the lowest ({low}); "
        f"the county mean is {mean}."
    )


def county_vs_nation(levels: pd.DataFrame, *, county_code: str, year: int, lang: str = "sv") -> str:
    """In how many Ja/Nej key figures the county's share is above the nation's (one year).

    Example
    -------
    >>> import pandas as pd
    >>> lv = pd.DataFrame({"indicator_id": ["a", "a", "b", "b"], "period": 2024,
    ...     "level": ["county", "nation"] * 2, "key": ["18", "0000"] * 2,
    ...     "share": [0.9, 0.8, 0.3, 0.5]})
    >>> county_vs_nation(lv, county_code="18", year=2024)
    'Örebro län ligger över riket i 1 av 2 nyckeltal 2024.'
    """
    _lang(lang)
    require_columns(levels, "levels", ["indicator_id", "period", "level", "key", "share"])
    shown = levels[(levels["period"] == year) & levels["share"].notna()]
    county = shown[(shown["level"] == "county") & (shown["key"].astype(str) == county_code)]
    nation = shown[shown["level"] == "nation"]
    both = pd.concat(
        [county.set_index("indicator_id")["share"], nation.set_index("indicator_id")["share"]],
        axis=1,
        keys=["county", "nation"],
    ).dropna()
    above = int((both["county"] > both["nation"]).sum())
    name = reference.counties().set_index("county_code").loc[county_code, "county"]
    if lang == "sv":
        return f"{name} ligger över riket i {above} av {len(both)} nyckeltal {year}."
    return f"{name} is above the nation in {above} of {len(both)} key figures in {year}."


def signal_counts(summary: pd.DataFrame, *, lang: str = "sv") -> str:
    """How many improvement and deterioration signals the quarter has (:func:`plots.signal_bars`).

    Example
    -------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"metric_id": ["m", "m", "n"], "quarter": pd.Period("2026Q3", "Q"),
    ...                   "signal": ["improvement", "", "deterioration"]})
    >>> signal_counts(s, lang="en")
    '2026 Q3: 1 improvement signal and 1 deterioration signal in 2 metrics.'
    """
    _lang(lang)
    require_columns(summary, "summary", ["metric_id", "quarter", "signal"])
    better = int((summary["signal"] == "improvement").sum())
    worse = int((summary["signal"] == "deterioration").sum())
    metrics = summary["metric_id"].nunique()
    label = quarter_label(summary["quarter"].max(), lang)
    if lang == "sv":
        return (
            f"{label}: {better} signaler om förbättring och {worse} om försämring i {metrics} mått."
        )
    s_better, s_worse = ("" if better == 1 else "s"), ("" if worse == 1 else "s")
    return (
        f"{label}: {better} improvement signal{s_better} and {worse} deterioration "
        f"signal{s_worse} in {metrics} metrics."
    )
