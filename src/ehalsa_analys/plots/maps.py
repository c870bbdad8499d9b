"""Maps: a choropleth of any municipality value, a plain municipality map, and a size that fits."""

from __future__ import annotations

import matplotlib as mpl
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.patches import Patch

from .. import reference
from ..errors import SchemaError, check_choice
from .style import (
    _PARAMS,
    LABELS,
    MISSING_COLOUR,
    PALETTE,
    SEQUENTIAL,
    add_source,
    format_number,
    number_formatter,
)


def map_figsize(
    county_code: str | None = None,
    *,
    width: float = 7.0,
    max_height: float = 9.0,
    colorbar: bool = True,
) -> tuple[float, float]:
    """A figure size (inches) that gives the map's axes the county's own aspect, ``width`` at most.

    Within the subplot margins of the current style (call it inside ``house_style()``), with a
    colour bar's share of the width set aside when ``colorbar``; a tall county is made narrower
    rather than taller than ``max_height``.

    Example
    -------
    >>> map_figsize("22"), map_figsize("18")    # Västernorrland is wide, Örebro län tall
    ((7.0, 5.26), (6.07, 9.0))
    """
    shapes = reference.geometries("county")
    if county_code is not None:
        shapes = shapes[shapes["county_code"] == reference.resolve_county(county_code)]
    minx, miny, maxx, maxy = shapes.total_bounds
    aspect = float((maxy - miny) / (maxx - minx))
    rc = mpl.rcParams
    across = rc["figure.subplot.right"] - rc["figure.subplot.left"]
    down = rc["figure.subplot.top"] - rc["figure.subplot.bottom"]
    if colorbar:  # matplotlib's colour bar takes fraction 0.15 and pad 0.05 of the axes
        across *= 1 - 0.15 - 0.05
    height = width * across * aspect / down
    if height > max_height:
        width, height = max_height * down / (across * aspect), max_height
    return round(float(width), 2), round(float(height), 2)


def _map_axes(ax):
    ax.set_axis_off()
    ax.set_aspect("equal")
    return ax


def choropleth(
    data: pd.DataFrame,
    *,
    value: str,
    ax=None,
    county_code: str | None = None,
    lang: str = "sv",
    title: str | None = None,
    legend_title: str | None = None,
    cmap: str | None = None,
    percent: bool = False,
    decimals: int | None = None,
    source: str | None = None,
    geometries=None,
):
    """Draw municipalities coloured by ``value``; missing ones hatched grey.

    Parameters
    ----------
    data : DataFrame
        Columns ``municipality_code`` (codes or names; resolved) and ``value``.
    value : str
        The column to colour by.
    {ax}
    {county_code}
    {lang}
    title, legend_title : str, optional
    cmap : str, optional
        Default :data:`SEQUENTIAL`.
    percent, decimals
        Number format of the colour bar.
    {source}
    geometries : GeoDataFrame, optional
        Municipality boundaries; default :func:`reference.geometries`.

    Returns
    -------
    matplotlib.axes.Axes

    Example
    -------
    >>> df = pd.DataFrame({{"municipality_code": ["1880", "1885"], "andel": [40.0, 55.5]}})
    >>> ax = choropleth(df, value="andel", county_code="18", percent=True)
    """
    check_choice("lang", list(LABELS), lang)
    for column in ("municipality_code", value):
        if column not in data.columns:
            raise SchemaError(
                f"`data` has no column {column!r}; it has {list(data.columns)}",
                column=column,
                hint="pass the name of the column to colour by as `value=`",
            )
    if ax is None:
        ax = plt.gca()
    shapes = (
        geometries
        if geometries is not None
        else reference.geometries("municipality", county_code=county_code)
    )
    codes = reference.resolve_municipality(data["municipality_code"])
    values = pd.Series(
        pd.to_numeric(data[value], errors="coerce").to_numpy(), index=codes.to_numpy()
    )
    merged = shapes.assign(_value=shapes["municipality_code"].map(values.groupby(level=0).first()))
    present = merged[merged["_value"].notna()]
    missing = merged[merged["_value"].isna()]
    cmap = cmap or SEQUENTIAL
    if len(present):
        present.plot(column="_value", cmap=cmap, ax=ax, edgecolor="white", linewidth=0.3)
        norm = mpl.colors.Normalize(present["_value"].min(), present["_value"].max())
        bar = ax.figure.colorbar(
            mpl.cm.ScalarMappable(norm=norm, cmap=cmap),
            ax=ax,
            shrink=0.6,
            format=number_formatter(lang, decimals=decimals, percent=percent),
        )
        bar.set_label(legend_title or value)
    if len(missing):
        missing.plot(
            ax=ax, facecolor=MISSING_COLOUR, edgecolor="#999999", hatch="///", linewidth=0.3
        )
        ax.legend(
            handles=[
                Patch(
                    facecolor=MISSING_COLOUR,
                    edgecolor="#999999",
                    hatch="///",
                    label=LABELS[lang]["missing"],
                )
            ],
            loc="lower right",
            frameon=False,
        )
    if county_code is None and geometries is None:
        reference.geometries("county").boundary.plot(ax=ax, color="#333333", linewidth=0.6)
    if title:
        ax.set_title(title)
    if source:
        add_source(ax.figure, source, lang=lang)
    return _map_axes(ax)


def municipality_map(*, county_code: str | None = None, lang: str = "sv", ax=None, source=None):
    """Outline Sweden's 290 municipalities (or one county's), coloured by county.

    Parameters
    ----------
    {county_code}
    {lang}
    {ax}
    {source}

    Returns
    -------
    matplotlib.axes.Axes

    Example
    -------
    >>> from ehalsa_analys.plots import house_style
    >>> with house_style():
    ...     ax = municipality_map(county_code="18", ax=plt.figure().add_subplot())
    >>> ax.get_title(loc="left")
    'Kommunerna i Örebro län'
    """
    check_choice("lang", list(LABELS), lang)
    if ax is None:
        ax = plt.gca()
    shapes = reference.geometries("municipality", county_code=county_code)
    counties = sorted(shapes["county_code"].unique())
    colours = {code: PALETTE[i % (len(PALETTE) - 1)] for i, code in enumerate(counties)}
    shapes.plot(
        ax=ax,
        color=shapes["county_code"].map(colours).tolist(),
        edgecolor="white",
        linewidth=0.3,
        alpha=0.85,
    )
    if county_code is None:
        reference.geometries("county").boundary.plot(ax=ax, color="#333333", linewidth=0.6)
        ax.set_title(f"{LABELS[lang]['municipalities']} ({format_number(len(shapes), lang=lang)})")
    else:
        county = shapes["county"].iloc[0]
        ax.set_title(LABELS[lang]["municipalities_in"].format(county=county))
    if source:
        add_source(ax.figure, source, lang=lang)
    return _map_axes(ax)


choropleth.__doc__ = choropleth.__doc__.format(**_PARAMS)
municipality_map.__doc__ = municipality_map.__doc__.format(**_PARAMS)
