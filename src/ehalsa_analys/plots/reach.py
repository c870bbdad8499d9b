"""Figures and report pieces of digital reach: the class map, bars, site curve, table, finding.

Each figure takes the tidy output of :mod:`ehalsa_analys.access` (``digital_reach``,
``publishable_reach``, ``choose_sites``) and returns the Axes it drew on; the table and
finding functions return frames and text for the report. Counts of people come only
from :func:`ehalsa_analys.access.publishable_reach`: masked classes are drawn as one
grey "Dolt" segment and written "x".
"""

from __future__ import annotations

from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.colors import ListedColormap
from matplotlib.patches import Patch

from .. import reference
from ..access import REACH_CLASSES
from ..errors import check_choice
from ..formatting import format_number
from ..schemas import require_columns
from .style import PALETTE, add_source, number_formatter, with_period

__all__ = ["REACH_COLOURS", "reach_map", "reach_bars", "sites_curve", "reach_table",
           "reach_findings", "ReachFindings", "closure_text", "sites_text", "reach_source"]

#: Colours of the four classes (Okabe–Ito: far and connected blue, far and not connected
#: vermillion, near pale, unknown grey).
REACH_COLOURS = {"near": "#d8d0b8", "far_connected": PALETTE[0], "far_unconnected": PALETTE[5],
                 "unknown": "#9a9a9a"}
_HIDDEN = "#d9d9d9"
_TEXT = {
    "sv": {
        "near": "Nära (under {t})",
        "far_connected": "Långt bort, uppkopplad",
        "far_unconnected": "Långt bort, inte uppkopplad",
        "unknown": "Långt bort, uppkoppling okänd",
        "hidden": "Dolt (färre än 5)",
        "estimated": "Ljusare: kommunens andel med bredband,\nden troligare klassen",
        "map": "Var e-tjänster kan ersätta resan: {kind}",
        "bars": "Befolkning per klass, {kind}",
        "share": "Andel av befolkningen, %",
        "share_old": "Andel av invånarna 70 år och äldre, %",
        "curve": "Nådda inom {t} av en digital servicepunkt eller {kind}",
        "k": "Antal digitala servicepunkter",
        "people": "Invånare inom räckhåll",
        "people_old": "Invånare 70 år och äldre inom räckhåll",
        "min": "{v} min",
        "km": "{v} km",
        "municipality": "Kommun",
        "group_all": "alla",
        "group_70+": "70+",
        "finding": "I {county} bor {n} invånare {far} från närmaste {kind} utan tillgång till "
                   "bredband om minst {speed}, flest i {names}.",
        "finding_none": "I {county} finns inga redovisningsbara invånare {far} från närmaste "
                        "{kind} utan tillgång till bredband om minst {speed}.",
        "far": "minst {t}",
        "and": "och",
        "closure": "Om {services} läggs ned får {n} fler invånare {far} till närmaste {kind}"
                   "{old}.",
        "closure_old": ", varav {m} är 70 år eller äldre",
        "closure_lost": " {lost} invånare får ingen väg alls dit.",
        "closure_none": "Om {services} läggs ned ändras inte antalet invånare {far} till "
                        "närmaste {kind} med någon redovisningsbar siffra.",
        "sites": "Med {k} digitala servicepunkter når {covered} av {total} {who} en "
                 "servicepunkt eller en {kind} inom {t}, mot {base} utan dem.",
        "who_all": "invånare",
        "who_70+": "invånare 70 år och äldre",
        "source": "PTS bredbandskartläggning",
        "source_synthetic": "bredband SYNTETISKT i PTS format",
    },
    "en": {
        "near": "Near (under {t})",
        "far_connected": "Far, connected",
        "far_unconnected": "Far, not connected",
        "unknown": "Far, connection unknown",
        "hidden": "Hidden (fewer than 5)",
        "estimated": "Lighter: the municipality's share with\nbroadband, the likelier class",
        "map": "Where e-services can replace the trip: {kind}",
        "bars": "Population by class, {kind}",
        "share": "Share of the population, %",
        "share_old": "Share of residents aged 70 and over, %",
        "curve": "Reached within {t} of a digital service point or a {kind}",
        "k": "Number of digital service points",
        "people": "Residents within reach",
        "people_old": "Residents aged 70 and over within reach",
        "min": "{v} min",
        "km": "{v} km",
        "municipality": "Municipality",
        "group_all": "all",
        "group_70+": "70+",
        "finding": "In {county}, {n} residents live {far} from the nearest {kind} without "
                   "access to broadband of at least {speed}, most of them in {names}.",
        "finding_none": "In {county}, no publishable number of residents live {far} from the "
                        "nearest {kind} without access to broadband of at least {speed}.",
        "far": "{t} or more",
        "and": "and",
        "closure": "If {services} closes, {n} more residents live {far} from the nearest "
                   "{kind}{old}.",
        "closure_old": ", {m} of them aged 70 or over",
        "closure_lost": " {lost} residents are left with no route there at all.",
        "closure_none": "If {services} closes, the number of residents {far} from the nearest "
                        "{kind} changes by no publishable figure.",
        "sites": "With {k} digital service points, {covered} of {total} {who} reach a service "
                 "point or a {kind} within {t}, against {base} without them.",
        "who_all": "residents",
        "who_70+": "residents aged 70 and over",
        "source": "PTS broadband mapping",
        "source_synthetic": "broadband SYNTHETIC in PTS' layout",
    },
}


