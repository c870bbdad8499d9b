"""Figures of distance to service: cell maps, class bars, cumulative curves, savings.

Example
-------
>>> import matplotlib
>>> matplotlib.use("Agg")
>>> import matplotlib.pyplot as plt
>>> import pandas as pd
>>> c = pd.DataFrame({"municipality_code": "1880", "kind": "apotek", "lower": [0.0, 5.0],
...     "upper": [5.0, float("inf")], "unit": "min", "population": [80.0, 20.0],
...     "share": [0.8, 0.2]})
>>> ax = class_bars(c, ax=plt.figure().add_subplot())
>>> [round(float(p.get_width()), 1) for p in ax.patches]
[80.0, 20.0]
"""

from __future__ import annotations

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .. import reference
from ..errors import check_choice
from ..schemas import require_columns
from .style import _PARAMS, PALETTE, SEQUENTIAL, add_source, format_number, number_formatter

__all__ = ["cell_map", "class_bars", "cumulative_curves", "savings_bars"]

_TEXT = {
    "sv": {
        "km": "Avstånd, km",
        "min": "Restid med bil, minuter",
        "share": "Andel av befolkningen, %",
        "cumulative": "Andel av befolkningen inom avståndet, %",
        "services": "Servicepunkter",
        "classes": "Befolkning per avståndsklass",
        "curves": "Hur många bor inom ett visst avstånd",
        "savings": "Sparade mil och timmar per månad",
        "km_saved": "Sparade km per månad",
        "hours": "Sparade timmar per månad",
        "missing": "Nås inte via vägnätet",
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
        "classes": "Population by distance class",
        "curves": "How many live within a given distance",
        "savings": "Kilometres and hours saved per month",
        "km_saved": "Km saved per month",
        "hours": "Hours saved per month",
        "missing": "Not reachable by road",
        "under": "under {hi}",
        "over": "over {lo}",
        "between": "{lo}–{hi}",
    },
}


def cell_map(
    cells,
    *,
    value: str = "distance",
    unit: str = "km",
    services=None,
    county_code: str | None = None,
    vmax: float | None = None,
    lang: str = "sv",
    ax=None,
    source: str | None = None,
):
    """Map of population cells coloured by ``value`` (a distance, time or score), with services.

    Parameters
    ----------
    cells : GeoDataFrame
        Cell points (EPSG:3006) with the ``value`` column; NaN is drawn grey
        as "not reachable by road".
    value : str, default "distance"
    unit : {{"km", "min", ""}}
        Label of the colour bar (distances in metres are shown in km and
        seconds in minutes by the caller).
    services : GeoDataFrame, optional
        Drawn as black markers.
    {county_code}
    vmax : float, optional
        Top of the colour scale (default the 98th percentile).
    {lang}
    {ax}
    {source}

    Returns
    -------
    matplotlib.axes.Axes

    Example
    -------
    >>> import geopandas as gpd
    >>> c = gpd.GeoDataFrame({{"distance": [1.0, 8.0]}},
    ...     geometry=gpd.points_from_xy([515000, 520000], [6566000, 6570000]), crs=3006)
    >>> ax = cell_map(c, county_code="18", ax=plt.figure().add_subplot())
    """
    check_choice("lang", list(_TEXT), lang)
    require_columns(cells, "cells", [value, "geometry"])
    text = _TEXT[lang]
    if ax is None:
        ax = plt.gca()
    shapes = reference.geometries("municipality", county_code=county_code)
    shapes.plot(ax=ax, facecolor="#f4f4f4", edgecolor="#999999", linewidth=0.4)
    values = cells[value].to_numpy(float)
    ok = np.isfinite(values)
    top = vmax if vmax is not None else (np.nanpercentile(values, 98) if ok.any() else 1.0)
    norm = mpl.colors.Normalize(0, top)
    ax.scatter(
        cells.geometry.x[ok],
        cells.geometry.y[ok],
        c=values[ok],
        cmap=SEQUENTIAL + "_r",
        norm=norm,
        s=2,
        linewidths=0,
        zorder=2,
    )
    if (~ok).any():
        ax.scatter(
            cells.geometry.x[~ok],
            cells.geometry.y[~ok],
            color="#bbbbbb",
            s=3,
            marker="x",
            linewidths=0.5,
            zorder=2,
            label=text["missing"],
        )
    if services is not None and len(services):
        minx, miny, maxx, maxy = shapes.total_bounds
        services = services.cx[minx:maxx, miny:maxy]  # only those on the map
        ax.scatter(
            services.geometry.x,
            services.geometry.y,
            color="black",
            marker="^",
            s=10,
            zorder=3,
            label=text["services"],
        )
    bar = ax.figure.colorbar(
        mpl.cm.ScalarMappable(norm=norm, cmap=SEQUENTIAL + "_r"),
        ax=ax,
        shrink=0.6,
        format=number_formatter(lang),
    )
    bar.set_label(text.get(unit, unit))
    if ax.get_legend_handles_labels()[0]:
        ax.legend(loc="lower right", frameon=False, fontsize="small", markerscale=2)
    ax.set_axis_off()
    ax.set_aspect("equal")
    if source:
        add_source(ax.figure, source, lang=lang)
    return ax


