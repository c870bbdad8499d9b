"""The report's tables as data: value and colour per cell, markers, reference rows, n per row.

A :class:`Table` is what the template renders as a real HTML table (caption, ``th scope``) and
what :mod:`.pdf` draws: rows of :class:`Cell`, in the style of Kolada and Öppna jämförelser —
each cell its value and its colour (green, yellow, red by the county's quartiles, grey when
missing), "x" for a value hidden to protect small counts and "–" for a missing one, the county
and nation as rows of their own, and n in the last column.

The builders take :class:`~ehalsa_analys.report.collect.Collected` and return a Table (None when
its source is missing). Chapter tables are listed per report part in :data:`CHAPTER_TABLES`;
adding a table to a chapter is one builder and one line there (the profiles list theirs in
:data:`ehalsa_analys.report.profiles.PROFILE_SECTIONS`).

Example
-------
>>> t = Table("t", "Exempel", ("Kommun", "Värde", "n"),
...           (Row("Örebro", (Cell("45 %", colour="green"),), n="12"),))
>>> t.rows[0].cells[0].css
'c-green'
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..formatting import format_number
from .collect import Collected

__all__ = [
    "Cell",
    "Row",
    "Table",
    "MARKERS",
    "CHAPTER_TABLES",
    "chapter_tables",
    "lika_table",
    "lika_profile_table",
    "survey_tables",
    "access_table",
    "reach_county_table",
    "reach_profile_table",
    "monitoring_table",
    "action_plan",
]

#: What a marked cell shows, and the legend under each table.
MARKERS = {
    "sv": {
        "suppressed": "x",
        "missing": "–",
        "legend": "x = dolt för att skydda små antal (färre än 5 personer); – = uppgift saknas. "
        "Färg: grön bästa fjärdedelen av länets kommuner, gul mittersta hälften, röd sämsta "
        "fjärdedelen (Ja/Nej: grön Ja, röd Nej).",
    },
    "en": {
        "suppressed": "x",
        "missing": "–",
        "legend": "x = hidden to protect small counts (fewer than 5 people); – = missing. "
        "Colour: green the best quarter of the county's municipalities, yellow the middle half, "
        "red the worst quarter (Yes/No: green Yes, red No).",
    },
}
_COLOURS = ("green", "yellow", "red", "grey")


@dataclass(frozen=True)
class Cell:
    """One cell: its text, colour ("green", "yellow", "red", "grey" or "") and marker."""

    text: str
    colour: str = ""
    marker: str = ""  # "suppressed", "missing" or ""
    title: str = ""  # a longer text for screen readers and hover (e.g. "Ja, bästa fjärdedelen")

    @property
    def css(self) -> str:
        """The cell's CSS class: "c-green" …, "m-suppressed" …, or ""."""
        parts = [f"c-{self.colour}"] if self.colour in _COLOURS else []
        if self.marker:
            parts.append(f"m-{self.marker}")
        return " ".join(parts)


@dataclass(frozen=True)
class Row:
    """A row: its header (the municipality, "Länet", "Riket"…), cells, n and kind."""

    header: str
    cells: tuple[Cell, ...]
    n: str = ""
    kind: str = ""  # "municipality", "county", "nation", "peer" or ""


@dataclass(frozen=True)
class Table:
    """A report table: ``columns`` are the header row (the row header's column first, n last)."""

    key: str
    caption: str
    columns: tuple[str, ...]
    rows: tuple[Row, ...]
    note: str = ""
    legend: bool = True

    def frame(self) -> pd.DataFrame:
        """The table as text, one column per header (for tests and exports).

        Example
        -------
        >>> row = Row("Laxå", (Cell("x", marker="suppressed"),), n="3")
        >>> Table("t", "T", ("Kommun", "A", "n"), (row,)).frame().values.tolist()
        [['Laxå', 'x', '3']]
        """
        body = [[r.header, *(c.text for c in r.cells), r.n] for r in self.rows]
        return pd.DataFrame(body, columns=list(self.columns))


def _text(lang: str) -> dict[str, str]:
    return _TEXT[lang]


