"""Figures of LIKA maturity: the tables of :mod:`ehalsa_analys.maturity` in, Axes out.

Scores are 0–1 in the tables and shown as 0–100 ("mognadspoäng"), since a
report reader takes 62 more easily than 0,62. Municipalities are shown by
name; dimensions and areas in LIKA's order.

* :func:`maturity_heatmap` — municipality × dimension, annotated, sorted by
  the maturity index (or the row mean).
* :func:`gap_bars` — gaps against the chosen reference with their intervals.
* :func:`dispersion_strip` — every municipality's score per dimension, with
  the county mean and one municipality highlighted.
* :func:`change_dumbbell` — two rounds per municipality; filled when the
  change exceeds its interval.
* :func:`development_table` — the common development areas as a table figure.
* :func:`maturity_map` — a county choropleth of the maturity index.

Figure-level functions own their figure, size it to the data and return it
(an ``ax=`` given to them is ignored with a warning):

* :func:`maturity_heatmap_figure` — :func:`maturity_heatmap` in a figure
  whose height follows the number of municipalities.
* :func:`gap_panels` — small multiples of :func:`gap_bars`, one panel per
  municipality, on a shared axis.

Example
-------
>>> import matplotlib.pyplot as plt
>>> import pandas as pd
>>> s = pd.DataFrame({"municipality_code": ["1880", "1880", "1814", "1814"],
...                   "dimension": ["Ledning", "Kompetens"] * 2, "score": [0.8, 0.5, 0.4, 0.2]})
>>> ax = maturity_heatmap(s, ax=plt.figure().add_subplot())
>>> [t.get_text() for t in ax.get_yticklabels()]
['Örebro', 'Lekeberg']
"""

from __future__ import annotations

import math
import textwrap
import warnings
from collections.abc import Sequence

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.lines import Line2D

from .. import reference
from ..errors import SchemaError, check_choice
from ..schemas import AREAS, DIMENSIONS, require_columns
from .maps import choropleth
from .style import (
    _PARAMS,
    PALETTE,
    SEQUENTIAL,
    add_source,
    figure_legend,
    format_number,
    number_formatter,
    with_period,
)

__all__ = [
    "maturity_heatmap",
    "gap_bars",
    "dispersion_strip",
    "change_dumbbell",
    "development_table",
    "maturity_map",
    "maturity_heatmap_figure",
    "gap_panels",
    "lika_label",
]

_TEXT = {
    "sv": {
        "score": "Mognadspoäng (0–100)",
        "index": "Mognadsindex (0–100)",
        "gap": "Skillnad i poäng (0–100)",
        "heatmap": "LIKA-värdering per kommun och del",
        "mean": "Medelvärde",
        "county_mean": "Länets medelvärde",
        "municipality": "Kommun",
        "dispersion": "Spridning mellan kommunerna",
        "change": "Förändring mellan värderingarna",
        "change_rounds": "Mognadsindex {first} och {last}",
        "interval": "95 % osäkerhetsintervall",
        "gap_panels": "Skillnad mot {ref} per kommun och del",
        "significant": "Förändringen är större än osäkerheten",
        "not_significant": "Inom osäkerheten",
        "map": "Mognadsindex per kommun",
        "ahead": "Över referensen",
        "behind": "Under referensen",
        "reference": {
            "county": "länets medelvärde",
            "county_excl": "övriga kommuner i länet",
            "nation": "riket",
            "best": "bästa kommunen",
            "target": "målet",
        },
        "gap_title": "Skillnad mot {ref}",
        "table": [
            "Prio",
            "Del",
            "Kommuner\nunder\ntröskeln",
            "Svagaste indikatorer",
            "Förslag på aktiviteter",
        ],
        "table_title": "Gemensamma utvecklingsområden",
        "of": "av",
        "round": "Omgång {n}",
    },
    "en": {
        "score": "Maturity score (0–100)",
        "index": "Maturity index (0–100)",
        "gap": "Difference in points (0–100)",
        "heatmap": "LIKA assessment by municipality and dimension",
        "mean": "Mean",
        "county_mean": "County mean",
        "municipality": "Municipality",
        "dispersion": "Spread between municipalities",
        "change": "Change between assessments",
        "change_rounds": "Maturity index {first} and {last}",
        "interval": "95% uncertainty interval",
        "gap_panels": "Difference from {ref} by municipality and dimension",
        "significant": "Change larger than its uncertainty",
        "not_significant": "Within the uncertainty",
        "map": "Maturity index by municipality",
        "ahead": "Above the reference",
        "behind": "Below the reference",
        "reference": {
            "county": "the county mean",
            "county_excl": "the other municipalities in the county",
            "nation": "the nation",
            "best": "the best municipality",
            "target": "the target",
        },
        "gap_title": "Difference from {ref}",
        "table": [
            "Rank",
            "Dimension",
            "Municipalities\nbelow the\nthreshold",
            # the LIKA instrument exists in Swedish only: its texts are shown as written
            "Weakest indicators\n(instrument text, Swedish)",
            "Suggested activities\n(instrument text, Swedish)",
        ],
        "table_title": "Common development areas",
        "of": "of",
        "round": "Round {n}",
    },
}
_DIMENSION_EN = dict(
    zip(DIMENSIONS, ("Leadership", "Infrastructure", "Competence", "Use"), strict=True)
)
_AREA_EN = dict(
    zip(AREAS, ("Overall", "Individual and family care", "Elderly care", "Disability"), strict=True)
)


