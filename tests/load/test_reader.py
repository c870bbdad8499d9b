"""Tests of the shared Swedish-file reader (load.reader, load.numbers, load.personal).

Fixture files live in tests/fixtures/reader/ and are re-created by make_fixtures.py
there; a few layouts that only matter for one test are written to tmp_path.
"""

from __future__ import annotations

import logging
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ehalsa_analys import demo, reference
from ehalsa_analys.errors import InputFileError, PersonalDataError, UnknownMunicipalityError
from ehalsa_analys.load import check_personal_numbers, read_table
from ehalsa_analys.load.numbers import (
    MISSING_MARKERS,
    SUPPRESSED_MARKERS,
    marker_status,
    parse_numbers,
)
from ehalsa_analys.load.personal import holds_personal_numbers, is_personal_number
from ehalsa_analys.load.reader import ALIASES, SUPPORTED_SUFFIXES, column_key

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "reader"


def fixture(name: str) -> Path:
    return FIXTURES / name


def write(tmp_path: Path, name: str, lines: list[str], encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


def write_xlsx(tmp_path: Path, name: str, rows: list[list], merges: list[str] = ()) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    for merge in merges:
        ws.merge_cells(merge)
    path = tmp_path / name
    wb.save(path)
    return path


def test_fixtures_are_what_make_fixtures_writes(tmp_path):
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_fixtures", FIXTURES / "make_fixtures.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.main(tmp_path)
    made = sorted(p.name for p in tmp_path.iterdir())
    committed = sorted(p.name for p in FIXTURES.iterdir() if p.suffix != ".py" and p.is_file())
    assert made == committed
    for name in made:
        assert (tmp_path / name).read_bytes() == (FIXTURES / name).read_bytes(), name


# --------------------------------------------------------------------------- formats


def test_unsupported_suffix__names_file_and_supported_suffixes(tmp_path):
    path = tmp_path / "tabell.json"
    path.write_text("{}")
    with pytest.raises(InputFileError) as info:
        read_table(path)
    message = str(info.value)
    assert "tabell.json" in message and "'.json'" in message
    for suffix in (".csv", ".xlsx", ".parquet", ".gpkg"):
        assert suffix in message


def test_missing_file__says_so(tmp_path):
    with pytest.raises(InputFileError, match="does not exist"):
        read_table(tmp_path / "saknas.csv")


def test_supported_suffixes_cover_the_issue():
    for suffix in (".xlsx", ".csv", ".txt", ".parquet", ".geoparquet", ".gpkg"):
        assert suffix in SUPPORTED_SUFFIXES


# --------------------------------------------------------------------------- text files


def test_csv__cp1252_semicolon_titles_footnotes_markers():
    df = read_table(
        fixture("semicolon_cp1252_titles_footnotes.csv"), numeric=["Brukare, antal", "Andel, %"]
    )
    assert list(df.columns) == [
        "municipality_code",
        "municipality",
        "county",
        "Brukare, antal",
        "Brukare, antal_status",
        "Andel, %",
        "Andel, %_status",
        "source_row",
    ]
    assert df["municipality_code"].tolist() == ["0180", "1880", "0114", "0980"]
    assert df["Brukare, antal"].tolist()[0] == 1234.0
    assert np.isnan(df["Brukare, antal"].tolist()[1])
    assert df["Brukare, antal_status"].tolist() == ["", "suppressed", "missing", ""]
    assert df["Andel, %"].tolist()[:3] == [12.5, 45.0, 7.0]
    assert df["Andel, %_status"].tolist() == ["", "", "", "missing"]
    assert df["source_row"].tolist() == [5, 6, 7, 8]
    assert df["source_row"].dtype == np.int64
    assert df["Brukare, antal"].dtype == np.float64
    assert df.attrs["encoding"] == "cp1252"
    assert df.attrs["separator"] == ";"
    assert df.attrs["header_row"] == 4
    assert df.attrs["title"] == [
        "E-hälsa och välfärdsteknik i kommunerna 2022",
        "Nyckeltal per kommun, syntetiska data",
    ]
    assert df.attrs["footnotes"][0] == "Källa: syntetiska data."
    assert len(df.attrs["footnotes"]) == 2
    assert df.attrs["columns"]["municipality_code"] == "Kommunkod"
    assert df.attrs["file"].endswith("semicolon_cp1252_titles_footnotes.csv")
    assert df.attrs["sheet"] is None


def test_csv__utf8_bom_comma_separated_with_quoted_decimal_commas():
    df = read_table(fixture("utf8_bom_comma_quoted.csv"), numeric=["value"])
    assert df.attrs["encoding"] == "utf-8-sig"
    assert df.attrs["separator"] == ","
    assert df["municipality_code"].tolist() == ["0180", "1880", "2584"]  # BOM not in the header
    assert df["value"].tolist() == [12.5, 3.0, 1234.5]
    assert df["status"].tolist() == ["", "", ""]  # the status of `value` is `status`
    assert df["municipality"].tolist() == ["Stockholm", "Örebro", "Kiruna"]


def test_csv__tab_no_break_spaces_minus_sign_percent():
    df = read_table(
        fixture("tab_utf8_unicode_numbers.txt"), numeric=["Antal", "Förändring", "Andel"]
    )
    assert df.attrs["separator"] == "\t"
    assert df.attrs["encoding"] == "utf-8"
    assert df["Antal"].tolist()[:2] == [12345.6, 1000.0]
    assert df["Antal_status"].tolist() == ["", "", "missing"]  # "Uppgift saknas"
    assert df["Förändring"].tolist() == [-3.5, 2.0, 0.25]
    assert df["Andel"].tolist()[:2] == [45.0, 45.0]
    assert df["Andel_status"].tolist() == ["", "", "missing"]  # "…"


def test_csv__latin1_is_read_as_cp1252():
    df = read_table(fixture("latin1.csv"))
    assert df.attrs["encoding"] == "cp1252"
    assert df["municipality"].tolist() == ["Håbo", "Malung-Sälen", "Örebro"]
    assert df["municipality_code"].tolist() == ["0305", "2023", "1880"]


def test_csv__utf16_with_bom_from_excel_unicode_text():
    df = read_table(fixture("utf16_tab.txt"), numeric=["value"])
    assert df.attrs["encoding"] == "utf-16"
    assert df["value"].tolist() == [1.5, 2.0]


def test_csv__undecodable_names_byte_offset_and_row():
    with pytest.raises(InputFileError) as info:
        read_table(fixture("undecodable.csv"))
    message = str(info.value)
    assert "byte offset 30" in message
    assert "0x81" in message
    assert "undecodable.csv" in message and "row 3" in message
    assert "Fix:" in message and "UTF-8" in message


def test_csv__binary_file_is_refused_with_offset(tmp_path):
    path = tmp_path / "data.csv"
    path.write_bytes(b"Kommun;V\x00rde\n")
    with pytest.raises(InputFileError, match="byte offset 8"):
        read_table(path)


def test_csv__excel_file_with_csv_suffix_gets_a_hint(tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes(fixture("titles_footnotes.xlsx").read_bytes())
    with pytest.raises(InputFileError, match="rename it to .xlsx"):
        read_table(path)


def test_csv__empty_file(tmp_path):
    path = tmp_path / "tom.csv"
    path.write_bytes(b"")
    with pytest.raises(InputFileError, match="empty"):
        read_table(path)


def test_csv__encoding_and_separator_can_be_forced(tmp_path):
    path = write(tmp_path, "a.csv", ["Kommunkod|Värde", "0180|1,5"], encoding="cp1252")
    df = read_table(path, sep="|", encoding="cp1252", numeric=["value"])
    assert df["value"].tolist() == [1.5]
    assert df.attrs["separator"] == "|"


def test_csv__quoted_field_with_separator_and_newline(tmp_path):
    path = write(
        tmp_path,
        "q.csv",
        ["Kommunkod;Kommentar;Antal", '0180;"rad ett;\nrad två";"1 234"', "1880;ok;5"],
    )
    df = read_table(path, numeric=["Antal"])
    assert df["Kommentar"].tolist() == ["rad ett;\nrad två", "ok"]
    assert df["Antal"].tolist() == [1234.0, 5.0]
    assert df["source_row"].tolist() == [2, 4]  # the quoted newline spans file rows 2-3


# --------------------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12", 12.0),
        ("12,5", 12.5),
        ("12.5", 12.5),
        ("12 345,6", 12345.6),
        ("12\u00a0345,6", 12345.6),
        ("12\u202f345,6", 12345.6),
        ("1 234 567", 1234567.0),
        ("\u22123,5", -3.5),
        ("-3,5", -3.5),
        ("\u20133,5", -3.5),
        ("+2", 2.0),
        ("45 %", 45.0),
        ("45,0%", 45.0),
        (" 7 ", 7.0),
        (",5", 0.5),
        ("1,5E-03", 0.0015),
        ("0,1", 0.1),
    ],
)
def test_numbers__swedish_forms(text, expected):
    values, status = parse_numbers([text])
    assert values.tolist() == [expected]
    assert status.tolist() == [""]


