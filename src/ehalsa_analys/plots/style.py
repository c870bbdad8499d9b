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
    "place_source",
    "figure_legend",
    "colour_bar",
    "nice_limits",
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


_SOURCE_GID = "ehalsa-source"


def with_period(title: str, period) -> str:
    """``title`` followed by its period ("…, 2022") when one is given.

    Example
    -------
    >>> with_period("Mognadsindex", 2022), with_period("Mognadsindex", None)
    ('Mognadsindex, 2022', 'Mognadsindex')
    """
    return f"{title}, {period}" if period not in (None, "") else title


def add_source(fig: mpl.figure.Figure, text: str, *, lang: str = "sv") -> mpl.text.Text:
    """Write the source line ("Källa: …" / "Source: …") under the bottom left of ``fig``.

    It hangs below the figure's edge; :func:`save` moves it under everything else drawn
    (rotated tick labels, a legend below the Axes: :func:`place_source`) and crops to include
    it. A second call replaces the first line rather than adding another.
    """
    check_choice("lang", list(LABELS), lang)
    for old in [t for t in fig.texts if t.get_gid() == _SOURCE_GID]:
        old.remove()
    line = fig.text(
        0.01,
        0.0,
        f"{LABELS[lang]['source']}: {text}",
        ha="left",
        va="top",
        fontsize="small",
        color="#555555",
    )
    line.set_gid(_SOURCE_GID)
    return line


def place_source(fig: mpl.figure.Figure) -> None:
    """Move the source line of :func:`add_source` just below everything else in ``fig``.

    Tick labels, legends and notes under the Axes may reach below the figure's edge; the
    source line then goes under the lowest of them, so no text sits on it. Nothing happens
    when ``fig`` has no source line.

    Example
    -------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> fig.subplots_adjust(bottom=0.02)   # the tick labels hang below the figure's edge
    >>> _ = ax.set_xticks([0, 1], ["lång\\netikett", "b"])
    >>> line = add_source(fig, "SCB")
    >>> place_source(fig)
    >>> bool(line.get_position()[1] < 0)
    True
    """
    _place_lines(fig, fig.canvas.get_renderer())


def _place_lines(fig: mpl.figure.Figure, renderer) -> list:
    """Move ``fig``'s source lines under everything else; return the boxes of all the rest."""
    lines = [t for t in fig.texts if t.get_gid() == _SOURCE_GID]
    boxes = []
    for artist in fig.get_children():
        if artist in lines or not artist.get_visible() or artist is fig.patch:
            continue
        try:
            box = artist.get_tightbbox(renderer)
        except (TypeError, AttributeError):  # artists without an extent
            continue
        if box is not None and box.width > 0 and box.height > 0:
            boxes.append(box)
    if lines and boxes:
        bottom = min(box.y0 for box in boxes)
        pad = 4 * fig.dpi / 72  # 4 points
        y = float(min(0.0, (bottom - pad) / (fig.bbox.height or 1.0)))
        for line in lines:
            line.set_y(y)
    return boxes + [line.get_window_extent(renderer) for line in lines]


def figure_legend(fig, handles, labels=None, *, loc: str = "lower center", ncols: int = 1):
    """A legend for the whole figure, pinned to the figure's own frame.

    ``fig.legend(loc=...)`` alone anchors to the figure's box, which saving with
    ``bbox_inches="tight"`` replaces by the cropped one: a legend at the bottom then slides
    down onto the source line. Pinning it in figure coordinates keeps it where it was laid out.
    ``loc`` is "lower center" (under the panels), "upper right" or "upper left".

    Example
    -------
    >>> import matplotlib.pyplot as plt
    >>> from matplotlib.lines import Line2D
    >>> fig, ax = plt.subplots()
    >>> legend = figure_legend(fig, [Line2D([], [], label="Riket")], loc="upper right")
    >>> [t.get_text() for t in legend.get_texts()]
    ['Riket']
    """
    anchors = {"lower center": (0.5, 0.0), "upper right": (1.0, 1.0), "upper left": (0.0, 1.0)}
    check_choice("loc", list(anchors), loc)
    options = {"handles": handles} if labels is None else {"handles": handles, "labels": labels}
    return fig.legend(
        **options,
        loc=loc,
        bbox_to_anchor=anchors[loc],
        bbox_transform=fig.transFigure,
        ncols=ncols,
        frameon=False,
        fontsize="small",
    )


def nice_limits(low: float, high: float, *, nbins: int = 5) -> np.ndarray:
    """Round tick positions from ``low`` to ``high``: steps of 1, 2, 2.5 or 5 times a power of 10.

    The first tick is at or below ``low`` and the last at or above ``high``.

    Example
    -------
    >>> nice_limits(0, 22.3).tolist(), nice_limits(31, 74).tolist()
    ([0.0, 5.0, 10.0, 15.0, 20.0, 25.0], [30.0, 40.0, 50.0, 60.0, 70.0, 80.0])
    """
    if not (np.isfinite(low) and np.isfinite(high)) or high <= low:
        high = low + 1.0 if np.isfinite(low) else 1.0
        low = low if np.isfinite(low) else 0.0
    locator = mpl.ticker.MaxNLocator(nbins=nbins, steps=[1, 2, 2.5, 5, 10])
    ticks = np.asarray(locator.tick_values(low, high), dtype=float)
    return ticks[(ticks >= ticks[ticks <= low].max()) & (ticks <= ticks[ticks >= high].min())]