def _kind_name(kind: str, lang: str) -> str:
    from .access import KIND_NAMES

    return KIND_NAMES[lang].get(kind, kind)


def _threshold_text(t: float, unit: str, lang: str) -> str:
    return _TEXT[lang][unit].format(v=format_number(t, lang=lang))


def _one(data: pd.DataFrame, column: str, value, name: str):
    """Rows with ``column == value``; ``value`` None means the only one (else the smallest)."""
    values = sorted(v.item() if isinstance(v, np.generic) else v for v in pd.unique(data[column]))
    if value is None:
        if column == "threshold" and len(values) > 1:
            value = 10.0 if 10.0 in values else values[0]
        elif len(values) > 1:
            raise ValueError(f"`{name}` holds several {column}s {values}; choose one with "
                             f"{column}=.")
        else:
            value = values[0]
    if value not in values:
        raise ValueError(
            f"The value for `{column}` must be one of {values}, but {value!r} was passed.")
    return data[data[column] == value], value


def reach_map(
    reach: pd.DataFrame,
    *,
    cells,
    threshold: float | None = None,
    cell_size: float | None = None,
    county_code: str | None = None,
    title: str | None = None,
    period: str | None = None,
    lang: str = "sv",
    ax=None,
    source: str | None = None,
):
    """Map of the four classes, squares drawn as a raster of ``cell_size`` metres.

    A square is drawn in its likeliest class (:func:`access.digital_reach`'s
    ``reach``); squares whose connection is only the municipality's share
    (a probability) are drawn lighter, and the legend says so.

    Parameters
    ----------
    reach : DataFrame
        :func:`access.digital_reach` (cell_id, threshold, unit, kind, reach).
    cells : GeoDataFrame
        The population squares (cell_id, point geometry at each square's centre).
    threshold : float, optional
        Which threshold (default 10 when there, else the smallest).
    cell_size : float, optional
        Side of the squares in metres (250 for Pipos' squares); default the
        smallest spacing between the squares' centres.
    county_code : str, optional
        Draws the county's municipalities beneath and limits the map to them.
    title : str, optional
        Default "Var e-tjänster kan ersätta resan: vårdcentral"; "" for none.
    period : str, optional
        Written after the default title, e.g. "befolkning 2025, bredband 2024".
    lang, ax, source
        As every figure: language, the Axes to draw on, the source line.

    Returns
    -------
    matplotlib.axes.Axes

    Example
    -------
    >>> import geopandas as gpd
    >>> c = gpd.GeoDataFrame({"cell_id": ["a", "b"]},
    ...     geometry=gpd.points_from_xy([515500, 517500], [6566500, 6566500]), crs=3006)
    >>> r = pd.DataFrame({"cell_id": ["a", "b"], "threshold": 10.0, "unit": "min",
    ...     "kind": "apotek", "reach": ["near", "far_unconnected"]})
    >>> ax = reach_map(r, cells=c, cell_size=1000, ax=plt.figure().add_subplot())
    >>> image = ax.images[0].get_array()
    >>> image.shape, sorted(int(v) for v in image.compressed())
    ((1, 3), [0, 2])
    """
    check_choice("lang", list(_TEXT), lang)
    require_columns(reach, "reach", ["cell_id", "threshold", "unit", "kind", "reach"],
                    hint="pass the output of access.digital_reach")
    require_columns(cells, "cells", ["cell_id", "geometry"])
    if cell_size is not None and not cell_size > 0:
        raise ValueError(f"`cell_size` must be positive, but {cell_size!r} was passed.")
    text = _TEXT[lang]
    rows, threshold = _one(reach, "threshold", threshold, "reach")
    if ax is None:
        ax = plt.gca()
    points = pd.Series(cells.geometry.to_numpy(), index=cells["cell_id"].astype(str).to_numpy())
    geometry = points.reindex(rows["cell_id"].astype(str).to_numpy())
    if geometry.isna().any():
        missing = rows["cell_id"].astype(str).to_numpy()[geometry.isna().to_numpy()][0]
        raise ValueError(f"`cells` has no cell_id {missing!r} of `reach`.")
    x = np.array([p.x for p in geometry.to_numpy()])
    y = np.array([p.y for p in geometry.to_numpy()])
    code = pd.Categorical(rows["reach"].astype(str), REACH_CLASSES).codes
    if county_code is not None:
        shapes = reference.geometries("municipality", county_code=county_code)
        shapes.plot(ax=ax, facecolor="#f7f7f7", edgecolor="#999999", linewidth=0.4, zorder=1)
    if cell_size is None:
        steps = np.diff(np.unique(x)) if len(np.unique(x)) > 1 else np.diff(np.unique(y))
        cell_size = float(steps.min()) if len(steps) else 1000.0
    if len(x):
        x0, y0 = np.floor(x.min() / cell_size) * cell_size, np.floor(y.min() / cell_size) * \
            cell_size
        ix = np.floor((x - x0) / cell_size).astype(int)
        iy = np.floor((y - y0) / cell_size).astype(int)
        from_municipality = (
            (rows["broadband_source"].astype(str) == "municipality").to_numpy()
            if "broadband_source" in rows else np.zeros(len(rows), dtype=bool)
        )
        estimated = from_municipality & (code > 0)  # near needs no connection
        cmap = ListedColormap([REACH_COLOURS[c] for c in REACH_CLASSES])
        extent = None
        # Squares with their own connection in full colour, those given the municipality's
        # share (the class is only the likelier one) lighter.
        for part, alpha in ((~estimated, 1.0), (estimated, 0.45)):
            grid = np.full((iy.max() + 1, ix.max() + 1), -1)
            grid[iy[part], ix[part]] = code[part]
            extent = (x0, x0 + grid.shape[1] * cell_size, y0, y0 + grid.shape[0] * cell_size)
            if part.any():
                ax.imshow(np.ma.masked_less(grid, 0), cmap=cmap, vmin=-0.5,
                          vmax=len(REACH_CLASSES) - 0.5, extent=extent, origin="lower",
                          interpolation="nearest", alpha=alpha, zorder=2)
    unit = str(rows["unit"].iloc[0]) if len(rows) else "min"
    t = _threshold_text(threshold, unit, lang)
    handles = [Patch(facecolor=REACH_COLOURS[c], label=text[c].format(t=t))
               for c in REACH_CLASSES]
    if "broadband_source" in rows and (rows["broadband_source"] == "municipality").any():
        handles.append(Patch(facecolor=REACH_COLOURS["far_connected"], alpha=0.45,
                             label=text["estimated"]))
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False,
              fontsize="small")
    ax.set_axis_off()
    ax.set_aspect("equal")
    kind = str(rows["kind"].iloc[0]) if len(rows) else ""
    if title is None:
        title = with_period(text["map"].format(kind=_kind_name(kind, lang)), period)
    if title:
        ax.set_title(title)
    if source:
        add_source(ax.figure, source, lang=lang)
    return ax


