"""Numbers and quarters as text: the base module that indicators and figures share."""

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from ehalsa_analys import formatting, plots
from ehalsa_analys.formatting import format_number, quarter_label, tick_decimals


@pytest.mark.parametrize(
    ("value", "kwargs", "expected"),
    [
        (12345.6, {}, "12\u00a0345,6"),
        (1234567, {}, "1\u00a0234\u00a0567"),
        (12345.6, {"lang": "en"}, "12,345.6"),
        (-12345.6, {"lang": "en"}, "-12,345.6"),
        (45, {"percent": True}, "45\u00a0%"),
        (45.25, {"percent": True, "decimals": 1}, "45,2\u00a0%"),
        (45, {"percent": True, "lang": "en"}, "45%"),
        (-1234.56, {"decimals": 1}, "\u22121\u00a0234,6"),
        (-0.01, {"decimals": 1}, "0,0"),  # rounds to zero: no minus sign
        (0, {}, "0"),
        (2.0, {}, "2"),  # integral floats without decimals
        (2.5, {}, "2,5"),
        (np.int64(7), {}, "7"),
        (float("nan"), {}, "–"),
        (None, {}, "–"),
        (pd.NA, {}, "–"),
        (2.345, {"decimals": 2}, "2,35"),
    ],
)
def test_format_number(value, kwargs, expected):
    assert format_number(value, **kwargs) == expected


def test_format_number__bad_lang_names_the_argument():
    with pytest.raises(ValueError, match=r"`lang` must be one of \['sv', 'en'\], but 'de'"):
        format_number(1, lang="de")


@pytest.mark.parametrize(
    ("step", "expected"),
    [
        (10, 0),
        (1, 0),
        (0.5, 1),
        (0.1, 1),
        (0.05, 2),
        (0.01, 2),
        (0.001, 3),
        (0, 0),
        (-1, 0),
        (2.5, 1),  # 0; 2,5; 5; 7,5: 0 decimals wrote 7,5 as "8" on a monitoring axis
        (0.25, 2),
        (25, 0),
        (0.2, 1),
        (1e-9, 6),
    ],
)
def test_tick_decimals(step, expected):
    assert tick_decimals(step) == expected


def test_axis_ticks_2_5_apart_are_written_exactly(axes):
    from ehalsa_analys import plots

    ax = axes()
    ax.plot([0, 1], [0, 18])
    ax.set_yticks([0, 2.5, 5, 7.5, 10])
    ax.yaxis.set_major_formatter(plots.number_formatter())
    ax.figure.canvas.draw()
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["0,0", "2,5", "5,0", "7,5", "10,0"]


def test_tick_decimals__not_finite():
    assert tick_decimals(float("nan")) == 0 and tick_decimals(float("inf")) == 0


def test_quarter_label():
    assert quarter_label(pd.Period("2026Q3")) == "2026 K3"
    assert quarter_label(pd.Period("2026Q3"), "en") == "2026 Q3"
    assert quarter_label(pd.Period("2026Q1", freq="Q-DEC"), lang="sv") == "2026 K1"
    assert quarter_label(pd.Period("2026-03", freq="M")) == "2026-03"  # not a quarter
    assert quarter_label(2024) == "2024"
    with pytest.raises(ValueError, match="`lang`"):
        quarter_label(pd.Period("2026Q3"), "fi")


def test_plots_reexports_the_same_functions():
    assert plots.format_number is formatting.format_number
    assert plots.quarter_label is formatting.quarter_label
    assert plots.style.format_number is formatting.format_number


def test_number_formatter_uses_the_shared_decimals():
    formatter = plots.number_formatter()
    formatter.set_locs([0.0, 0.05, 0.1])
    assert [formatter(x) for x in (0.0, 0.05, 0.1)] == ["0,00", "0,05", "0,10"]
    formatter = plots.number_formatter(factor=100, percent=True)
    formatter.set_locs([0.0, 0.5, 1.0])
    assert formatter(0.5) == "50\u00a0%"


def test_formatting_needs_no_matplotlib():
    code = (
        "import sys, ehalsa_analys.formatting as f; f.format_number(1.5);"
        "print(sorted(m for m in sys.modules if m.startswith(('matplotlib', 'ehalsa_analys.'))))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert "matplotlib" not in out
    assert eval(out) == ["ehalsa_analys.errors", "ehalsa_analys.formatting"]
