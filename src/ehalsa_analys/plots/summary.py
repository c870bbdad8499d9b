"""Figures of the county summary (notebook 05): each its own view, none a copy of another part's.

* :func:`index_bars` — the maturity index of every municipality, ranked, in the 0–100 colours
  of the LIKA heatmap and map, with the county mean.
* :func:`threshold_bars` — per LIKA dimension, how many municipalities are below the
  threshold: the county's common development areas at a glance.
* :func:`county_vs_nation` — every Ja/Nej key figure in one year: the county's share of
  municipalities against the nation's.
* :func:`signal_bars` — per monitoring metric, how many municipalities show an improvement, a
  deterioration or no signal in the quarter.

Example
-------
>>> import matplotlib.pyplot as plt
>>> i = pd.DataFrame({"municipality_code": ["1880", "1814"], "index": [0.74, 0.43]})
>>> ax = index_bars(i, period=2022, ax=plt.figure().add_subplot())
>>> [t.get_text() for t in ax.get_yticklabels()], ax.get_title()
(['Lekeberg', 'Örebro'], 'Mognadsindex per kommun, 2022')
"""

from __future__ import annotations

import textwrap

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib import patheffects
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from .. import reference
from ..errors import check_choice
from ..formatting import quarter_label
from ..schemas import DIMENSIONS, require_columns
from .maturity import lika_label
from .style import (
    _PARAMS,
    PALETTE,
    SEQUENTIAL,
    add_source,
    format_number,
    number_formatter,
    with_period,
)

__all__ = ["index_bars", "threshold_bars", "county_vs_nation", "signal_bars"]

_TEXT = {
    "sv": {
        "index": "Mognadsindex (0–100)",
        "index_title": "Mognadsindex per kommun",
        "county_mean": "Länets medelvärde",
        "below": "Kommuner under {threshold} poäng",
        "below_title": "Kommuner under tröskeln per del",
        "of": "av",
        "share": "Andel kommuner som svarat Ja, %",
        "versus": "Länet och riket",
        "nation": "Riket",
        "municipalities": "Antal kommuner",
        "signals": "Signaler i uppföljningen",
        "improvement": "Förbättring",
        "deterioration": "Försämring",
        "none": "Ingen signal",
    },
    "en": {
        "index": "Maturity index (0–100)",
        "index_title": "Maturity index by municipality",
        "county_mean": "County mean",
        "below": "Municipalities below {threshold} points",
        "below_title": "Municipalities below the threshold by dimension",
        "of": "of",
        "share": "Share of municipalities answering Yes, %",
        "versus": "The county and the nation",
        "nation": "Sweden",
        "municipalities": "Number of municipalities",
        "signals": "Signals in the monitoring",
        "improvement": "Improvement",
        "deterioration": "Deterioration",
        "none": "No signal",
    },
}


def index_bars(
    index: pd.DataFrame,
    *,
    value: str = "index",
    period: str | int | None = None,
    lang: str = "sv",
    ax=None,
    source: str | None = None,
):
    """The maturity index of every municipality as ranked bars, with the county mean.

    The bars have the colours of the 0–100 scale of :func:`maturity_heatmap` and
    :func:`maturity_map` (a colour means the same score everywhere) and their value at the end.

    Parameters
    ----------
    index : DataFrame
        :func:`ehalsa_analys.maturity.maturity_index` of one round (municipality_code, index 0–1).
    value : str, default "index"
    {period}
    {lang}
    {ax}
    {source}

    Returns
    -------
    matplotlib.axes.Axes
        One bar per municipality, highest on top; the county mean a dashed line.
    """
    check_choice("lang", list(_TEXT), lang)
    require_columns(index, "index", ["municipality_code", value])
    text = _TEXT[lang]
    if ax is None:
        ax = plt.gca()
    data = index.assign(_shown=index[value].astype(float) * 100).dropna(subset=["_shown"])
    data = data.sort_values(["_shown", "municipality_code"], kind="stable")
    positions = np.arange(len(data))
    colours = mpl.colormaps[SEQUENTIAL](data["_shown"].to_numpy() / 100)
    ax.barh(positions, data["_shown"], color=colours, height=0.7)
    for y, v in zip(positions, data["_shown"], strict=True):
        ax.text(
            v + 1,
            y,
            format_number(v, decimals=0, lang=lang),
            va="center",
            fontsize="small",
            zorder=4,
            path_effects=[patheffects.withStroke(linewidth=3, foreground="white")],
        )
    mean = float(data["_shown"].mean()) if len(data) else np.nan
    ax.axvline(mean, color="#333333", linestyle="--", linewidth=1.2, zorder=3)
    ax.set_yticks(positions, reference.municipality_names(data["municipality_code"]))
    ax.set_xlim(0, 100)
    ax.set_xlabel(text["index"])
    ax.xaxis.set_major_formatter(number_formatter(lang, decimals=0))
    ax.grid(axis="y", visible=False)
    ax.legend(
        handles=[
            Line2D(
                [],
                [],
                color="#333333",
                linestyle="--",
                label=f"{text['county_mean']}: {format_number(mean, decimals=0, lang=lang)}",
            )
        ],
        loc="lower right",
        frameon=False,
        fontsize="small",
    )
    ax.set_title(with_period(text["index_title"], period))
    if source:
        add_source(ax.figure, source, lang=lang)
    return ax


