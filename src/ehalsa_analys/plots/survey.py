"""Figures of Socialstyrelsen's survey: adoption curves, tile chart, small multiples, slopes, map.

They draw the tables of :mod:`ehalsa_analys.compare` (``reference_levels``, ``rank_colour``) and
the observations themselves, without the national and county aggregates. Ja/Nej figures are
shown as percentages of municipalities (0–100) or in Kolada's green and red
(:data:`ehalsa_analys.plots.RANK_COLOURS`).
"""

from __future__ import annotations

import math
import textwrap

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.collections import LineCollection
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from .. import reference
from ..errors import check_choice
from ..schemas import require_columns
from .maps import choropleth
from .style import (
    _PARAMS,
    MISSING_COLOUR,
    PALETTE,
    RANK_COLOURS,
    add_source,
    figure_legend,
    format_number,
    nice_limits,
    number_formatter,
)

__all__ = ["adoption_curves", "tile_chart", "survey_small_multiples", "slope_chart", "survey_map"]

_TEXT = {
    "sv": {
        "nation": "Riket",
        "similar": "Liknande kommuner ({group})",
        "municipality": "Kommunen",
        "share": "Andel kommuner, %",
        "percent": "Andel, %",
        "value": "Värde",
        "adoption": "Andel kommuner som erbjuder tjänsten",
        "tiles": "Nyckeltal per kommun, {year}",
        "green": "Bästa fjärdedelen / Ja",
        "yellow": "Mittersta hälften",
        "red": "Sämsta fjärdedelen / Nej",
        "grey": "Uppgift saknas",
        "markers": "x = skyddad uppgift, – = ej aktuellt",
        "slope": "Förändring {first}–{last}",
        "unweighted": "ovägt medelvärde av kommunerna",
        "weighted": "vägt med invånarantal",
        "yes": "Ja",
        "no": "Nej",
        "missing": "Uppgift saknas",
        "year": "År",
        "nation_share": "Riket, andel Ja",
        "rising": "Ökning",
        "falling": "Minskning",
        "suppressed": "x = skyddad uppgift",
    },
    "en": {
        "nation": "Sweden",
        "similar": "Similar municipalities ({group})",
        "municipality": "The municipality",
        "share": "Share of municipalities, %",
        "percent": "Share, %",
        "value": "Value",
        "adoption": "Share of municipalities offering the service",
        "tiles": "Key figures by municipality, {year}",
        "green": "Best quarter / Yes",
        "yellow": "Middle half",
        "red": "Worst quarter / No",
        "grey": "No data",
        "markers": "x = suppressed, – = not applicable",
        "slope": "Change {first}–{last}",
        "unweighted": "unweighted mean of the municipalities",
        "weighted": "weighted by inhabitants",
        "yes": "Yes",
        "no": "No",
        "missing": "No data",
        "year": "Year",
        "nation_share": "Sweden, share Yes",
        "rising": "Increase",
        "falling": "Decrease",
        "suppressed": "x = suppressed",
    },
}
_SYMBOLS = {"suppressed": "x", "not_applicable": "–"}


def _municipalities_only(obs: pd.DataFrame) -> pd.DataFrame:
    """Rows of municipalities, without the national and county aggregates ("0000", "00xx")."""
    codes = obs["municipality_code"].astype(str)
    return obs[(codes.str.fullmatch(r"\d{4}") & ~codes.str.startswith("00")).to_numpy(bool)]


def _one_indicator(data: pd.DataFrame, name: str, indicator: str | None) -> pd.DataFrame:
    """The rows of one indicator; refuse a table of several when none is named."""
    found = list(dict.fromkeys(data["indicator_id"])) if "indicator_id" in data else []
    if indicator is None:
        if len(found) > 1:
            raise ValueError(
                f"`{name}` holds several indicators {found[:5]}; pass `indicator=` to pick one."
            )
        return data
    check_choice("indicator", found, indicator)
    return data[data["indicator_id"] == indicator]


def _is_binary(obs: pd.DataFrame) -> bool:
    if "unit" in obs and obs["unit"].notna().any():
        return bool(obs["unit"].astype(str).str.strip().str.lower().eq("ja/nej").all())
    values = obs["value"].dropna()
    return bool(len(values)) and bool(values.isin([0.0, 1.0]).all())