@pytest.mark.parametrize(
    "text", ["1,234,5", "1.234.567", "1 2345", "12,5,", "12 %%", "%", "abc", "12-13", "1e", "--5"]
)
def test_numbers__anything_with_two_readings_or_text_is_an_error(text):
    with pytest.raises(InputFileError, match="is not a number"):
        parse_numbers([text], file="f.csv", column="Antal", rows=[9])


def test_numbers__thousands_with_commas_gets_a_specific_hint():
    with pytest.raises(InputFileError) as info:
        parse_numbers(["1,234,5"], file="f.csv", column="Antal", rows=[9])
    assert "1 234,5" in str(info.value)
    assert info.value.row == 9 and info.value.column == "Antal"


@pytest.mark.parametrize("marker", sorted(MISSING_MARKERS))
def test_numbers__missing_markers(marker):
    values, status = parse_numbers([marker, "1"])
    assert np.isnan(values.iloc[0]) and status.tolist() == ["missing", ""]


@pytest.mark.parametrize("marker", sorted(SUPPRESSED_MARKERS) + ["X"])
def test_numbers__suppressed_markers(marker):
    values, status = parse_numbers([marker, "1"])
    assert np.isnan(values.iloc[0]) and status.tolist() == ["suppressed", ""]


def test_numbers__marker_sets_cover_the_issue():
    for marker in ("..", "…", "-", "–", "—", "uppgift saknas", ""):
        assert marker in MISSING_MARKERS
    assert "x" in SUPPRESSED_MARKERS
    assert not MISSING_MARKERS & SUPPRESSED_MARKERS


def test_numbers__markers_are_case_and_space_insensitive():
    _, status = parse_numbers(["Uppgift  SAKNAS", " X ", None, float("nan")])
    assert status.tolist() == ["missing", "suppressed", "missing", "missing"]


def test_numbers__real_numbers_pass_through_unchanged():
    values, status = parse_numbers(pd.Series([1, 2.5, None], dtype=object))
    assert values.tolist()[:2] == [1.0, 2.5] and status.tolist() == ["", "", "missing"]


