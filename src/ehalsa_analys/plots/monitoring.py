"""Figures of effect monitoring: run and control charts, small multiples, ITS, quarter table.

The chart frames of :mod:`ehalsa_analys.monitoring` in, Axes out. Quarters are labelled
"2024 K1" in Swedish and "2024 Q1" in English; a point that caused a signal (outside the
limits, or part of an unusually long run) is drawn large.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.markers import TICKDOWN
from matplotlib.patches import Patch

from .. import reference
from ..disclosure import SUPPRESSION_LIMIT
from ..errors import check_choice
from ..formatting import quarter_label
from ..schemas import require_columns
from .style import _PARAMS, PALETTE, add_source, figure_legend, number_formatter, with_period

__all__ = ["spc_chart", "spc_small_multiples", "its_chart", "summary_table"]

_TEXT = {
    "sv": {
        "value": "Värde",
        "observed": "Kvartalets värde",
        "excluded": "Utesluten ur baslinjen",
        "free_y": "egen skala per kommun",
        "median": "Median",
        "mean": "Medelvärde",
        "limits": "Styrgränser",
        "target": "Mål",
        "baseline": "Baslinje",
        "intervention": "Införande",
        "improvement": "Signal: förbättring",
        "deterioration": "Signal: försämring",
        "signal": "Signal",
        "run": "Seriediagram",
        "control": "Styrdiagram ({chart})",
        "fitted": "Skattad nivå",
        "counterfactual": "Utan förändringen",
        "its": "Avbruten tidsserie",
        "summary": "Läget i kvartalet",
        "hidden": "Dolda punkter: {n} (antal under {limit})",
        "columns": ["Kommun", "Mått", "Senaste", "Mål", "Signal", "Kommentar"],
    },
    "en": {
        "value": "Value",
        "observed": "The quarter's value",
        "excluded": "Left out of the baseline",
        "free_y": "own scale per municipality",
        "median": "Median",
        "mean": "Mean",
        "limits": "Control limits",
        "target": "Target",
        "baseline": "Baseline",
        "intervention": "Introduction",
        "improvement": "Signal: improvement",
        "deterioration": "Signal: deterioration",
        "signal": "Signal",
        "run": "Run chart",
        "control": "Control chart ({chart})",
        "fitted": "Fitted level",
        "counterfactual": "Without the change",
        "its": "Interrupted time series",
        "summary": "The quarter at a glance",
        "hidden": "Hidden points: {n} (counts under {limit})",
        "columns": ["Municipality", "Metric", "Latest", "Target", "Signal", "Note"],
    },
}


def spc_chart(
    chart: pd.DataFrame,
    *,
    title: str | None = None,
    target: float | None = None,
    higher_is_better: bool | None = None,
    intervention=None,
    events: pd.DataFrame | None = None,
    percent: bool = False,
    decimals: int | None = None,
    unit: str | None = None,
    lang: str = "sv",
    ax=None,
    source: str | None = None,
    legend: bool = True,
):
    """Draw a run or control chart from :func:`monitoring.run_chart` / ``control_chart``.

    The legend explains every encoding: the quarter's values (grey line and dots), the centre
    line, the control limits (dashed), the grey baseline band, the target (dotted green), the
    signal dots (blue better, orange-red worse) and the hollow dots left out of the baseline.

    Parameters
    ----------
    chart : DataFrame
        One series' chart frame (columns x, y, cl, lcl, ucl, baseline, part, include,
        sigma_signal, shift_point).
    title : str, optional
        Default "Seriediagram" or "Styrdiagram (…)".
    target : float, optional
        Drawn as a dotted line.
    higher_is_better : bool, optional
        Colours a signal blue when it is an improvement and orange-red when it is a
        deterioration; without it signals are orange.
    intervention : period, optional
        Marked with a vertical line and a label.
    events : DataFrame, optional
        A log of changes (:func:`ehalsa_analys.load.events`: period, text): each event in the
        chart's range gets a numbered triangle above its quarter and a line under the chart.
    percent : bool, default False
        The values are proportions (0–1): show the axis in percent.
    decimals : int, optional
        Decimals on the y axis (default: as the tick spacing needs).
    unit : str, optional
        The y axis label, e.g. "Andel, %" or "Antal".
    {lang}
    {ax}
    {source}
    legend : bool, default True
        Draw the legend beside the chart; False leaves it out (e.g. when the caller
        explains the encodings elsewhere).

    Returns
    -------
    matplotlib.axes.Axes

    Example
    -------
    >>> from ehalsa_analys import monitoring
    >>> y = pd.Series([1.0, 2, 1, 2, 1, 2, 1, 9],
    ...               index=pd.period_range("2024Q1", periods=8, freq="Q"))
    >>> ax = spc_chart(monitoring.control_chart(y, chart="i"), higher_is_better=True,
    ...                ax=plt.figure().add_subplot())
    >>> ax.lines[0].get_ydata().tolist()[-1], ax.get_xticklabels()[0].get_text()
    (9.0, '2024 K1')
    """
    check_choice("lang", list(_TEXT), lang)
    require_columns(chart, "chart", ["x", "y", "cl", "lcl", "ucl", "part", "baseline"])
    text = _TEXT[lang]
    if ax is None:
        ax = plt.gca()
    data = chart.reset_index(drop=True)
    pos = np.arange(len(data))
    y = data["y"].to_numpy(float)
    cl = data["cl"].to_numpy(float)
    ax.plot(pos, y, color="#555555", marker="o", markersize=3.5, linewidth=1.2, zorder=3)
    is_run = data["lcl"].isna().all() and data["ucl"].isna().all()
    for part in data["part"].unique():
        at = (data["part"] == part).to_numpy()
        xs = pos[at]
        ax.plot(xs, cl[at], color=PALETTE[0], linewidth=1.6, zorder=2)
        if not is_run:
            ax.step(
                xs,
                data["ucl"].to_numpy(float)[at],
                where="mid",
                color=PALETTE[0],
                linestyle="--",
                linewidth=1,
                zorder=2,
            )
            ax.step(
                xs,
                data["lcl"].to_numpy(float)[at],
                where="mid",
                color=PALETTE[0],
                linestyle="--",
                linewidth=1,
                zorder=2,
            )
        if part != data["part"].iloc[0]:
            ax.axvline(xs[0] - 0.5, color="#999999", linewidth=1)
    baseline = data["baseline"].to_numpy(bool)
    if baseline.any() and not baseline.all():
        last = int(np.flatnonzero(baseline).max())
        ax.axvspan(-0.5, last + 0.5, color="#eeeeee", zorder=0)
    if target is not None:
        ax.axhline(target, color=PALETTE[2], linestyle=":", linewidth=1.5)
    signal = data.get("sigma_signal", False) | data.get("shift_point", False)
    signal = np.asarray(signal, dtype=bool)
    colours = np.full(len(data), PALETTE[1], dtype=object)
    if higher_is_better is not None:
        better = (y > cl) if higher_is_better else (y < cl)
        colours = np.where(better, PALETTE[0], PALETTE[5])
    if signal.any():
        ax.scatter(
            pos[signal],
            y[signal],
            s=48,
            c=list(colours[signal]),
            zorder=4,
            edgecolor="black",
            linewidth=0.6,
        )
    if "include" in data:
        excluded = ~data["include"].to_numpy(bool)
        ax.scatter(
            pos[excluded], y[excluded], s=40, facecolor="white", edgecolor="#555555", zorder=5
        )
    if "suppressed" in data and data["suppressed"].any():
        hidden = int(data["suppressed"].sum())
        ax.text(  # above the panel, right: clear of the data and of a left-aligned title
            1.0,
            1.02,
            text["hidden"].format(n=hidden, limit=SUPPRESSION_LIMIT),
            transform=ax.transAxes,
            fontsize="x-small",
            color="#555555",
            ha="right",
            va="bottom",
        )
    if intervention is not None:
        match = np.flatnonzero(data["x"].astype(str).to_numpy() == str(pd.Period(intervention)))
        if match.size:
            ax.axvline(match[0] - 0.5, color=PALETTE[3], linestyle="-.", linewidth=1.5)
            ax.annotate(
                text["intervention"],
                (match[0] - 0.4, 1.0),
                xycoords=("data", "axes fraction"),
                va="top",
                fontsize="small",
                color=PALETTE[3],
            )
    if events is not None and len(events):
        _draw_events(ax, data["x"], events)
    _quarter_ticks(ax, data["x"], lang)
    ax.yaxis.set_major_formatter(
        number_formatter(lang, decimals=decimals, percent=percent, factor=100 if percent else 1)
    )
    ax.set_xlim(-0.6, len(data) - 0.4)
    if "chart" in data and len(data) and (data["chart"] == "c").all():
        # Counts: whole numbers from 0 up (a panel of zeros was ticked −0,04 … 0,04).
        ax.yaxis.set_major_locator(mpl.ticker.MaxNLocator(integer=True, min_n_ticks=2))
        ax.set_ylim(0, max(ax.get_ylim()[1], 1))
    chart_type = chart.attrs.get("chart", "run" if is_run else "i")
    ax.set_title(title or (text["run"] if is_run else text["control"].format(chart=chart_type)))
    if unit:
        ax.set_ylabel(unit)
    handles = [
        Line2D(
            [],
            [],
            color="#555555",
            marker="o",
            markersize=3.5,
            linewidth=1.2,
            label=text["observed"],
        ),
        Line2D(
            [],
            [],
            color=PALETTE[0],
            linewidth=1.6,
            label=text["median"] if is_run else text["mean"],
        ),
    ]
    if not is_run:
        handles.append(Line2D([], [], color=PALETTE[0], linestyle="--", label=text["limits"]))
    if baseline.any() and not baseline.all():
        handles.append(Patch(facecolor="#eeeeee", label=text["baseline"]))
    if target is not None:
        handles.append(Line2D([], [], color=PALETTE[2], linestyle=":", label=text["target"]))
    if "include" in data and excluded.any():
        handles.append(
            Line2D(
                [],
                [],
                marker="o",
                linestyle="",
                markerfacecolor="white",
                markeredgecolor="#555555",
                label=text["excluded"],
            )
        )
    if intervention is not None and match.size:
        handles.append(Line2D([], [], color=PALETTE[3], linestyle="-.", label=text["intervention"]))
    if signal.any():
        if higher_is_better is None:
            handles.append(
                Line2D(
                    [],
                    [],
                    marker="o",
                    linestyle="",
                    color=PALETTE[1],
                    markeredgecolor="black",
                    label=text["signal"],
                )
            )
        else:
            handles += [
                Line2D(
                    [],
                    [],
                    marker="o",
                    linestyle="",
                    color=PALETTE[0],
                    markeredgecolor="black",
                    label=text["improvement"],
                ),
                Line2D(
                    [],
                    [],
                    marker="o",
                    linestyle="",
                    color=PALETTE[5],
                    markeredgecolor="black",
                    label=text["deterioration"],
                ),
            ]
    if legend:
        ax.legend(
            handles=handles,
            loc="upper left",
            bbox_to_anchor=(1.0, 1.0),
            frameon=False,
            fontsize="small",
        )
    if source:
        add_source(ax.figure, source, lang=lang)
    return ax


def _quarter_ticks(ax, x: pd.Series, lang: str) -> None:
    """Label the quarters level, few enough to fit: each year's first quarter for long series.

    A label every ``step`` quarters (1, 2 or a multiple of 4), at most five, starting at the
    first K1 when the series is longer than five quarters; a minor tick at every quarter.
    """
    values = list(x)
    n = len(values)
    pos = np.arange(n)
    quarters = [v.quarter if isinstance(v, pd.Period) else None for v in values]
    if n <= 5:
        start, step = 0, 1
    else:
        step = 4 * max(1, math.ceil(n / 4 / 5))
        firsts = [i for i, q in enumerate(quarters) if q == 1]
        start = firsts[0] if firsts else 0
    shown = pos[start::step]
    ax.set_xticks(shown, [quarter_label(values[i], lang) for i in shown])
    # The quarters' marks: one line of tick-down markers on the axis, styled as minor ticks
    # (40 quarters as minor Tick objects were a third of a monitoring figure's drawing time).
    ax.plot(
        pos,
        np.zeros(n),
        linestyle="",
        marker=TICKDOWN,
        markersize=2,
        markeredgewidth=mpl.rcParams["xtick.minor.width"],
        color=mpl.rcParams["xtick.color"],
        transform=ax.get_xaxis_transform(),
        clip_on=False,
        zorder=2.5,
        label="_quarters",
    )


def _draw_events(ax, x: pd.Series, events: pd.DataFrame) -> None:
    """Numbered triangles above the events' quarters, and the numbered list below the Axes."""
    where = {str(v): i for i, v in enumerate(x)}
    shown = [
        (where[str(p)], t)
        for p, t in zip(events["period"], events["text"], strict=True)
        if str(p) in where
    ]
    for number, (i, _text) in enumerate(shown, 1):
        ax.annotate(
            str(number),
            (i, 1.0),
            xycoords=("data", "axes fraction"),
            xytext=(0, 2),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize="x-small",
            color=PALETTE[3],
        )
        ax.plot(
            [i],
            [1.0],
            marker="v",
            color=PALETTE[3],
            transform=ax.get_xaxis_transform(),
            clip_on=False,
            zorder=6,
        )
    if shown:
        listing = "   ".join(f"{n}. {text}" for n, (_i, text) in enumerate(shown, 1))
        ax.annotate(  # under the tick labels, whatever the panel's height
            listing,
            (0.0, 0.0),
            xycoords="axes fraction",
            xytext=(0, -26),
            textcoords="offset points",
            fontsize="x-small",
            va="top",
            color=PALETTE[3],
        )


