"""Every figure a reader gets has a title, no text on other text, one source line, one language.

Each builder of ``gallery.FIGURES`` (one per figure function, on small seeded data) is drawn
in Swedish and English with Agg at a low resolution; the source line is placed as
:func:`plots.save` places it, and the boxes of all visible text artists (titles, axis and
tick labels, legends, colour bars, annotations, the source line) are measured on the
renderer. Two boxes that overlap by more than a pixel fail the test, naming both texts.
"""

from __future__ import annotations

import itertools

import matplotlib.pyplot as plt
import pytest

from ehalsa_analys import plots
from ehalsa_analys.plots.style import place_source

from . import gallery

DPI = 50
#: Words of the Swedish figures that must not appear in English ones.
SWEDISH = {"Källa", "Andel", "Kommun", "Kommunen", "Riket", "Mål", "Ja", "Nej", "År", "Saknas"}


def _drawn_tick_labels(axis):
    """The tick labels ``axis`` draws: of the ticks inside its view, switched on, not empty."""
    labels = []
    for tick in axis._update_ticks():  # the ticks matplotlib draws (inside the view limits)
        labels += [label for label in (tick.label1, tick.label2) if label.get_visible()]
    return labels


def _texts(fig):
    """Every text ``fig`` draws (titles, labels, drawn tick labels, legends, notes), not table
    cells (a table lays out its own cells)."""
    found = list(fig.texts)
    for legend in fig.legends:
        found += [*legend.get_texts(), legend.get_title()]
    for ax in fig.axes:
        if not ax.get_visible():
            continue
        found += [ax.title, ax._left_title, ax._right_title, *ax.texts]
        legend = ax.get_legend()
        if legend is not None:
            found += [*legend.get_texts(), legend.get_title()]
        if ax.axison:
            for axis in (ax.xaxis, ax.yaxis):
                if axis.get_visible():
                    found += [axis.label, axis.get_offset_text(), *_drawn_tick_labels(axis)]
    return [t for t in found if t.get_visible() and t.get_text().strip()]


def _rotated(artist) -> bool:
    return artist.get_rotation() % 90 != 0


def _overlaps(fig):
    renderer = fig.canvas.get_renderer()
    texts = _texts(fig)
    boxes = [t.get_window_extent(renderer).shrunk(0.98, 0.9) for t in texts]
    bad = []
    for (a, box_a), (b, box_b) in itertools.combinations(zip(texts, boxes, strict=True), 2):
        if _rotated(a) and _rotated(b):  # parallel rotated tick labels: their envelopes overlap
            continue
        inter_w = min(box_a.x1, box_b.x1) - max(box_a.x0, box_b.x0)
        inter_h = min(box_a.y1, box_b.y1) - max(box_a.y0, box_b.y0)
        if inter_w > 1 and inter_h > 1:
            bad.append((a.get_text(), b.get_text()))
    return bad


def _draw(name, lang):
    with plots.house_style():
        fig = gallery.FIGURES[name](lang)
        fig.set_dpi(DPI)
        place_source(fig)
        fig.canvas.draw()
    return fig


@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize("name", sorted(gallery.FIGURES))
def test_figure_has_a_title_and_no_text_on_text(name, lang):
    fig = _draw(name, lang)
    titles = [ax.get_title(loc=loc) for ax in fig.axes for loc in ("left", "center", "right")]
    suptitle = fig.get_suptitle() if hasattr(fig, "get_suptitle") else ""
    assert suptitle or any(titles), f"{name} ({lang}) has no title"
    sources = [t for t in fig.texts if t.get_gid() == "ehalsa-source"]
    assert len(sources) == 1, f"{name} ({lang}) has {len(sources)} source lines"
    assert _overlaps(fig) == [], f"{name} ({lang}): text on text"
    if lang == "en":  # an English figure is English throughout (names of places aside)
        words = {
            word.strip(",.:()%")
            for text in _texts(fig)
            if text.get_gid() != "ehalsa-source"
            for word in text.get_text().split()
        }
        assert not words & SWEDISH, f"{name} (en) shows {sorted(words & SWEDISH)}"
    plt.close(fig)


def test_the_check_finds_text_on_text():
    fig, ax = plt.subplots()
    ax.set_title("Titel")
    ax.text(0.5, 0.5, "En text")
    ax.text(0.5, 0.5, "En annan text")
    fig.canvas.draw()
    assert _overlaps(fig) == [("En text", "En annan text")]