def test_marker_status_for_text_columns():
    assert marker_status(["Ja", "..", "X", " "]).tolist() == [
        "",
        "missing",
        "suppressed",
        "missing",
    ]


def test_text_in_numeric_column__message_names_file_row_column_value_and_fix():
    with pytest.raises(InputFileError) as info:
        read_table(fixture("text_in_numeric.csv"), numeric=["Antal"])
    err = info.value
    assert (err.row, err.column, err.value) == (5, "Antal", "ca 40")
    assert str(err) == (
        f"Value 'ca 40' is not a number (file {fixture('text_in_numeric.csv')}, row 5, "
        "column Antal).\n  Fix: write one number per cell, e.g. 12 345,6 or 45 %, or a marker: "
        "'..' when the value is missing, 'x' when it is suppressed; if this column is text, "
        "do not declare it numeric."
    )


def test_ambiguous_number_is_an_error_not_a_guess():
    with pytest.raises(InputFileError, match="'1,234,5' is not a number.*row 3"):
        read_table(fixture("ambiguous_number.csv"), numeric=["Antal"])


def test_auto_numeric__detects_only_columns_of_numbers_and_markers(tmp_path):
    path = write(
        tmp_path,
        "a.csv",
        ["Kommunkod;År;Svar;Antal;Andel", "0180;2023;Ja;1 234;..", "1880;2023;Nej;x;4,5"],
    )
    df = read_table(path, auto_numeric=True)
    assert df["Antal"].dtype == np.float64 and df["Andel"].dtype == np.float64
    assert df["Antal_status"].tolist() == ["", "suppressed"]
    assert df["Svar"].tolist() == ["Ja", "Nej"]
    assert df["year"].tolist() == ["2023", "2023"]  # key columns stay text
    plain = read_table(path)
    assert plain["Antal"].tolist() == ["1 234", "x"]  # not numeric unless asked


def test_numeric_column_not_found__lists_the_header(tmp_path):
    path = write(tmp_path, "a.csv", ["Kommunkod;Antal", "0180;1"])
    with pytest.raises(InputFileError, match="Numeric column 'Andel' not found.*'Antal'"):
        read_table(path, numeric=["Andel"])


def test_numeric_matched_like_an_alias(tmp_path):
    path = write(tmp_path, "a.csv", ["Kommunkod;Andel (%)", "0180;1,5"])
    df = read_table(path, numeric=["andel"])
    assert df["Andel (%)"].tolist() == [1.5]


# --------------------------------------------------------------------------- personal numbers


PEOPLE = [
    line.split(";")[1] for line in fixture("personnummer.csv").read_text("utf-8").splitlines()[1:]
]


def _digit_forms(number: str) -> set[str]:
    digits = number.replace("-", "").replace("+", "")
    return {number, digits, digits[-10:], digits[-4:], number[-5:]}


def test_personal_numbers__refused_naming_the_column_never_the_values(caplog):
    caplog.set_level(logging.DEBUG)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(PersonalDataError) as info:
            read_table(fixture("personnummer.csv"), numeric=["Antal"])
    err = info.value
    assert err.column == "Personnummer"
    assert "Personnummer" in str(err) and "Fix:" in str(err)
    assert err.value is None
    shown = [str(err), repr(err), str(err.args), str(err.hint), str(err.__dict__)]
    shown += [r.getMessage() for r in caplog.records] + [str(w.message) for w in caught]
    for number in PEOPLE:
        for form in _digit_forms(number):
            assert all(form not in text for text in shown), form
    assert err.__cause__ is None and err.__context__ is None


def test_personal_numbers__scanned_before_anything_else(tmp_path):
    # The numeric column holds text, which would be an InputFileError, and the
    # header cannot be found by alias; the personal numbers are refused first.
    path = write(tmp_path, "p.csv", ["Titel", "Id;Pnr;Antal", f"a;{PEOPLE[0]};text"])
    with pytest.raises(PersonalDataError, match="'Pnr'"):
        read_table(path, numeric=["Antal"])


def test_personal_numbers__invalid_check_digits_are_not_refused():
    df = read_table(fixture("ordernummer.csv"), numeric=["Antal"])
    assert df["Ordernummer"].tolist()[0] == "2301151230"  # kept as text, not refused


def test_personal_numbers__same_shape_valid_check_digits_are_refused(tmp_path):
    valid = [n for n in (f"23011512{i:02d}" for i in range(100)) if is_personal_number(n)][:5]
    assert len(valid) == 5
    path = write(tmp_path, "o.csv", ["Kommunkod;Ordernummer"] + [f"0180;{n}" for n in valid])
    with pytest.raises(PersonalDataError, match="'Ordernummer'"):
        read_table(path)


def test_personal_numbers__in_xlsx_stored_as_numbers(tmp_path):
    path = write_xlsx(
        tmp_path, "p.xlsx", [["Kommunkod", "Id"], [180, 191212121212], [1880, 189001011239]]
    )
    with pytest.raises(PersonalDataError, match="'Id'"):
        read_table(path)


def test_personal_numbers__in_parquet(tmp_path):
    path = tmp_path / "p.parquet"
    pd.DataFrame({"kommun": ["0180"], "pnr": ["19121212-1212"]}).to_parquet(path)
    with pytest.raises(PersonalDataError, match="'pnr'"):
        read_table(path)