def _with_years(title: str, periods) -> str:
    """``title`` followed by the years it covers: "…, 2014–2024" (or "…, 2024")."""
    years = sorted(pd.unique(pd.Series(periods).dropna()))
    if not years:
        return title
    first, last = years[0], years[-1]
    return f"{title}, {first}" if first == last else f"{title}, {first}–{last}"


def _spread(y: np.ndarray, span: float, share: float = 0.035) -> np.ndarray:
    """Label heights near ``y`` but at least ``share`` of ``span`` apart (order kept)."""
    if len(y) < 2:
        return y
    gap = share * (span if span > 0 else 1.0)
    order = np.argsort(y, kind="stable")
    steps = np.arange(len(y)) * gap
    placed = np.maximum.accumulate(y[order] - steps) + steps
    placed -= (placed.max() - y.max()) / 2  # centre the shift around the values
    out = np.empty_like(placed)
    out[order] = placed
    return out


def adoption_curves(
    levels: pd.DataFrame,
    *,
    indicator: str | None = None,
    county_code: str | None = None,
    group: str | None = None,
    title: str | None = None,
    lang: str = "sv",
    ax=None,
    source: str | None = None,
):
    """Share of municipalities offering a service by year: the nation, a county and a group.

    Parameters
    ----------
    levels : DataFrame
        :func:`ehalsa_analys.compare.reference_levels` of a Ja/Nej figure (period, level, key,
        share; optionally indicator_id and weighted).
    indicator : str, optional
        The indicator to draw when ``levels`` holds several.
    county_code : str, optional
        The county line to draw (e.g. "18").
    group : str, optional
        The group line to draw (the ``key`` of a "group" level, e.g. a size class).
    title : str, optional
        First title line (default "Andel kommuner som erbjuder tjänsten"); the second says
        whether the levels are weighted by inhabitants or not (Kolada's way).
    {lang}
    {ax}
    {source}

    Returns
    -------
    matplotlib.axes.Axes
        The nation dashed grey, the county blue, the group orange, in percent (0–100).

    Example
    -------
    >>> levels = pd.DataFrame({{"period": [2020, 2022], "level": "nation", "key": "0000",
    ...     "share": [0.4, 0.6]}})
    >>> ax = adoption_curves(levels, lang="en", ax=plt.figure().add_subplot())
    >>> ax.lines[0].get_ydata().tolist()
    [40.0, 60.0]
    >>> print(ax.get_title())
    Share of municipalities offering the service, 2020–2022
    (unweighted mean of the municipalities)
    """
    check_choice("lang", list(_TEXT), lang)
    require_columns(levels, "levels", ["period", "level", "key", "share"])
    levels = _one_indicator(levels, "levels", indicator)
    text = _TEXT[lang]
    if ax is None:
        ax = plt.gca()
    counties = reference.counties().set_index("county_code")["county"]
    lines = [("nation", reference.NATIONAL_CODE, text["nation"], "#555555", "--")]
    if county_code is not None:
        check_choice("county_code", counties.index, county_code)
        lines.append(("county", county_code, counties[county_code], PALETTE[0], "-"))
    if group is not None:
        lines.append(("group", str(group), text["similar"].format(group=group), PALETTE[1], "-"))
    for level, key, label, colour, style in lines:
        part = levels[(levels["level"] == level) & (levels["key"].astype(str) == key)]
        part = part.sort_values("period")
        if len(part):
            ax.plot(
                part["period"].to_numpy(),
                part["share"].to_numpy(float) * 100,
                color=colour,
                linestyle=style,
                marker="o",
                markersize=3.5,
                linewidth=1.8,
                label=label,
            )
    ax.set_ylim(0, 100)
    ax.set_ylabel(text["share"])
    ax.yaxis.set_major_formatter(number_formatter(lang, decimals=0))
    ax.xaxis.set_major_locator(mpl.ticker.MaxNLocator(integer=True))
    ax.legend(loc="upper left", frameon=False, fontsize="small")
    weighted = bool(levels["weighted"].iloc[0]) if "weighted" in levels and len(levels) else False
    ax.set_title(
        f"{_with_years(title or text['adoption'], levels['period'])}\n"
        f"({text['weighted' if weighted else 'unweighted']})",
        fontsize="medium",
    )
    ax.set_xlabel(text["year"])
    if source:
        add_source(ax.figure, source, lang=lang)
    return ax