class _OverflowTicks(mpl.ticker.Formatter):
    """Swedish ticks whose top tick reads "≥ 25" when values above it are clipped."""

    def __init__(self, inner: mpl.ticker.Formatter, top: float) -> None:
        self.inner, self.top = inner, top

    def set_locs(self, locs):
        self.inner.set_locs(locs)

    def __call__(self, x, pos=None):
        text = self.inner(x, pos)
        return f"≥{NBSP}{text}" if np.isclose(x, self.top) else text


def colour_bar(
    ax,
    values,
    *,
    cmap,
    label: str,
    vmin: float | None = None,
    vmax: float | None = None,
    clip_percentile: float | None = None,
    lang: str = "sv",
    percent: bool = False,
    decimals: int | None = None,
    **kwargs,
):
    """A colour bar for ``values`` with round ticks, and an overflow marker when values are clipped.

    The scale runs from ``vmin`` (default: round number at or below the smallest value) to
    ``vmax`` (default: round number at or above the largest value, or above the
    ``clip_percentile``-th percentile when given). Values beyond the top are drawn in the top
    colour: the bar then gets a triangle at its end and its top tick reads "≥ 25", so the
    reader knows the darkest colour means "25 or more". Returns ``(norm, colorbar)``.

    Example
    -------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> norm, bar = colour_bar(ax, [1, 8, 22, 36], cmap="cividis", label="min",
    ...                        clip_percentile=50)
    >>> bar.get_ticks().tolist(), bar.extend, norm.vmax
    ([0.0, 5.0, 10.0, 15.0], 'max', 15.0)
    >>> fig.canvas.draw(); bar.ax.get_yticklabels()[-1].get_text()
    '≥\xa015'
    """
    data = np.asarray(values, dtype=float)
    data = data[np.isfinite(data)]
    low = float(data.min()) if data.size else 0.0
    high = float(data.max()) if data.size else 1.0
    top = (
        high
        if clip_percentile is None or not data.size
        else float(np.percentile(data, clip_percentile))
    )
    start = low if vmin is None else float(vmin)
    end = top if vmax is None else float(vmax)
    ticks = nice_limits(start, max(end, start))
    if vmin is not None:
        ticks = ticks[ticks >= vmin]
        ticks = np.r_[vmin, ticks] if not np.isclose(ticks[0], vmin) else ticks
    if vmax is not None:
        ticks = ticks[ticks <= vmax]
        ticks = np.r_[ticks, vmax] if not np.isclose(ticks[-1], vmax) else ticks
    lo, hi = float(ticks[0]), float(ticks[-1])
    over = bool(data.size and data.max() > hi + 1e-9 * max(1.0, abs(hi)))
    under = bool(data.size and data.min() < lo - 1e-9 * max(1.0, abs(lo)))
    extend = {(True, True): "both", (True, False): "max", (False, True): "min"}.get(
        (over, under), "neither"
    )
    norm = mpl.colors.Normalize(lo, hi)
    formatter = number_formatter(lang, decimals=decimals, percent=percent)
    if over:
        formatter = _OverflowTicks(formatter, hi)
    options = {"shrink": 0.6, **kwargs}
    bar = ax.figure.colorbar(
        mpl.cm.ScalarMappable(norm=norm, cmap=cmap),
        ax=ax,
        extend=extend,
        ticks=ticks,
        format=formatter,
        **options,
    )
    bar.set_label(label)
    return norm, bar


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
    bbox = _place_and_measure(fig, dpi)  # the source line first: the box must hold it
    written = []
    for fmt in formats:
        target = base.with_name(f"{base.name}.{fmt}")
        with mpl.rc_context({"svg.hashsalt": "ehalsa_analys"}), atomic_path(target) as tmp:
            fig.savefig(tmp, format=fmt, dpi=dpi, metadata=_METADATA[fmt], bbox_inches=bbox)
        written.append(target)
    return written


def _place_and_measure(fig: mpl.figure.Figure, dpi: int):
    """Place the source line (:func:`place_source`) and return the box that
    ``savefig(bbox_inches="tight")`` crops a PNG of ``fig`` to, in inches, from one measuring
    pass at ``dpi`` ("tight", to let savefig measure each format itself, when the figure is
    not drawn by Agg or has a layout engine, which a draw runs again)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.layout_engine import PlaceHolderLayoutEngine
    from matplotlib.transforms import Affine2D, Bbox

    engine = fig.get_layout_engine()
    if isinstance(engine, PlaceHolderLayoutEngine):
        # fig.tight_layout() leaves a place holder that does nothing at a draw, but with any
        # engine set savefig measures the whole figure again before drawing it.
        with mpl.rc_context({"figure.autolayout": False, "figure.constrained_layout.use": False}):
            fig.set_layout_engine(None)
        engine = None
    if not isinstance(fig.canvas, FigureCanvasAgg) or engine is not None:
        place_source(fig)
        return "tight"
    original = fig.dpi
    try:
        fig.dpi = dpi
        renderer = fig.canvas.get_renderer()
        with renderer._draw_disabled():  # places ticks and texts, draws nothing
            fig.draw(renderer)
        boxes = [
            box
            for box in _place_lines(fig, renderer)
            if np.isfinite(box.width) and np.isfinite(box.height)
        ]
    finally:
        fig.dpi = original
    if not boxes:
        return "tight"
    pad = mpl.rcParams["savefig.pad_inches"]
    return Bbox.union(boxes).transformed(Affine2D().scale(1 / dpi)).padded(pad, pad)