@pytest.mark.parametrize(
    ("text", "valid"),
    [
        ("19121212-1212", True),
        ("191212121212", True),
        ("121212-1212", True),
        ("1212121212", True),
        ("121212+1212", True),  # aged 100 or more
        ("811228-9874", True),
        ("701063-2391", True),  # samordningsnummer, day 63
        ("121212-1213", False),  # check digit
        ("121312-1212", False),  # month 13
        ("212000-0142", False),  # organisation number (month 20)
        ("17121212-1212", False),  # century 17
        ("0002291234", False),
        ("000229-1230", False),
        ("abcdefghij", False),
        ("12121212", False),
    ],
)
def test_is_personal_number(text, valid):
    assert is_personal_number(text) is valid


def test_is_personal_number__leap_day_needs_a_leap_year():
    numbers = [f"000229{n:03d}" for n in range(1000)]  # 2000-02-29 exists (leap year)
    assert any(is_personal_number(n + d) for n in numbers[:20] for d in "0123456789")
    assert not any(
        is_personal_number(f"010229{n:03d}{d}") for n in range(20) for d in "0123456789"
    )  # 1901 and 2001 are not leap years


def test_holds_personal_numbers__rule_is_more_than_half_of_the_shaped_cells():
    valid = "19121212-1212"
    invalid = "19121212-1213"
    assert holds_personal_numbers([valid])
    assert not holds_personal_numbers([valid, invalid])  # half is not more than half
    assert holds_personal_numbers([valid, valid, invalid, "Stockholm", ""])
    assert not holds_personal_numbers(["Stockholm", "", "0180"])


def test_check_personal_numbers__labels_and_rows():
    with pytest.raises(PersonalDataError) as info:
        check_personal_numbers(
            {3: ["x", "19121212-1212"]}, file="f.csv", labels={3: "Pnr"}, rows=[10, 11]
        )
    assert (info.value.column, info.value.row, info.value.file) == ("Pnr", 11, "f.csv")


# --------------------------------------------------------------------------- header and columns


@pytest.mark.parametrize(
    "header",
    [
        "Kommunkod",
        "KOMMUN-KOD",
        "kommun_kod",
        "Kommun kod",
        "KnKod",
        "Kommunnummer",
        "Kommunnr",
        "Kod",
        "Kommun-nr.",
    ],
)
def test_aliases__municipality_code_headers(tmp_path, header):
    path = write(tmp_path, "a.csv", [f"{header};Värde", "180;1", "0180;2", "180.0;3"])
    df = read_table(path, required=["municipality_code"])
    assert df["municipality_code"].tolist() == ["0180", "0180", "0180"]


@pytest.mark.parametrize("header", ["Länskod", "Lan_kod", "LnKod", "LÄNSKOD"])
def test_aliases__county_code_headers(tmp_path, header):
    path = write(
        tmp_path, "a.csv", [f"Kommunkod;{header};Län", "180;1;Stockholms län", "1880;18;x"]
    )
    df = read_table(path)
    assert df["county_code"].tolist() == ["01", "18"]
    assert df["county"].tolist() == ["Stockholms län", "x"]


@pytest.mark.parametrize(
    ("header", "canonical"),
    [("År", "year"), ("Ar", "year"), ("Period", "period"), ("Kvartal", "quarter")],
)
def test_aliases__time_headers(tmp_path, header, canonical):
    path = write(tmp_path, "a.csv", [f"Kommunkod;{header}", "180;2023"])
    assert read_table(path)[canonical].tolist() == ["2023"]


def test_aliases__module_dict_documents_the_issue_names():
    keys = {canonical: {column_key(a) for a in names} for canonical, names in ALIASES.items()}
    for alias in (
        "Kommunkod",
        "Kommun-kod",
        "KnKod",
        "kommun_kod",
        "Kommunnummer",
        "Kommunnr",
        "Kod",
    ):
        assert column_key(alias) in keys["municipality_code"]
    for alias in ("Kommun", "Kommunnamn", "Namn"):
        assert column_key(alias) in keys["municipality"]
    for alias in ("Länskod", "Lan_kod", "LnKod"):
        assert column_key(alias) in keys["county_code"]
    assert column_key("Län") in keys["county"]


def test_aliases__caller_adds_its_own_columns(tmp_path):
    path = write(tmp_path, "a.csv", ["Kommun;Område;Poäng", "Örebro;Äldreomsorg;0,5"])
    df = read_table(
        path,
        aliases={"area": ["Område", "Omrade"], "score": "Poäng"},
        required=["area", "score"],
        numeric=["score"],
    )
    assert list(df.columns) == [
        "municipality_code",
        "municipality",
        "area",
        "score",
        "score_status",
        "source_row",
    ]
    assert df["score"].tolist() == [0.5]


def test_aliases__caller_can_claim_a_built_in_alias(tmp_path):
    path = write(tmp_path, "a.csv", ["Kommunkod;Kod;Värde", "0180;N00945;1"])
    df = read_table(path, aliases={"kpi_id": ["Kod"]})
    assert df["kpi_id"].tolist() == ["N00945"]
    assert df["municipality_code"].tolist() == ["0180"]


def test_aliases__the_more_specific_alias_wins(tmp_path):
    path = write(tmp_path, "a.csv", ["Kod;Kommunkod", "X1;0180"])
    df = read_table(path)
    assert df["municipality_code"].tolist() == ["0180"]
    assert df["Kod"].tolist() == ["X1"]


def test_required_column_missing__lists_header_aliases_and_fix(tmp_path):
    path = write(tmp_path, "a.csv", ["Titel", "", "Ort;Antal", "Örebro;1"])
    with pytest.raises(InputFileError) as info:
        read_table(path, required=["municipality_code"], header_row=3)
    message = str(info.value)
    assert "municipality_code not found" in message
    assert "'Ort', 'Antal'" in message
    assert "'Kommunkod'" in message and "aliases=" in message
    assert "row 3" in message


