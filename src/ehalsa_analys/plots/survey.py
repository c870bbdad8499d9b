"""Figures of Socialstyrelsen's survey: adoption curves, tile chart, small multiples, slopes, map.

Example
-------
>>> import matplotlib
>>> matplotlib.use("Agg")
>>> import matplotlib.pyplot as plt
>>> import pandas as pd
>>> levels = pd.DataFrame({"indicator_id": "x", "period": [2020, 2022] * 2,
...     "level": ["nation"] * 2 + ["county"] * 2, "key": ["0000"] * 2 + ["18"] * 2,
...     "share": [0.4, 0.6, 0.3, 0.7]})
>>> ax = adoption_curves(levels, county_code="18", ax=plt.figure().add_subplot())
>>> [t.get_text() for t in ax.get_legend().get_texts()]
['Riket', 'Örebro län']
"""

from __future__ import annotations

import math
import textwrap

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.patches import Patch

from .. import reference
from ..compare import RANK_COLOURS
from ..errors import check_choice
from ..schemas import require_columns
from .maps import choropleth
from .style import _PARAMS, PALETTE, add_source, number_formatter

__all__ = ["adoption_curves", "tile_chart", "survey_small_multiples", "slope_chart", "survey_map"]

_TEXT = {
    "sv": {
        "nation": "Riket",
        "share": "Andel kommuner, %",
        "adoption": "Andel kommuner som erbjuder tjänsten",
        "tiles": "Kommunerna jämförda, {year}",
        "green": "Bästa fjärdedelen / Ja",
        "yellow": "Mittersta hälften",
        "red": "Sämsta fjärdedelen / Nej",
        "grey": "Uppgift saknas",
        "suppressed": "x = skyddad uppgift, – = ej aktuellt",
        "slope": "Förändring {first}–{last}",
        "unweighted": "ovägt medelvärde av kommunerna",
        "weighted": "vägt med invånarantal",
    },
    "en": {
        "nation": "Sweden",
        "share": "Share of municipalities, %",
        "adoption": "Share of municipalities offering the service",
        "tiles": "The municipalities compared, {year}",
        "green": "Best quarter / Yes",
        "yellow": "Middle half",
        "red": "Worst quarter / No",
        "grey": "No data",
        "suppressed": "x = suppressed, – = not applicable",
        "slope": "Change {first}–{last}",
        "unweighted": "unweighted mean of the municipalities",
        "weighted": "weighted by inhabitants",
    },
}


def adoption_curves(
    levels: pd.DataFrame,
    *,
    county_code: str | None = None,
    group: str | None = None,
    title: str | None = None,
    lang: str = "sv",
    ax=None,
    source: str | None = None,
):
    """Share of municipalities offering a service by year: nation, county and a group.

    Parameters
    ----------
    levels : DataFrame
        :func:`compare.reference_levels` for one binary indicator.
    county_code : str, optional
        The county line to draw.
    group : str, optional
        The group line to draw (e.g. a size class).
    title : str, optional
        First title line (default "Andel kommuner som erbjuder tjänsten"); the
        second says whether the levels are weighted.
    {lang}
    {ax}
    {source}

    Returns
    -------
    matplotlib.axes.Axes
    """
    check_choice("lang", list(_TEXT), lang)
    require_columns(levels, "levels", ["period", "level", "key", "share"])
    text = _TEXT[lang]
    if ax is None:
        ax = plt.gca()
    counties = reference.counties().set_index("county_code")["county"]
    lines = [("nation", reference.NATIONAL_CODE, text["nation"], "#333333", "--")]
    if county_code is not None:
        lines.append(
            ("county", county_code, counties.get(county_code, county_code), PALETTE[0], "-")
        )
    if group is not None:
        lines.append(("group", group, group, PALETTE[1], "-"))
    for level, key, label, colour, style in lines:
        part = levels[(levels["level"] == level) & (levels["key"] == key)].sort_values("period")
        if len(part):
            ax.plot(
                part["period"],
                part["share"] * 100,
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
        f"{title or text['adoption']}\n({text['weighted' if weighted else 'unweighted']})",
        fontsize="medium",
    )
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

    Parameters
    ----------
    colours : DataFrame
        :func:`compare.rank_colour` for one year (municipality_code,
        indicator_id, colour, marker).
    titles : dict, optional
        indicator_id -> short title for the columns.
    {lang}
    {ax}
    {source}

    Returns
    -------
    matplotlib.axes.Axes

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
    text = _TEXT[lang]
    if ax is None:
        ax = plt.gca()
    codes = sorted(colours["municipality_code"].unique())
    indicators = list(dict.fromkeys(colours["indicator_id"]))
    at = colours.set_index(["municipality_code", "indicator_id"])
    for i, code in enumerate(codes):
        for j, indicator in enumerate(indicators):
            if (code, indicator) not in at.index:
                continue
            row = at.loc[(code, indicator)]
            ax.add_patch(
                mpl.patches.Rectangle((j, i), 0.92, 0.86, color=RANK_COLOURS[row["colour"]])
            )
            symbol = {"suppressed": "x", "not_applicable": "–"}.get(row.get("marker"))
            if symbol:
                ax.text(j + 0.46, i + 0.43, symbol, ha="center", va="center", fontsize="small")
    ax.set_xlim(0, len(indicators))
    ax.set_ylim(len(codes), 0)
    ax.set_yticks(np.arange(len(codes)) + 0.43, reference.municipality_names(codes))
    ax.xaxis.tick_top()
    ax.set_xticks(
        np.arange(len(indicators)) + 0.46,
        [textwrap.fill((titles or {}).get(i, i), 28) for i in indicators],
        rotation=60,
        ha="left",
        rotation_mode="anchor",
        fontsize="small",
    )
    ax.tick_params(length=0)
    ax.grid(False)
    for spine in ax.spines.values():
        spine.set_visible(False)
    year = colours["period"].iloc[0] if "period" in colours and len(colours) else ""
    ax.set_title(
        text["tiles"].format(year=year), pad=12, y=-0.04 - 0.03 * len(codes) / 12, loc="left"
    )
    handles = [
        Patch(color=RANK_COLOURS[c], label=text[c]) for c in ("green", "yellow", "red", "grey")
    ]
    ax.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(1.0, 1.0),
        frameon=False,
        fontsize="small",
        title=text["suppressed"],
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
    lang: str = "sv",
    source: str | None = None,
):
    """One panel per municipality of the county: its value by year and the national level.

    Returns
    -------
    matplotlib.figure.Figure
    """
    check_choice("lang", list(_TEXT), lang)
    data = obs[
        (obs["indicator_id"] == indicator) & (obs["municipality_code"].str[:2] == county_code)
    ]
    nation = levels[(levels["indicator_id"] == indicator) & (levels["level"] == "nation")]
    nation = nation.sort_values("period")
    column = "share" if nation["share"].notna().any() else "mean"
    codes = sorted(data["municipality_code"].unique())
    nrows = math.ceil(len(codes) / ncols)
    fig, axes = plt.subplots(
        nrows,
        ncols,
        figsize=(3 * ncols, 2.2 * nrows + 0.6),
        sharex=True,
        sharey=True,
        squeeze=False,
    )
    binary = data["unit"].eq("ja/nej").all()
    scale = 100 if binary else 1
    for ax, code in zip(axes.flat, codes, strict=False):
        own = data[data["municipality_code"] == code].sort_values("period")
        ax.plot(
            nation["period"], nation[column] * scale, color="#999999", linestyle="--", linewidth=1.2
        )
        ax.plot(
            own["period"],
            own["value"] * scale,
            color=PALETTE[0],
            marker="o",
            markersize=3,
            linewidth=1.4,
            drawstyle="steps-post" if binary else "default",
        )
        ax.set_title(reference.municipality_names([code])[0], fontsize="small")
        ax.xaxis.set_major_locator(mpl.ticker.MaxNLocator(3, integer=True))
    for ax in axes.flat[len(codes) :]:
        ax.set_axis_off()
    fig.tight_layout(rect=(0, 0.04 if source else 0, 1, 1))
    if source:
        add_source(fig, source, lang=lang)
    return fig


