"""The reader's fast paths give what its general paths give, and miss no personal number.

- A text without quote characters is split by pandas' C parser (:func:`_split_unquoted`)
  instead of the csv module (:func:`_split_csv`): the same cells, one record per line.
- A tall grid is read column by column, a short one as one object array: the same table.
- The personal-number column rule first looks at a column's distinct texts and skips the
  column when none is number-shaped: it refuses exactly the columns the rule refuses.
- A survey's Ja/Nej column parses only the cells that are not Ja/Nej as numbers.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from ehalsa_analys.errors import InputFileError, PersonalDataError
from ehalsa_analys.load import read_table, reader
from ehalsa_analys.load.personal import check_personal_numbers, holds_personal_numbers

FIXTURES = Path(__file__).parents[1] / "fixtures"
#: Valid personal numbers (checked by hand: Luhn digit and date), in written forms.
NUMBERS = ["19121212-1212", "121212-1212", "8112289874", "811228-9874", "701063-2391"]

# Pieces a line of an export can be made of, separators and every line break included, and
# characters that are line breaks for str.splitlines but not for the csv module.
PIECES = [
    "a",
    "Ö",
    "12",
    "3,5",
    " ",
    "\u00a0",
    ";",
    ",",
    "\t",
    "\r",
    "\n",
    "\r\n",
    "x",
    "\x1c",
    "\x0b",
    "-",
]


@settings(max_examples=300, deadline=None)
@given(
    text=st.lists(st.sampled_from(PIECES), min_size=1, max_size=40).map("".join),
    sep=st.sampled_from([";", ",", "\t"]),
)
def test_unquoted_split_agrees_with_the_csv_module(text, sep):
    if not text.encode().strip():
        return  # the reader refuses an empty file before splitting it
    fast = reader._split_unquoted(text, sep)
    slow, starts = reader._split_csv(text, sep, "x.csv")
    pd.testing.assert_frame_equal(fast, slow)
    assert starts.tolist() == list(range(1, len(slow) + 1))  # no quotes: a record per line


@pytest.mark.parametrize("text", ["\r;", "\r;;", "x\n\r;", "a;b"])
def test_a_last_record_without_a_line_break_splits_as_the_csv_module_does(text):
    # "\r;" made pandas' C parser overflow its buffer (found by the test above)
    fast = reader._split_unquoted(text, ";")
    slow, _ = reader._split_csv(text, ";", "x.csv")
    pd.testing.assert_frame_equal(fast, slow)


def test_the_csv_module_takes_over_when_the_c_parser_gives_up(tmp_path, monkeypatch):
    path = tmp_path / "plain.csv"
    path.write_text("Kommun;Antal\nÖrebro;5\nKumla;7\n", encoding="utf-8")
    expected = read_table(path, resolve_codes=False)

    def overflow(text, sep):
        raise pd.errors.ParserError("Buffer overflow caught")

    monkeypatch.setattr(reader, "_split_unquoted", overflow)
    pd.testing.assert_frame_equal(read_table(path, resolve_codes=False), expected)


def test_a_line_wider_than_the_sniffed_ones_is_kept(tmp_path):
    lines = ["Titel"] + ["Kommun;Antal"] + ["Örebro;5"] * 300 + ["Kumla;7;extra"]
    path = tmp_path / "wide_at_the_end.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    cells = reader._split_unquoted(path.read_text(encoding="utf-8"), ";")
    assert cells.shape == (303, 3)
    assert cells.iloc[-1].tolist() == ["Kumla", "7", "extra"]


def test_a_quoted_file_still_goes_through_the_csv_module(tmp_path):
    path = tmp_path / "quoted.csv"
    path.write_text('Kommun;Kommentar\nÖrebro;"två\nrader"\nKumla;en\n', encoding="utf-8")
    table = read_table(path, resolve_codes=False)
    assert table["Kommentar"].tolist() == ["två\nrader", "en"]
    assert table["source_row"].tolist() == [2, 4]  # the record after the quoted break


def _tall_file(path: Path, rows: int = 6000) -> Path:
    codes = ["1880", "1814", "0180", "1480"]
    lines = ["Uppföljning 2024", "", "Kommunkod;Mått;Antal"]
    lines += [f"{codes[i % 4]};m{i % 7};{i}" for i in range(rows)]
    lines.insert(100, "")  # a blank row inside the table
    lines += ["", "Källa: kommunerna", "x = färre än 5"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _read_both(monkeypatch, path, **kwargs):
    monkeypatch.setattr(reader, "_TALL_ROWS", 10**9)
    short = read_table(path, **kwargs)
    monkeypatch.setattr(reader, "_TALL_ROWS", 0)
    tall = read_table(path, **kwargs)
    return short, tall


@pytest.mark.parametrize(
    "name",
    [
        "semicolon_cp1252_titles_footnotes.csv",
        "two_row_header.csv",
        "titles_footnotes.xlsx",
        "merged_body.xlsx",
        "merged_two_row_header.xlsx",
        "tab_utf8_unicode_numbers.txt",
        "utf8_bom_comma_quoted.csv",
    ],
)
def test_tall_and_short_grids_read_alike(monkeypatch, name):
    short, tall = _read_both(monkeypatch, FIXTURES / "reader" / name, auto_numeric=True)
    pd.testing.assert_frame_equal(short, tall)
    assert short.attrs == tall.attrs


def test_a_tall_file_reads_alike_both_ways(monkeypatch, tmp_path):
    short, tall = _read_both(monkeypatch, _tall_file(tmp_path / "tall.csv"), numeric=["Antal"])
    pd.testing.assert_frame_equal(short, tall)
    assert short.attrs == tall.attrs
    assert len(tall) == 6000 and tall.attrs["footnotes"] == ["Källa: kommunerna", "x = färre än 5"]
    assert tall["source_row"].iloc[[0, 96, 97, -1]].tolist() == [4, 100, 102, 6004]


def test_a_repeated_header_deep_in_a_tall_file_is_refused(tmp_path):
    path = _tall_file(tmp_path / "tall.csv")
    text = path.read_text(encoding="utf-8").replace("1880;m0;5600\n", "Kommunkod;Mått;Antal\n")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputFileError, match="header row repeats") as err:
        read_table(path)
    assert err.value.row == 5605


# ------------------------------------------------------------------ personal numbers

CELLS = st.one_of(
    st.sampled_from(NUMBERS),  # valid
    st.sampled_from(["2301151230", "2301151231", "5566778899", "0701234567"]),  # shaped, invalid
    st.sampled_from(["Örebro", "", "12", "3,5", "x", "..", " 19121212-1212 "]),
    st.integers(min_value=0, max_value=10**12),
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(columns=st.lists(st.lists(CELLS, min_size=1, max_size=12), min_size=1, max_size=4))
def test_the_fast_reject_refuses_exactly_what_the_rule_refuses(columns):
    table = {f"c{j}": pd.Series(column, dtype=object) for j, column in enumerate(columns)}
    # The same cells as the reader's text columns and as integer columns where they are ints.
    for key, column in list(table.items()):
        table[key + "_str"] = column.astype("str")
        if all(isinstance(v, int) for v in column):
            table[key + "_int"] = column.astype("int64")
    expected = [key for key, column in table.items() if holds_personal_numbers(column)]
    if expected:
        with pytest.raises(PersonalDataError) as err:
            check_personal_numbers(table)
        assert err.value.column == expected[0]  # the first refused column, as before
    else:
        check_personal_numbers(table)


def test_personal_numbers_in_a_numeric_looking_column_are_caught(tmp_path):
    path = tmp_path / "antal.csv"
    rows = ["Kommunkod;Antal"] + [f"1880;{n}" for n in ["12", "8112289874", "7010632391"]]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    with pytest.raises(PersonalDataError) as err:
        read_table(path, numeric=["Antal"])
    assert err.value.column == "Antal" and err.value.row == 3
    assert "8112289874" not in str(err.value)


def test_personal_numbers_stored_as_spreadsheet_numbers_are_caught(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["Kommunkod", "Värde"])
    ws.append([1880, 8112289874])  # Excel keeps no leading zero and no dash
    ws.append([1814, 7010632391])
    path = tmp_path / "tal.xlsx"
    wb.save(path)
    with pytest.raises(PersonalDataError) as err:
        read_table(path)
    assert err.value.column == "Värde" and err.value.row == 2


def test_a_personal_number_deep_in_a_tall_file_is_caught(tmp_path):
    path = _tall_file(tmp_path / "tall.csv")
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[5000] = "1880;Ring 19121212-1212;5"  # inside a text cell, row 5001
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(PersonalDataError) as err:
        read_table(path)
    assert err.value.row == 5001 and err.value.column == "Mått"
    assert "1212" not in str(err.value)
    masked = read_table(path, free_text=["Mått"])  # free text: masked, not refused
    assert masked.loc[masked["source_row"] == 5001, "Mått"].tolist() == ["Ring ÅÅÅÅMMDD-XXXX"]


def test_a_column_of_personal_numbers_deep_in_a_tall_file_is_caught(tmp_path):
    path = _tall_file(tmp_path / "tall.csv")
    lines = path.read_text(encoding="utf-8").splitlines()
    for i in range(5000, 5003):
        lines[i] = "1880;m1;" + NUMBERS[i % 2 + 1]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(PersonalDataError) as err:
        read_table(path)
    assert err.value.column == "Antal" and err.value.row == 5001


# ------------------------------------------------------------------ survey Ja/Nej


def test_survey_yes_no_cells_and_the_rest(tmp_path):
    from ehalsa_analys import load

    catalogue = pd.DataFrame(
        {
            "indicator_id": ["k1"],
            "title_sv": ["Digital tillsyn"],
            "title_en": ["k1"],
            "unit": ["ja/nej"],
            "higher_is_better": [True],
            "area": ["x"],
            "kolada_kpi": [""],
            "aliases": [()],
        }
    )
    path = tmp_path / "enkat_2023.csv"
    rows = ["Kommunkod;Digital tillsyn", "1880;Ja", "1814;nej", "0180;x", "1480;1", "1440;.."]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    obs = load.socialstyrelsen(path, catalogue=catalogue).set_index("municipality_code")
    assert obs.loc[["1880", "1814", "1480"], "value"].tolist() == [1.0, 0.0, 1.0]
    assert np.isnan(obs.loc["0180", "value"]) and obs.loc["0180", "status"] == "suppressed"
    assert obs.loc["1440", "status"] == "missing"
    path.write_text("\n".join([*rows, "1460;2"]) + "\n", encoding="utf-8")
    with pytest.raises(InputFileError, match="not a Ja/Nej answer") as err:
        load.socialstyrelsen(path, catalogue=catalogue)
    assert err.value.row == 7 and err.value.column == "Digital tillsyn"


# ------------------------------------------------------------------ plain numbers

PLAIN = st.builds(
    lambda sign, whole, sep, frac: sign + whole + (sep + frac if frac else ""),
    st.sampled_from(["", "-"]),
    st.text("0123456789", min_size=1, max_size=15),
    st.sampled_from([",", "."]),
    st.text("0123456789", min_size=0, max_size=15),
)


@settings(max_examples=500, deadline=None)
@given(texts=st.lists(PLAIN, min_size=1, max_size=30))
def test_plain_numbers_convert_as_python_does(texts):
    from ehalsa_analys.load import numbers

    fast = numbers._plain_floats(pd.Series(texts, dtype="str"))
    exact = np.array([float(t.replace(",", ".")) for t in texts])
    # Bit for bit, so -0.0 and the last digit of the double count.
    assert fast.view(np.int64).tolist() == exact.view(np.int64).tolist()


@settings(max_examples=200, deadline=None)
@given(
    cells=st.lists(
        st.one_of(PLAIN, st.sampled_from(["12 345,6", "45 %", "−3,5", "+7", ",5", "..", "x", ""])),
        min_size=1,
        max_size=30,
    )
)
def test_plain_and_written_numbers_mix(cells):
    from ehalsa_analys.load.numbers import parse_numbers

    values, status = parse_numbers(pd.Series(cells, dtype="str"))
    one_by_one = [parse_numbers(pd.Series([c], dtype="str")) for c in cells]
    assert values.fillna(-1e300).tolist() == [v.fillna(-1e300).iloc[0] for v, _ in one_by_one]
    assert status.tolist() == [s.iloc[0] for _, s in one_by_one]


def test_a_count_written_with_a_thousands_comma_is_still_refused():
    from ehalsa_analys.load.numbers import parse_numbers

    cells = pd.Series(["12", "7", "1,234", "3"], dtype="str")
    with pytest.raises(InputFileError, match="not a whole number") as err:
        parse_numbers(cells, column="Antal", rows=[2, 3, 4, 5], integer=True, minimum=0)
    assert err.value.row == 4 and err.value.column == "Antal"