def test_header__found_below_title_rows_by_names(tmp_path):
    path = write(
        tmp_path,
        "a.csv",
        ["Rapport om e-hälsa", "Kommun: alla", "", "Kod;Namn;Värde", "180;Stockholm;1"],
    )
    df = read_table(path)
    assert df.attrs["header_row"] == 4
    assert df.attrs["title"] == ["Rapport om e-hälsa", "Kommun: alla"]
    assert df["municipality_code"].tolist() == ["0180"]
    assert df["source_row"].tolist() == [5]


def test_header__without_known_names_is_the_widest_row(tmp_path):
    path = write(tmp_path, "a.csv", ["Titel;;", "Alfa;Beta;Gamma", "1;2;3"])
    df = read_table(path)
    assert list(df.columns) == ["Alfa", "Beta", "Gamma", "source_row"]
    assert df.attrs["header_row"] == 2


def test_header_row_can_be_given(tmp_path):
    path = write(tmp_path, "a.csv", ["Kommun;Antal", "Kommunkod;Antal", "0180;1"])
    assert read_table(path, header_row=2)["municipality_code"].tolist() == ["0180"]


def test_header__duplicate_and_unnamed_columns(tmp_path):
    path = write(tmp_path, "a.csv", ["Kommunkod;Antal;Antal;;", "0180;1;2;z;"])
    df = read_table(path)
    assert list(df.columns) == ["municipality_code", "Antal", "Antal_2", "unnamed_4", "source_row"]


def test_header__two_row_text_file():
    df = read_table(fixture("two_row_header.csv"), auto_numeric=True)
    assert df.attrs["header_rows"] == [3, 4]
    assert list(df.columns)[:4] == [
        "municipality_code",
        "municipality",
        "Hemtjänst Antal",
        "Hemtjänst Antal_status",
    ]
    assert "Särskilt boende Andel, %" in df.columns
    assert df["Särskilt boende Andel, %"].tolist() == [5.0, 7.5]
    assert df["Hemtjänst Antal_status"].tolist() == ["", "suppressed"]
    assert df["source_row"].tolist() == [5, 6]
    assert df.attrs["footnotes"] == ["1) Andel av alla brukare."]


def test_repeated_header_inside_the_table_is_an_error(tmp_path):
    path = write(tmp_path, "a.csv", ["Kommunkod;Antal", "0180;1", "", "Kommunkod;Antal", "1880;2"])
    with pytest.raises(InputFileError, match="repeats.*row 4"):
        read_table(path)


def test_text_cells_are_stripped_and_codes_stay_text(tmp_path):
    path = write(
        tmp_path, "a.csv", ["Kommunkod;Kommun;Postnummer;Id", " 0180 ; Stockholm ;01234;007"]
    )
    df = read_table(path)
    assert df.loc[0, ["municipality_code", "municipality", "Postnummer", "Id"]].tolist() == [
        "0180",
        "Stockholm",
        "01234",
        "007",
    ]


# --------------------------------------------------------------------------- municipalities


def test_municipality_code_derived_from_names_only():
    df = read_table(fixture("names_only.csv"), numeric=["Invånare"])
    assert list(df.columns)[:2] == ["municipality_code", "municipality"]
    assert df["municipality_code"].tolist() == ["1885", "0980", "0180", "1880", "0000"]
    assert df["municipality"].tolist()[0] == "Lindesbergs kommun"  # names kept as written
    assert df["Invånare"].tolist()[-1] == 10_600_000.0


def test_kommun_column_holding_codes():
    df = read_table(fixture("kommun_holds_codes.csv"))
    assert df["municipality_code"].tolist() == ["0180", "1880", "0114"]


def test_unknown_municipality__names_row_column_and_closest(tmp_path):
    path = write(tmp_path, "a.csv", ["Titel", "Kommunkod;Antal", "0180;1", "", "9999;2"])
    with pytest.raises(UnknownMunicipalityError) as info:
        read_table(path)
    assert info.value.row == 5 and info.value.column == "Kommunkod"
    assert "'9999'" in str(info.value) and "Fix:" in str(info.value)


def test_unknown_name__row_and_closest_names(tmp_path):
    path = write(tmp_path, "a.csv", ["Kommun;Antal", "Örebro;1", "Upsala;2"])
    with pytest.raises(UnknownMunicipalityError, match="Uppsala.*row 3, column Kommun"):
        read_table(path)


def test_missing_code_filled_from_name(tmp_path):
    path = write(tmp_path, "a.csv", ["Kommunkod;Kommun;Antal", "0180;Stockholm;1", ";Riket;2"])
    assert read_table(path)["municipality_code"].tolist() == ["0180", "0000"]


def test_resolve_codes_false_keeps_text(tmp_path):
    path = write(tmp_path, "a.csv", ["Kommunkod;Antal", "180;1", "Stockholms län;2"])
    assert read_table(path, resolve_codes=False)["municipality_code"].tolist() == [
        "180",
        "Stockholms län",
    ]


def test_unknown_county_code(tmp_path):
    path = write(tmp_path, "a.csv", ["Länskod;Antal", "01;1", "99;2"])
    with pytest.raises(UnknownMunicipalityError, match="'99' is not a county code.*row 3"):
        read_table(path)


# --------------------------------------------------------------------------- footnotes