def threshold_bars(
    areas: pd.DataFrame,
    *,
    threshold: float = 0.5,
    period: str | int | None = None,
    lang: str = "sv",
    ax=None,
    source: str | None = None,
):
    """Per LIKA dimension, the number of municipalities below the threshold, "11 av 12" at each.

    The dimensions are in priority order (most municipalities below on top), as
    :func:`ehalsa_analys.maturity.development_areas` ranks them.

    Parameters
    ----------
    areas : DataFrame
        :func:`ehalsa_analys.maturity.development_areas` by dimension (dimension, n_below,
        n_municipalities, priority).
    threshold : float, default 0.5
        The threshold the areas were computed with (0–1), for the axis label.
    {period}
    {lang}
    {ax}
    {source}

    Returns
    -------
    matplotlib.axes.Axes

    Example
    -------
    >>> a = pd.DataFrame({{"priority": [1, 2], "dimension": ["Kompetens", "Ledning"],
    ...     "n_below": [11, 2], "n_municipalities": 12}})
    >>> ax = threshold_bars(a, ax=plt.figure().add_subplot())
    >>> [t.get_text() for t in ax.texts]
    ['2 av 12', '11 av 12']
    """
    check_choice("lang", list(_TEXT), lang)
    require_columns(areas, "areas", ["dimension", "n_below", "n_municipalities", "priority"])
    text = _TEXT[lang]
    if ax is None:
        ax = plt.gca()
    data = areas.sort_values("priority", ascending=False, kind="stable")
    positions = np.arange(len(data))
    total = int(data["n_municipalities"].max()) if len(data) else 0
    ax.barh(positions, data["n_below"], color=PALETTE[5], height=0.6)
    for y, below, n in zip(positions, data["n_below"], data["n_municipalities"], strict=True):
        ax.text(
            below + total * 0.01,
            y,
            f"{below} {text['of']} {n}",
            va="center",
            fontsize="small",
        )
    labels = [lika_label(d, lang) if d in DIMENSIONS else str(d) for d in data["dimension"]]
    ax.set_yticks(positions, labels)
    ax.set_xlim(0, max(total, 1) * 1.15)
    ax.xaxis.set_major_locator(mpl.ticker.MaxNLocator(integer=True))
    points = format_number(threshold * 100, decimals=0, lang=lang)
    ax.set_xlabel(text["below"].format(threshold=points))
    ax.grid(axis="y", visible=False)
    ax.set_title(with_period(text["below_title"], period))
    if source:
        add_source(ax.figure, source, lang=lang)
    return ax


def county_vs_nation(
    levels: pd.DataFrame,
    *,
    county_code: str,
    year: int,
    titles: dict | None = None,
    lang: str = "sv",
    ax=None,
    source: str | None = None,
):
    """Every Ja/Nej key figure in ``year``: the county's share of municipalities and the nation's.

    One row per key figure (sorted by the county's share), the nation a grey ring, the county a
    blue dot, joined by a line.

    Parameters
    ----------
    levels : DataFrame
        :func:`ehalsa_analys.compare.reference_levels` with the "county" and "nation" levels
        (indicator_id, period, level, key, share, binary).
    county_code : str
    year : int
    titles : dict, optional
        indicator_id -> title for the rows.
    {lang}
    {ax}
    {source}

    Returns
    -------
    matplotlib.axes.Axes

    Example
    -------
    >>> lv = pd.DataFrame({{"indicator_id": ["a", "a"], "period": 2024,
    ...     "level": ["county", "nation"], "key": ["18", "0000"], "share": [0.9, 0.8]}})
    >>> ax = county_vs_nation(lv, county_code="18", year=2024, ax=plt.figure().add_subplot())
    >>> ax.collections[-1].get_offsets().tolist()   # the county's dot, in percent
    [[90.0, 0.0]]
    """
    check_choice("lang", list(_TEXT), lang)
    require_columns(levels, "levels", ["indicator_id", "period", "level", "key", "share"])
    text = _TEXT[lang]
    if ax is None:
        ax = plt.gca()
    shown = levels[(levels["period"] == year) & levels["share"].notna()]
    if "binary" in shown:
        shown = shown[shown["binary"].astype(bool)]
    county = shown[(shown["level"] == "county") & (shown["key"].astype(str) == county_code)]
    nation = shown[shown["level"] == "nation"]
    table = pd.DataFrame(
        {
            "county": county.set_index("indicator_id")["share"] * 100,
            "nation": nation.set_index("indicator_id")["share"] * 100,
        }
    ).dropna()
    table = table.sort_values(["county", "nation"], kind="stable")
    positions = np.arange(len(table))
    ax.hlines(positions, table["nation"], table["county"], color="#bbbbbb", linewidth=2, zorder=1)
    ax.scatter(table["nation"], positions, s=40, facecolor="white", edgecolor="#555555", zorder=2)
    ax.scatter(table["county"], positions, s=40, color=PALETTE[0], zorder=3)
    names = reference.counties().set_index("county_code")["county"]
    labels = [textwrap.fill(str((titles or {}).get(i, i)), 45) for i in table.index]
    ax.set_yticks(positions, labels, fontsize="small")
    ax.set_xlim(0, 100)
    ax.set_xlabel(text["share"])
    ax.xaxis.set_major_formatter(number_formatter(lang, decimals=0))
    ax.grid(axis="y", visible=False)
    ax.legend(
        handles=[
            Line2D([], [], marker="o", linestyle="", color=PALETTE[0], label=names[county_code]),
            Line2D(
                [],
                [],
                marker="o",
                linestyle="",
                markerfacecolor="white",
                markeredgecolor="#555555",
                label=text["nation"],
            ),
        ],
        loc="upper left",
        bbox_to_anchor=(1.0, 1.0),
        frameon=False,
        fontsize="small",
    )
    ax.set_title(with_period(text["versus"], year))
    if source:
        add_source(ax.figure, source, lang=lang)
    return ax


