"""LIKA figures: the artists carry the numbers of the tables they draw."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ehalsa_analys import plots
from ehalsa_analys.errors import SchemaError

SCORES = pd.DataFrame(
    {
        "municipality_code": ["1880"] * 4 + ["1814"] * 4 + ["1860"] * 4,
        "dimension": ["Användning", "Kompetens", "Ledning", "Infrastruktur"] * 3,
        "score": [0.5, 0.25, 0.75, 1.0, 0.2, 0.1, 0.3, 0.4, 0.5, np.nan, 0.5, 0.5],
    }
)


def test_maturity_heatmap__sorted_by_mean_in_lika_order_and_annotated(axes):
    ax = plots.maturity_heatmap(SCORES, ax=axes())
    assert [t.get_text() for t in ax.get_xticklabels()] == [
        "Ledning",
        "Infrastruktur",
        "Kompetens",
        "Användning",
    ]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Örebro", "Laxå", "Lekeberg"]
    texts = [t.get_text() for t in ax.texts]
    assert texts[:4] == ["75", "100", "25", "50"]
    assert texts[4:8] == ["50", "50", "–", "50"]  # a missing score is shown as a dash
    image = ax.images[0].get_array()
    assert image.mask[1, 2] and image[0, 1] == 100


def test_maturity_heatmap__explicit_order_and_english(axes):
    ax = plots.maturity_heatmap(SCORES, order=["1814", "1860", "1880"], lang="en", ax=axes())
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Lekeberg", "Laxå", "Örebro"]
    assert ax.get_xticklabels()[0].get_text() == "Leadership"
    assert ax.get_title() == "LIKA assessment by municipality and dimension"


def test_maturity_heatmap__bad_input(axes):
    with pytest.raises(SchemaError, match=r"lacks the column\(s\) \[.score.\]"):
        plots.maturity_heatmap(SCORES.rename(columns={"score": "x"}), ax=axes())
    with pytest.raises(ValueError, match="`lang` must be one of"):
        plots.maturity_heatmap(SCORES, lang="de", ax=axes())


def test_gap_bars__widths_intervals_colours_and_title(axes):
    g = pd.DataFrame(
        {
            "municipality_code": "1880",
            "dimension": ["Kompetens", "Ledning"],
            "gap": [-0.2, 0.1],
            "gap_low": [-0.3, 0.05],
            "gap_high": [-0.1, 0.2],
            "reference": "nation",
        }
    )
    ax = plots.gap_bars(g, ax=axes())
    # Top to bottom in LIKA order: Ledning above Kompetens.
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Kompetens", "Ledning"]
    assert [round(p.get_width(), 6) for p in ax.patches] == [-20, 10]
    assert ax.patches[0].get_facecolor() != ax.patches[1].get_facecolor()
    segments = ax.collections[0].get_segments()  # error bars
    assert [tuple(np.round(s[:, 0], 6)) for s in segments] == [(-30, -10), (5, 20)]
    assert ax.get_title() == "Örebro: skillnad mot riket"


def test_gap_bars__one_dimension_across_municipalities(axes):
    g = pd.DataFrame({"municipality_code": ["1880", "1814"], "gap": [0.1, -0.1]})
    ax = plots.gap_bars(g, y="municipality_code", ax=axes())
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Lekeberg", "Örebro"]
    with pytest.raises(SchemaError, match="several rows per 'dimension'"):
        plots.gap_bars(pd.concat([g.assign(dimension="Ledning")] * 2), ax=axes())


def test_dispersion_strip__means_points_and_highlight(axes):
    ax = plots.dispersion_strip(SCORES, highlight="Laxå", ax=axes())
    means = [line.get_ydata()[0] for line in ax.lines]
    assert means == pytest.approx([51.666667, 63.333333, 17.5, 40])  # Kompetens mean skips NaN
    highlighted = ax.collections[1].get_offsets()  # first dimension's highlighted point
    assert highlighted[0][1] == 50
    assert [t.get_text() for t in ax.get_legend().get_texts()][-1] == "Laxå"
    assert ax.get_ylim() == (0, 100)


def test_change_dumbbell__filled_when_beyond_interval(axes):
    change = pd.DataFrame(
        {
            "municipality_code": ["1880", "1814", "1860"],
            "score_t0": [0.4, 0.5, 0.3],
            "score_t1": [0.6, 0.45, 0.35],
            "exceeds_interval": [True, True, False],
            "direction": ["up", "down", "none"],
        }
    )
    ax = plots.change_dumbbell(change, rounds=("2018", "2022"), ax=axes())
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Laxå", "Lekeberg", "Örebro"]
    filled = ax.collections[2]
    assert filled.get_offsets()[:, 0].tolist() == pytest.approx([45, 60])
    colours = [tuple(c) for c in filled.get_facecolors()]
    assert colours[0] != colours[1]  # down and up differ
    hollow = ax.collections[3]
    assert hollow.get_offsets()[:, 0].tolist() == pytest.approx([35])
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels[0] == "2018" and labels[1].startswith("2022")


def test_development_table__rows_in_priority_order(axes):
    areas = pd.DataFrame(
        {
            "priority": [2, 1],
            "dimension": ["Ledning", "Kompetens"],
            "mean_score": [0.5, 0.3],
            "n_below": [3, 9],
            "n_municipalities": [12, 12],
            "weakest_indicators": [("Strategi",), ("Digital kompetens", "Säkerhet", "Tredje")],
            "suggested_activities": [("Ta fram strategi",), ("Utbildning", None, "X")],
        }
    )
    ax = plots.development_table(areas, ax=axes())
    cells = ax.tables[0].get_celld()
    assert cells[(1, 1)].get_text().get_text() == "Kompetens"
    assert cells[(1, 2)].get_text().get_text() == "9 av 12"
    assert cells[(1, 3)].get_text().get_text() == "• Digital kompetens\n• Säkerhet"
    assert cells[(1, 4)].get_text().get_text() == "• Utbildning"
    assert cells[(2, 1)].get_text().get_text() == "Ledning"
    ax = plots.development_table(areas, max_rows=1, lang="en", ax=axes())
    assert (2, 1) not in ax.tables[0].get_celld()
    assert ax.tables[0].get_celld()[(1, 1)].get_text().get_text() == "Competence"


def test_maturity_map__one_round_only(axes):
    index = pd.DataFrame({"municipality_code": ["1880", "1814"], "index": [0.6, 0.3]})
    ax = plots.maturity_map(index, county_code="18", ax=axes())
    assert ax.get_title() == "Mognadsindex per kommun"
    colourbar = ax.figure.axes[-1]
    assert colourbar.get_ylabel() == "Mognadsindex (0–100)"
    # The whole 0–100 scale in the heatmap's colours, as the label says (not 30–60).
    assert colourbar.get_ylim() == pytest.approx((0, 100))
    assert ax.collections[0].norm.vmin == 0 and ax.collections[0].norm.vmax == 100
    with pytest.raises(SchemaError, match="several rows per municipality"):
        plots.maturity_map(pd.concat([index, index]), ax=axes())