@pytest.mark.parametrize(
    "notes",
    [
        ["Källa: SCB"],
        ["Källor: SCB, Socialstyrelsen"],
        ["Anm. Uppgifterna avser 2023"],
        ["Anmärkning: se nedan"],
        ["1) Gäller hemtjänst"],
        ["(1) Gäller hemtjänst"],
        ["* Skyddad uppgift"],
        ["Fotnot: uppgifterna är preliminära"],
        ["Not: preliminärt"],
        ["x = färre än 5"],
        ["¹ Preliminärt"],
        ["", "Uppgifterna är preliminära", "Rapporten publicerades 2024"],
        ["Uppgifterna är preliminära"],
        ["", "", "Källa: SCB;ett andra fält;och ett tredje"],
    ],
)
def test_footnotes_end_the_table(tmp_path, notes):
    lines = ["Kommunkod;Antal;Andel", "0180;1;2,5", "", "1880;2;3"] + notes + ["", ""]
    df = read_table(write(tmp_path, "a.csv", lines), numeric=["Antal", "Andel"])
    assert df["municipality_code"].tolist() == ["0180", "1880"]
    assert df["source_row"].tolist() == [2, 4]  # the blank row inside is skipped
    assert df.attrs["footnotes"] == [n.replace(";", " ") for n in notes if n]


def test_footnote_rule__first_cell_only_row_inside_the_table_is_data(tmp_path):
    lines = ["Kommunkod;Antal", "0180;1", "0114;", "1880;2"]
    df = read_table(write(tmp_path, "a.csv", lines), numeric=["Antal"])
    assert df["municipality_code"].tolist() == ["0180", "0114", "1880"]
    assert df["Antal_status"].tolist() == ["", "missing", ""]


def test_footnote_rule__one_column_table_ends_only_at_a_marker(tmp_path):
    lines = ["Kommun", "Örebro", "Kumla", "Källa: SCB"]
    df = read_table(write(tmp_path, "a.csv", lines))
    assert df["municipality"].tolist() == ["Örebro", "Kumla"]


# --------------------------------------------------------------------------- spreadsheets


def test_xlsx__titles_footnotes_numbers_and_codes():
    df = read_table(fixture("titles_footnotes.xlsx"), numeric=["Antal", "Andel, %"])
    assert df.attrs["sheet"] == "Nyckeltal"
    assert df.attrs["header_row"] == 4
    assert df.attrs["title"] == ["E-hälsa och välfärdsteknik 2023", "Syntetiska data"]
    assert df.attrs["footnotes"] == ["Källa: syntetiska data", "Anm. Andelen avser alla brukare."]
    assert df["municipality_code"].tolist() == ["0180", "1880", "0114"]
    assert df["Antal"].tolist()[0] == 1234.0
    assert df["Antal_status"].tolist() == ["", "suppressed", "missing"]
    assert df["Andel, %"].tolist() == [12.5, 0.1, 45.5]  # numbers exact, "45,5" text parsed
    assert df["source_row"].tolist() == [5, 6, 7]


def test_xlsx__sheet_by_name_and_index():
    by_name = read_table(fixture("titles_footnotes.xlsx"), sheet="2024", numeric=["Antal"])
    by_index = read_table(fixture("titles_footnotes.xlsx"), sheet=2, numeric=["Antal"])
    for df in (by_name, by_index):
        assert df["municipality_code"].tolist() == ["2584"]
        assert df["Antal"].tolist() == [7.0]
        assert df.attrs["sheet"] == "2024"


def test_xlsx__unknown_sheet_lists_the_sheets():
    with pytest.raises(InputFileError) as info:
        read_table(fixture("titles_footnotes.xlsx"), sheet="2025")
    assert "'Nyckeltal', 'Läs mig', '2024'" in str(info.value)


def test_xlsx__merged_two_row_header():
    df = read_table(fixture("merged_two_row_header.xlsx"), auto_numeric=True)
    assert df.attrs["header_rows"] == [3, 4]
    assert df.attrs["title"] == ["Tabell 3. Brukare med digital tillsyn 2023"]
    assert [c for c in df.columns if not c.endswith("_status")] == [
        "municipality_code",
        "municipality",
        "Hemtjänst Antal",
        "Hemtjänst Andel, %",
        "Särskilt boende Antal",
        "Särskilt boende Andel, %",
        "source_row",
    ]
    assert df["municipality_code"].tolist() == ["0180", "1880", "1881", "1882"]
    assert df["Hemtjänst Antal"].tolist() == [100.0, 7.0, 2.0, 3.0]
    assert df["Särskilt boende Andel, %_status"].tolist() == ["suppressed", "", "missing", ""]
    assert df["Hemtjänst Andel, %_status"].tolist() == ["", "missing", "", ""]
    assert df["source_row"].tolist() == [5, 6, 7, 8]
    assert df.attrs["footnotes"] == ["* Uppgiften skyddas när antalet är färre än 5."]


def test_xlsx__merged_cells_in_the_body_are_filled():
    df = read_table(
        fixture("merged_body.xlsx"),
        aliases={"area": "Område", "score": "Poäng"},
        numeric=["score"],
    )
    assert df["municipality"].tolist() == ["Örebro", "Örebro", "Kumla", "Kumla"]
    assert df["municipality_code"].tolist() == ["1880", "1880", "1881", "1881"]
    assert df["score"].tolist() == [0.5, 0.75, 1.0, 0.0]


def test_xlsx__dates_and_booleans_are_text(tmp_path):
    import datetime as dt

    path = write_xlsx(
        tmp_path, "d.xlsx", [["Kommunkod", "Datum", "Klar"], [180, dt.date(2024, 3, 31), True]]
    )
    df = read_table(path)
    assert df.loc[0, ["Datum", "Klar"]].tolist() == ["2024-03-31", "TRUE"]


# --------------------------------------------------------------------------- columnar files


