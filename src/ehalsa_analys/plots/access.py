"""Figures of distance to service: cell maps, class bars, cumulative curves, scores, savings.

Each takes the tidy output of :mod:`ehalsa_analys.access` and returns the Axes it drew on.
Distances in metres are shown in km and times in seconds in minutes; values are coloured with
``cividis`` (reversed for distances, so far is dark), lines with the Okabe–Ito palette.
"""

from __future__ import annotations

import math
import warnings

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import shapely
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from .. import reference
from ..disclosure import coarsen_steps
from ..errors import SchemaError, check_choice
from ..schemas import require_columns
from .maps import label_municipalities
from .style import (
    _PARAMS,
    PALETTE,
    SEQUENTIAL,
    add_source,
    colour_bar,
    figure_legend,
    format_number,
    nice_limits,
    number_formatter,
    with_period,
)

__all__ = [
    "cell_map",
    "score_map",
    "class_bars",
    "cumulative_curves",
    "cumulative_panels",
    "savings_bars",
    "label_municipalities",
    "distance_scale",
    "KIND_NAMES",
]

_TEXT = {
    "sv": {
        "km": "Avstånd, km",
        "min": "Restid med bil, minuter",
        "share": "Andel av befolkningen, %",
        "cumulative": "Andel av befolkningen inom avståndet, %",
        "services": "Servicepunkter",
        "savings": "Sparade kilometer och timmar per månad",
        "km_saved": "Sparade km per månad",
        "hours": "tim",
        "per": "per {per} invånare",
        "municipality": "Kommunen",
        "county": "Hela länet",
        "missing": "Nås inte via vägnätet",
        "score": "Kapacitet per {per} invånare inom räckhåll",
        "score_title": "Tillgänglighet (2SFCA)",
        "reference": "Pipos (tunn stapel)",
        "hidden": "Dolt (färre än 5 i en klass)",
        "under": "under {hi}",
        "over": "över {lo}",
        "between": "{lo}–{hi}",
    },
    "en": {
        "km": "Distance, km",
        "min": "Travel time by car, minutes",
        "share": "Share of the population, %",
        "cumulative": "Share of the population within the distance, %",
        "services": "Service points",
        "savings": "Kilometres and hours saved per month",
        "km_saved": "Km saved per month",
        "hours": "h",
        "per": "per {per} inhabitants",
        "municipality": "The municipality",
        "county": "The whole county",
        "missing": "Not reachable by road",
        "score": "Capacity per {per} residents within reach",
        "score_title": "Accessibility (2SFCA)",
        "reference": "Pipos (thin bar)",
        "hidden": "Hidden (fewer than 5 in a class)",
        "under": "under {hi}",
        "over": "over {lo}",
        "between": "{lo}–{hi}",
    },
}
#: Names of the service kinds in titles ("Restid till närmaste apotek").
KIND_NAMES = {
    "sv": {
        "dagligvaror": "dagligvarubutik",
        "apotek": "apotek",
        "vårdcentral": "vårdcentral",
        "hemtjänst": "hemtjänstens utgångspunkt",
        "drivmedel": "drivmedelsstation",
        "post": "postombud",
        "kontantuttag": "kontantuttag",
    },
    "en": {
        "dagligvaror": "grocery store",
        "apotek": "pharmacy",
        "vårdcentral": "health centre",
        "hemtjänst": "home-care base",
        "drivmedel": "fuel station",
        "post": "postal service point",
        "kontantuttag": "cash withdrawal",
    },
}
_TITLE = {
    "sv": {"km": "Avstånd till närmaste {kind}", "min": "Restid till närmaste {kind}"},
    "en": {"km": "Distance to the nearest {kind}", "min": "Travel time to the nearest {kind}"},
}
#: Titles of the class bars and the curves by unit, with and without a kind.
_FIGURE_TITLE = {
    "sv": {
        "classes": {"km": "Befolkning per avståndsklass", "min": "Befolkning per restidsklass"},
        "curves": {
            "km": "Andel av befolkningen inom ett visst avstånd",
            "min": "Andel av befolkningen inom en viss restid",
        },
        "kind": " till närmaste {kind}",
    },
    "en": {
        "classes": {"km": "Population by distance class", "min": "Population by travel-time class"},
        "curves": {
            "km": "Share of the population within a given distance",
            "min": "Share of the population within a given travel time",
        },
        "kind": " to the nearest {kind}",
    },
}
_SCALE = {"m": (1000.0, "km"), "s": (60.0, "min")}
#: At most this many colours in one panel without direct labels.
_MAX_COLOURS = 6
_MISSING = "#bbbbbb"


def _figure_title(figure: str, unit: str, data: pd.DataFrame, kind: str | None, lang: str):
    """ "Befolkning per restidsklass till närmaste apotek": the figure, the unit and the kind."""
    words = _FIGURE_TITLE[lang]
    title = words[figure].get(unit, words[figure]["km"])
    shown = kind or (
        str(data["kind"].iloc[0]) if "kind" in data and data["kind"].nunique() == 1 else None
    )
    if shown is not None:
        title += words["kind"].format(kind=KIND_NAMES[lang].get(shown, shown))
    return title