def _wide(published: pd.DataFrame, group: str, threshold) -> tuple[pd.DataFrame, float, str]:
    require_columns(published, "published",
                    ["municipality_code", "kind", "threshold", "unit", "group", "class",
                     "people"], hint="pass the output of access.publishable_reach")
    rows, threshold = _one(published, "threshold", threshold, "published")
    rows, _ = _one(rows, "kind", None, "published")
    check_choice("group", sorted(pd.unique(rows["group"])), group)
    rows = rows[rows["group"] == group]
    wide = rows.pivot_table(index="municipality_code", columns="class", values="people",
                            aggfunc="first", dropna=False)
    wide = wide.reindex(columns=list(REACH_CLASSES))
    unit = str(rows["unit"].iloc[0])
    return wide, threshold, unit


def reach_bars(
    published: pd.DataFrame,
    *,
    threshold: float | None = None,
    group: str = "all",
    period: str | None = None,
    lang: str = "sv",
    ax=None,
    source: str | None = None,
):
    """Stacked bars per municipality: the share of its people in each of the four classes.

    Municipalities with the largest share far and not connected are at the
    top. Masked classes (people NaN) are drawn together as one grey hatched
    segment at the end of the bar, up to the area's published ``total``;
    an area whose total is masked is one grey bar.

    Parameters
    ----------
    published : DataFrame
        :func:`access.publishable_reach` of one kind.
    threshold : float, optional
        Default 10 when there, else the smallest.
    group : {"all", "70+"}, default "all"
    period : str, optional
        Written after the title, as in :func:`reach_map`.
    lang, ax, source
        As every figure.

    Returns
    -------
    matplotlib.axes.Axes

    Example
    -------
    >>> p = pd.DataFrame({"municipality_code": "1880", "kind": "apotek", "threshold": 10.0,
    ...     "unit": "min", "group": "all", "class": list(REACH_CLASSES),
    ...     "people": [60.0, 30.0, float("nan"), float("nan")], "total": 100.0})
    >>> ax = reach_bars(p, ax=plt.figure().add_subplot())
    >>> [round(float(b.get_width()), 1) for b in ax.patches]
    [60.0, 30.0, 0.0, 0.0, 10.0]
    """
    check_choice("lang", list(_TEXT), lang)
    text = _TEXT[lang]
    wide, threshold, unit = _wide(published, group, threshold)
    if ax is None:
        ax = plt.gca()
    hidden = wide.isna()
    known = wide.fillna(0)
    total = known.sum(axis=1)
    if hidden.any(axis=None):
        # The whole of an area is its people; masked classes hold the rest of the bar.
        require_columns(published, "published", ["total"],
                        hint="pass the output of access.publishable_reach")
        rows = published[(published["group"] == group)
                         & (published["threshold"] == threshold)]
        whole = rows.groupby("municipality_code")["total"].first().reindex(total.index)
        total = whole.where(hidden.any(axis=1), total)
    share = known.div(total.where(total > 0), axis=0).fillna(0) * 100
    all_hidden = hidden.all(axis=1) | total.isna()
    share = share.sort_values(["far_unconnected", "unknown"], ascending=True, kind="stable")
    hidden = hidden.loc[share.index]
    positions = np.arange(len(share), dtype=float)
    left = np.zeros(len(share))
    t = _threshold_text(threshold, unit, lang)
    for name in REACH_CLASSES:
        ax.barh(positions, share[name].to_numpy(), left=left, color=REACH_COLOURS[name],
                height=0.7, label=text[name].format(t=t))
        left += share[name].to_numpy()
    if hidden.any(axis=None):
        rest = np.where(hidden.any(axis=1), 100 - left, 0.0)
        rest = np.where(all_hidden.loc[share.index], 100.0, rest)
        ax.barh(positions, rest, left=left, color=_HIDDEN, hatch="xx", edgecolor="white",
                linewidth=0, height=0.7, label=text["hidden"])
    names = reference.municipality_names(list(share.index))
    ax.set_yticks(positions, names)
    ax.set_xlim(0, 100)
    ax.set_xlabel(text["share"] if group == "all" else text["share_old"])
    ax.xaxis.set_major_formatter(number_formatter(lang, decimals=0))
    ax.grid(axis="y", visible=False)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize="small")
    kind = str(published["kind"].iloc[0])
    ax.set_title(with_period(text["bars"].format(kind=_kind_name(kind, lang)), period))
    if source:
        add_source(ax.figure, source, lang=lang)
    return ax