def signal_bars(
    summary: pd.DataFrame,
    *,
    titles: dict | None = None,
    lang: str = "sv",
    ax=None,
    source: str | None = None,
):
    """Per metric, the municipalities with an improvement, a deterioration or no signal.

    Parameters
    ----------
    summary : DataFrame
        :func:`ehalsa_analys.monitoring.quarter_summary` of one quarter (metric_id, quarter,
        signal: "improvement", "deterioration" or empty).
    titles : dict, optional
        metric_id -> title for the rows.
    {lang}
    {ax}
    {source}

    Returns
    -------
    matplotlib.axes.Axes
        Stacked bars, in municipalities: improvement (blue), deterioration (orange-red), none
        (grey).

    Example
    -------
    >>> s = pd.DataFrame({{"metric_id": "m", "quarter": pd.Period("2026Q3", "Q"),
    ...                   "signal": ["improvement", "", "deterioration"]}})
    >>> ax = signal_bars(s, ax=plt.figure().add_subplot())
    >>> [float(p.get_width()) for p in ax.patches], ax.get_title()
    ([1.0, 1.0, 1.0], 'Signaler i uppföljningen, 2026 K3')
    """
    check_choice("lang", list(_TEXT), lang)
    require_columns(summary, "summary", ["metric_id", "quarter", "signal"])
    text = _TEXT[lang]
    if ax is None:
        ax = plt.gca()
    signal = summary["signal"].fillna("").astype(str)
    kinds = {"improvement": PALETTE[0], "deterioration": PALETTE[5], "none": "#bbbbbb"}
    counts = (
        summary.assign(_kind=signal.where(signal.isin(["improvement", "deterioration"]), "none"))
        .groupby(["metric_id", "_kind"])
        .size()
        .unstack(fill_value=0)
        .reindex(columns=list(kinds), fill_value=0)
    )
    metrics = sorted(counts.index)
    counts = counts.loc[metrics]
    positions = np.arange(len(metrics))
    left = np.zeros(len(metrics))
    for kind, colour in kinds.items():
        ax.barh(positions, counts[kind], left=left, color=colour, height=0.6)
        for y, x, n in zip(positions, left, counts[kind], strict=True):
            if n:
                ax.text(x + n / 2, y, str(int(n)), ha="center", va="center", fontsize="small")
        left = left + counts[kind].to_numpy()
    labels = [textwrap.fill(str((titles or {}).get(m, m)), 32) for m in metrics]
    ax.set_yticks(positions, labels, fontsize="small")
    ax.set_xlim(0, max(left.max(), 1) if len(left) else 1)
    ax.xaxis.set_major_locator(mpl.ticker.MaxNLocator(integer=True))
    ax.set_xlabel(text["municipalities"])
    ax.grid(axis="y", visible=False)
    ax.legend(
        handles=[Patch(color=c, label=text[k]) for k, c in kinds.items()],
        loc="upper left",
        bbox_to_anchor=(1.0, 1.0),
        frameon=False,
        fontsize="small",
    )
    quarters = summary["quarter"].dropna()
    period = quarter_label(quarters.max(), lang) if len(quarters) else None
    ax.set_title(with_period(text["signals"], period))
    if source:
        add_source(ax.figure, source, lang=lang)
    return ax


_DOC = {
    **_PARAMS,
    "period": "period : str or int, optional\n        The period of the data, written after "
    'the title: "…, 2022".',
}
for _function in (index_bars, threshold_bars, county_vs_nation, signal_bars):
    _function.__doc__ = _function.__doc__.format(**_DOC)
del _function