def _service_label(kind: str | None, lang: str) -> str | None:
    """The legend entry of a kind's service points ("Dagligvarubutik"), None for no kind."""
    if kind is None:
        return None
    name = KIND_NAMES[lang].get(kind, kind)
    return name[:1].upper() + name[1:]


def _names(codes) -> list[str]:
    table = reference.municipalities().set_index("municipality_code")["municipality"]
    return [table.get(c, c) for c in codes]


def _one_kind(data: pd.DataFrame, kind: str | None, name: str) -> pd.DataFrame:
    """Rows of one kind: ``kind`` when given, else the only kind in ``data``."""
    if "kind" not in data:
        return data
    kinds = sorted(pd.unique(data["kind"].astype(str)))
    if kind is None:
        if len(kinds) > 1:
            raise ValueError(
                f"`{name}` holds the kinds {kinds}; choose one with kind=, e.g. kind={kinds[0]!r}."
            )
        return data
    check_choice("kind", kinds, kind)
    return data[data["kind"].astype(str) == kind]


def _with_geometry(data, cells, name: str):
    """``data`` as points: its own geometry, or the cells' joined on cell_id."""
    if cells is None:
        require_columns(data, name, ["geometry"], hint="pass cells= to take the points from")
        return data.geometry.x.to_numpy(float), data.geometry.y.to_numpy(float)
    require_columns(data, name, ["cell_id"])
    require_columns(cells, "cells", ["cell_id", "geometry"])
    points = pd.Series(cells.geometry.to_numpy(), index=cells["cell_id"].astype(str).to_numpy())
    joined = points.reindex(data["cell_id"].astype(str).to_numpy())
    if joined.isna().any():
        missing = data["cell_id"].astype(str).to_numpy()[joined.isna().to_numpy()][0]
        raise ValueError(f"`cells` has no cell_id {missing!r} of `{name}`.")
    points = joined.to_numpy()
    return shapely.get_x(points).astype(float), shapely.get_y(points).astype(float)


def _cell_size(x: np.ndarray, y: np.ndarray, cell_size: float | None) -> float:
    """The grid's square size: ``cell_size``, else the smallest spacing of the centres (1 km)."""
    if cell_size is not None:
        if not cell_size > 0:
            raise ValueError(f"`cell_size` must be positive, but {cell_size!r} was passed.")
        return float(cell_size)
    steps = [np.diff(np.unique(v)) for v in (x, y) if len(np.unique(v)) > 1]
    steps = [s[s > 0].min() for s in steps if (s > 0).any()]
    return float(min(steps)) if steps else 1000.0


def _raster(x, y, values, size):
    """Cell centres on a regular grid as an image array (NaN where no cell) and its extent."""
    col = np.rint((x - x.min()) / size).astype(int)
    row = np.rint((y - y.min()) / size).astype(int)
    image = np.full((row.max() + 1, col.max() + 1), np.nan)
    image[row, col] = values
    left, bottom = x.min() - size / 2, y.min() - size / 2
    extent = (left, left + image.shape[1] * size, bottom, bottom + image.shape[0] * size)
    return image, extent


def _cell_raster(
    x,
    y,
    values,
    *,
    cmap,
    label,
    services,
    county_code,
    vmax,
    lang,
    ax,
    source,
    missing,
    cell_size,
    names,
    services_label=None,
):
    text = _TEXT[lang]
    if ax is None:
        ax = plt.gca()
    shapes = reference.geometries("municipality", county_code=county_code)
    shapes.plot(ax=ax, facecolor="#f4f4f4", edgecolor="none", linewidth=0)
    ok = np.isfinite(values)
    handles = []
    norm, _bar = colour_bar(
        ax,
        values[ok],
        cmap=cmap,
        label=label,
        vmin=0,
        vmax=vmax,
        clip_percentile=None if vmax is not None else 98,
        lang=lang,
    )
    if len(x):
        size = _cell_size(x, y, cell_size)
        image, extent = _raster(x, y, np.where(ok, values, np.nan), size)
        ax.imshow(
            np.ma.masked_invalid(image),
            cmap=cmap,
            norm=norm,
            extent=extent,
            origin="lower",
            interpolation="nearest",
            zorder=2,
        )
        if missing and (~ok).any():
            flags, extent = _raster(x, y, np.where(ok, np.nan, 1.0), size)
            ax.imshow(
                np.ma.masked_invalid(flags),
                cmap=mpl.colors.ListedColormap([_MISSING]),
                extent=extent,
                origin="lower",
                interpolation="nearest",
                zorder=2,
            )
            handles.append(Patch(facecolor=_MISSING, label=text["missing"]))
    shapes.boundary.plot(ax=ax, color="#666666", linewidth=0.5, zorder=3)
    if services is not None and len(services):
        minx, miny, maxx, maxy = shapes.total_bounds
        shown = services.cx[minx:maxx, miny:maxy]  # only those on the map
        ax.scatter(
            shown.geometry.x,
            shown.geometry.y,
            facecolor=PALETTE[5],
            edgecolor="white",
            marker="^",
            s=22,
            linewidths=0.5,
            zorder=4,
        )
        handles.insert(
            0,
            Line2D(
                [],
                [],
                marker="^",
                linestyle="",
                markerfacecolor=PALETTE[5],
                markeredgecolor="white",
                markersize=7,
                label=services_label or text["services"],
            ),
        )
    ax.set_axis_off()
    ax.set_aspect("equal")
    if handles:
        ax.legend(
            handles=handles,
            loc="upper left",
            bbox_to_anchor=(0.0, 0.0),
            frameon=False,
            fontsize="small",
            ncols=len(handles),
        )
    if names and county_code is not None:
        label_municipalities(ax, shapes)
    if source:
        add_source(ax.figure, source, lang=lang)
    return ax


