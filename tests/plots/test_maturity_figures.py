"""Figure-level LIKA figures: gap_panels and maturity_heatmap_figure own their figure."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from ehalsa_analys import plots
from ehalsa_analys.errors import SchemaError

GAPS = pd.DataFrame(
    {
        "municipality_code": ["1880"] * 2 + ["1814"] * 2 + ["1860"] * 2 + ["1861"] * 2,
        "dimension": ["Ledning", "Kompetens"] * 4,
        "gap": [0.10, -0.20, -0.05, 0.15, 0.0, 0.3, -0.3, -0.1],
        "gap_low": [0.0, -0.3, -0.1, 0.1, -0.1, 0.2, -0.4, -0.2],
        "gap_high": [0.2, -0.1, 0.0, 0.2, 0.1, 0.4, -0.2, 0.0],
        "reference": "county",
    }
)


def test_gap_panels__one_panel_per_municipality_in_order():
    fig = plots.gap_panels(GAPS, order=["1814", "1880", "1860", "1861"])
    titles = [ax.get_title() for ax in fig.axes]
    assert titles == ["Lekeberg", "Örebro", "Laxå", "Hallsberg", "", ""]
    # Bars bottom to top in LIKA's order reversed (Kompetens, then Ledning), as gap_bars draws.
    assert [round(p.get_width()) for p in fig.axes[0].patches] == [15, -5]
    assert [round(p.get_width()) for p in fig.axes[1].patches] == [-20, 10]
    assert [ax.axison for ax in fig.axes] == [True, True, True, True, False, False]
    assert all(ax.get_legend() is None and ax.get_xlabel() == "" for ax in fig.axes[:4])
    assert fig.get_size_inches().tolist() == [11.0, 5.8]  # 2 rows of 3, title and legend
    # The title naming the measure, the shared axis label; no source given.
    assert [t.get_text() for t in fig.texts] == [
        "Skillnad mot länets medelvärde per kommun och del",
        "Skillnad i poäng (0–100)",
    ]
    # One legend for the figure explains the bar colours (the panels have none).
    assert [t.get_text() for t in fig.legends[0].get_texts()][:2] == [
        "Över referensen",
        "Under referensen",
    ]


def test_gap_panels__one_municipality_gets_one_panel_of_full_size():
    """Gotland, a county of one municipality, drew one narrow panel in a row of three."""
    one = GAPS[GAPS["municipality_code"] == "1880"]
    fig = plots.gap_panels(one)
    assert [ax.get_title() for ax in fig.axes] == ["Örebro"]
    width = fig.get_size_inches()[0]
    three = plots.gap_panels(GAPS, order=["1814", "1880", "1860"])
    panel = three.axes[0].get_position().width * three.get_size_inches()[0]
    assert width < 11 and fig.axes[0].get_position().width * width >= panel


def test_gap_panels__shared_axis_source_and_english():
    fig = plots.gap_panels(GAPS, ncols=2, lang="en", source="Test data")  # by code: 1814 first
    assert [ax.get_title() for ax in fig.axes] == ["Lekeberg", "Laxå", "Hallsberg", "Örebro"]
    assert len({ax.get_xlim() for ax in fig.axes}) == 1
    # The title, the shared axis label, then the source line.
    assert [t.get_text() for t in fig.texts] == [
        "Difference from the county mean by municipality and dimension",
        "Difference in points (0–100)",
        "Source: Test data",
    ]


def test_gap_panels__a_municipality_without_rows_gets_an_empty_titled_panel():
    fig = plots.gap_panels(GAPS, order=["1880", "0180"], ncols=2)
    assert [ax.get_title() for ax in fig.axes] == ["Örebro", "Stockholm"]
    assert len(fig.axes[1].patches) == 0


def test_gap_panels__owns_its_figure():
    with pytest.warns(UserWarning, match="`ax` passed is ignored"):
        fig = plots.gap_panels(GAPS, ax=plt.figure().add_subplot())
    assert len(fig.axes) == 6


def test_gap_panels__bad_input():
    with pytest.raises(SchemaError, match=r"lacks the column\(s\) \['gap'\]"):
        plots.gap_panels(GAPS.drop(columns="gap"))
    with pytest.raises(SchemaError, match="no rows"):
        plots.gap_panels(GAPS.iloc[:0])
    with pytest.raises(ValueError, match="`ncols` must be a whole number of at least 1, but 0"):
        plots.gap_panels(GAPS, ncols=0)
    with pytest.raises(ValueError, match="`lang` must be one of"):
        plots.gap_panels(GAPS, lang="de")


SCORES = pd.DataFrame(
    {
        "municipality_code": ["1880"] * 2 + ["1814"] * 2 + ["1860"] * 2,
        "dimension": ["Ledning", "Kompetens"] * 3,
        "score": [0.5, 0.25, 0.2, 0.1, 0.9, np.nan],
    }
)


def test_maturity_heatmap_figure__height_follows_the_municipalities():
    fig = plots.maturity_heatmap_figure(SCORES, order=["1814", "1880", "1860"], source="Test")
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Lekeberg", "Örebro", "Laxå"]
    # Row by row, Ledning before Kompetens (LIKA's order).
    assert [t.get_text() for t in ax.texts] == ["20", "10", "50", "25", "90", "–"]
    assert fig.get_size_inches().tolist() == pytest.approx([7.5, 0.42 * 3 + 1.8])
    assert [t.get_text() for t in fig.texts] == ["Källa: Test"]
    default = plots.maturity_heatmap_figure(SCORES.iloc[:4], lang="en")
    assert default.get_size_inches().tolist() == pytest.approx([7.5, 0.42 * 2 + 1.8])
    assert [t.get_text() for t in default.axes[0].get_xticklabels()] == ["Leadership", "Competence"]


def test_maturity_heatmap_figure__owns_its_figure():
    with pytest.warns(UserWarning, match="maturity_heatmap_figure draws its own figure"):
        plots.maturity_heatmap_figure(SCORES, ax=plt.gca())