def _class_label(lower: float, upper: float, unit: str, lang: str) -> str:
    t = _TEXT[lang]
    lo = format_number(lower, lang=lang)
    hi = format_number(upper, lang=lang)
    if lower == 0:
        return f"{t['under'].format(hi=hi)} {unit}"
    if not np.isfinite(upper):
        return f"{t['over'].format(lo=lo)} {unit}"
    return f"{t['between'].format(lo=lo, hi=hi)} {unit}"


def class_bars(
    classes: pd.DataFrame,
    *,
    by: str = "municipality_code",
    lang: str = "sv",
    ax=None,
    source: str | None = None,
):
    """Stacked horizontal bars: each municipality's population share per distance class.

    Parameters
    ----------
    classes : DataFrame
        Output of :func:`access.distance_classes` (or :func:`load.pipos`
        with a share column) for one kind.
    by : str, default "municipality_code"
    {lang}
    {ax}
    {source}

    Returns
    -------
    matplotlib.axes.Axes
    """
    check_choice("lang", list(_TEXT), lang)
    require_columns(classes, "classes", [by, "lower", "upper", "unit", "population"])
    text = _TEXT[lang]
    if ax is None:
        ax = plt.gca()
    data = classes.copy()
    data["share"] = data["population"] / data.groupby(by)["population"].transform("sum")
    wide = data.pivot_table(index=by, columns="lower", values="share", aggfunc="sum").fillna(0)
    far = wide.columns[-1]
    wide = wide.sort_values([far, *wide.columns[::-1][1:]], ascending=True)
    bounds = data.drop_duplicates("lower").set_index("lower")["upper"]
    unit = data["unit"].iloc[0]
    colours = mpl.colormaps[SEQUENTIAL + "_r"](np.linspace(0.1, 0.9, len(wide.columns)))
    left = np.zeros(len(wide))
    positions = np.arange(len(wide))
    for colour, lower in zip(colours, wide.columns, strict=True):
        share = wide[lower].to_numpy() * 100
        ax.barh(
            positions,
            share,
            left=left,
            color=colour,
            height=0.7,
            label=_class_label(lower, bounds[lower], unit, lang),
        )
        left += share
    ax.set_yticks(
        positions,
        reference.municipality_names(wide.index) if by == "municipality_code" else wide.index,
    )
    ax.set_xlim(0, 100)
    ax.set_xlabel(text["share"])
    ax.xaxis.set_major_formatter(number_formatter(lang, decimals=0))
    ax.grid(axis="y", visible=False)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize="small")
    ax.set_title(text["classes"])
    if source:
        add_source(ax.figure, source, lang=lang)
    return ax