def tile_chart(
    colours: pd.DataFrame,
    *,
    titles: dict | None = None,
    lang: str = "sv",
    ax=None,
    source: str | None = None,
):
    """Municipality × indicator tiles in Kolada colours for one year.

    Rows are municipalities (by code, labelled by name), columns indicators in their order of
    appearance; "x" marks a suppressed value and "–" one that does not apply.

    Parameters
    ----------
    colours : DataFrame
        :func:`ehalsa_analys.compare.rank_colour` for one year (municipality_code, indicator_id,
        colour, optionally marker and period).
    titles : dict, optional
        indicator_id -> short title for the columns.
    {lang}
    {ax}
    {source}

    Returns
    -------
    matplotlib.axes.Axes
        One Rectangle patch per tile (in ``ax.patches``).

    Example
    -------
    >>> c = pd.DataFrame({{"municipality_code": ["1880", "1814"], "indicator_id": "x",
    ...     "period": 2022, "colour": ["green", "grey"], "marker": ["", "suppressed"]}})
    >>> ax = tile_chart(c, ax=plt.figure().add_subplot())
    >>> [t.get_text() for t in ax.texts]
    ['x']
    """
    check_choice("lang", list(_TEXT), lang)
    require_columns(colours, "colours", ["municipality_code", "indicator_id", "colour"])
    years = sorted(colours["period"].unique().tolist()) if "period" in colours else []
    if len(years) > 1:
        raise ValueError(
            f"`colours` holds several years {years}; pass one year, e.g. "
            f"colours[colours['period'] == {years[-1]}]."
        )
    for value in pd.unique(colours["colour"]):
        check_choice("colour", list(RANK_COLOURS), value)
    text = _TEXT[lang]
    if ax is None:
        ax = plt.gca()
    codes = sorted(colours["municipality_code"].astype(str).unique())
    indicators = list(dict.fromkeys(colours["indicator_id"]))
    row = colours["municipality_code"].astype(str).map({c: i for i, c in enumerate(codes)})
    col = colours["indicator_id"].map({k: j for j, k in enumerate(indicators)})
    ax.bar(
        col.to_numpy(float),
        np.full(len(colours), 0.86),
        width=0.92,
        bottom=row.to_numpy(float),
        align="edge",
        color=colours["colour"].map(RANK_COLOURS).tolist(),
        linewidth=0,
    )
    if "marker" in colours:
        marked = colours["marker"].isin(list(_SYMBOLS)).to_numpy()
        for x, y, marker in zip(
            col[marked], row[marked], colours.loc[marked, "marker"], strict=True
        ):
            ax.text(x + 0.46, y + 0.43, _SYMBOLS[marker], ha="center", va="center")
    ax.set_xlim(0, len(indicators))
    ax.set_ylim(len(codes), 0)
    ax.set_yticks(np.arange(len(codes)) + 0.43, reference.municipality_names(codes))
    ax.xaxis.tick_top()
    ax.set_xticks(
        np.arange(len(indicators)) + 0.46,
        [textwrap.fill(str((titles or {}).get(i, i)), 28) for i in indicators],
        rotation=60,
        ha="left",
        rotation_mode="anchor",
        fontsize="small",
    )
    ax.tick_params(length=0)
    ax.grid(False)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.set_title(text["tiles"].format(year=years[0] if years else "").rstrip(", "))
    handles = [
        Patch(color=RANK_COLOURS[c], label=text[c]) for c in ("green", "yellow", "red", "grey")
    ]
    ax.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(1.0, 1.0),
        frameon=False,
        fontsize="small",
        title=text["markers"],
        title_fontsize="x-small",
    )
    if source:
        add_source(ax.figure, source, lang=lang)
    return ax