def test_parquet__renamed_resolved_and_parsed(tmp_path):
    path = tmp_path / "t.parquet"
    pd.DataFrame(
        {
            "Kommunkod": [180, 1880],
            "Antal": ["1 234", "x"],
            "Andel": [0.5, None],
            "Text": ["a", " b "],
        }
    ).to_parquet(path)
    df = read_table(path, numeric=["Antal", "Andel"])
    assert df["municipality_code"].tolist() == ["0180", "1880"]
    assert df["Antal"].tolist()[0] == 1234.0
    assert df["Antal_status"].tolist() == ["", "suppressed"]
    assert df["Andel_status"].tolist() == ["", "missing"]
    assert df["Text"].tolist() == ["a", "b"]
    assert df["source_row"].tolist() == [1, 2]
    assert df.attrs["format"] == "parquet"


def _points():
    import geopandas as gpd
    from shapely.geometry import Point

    return gpd.GeoDataFrame(
        {
            "Rut_id": ["3176256541250", "3176256541251"],
            "Befolkning": [12, 4],
            "Kommun": ["Örebro", "Kumla"],
        },
        geometry=[Point(517_000, 6_570_000), Point(518_000, 6_560_000)],
        crs="EPSG:3006",
    )


@pytest.mark.parametrize("suffix", [".geoparquet", ".parquet", ".gpkg"])
def test_geodata__geometry_and_crs_kept(tmp_path, suffix):
    import geopandas as gpd

    path = tmp_path / f"ruter{suffix}"
    if suffix == ".gpkg":
        _points().to_file(path, layer="befolkning", driver="GPKG")
    else:
        _points().to_parquet(path)
    df = read_table(
        path, aliases={"cell_id": "Rut_id", "population": "Befolkning"}, numeric=["population"]
    )
    assert isinstance(df, gpd.GeoDataFrame)
    assert df.crs.to_epsg() == 3006
    assert df["cell_id"].tolist() == ["3176256541250", "3176256541251"]
    assert df["municipality_code"].tolist() == ["1880", "1881"]
    assert df["population"].tolist() == [12.0, 4.0]
    assert list(df.columns)[-2:] == ["geometry", "source_row"]
    if suffix == ".gpkg":
        assert df.attrs["sheet"] == "befolkning"


def test_gpkg__unknown_layer(tmp_path):
    path = tmp_path / "r.gpkg"
    _points().to_file(path, layer="befolkning", driver="GPKG")
    with pytest.raises(InputFileError, match="(?s)no layer 'x'.*'befolkning'"):
        read_table(path, sheet="x")


# --------------------------------------------------------------------------- the real demo export


def test_demo_export_reads(tmp_path):
    book = [p for p in demo.write_demo(tmp_path, parts=["socialstyrelsen"]) if p.suffix == ".xlsx"][
        0
    ]
    df = read_table(book, sheet="2022", required=["municipality_code"], auto_numeric=True)
    assert len(df) == 290
    assert set(df["municipality_code"]) == set(reference.municipalities()["municipality_code"])
    assert df.attrs["header_row"] == 4 and len(df.attrs["footnotes"]) == 2
    counts = "Brukare med digital nattillsyn, antal"
    assert df[counts].dtype == np.float64
    assert set(df[f"{counts}_status"]) <= {"", "missing", "suppressed"}
    two_rows = read_table(book, sheet="2019", required=["municipality_code"])
    assert two_rows.attrs["header_rows"] == [4, 5]
    assert "Digital nattillsyn i hemtjänsten" in two_rows.columns


# --------------------------------------------------------------------------- performance


def test_performance__200k_row_csv_in_a_few_seconds(tmp_path):
    n = 200_000
    rng = np.random.default_rng(1)
    codes = reference.municipalities()["municipality_code"].to_numpy()
    code = pd.Series(rng.choice(codes, n)).str.lstrip("0")
    count = pd.Series(rng.integers(0, 99_999, n)).map("{:,}".format).str.replace(",", " ")
    share = pd.Series(np.round(rng.random(n) * 100, 1)).astype(str).str.replace(".", ",")
    body = code + ";" + count + ";" + share + ";text"
    text = "Titel;;;\n;;;\nKommunkod;Antal;Andel;Kommentar\n" + "\n".join(body) + "\nKälla: x\n"
    path = tmp_path / "big.csv"
    path.write_bytes(text.encode("cp1252"))
    start = time.perf_counter()
    df = read_table(path, numeric=["Antal", "Andel"])
    elapsed = time.perf_counter() - start
    assert len(df) == n
    assert df["Antal"].sum() == float(count.str.replace(" ", "").astype(int).sum())
    assert df["municipality_code"].str.len().eq(4).all()
    assert elapsed < 10, f"reading {n} rows took {elapsed:.1f} s"


# --------------------------------------------------------------------------- regressions and edges


def test_separator__semicolon_file_with_decimal_commas_and_comma_footnote(tmp_path):
    # Found by the property test: split on ",", every line had 2 fields.
    path = write(
        tmp_path,
        "a.csv",
        ["Kommunkod;Antal;Andel, %", "0114;0,0;..", "0114;0,0;..", "Källa: SCB, enkät 2023."],
    )
    df = read_table(path, numeric=["Antal", "Andel, %"])
    assert df.attrs["separator"] == ";"
    assert df["Antal"].tolist() == [0.0, 0.0]


def test_separator__comma_file_without_known_names(tmp_path):
    path = write(tmp_path, "a.csv", ["Alfa,Beta", 'a,"1,5"', "b,2"])
    df = read_table(path, numeric=["Beta"])
    assert df.attrs["separator"] == ","
    assert df["Beta"].tolist() == [1.5, 2.0]