def cell_map(
    data,
    *,
    value: str = "distance",
    unit: str | None = None,
    kind: str | None = None,
    cells=None,
    services=None,
    county_code: str | None = None,
    vmax: float | None = None,
    title: str | None = None,
    period: str | None = None,
    cell_size: float | None = None,
    names: bool = True,
    lang: str = "sv",
    ax=None,
    source: str | None = None,
):
    """Map of population squares coloured by distance (or time) to a kind, with its services.

    Each populated square is drawn filled, as a raster on the grid of the cell centres; the
    colour bar has round ticks and ends at the largest value, or (``vmax``, default the 98th
    percentile rounded up) with a triangle and "≥ …" when farther squares share its colour.

    Parameters
    ----------
    data : DataFrame or GeoDataFrame
        Output of :func:`access.nearest` (with ``cells=`` for the points), or cell points with a
        ``value`` column. NaN is drawn as grey squares, "not reachable by road".
    value : str, default "distance"
        Column to colour by.
    unit : str, optional
        Colour-bar label key ("km", "min") or text. None: taken from a ``unit`` column ("m" is
        shown in km, "s" in minutes), else "km".
    {kind}
    {cells}
    services : GeoDataFrame, optional
        Service points drawn as orange triangles (of ``kind`` when given).
    {county_code}
    {vmax}
    title : str, optional
        By default "Restid till närmaste apotek" (or "Avstånd …"; in English "Travel time to the
        nearest pharmacy") when the rows are of one kind and the unit is km or min; "" for none.
    {period}
    {cell_size}
    {names}
    {lang}
    {ax}
    {source}

    Returns
    -------
    matplotlib.axes.Axes

    Example
    -------
    >>> import geopandas as gpd
    >>> c = gpd.GeoDataFrame({{"cell_id": ["a", "b"]}},
    ...     geometry=gpd.points_from_xy([515000, 520000], [6566000, 6570000]), crs=3006)
    >>> d = pd.DataFrame({{"cell_id": ["a", "b"], "kind": "apotek", "unit": "s",
    ...     "distance": [60.0, 480.0]}})
    >>> ax = cell_map(d, cells=c, county_code="18", period="2025", cell_size=1000,
    ...               ax=plt.figure().add_subplot())
    >>> raster = ax.images[0].get_array()
    >>> raster.compressed().tolist(), raster.shape, ax.get_title()
    ([1.0, 8.0], (5, 6), 'Restid till närmaste apotek, 2025')
    """
    check_choice("lang", list(_TEXT), lang)
    require_columns(data, "data", [value])
    data = _one_kind(data, kind, "data")
    values = data[value].to_numpy(float)
    if unit is None and "unit" in data and len(data) and value == "distance":
        scale, unit = _SCALE[str(data["unit"].iloc[0])]
        values = values / scale
    x, y = _with_geometry(data, cells, "data")
    if services is not None and kind is not None and "kind" in services:
        services = services[services["kind"].astype(str) == kind]
    ax = _cell_raster(
        x,
        y,
        values,
        cmap=SEQUENTIAL + "_r",
        label=_TEXT[lang].get(unit or "km", unit),
        services=services,
        county_code=county_code,
        vmax=vmax,
        lang=lang,
        ax=ax,
        source=source,
        missing=True,
        cell_size=cell_size,
        names=names,
        services_label=_service_label(kind, lang),
    )
    shown = kind or (
        str(data["kind"].iloc[0]) if "kind" in data and data["kind"].nunique() == 1 else None
    )
    if title is None and shown is not None and unit in _TITLE[lang]:
        title = _TITLE[lang][unit].format(kind=KIND_NAMES[lang].get(shown, shown))
    if title:
        ax.set_title(with_period(title, period))
    return ax


