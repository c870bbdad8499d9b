"""Figures: tidy frames in, Axes out, Swedish by default.

One module per domain (``maps``, ``maturity``, ``survey``, ``access``,
``monitoring``) over a shared ``style``; everything public is re-exported here,
so ``plots.heatmap`` and ``plots.save`` are all a notebook needs.

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

from .maps import choropleth, municipality_map
from .maturity import (
    change_dumbbell,
    development_table,
    dispersion_strip,
    gap_bars,
    maturity_heatmap,
    maturity_map,
)
from .style import (
    LABELS,
    PALETTE,
    SEQUENTIAL,
    add_source,
    format_number,
    house_style,
    number_formatter,
    save,
)

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
    "maturity_heatmap",
    "gap_bars",
    "dispersion_strip",
    "change_dumbbell",
    "development_table",
    "maturity_map",
    "save",
]