def _require(data: pd.DataFrame, name: str, columns: Sequence[str]) -> None:
    require_columns(
        data, name, columns, hint=f"pass the table that ehalsa_analys.maturity returns for `{name}`"
    )


def _label(value: str, lang: str) -> str:
    """LIKA's Swedish names in Swedish; translated in English."""
    if lang == "en":
        return _DIMENSION_EN.get(value, _AREA_EN.get(value, value))
    return value


def lika_label(value: str, lang: str = "sv") -> str:
    """A LIKA dimension or area as figures show it: as LIKA names it, translated in English.

    Example
    -------
    >>> lika_label("Kompetens"), lika_label("Kompetens", "en"), lika_label("Äldreomsorg", "en")
    ('Kompetens', 'Competence', 'Elderly care')
    """
    check_choice("lang", list(_TEXT), lang)
    return _label(value, lang)


def _ordered(values: pd.Series) -> list[str]:
    known = [v for v in (*DIMENSIONS, *AREAS) if v in set(values)]
    return known + sorted(set(values) - set(known))


def maturity_heatmap(
    scores: pd.DataFrame,
    *,
    value: str = "score",
    columns: str = "dimension",
    order: Sequence[str] | None = None,
    annotate: bool = True,
    period: str | int | None = None,
    lang: str = "sv",
    ax=None,
    source: str | None = None,
):
    """Heatmap of scores, municipality × dimension (or area), annotated 0–100.

    Parameters
    ----------
    scores : DataFrame
        One row per municipality and column category: municipality_code,
        ``columns`` and ``value`` (0–1), e.g. :func:`maturity.scores`.
    value, columns : str
        The score column and the column category (default "dimension").
    order : sequence of str, optional
        Municipality codes top to bottom; default by row mean, highest first
        (pass the codes sorted by :func:`maturity.maturity_index` to sort by it).
    annotate : bool, default True
        Write each score in its cell.
    {period}
    {lang}
    {ax}
    {source}

    Returns
    -------
    matplotlib.axes.Axes

    Example
    -------
    >>> s = pd.DataFrame({{"municipality_code": ["1880", "1814"], "dimension": "Ledning",
    ...                   "score": [0.8, 0.4]}})
    >>> ax = maturity_heatmap(s, lang="en", ax=plt.figure().add_subplot())
    >>> [t.get_text() for t in ax.texts]
    ['80', '40']
    """
    check_choice("lang", list(_TEXT), lang)
    _require(scores, "scores", ["municipality_code", columns, value])
    text = _TEXT[lang]
    wide = scores.pivot_table(index="municipality_code", columns=columns, values=value, sort=False)
    wide = wide[_ordered(wide.columns.to_series())]
    if order is None:
        mean = wide.mean(axis=1)
        order = sorted(wide.index, key=lambda c: (-mean[c] if pd.notna(mean[c]) else np.inf, c))
    wide = wide.reindex(list(order))
    if ax is None:
        ax = plt.gca()
    shown = wide.to_numpy(dtype=float) * 100
    image = ax.imshow(np.ma.masked_invalid(shown), cmap=SEQUENTIAL, vmin=0, vmax=100, aspect="auto")
    ax.set_xticks(range(wide.shape[1]), [_label(c, lang) for c in wide.columns])
    ax.set_yticks(range(wide.shape[0]), reference.municipality_names(wide.index))
    ax.tick_params(axis="x", top=True, bottom=False, labeltop=True, labelbottom=False)
    ax.grid(False)
    for spine in ax.spines.values():
        spine.set_visible(False)
    if annotate:
        cmap = mpl.colormaps[SEQUENTIAL]
        for (i, j), v in np.ndenumerate(shown):
            dark = np.isfinite(v) and np.mean(cmap(v / 100)[:3]) < 0.5
            ax.text(
                j,
                i,
                format_number(v, decimals=0, lang=lang),
                ha="center",
                va="center",
                fontsize="small",
                color="white" if dark else "black",
            )
    bar = ax.figure.colorbar(image, ax=ax, shrink=0.8)
    bar.set_label(text["score"])
    ax.set_title(with_period(text["heatmap"], period), pad=30)
    if source:
        add_source(ax.figure, source, lang=lang)
    return ax