_TEXT = {
    "sv": {
        "municipality": "Kommun",
        "county": "Länet",
        "nation": "Riket",
        "peer": "Jämförelsegrupp {group}",
        "n": "n",
        "index": "Index",
        "yes": "Ja",
        "no": "Nej",
        "lika": "LIKA {year}: poäng 0–100 per del och mognadsindex, länets kommuner. "
        "n = antal besvarade indikatorer.",
        "lika_profile": "{name}: LIKA {year}, poäng 0–100 jämfört med länet och "
        "jämförelsegruppen. n = besvarade indikatorer (kommunen), kommuner (länet, gruppen).",
        "survey": "{area}: Socialstyrelsens enkät {year}. Kommunens svar; länet och riket som "
        "andel av kommunerna som svarat Ja. n = antal kommuner som svarat.",
        "survey_all": "Socialstyrelsens enkät {year}: länets kommuner, länet och riket. "
        "n = antal nyckeltal med svar (kommunerna) eller antal kommuner (länet, riket).",
        "access": "{name}: andel av invånarna efter restid med bil till närmaste service "
        "(Pipos klasser), alla och 70 år och äldre. n = antal invånare.",
        "reach_county": "Invånare efter avstånd till närmaste {kind} och tillgång till "
        "bredband, per kommun: långt bort betyder minst {t}",
        "reach_profile": "{name}: invånare efter avstånd till närmaste {kind} och tillgång till "
        "bredband (långt bort: minst {t})",
        "reach_note": "Uppkopplad: tillgång till fast bredband om minst 100 Mbit/s (PTS). Där "
        "rutan saknar egen uppgift används kommunens andel hushåll som sannolikhet, och antalen "
        "är förväntade värden. x = dolt för att skydda små antal.",
        "access_county": "Andel av invånarna efter restid med bil till närmaste {kind}, per "
        "kommun (Pipos klasser). n = antal invånare.",
        "access_row": "{kind}, {group}",
        "all": "alla",
        "70+": "70 år och äldre",
        "monitoring": "{name}: effektuppföljningen {quarter}. Senaste värde, mål, signal "
        "och andel av vägen från baslinjen till målet.",
        "monitoring_county": "Effektuppföljningen {quarter}: senaste värde per kommun och mått.",
        "metric": "Mått",
        "latest": "Senaste värde",
        "target": "Mål",
        "signal": "Signal",
        "way": "Andel av vägen till målet",
        "plan": "Förslag till handlingsplan: de delar av LIKA där flest kommuner ligger under "
        "{threshold} poäng, länets svagaste indikatorer, förslag på aktiviteter och måttet "
        "som följer upp dem (steg 9 i Connect: effektmonitorering).",
        "area": "Utvecklingsområde",
        "weakest": "Svagaste indikatorer",
        "activities": "Förslag på aktiviteter",
        "concerned": "Berörda kommuner (under tröskeln)",
        "follow_up": "Uppföljning",
        "below": "{n} av {total} kommuner under {threshold} poäng",
        "follow": {
            "Användning": "Andel hemtjänstbesök som görs digitalt (effektuppföljningen, "
            "kvartalsvis); digital nattillsyn (Socialstyrelsens enkät, årligen)",
            "Kompetens": "Ny LIKA-värdering av kompetensindikatorerna; personalresurser "
            "avsatta för e-hälsa (Socialstyrelsens enkät)",
            "Infrastruktur": "Ny LIKA-värdering av infrastruktur; informationsklassning "
            "genomförd (Socialstyrelsens enkät)",
            "Ledning": "Strategi och handlingsplan med tid och resurser (Socialstyrelsens "
            "enkät); ny LIKA-värdering av ledning",
        },
        "follow_default": "Ny LIKA-värdering av delen",
        "kinds": {},
    },
    "en": {
        "municipality": "Municipality",
        "county": "County",
        "nation": "Sweden",
        "peer": "Peer group {group}",
        "n": "n",
        "index": "Index",
        "yes": "Yes",
        "no": "No",
        "lika": "LIKA {year}: score 0–100 per dimension and maturity index, the county's "
        "municipalities. n = indicators answered.",
        "lika_profile": "{name}: LIKA {year}, score 0–100 against the county and the peer "
        "group. n = indicators answered (the municipality), municipalities (county, group).",
        "survey": "{area}: Socialstyrelsen's survey {year}. The municipality's answer; county "
        "and nation as the share of municipalities answering Yes. n = municipalities answering.",
        "survey_all": "Socialstyrelsen's survey {year}: the county's municipalities, the county "
        "and the nation. n = indicators answered (municipalities) or municipalities (county, "
        "nation).",
        "access": "{name}: share of the inhabitants by travel time by car to the nearest "
        "service (Pipos' classes), all and aged 70 and over. n = inhabitants.",
        "reach_county": "Inhabitants by distance to the nearest {kind} and access to broadband, "
        "per municipality: far means {t} or more",
        "reach_profile": "{name}: inhabitants by distance to the nearest {kind} and access to "
        "broadband (far: {t} or more)",
        "reach_note": "Connected: access to fixed broadband of at least 100 Mbit/s (PTS). Where "
        "a square has no data of its own, the municipality's share of households is used as a "
        "probability and the counts are expected values. x = hidden to protect small counts.",
        "access_county": "Share of the inhabitants by travel time by car to the nearest {kind}, "
        "per municipality (Pipos' classes). n = inhabitants.",
        "access_row": "{kind}, {group}",
        "all": "all",
        "70+": "aged 70+",
        "monitoring": "{name}: effect monitoring {quarter}. Latest value, target, signal and "
        "share of the way from the baseline to the target.",
        "monitoring_county": "Effect monitoring {quarter}: latest value per municipality and "
        "measure.",
        "metric": "Measure",
        "latest": "Latest value",
        "target": "Target",
        "signal": "Signal",
        "way": "Share of the way to the target",
        "plan": "Draft action plan: the LIKA dimensions where most municipalities score below "
        "{threshold}, the county's weakest indicators, suggested activities and the measure "
        "that follows them up (step 9 of Connect: effect monitoring).",
        "area": "Development area",
        "weakest": "Weakest indicators",
        "activities": "Suggested activities",
        "concerned": "Municipalities concerned (below the threshold)",
        "follow_up": "Follow-up",
        "below": "{n} of {total} municipalities below {threshold}",
        "follow": {
            "Användning": "Share of home-care visits made digitally (effect monitoring, "
            "quarterly); digital night supervision (Socialstyrelsen's survey, yearly)",
            "Kompetens": "A new LIKA assessment of the competence indicators; staff resources "
            "for e-health (Socialstyrelsen's survey)",
            "Infrastruktur": "A new LIKA assessment of infrastructure; information "
            "classification done (Socialstyrelsen's survey)",
            "Ledning": "Strategy and action plan with time and resources (Socialstyrelsen's "
            "survey); a new LIKA assessment of leadership",
        },
        "follow_default": "A new LIKA assessment of the dimension",
        "kinds": {
            "dagligvaror": "groceries",
            "apotek": "pharmacy",
            "vårdcentral": "health centre",
            "hemtjänst": "home-care base",
            "drivmedel": "fuel",
        },
    },
}
_DIMENSIONS_EN = {
    "Ledning": "Leadership",
    "Infrastruktur": "Infrastructure",
    "Kompetens": "Competence",
    "Användning": "Use",
}
DIMENSIONS = ("Ledning", "Infrastruktur", "Kompetens", "Användning")