def score_map(
    data,
    *,
    cells=None,
    services=None,
    per: float = 1000,
    county_code: str | None = None,
    vmax: float | None = None,
    period: str | None = None,
    cell_size: float | None = None,
    names: bool = True,
    lang: str = "sv",
    ax=None,
    source: str | None = None,
):
    """Accessibility-score map: squares coloured by their 2SFCA score, bright where it is high.

    Parameters
    ----------
    data : DataFrame or GeoDataFrame
        The per-cell table of :func:`access.two_step_fca` (cell_id, score), with ``cells=`` for
        the points, or points with a ``score`` column.
    {cells}
    services : GeoDataFrame, optional
        Service points drawn as orange triangles.
    per : float, default 1000
        Scores are shown as capacity per this many residents.
    {county_code}
    {vmax}
    {period}
    {cell_size}
    {names}
    {lang}
    {ax}
    {source}

    Returns
    -------
    matplotlib.axes.Axes

    Example
    -------
    >>> import geopandas as gpd
    >>> c = gpd.GeoDataFrame({{"cell_id": ["a", "b"], "score": [0.002, 0.0005]}},
    ...     geometry=gpd.points_from_xy([515000, 520000], [6566000, 6570000]), crs=3006)
    >>> ax = score_map(c, county_code="18", ax=plt.figure().add_subplot())
    >>> ax.images[0].get_array().compressed().tolist()
    [2.0, 0.5]
    """
    check_choice("lang", list(_TEXT), lang)
    require_columns(data, "data", ["score"])
    if not per > 0:
        raise ValueError(f"`per` must be positive, but {per!r} was passed.")
    x, y = _with_geometry(data, cells, "data")
    values = data["score"].to_numpy(float) * per
    ax = _cell_raster(
        x,
        y,
        values,
        cmap=SEQUENTIAL,
        label=_TEXT[lang]["score"].format(per=format_number(per, lang=lang)),
        services=services,
        county_code=county_code,
        vmax=vmax,
        lang=lang,
        ax=ax,
        source=source,
        missing=False,
        cell_size=cell_size,
        names=names,
        services_label=_service_label("hemtjänst", lang),
    )
    ax.set_title(with_period(_TEXT[lang]["score_title"], period))
    return ax


def _class_colours(lowers, bounds: pd.Series, vmax: float | None):
    """The cell map's colour of each class's middle (the open last class: the top colour)."""
    lowers = np.asarray(list(lowers), dtype=float)
    uppers = bounds.reindex(lowers).to_numpy(float)
    finite = uppers[np.isfinite(uppers)]
    top = float(vmax) if vmax else float(finite.max()) if finite.size else 1.0
    middle = np.where(np.isfinite(uppers), (lowers + uppers) / 2, top)
    return mpl.colormaps[SEQUENTIAL + "_r"](np.clip(middle / (top or 1.0), 0.0, 1.0))


def distance_scale(data, *, value: str = "distance", kind: str | None = None) -> float:
    """The top of the cell map's colour scale for ``data``: its 98th percentile, rounded up.

    In the map's unit (km for metres, minutes for seconds), to give :func:`cell_map` and
    :func:`class_bars` the same ``vmax``.

    Example
    -------
    >>> d = pd.DataFrame({"unit": "s", "distance": [60.0 * m for m in range(1, 23)]})
    >>> distance_scale(d)
    25.0
    """
    require_columns(data, "data", [value])
    data = _one_kind(data, kind, "data")
    values = data[value].to_numpy(float)
    if "unit" in data and len(data) and value == "distance":
        values = values / _SCALE[str(data["unit"].iloc[0])][0]
    values = values[np.isfinite(values)]
    if not values.size:
        return 1.0
    return float(nice_limits(0.0, float(np.percentile(values, 98)))[-1])


def _class_label(lower: float, upper: float, unit: str, lang: str) -> str:
    t = _TEXT[lang]
    lo = format_number(lower, lang=lang)
    hi = format_number(upper, lang=lang)
    if lower == 0:
        return f"{t['under'].format(hi=hi)} {unit}"
    if not np.isfinite(upper):
        return f"{t['over'].format(lo=lo)} {unit}"
    return f"{t['between'].format(lo=lo, hi=hi)} {unit}"


def _shares(classes: pd.DataFrame, by: str) -> pd.DataFrame:
    """Share per class (0–1), wide; masked classes NaN (their ``share`` is then needed)."""
    data = classes.assign(lower=classes["lower"].astype(float))
    if data["population"].isna().any():
        if "share" not in data:
            raise SchemaError(
                "`data` has masked classes (population NaN) but no `share` column",
                column="share",
                hint="pass access.publishable_classes of access.distance_classes",
            )
        wide = data.pivot_table(index=by, columns="lower", values="share", aggfunc="sum")
        hidden = data.pivot_table(
            index=by, columns="lower", values="population", aggfunc=lambda v: v.isna().any()
        ).astype(bool)
        return wide.where(~hidden).fillna(0).where(~hidden)
    total = data.groupby(by)["population"].transform("sum")
    data = data.assign(share=np.where(total > 0, data["population"] / total, 0.0))
    return data.pivot_table(index=by, columns="lower", values="share", aggfunc="sum").fillna(0)