def sites_curve(
    curve: pd.DataFrame,
    *,
    base: float = 0.0,
    threshold: float,
    unit: str = "min",
    kind: str = "vårdcentral",
    weight: str = "all",
    limit: int = 5,
    period: str | None = None,
    lang: str = "sv",
    ax=None,
    source: str | None = None,
):
    """People within reach against the number of digital service points (diminishing returns).

    Parameters
    ----------
    curve : DataFrame
        :attr:`access.SiteChoice.curve` (k, covered).
    base : float, default 0
        People the real services reach alone, drawn at k = 0.
    threshold : float
        The covering bound, for the title.
    unit : {"min", "km"}
    kind : str
        The real service's kind, for the title.
    weight : {"all", "70+"}, default "all"
        Whom the curve counts (the axis label says so).
    limit : int, default 5
        A step of 1 to ``limit − 1`` people between neighbouring points would
        say how many live near one site: such a point is drawn with the next
        one (:func:`ehalsa_analys.disclosure.coarsen_steps`).
    period : str, optional
        The population's year, written after the title ("befolkning 2025").
    lang, ax, source
        As every figure.

    Returns
    -------
    matplotlib.axes.Axes

    Example
    -------
    >>> c = pd.DataFrame({"k": [1, 2, 3], "covered": [120.0, 150.0, 152.0]})
    >>> ax = sites_curve(c, base=100, threshold=20, ax=plt.figure().add_subplot())
    >>> ax.lines[0].get_xydata().tolist()
    [[0.0, 100.0], [1.0, 120.0], [2.0, 152.0]]
    """
    from ..disclosure import coarsen_steps

    check_choice("lang", list(_TEXT), lang)
    check_choice("unit", ["min", "km"], unit)
    check_choice("weight", ["all", "70+"], weight)
    require_columns(curve, "curve", ["k", "covered"], hint="pass SiteChoice.curve")
    text = _TEXT[lang]
    if ax is None:
        ax = plt.gca()
    k = np.r_[0, curve["k"].to_numpy(float)]
    covered = np.r_[base, curve["covered"].to_numpy(float)]
    keep = np.r_[True, coarsen_steps(np.diff(covered), limit=limit)] if len(covered) > 1 \
        else np.array([True])
    shown = covered[keep].copy()
    shown[-1] = covered[-1]  # the last point drawn carries the total (coarsen_steps)
    ax.plot(k[keep], shown, marker="o", color=PALETTE[0])
    ax.set_xlabel(text["k"])
    ax.set_ylabel(text["people" if weight == "all" else "people_old"])
    ax.yaxis.set_major_formatter(number_formatter(lang))
    ax.set_xticks(k)
    t = _threshold_text(threshold, unit, lang)
    ax.set_title(with_period(text["curve"].format(t=t, kind=_kind_name(kind, lang)), period))
    if source:
        add_source(ax.figure, source, lang=lang)
    return ax