def dimension_label(dimension: str, lang: str) -> str:
    """A LIKA dimension in the report's language ("Kompetens" / "Competence")."""
    return _DIMENSIONS_EN.get(dimension, dimension) if lang == "en" else dimension


def kind_label(kind: str, lang: str) -> str:
    """A service kind in the report's language, capitalised ("Dagligvaror", "Groceries")."""
    word = _TEXT[lang]["kinds"].get(kind, kind)
    return word[:1].upper() + word[1:]


def _pct(share: float, lang: str, decimals: int = 0) -> str:
    return format_number(share * 100, decimals=decimals, lang=lang, percent=True)


def _points(score: float, lang: str) -> str:
    return format_number(score * 100, decimals=0, lang=lang)


def _n(value, lang: str) -> str:
    return (
        ""
        if value is None or pd.isna(value)
        else format_number(float(value), decimals=0, lang=lang)
    )


def quartile_colours(values: pd.Series, *, higher_is_better: bool = True) -> pd.Series:
    """Kolada's traffic lights among ``values``, indexed by municipality code.

    The rule of :func:`ehalsa_analys.compare.rank_colour` (best quarter green, middle half
    yellow, worst quarter red), so LIKA's tables are coloured as the survey's.

    Example
    -------
    >>> v = pd.Series([1.0, 2, 3, 4, 5], index=["1814", "1860", "1861", "1862", "1863"])
    >>> quartile_colours(v).tolist()
    ['red', 'red', 'yellow', 'green', 'green']
    """
    from .. import compare

    obs = pd.DataFrame(
        {
            "municipality_code": [str(code) for code in values.index],
            "period": 0,
            "indicator_id": "v",
            "value": values.to_numpy(float),
            "unit": "poäng",
        }
    )
    catalogue = pd.DataFrame(
        {"indicator_id": ["v"], "higher_is_better": [higher_is_better], "unit": ["poäng"]}
    )
    colours = compare.rank_colour(obs, catalogue=catalogue).set_index("municipality_code")
    return pd.Series(
        colours["colour"].reindex(obs["municipality_code"]).fillna("").to_numpy(),
        index=values.index,
    )


# --------------------------------------------------------------------------- LIKA


def _lika_wide(c: Collected) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Scores (municipality × dimension, plus "index") and their n, in DIMENSIONS order."""
    scores = c.lika.scores.pivot(index="municipality_code", columns="dimension", values="score")
    n = c.lika.scores.pivot(index="municipality_code", columns="dimension", values="n_scored")
    columns = [d for d in DIMENSIONS if d in scores] + [d for d in scores if d not in DIMENSIONS]
    scores = scores[columns]
    scores["index"] = c.lika.index.set_index("municipality_code")["index"]
    n = n[columns].sum(axis=1)
    return scores, n


def lika_table(c: Collected, lang: str = "sv") -> Table | None:
    """Every municipality's LIKA score per dimension and its index, with the county row."""
    if c.lika is None:
        return None
    text = _text(lang)
    scores, n = _lika_wide(c)
    colours = scores.apply(quartile_colours)
    order = scores["index"].sort_values(ascending=False, kind="stable").index
    rows = [
        Row(
            c.names.get(code, code),
            tuple(
                Cell(_points(scores.loc[code, col], lang), colour=colours.loc[code, col])
                for col in scores
            ),
            n=_n(n[code], lang),
            kind="municipality",
        )
        for code in order
    ]
    rows.append(
        Row(
            text["county"],
            tuple(Cell(_points(scores[col].mean(), lang)) for col in scores),
            n=_n(len(scores), lang),
            kind="county",
        )
    )
    columns = (
        text["municipality"],
        *(dimension_label(d, lang) for d in scores.columns[:-1]),
        text["index"],
        text["n"],
    )
    return Table("lika_poang", text["lika"].format(year=c.lika.rounds[-1]), columns, tuple(rows))