def class_bars(
    data: pd.DataFrame,
    *,
    by: str = "municipality_code",
    kind: str | None = None,
    reference: pd.DataFrame | None = None,
    period: str | None = None,
    vmax: float | None = None,
    lang: str = "sv",
    ax=None,
    source: str | None = None,
):
    """Stacked bars: each municipality's population share per distance class.

    Each class has the colour the cell map gives its middle distance (the open last class the
    top colour) on a scale from 0 to ``vmax``: give the map's ``vmax``
    (:func:`distance_scale`) and a colour means the same minutes or km in both.

    The municipality with the largest share in the farthest class is at the top. Classes masked
    by :func:`access.publishable_classes` (population NaN) are drawn together as one grey
    hatched segment at the end of the bar: their sum is the rest of the bar anyway, so the
    figure gives away no more than the table. A Pipos table
    given as ``reference`` is drawn as a thin hatched bar under each municipality's bar, in the
    same classes, so both sit in one chart.

    Parameters
    ----------
    data : DataFrame
        Output of :func:`access.distance_classes` (by, lower, upper, unit, population).
    {by}
    {kind}
    reference : DataFrame, optional
        A table of the same shape and class edges, e.g. :func:`load.pipos`.
    {period}
    vmax : float, optional
        Top of the colour scale, in the classes' unit (default: the largest finite class edge).
    {lang}
    {ax}
    {source}

    Returns
    -------
    matplotlib.axes.Axes

    Example
    -------
    >>> c = pd.DataFrame({{"municipality_code": "1880", "kind": "apotek", "lower": [0.0, 5.0],
    ...     "upper": [5.0, float("inf")], "unit": "min", "population": [80.0, 20.0]}})
    >>> ax = class_bars(c, ax=plt.figure().add_subplot())
    >>> [round(float(p.get_width()), 1) for p in ax.patches]
    [80.0, 20.0]
    """
    check_choice("lang", list(_TEXT), lang)
    require_columns(data, "data", [by, "lower", "upper", "unit", "population"])
    data = _one_kind(data, kind, "data")
    text = _TEXT[lang]
    if ax is None:
        ax = plt.gca()
    wide = _shares(data, by)
    hidden = wide.isna()
    wide = wide.fillna(0)
    wide = wide.sort_values(list(wide.columns[::-1]), ascending=True, kind="stable")
    hidden = hidden.loc[wide.index]
    bounds = data.assign(lower=data["lower"].astype(float)).drop_duplicates("lower")
    bounds = bounds.set_index("lower")["upper"].astype(float)
    unit = str(data["unit"].iloc[0])
    colours = _class_colours(wide.columns, bounds, vmax)
    positions = np.arange(len(wide), dtype=float)
    other = None
    height = 0.7
    if reference is not None:
        require_columns(reference, "reference", [by, "lower", "upper", "unit", "population"])
        other = _shares(_one_kind(reference, kind, "reference"), by)
        other = other.reindex(index=wide.index, columns=wide.columns).fillna(0)
        height = 0.5
    left = np.zeros(len(wide))
    for colour, lower in zip(colours, wide.columns, strict=True):
        share = wide[lower].to_numpy() * 100
        ax.barh(
            positions,
            share,
            left=left,
            color=colour,
            height=height,
            label=_class_label(lower, bounds[lower], unit, lang),
        )
        left += share
    if hidden.any(axis=None):
        rest = np.where(hidden.any(axis=1), 100 - left, 0.0)
        ax.barh(
            positions,
            rest,
            left=left,
            color="#d9d9d9",
            hatch="xx",
            edgecolor="white",
            linewidth=0,
            height=height,
            label=text["hidden"],
        )
    if other is not None:
        left = np.zeros(len(other))
        for colour, lower in zip(colours, other.columns, strict=True):
            share = other[lower].to_numpy() * 100
            ax.barh(
                positions - 0.42,
                share,
                left=left,
                color=colour,
                height=0.22,
                hatch="////",
                edgecolor="white",
                linewidth=0,
            )
            left += share
    labels = _names(wide.index) if by == "municipality_code" else list(wide.index)
    ax.set_yticks(positions, labels)
    ax.set_xlim(0, 100)
    ax.set_xlabel(text["share"])
    ax.xaxis.set_major_formatter(number_formatter(lang, decimals=0))
    ax.grid(axis="y", visible=False)
    handles, names = ax.get_legend_handles_labels()
    if other is not None:
        handles.append(Patch(facecolor="#999999", hatch="////", edgecolor="white"))
        names.append(text["reference"])
    ax.legend(
        handles,
        names,
        loc="upper left",
        bbox_to_anchor=(1.0, 1.0),
        frameon=False,
        fontsize="small",
    )
    unit_key = {"km": "km", "min": "min", "m": "km", "s": "min"}.get(unit, "km")
    ax.set_title(with_period(_figure_title("classes", unit_key, data, kind, lang), period))
    if source:
        add_source(ax.figure, source, lang=lang)
    return ax


