"""Maps: a choropleth of any municipality value, a plain municipality map, and a size that fits."""

from __future__ import annotations

import matplotlib as mpl
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib import patheffects
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
    colour_bar,
    format_number,
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
    vmin: float | None = None,
    vmax: float | None = None,
    names: bool = False,
):
    """Draw municipalities coloured by ``value``; missing ones hatched grey.

    The colour bar has round ticks and spans the values (from a round number at or below the
    lowest to one at or above the highest), or ``vmin``–``vmax`` when given: a measure shown on
    a fixed scale elsewhere (0–100) keeps its colours here.

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
    vmin, vmax : float, optional
        Ends of the colour scale (default: round numbers around the values).
    names : bool, default False
        Write each municipality's name and value on it (those that fit without overlapping).

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
        norm, _bar = colour_bar(
            ax,
            present["_value"].to_numpy(float),
            cmap=cmap,
            label=legend_title or value,
            vmin=vmin,
            vmax=vmax,
            lang=lang,
            percent=percent,
            decimals=decimals,
        )
        present.plot(column="_value", cmap=cmap, norm=norm, ax=ax, edgecolor="white", linewidth=0.3)
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
    if names:
        shown = {
            code: format_number(v, decimals=decimals, lang=lang, percent=percent)
            for code, v in zip(present["municipality_code"], present["_value"], strict=True)
        }
        label_municipalities(ax, shapes, values=shown)
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


def label_municipalities(ax, shapes, *, values=None, fontsize: float = 7.0):
    """Write each municipality's name at a point inside it, skipping names that would collide.

    Larger municipalities are named first; a name whose box would overlap one already written
    is left out, so no name sits on another. ``values`` (text by municipality code) adds a
    second line under the name, e.g. the value a choropleth colours by. Returns the Text
    artists written.

    Example
    -------
    >>> import matplotlib.pyplot as plt
    >>> ax = plt.figure().add_subplot()
    >>> shapes = reference.geometries("municipality", county_code="18")
    >>> _ = shapes.plot(ax=ax)
    >>> texts = label_municipalities(ax, shapes, values={"1880": "74"})
    >>> [t.get_text() for t in texts if t.get_text().startswith("Örebro")]
    ['Örebro\\n74']
    """
    values = dict(values or {})
    renderer = ax.figure.canvas.get_renderer()
    placed, boxes = [], []
    order = shapes.assign(_area=shapes.geometry.area).sort_values(
        ["_area", "municipality_code"], ascending=[False, True], kind="stable"
    )
    points = order.geometry.representative_point()
    for code, name, point in zip(
        order["municipality_code"], order["municipality"], points, strict=True
    ):
        label = ax.text(
            point.x,
            point.y,
            f"{name}\n{values[code]}" if code in values else name,
            ha="center",
            va="center",
            fontsize=fontsize,
            color="#222222",
            zorder=5,
            path_effects=[patheffects.withStroke(linewidth=2, foreground="white")],
        )
        box = label.get_window_extent(renderer).padded(1)
        if any(box.overlaps(other) for other in boxes):
            label.remove()
            continue
        placed.append(label)
        boxes.append(box)
    return placed


choropleth.__doc__ = choropleth.__doc__.format(**_PARAMS)
municipality_map.__doc__ = municipality_map.__doc__.format(**_PARAMS)