def survey_small_multiples(
    obs: pd.DataFrame,
    levels: pd.DataFrame,
    *,
    indicator: str,
    county_code: str,
    ncols: int = 4,
    title: str | None = None,
    lang: str = "sv",
    source: str | None = None,
):
    """Each municipality of the county by year, against the nation.

    Figure-level: it makes its own figure (there is no ``ax``). A numeric key figure gets one
    panel per municipality, its values against the national mean. A Ja/Nej key figure is shown
    as yes and no, not as 0 and 100 %: one row of tiles per municipality (green Ja, red Nej,
    grey missing, "x" suppressed) under a row with the national share of Ja in percent. The
    title names the years shown.

    Parameters
    ----------
    {obs}
    {levels}
    {indicator}
    county_code : str
        The county whose municipalities get a panel each (e.g. "18").
    ncols : int, default 4
        Panels per row.
    title : str, optional
        Figure title (default the indicator id).
    {lang}
    {source}

    Returns
    -------
    matplotlib.figure.Figure
        Numeric: panels titled by municipality name, sharing x and y; in each, the national
        line first (dashed grey), then the municipality's. Ja/Nej: one Axes of tiles.

    Example
    -------
    >>> o = pd.DataFrame({{"municipality_code": ["1880", "1880"], "period": [2020, 2024],
    ...     "indicator_id": "x", "value": [0.0, 1.0], "unit": "ja/nej"}})
    >>> lv = pd.DataFrame({{"indicator_id": "x", "period": [2020, 2024], "level": "nation",
    ...     "key": "0000", "share": [0.5, 0.75]}})
    >>> fig = survey_small_multiples(o, lv, indicator="x", county_code="18", title="Nattillsyn")
    >>> ax = fig.axes[0]
    >>> ax.get_title(), [t.get_text() for t in ax.get_yticklabels()]
    ('Nattillsyn, 2020–2024', ['Riket, andel Ja, %', 'Örebro'])
    >>> [t.get_text() for t in ax.texts], [t.get_text() for t in ax.get_legend().get_texts()]
    (['50', '75'], ['Ja', 'Nej', 'Uppgift saknas'])
    """
    check_choice("lang", list(_TEXT), lang)
    require_columns(obs, "obs", ["municipality_code", "period", "indicator_id", "value"])
    require_columns(levels, "levels", ["indicator_id", "period", "level", "share"])
    counties = reference.counties()["county_code"].tolist()
    check_choice("county_code", counties, county_code)
    if not isinstance(ncols, int) or ncols < 1:
        raise ValueError(
            f"The value for `ncols` must be a positive integer, but {ncols!r} was passed."
        )
    text = _TEXT[lang]
    codes_all = obs["municipality_code"].astype(str)
    data = obs[(obs["indicator_id"] == indicator) & (codes_all.str[:2] == county_code)]
    data = _municipalities_only(data)
    if data.empty:
        raise ValueError(
            f"`obs` has no value of {indicator!r} for a municipality of county {county_code}."
        )
    nation = levels[(levels["indicator_id"] == indicator) & (levels["level"] == "nation")]
    nation = nation.sort_values("period")
    heading = _with_years(title or indicator, data["period"])
    if _is_binary(data):
        return _yes_no_years(data, nation, title=heading, lang=lang, source=source)
    column = "mean" if "mean" in nation else "share"
    codes = sorted(data["municipality_code"].astype(str).unique())
    names = reference.municipality_names(codes)
    nrows = math.ceil(len(codes) / ncols)
    fig, axes = plt.subplots(
        nrows,
        ncols,
        figsize=(3 * ncols, 2.2 * nrows + 1.0),
        sharex=True,
        sharey=True,
        squeeze=False,
    )
    by_code = dict(tuple(data.sort_values("period").groupby("municipality_code", sort=True)))
    for ax, code, name in zip(axes.flat, codes, names, strict=False):
        own = by_code[code]
        ax.plot(
            nation["period"].to_numpy(),
            nation[column].to_numpy(float),
            color="#777777",
            linestyle="--",
            linewidth=1.2,
        )
        ax.plot(
            own["period"].to_numpy(),
            own["value"].to_numpy(float),
            color=PALETTE[0],
            marker="o",
            markersize=3,
            linewidth=1.4,
        )
        ax.set_title(name, fontsize="small")
        ax.xaxis.set_major_locator(mpl.ticker.MaxNLocator(3, integer=True))
        ax.yaxis.set_major_formatter(number_formatter(lang))
    for ax in axes.flat[len(codes) :]:
        ax.set_axis_off()
    unit = (
        str(data["unit"].dropna().iloc[0]) if "unit" in data and data["unit"].notna().any() else ""
    )
    label = text["percent"] if unit.strip() == "%" else text["value"]
    for ax in axes[:, 0]:
        ax.set_ylabel(label, fontsize="small")
    fig.suptitle(heading, x=0.01, ha="left", fontweight="bold")
    figure_legend(
        fig,
        [
            Line2D([], [], color=PALETTE[0], marker="o", markersize=3, label=text["municipality"]),
            Line2D([], [], color="#777777", linestyle="--", label=text["nation"]),
        ],
        loc="lower center",
        ncols=2,
    )
    fig.tight_layout(rect=(0, 0.4 / fig.get_figheight(), 1, 1 - 0.45 / fig.get_figheight()))
    if source:
        add_source(fig, source, lang=lang)
    return fig