def gap_bars(
    gaps: pd.DataFrame,
    *,
    y: str = "dimension",
    period: str | int | None = None,
    lang: str = "sv",
    ax=None,
    source: str | None = None,
):
    """Horizontal bars of gaps against a reference, with their intervals.

    Parameters
    ----------
    gaps : DataFrame
        Output of :func:`maturity.gaps` for one municipality (``y`` =
        "dimension" or "area") or for one dimension (``y`` =
        "municipality_code"): columns ``y``, gap, optionally gap_low,
        gap_high and reference.
    y : str, default "dimension"
        The category on the vertical axis.
    {period}
    {lang}
    {ax}
    {source}

    Returns
    -------
    matplotlib.axes.Axes

    Example
    -------
    >>> g = pd.DataFrame({{"dimension": ["Ledning", "Kompetens"], "gap": [0.1, -0.2],
    ...                   "gap_low": [0.0, -0.3], "gap_high": [0.2, -0.1], "reference": "county"}})
    >>> ax = gap_bars(g, ax=plt.figure().add_subplot())
    >>> [round(p.get_width()) for p in ax.patches]  # bottom to top
    [-20, 10]
    """
    check_choice("lang", list(_TEXT), lang)
    _require(gaps, "gaps", [y, "gap"])
    if gaps[y].duplicated().any():
        raise SchemaError(
            f"`gaps` has several rows per {y!r}; filter it to one municipality or one dimension",
            column=y,
            hint='e.g. gaps[gaps["municipality_code"] == "1880"]',
        )
    text = _TEXT[lang]
    data = gaps.copy()
    if y == "municipality_code":
        data = data.sort_values("gap", ascending=True, kind="stable")
        labels = reference.municipality_names(data[y])
    else:
        data = data.set_index(y).loc[_ordered(data[y])[::-1]].reset_index()
        labels = [_label(v, lang) for v in data[y]]
    if ax is None:
        ax = plt.gca()
    gap = data["gap"].to_numpy(float) * 100
    colours = np.where(gap < 0, PALETTE[5], PALETTE[0])
    positions = np.arange(len(data))
    ax.barh(positions, gap, color=colours, height=0.6)
    if {"gap_low", "gap_high"} <= set(data.columns):
        low = data["gap_low"].to_numpy(float) * 100
        high = data["gap_high"].to_numpy(float) * 100
        ok = np.isfinite(low) & np.isfinite(high)
        ax.errorbar(
            gap[ok],
            positions[ok],
            xerr=np.vstack([gap[ok] - low[ok], high[ok] - gap[ok]]),
            fmt="none",
            ecolor="#333333",
            capsize=3,
            linewidth=1,
        )
    ax.axvline(0, color="#333333", linewidth=0.8)
    ax.set_yticks(positions, labels)
    ax.grid(axis="y", visible=False)
    ax.set_xlabel(text["gap"])
    ax.xaxis.set_major_formatter(number_formatter(lang, decimals=0))
    reference_kind = data["reference"].iloc[0] if "reference" in data and len(data) else "county"
    ref = text["reference"].get(str(reference_kind), str(reference_kind))
    title = text["gap_title"].format(ref=ref)
    if (
        y != "municipality_code"
        and "municipality_code" in data
        and data["municipality_code"].nunique() == 1
    ):
        name = reference.municipality_names(data["municipality_code"])[0]
        title = f"{name}: {title[0].lower()}{title[1:]}"
    ax.set_title(with_period(title, period))
    ax.legend(
        handles=[
            mpl.patches.Patch(color=PALETTE[0], label=text["ahead"]),
            mpl.patches.Patch(color=PALETTE[5], label=text["behind"]),
        ],
        loc="lower right",
        frameon=False,
    )
    if source:
        add_source(ax.figure, source, lang=lang)
    return ax