def lika_profile_frame(c: Collected, code: str) -> pd.DataFrame:
    """One municipality's scores (0–1) per dimension against the county and its peer group.

    Returns
    -------
    DataFrame
        index the dimensions; columns municipality, county, peer; attrs "peer_group" and
        "n" (the municipality's indicators answered, the county's and the group's
        municipalities).
    """
    scores, n = _lika_wide(c)
    dims = list(scores.columns[:-1])
    group = c.lika.peers.set_index("municipality_code")["peer_group"].get(code)
    members = c.lika.peers.loc[c.lika.peers["peer_group"] == group, "municipality_code"]
    out = pd.DataFrame(
        {
            "municipality": scores.loc[code, dims],
            "county": scores[dims].mean(),
            "peer": scores.loc[scores.index.isin(members), dims].mean(),
        }
    )
    out.attrs = {"peer_group": group, "n": (n.get(code), len(scores), int(len(members)))}
    return out


def lika_profile_table(c: Collected, code: str, lang: str = "sv") -> Table | None:
    """The municipality, the county and its peer group as rows, the dimensions as columns."""
    if c.lika is None or code not in set(c.lika.scores["municipality_code"]):
        return None
    text = _text(lang)
    scores, _n_all = _lika_wide(c)
    colours = scores.apply(quartile_colours)
    frame = lika_profile_frame(c, code)
    n_code, n_county, n_group = frame.attrs["n"]
    group = frame.attrs["peer_group"]
    members = c.lika.peers.loc[c.lika.peers["peer_group"] == group, "municipality_code"]
    index_all = scores["index"]
    own = Row(
        c.names.get(code, code),
        tuple(
            Cell(_points(scores.loc[code, d], lang), colour=colours.loc[code, d])
            for d in scores.columns
        ),
        n=_n(n_code, lang),
        kind="municipality",
    )
    county = Row(
        text["county"],
        (*(Cell(_points(v, lang)) for v in frame["county"]), Cell(_points(index_all.mean(), lang))),
        n=_n(n_county, lang),
        kind="county",
    )
    peer = Row(
        text["peer"].format(group=group),
        (
            *(Cell(_points(v, lang)) for v in frame["peer"]),
            Cell(_points(index_all[index_all.index.isin(members)].mean(), lang)),
        ),
        n=_n(n_group, lang),
        kind="peer",
    )
    columns = (
        text["municipality"],
        *(dimension_label(d, lang) for d in frame.index),
        text["index"],
        text["n"],
    )
    caption = text["lika_profile"].format(name=c.names.get(code, code), year=c.lika.rounds[-1])
    return Table("lika_profil", caption, columns, (own, county, peer))


# --------------------------------------------------------------------------- survey


_AREAS_EN = {
    "Äldreomsorg": "Elderly care",
    "Kommunal hälso- och sjukvård": "Municipal health care",
    "Övergripande": "Overall",
    "Individ- och familjeomsorg": "Individual and family care",
    "Funktionsnedsättning": "Disability",
}
_METRICS_EN = {
    "digital_besok_andel": "Share of home-care visits made digitally",
    "nattillsyn_brukare": "Users with digital night supervision",
    "larm_insatstid": "Response time to safety alarms, median",
    "lakemedel_avvikelser": "Deviations with medicine dispensers",
}


def _survey_meta(c: Collected, lang: str) -> pd.DataFrame:
    cat = c.survey.catalogue.set_index("indicator_id")
    title = cat["title_sv" if lang == "sv" else "title_en"].fillna(cat["title_sv"])
    area = cat["area"].fillna("")
    if lang == "en":
        area = area.map(lambda a: _AREAS_EN.get(a, a))
    return pd.DataFrame({"title": title, "unit": cat["unit"], "area": area})


def _survey_cell(row: pd.Series | None, unit: str, lang: str) -> Cell:
    text = _text(lang)
    if row is None or pd.isna(row.get("value")):
        marker = (
            "suppressed" if row is not None and row.get("status") == "suppressed" else "missing"
        )
        return Cell(MARKERS[lang][marker], colour="grey", marker=marker)
    value = float(row["value"])
    if unit == "ja/nej":
        shown = text["yes"] if value >= 0.5 else text["no"]
    elif unit == "%":
        shown = format_number(value, decimals=0, lang=lang, percent=True)
    else:
        shown = format_number(value, decimals=0, lang=lang)
    return Cell(shown, colour=str(row.get("colour", "")))