def reach_table(
    published: pd.DataFrame,
    *,
    threshold: float | None = None,
    lang: str = "sv",
) -> pd.DataFrame:
    """The four-class counts per municipality for the report's profiles, as text.

    Returns
    -------
    DataFrame
        One row per municipality: its name, then for all and for 70+ each
        class's people written Swedish style ("12 345"; "x" where masked).

    Example
    -------
    >>> p = pd.DataFrame({"municipality_code": "1880", "kind": "apotek", "threshold": 10.0,
    ...     "unit": "min", "group": "all", "class": list(REACH_CLASSES),
    ...     "people": [12345.0, 30.0, float("nan"), float("nan")]})
    >>> reach_table(p).iloc[0].tolist()
    ['Örebro', '12\\xa0345', '30', 'x', 'x']
    """
    check_choice("lang", list(_TEXT), lang)
    text = _TEXT[lang]
    rows, threshold = _one(published, "threshold", threshold, "published")
    out = None
    for group in [g for g in ("all", "70+") if g in set(rows["group"])]:
        wide, _, unit = _wide(rows, group, threshold)
        t = _threshold_text(threshold, unit, lang)
        labels = {c: text[c].format(t=t) + ("" if group == "all" else f" ({text['group_70+']})")
                  for c in REACH_CLASSES}
        shown = wide.apply(lambda s: s.map(lambda v: "x" if pd.isna(v) else format_number(
            v, decimals=0, lang=lang))).rename(columns=labels)
        out = shown if out is None else out.join(shown)
    names = reference.municipality_names(list(out.index))
    out.insert(0, text["municipality"], names)
    out.columns.name = None
    return out.reset_index(drop=True)


