"""House style shared by every figure: theme, palette, labels, Swedish numbers, saving.

:func:`house_style` sets the theme; nothing changes rcParams at import. Colours are colour-blind
safe: Okabe–Ito for categories (:data:`PALETTE`), ``cividis`` for values (:data:`SEQUENTIAL`),
and :data:`RANK_COLOURS` for the traffic lights of :func:`ehalsa_analys.compare.rank_colour`.
Numbers are written by :mod:`ehalsa_analys.formatting` ("12 345,6"; :func:`number_formatter`
puts them on ticks), every figure carries a source line (:func:`add_source`), and :func:`save`
writes PNG and SVG byte-identically for identical figures.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Sequence
from pathlib import Path

import matplotlib as mpl
import numpy as np

from .._atomic import atomic_path
from ..errors import check_choice
from ..formatting import MINUS, NBSP, format_number, tick_decimals

__all__ = [
    "PALETTE",
    "SEQUENTIAL",
    "MISSING_COLOUR",
    "RANK_COLOURS",
    "LABELS",
    "NBSP",
    "MINUS",
    "house_style",
    "format_number",
    "number_formatter",
    "add_source",
    "save",
]

#: Okabe–Ito, a categorical palette readable with colour-vision deficiencies.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
#: Sequential colormap (perceptually uniform and colour-blind safe).
SEQUENTIAL = "cividis"
MISSING_COLOUR = "#e6e6e6"
#: Colours of the traffic lights of :func:`ehalsa_analys.compare.rank_colour`
#: (its categories :data:`ehalsa_analys.compare.RANK_CATEGORIES`) in Okabe–Ito tones.
RANK_COLOURS = {"green": "#009E73", "yellow": "#F0E442", "red": "#D55E00", "grey": "#BBBBBB"}

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

#: Numpydoc fragments of the parameters every figure function shares, ``.format``-ed into their
#: docstrings (at the indentation of a top-level function's docstring).
_PARAMS = {
    "lang": 'lang : {"sv", "en"}, default "sv"\n        Language of titles, labels and numbers.',
    "ax": "ax : matplotlib.axes.Axes, optional\n        Axes to draw on; the current Axes if None.",
    "source": 'source : str, optional\n        Source line drawn under the figure ("Källa: …").',
    "county_code": 'county_code : str, optional\n        Draw one county only (e.g. "18").',
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


def house_style(context: str = "report") -> contextlib.AbstractContextManager:
    """Return the house theme as an rc context: use it with ``with`` or as a decorator.

    The previous settings come back on exit. ``context`` sets the font size: "report" 10, "paper"
    9, "talk" 14 points (titles 2 points larger).

    Example
    -------
    >>> import matplotlib.pyplot as plt
    >>> with house_style(context="talk"):
    ...     fig, ax = plt.subplots()
    >>> ax.title.get_fontsize(), ax.xaxis.label.get_fontsize()
    (16.0, 14.0)
    """
    check_choice("context", list(_CONTEXT_SIZES), context)
    size = _CONTEXT_SIZES[context]
    params = dict(_RC, **{"font.size": size, "axes.titlesize": size + 2, "axes.labelsize": size})
    return mpl.rc_context(params)


class _SwedishTicks(mpl.ticker.Formatter):
    """Tick labels written by :func:`format_number`, with as many decimals as the ticks need."""

    def __init__(self, lang: str, decimals: int | None, percent: bool, factor: float) -> None:
        self.lang, self.decimals, self.percent, self.factor = lang, decimals, percent, factor
        self._ticks: Sequence[float] = ()
        self._decimals: int | None = None

    def set_locs(self, locs):
        self._ticks = locs
        self._decimals = None  # the spacing is looked at once per set of ticks, not per label

    def __call__(self, x, pos=None):
        decimals = self.decimals
        if decimals is None:
            decimals = self._decimals
        if decimals is None:
            locs = np.asarray(self._ticks, dtype=float) * self.factor
            steps = np.abs(np.diff(locs))
            steps = steps[steps > 0]
            decimals = self._decimals = tick_decimals(steps.min() if steps.size else 1.0)
        return format_number(
            x * self.factor, decimals=decimals, lang=self.lang, percent=self.percent
        )


def number_formatter(
    lang: str = "sv", *, decimals: int | None = None, percent: bool = False, factor: float = 1.0
) -> mpl.ticker.Formatter:
    """Return a matplotlib tick formatter that writes numbers as :func:`format_number`.

    ``decimals=None`` uses as many decimals as the spacing of the ticks needs (0,01 steps get
    two). ``factor`` multiplies before formatting: a proportion axis (0–1) shown in percent is
    ``factor=100, percent=True``.

    Example
    -------
    >>> number_formatter(factor=100, percent=True)(0.05)   # ax.yaxis.set_major_formatter(...)
    '5\\xa0%'
    """
    check_choice("lang", list(LABELS), lang)
    return _SwedishTicks(lang, decimals, percent, factor)


def add_source(fig: mpl.figure.Figure, text: str, *, lang: str = "sv") -> mpl.text.Text:
    """Write the source line ("Källa: …" / "Source: …") under the bottom left of ``fig``.

    It hangs below the figure's edge, so it never covers tick labels; :func:`save` crops to
    include it.
    """
    check_choice("lang", list(LABELS), lang)
    return fig.text(
        0.01,
        0.0,
        f"{LABELS[lang]['source']}: {text}",
        ha="left",
        va="top",
        fontsize="small",
        color="#555555",
    )


_METADATA = {"png": {"Software": None}, "svg": {"Date": None}, "pdf": {"CreationDate": None}}


def save(
    fig: mpl.figure.Figure,
    path: str | os.PathLike,
    *,
    formats: Sequence[str] = ("png", "svg"),
    dpi: int = 150,
) -> list[Path]:
    """Write ``fig`` in each format atomically, byte-identical for identical figures.

    ``path`` may carry a suffix or not: ``save(fig, "figures/kommuner")`` writes ``kommuner.png``
    and ``kommuner.svg``. Timestamps and software versions are left out and the SVG hash salt is
    fixed. Every format is cropped to the same tight box (measured once, as a PNG is: measuring
    costs a third of a save). Returns the paths written.
    """
    base = Path(path)
    if base.suffix.lstrip(".") in _METADATA:
        base = base.with_suffix("")
    for fmt in formats:
        check_choice("formats", list(_METADATA), fmt)
    bbox = _tight_bbox(fig, dpi) if len(formats) > 1 else "tight"
    written = []
    for fmt in formats:
        target = base.with_name(f"{base.name}.{fmt}")
        with mpl.rc_context({"svg.hashsalt": "ehalsa_analys"}), atomic_path(target) as tmp:
            fig.savefig(tmp, format=fmt, dpi=dpi, metadata=_METADATA[fmt], bbox_inches=bbox)
        written.append(target)
    return written


def _tight_bbox(fig: mpl.figure.Figure, dpi: int):
    """The box ``savefig(bbox_inches="tight")`` crops a PNG of ``fig`` to, in inches ("tight",
    to let savefig measure each format itself, when the figure is not drawn by Agg)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = fig.canvas
    if not isinstance(canvas, FigureCanvasAgg) or fig.get_layout_engine() is not None:
        return "tight"
    original = fig.dpi
    try:
        fig.dpi = dpi
        renderer = canvas.get_renderer()
        with renderer._draw_disabled():  # places ticks and texts, draws nothing
            fig.draw(renderer)
        bbox = fig.get_tightbbox(renderer)
    finally:
        fig.dpi = original
    pad = mpl.rcParams["savefig.pad_inches"]
    return bbox.padded(pad, pad)