def _level_cell(levels: pd.DataFrame, indicator: str, unit: str, lang: str) -> tuple[Cell, float]:
    found = levels[levels["indicator_id"] == indicator]
    if found.empty:
        return Cell(MARKERS[lang]["missing"], colour="grey", marker="missing"), np.nan
    row = found.iloc[0]
    if bool(row["binary"]):
        value = row["share"]
        shown = _pct(value, lang) if pd.notna(value) else MARKERS[lang]["missing"]
    else:
        value = row["mean"]
        pct = unit == "%"
        shown = format_number(value, decimals=0, lang=lang, percent=pct) if pd.notna(value) else "–"
    return Cell(shown), float(row["n"]) if pd.notna(row["n"]) else np.nan


def _survey_levels(c: Collected, level: str) -> pd.DataFrame:
    lv = c.survey.levels
    key = c.county_code if level == "county" else lv.loc[lv["level"] == "nation", "key"].iloc[0]
    return lv[(lv["level"] == level) & (lv["key"] == key) & (lv["period"] == c.survey.year)]


def survey_tables(c: Collected, code: str, lang: str = "sv") -> list[Table]:
    """A municipality's survey answers per area: municipality, county and nation as rows."""
    if c.survey is None:
        return []
    text = _text(lang)
    meta = _survey_meta(c, lang)
    own = c.survey.county_obs[c.survey.county_obs["municipality_code"] == code].set_index(
        "indicator_id"
    )
    county, nation = _survey_levels(c, "county"), _survey_levels(c, "nation")
    tables = []
    areas = list(dict.fromkeys(meta.loc[c.survey.indicators, "area"]))
    for i, area in enumerate(areas):
        chosen = [ind for ind in c.survey.indicators if meta.loc[ind, "area"] == area]
        cells = tuple(
            _survey_cell(own.loc[ind] if ind in own.index else None, meta.loc[ind, "unit"], lang)
            for ind in chosen
        )
        answered = sum(not cell.marker for cell in cells)
        rows = [Row(c.names.get(code, code), cells, n=_n(answered, lang), kind="municipality")]
        for label, levels, kind in (
            (text["county"], county, "county"),
            (text["nation"], nation, "nation"),
        ):
            found = [_level_cell(levels, ind, meta.loc[ind, "unit"], lang) for ind in chosen]
            n = max((v for _cell, v in found if pd.notna(v)), default=np.nan)
            rows.append(Row(label, tuple(cell for cell, _v in found), n=_n(n, lang), kind=kind))
        columns = (text["municipality"], *meta.loc[chosen, "title"], text["n"])
        caption = text["survey"].format(area=area, year=c.survey.year)
        last = i == len(areas) - 1  # the colour legend once, under the last area's table
        tables.append(Table(f"enkat_{i + 1}", caption, columns, tuple(rows), legend=last))
    return tables


def survey_table(c: Collected, lang: str = "sv") -> Table | None:
    """The county's municipalities, the county and the nation on every indicator of the year."""
    if c.survey is None:
        return None
    text = _text(lang)
    meta = _survey_meta(c, lang)
    obs = c.survey.county_obs.set_index(["municipality_code", "indicator_id"])
    rows = []
    for code in c.codes:
        cells = tuple(
            _survey_cell(
                obs.loc[(code, ind)] if (code, ind) in obs.index else None,
                meta.loc[ind, "unit"],
                lang,
            )
            for ind in c.survey.indicators
        )
        rows.append(
            Row(
                c.names[code],
                cells,
                n=_n(sum(not x.marker for x in cells), lang),
                kind="municipality",
            )
        )
    for label, level, kind in (
        (text["county"], "county", "county"),
        (text["nation"], "nation", "nation"),
    ):
        found = [
            _level_cell(_survey_levels(c, level), ind, meta.loc[ind, "unit"], lang)
            for ind in c.survey.indicators
        ]
        n = max((v for _cell, v in found if pd.notna(v)), default=np.nan)
        rows.append(Row(label, tuple(cell for cell, _v in found), n=_n(n, lang), kind=kind))
    columns = (text["municipality"], *meta.loc[c.survey.indicators, "title"], text["n"])
    return Table(
        "enkat_oversikt", text["survey_all"].format(year=c.survey.year), columns, tuple(rows)
    )


# --------------------------------------------------------------------------- access


def _class_label(lower: float, upper: float, unit: str, lang: str) -> str:
    unit = "min" if unit == "min" else "km"
    if lower == 0:
        return (
            "under " if lang == "sv" else "under "
        ) + f"{format_number(upper, lang=lang)} {unit}"
    if not np.isfinite(upper):
        return f"{format_number(lower, lang=lang)} {unit} " + (
            "eller mer" if lang == "sv" else "or more"
        )
    return f"{format_number(lower, lang=lang)}–{format_number(upper, lang=lang)} {unit}"