@dataclass(frozen=True)
class ReachFindings:
    """What the report says about digital reach.

    Attributes
    ----------
    table : DataFrame
        :func:`access.publishable_reach` rows of the threshold, wide: one row
        per municipality, the four classes' people for all and 70+ (NaN masked).
    top : DataFrame
        The municipalities with the most (published) people far and not
        connected: municipality_code, municipality, people.
    text : str
        One sentence in the language asked for.
    """

    table: pd.DataFrame
    top: pd.DataFrame
    text: str


def reach_findings(
    published: pd.DataFrame,
    *,
    county_code: str,
    threshold: float | None = None,
    speed_mbit: int = 100,
    n: int = 3,
    lang: str = "sv",
) -> ReachFindings:
    """The four-class counts per municipality and the places most far away and unconnected.

    Only published (unmasked) counts are summed and named; the county's
    number is the sum of the published far-and-unconnected counts, so it
    never gives a masked count back.

    Example
    -------
    >>> p = pd.DataFrame({"municipality_code": ["1880"] * 4 + ["1814"] * 4, "kind": "apotek",
    ...     "threshold": 10.0, "unit": "min", "group": "all",
    ...     "class": list(REACH_CLASSES) * 2,
    ...     "people": [900.0, 60.0, 40.0, 0.0, 100.0, 50.0, 120.0, 0.0]})
    >>> f = reach_findings(p, county_code="18")
    >>> f.top["municipality"].tolist()
    ['Lekeberg', 'Örebro']
    >>> f.text
    'I Örebro län bor 160 invånare minst 10 min från närmaste apotek utan tillgång till \
bredband om minst 100 Mbit/s, flest i Lekeberg och Örebro.'
    """
    check_choice("lang", list(_TEXT), lang)
    text = _TEXT[lang]
    rows, threshold = _one(published, "threshold", threshold, "published")
    tables = {}
    for group in [g for g in ("all", "70+") if g in set(rows["group"])]:
        wide, _, unit = _wide(rows, group, threshold)
        tables[group] = wide.add_suffix("" if group == "all" else "_70plus")
    table = pd.concat(tables.values(), axis=1).reset_index()
    far = table[["municipality_code", "far_unconnected"]].dropna()
    far = far[far["far_unconnected"] > 0].sort_values(
        ["far_unconnected", "municipality_code"], ascending=[False, True]).head(n)
    top = pd.DataFrame({
        "municipality_code": far["municipality_code"].to_numpy(),
        "municipality": reference.municipality_names(list(far["municipality_code"])),
        "people": far["far_unconnected"].to_numpy(),
    })
    county = reference.counties().set_index("county_code").loc[county_code, "county"]
    kind = _kind_name(str(rows["kind"].iloc[0]), lang)
    speed = f"{format_number(speed_mbit / 1000, lang=lang)} Gbit/s" if speed_mbit >= 1000 \
        else f"{speed_mbit} Mbit/s"
    span = text["far"].format(t=_threshold_text(threshold, unit, lang))
    total = table["far_unconnected"].dropna().sum()
    if len(top):
        names = list(top["municipality"])
        joined = names[0] if len(names) == 1 else (
            ", ".join(names[:-1]) + f" {text['and']} {names[-1]}")
        sentence = text["finding"].format(county=county, n=format_number(total, decimals=0,
                                                                           lang=lang),
                                          far=span, kind=kind, speed=speed, names=joined)
    else:
        sentence = text["finding_none"].format(county=county, far=span, kind=kind, speed=speed)
    return ReachFindings(table=table, top=top, text=sentence)