def _steps(values: np.ndarray, weights: np.ndarray):
    """One group's cumulative curve (x, y in %), rising only in steps of 0 or at least 5 people.

    ``values`` sorted. A step of 1–4 people would say where they live, so it is drawn together
    with the next (the last few with the one before) by
    :func:`ehalsa_analys.disclosure.coarsen_steps`; None when the group has fewer than 5.
    """
    share = np.cumsum(weights) / weights.sum() * 100
    last = np.r_[values[1:] != values[:-1], True]  # one step per distinct value
    shown = np.flatnonzero(last)
    steps = np.diff(np.r_[0.0, np.cumsum(weights)[shown]])
    shown = shown[coarsen_steps(steps)]
    if not shown.size:
        return None
    return np.r_[0, values[shown]], np.r_[0, share[shown][:-1], 100.0]  # the last is the total


def _curves(data: pd.DataFrame, by: str, kind: str | None):
    """Per group: its curve (x, y) or None; the unit's label key; groups in code order."""
    require_columns(data, "data", [by, "distance", "unit", "population"])
    data = _one_kind(data, kind, "data")
    unit = str(data["unit"].iloc[0]) if len(data) else "m"
    scale, label = _SCALE[unit]
    ok = data["distance"].notna() & (data["population"] > 0)
    shown = data[ok]
    values = shown["distance"].to_numpy(float) / scale
    weights = shown["population"].to_numpy(float)
    keys = shown[by].astype(str).to_numpy()
    order = np.lexsort((values, keys))
    keys, values, weights = keys[order], values[order], weights[order]
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]]) if len(keys) else []
    ends = np.r_[starts[1:], len(keys)] if len(keys) else []
    curves = {keys[a]: _steps(values[a:b], weights[a:b]) for a, b in zip(starts, ends, strict=True)}
    whole = None
    if len(values):
        order = np.argsort(values, kind="stable")
        whole = _steps(values[order], weights[order])
    return curves, whole, label


def _label_of(key: str, by: str) -> str:
    return _names([key])[0] if by == "municipality_code" else key


def _curve_axes(ax, label: str, lang: str) -> None:
    text = _TEXT[lang]
    ax.set_xlabel(text[label])
    ax.set_ylim(0, 100)
    ax.set_xlim(left=0)
    ax.xaxis.set_major_formatter(number_formatter(lang))
    ax.yaxis.set_major_formatter(number_formatter(lang, decimals=0))


def cumulative_curves(
    data: pd.DataFrame,
    *,
    by: str = "municipality_code",
    kind: str | None = None,
    period: str | None = None,
    lang: str = "sv",
    ax=None,
    source: str | None = None,
):
    """Cumulative share of the population within each distance, one line per municipality.

    A line rises from 0 to 100 % of the people with a route; one that flattens late has a long
    rural tail. Each line rises only in steps of zero or at least 5 people
    (:func:`ehalsa_analys.disclosure.coarsen_steps`): a smaller step would say where those few
    people live, so it is drawn together with the next (the last few with the one before);
    a municipality whose people with a route are fewer than 5 gets no line. At most six lines
    (six colours a reader can tell apart): for more, use :func:`cumulative_panels`.

    Parameters
    ----------
    data : DataFrame
        Output of :func:`access.nearest` (unit "m" is shown in km, "s" in minutes); cells without
        a route are left out.
    {by}
    {kind}
    {period}
    {lang}
    {ax}
    {source}

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    ValueError
        ``data`` holds more than six groups.

    Example
    -------
    >>> d = pd.DataFrame({{"municipality_code": "1880", "unit": "m", "population": [10.0, 30.0],
    ...     "distance": [1000.0, 3000.0]}})
    >>> ax = cumulative_curves(d, ax=plt.figure().add_subplot())
    >>> ax.lines[0].get_ydata().tolist()
    [0.0, 25.0, 100.0]
    """
    check_choice("lang", list(_TEXT), lang)
    curves, _whole, label = _curves(data, by, kind)
    if len(curves) > _MAX_COLOURS:
        raise ValueError(
            f"`data` holds {len(curves)} groups of `{by}`; a chart of more than {_MAX_COLOURS} "
            "lines has colours a reader cannot tell apart. Use plots.cumulative_panels "
            "(one panel per group) or choose at most six."
        )
    text = _TEXT[lang]
    if ax is None:
        ax = plt.gca()
    for i, (key, curve) in enumerate(curves.items()):
        if curve is None:
            continue
        ax.plot(
            *curve,
            color=PALETTE[i],
            linewidth=1.4,
            drawstyle="steps-post",
            label=_label_of(key, by),
        )
    _curve_axes(ax, label, lang)
    ax.set_ylabel(text["cumulative"])
    if ax.lines:
        ax.legend(loc="lower right", frameon=False, fontsize="small")
    ax.set_title(with_period(_figure_title("curves", label, data, kind, lang), period))
    if source:
        add_source(ax.figure, source, lang=lang)
    return ax