def _class_cells(part: pd.DataFrame, lang: str) -> tuple[tuple[Cell, ...], float]:
    part = part.sort_values("lower", kind="stable")
    cells = []
    for _, row in part.iterrows():
        if row["status"] == "suppressed" or pd.isna(row["share"]):
            cells.append(Cell(MARKERS[lang]["suppressed"], colour="grey", marker="suppressed"))
        else:
            cells.append(Cell(_pct(row["share"], lang)))
    known = part["population"]
    total = known.sum() if known.notna().all() else np.nan
    return tuple(cells), total


def _class_columns(classes: pd.DataFrame, lang: str) -> list[str]:
    first = classes.drop_duplicates(["lower", "upper"]).sort_values("lower")
    return [_class_label(r.lower, r.upper, r.unit, lang) for r in first.itertuples()]


def access_table(c: Collected, code: str, lang: str = "sv") -> Table | None:
    """A municipality's inhabitants by travel time to each service: all and aged 70+."""
    if c.access is None:
        return None
    text = _text(lang)
    mine = c.access.classes[c.access.classes["municipality_code"] == code]
    if mine.empty:
        return None
    rows = []
    for kind in c.access.kinds:
        for group in ("all", "70+"):
            part = mine[(mine["kind"] == kind) & (mine["group"] == group)]
            if part.empty:
                continue
            cells, total = _class_cells(part, lang)
            label = text["access_row"].format(kind=kind_label(kind, lang), group=text[group])
            rows.append(Row(label, cells, n=_n(total, lang) if pd.notna(total) else "x"))
    columns = ("", *_class_columns(mine, lang), text["n"])
    caption = text["access"].format(name=c.names.get(code, code))
    return Table("avstand_profil", caption, columns, tuple(rows), legend=False)


def _access_county_row(shown: pd.DataFrame, text: dict, lang: str) -> Row:
    """The county's row: each class's people summed over the municipalities, as a share.

    Only when no municipality hides a class: the county's count minus the others' would give a
    hidden one back, and the county's shares need every class's people. Otherwise every cell
    is "x".
    """
    by_class = shown.groupby("lower", sort=True)
    people = by_class["population"].sum(min_count=1)
    hidden = shown["status"].eq("suppressed").any() or shown["population"].isna().any()
    if hidden:
        cells = tuple(
            Cell(MARKERS[lang]["suppressed"], colour="grey", marker="suppressed") for _ in people
        )
        return Row(text["county"], cells, n="x", kind="county")
    total = people.sum()
    cells = tuple(Cell(_pct(value / total, lang)) for value in people)
    return Row(text["county"], cells, n=_n(total, lang), kind="county")


def access_county_table(c: Collected, lang: str = "sv") -> Table | None:
    """Every municipality's inhabitants by travel time to the map's service (all ages)."""
    if c.access is None:
        return None
    text = _text(lang)
    kind = c.access.map_kind
    shown = c.access.classes[
        (c.access.classes["kind"] == kind) & (c.access.classes["group"] == "all")
    ]
    rows = []
    for code in c.codes:
        part = shown[shown["municipality_code"] == code]
        if part.empty:
            continue
        cells, total = _class_cells(part, lang)
        rows.append(
            Row(
                c.names[code],
                cells,
                n=_n(total, lang) if pd.notna(total) else "x",
                kind="municipality",
            )
        )
    if not rows:
        return None
    rows.append(_access_county_row(shown, text, lang))
    columns = (text["municipality"], *_class_columns(shown, lang), text["n"])
    caption = text["access_county"].format(kind=kind_label(kind, lang).lower())
    return Table("avstand_tabell", caption, columns, tuple(rows), legend=False)


# --------------------------------------------------------------------------- digital reach


def _reach_rows(c: Collected) -> pd.DataFrame | None:
    """The published reach rows at the report's threshold (None without broadband data)."""
    reach = c.access.reach if c.access is not None else None
    if reach is None:
        return None
    rows = reach[reach["threshold"] == c.access.reach_threshold]
    return rows if len(rows) else None


def _reach_cells(wide: pd.DataFrame, code: str, lang: str) -> tuple[Cell, ...]:
    from ..access import REACH_CLASSES

    cells = []
    for klass in REACH_CLASSES:
        value = wide.loc[code, klass] if code in wide.index else np.nan
        if pd.isna(value):
            cells.append(Cell(MARKERS[lang]["suppressed"], colour="grey", marker="suppressed"))
        else:
            cells.append(Cell(_n(value, lang)))
    return tuple(cells)


def _reach_columns(rows: pd.DataFrame, threshold: float, lang: str) -> tuple[str, ...]:
    from ..plots import reach_table

    labelled = reach_table(rows[rows["group"] == "all"], threshold=threshold, lang=lang)
    return tuple(labelled.columns[1:])


def _reach_wide(rows: pd.DataFrame, group: str) -> pd.DataFrame:
    from ..access import REACH_CLASSES

    part = rows[rows["group"] == group]
    wide = part.pivot_table(
        index="municipality_code", columns="class", values="people", aggfunc="first", dropna=False
    )
    return wide.reindex(columns=list(REACH_CLASSES))


def _reach_total(rows: pd.DataFrame, code: str, group: str):
    total = rows.loc[(rows["municipality_code"] == code) & (rows["group"] == group), "total"]
    return total.iloc[0] if len(total) else np.nan


