"""Monitoring figures: the artists carry the chart frame's numbers and signals."""

from __future__ import annotations

import matplotlib.colors as mcolors
import numpy as np
import pandas as pd
import pytest

from ehalsa_analys import monitoring, plots
from ehalsa_analys.plots.style import PALETTE

Q = pd.period_range("2024Q1", periods=12, freq="Q")


def test_quarter_labels():
    assert plots.quarter_label(pd.Period("2026Q3")) == "2026 K3"
    assert plots.quarter_label(pd.Period("2026Q3"), "en") == "2026 Q3"
    assert plots.quarter_label(2024) == "2024"


def test_spc_chart__lines_limits_target_and_signal_colours(axes):
    y = pd.Series([5, 6, 5, 6, 5, 6, 5, 6, 5, 6, 5, 20.0], index=Q)
    chart = monitoring.control_chart(y, chart="i", baseline_end="2025Q4")
    ax = plots.spc_chart(chart, target=8, higher_is_better=False, ax=axes())
    assert ax.lines[0].get_ydata().tolist() == y.tolist()
    assert ax.lines[1].get_ydata().tolist() == pytest.approx([5.5] * 12)
    ucl = chart["ucl"].iloc[0]
    assert ax.lines[2].get_ydata()[0] == pytest.approx(ucl)  # upper limit step
    assert any(line.get_linestyle() == ":" and line.get_ydata()[0] == 8 for line in ax.lines)
    signal = ax.collections[0]
    assert signal.get_offsets().tolist() == [[11, 20.0]]
    # Higher is worse: a point far above the mean is a deterioration (orange-red).
    assert mcolors.to_hex(signal.get_facecolors()[0]) == PALETTE[5].lower()
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == [  # every encoding explained: line, band, dots
        "Kvartalets värde",
        "Medelvärde",
        "Styrgränser",
        "Baslinje",
        "Mål",
        "Signal: förbättring",
        "Signal: försämring",
    ]
    assert ax.get_xticklabels()[0].get_text() == "2024 K1"
    assert ax.get_title() == "Styrdiagram (i)"


def test_spc_chart__run_chart_baseline_parts_and_percent_axis(axes):
    y = pd.Series(np.r_[np.full(6, 0.04), np.full(6, 0.09)], index=Q)
    chart = monitoring.run_chart(y, parts="2025Q3")
    ax = plots.spc_chart(chart, percent=True, intervention="2025Q3", ax=axes())
    assert ax.get_title() == "Seriediagram"
    # One centre line per part, a vertical line where the part starts and one for the intervention.
    verticals = [line for line in ax.lines if len(set(line.get_xdata())) == 1]
    assert [line.get_xdata()[0] for line in verticals] == [5.5, 5.5]
    ax.figure.canvas.draw()
    assert all(t.get_text().endswith("\xa0%") for t in ax.get_yticklabels() if t.get_text())


def test_spc_small_multiples_one_panel_per_municipality():
    data = pd.DataFrame(
        {
            "municipality_code": ["1880"] * 12 + ["1814"] * 12,
            "metric_id": "m",
            "period": list(Q) * 2,
            "value": np.r_[np.arange(12.0), np.ones(12)],
        }
    )
    fig = plots.spc_small_multiples(monitoring.run_charts(data), ncols=2, source="test")
    titles = [ax.get_title() for ax in fig.axes if ax.get_title()]
    assert titles == ["Lekeberg", "Örebro"]
    assert fig.texts[-1].get_text() == "Källa: test"
    # One legend for the figure, explaining what any panel draws; none in the panels.
    assert [t.get_text() for t in fig.legends[0].get_texts()][:2] == ["Kvartalets värde", "Median"]
    assert all(ax.get_legend() is None for ax in fig.axes)


def test_spc_small_multiples_free_y_says_so_in_its_label():
    data = pd.DataFrame(
        {
            "municipality_code": ["1880"] * 12 + ["1814"] * 12,
            "metric_id": "m",
            "period": list(Q) * 2,
            "value": np.r_[np.arange(100.0, 112.0), np.ones(12)],
        }
    )
    fig = plots.spc_small_multiples(
        monitoring.run_charts(data), ncols=2, sharey=False, unit="Antal", title="Brukare"
    )
    first, second = fig.axes[:2]
    assert first.get_ylim() != second.get_ylim()  # Örebro's 100s do not flatten Lekeberg's 1s
    assert first.get_ylabel() == "Antal (egen skala per kommun)"
    assert fig.get_suptitle() == "Brukare"


def test_its_chart_draws_fitted_segments_and_counterfactual(axes):
    rng = np.random.default_rng(0)
    y = pd.Series(np.r_[np.full(6, 2.0), np.full(6, 5.0)] + rng.normal(0, 0.1, 12), index=Q)
    result = monitoring.interrupted_time_series(y, intervention="2025Q3")
    ax = plots.its_chart(result, ax=axes())
    dashed = [line for line in ax.lines if line.get_linestyle() == "--"][0]
    assert dashed.get_xdata().tolist() == list(range(6, 12))
    assert dashed.get_ydata() == pytest.approx(result.fitted["counterfactual"].iloc[6:].to_numpy())