def spc_small_multiples(
    charts: pd.DataFrame,
    *,
    by: str = "municipality_code",
    ncols: int = 3,
    target: float | None = None,
    higher_is_better: bool | None = None,
    percent: bool = False,
    lang: str = "sv",
    source: str | None = None,
    sharey: bool = True,
    events: pd.DataFrame | None = None,
    unit: str | None = None,
    title: str | None = None,
    layout: bool = True,
):
    """One chart per ``by`` value (e.g. each municipality), on a shared y axis or each its own.

    One legend under the panels explains every line, band and dot drawn in any of them.
    Counts of municipalities of different sizes read better each on its own scale
    (``sharey=False``); the y label then says so.

    Parameters
    ----------
    charts : DataFrame
        Output of :func:`monitoring.run_charts` or ``control_charts`` for one metric.
    by : str, default "municipality_code"
    ncols : int, default 3
    target, higher_is_better, percent
        As in :func:`spc_chart`.
    {lang}
    {source}
    sharey : bool, default True
        One y scale for all panels; False gives each its own.
    events : DataFrame, optional
        As in :func:`spc_chart`, with a ``by`` column: each panel shows its own events.
    unit : str, optional
        The y label of the first column of panels, e.g. "Antal".
    title : str, optional
        The figure's heading (the measure and its period).
    layout : bool, default True
        Lay the panels out (``tight_layout``); False when the caller lays the figure out
        again anyway: a layout measures every text.

    Returns
    -------
    matplotlib.figure.Figure

    Example
    -------
    >>> from ehalsa_analys import monitoring
    >>> d = pd.DataFrame({{"municipality_code": ["1880"] * 4 + ["1814"] * 4, "metric_id": "m",
    ...     "period": list(pd.period_range("2024Q1", periods=4, freq="Q")) * 2,
    ...     "value": [1.0, 2, 3, 4, 2, 2, 3, 3]}})
    >>> fig = spc_small_multiples(monitoring.run_charts(d))
    >>> [ax.get_title() for ax in fig.axes if ax.get_title()]
    ['Lekeberg', 'Örebro']
    """
    check_choice("lang", list(_TEXT), lang)
    require_columns(charts, "charts", [by])
    text = _TEXT[lang]
    keys = list(dict.fromkeys(charts[by]))
    nrows = math.ceil(len(keys) / ncols)
    fig, axes = plt.subplots(
        nrows, ncols, figsize=(4.2 * ncols, 2.8 * nrows + 1.2), sharey=sharey, squeeze=False
    )
    names = reference.municipalities().set_index("municipality_code")["municipality"]
    legend: dict[str, object] = {}
    for ax, key in zip(axes.flat, keys, strict=False):
        part = charts[charts[by] == key]
        own = events[events[by] == key] if events is not None and by in events else None
        spc_chart(
            part,
            target=target,
            higher_is_better=higher_is_better,
            percent=percent,
            lang=lang,
            ax=ax,
            events=own,
        )
        # y=1.0 fixes the titles on the Axes' top (nothing is drawn above it): matplotlib
        # would otherwise measure each panel's axes again at every draw to place them.
        ax.set_title(names.get(key, key) if by == "municipality_code" else str(key), y=1.0)
        old = ax.get_legend()
        for handle, label in zip(old.legend_handles, old.get_texts(), strict=True):
            legend.setdefault(label.get_text(), handle)
        old.remove()
    for ax in axes.flat[len(keys) :]:
        ax.set_axis_off()
    if unit:
        label = unit if sharey else f"{unit} ({text['free_y']})"
        for ax in axes[:, 0]:
            ax.set_ylabel(label, fontsize="small")
    if title:
        fig.suptitle(title, x=0.01, ha="left", fontweight="bold")
    figure_legend(
        fig, list(legend.values()), list(legend), loc="lower center", ncols=min(4, len(legend))
    )
    rows_of_legend = math.ceil(len(legend) / 4)
    bottom = (0.25 + 0.22 * rows_of_legend) / fig.get_figheight()
    if layout:
        fig.tight_layout(rect=(0, bottom, 1, 0.97 if title else 1))
    if source:
        add_source(fig, source, lang=lang)
    return fig