def reach_county_table(c: Collected, lang: str = "sv") -> Table | None:
    """Every municipality's inhabitants in the four digital-reach classes (issue 17).

    People (all ages) near the reach kind of service, far and connected (where an e-service can
    replace the trip), far and not connected (risk of digital exclusion) and far with an unknown
    connection; "x" where a small count, or what gives one back, is hidden. The county's row
    sums the classes only when no municipality hides one (as :func:`access_county_table`).
    """
    rows = _reach_rows(c)
    if rows is None:
        return None
    text = _text(lang)
    wide = _reach_wide(rows, "all")
    out = []
    for code in c.codes:
        if code not in wide.index:
            continue
        total = _reach_total(rows, code, "all")
        out.append(
            Row(
                c.names[code],
                _reach_cells(wide, code, lang),
                n=_n(total, lang) if pd.notna(total) else "x",
                kind="municipality",
            )
        )
    if not out:
        return None
    shown = wide.loc[[code for code in c.codes if code in wide.index]]
    if shown.isna().any().any():
        cells = tuple(
            Cell(MARKERS[lang]["suppressed"], colour="grey", marker="suppressed")
            for _ in shown.columns
        )
        out.append(Row(text["county"], cells, n="x", kind="county"))
    else:
        sums = shown.sum()
        cells = tuple(Cell(_n(value, lang)) for value in sums)
        out.append(Row(text["county"], cells, n=_n(sums.sum(), lang), kind="county"))
    labels = _reach_columns(rows, c.access.reach_threshold, lang)
    columns = (text["municipality"], *labels, text["n"])
    caption = text["reach_county"].format(
        kind=kind_label(c.access.reach_kind, lang).lower(),
        t=_threshold(c.access.reach_threshold, rows, lang),
    )
    return Table("bredband_tabell", caption, columns, tuple(out), note=text["reach_note"],
                 legend=False)


def reach_profile_table(c: Collected, code: str, lang: str = "sv") -> Table | None:
    """A municipality's inhabitants, all and aged 70+, in the four digital-reach classes."""
    rows = _reach_rows(c)
    if rows is None or code not in set(rows["municipality_code"]):
        return None
    text = _text(lang)
    out = []
    for group in ("all", "70+"):
        if group not in set(rows["group"]):
            continue
        wide = _reach_wide(rows, group)
        total = _reach_total(rows, code, group)
        label = text[group][:1].upper() + text[group][1:]
        out.append(
            Row(
                label,
                _reach_cells(wide, code, lang),
                n=_n(total, lang) if pd.notna(total) else "x",
            )
        )
    columns = ("", *_reach_columns(rows, c.access.reach_threshold, lang), text["n"])
    caption = text["reach_profile"].format(
        name=c.names.get(code, code),
        kind=kind_label(c.access.reach_kind, lang).lower(),
        t=_threshold(c.access.reach_threshold, rows, lang),
    )
    return Table("bredband_profil", caption, columns, tuple(out), note=text["reach_note"],
                 legend=False)


def _threshold(threshold: float, rows: pd.DataFrame, lang: str) -> str:
    unit = str(rows["unit"].iloc[0])
    return f"{format_number(threshold, decimals=0, lang=lang)} {unit}"


# --------------------------------------------------------------------------- monitoring


def _metric_titles(c: Collected, lang: str) -> dict[str, str]:
    cat = c.monitoring.catalogue.set_index("metric_id")
    titles = cat["title_sv"].fillna(pd.Series(cat.index, index=cat.index)).to_dict()
    if lang == "en":
        own = cat["title_en"].dropna().to_dict() if "title_en" in cat else {}
        titles = {m: own.get(m) or _METRICS_EN.get(m, t) for m, t in titles.items()}
    return titles


def _quarter(period, lang: str) -> str:
    from ..formatting import quarter_label

    return quarter_label(period, lang)


def monitoring_table(c: Collected, code: str, lang: str = "sv") -> Table | None:
    """A municipality's measures in the quarter: latest value, target, signal, way to target."""
    if c.monitoring is None:
        return None
    text = _text(lang)
    table = c.monitoring.table
    mine = table[table["municipality_code"] == code]
    if mine.empty:
        return None
    titles = _metric_titles(c, lang)
    targets = c.monitoring.targets.set_index(["municipality_code", "metric_id"])
    signals = {
        "sv": {"improvement": "Förbättring", "deterioration": "Försämring"},
        "en": {"improvement": "Improvement", "deterioration": "Deterioration"},
    }
    summary = c.monitoring.summary.set_index(["municipality_code", "metric_id"])
    rows = []
    for _, row in mine.iterrows():
        key = (code, row["metric_id"])
        latest = (
            Cell(row["latest"], colour="grey", marker="suppressed")
            if row["latest"] == "x"
            else Cell(row["latest"])
        )
        signal_id = summary["signal"].get(key, "") if key in summary.index else ""
        signal = signals[lang].get(signal_id, "")
        colour = {"improvement": "green", "deterioration": "red"}.get(signal_id, "")
        if key in targets.index:
            way = targets.loc[key, "share_of_way"]
            way_cell = (
                Cell("x", colour="grey", marker="suppressed")
                if pd.isna(way) and pd.isna(targets.loc[key, "latest"])
                else Cell(_pct(way, lang))
            )
        else:
            way_cell = Cell(MARKERS[lang]["missing"], marker="missing")
        rows.append(
            Row(
                titles.get(row["metric_id"], row["metric_id"]),
                (latest, Cell(row["target"]), Cell(signal, colour=colour), way_cell),
            )
        )
    columns = (text["metric"], text["latest"], text["target"], text["signal"], text["way"], "")
    caption = text["monitoring"].format(
        name=c.names.get(code, code), quarter=_quarter(c.monitoring.quarter, lang)
    )
    return Table("uppfoljning_profil", caption, columns, tuple(rows), legend=False)