def _yes_no_years(data, nation, *, title, lang, source):
    """A Ja/Nej key figure by year: one row of Ja/Nej tiles per municipality, the nation's share.

    Yes/no answers are shown as yes and no (green "Ja", red "Nej", grey "Uppgift saknas"; "x"
    where the value is suppressed), not as 0 and 100 %; the top row writes the national share
    of Ja in percent above each year.
    """
    text = _TEXT[lang]
    codes = sorted(data["municipality_code"].astype(str).unique())
    years = sorted(set(data["period"].tolist()) | set(nation["period"].tolist()))
    row = {c: i + 1 for i, c in enumerate(codes)}
    col = {y: j for j, y in enumerate(years)}
    fig, ax = plt.subplots(figsize=(max(6.0, 0.5 * len(years) + 3.4), 0.3 * len(codes) + 2.0))
    cells = {
        (str(c), y): v
        for c, y, v in zip(data["municipality_code"], data["period"], data["value"], strict=True)
    }
    status = (
        {
            (str(c), y): st
            for c, y, st in zip(
                data["municipality_code"], data["period"], data["status"], strict=True
            )
        }
        if "status" in data
        else {}
    )
    xs, ys, colours = [], [], []
    for code in codes:
        for year in years:
            value = cells.get((code, year), np.nan)
            colour = (
                RANK_COLOURS["green"]
                if value == 1
                else RANK_COLOURS["red"]
                if value == 0
                else RANK_COLOURS["grey"]
            )
            xs.append(col[year])
            ys.append(row[code])
            colours.append(colour)
            if status.get((code, year)) == "suppressed":
                ax.text(col[year] + 0.45, row[code] + 0.42, "x", ha="center", va="center")
    ax.bar(
        xs, np.full(len(xs), 0.84), width=0.9, bottom=ys, align="edge", color=colours, linewidth=0
    )
    share = dict(zip(nation["period"], nation["share"].to_numpy(float), strict=True))
    for year in years:
        value = share.get(year, np.nan)
        ax.text(
            col[year] + 0.45,
            0.45,
            format_number(value * 100 if np.isfinite(value) else None, decimals=0, lang=lang),
            ha="center",
            va="center",
            fontsize="small",
            color="#333333",
        )
    ax.set_xlim(0, len(years))
    ax.set_ylim(len(codes) + 1, 0)
    ax.set_yticks(
        np.arange(len(codes) + 1) + 0.42,
        [f"{text['nation_share']}, %", *reference.municipality_names(codes)],
    )
    ax.set_xticks(np.arange(len(years)) + 0.45, [str(y) for y in years])
    ax.tick_params(length=0)
    ax.grid(False)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.axhline(0.95, color="#999999", linewidth=0.8)
    ax.set_xlabel(text["year"])
    ax.set_title(title)
    handles = [
        Patch(color=RANK_COLOURS["green"], label=text["yes"]),
        Patch(color=RANK_COLOURS["red"], label=text["no"]),
        Patch(color=RANK_COLOURS["grey"], label=text["missing"]),
    ]
    ax.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(1.0, 1.0),
        frameon=False,
        fontsize="small",
        title=text["suppressed"] if status and "suppressed" in status.values() else None,
        title_fontsize="x-small",
    )
    fig.tight_layout()
    if source:
        add_source(fig, source, lang=lang)
    return fig