def test_generic_alias_error_says_how_to_claim_the_column(tmp_path):
    path = write(tmp_path, "a.csv", ["Kod;Värde", "N00945;1"])
    with pytest.raises(UnknownMunicipalityError) as info:
        read_table(path)
    assert "aliases={'<your name>': ['Kod']}" in str(info.value)


def test_status_name_collision_is_an_error(tmp_path):
    path = write(tmp_path, "a.csv", ["Kommunkod;Antal;Antal_status", "0180;1;ok"])
    with pytest.raises(InputFileError, match="already has a column 'Antal_status'"):
        read_table(path, numeric=["Antal"])


def test_resolve_codes_false_keeps_empty_codes_missing(tmp_path):
    path = write(tmp_path, "a.csv", ["Kommunkod;Antal", ";1", "0180;2"])
    codes = read_table(path, resolve_codes=False)["municipality_code"]
    assert codes.isna().tolist() == [True, False]


def test_personal_numbers__column_without_header_is_named_by_letter(tmp_path):
    path = write_xlsx(tmp_path, "p.xlsx", [["Kommunkod"], [180, "19121212-1212"]])
    with pytest.raises(PersonalDataError) as info:
        read_table(path)
    assert info.value.column == "column B"
    assert "1212" not in str(info.value)


def test_xlsx__percent_cells_hold_their_stored_fraction(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Kommunkod", "Andel"])
    ws.append([180, 0.45])
    ws["B2"].number_format = "0%"
    path = tmp_path / "p.xlsx"
    wb.save(path)
    assert read_table(path, numeric=["Andel"])["Andel"].tolist() == [0.45]


def test_municipality_code_and_name_that_disagree_are_refused(tmp_path):
    path = write(tmp_path, "k.csv", ["Kommunkod;Kommun;Antal", "1880;Örebro;4", "1880;Kumla;5"])
    with pytest.raises(UnknownMunicipalityError, match="Code 1880 and name 'Kumla'") as err:
        read_table(path, numeric=["Antal"])
    assert "row 3" in str(err.value) and "column Kommun" in str(err.value)
    agree = write(tmp_path, "ok.csv", ["Kommunkod;Kommun", "1880;Örebro kommun", "0180;Riket?"])
    assert read_table(agree)["municipality_code"].tolist() == ["1880", "0180"]


# --- Formula cells (issue 14): Excel's stored value, or an error when there is none ----------


def _formula_workbook(tmp_path: Path, other: list[list] = ()) -> Path:
    """Sheet "Data" has a formula in B3 (openpyxl stores no value); "Annat" holds ``other``."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Data"
    for row in (["kommunkod", "värde"], ["1880", 3], ["1881", "=B2*2"]):
        ws.append(row)
    annat = wb.create_sheet("Annat")
    for row in other:
        annat.append(row)
    path = tmp_path / "formler.xlsx"
    wb.save(path)
    return path


def _edit_member(path: Path, member: str, old: bytes, new: bytes) -> None:
    """Replace ``old`` by ``new`` in one member of the zip (as Excel's saving would)."""
    import zipfile

    with zipfile.ZipFile(path) as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist()}
    assert old in members[member]
    members[member] = members[member].replace(old, new)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def test_xlsx__formula_without_stored_value_names_the_cell_and_says_to_save_in_excel(tmp_path):
    path = _formula_workbook(tmp_path)
    with pytest.raises(InputFileError) as err:
        read_table(path, sheet="Data")
    text = str(err.value)
    assert "formler.xlsx" in text and "Sheet 'Data'" in text and "(B3)" in text
    assert "row 3" in text and "column B" in text
    assert "open the file in Excel and save it" in text
    assert err.value.row == 3 and err.value.column == "B"


def test_xlsx__formula_with_stored_value_gives_the_value(tmp_path):
    path = _formula_workbook(tmp_path)
    _edit_member(path, "xl/worksheets/sheet1.xml", b"<f>B2*2</f><v />", b"<f>B2*2</f><v>6</v>")
    table = read_table(path, sheet="Data", numeric="value")
    assert table["municipality_code"].tolist() == ["1880", "1881"]
    assert table["value"].tolist() == [3, 6]


def test_xlsx__formula_giving_an_empty_text_is_a_stored_value(tmp_path):
    path = _formula_workbook(tmp_path)
    _edit_member(
        path,
        "xl/worksheets/sheet1.xml",
        b'<c r="B3"><f>B2*2</f><v />',
        b'<c r="B3" t="str"><f>""</f><v />',
    )
    table = read_table(path, sheet="Data")  # no error: Excel stored "" as the formula's value
    assert table["municipality_code"].tolist()[0] == "1880"


def test_xlsx__only_the_sheet_being_read_is_checked_for_formulas(tmp_path):
    path = _formula_workbook(tmp_path, other=[["kommunkod", "värde"], ["1880", "=1+1"]])
    _edit_member(path, "xl/worksheets/sheet1.xml", b"<f>B2*2</f><v />", b"<f>B2*2</f><v>6</v>")
    assert read_table(path, sheet="Data", numeric="value")["value"].tolist() == [3, 6]
    with pytest.raises(InputFileError, match=r"Sheet 'Annat' has 1 formula cell\(s\)") as err:
        read_table(path, sheet=1)
    assert err.value.row == 2 and err.value.column == "B"


def test_a_damaged_survey_workbook_is_an_input_file_error_naming_it(tmp_path):
    """Listing the sheets of a damaged workbook raised calamine's own error, not ours."""
    from ehalsa_analys import load

    path = tmp_path / "enkat_2024.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(InputFileError, match="Cannot open the spreadsheet") as err:
        load.socialstyrelsen(path)
    assert "enkat_2024.xlsx" in str(err.value)