def cumulative_panels(
    data: pd.DataFrame,
    *,
    by: str = "municipality_code",
    kind: str | None = None,
    ncols: int = 4,
    period: str | None = None,
    lang: str = "sv",
    source: str | None = None,
    ax=None,
):
    """Small multiples of :func:`cumulative_curves`: one panel per municipality, two colours.

    Each panel draws its municipality's curve (blue) over the whole county's (grey), on shared
    axes, so twelve municipalities need no twelve colours. Both rise only in steps of zero or
    at least 5 people (:func:`ehalsa_analys.disclosure.coarsen_steps`); a municipality whose
    people with a route are fewer than 5 gets an empty panel with its name. Figure-level: it
    draws its own figure (an ``ax`` passed is ignored with a warning).

    Parameters
    ----------
    data : DataFrame
        Output of :func:`access.nearest` with a population column.
    {by}
    {kind}
    ncols : int, default 4
        Panels per row.
    {period}
    {lang}
    {source}
    ax : ignored

    Returns
    -------
    matplotlib.figure.Figure
        One Axes per group in code order (title: its name), then the unused Axes, switched off.

    Example
    -------
    >>> d = pd.DataFrame({{"municipality_code": ["1880", "1880", "1814"], "unit": "m",
    ...     "population": [10.0, 30.0, 20.0], "distance": [1000.0, 3000.0, 2000.0]}})
    >>> fig = cumulative_panels(d, ncols=2)
    >>> [a.get_title() for a in fig.axes if a.axison]
    ['Lekeberg', 'Örebro']
    >>> fig.axes[1].lines[-1].get_ydata().tolist()     # Örebro over the county (grey)
    [0.0, 25.0, 100.0]
    """
    check_choice("lang", list(_TEXT), lang)
    if ax is not None:
        warnings.warn(
            "cumulative_panels draws its own figure and returns it; the `ax` passed is ignored.",
            UserWarning,
            stacklevel=2,
        )
    if not isinstance(ncols, int) or isinstance(ncols, bool) or ncols < 1:
        raise ValueError(f"`ncols` must be a whole number of at least 1, but {ncols!r} was passed.")
    curves, whole, label = _curves(data, by, kind)
    if not curves:
        raise SchemaError("`data` has no distances to draw", hint="pass access.nearest's output")
    text = _TEXT[lang]
    keys = list(curves)
    nrows = math.ceil(len(keys) / ncols)
    fig, axes = plt.subplots(
        nrows,
        ncols,
        figsize=(2.6 * ncols, 2.1 * nrows + 1.2),
        sharex=True,
        sharey=True,
        squeeze=False,
    )
    for panel, key in zip(axes.flat, keys, strict=False):
        if whole is not None:
            panel.plot(*whole, color="#999999", linewidth=1.2, drawstyle="steps-post")
        if curves[key] is not None:
            panel.plot(*curves[key], color=PALETTE[0], linewidth=1.6, drawstyle="steps-post")
        panel.set_title(_label_of(key, by), fontsize="small")
        _curve_axes(panel, label, lang)
        panel.set_xlabel("")
        panel.yaxis.set_major_locator(mpl.ticker.FixedLocator([0, 50, 100]))
    for panel in axes.flat[len(keys) :]:
        panel.set_axis_off()
    height = fig.get_figheight()
    fig.supxlabel(text[label], fontsize="small", y=0.4 / height, va="bottom")
    fig.supylabel(text["share"], fontsize="small")
    title = with_period(_figure_title("curves", label, data, kind, lang), period)
    fig.suptitle(title, x=0.01, ha="left", fontweight="bold")
    figure_legend(
        fig,
        [
            Line2D([], [], color=PALETTE[0], linewidth=1.6, label=text["municipality"]),
            Line2D([], [], color="#999999", linewidth=1.2, label=text["county"]),
        ],
        loc="lower center",
        ncols=2,
    )
    fig.tight_layout(rect=(0, 0.75 / height, 1, 1 - 0.45 / height))
    if source:
        add_source(fig, source, lang=lang)
    return fig


