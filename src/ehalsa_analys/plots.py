"""House style and figure functions: tidy frames in, Axes out, Swedish by default.

* ``house_style()`` sets the theme; it works globally, as a context manager and
  as a decorator. Nothing changes rcParams at import.
* Colours are colour-blind safe: Okabe–Ito for categories (:data:`PALETTE`),
  ``cividis`` for sequential values (:data:`SEQUENTIAL`).
* Numbers are shown Swedish style: ``format_number(12345.6)`` -> "12 345,6"
  with a no-break space (U+00A0) as thousands separator and before "%", and
  the real minus sign U+2212. Missing values are shown as "–".
* Every figure carries a source line ("Källa: …") via :func:`add_source`.
* :func:`save` writes PNG and SVG byte-identically for identical figures.

Example
-------
>>> import matplotlib
>>> matplotlib.use("Agg")
>>> import matplotlib.pyplot as plt
>>> with house_style():
...     fig, ax = plt.subplots()
...     ax = municipality_map(county_code="18", ax=ax)
>>> format_number(12345.6, decimals=1)
'12\\xa0345,6'
"""

from __future__ import annotations

import contextlib
import math
import os
from collections.abc import Sequence
from pathlib import Path

import matplotlib as mpl
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter

from . import reference
from ._atomic import atomic_path
from .errors import SchemaError, check_choice

__all__ = [
    "PALETTE",
    "SEQUENTIAL",
    "LABELS",
    "house_style",
    "format_number",
    "number_formatter",
    "add_source",
    "choropleth",
    "municipality_map",
    "save",
]

#: Okabe–Ito, a categorical palette readable with colour-vision deficiencies.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
#: Sequential colormap (perceptually uniform and colour-blind safe).
SEQUENTIAL = "cividis"
MISSING_COLOUR = "#e6e6e6"
NBSP = "\u00a0"
MINUS = "\u2212"

LABELS = {
    "sv": {
        "source": "Källa",
        "missing": "Uppgift saknas",
        "municipalities": "Sveriges kommuner",
        "municipalities_in": "Kommunerna i {county}",
    },
    "en": {
        "source": "Source",
        "missing": "No data",
        "municipalities": "Sweden's municipalities",
        "municipalities_in": "The municipalities of {county}",
    },
}

_PARAMS = {
    "lang": 'lang : {"sv", "en"}, default "sv"\n    Language of titles, labels and numbers.',
    "ax": "ax : matplotlib.axes.Axes, optional\n    Axes to draw on; the current Axes if None.",
    "source": 'source : str, optional\n    Source line drawn under the figure ("Källa: …").',
    "county_code": 'county_code : str, optional\n    Draw one county only (e.g. "18").',
}

_RC = {
    "figure.dpi": 100,
    "savefig.dpi": 150,
    "font.family": "DejaVu Sans",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.color": "#dddddd",
    "grid.linewidth": 0.6,
    "axes.axisbelow": True,
    "axes.prop_cycle": mpl.cycler(color=list(PALETTE)),
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "svg.hashsalt": "ehalsa_analys",
    "svg.fonttype": "path",
    "path.simplify": True,
}
_CONTEXT_SIZES = {"report": 10, "paper": 9, "talk": 14}


_check_choice = check_choice


def house_style(context: str = "report") -> contextlib.AbstractContextManager:
    """Return the house theme as an rc context: use it with ``with`` or as a decorator.

    ``mpl.rcParams.update(house_style_params())`` would set it globally; the
    context manager restores the previous settings on exit.

    Example
    -------
    >>> with house_style(context="talk"):
    ...     pass
    """
    _check_choice("context", list(_CONTEXT_SIZES), context)
    size = _CONTEXT_SIZES[context]
    params = dict(_RC, **{"font.size": size, "axes.titlesize": size + 2, "axes.labelsize": size})
    return mpl.rc_context(params)


def format_number(
    x: float | None, *, decimals: int | None = None, lang: str = "sv", percent: bool = False
) -> str:
    """Format a number for a figure: Swedish "12 345,6" and "45 %", English "12,345.6", "45%".

    ``decimals=None`` shows integers without decimals and other numbers with
    one. NaN or None gives "–".

    Example
    -------
    >>> format_number(-1234.56, decimals=1)
    '\\u22121\\xa0234,6'
    >>> format_number(45, percent=True, lang="en")
    '45%'
    """
    _check_choice("lang", list(LABELS), lang)
    if x is None or (isinstance(x, float) and math.isnan(x)) or pd.isna(x):
        return "–"
    value = float(x)
    if decimals is None:
        decimals = 0 if value.is_integer() else 1
    text = f"{abs(value):,.{decimals}f}"
    if lang == "sv":
        text = text.replace(",", NBSP).replace(".", ",")
        sign = MINUS
        suffix = f"{NBSP}%" if percent else ""
    else:
        sign = "-"
        suffix = "%" if percent else ""
    negative = value < 0 and float(text.replace(NBSP, "").replace(",", "").replace(".", "")) != 0
    return (sign if negative else "") + text + suffix


def number_formatter(
    lang: str = "sv", *, decimals: int | None = None, percent: bool = False
) -> FuncFormatter:
    """Return a matplotlib tick formatter that writes numbers as :func:`format_number`."""
    _check_choice("lang", list(LABELS), lang)
    return FuncFormatter(
        lambda x, _pos: format_number(x, decimals=decimals, lang=lang, percent=percent)
    )


def add_source(fig: mpl.figure.Figure, text: str, *, lang: str = "sv") -> mpl.text.Text:
    """Write the source line ("Källa: …" / "Source: …") at the bottom left of ``fig``."""
    _check_choice("lang", list(LABELS), lang)
    return fig.text(
        0.01,
        0.01,
        f"{LABELS[lang]['source']}: {text}",
        ha="left",
        va="bottom",
        fontsize="small",
        color="#555555",
    )


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
    _check_choice("lang", list(LABELS), lang)
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
    """
    _check_choice("lang", list(LABELS), lang)
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

_METADATA = {"png": {"Software": None}, "svg": {"Date": None}, "pdf": {"CreationDate": None}}


def save(
    fig: mpl.figure.Figure,
    path: str | os.PathLike,
    *,
    formats: Sequence[str] = ("png", "svg"),
    dpi: int = 150,
) -> list[Path]:
    """Write ``fig`` in each format atomically, byte-identical for identical figures.

    ``path`` may carry a suffix or not: ``save(fig, "figures/kommuner")``
    writes ``kommuner.png`` and ``kommuner.svg``. Timestamps and software
    versions are left out and the SVG hash salt is fixed.

    Returns the paths written.
    """
    base = Path(path)
    if base.suffix.lstrip(".") in _METADATA:
        base = base.with_suffix("")
    written = []
    for fmt in formats:
        _check_choice("formats", list(_METADATA), fmt)
        target = base.with_name(f"{base.name}.{fmt}")
        with mpl.rc_context({"svg.hashsalt": "ehalsa_analys"}), atomic_path(target) as tmp:
            fig.savefig(tmp, format=fmt, dpi=dpi, metadata=_METADATA[fmt], bbox_inches="tight")
        written.append(target)
    return written
