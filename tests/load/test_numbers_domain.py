"""Numbers within their domain: counts are whole, shares 0–1, nothing infinite, nothing coerced."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ehalsa_analys.errors import InputFileError
from ehalsa_analys.load.numbers import parse_numbers


@given(st.integers(1_000, 999_999))
def test_a_count_with_a_thousands_comma_is_an_error_not_a_decimal(n):
    text = f"{n:,}"  # "1,234": one reading as a decimal comma, none as a count
    with pytest.raises(InputFileError, match="not a whole number") as err:
        parse_numbers(["3", text], file="k.csv", column="Antal", rows=[2, 3], integer=True)
    message = str(err.value)
    assert "file k.csv" in message and "row 3" in message and "column Antal" in message
    values, _ = parse_numbers([f"{n:,}".replace(",", " ")], integer=True, minimum=0)
    assert values.tolist() == [float(n)]


@pytest.mark.parametrize(
    ("cells", "options", "what", "row"),
    [
        (["4", "-1"], {"minimum": 0}, "is below 0", 3),
        (["0,4", "45"], {"minimum": 0, "maximum": 1}, "is above 1", 3),
        (["inf"], {}, "is not a number", 2),
        (["Infinity"], {}, "is not a number", 2),
        (["NaN"], {}, "is not a number", 2),
        ([float("inf")], {}, "is infinite", 2),
        ([2.5], {"integer": True}, "is not a whole number", 2),
    ],
)
def test_values_outside_the_domain_name_the_cell(cells, options, what, row):
    rows = list(range(2, 2 + len(cells)))
    with pytest.raises(InputFileError, match=what) as err:
        parse_numbers(cells, file="f.xlsx", column="Värde", rows=rows, **options)
    assert f"row {row}" in str(err.value) and "column Värde" in str(err.value)
    assert "Fix:" in str(err.value)


def test_markers_and_whole_numbers_pass_a_count_column():
    values, status = parse_numbers(["12 345", "x", "..", "0"], integer=True, minimum=0)
    assert values.fillna(-1).tolist() == [12345.0, -1, -1, 0.0]
    assert status.tolist() == ["", "suppressed", "missing", ""]


@pytest.mark.parametrize(
    ("header", "cell", "what"),
    [
        ("Andel brukare med digitalt trygghetslarm, %", "120", "above 100"),
        ("Andel brukare med digitalt trygghetslarm, %", "-2", "below 0"),
        ("Brukare med digital nattillsyn, antal", "1,234", "whole"),
        ("Brukare med digital nattillsyn, antal", "-3", "below 0"),
    ],
)
def test_survey_figures_stay_within_their_units_domain(tmp_path, header, cell, what):
    from ehalsa_analys import load

    path = tmp_path / "enkat_2023.csv"
    path.write_text(f"År;Kommunkod;{header}\n2023;1880;40\n2023;1814;{cell}\n", encoding="utf-8")
    with pytest.raises(InputFileError, match=what) as err:
        load.socialstyrelsen(path)
    assert "row 3" in str(err.value) and "enkat_2023.csv" in str(err.value)