def its_chart(
    result,
    *,
    title: str | None = None,
    unit: str | None = None,
    percent: bool = False,
    lang: str = "sv",
    ax=None,
    source: str | None = None,
):
    """Interrupted time series: observations, fitted segments and the counterfactual.

    Parameters
    ----------
    result : ITSResult
        From :func:`monitoring.interrupted_time_series`.
    title : str, optional
        The measure (default "Avbruten tidsserie"); the quarters shown follow it.
    unit : str, optional
        The y axis label.
    percent : bool
    {lang}
    {ax}
    {source}

    Returns
    -------
    matplotlib.axes.Axes

    Example
    -------
    >>> import numpy as np
    >>> from ehalsa_analys import monitoring
    >>> q = pd.period_range("2022Q1", periods=12, freq="Q")
    >>> r = monitoring.interrupted_time_series(
    ...     pd.Series(np.r_[np.full(6, 2.0), np.full(6, 5.0)] + np.tile([0.2, -0.2], 6), index=q),
    ...     intervention="2023Q3")
    >>> ax = its_chart(r, ax=plt.figure().add_subplot())
    >>> [t.get_text() for t in ax.get_legend().get_texts()]
    ['Värde', 'Skattad nivå', 'Utan förändringen', 'Införande']
    >>> ax.get_title()
    'Avbruten tidsserie, 2022 K1–2024 K4'
    """
    check_choice("lang", list(_TEXT), lang)
    text = _TEXT[lang]
    if ax is None:
        ax = plt.gca()
    data = result.fitted.reset_index(drop=True)
    pos = np.arange(len(data))
    after = data["after"].to_numpy(bool)
    ax.plot(
        pos,
        data["y"],
        color="#555555",
        marker="o",
        markersize=3.5,
        linewidth=0,
        label=text["value"],
    )
    ax.plot(
        pos[~after], data["fitted"][~after], color=PALETTE[0], linewidth=2, label=text["fitted"]
    )
    ax.plot(pos[after], data["fitted"][after], color=PALETTE[0], linewidth=2)
    ax.plot(
        pos[after],
        data["counterfactual"][after],
        color=PALETTE[0],
        linestyle="--",
        linewidth=1.5,
        label=text["counterfactual"],
    )
    start = int(np.flatnonzero(after)[0])
    ax.axvline(
        start - 0.5, color=PALETTE[3], linestyle="-.", linewidth=1.5, label=text["intervention"]
    )
    _quarter_ticks(ax, data["x"], lang)
    ax.yaxis.set_major_formatter(
        number_formatter(lang, percent=percent, factor=100 if percent else 1)
    )
    if unit:
        ax.set_ylabel(unit)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize="small")
    periods = [v for v in data["x"] if isinstance(v, pd.Period)]
    span = (
        f"{quarter_label(min(periods), lang)}–{quarter_label(max(periods), lang)}"
        if periods
        else ""
    )
    heading = title or text["its"]
    ax.set_title(f"{heading}, {span}" if span else heading)
    if source:
        add_source(ax.figure, source, lang=lang)
    return ax