def _spread(values: np.ndarray, width: float = 0.3, step: float = 0.025) -> np.ndarray:
    """Deterministic horizontal offsets that keep near-equal values apart (a simple swarm)."""
    order = np.argsort(values, kind="stable")
    offsets = np.zeros(len(values))
    last_value, k = None, 0
    for i in order:
        v = values[i]
        if last_value is not None and abs(v - last_value) < 2.0:
            k += 1
        else:
            k = 0
        last_value = v
        sign = 1 if k % 2 else -1
        offsets[i] = 0 if k == 0 else sign * min(width, step * ((k + 1) // 2) * 2)
    return offsets


def dispersion_strip(
    scores: pd.DataFrame,
    *,
    x: str = "dimension",
    value: str = "score",
    highlight: str | None = None,
    period: str | int | None = None,
    lang: str = "sv",
    ax=None,
    source: str | None = None,
):
    """Every municipality's score per dimension as dots, the county mean as a bar.

    Parameters
    ----------
    scores : DataFrame
        municipality_code, ``x`` and ``value`` (0–1), one row per pair.
    x : str, default "dimension"
    value : str, default "score"
    highlight : str, optional
        A municipality code (or name) to mark and label.
    {period}
    {lang}
    {ax}
    {source}

    Returns
    -------
    matplotlib.axes.Axes

    Example
    -------
    >>> s = pd.DataFrame({{"municipality_code": ["1880", "1814", "1880", "1814"],
    ...     "dimension": ["Ledning", "Ledning", "Kompetens", "Kompetens"],
    ...     "score": [0.8, 0.4, 0.5, 0.3]}})
    >>> ax = dispersion_strip(s, highlight="1880", ax=plt.figure().add_subplot())
    >>> ax.lines[0].get_ydata().tolist()  # the means, dimension by dimension
    [60.0, 60.0]
    """
    check_choice("lang", list(_TEXT), lang)
    _require(scores, "scores", ["municipality_code", x, value])
    text = _TEXT[lang]
    if ax is None:
        ax = plt.gca()
    categories = _ordered(scores[x])
    code = reference.resolve_municipality(highlight) if highlight is not None else None
    for i, category in enumerate(categories):
        part = scores[scores[x] == category]
        shown = part[value].to_numpy(float) * 100
        ok = np.isfinite(shown)
        offsets = _spread(shown[ok])
        is_hl = (part["municipality_code"] == code).to_numpy()[ok]
        ax.scatter(
            i + offsets[~is_hl],
            shown[ok][~is_hl],
            s=28,
            color=PALETTE[4],
            edgecolor="white",
            linewidth=0.5,
            zorder=2,
        )
        mean = float(np.mean(shown[ok])) if ok.any() else np.nan
        ax.plot([i - 0.35, i + 0.35], [mean, mean], color="#333333", linewidth=2, zorder=3)
        if is_hl.any():
            ax.scatter(
                i + offsets[is_hl],
                shown[ok][is_hl],
                s=60,
                color=PALETTE[5],
                edgecolor="black",
                linewidth=0.8,
                zorder=4,
            )
    ax.set_xticks(range(len(categories)), [_label(c, lang) for c in categories])
    ax.set_xlim(-0.6, len(categories) - 0.4)
    ax.set_ylim(0, 100)
    ax.set_ylabel(text["score"])
    ax.grid(axis="x", visible=False)
    ax.yaxis.set_major_formatter(number_formatter(lang, decimals=0))
    handles = [
        Line2D([], [], marker="o", linestyle="", color=PALETTE[4], label=text["municipality"]),
        Line2D([], [], color="#333333", linewidth=2, label=text["county_mean"]),
    ]
    if code is not None:
        handles.append(
            Line2D(
                [],
                [],
                marker="o",
                linestyle="",
                markersize=8,
                color=PALETTE[5],
                markeredgecolor="black",
                label=reference.municipality_names([code])[0],
            )
        )
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    ax.set_title(with_period(text["dispersion"], period))
    if source:
        add_source(ax.figure, source, lang=lang)
    return ax


def change_dumbbell(
    change: pd.DataFrame,
    *,
    y: str = "municipality_code",
    rounds: tuple[str, str] | None = None,
    lang: str = "sv",
    ax=None,
    source: str | None = None,
):
    """Dumbbells from the first round's score to the second's, one row per ``y``.

    The second round's dot is filled (blue up, orange-red down) when
    ``exceeds_interval`` is True, hollow when the change is within its
    uncertainty.

    Parameters
    ----------
    change : DataFrame
        Output of :func:`maturity.change` with one row per ``y``: score_t0,
        score_t1 and exceeds_interval, direction.
    y : str, default "municipality_code"
    rounds : (str, str), optional
        Legend labels of the two rounds, e.g. ("2018", "2022"); default
        "Omgång 1" and "Omgång 2".
    {lang}
    {ax}
    {source}

    Returns
    -------
    matplotlib.axes.Axes

    Example
    -------
    >>> c = pd.DataFrame({{"municipality_code": ["1880", "1814"], "score_t0": [0.4, 0.3],
    ...     "score_t1": [0.6, 0.32], "exceeds_interval": [True, False],
    ...     "direction": ["up", "none"]}})
    >>> ax = change_dumbbell(c, rounds=("2018", "2022"), ax=plt.figure().add_subplot())
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['Lekeberg', 'Örebro']
    """
    check_choice("lang", list(_TEXT), lang)
    _require(change, "change", [y, "score_t0", "score_t1"])
    text = _TEXT[lang]
    given = rounds
    rounds = rounds or (text["round"].format(n=1), text["round"].format(n=2))
    data = change.sort_values(["score_t1", y], ascending=[True, True], kind="stable")
    if ax is None:
        ax = plt.gca()
    t0 = data["score_t0"].to_numpy(float) * 100
    t1 = data["score_t1"].to_numpy(float) * 100
    positions = np.arange(len(data))
    significant = (
        data["exceeds_interval"].fillna(False).to_numpy(bool)
        if "exceeds_interval" in data
        else np.zeros(len(data), bool)
    )
    down = (t1 < t0) & significant
    ax.hlines(positions, t0, t1, color="#999999", linewidth=2, zorder=1)
    ax.scatter(t0, positions, s=36, color="#999999", zorder=2, label=rounds[0])
    colour = np.where(down, PALETTE[5], PALETTE[0])
    ax.scatter(
        t1[significant],
        positions[significant],
        s=48,
        color=colour[significant],
        zorder=3,
        label=f"{rounds[1]}: {text['significant'].lower()}",
    )
    ax.scatter(
        t1[~significant],
        positions[~significant],
        s=48,
        facecolor="white",
        edgecolor=PALETTE[0],
        linewidth=1.5,
        zorder=3,
        label=f"{rounds[1]}: {text['not_significant'].lower()}",
    )
    labels = (
        reference.municipality_names(data[y])
        if y == "municipality_code"
        else [_label(v, lang) for v in data[y]]
    )
    ax.set_yticks(positions, labels)
    ax.grid(axis="y", visible=False)
    ax.set_xlim(0, 100)
    ax.set_xlabel(text["score"])
    ax.xaxis.set_major_formatter(number_formatter(lang, decimals=0))
    ax.legend(
        loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=3, frameon=False, fontsize="small"
    )
    title = text["change_rounds"].format(first=rounds[0], last=rounds[1]) if given else None
    ax.set_title(title or text["change"])
    if source:
        add_source(ax.figure, source, lang=lang)
    return ax


def development_table(
    areas: pd.DataFrame,
    *,
    max_rows: int | None = None,
    n_items: int = 2,
    period: str | int | None = None,
    lang: str = "sv",
    ax=None,
    source: str | None = None,
):
    """The common development areas (:func:`maturity.development_areas`) as a table figure.

    One row per area in priority order: the dimension (and area when the
    table has one), how many municipalities are below the threshold, the
    weakest indicators and their suggested activities (the shape of a LIKA
    handlingsplan: Område / Målbild / Förslag på aktiviteter).

    Parameters
    ----------
    areas : DataFrame
        Output of :func:`maturity.development_areas`.
    max_rows : int, optional
        Show only the first rows (highest priority).
    n_items : int, default 2
        Weakest indicators (and their activities) shown per row. Give the
        figure about 0.5 inch of height per row and item.
    {period}
    {lang}
    {ax}
    {source}

    Returns
    -------
    matplotlib.axes.Axes

    Example
    -------
    >>> a = pd.DataFrame({{"priority": [1], "dimension": ["Kompetens"], "mean_score": [0.3],
    ...     "n_below": [9], "n_municipalities": [12],
    ...     "weakest_indicators": [("Digital kompetens",)],
    ...     "suggested_activities": [("Utbildning",)]}})
    >>> ax = development_table(a, ax=plt.figure().add_subplot())
    >>> ax.tables[0].get_celld()[(1, 2)].get_text().get_text()
    '9 av 12'
    """
    check_choice("lang", list(_TEXT), lang)
    _require(
        areas,
        "areas",
        ["priority", "n_below", "n_municipalities", "weakest_indicators", "suggested_activities"],
    )
    text = _TEXT[lang]
    data = areas.sort_values("priority", kind="stable")
    if max_rows is not None:
        data = data.head(max_rows)
    keys = [c for c in ("area", "dimension") if c in data.columns]

    def bullets(items, width):
        # Keep positions: the k-th activity belongs to the k-th indicator.
        items = [i for i in list(items or ())[:n_items] if isinstance(i, str)]
        return "\n".join(textwrap.fill("• " + i, width) for i in items)

    rows = []
    for row in data.itertuples(index=False):
        row = row._asdict()
        rows.append(
            [
                str(row["priority"]),
                "\n".join(_label(row[k], lang) for k in keys),
                f"{row['n_below']} {text['of']} {row['n_municipalities']}",
                bullets(row["weakest_indicators"], 40),
                bullets(row["suggested_activities"], 40),
            ]
        )
    if ax is None:
        ax = plt.gca()
    ax.set_axis_off()
    header = text["table"]
    table = ax.table(
        cellText=rows,
        colLabels=header,
        colWidths=[0.05, 0.15, 0.12, 0.34, 0.34],
        cellLoc="left",
        bbox=[0, 0, 1, 1],
    )
    table.auto_set_font_size(False)
    table.set_fontsize(8)
    # Row heights in proportion to their lines of text; the bbox scales them to fit the Axes.
    lines = [max(t.count("\n") + 1 for t in r) for r in [header, *rows]]
    for (r, _c), cell in table.get_celld().items():
        cell.set_height(lines[r] + 0.6)
        cell.set_edgecolor("#cccccc")
        cell.get_text().set_verticalalignment("center")
        if r == 0:
            cell.set_facecolor("#eeeeee")
            cell.get_text().set_fontweight("bold")
    ax.set_title(with_period(text["table_title"], period))
    if source:
        add_source(ax.figure, source, lang=lang)
    return ax


def maturity_map(
    index: pd.DataFrame,
    *,
    value: str = "index",
    county_code: str | None = None,
    period: str | int | None = None,
    lang: str = "sv",
    ax=None,
    source: str | None = None,
):
    """County choropleth of the maturity index (0–100); missing municipalities hatched.

    The colour scale is the whole 0–100 scale in the heatmap's colours, so a colour means the
    same score here as in :func:`maturity_heatmap`.

    Parameters
    ----------
    index : DataFrame
        Output of :func:`maturity.maturity_index` (one row per municipality).
    value : str, default "index"
    {county_code}
    {period}
    {lang}
    {ax}
    {source}

    Returns
    -------
    matplotlib.axes.Axes

    Example
    -------
    >>> i = pd.DataFrame({{"municipality_code": ["1880", "1814"], "index": [0.6, 0.35]}})
    >>> ax = maturity_map(i, county_code="18", ax=plt.figure().add_subplot())
    """
    check_choice("lang", list(_TEXT), lang)
    _require(index, "index", ["municipality_code", value])
    if index["municipality_code"].duplicated().any():
        raise SchemaError(
            "`index` has several rows per municipality (several rounds?); filter it to one round",
            column="municipality_code",
            hint='e.g. index[index["assessed_on"].dt.year == 2022]',
        )
    shown = index.assign(_shown=index[value] * 100)
    return choropleth(
        shown,
        value="_shown",
        ax=ax,
        county_code=county_code,
        lang=lang,
        title=with_period(_TEXT[lang]["map"], period),
        legend_title=_TEXT[lang]["index"],
        decimals=0,
        vmin=0,
        vmax=100,
        names=county_code is not None,
        source=source,
    )


_PARAMS = {
    **_PARAMS,
    "period": "period : str or int, optional\n        The assessment year (or period), written "
    'after the title: "…, 2022".',
}
for _function in (
    maturity_heatmap,
    gap_bars,
    dispersion_strip,
    change_dumbbell,
    development_table,
    maturity_map,
):
    _function.__doc__ = _function.__doc__.format(**_PARAMS)
del _function


# --------------------------------------------------------------------------- figure-level


def _ignore_ax(function: str, ax) -> None:
    if ax is not None:
        warnings.warn(
            f"{function} draws its own figure and returns it; the `ax` passed is ignored. "
            "Use the axes-level function to draw on an Axes of yours.",
            UserWarning,
            stacklevel=3,
        )


def maturity_heatmap_figure(
    scores: pd.DataFrame,
    *,
    order: Sequence[str] | None = None,
    value: str = "score",
    columns: str = "dimension",
    annotate: bool = True,
    period: str | int | None = None,
    lang: str = "sv",
    source: str | None = None,
    ax=None,
):
    """:func:`maturity_heatmap` in a figure of its own, as tall as its municipalities need.

    Parameters
    ----------
    scores, order, value, columns, annotate
        As in :func:`maturity_heatmap`.
    {period}
    {lang}
    {source}
    ax : ignored
        A figure-level function draws its own figure (a warning says so).

    Returns
    -------
    matplotlib.figure.Figure

    Example
    -------
    >>> s = pd.DataFrame({{"municipality_code": ["1880", "1814"], "dimension": "Ledning",
    ...                   "score": [0.4, 0.8]}})
    >>> fig = maturity_heatmap_figure(s, order=["1880", "1814"])
    >>> [t.get_text() for t in fig.axes[0].get_yticklabels()], fig.get_size_inches().tolist()
    (['Örebro', 'Lekeberg'], [7.5, 2.64])
    """
    _ignore_ax("maturity_heatmap_figure", ax)
    _require(scores, "scores", ["municipality_code", columns, value])
    rows = len(order) if order is not None else scores["municipality_code"].nunique()
    fig, axes = plt.subplots(figsize=(7.5, 0.42 * rows + 1.8))
    maturity_heatmap(
        scores,
        value=value,
        columns=columns,
        order=order,
        annotate=annotate,
        period=period,
        lang=lang,
        ax=axes,
        source=source,
    )
    return fig


def gap_panels(
    gaps: pd.DataFrame,
    *,
    order: Sequence[str] | None = None,
    y: str = "dimension",
    ncols: int = 3,
    period: str | int | None = None,
    lang: str = "sv",
    source: str | None = None,
    ax=None,
):
    """Small multiples of :func:`gap_bars`: one panel per municipality, on a shared axis.

    Parameters
    ----------
    gaps : DataFrame
        :func:`maturity.gaps` of several municipalities: municipality_code,
        ``y``, gap, optionally gap_low, gap_high and reference.
    order : sequence of str, optional
        Municipality codes in panel order (left to right, top to bottom),
        e.g. sorted by the maturity index; default by code. Codes without
        rows in ``gaps`` get an empty panel with their name.
    y : str, default "dimension"
        The category on each panel's vertical axis.
    ncols : int, default 3
        Panels per row.
    {period}
    {lang}
    {source}
    ax : ignored
        A figure-level function draws its own figure (a warning says so).

    Returns
    -------
    matplotlib.figure.Figure
        One Axes per municipality titled with its name, then the unused
        Axes of the last row, switched off.

    Example
    -------
    >>> g = pd.DataFrame({{"municipality_code": ["1880", "1880", "1814", "1814"],
    ...     "dimension": ["Ledning", "Kompetens"] * 2, "gap": [0.1, -0.2, -0.1, 0.2]}})
    >>> fig = gap_panels(g, order=["1880", "1814"], ncols=2)
    >>> [ax.get_title() for ax in fig.axes]
    ['Örebro', 'Lekeberg']
    """
    check_choice("lang", list(_TEXT), lang)
    _ignore_ax("gap_panels", ax)
    _require(gaps, "gaps", ["municipality_code", y, "gap"])
    if not isinstance(ncols, int) or isinstance(ncols, bool) or ncols < 1:
        raise ValueError(f"`ncols` must be a whole number of at least 1, but {ncols!r} was passed.")
    codes = list(order) if order is not None else sorted(gaps["municipality_code"].unique())
    if not codes:
        raise SchemaError("`gaps` has no rows to draw", hint="pass the output of maturity.gaps")
    ncols = min(ncols, len(codes))  # one municipality (Gotland) gets one panel, not a third
    nrows = math.ceil(len(codes) / ncols)
    fig, axes = plt.subplots(
        nrows,
        ncols,
        figsize=(11 * ncols / 3 + 1.5 * (ncols < 3), 2.4 * nrows + 1.0),
        sharex=True,
        squeeze=False,
    )
    names = reference.municipality_names(codes)
    for panel, code, name in zip(axes.flat, codes, names, strict=False):
        rows = gaps[gaps["municipality_code"] == code]
        if len(rows):
            gap_bars(rows, y=y, lang=lang, ax=panel)
            panel.get_legend().remove()
            panel.set_xlabel("")
        panel.set_title(name)
    for panel in axes.flat[len(codes) :]:
        panel.set_axis_off()
    text = _TEXT[lang]
    kind = gaps["reference"].iloc[0] if "reference" in gaps and len(gaps) else "county"
    ref = text["reference"].get(str(kind), str(kind))
    fig.suptitle(
        with_period(text["gap_panels"].format(ref=ref), period),
        x=0.01,
        ha="left",
        fontweight="bold",
    )
    height = fig.get_figheight()
    fig.supxlabel(text["gap"], y=0.4 / height, va="bottom")
    handles = [
        mpl.patches.Patch(color=PALETTE[0], label=text["ahead"]),
        mpl.patches.Patch(color=PALETTE[5], label=text["behind"]),
    ]
    if {"gap_low", "gap_high"} <= set(gaps.columns):
        handles.append(
            Line2D([], [], color="#333333", marker="|", markersize=8, label=text["interval"])
        )
    figure_legend(fig, handles, loc="lower center", ncols=len(handles))
    fig.tight_layout(rect=(0, 0.8 / height, 1, 1 - 0.45 / height))
    if source:
        add_source(fig, source, lang=lang)
    return fig


for _function in (maturity_heatmap_figure, gap_panels):
    _function.__doc__ = _function.__doc__.format(**_PARAMS)
del _function