def cumulative_curves(
    distances: pd.DataFrame,
    *,
    by: str = "municipality_code",
    lang: str = "sv",
    ax=None,
    source: str | None = None,
):
    """Cumulative share of the population within each distance, one line per municipality.

    Parameters
    ----------
    distances : DataFrame
        Output of :func:`access.nearest` for one kind (unit "m" or "s").
    by : str
    {lang}
    {ax}
    {source}

    Returns
    -------
    matplotlib.axes.Axes

    Example
    -------
    >>> d = pd.DataFrame({{"municipality_code": "1880", "unit": "m", "population": [1.0, 3.0],
    ...     "distance": [1000.0, 3000.0]}})
    >>> ax = cumulative_curves(d, ax=plt.figure().add_subplot())
    >>> ax.lines[0].get_ydata().tolist()
    [0.0, 25.0, 100.0]
    """
    check_choice("lang", list(_TEXT), lang)
    require_columns(distances, "distances", [by, "distance", "unit", "population"])
    text = _TEXT[lang]
    if ax is None:
        ax = plt.gca()
    unit = distances["unit"].iloc[0]
    scale = 1000.0 if unit == "m" else 60.0
    for i, (key, group) in enumerate(distances.groupby(by, sort=True)):
        ok = group["distance"].notna()
        values = group.loc[ok, "distance"].to_numpy(float) / scale
        weights = group.loc[ok, "population"].to_numpy(float)
        order = np.argsort(values, kind="stable")
        share = np.cumsum(weights[order]) / weights.sum() * 100
        ax.plot(
            np.r_[0, values[order]],
            np.r_[0, share],
            color=PALETTE[i % len(PALETTE)],
            linewidth=1.4,
            label=reference.municipality_names([key])[0] if by == "municipality_code" else key,
        )
    ax.set_xlabel(text["km"] if unit == "m" else text["min"])
    ax.set_ylabel(text["cumulative"])
    ax.set_ylim(0, 100)
    ax.xaxis.set_major_formatter(number_formatter(lang))
    ax.yaxis.set_major_formatter(number_formatter(lang, decimals=0))
    ax.legend(loc="lower right", frameon=False, fontsize="x-small", ncol=2)
    ax.set_title(text["curves"])
    if source:
        add_source(ax.figure, source, lang=lang)
    return ax


def savings_bars(
    savings: pd.DataFrame,
    *,
    by: str = "municipality_code",
    lang: str = "sv",
    ax=None,
    source: str | None = None,
):
    """Horizontal bars of km saved per month by municipality, hours written at the bars.

    Parameters
    ----------
    savings : DataFrame
        Output of :func:`access.travel_savings`.
    by : str
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
    """
    check_choice("lang", list(_TEXT), lang)
    require_columns(savings, "savings", [by, "km_saved", "hours_saved"])
    text = _TEXT[lang]
    if ax is None:
        ax = plt.gca()
    data = savings.sort_values("km_saved", kind="stable")
    positions = np.arange(len(data))
    ax.barh(positions, data["km_saved"], color=PALETTE[0], height=0.6)
    for y, km, hours in zip(positions, data["km_saved"], data["hours_saved"], strict=True):
        ax.text(
            km,
            y,
            f"  {format_number(hours, decimals=0, lang=lang)} h",
            va="center",
            fontsize="small",
        )
    labels = reference.municipality_names(data[by]) if by == "municipality_code" else data[by]
    ax.set_yticks(positions, labels)
    ax.set_xlabel(text["km_saved"])
    ax.xaxis.set_major_formatter(number_formatter(lang, decimals=0))
    ax.grid(axis="y", visible=False)
    ax.set_title(text["savings"])
    if source:
        add_source(ax.figure, source, lang=lang)
    return ax


for _function in (cell_map, class_bars, cumulative_curves, savings_bars):
    _function.__doc__ = _function.__doc__.format(**_PARAMS)
del _function