def summary_table(
    summary: pd.DataFrame,
    *,
    columns: Sequence[str] = ("municipality", "metric", "latest", "target", "signal", "note"),
    period=None,
    lang: str = "sv",
    ax=None,
    source: str | None = None,
):
    """The quarter's summary (one row per municipality and metric) as a table figure.

    Parameters
    ----------
    summary : DataFrame
        The columns named in ``columns``, already formatted as text where needed.
    columns : sequence of str
        The six columns shown, in order; headers are Swedish (English with ``lang="en"``).
    period : Period or str, optional
        The quarter, written after the title ("Läget i kvartalet, 2026 K3").
    {lang}
    {ax}
    {source}

    Returns
    -------
    matplotlib.axes.Axes

    Example
    -------
    >>> s = pd.DataFrame({{"municipality": ["Örebro"], "metric": ["Digitala besök"],
    ...     "latest": ["9,5 %"], "target": ["10 %"], "signal": ["Förbättring"], "note": [""]}})
    >>> ax = summary_table(s, ax=plt.figure().add_subplot())
    >>> ax.tables[0].get_celld()[(1, 2)].get_text().get_text()
    '9,5 %'
    """
    check_choice("lang", list(_TEXT), lang)
    require_columns(summary, "summary", list(columns))
    if ax is None:
        ax = plt.gca()
    ax.set_axis_off()
    fig = ax.figure
    if fig.axes == [ax]:  # the table is the figure: it takes its whole width
        height = fig.get_figheight()
        ax.set_position((0.01, 0.1 / height, 0.98, 1 - 0.6 / height))
    cells = summary[list(columns)].fillna("").astype(str).values.tolist()
    widths = [0.13, 0.37, 0.11, 0.09, 0.13, 0.17][: len(columns)]
    table = ax.table(
        cellText=cells,
        colLabels=_TEXT[lang]["columns"][: len(columns)],
        colWidths=widths,
        cellLoc="left",
        bbox=[0, 0, 1, 1],
    )
    table.auto_set_font_size(False)
    table.set_fontsize(8)
    for (r, c), cell in table.get_celld().items():
        cell.PAD = 0.01 / widths[c]  # the same small margin in every column (PAD is a share)
        cell.set_edgecolor("#cccccc")
        if r == 0:
            cell.set_facecolor("#eeeeee")
            cell.get_text().set_fontweight("bold")
    shown = quarter_label(period, lang) if period is not None else None
    ax.set_title(with_period(_TEXT[lang]["summary"], shown))
    if source:
        add_source(ax.figure, source, lang=lang)
    return ax


for _function in (spc_chart, spc_small_multiples, its_chart, summary_table):
    _function.__doc__ = _function.__doc__.format(**_PARAMS)
del _function