def savings_bars(
    data: pd.DataFrame,
    *,
    by: str = "municipality_code",
    per: float | None = None,
    population: pd.DataFrame | None = None,
    period: str | None = None,
    lang: str = "sv",
    ax=None,
    source: str | None = None,
):
    """Horizontal bars of km saved per month by municipality, staff hours written at the bars.

    Totals favour the largest municipality by its size alone; with ``per=1000`` the bars and
    hours are per 1 000 inhabitants, which compares municipalities of different sizes.

    Parameters
    ----------
    data : DataFrame
        Output of :func:`access.travel_savings`.
    {by}
    per : float, optional
        Show km and hours per this many inhabitants (e.g. 1000); None shows totals.
    population : DataFrame, optional
        municipality_code and population (with ``per``); default
        :func:`ehalsa_analys.reference.population` (31 December 2025).
    {period}
    {lang}
    {ax}
    {source}

    Returns
    -------
    matplotlib.axes.Axes

    Example
    -------
    >>> s = pd.DataFrame({{"municipality_code": ["1880", "1814"], "km_saved": [900.0, 300.0],
    ...     "hours_saved": [18.0, 6.0]}})
    >>> ax = savings_bars(s, ax=plt.figure().add_subplot())
    >>> [float(p.get_width()) for p in ax.patches]
    [300.0, 900.0]
    >>> people = pd.DataFrame({{"municipality_code": ["1880", "1814"],
    ...                        "population": [90_000, 6_000]}})
    >>> ax = savings_bars(s, per=1000, population=people, ax=plt.figure().add_subplot())
    >>> [float(p.get_width()) for p in ax.patches], ax.get_xlabel()
    ([10.0, 50.0], 'Sparade km per månad per 1\xa0000 invånare')
    """
    check_choice("lang", list(_TEXT), lang)
    require_columns(data, "data", [by, "km_saved", "hours_saved"])
    text = _TEXT[lang]
    if ax is None:
        ax = plt.gca()
    shown = data.copy()
    xlabel, title = text["km_saved"], text["savings"]
    if per is not None:
        if not per > 0:
            raise ValueError(f"`per` must be positive, but {per!r} was passed.")
        if by != "municipality_code":
            raise ValueError("`per` needs by='municipality_code' (population by municipality).")
        people = population if population is not None else reference.population()
        require_columns(people, "population", ["municipality_code", "population"])
        size = people.set_index(people["municipality_code"].astype(str))["population"]
        size = shown[by].astype(str).map(size).to_numpy(float)
        if np.isnan(size).any() or (size <= 0).any():
            missing = shown[by].astype(str).to_numpy()[~(size > 0)][0]
            raise SchemaError(
                f"`population` has no population for {missing!r}",
                column="population",
                value=missing,
                hint="pass a population table with every municipality of `data`",
            )
        shown["km_saved"] = shown["km_saved"] / size * per
        shown["hours_saved"] = shown["hours_saved"] / size * per
        each = text["per"].format(per=format_number(per, lang=lang))
        xlabel, title = f"{xlabel} {each}", f"{title} {each}"
    shown = shown.sort_values("km_saved", kind="stable")
    positions = np.arange(len(shown))
    ax.barh(positions, shown["km_saved"], color=PALETTE[0], height=0.6)
    decimals = 0 if per is None or shown["hours_saved"].max() >= 10 else 1
    for y, km, hours in zip(positions, shown["km_saved"], shown["hours_saved"], strict=True):
        ax.text(
            km,
            y,
            f"  {format_number(hours, decimals=decimals, lang=lang)} {text['hours']}",
            va="center",
            fontsize="small",
        )
    labels = _names(shown[by]) if by == "municipality_code" else list(shown[by])
    ax.set_yticks(positions, labels)
    ax.set_xlabel(xlabel)
    ax.xaxis.set_major_formatter(number_formatter(lang))
    ax.set_xlim(0, float(shown["km_saved"].max()) * 1.18 if len(shown) else 1.0)
    ax.grid(axis="y", visible=False)
    ax.set_title(with_period(title, period))
    if source:
        add_source(ax.figure, source, lang=lang)
    return ax


_DOC_PARAMS = {
    **_PARAMS,
    "by": 'by : str, default "municipality_code"\n        The column of the bars or lines.',
    "kind": "kind : str, optional\n        The service kind to show, when ``data`` holds several.",
    "cells": "cells : GeoDataFrame, optional\n        Cells with cell_id and points, when ``data`` "
    "has no geometry.",
    "vmax": "vmax : float, optional\n        Top of the colour scale (default: the 98th "
    "percentile, rounded up).",
    "period": "period : str, optional\n        The period of the data, written after the title "
    '(e.g. "befolkning 2025").',
    "cell_size": "cell_size : float, optional\n        Side of the squares in metres (default: "
    "the spacing of the cell centres).",
    "names": "names : bool, default True\n        Write the municipalities' names (those that fit "
    "without overlapping) on a county map.",
}
for _function in (
    cell_map,
    score_map,
    class_bars,
    cumulative_curves,
    cumulative_panels,
    savings_bars,
):
    _function.__doc__ = _function.__doc__.format(**_DOC_PARAMS)
del _function