def closure_text(
    published: pd.DataFrame,
    *,
    threshold: float,
    unit: str = "min",
    services,
    lang: str = "sv",
) -> str:
    """One sentence on a closure: how many more live beyond ``threshold`` (published counts).

    Sums the published ``change_<t><unit>`` of :func:`access.publishable_closure`
    over the municipalities (masked ones left out, so the sum gives none back).

    Example
    -------
    >>> t = pd.DataFrame({"municipality_code": ["1880", "1880"], "kind": "vårdcentral",
    ...     "group": ["all", "70+"], "change_10min": [120.0, 40.0], "lost_route": 0.0})
    >>> closure_text(t, threshold=10, services="Vårdcentralen Norr")
    'Om Vårdcentralen Norr läggs ned får 120 fler invånare minst 10 min till närmaste \
vårdcentral, varav 40 är 70 år eller äldre.'
    """
    check_choice("lang", list(_TEXT), lang)
    check_choice("unit", ["min", "km"], unit)
    text = _TEXT[lang]
    if not isinstance(services, str):
        names = [str(v) for v in services]
        services = names[0] if len(names) == 1 else ", ".join(names[:-1]) + f" {text['and']} " \
            + names[-1]
    column = f"change_{format(threshold, 'g')}{unit}"
    require_columns(published, "published", ["kind", "group", column],
                    hint="pass access.publishable_closure with this threshold")
    kind = _kind_name(str(published["kind"].iloc[0]), lang)
    far = text["far"].format(t=_threshold_text(threshold, unit, lang))
    everyone = published.loc[published["group"] == "all", column].dropna()
    old = published.loc[published["group"] == "70+", column].dropna()
    n = float(everyone.sum())
    if not len(everyone) or n <= 0:
        return text["closure_none"].format(services=services, far=far, kind=kind)
    extra = text["closure_old"].format(m=format_number(old.sum(), decimals=0, lang=lang)) \
        if len(old) and old.sum() > 0 else ""
    sentence = text["closure"].format(services=services, n=format_number(n, decimals=0,
                                                                          lang=lang),
                                      far=far, kind=kind, old=extra)
    if "lost_route" in published:
        lost = published.loc[published["group"] == "all", "lost_route"].dropna().sum()
        if lost > 0:
            sentence += text["closure_lost"].format(lost=format_number(lost, decimals=0,
                                                                       lang=lang))
    return sentence


def sites_text(choice, *, threshold: float, unit: str = "min", kind: str, weight: str = "all",
               limit: int = 5, lang: str = "sv") -> str:
    """One sentence on the site choice: people reached with the most sites, against none.

    Counts are rounded to whole people; a gain of 1 to ``limit − 1`` people
    over the existing services is not written (the sentence then names the
    people reached without the sites only).

    Example
    -------
    >>> from types import SimpleNamespace
    >>> c = SimpleNamespace(curve=pd.DataFrame({"k": [1, 2], "covered": [900.0, 950.4]}),
    ...     base=800.0, total=1000.0)
    >>> sites_text(c, threshold=20, kind="vårdcentral", weight="70+")
    'Med 2 digitala servicepunkter når 950 av 1\xa0000 invånare 70 år och äldre en \
servicepunkt eller en vårdcentral inom 20 min, mot 800 utan dem.'
    """
    check_choice("lang", list(_TEXT), lang)
    check_choice("weight", ["all", "70+"], weight)
    text = _TEXT[lang]
    last = choice.curve.iloc[-1]
    covered = round(float(last["covered"]))
    base = round(float(choice.base))
    if 1 <= covered - base < limit:
        covered = base
    return text["sites"].format(
        k=int(last["k"]), covered=format_number(covered, decimals=0, lang=lang),
        total=format_number(round(choice.total), decimals=0, lang=lang),
        who=text[f"who_{weight}"], kind=_kind_name(kind, lang),
        t=_threshold_text(threshold, unit, lang),
        base=format_number(base, decimals=0, lang=lang))


def reach_source(source: str, *, synthetic: bool, lang: str = "sv") -> str:
    """The figures' source line with the broadband source added.

    Example
    -------
    >>> reach_source("Befolkning, service och vägar", synthetic=False)
    'Befolkning, service och vägar; PTS bredbandskartläggning'
    """
    check_choice("lang", list(_TEXT), lang)
    extra = _TEXT[lang]["source_synthetic" if synthetic else "source"]
    return f"{source}; {extra}" if source else extra