def test_summary_table_cells(axes):
    summary = pd.DataFrame(
        {
            "municipality": ["Örebro", "Nora"],
            "metric": ["Digitala besök", "Larmtid"],
            "latest": ["9,5 %", "14 min"],
            "target": ["10 %", "–"],
            "signal": ["Förbättring", ""],
            "note": ["", "Få observationer"],
        }
    )
    ax = plots.summary_table(summary, lang="en", ax=axes())
    cells = ax.tables[0].get_celld()
    assert cells[(0, 0)].get_text().get_text() == "Municipality"
    assert cells[(2, 5)].get_text().get_text() == "Få observationer"


def test_spc_chart__events_from_the_log_are_numbered_and_listed(axes):
    from ehalsa_analys import load

    log = load.events("tests/fixtures/monitoring/events.csv")
    orebro = log[log["municipality_code"] == "1880"]
    y = pd.Series(np.arange(12.0), index=Q)
    ax = plots.spc_chart(monitoring.run_chart(y), events=orebro, ax=axes())
    markers = [line for line in ax.lines if line.get_marker() == "v"]
    assert [line.get_xdata()[0] for line in markers] == [0, 4]  # 2024Q1 and 2025Q1
    assert any(t.get_text() == "1. Digitala besök införs   2. Ny larmleverantör" for t in ax.texts)


def test_events_loader_bad_date(tmp_path):
    from ehalsa_analys import load
    from ehalsa_analys.errors import InputFileError

    path = tmp_path / "events.csv"
    path.write_text("Datum;Kommun;Händelse\nfebruari;Örebro;X\n", encoding="utf-8")
    with pytest.raises(InputFileError, match=r"'februari' is not a date.*row 2, column Datum"):
        load.events(path)


def test_count_charts_are_ticked_in_whole_numbers_from_zero(axes):
    """A panel of zeros was ticked −0,04 … 0,04, and one up to 18 was ticked 0, 2, 5, 8, …
    (2,5 steps written without their decimal)."""
    q = pd.period_range("2022Q1", periods=12, freq="Q")
    zeros = monitoring.control_chart(pd.Series(np.zeros(12), index=q), chart="c")
    ax = plots.spc_chart(zeros.assign(chart="c"), ax=axes())
    ax.figure.canvas.draw()
    assert ax.get_ylim() == (0.0, 1.0)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["0", "1"]
    counts = pd.Series([7.0, 8, 11, 9, 6, 7, 10, 12, 8, 9, 18, 7], index=q)
    ax = plots.spc_chart(monitoring.control_chart(counts, chart="c").assign(chart="c"), ax=axes())
    ax.figure.canvas.draw()
    ticks = ax.get_yticks()
    assert ax.get_ylim()[0] == 0 and np.allclose(ticks, np.round(ticks))
    assert [t.get_text() for t in ax.get_yticklabels()] == [str(int(t)) for t in ticks]


def test_summary_table_names_its_quarter(axes):
    s = pd.DataFrame(
        {
            "municipality": ["Örebro"],
            "metric": ["Digitala besök"],
            "latest": ["9,5 %"],
            "target": ["10 %"],
            "signal": ["Förbättring"],
            "note": [""],
        }
    )
    ax = plots.summary_table(s, period=pd.Period("2026Q3", freq="Q"), ax=axes())
    assert ax.get_title() == "Läget i kvartalet, 2026 K3"
    english = plots.summary_table(s, period=pd.Period("2026Q3", freq="Q"), lang="en", ax=axes())
    assert english.get_title() == "The quarter at a glance, 2026 Q3"


def test_summary_table_alone_in_its_figure_takes_its_width():
    """A table figure had the default left margin: a blank eighth before the first column."""
    import matplotlib.pyplot as plt

    s = pd.DataFrame(
        {
            "municipality": ["Örebro"],
            "metric": ["Digitala besök"],
            "latest": ["9,5 %"],
            "target": ["10 %"],
            "signal": [""],
            "note": [""],
        }
    )
    fig, ax = plt.subplots(figsize=(10, 2))
    plots.summary_table(s, ax=ax)
    x0, _y0, width, _h = ax.get_position().bounds
    assert x0 < 0.02 and width > 0.97
    # every column's text starts the same small distance from its left border
    fig.canvas.draw()
    cells = ax.tables[0].get_celld()
    renderer = fig.canvas.get_renderer()
    gaps = [
        cells[(1, c)].get_text().get_window_extent(renderer).x0
        - cells[(1, c)].get_window_extent(renderer).x0
        for c in range(3)
    ]
    assert max(gaps) - min(gaps) < 1.0  # pixels
    # beside other Axes it keeps its place
    fig, (left, right) = plt.subplots(1, 2)
    before = right.get_position().bounds
    plots.summary_table(s, ax=right)
    assert right.get_position().bounds == before