def slope_chart(
    obs: pd.DataFrame,
    *,
    indicator: str,
    first: int,
    last: int,
    levels: pd.DataFrame | None = None,
    title: str | None = None,
    lang: str = "sv",
    ax=None,
    source: str | None = None,
):
    """Each municipality's value in the first and the last year, joined by a line.

    Rising lines are blue, falling ones orange-red (the legend says so); a municipality without
    a value in either year is left out. Names at the line ends are kept apart and inside the
    axes; a key figure in percent gets a 0–100 axis.

    Parameters
    ----------
    {obs}
    {indicator}
    first, last : int
        The two years.
    levels : DataFrame, optional
        :func:`ehalsa_analys.compare.reference_levels` with the "nation" level, drawn first as a
        dashed grey line.
    title : str, optional
        The key figure's name; the title is "<title>, <first>–<last>" (default "Förändring
        <first>–<last>").
    {lang}
    {ax}
    {source}

    Returns
    -------
    matplotlib.axes.Axes
        One line per municipality (by code), from x = 0 (first) to 1 (last).

    Example
    -------
    >>> o = pd.DataFrame({{"municipality_code": ["1880", "1880"], "period": [2020, 2024],
    ...     "indicator_id": "x", "value": [40.0, 60.0], "unit": "%"}})
    >>> ax = slope_chart(o, indicator="x", first=2020, last=2024, ax=plt.figure().add_subplot())
    >>> ax.lines[0].get_ydata().tolist()
    [40.0, 60.0]
    """
    check_choice("lang", list(_TEXT), lang)
    require_columns(obs, "obs", ["municipality_code", "period", "indicator_id", "value"])
    text = _TEXT[lang]
    data = _municipalities_only(obs)
    data = data[(data["indicator_id"] == indicator) & data["period"].isin([first, last])]
    wide = data.pivot_table(index="municipality_code", columns="period", values="value")
    wide = wide.reindex(columns=[first, last]).dropna()
    if ax is None:
        ax = plt.gca()
    if levels is not None:
        nation = levels[(levels["indicator_id"] == indicator) & (levels["level"] == "nation")]
        nation = nation.set_index("period")
        column = "share" if nation["share"].notna().any() else "mean"
        scale = 100 if column == "share" else 1
        if {first, last} <= set(nation.index):
            ax.plot(
                [0, 1],
                nation.loc[[first, last], column].to_numpy(float) * scale,
                color="#777777",
                linestyle="--",
                linewidth=2,
                zorder=3,
                label=text["nation"],
            )
    names = reference.municipality_names(wide.index.tolist())
    start = wide[first].to_numpy(float)
    end = wide[last].to_numpy(float)
    for a, b in zip(start, end, strict=True):
        ax.plot(
            [0, 1],
            [a, b],
            color=PALETTE[0] if b >= a else PALETTE[5],
            marker="o",
            markersize=3,
            linewidth=1,
        )
    values = np.concatenate([start, end])
    percent = "unit" in data and data["unit"].astype(str).str.strip().eq("%").all()
    if percent:
        low, high = 0.0, 100.0
    elif len(values):
        ticks = nice_limits(float(values.min()), float(values.max()))
        low, high = float(ticks[0]), float(ticks[-1])
    else:
        low, high = 0.0, 1.0
    ax.set_ylim(low, high)
    span = float(np.ptp(values)) if len(values) else 0.0
    # at least 3,5 % of the range apart, and at least a line of x-small text on this Axes
    points = ax.bbox.height * 72 / ax.figure.dpi
    line = (high - low) * 1.15 * mpl.rcParams["font.size"] * 0.7 / max(points, 1.0)
    placed = _spread(end, 1.0, share=max(0.035 * span, line))
    if len(placed):  # keep the names inside the axes, order and gaps kept
        margin = 0.02 * (high - low)
        top, bottom = high - margin, low + margin
        placed = placed - max(0.0, placed.max() - top) + max(0.0, bottom - placed.min())
    leaders = [[(1.0, y0), (1.025, y)] for y0, y in zip(end, placed, strict=True)]
    ax.add_collection(LineCollection(leaders, colors="#bbbbbb", linewidths=0.6, zorder=1))
    for y, name in zip(placed, names, strict=True):
        ax.text(1.03, y, name, va="center", fontsize="x-small")
    ax.set_xticks([0, 1], [str(first), str(last)])
    ax.set_xlim(-0.1, 1.4)
    ax.yaxis.set_major_formatter(number_formatter(lang))
    if percent:
        ax.set_ylabel(text["percent"])
    ax.grid(axis="x", visible=False)
    heading = text["slope"].format(first=first, last=last)
    ax.set_title(f"{title}, {first}–{last}" if title else heading)
    handles = ax.get_legend_handles_labels()[0]
    handles += [
        Line2D([], [], color=PALETTE[0], marker="o", markersize=3, label=text["rising"]),
        Line2D([], [], color=PALETTE[5], marker="o", markersize=3, label=text["falling"]),
    ]
    ax.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.08),
        ncols=len(handles),
        frameon=False,
        fontsize="small",
    )
    if source:
        add_source(ax.figure, source, lang=lang)
    return ax