def slope_chart(
    obs: pd.DataFrame,
    *,
    indicator: str,
    first: int,
    last: int,
    lang: str = "sv",
    ax=None,
    source: str | None = None,
):
    """Each municipality's value in the first and the last year, joined by a line.

    Returns
    -------
    matplotlib.axes.Axes

    Example
    -------
    >>> o = pd.DataFrame({{"municipality_code": ["1880", "1880"], "period": [2020, 2024],
    ...     "indicator_id": "x", "value": [40.0, 60.0], "unit": "%"}})
    >>> ax = slope_chart(o, indicator="x", first=2020, last=2024, ax=plt.figure().add_subplot())
    >>> ax.lines[0].get_ydata().tolist()
    [40.0, 60.0]
    """
    check_choice("lang", list(_TEXT), lang)
    data = obs[(obs["indicator_id"] == indicator) & obs["period"].isin([first, last])]
    wide = data.pivot_table(index="municipality_code", columns="period", values="value")
    if ax is None:
        ax = plt.gca()
    for code, row in wide.iterrows():
        if row.isna().any():
            continue
        colour = PALETTE[0] if row[last] >= row[first] else PALETTE[5]
        ax.plot(
            [0, 1], [row[first], row[last]], color=colour, marker="o", markersize=3, linewidth=1
        )
        ax.text(
            1.03,
            row[last],
            reference.municipality_names([code])[0],
            va="center",
            fontsize="x-small",
        )
    ax.set_xticks([0, 1], [str(first), str(last)])
    ax.set_xlim(-0.1, 1.4)
    ax.yaxis.set_major_formatter(number_formatter(lang))
    ax.grid(axis="x", visible=False)
    ax.set_title(_TEXT[lang]["slope"].format(first=first, last=last))
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
    lang: str = "sv",
    ax=None,
    source: str | None = None,
):
    """National choropleth of one key figure in one year, with the county outlined.

    Ja/Nej figures are drawn as 100 (Ja) or 0 (Nej) on the colour scale,
    others as their values; missing municipalities are hatched.

    Returns
    -------
    matplotlib.axes.Axes
    """
    check_choice("lang", list(_TEXT), lang)
    data = obs[(obs["indicator_id"] == indicator) & (obs["period"] == year)]
    data = data[~data["municipality_code"].str.startswith("00")]
    if ax is None:
        ax = plt.gca()
    binary = data["unit"].eq("ja/nej").all() and len(data)
    choropleth(
        data.assign(_v=data["value"] * (100 if binary else 1)),
        value="_v",
        ax=ax,
        lang=lang,
        title=title,
        legend_title=_TEXT[lang]["share"] if binary else indicator,
        cmap="cividis",
        decimals=0,
        source=source,
    )
    if county_code is not None:
        reference.geometries("county", county_code=None).query(
            "county_code == @county_code"
        ).boundary.plot(ax=ax, color=PALETTE[5], linewidth=1.6)
    return ax


for _function in (adoption_curves, tile_chart, survey_small_multiples, slope_chart, survey_map):
    _function.__doc__ = _function.__doc__.format(**_PARAMS)
del _function