def monitoring_county_table(c: Collected, lang: str = "sv") -> Table | None:
    """The quarter's latest value per municipality (rows) and measure (columns)."""
    if c.monitoring is None:
        return None
    text = _text(lang)
    table = c.monitoring.table
    titles = _metric_titles(c, lang)
    metrics = list(dict.fromkeys(table["metric_id"]))
    wide = table.set_index(["municipality_code", "metric_id"])
    rows = []
    for code in sorted(set(table["municipality_code"])):
        cells = []
        for metric in metrics:
            if (code, metric) not in wide.index:
                cells.append(Cell(MARKERS[lang]["missing"], colour="grey", marker="missing"))
                continue
            row = wide.loc[(code, metric)]
            if row["latest"] == "x":
                cells.append(Cell("x", colour="grey", marker="suppressed"))
            else:
                colour = {
                    "Förbättring": "green",
                    "Improvement": "green",
                    "Försämring": "red",
                    "Deterioration": "red",
                }.get(row["signal"], "")
                cells.append(Cell(row["latest"], colour=colour, title=row["signal"]))
        rows.append(Row(c.names.get(code, code), tuple(cells), kind="municipality"))
    columns = (text["municipality"], *(titles.get(m, m) for m in metrics), "")
    caption = text["monitoring_county"].format(quarter=_quarter(c.monitoring.quarter, lang))
    note = (
        "Grön: signal om förbättring; röd: signal om försämring (Anhøjs regler och styrgränser)."
        if lang == "sv"
        else "Green: a signal of improvement; red: a signal of deterioration (Anhøj rules and "
        "control limits)."
    )
    return Table("uppfoljning_tabell", caption, columns, tuple(rows), note=note, legend=False)


# --------------------------------------------------------------------------- action plan


def action_plan(c: Collected, lang: str = "sv") -> Table | None:
    """Per development area: weakest indicators, activities, municipalities concerned, follow-up."""
    if c.lika is None or c.lika.areas.empty:
        return None
    from .collect import THRESHOLD

    text = _text(lang)
    scores = c.lika.scores
    threshold = _points(THRESHOLD, lang)
    rows = []
    for _, area in c.lika.areas.sort_values("priority").iterrows():
        dim = area["dimension"]
        below = scores[(scores["dimension"] == dim) & (scores["score"] < THRESHOLD)]
        concerned = ", ".join(sorted(c.names.get(x, x) for x in below["municipality_code"]))
        count = text["below"].format(
            n=int(area["n_below"]), total=int(area["n_municipalities"]), threshold=threshold
        )
        weakest = "; ".join(area["weakest_indicators"])
        activities = "; ".join(dict.fromkeys(a for a in area["suggested_activities"] if a))
        follow = text["follow"].get(dim, text["follow_default"])
        rows.append(
            Row(
                f"{area['priority']}. {dimension_label(dim, lang)}",
                (
                    Cell(weakest),
                    Cell(activities),
                    Cell(f"{count}: {concerned}" if concerned else count),
                    Cell(follow),
                ),
            )
        )
    columns = (
        text["area"],
        text["weakest"],
        text["activities"],
        text["concerned"],
        text["follow_up"],
        "",
    )
    return Table(
        "handlingsplan",
        text["plan"].format(threshold=threshold),
        columns,
        tuple(rows),
        legend=False,
    )


#: The tables shown in each chapter of the report after its figures, by part key: builders
#: taking (Collected, lang) and returning a Table or None. Issue 17's digital-reach classes
#: are one more builder in "access".
CHAPTER_TABLES: dict[str, tuple[Callable[[Collected, str], Table | None], ...]] = {
    "lika": (lika_table,),
    "survey": (survey_table,),
    "access": (access_county_table, reach_county_table),
    "monitoring": (monitoring_county_table,),
}


def chapter_tables(c: Collected, key: str, lang: str = "sv") -> list[Table]:
    """The tables of the chapter ``key`` that have data."""
    return [t for build in CHAPTER_TABLES.get(key, ()) if (t := build(c, lang)) is not None]