def survey_map(
    obs: pd.DataFrame,
    *,
    indicator: str,
    year: int,
    county_code: str | None = None,
    title: str | None = None,
    legend_title: str | None = None,
    lang: str = "sv",
    ax=None,
    source: str | None = None,
    geometries=None,
):
    """National choropleth of one key figure in one year, with the county outlined.

    A Ja/Nej figure is drawn Ja green and Nej red, with a legend; a numeric one with
    :func:`ehalsa_analys.plots.maps.choropleth`. Municipalities without a value are hatched grey.

    Parameters
    ----------
    {obs}
    {indicator}
    year : int
        The year to draw.
    county_code : str, optional
        The county to outline.
    title, legend_title : str, optional
        Map title, and colour bar label of a numeric figure (default the indicator id).
    {lang}
    {ax}
    {source}
    geometries : GeoDataFrame, optional
        Municipality boundaries; default :func:`ehalsa_analys.reference.geometries`.

    Returns
    -------
    matplotlib.axes.Axes

    Example
    -------
    >>> o = pd.DataFrame({{"municipality_code": ["1880", "1814"], "period": 2022,
    ...     "indicator_id": "x", "value": [1.0, 0.0], "unit": "ja/nej"}})
    >>> ax = survey_map(o, indicator="x", year=2022, county_code="18",
    ...                 ax=plt.figure().add_subplot())
    >>> [t.get_text() for t in ax.get_legend().get_texts()]
    ['Ja', 'Nej', 'Uppgift saknas']
    """
    check_choice("lang", list(_TEXT), lang)
    require_columns(obs, "obs", ["municipality_code", "period", "indicator_id", "value"])
    text = _TEXT[lang]
    if county_code is not None:
        check_choice("county_code", reference.counties()["county_code"].tolist(), county_code)
    data = _municipalities_only(obs)
    data = data[(data["indicator_id"] == indicator) & (data["period"] == year)]
    if ax is None:
        ax = plt.gca()
    if len(data) and _is_binary(data):
        shapes = geometries if geometries is not None else reference.geometries("municipality")
        value = shapes["municipality_code"].map(
            data.set_index(data["municipality_code"].astype(str))["value"]
        )
        styles = [
            (value == 1, {"facecolor": RANK_COLOURS["green"]}, text["yes"]),
            (value == 0, {"facecolor": RANK_COLOURS["red"]}, text["no"]),
            (value.isna(), {"facecolor": MISSING_COLOUR, "hatch": "///"}, text["missing"]),
        ]
        handles = []
        for where, style, label in styles:
            part = shapes[where.to_numpy(bool)]
            edge = "#999999" if "hatch" in style else "white"
            if len(part):
                part.plot(ax=ax, edgecolor=edge, linewidth=0.3, **style)
            handles.append(Patch(edgecolor=edge, label=label, **style))
        ax.legend(handles=handles, loc="lower right", frameon=False)
        if geometries is None:
            reference.geometries("county").boundary.plot(ax=ax, color="#333333", linewidth=0.6)
        if title:
            ax.set_title(title)
        if source:
            add_source(ax.figure, source, lang=lang)
        ax.set_axis_off()
        ax.set_aspect("equal")
    else:
        choropleth(
            data,
            value="value",
            ax=ax,
            lang=lang,
            title=title,
            legend_title=legend_title or indicator,
            decimals=None,
            source=source,
            geometries=geometries,
        )
    if county_code is not None:
        outline = reference.geometries("county")
        outline[outline["county_code"] == county_code].boundary.plot(
            ax=ax, color="#000000", linewidth=1.8
        )
    return ax


_DOC_PARAMS = {
    **_PARAMS,
    "obs": "obs : DataFrame\n        An observations table (municipality_code, period, "
    "indicator_id, value, unit).",
    "levels": "levels : DataFrame\n        :func:`ehalsa_analys.compare.reference_levels` with the "
    '"nation" level.',
    "indicator": "indicator : str\n        The key figure to draw.",
}
for _function in (adoption_curves, tile_chart, survey_small_multiples, slope_chart, survey_map):
    _function.__doc__ = _function.__doc__.format(**_DOC_PARAMS)
del _function
