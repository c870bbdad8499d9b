"""Personal identity numbers inside single texts: found in every written form, masked, refused."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ehalsa_analys.errors import PersonalDataError
from ehalsa_analys.load.personal import check_personal_numbers
from ehalsa_analys.privacy import (
    check_text,
    find_personal_numbers,
    is_personal_number,
    mask_personal_numbers,
)


def _luhn_digit(nine: str) -> str:
    total = 0
    for i, ch in enumerate(nine):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return str((10 - total % 10) % 10)


@st.composite
def personal_numbers(draw):
    """(text, digits) of a valid number in one of the written forms the issue lists."""
    day = draw(st.dates(dt.date(1900, 1, 1), dt.date(2025, 12, 31)))
    coordination = draw(st.booleans())
    serial = f"{draw(st.integers(0, 999)):03d}"
    dd = day.day + (60 if coordination else 0)
    ten = f"{day:%y%m}{dd:02d}{serial}"
    ten += _luhn_digit(ten)
    sep = draw(st.sampled_from(["-", " ", ""]))
    twelve = draw(st.booleans())
    text = (f"{day:%Y}"[:2] + ten[:6] if twelve else ten[:6]) + sep + ten[6:]
    return text


@given(personal_numbers(), st.sampled_from(["", "Pnr ", "Kontakt: ", "brukare ("]))
def test_every_written_form_is_found_and_masked(number, prefix):
    text = f"{prefix}{number} om larmet"
    assert is_personal_number(number)
    assert find_personal_numbers(text) == [(len(prefix), len(prefix) + len(number))]
    masked = mask_personal_numbers(text)
    assert number not in masked and ("ÅÅÅÅMMDD-XXXX" in masked or "ÅÅMMDD-XXXX" in masked)
    with pytest.raises(PersonalDataError) as err:
        check_text(text, what="metric name", file="matt.csv", row=4, column="namn")
    message = str(err.value)
    assert number not in message and number.replace(" ", "") not in message
    assert "matt.csv" in message and "row 4" in message and "namn" in message


@pytest.mark.parametrize(
    "text",
    [
        "121212-1213",  # wrong check digit
        "Ordernr 2301151231",
        "070-123 45 67",
        "2026Q3",
        "12345678901234",  # longer digit run: not a number of ours
        "212000-0142",  # an organisation number (month 20)
        "",
        None,
    ],
)
def test_other_texts_pass(text):
    assert find_personal_numbers(text) == []
    check_text(text)


def test_hand_checked_spans_and_masks():
    text = "Pnr 121212-1212 och 19811228 9874."
    assert find_personal_numbers(text) == [(4, 15), (20, 33)]
    assert mask_personal_numbers(text) == "Pnr ÅÅMMDD-XXXX och ÅÅÅÅMMDD-XXXX."


def test_a_header_holding_a_number_is_masked_in_the_message():
    with pytest.raises(PersonalDataError) as err:
        check_personal_numbers({"Brukare 19121212-1212": ["19121212-1212"]}, file="x.csv")
    assert "19121212-1212" not in str(err.value)
    assert "Brukare ÅÅÅÅMMDD-XXXX" in str(err.value)


def test_a_column_written_with_spaces_is_refused():
    with pytest.raises(PersonalDataError, match="Column 'pnr'"):
        check_personal_numbers({"pnr": ["19121212 1212", "811228 9874"]}, file="x.csv", rows=[2, 3])


@pytest.mark.parametrize(
    ("lines", "row", "column"),
    [
        (["Kommun;Brukare 19121212-1212", "1880;4"], 1, "column 2"),
        (["Rapport om 811228 9874", "", "Kommun;Antal", "1880;4"], 1, None),
    ],
)
def test_a_file_whose_header_or_title_holds_a_number_is_refused(tmp_path, lines, row, column):
    from ehalsa_analys.load import read_table

    path = tmp_path / "export.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(PersonalDataError) as err:
        read_table(path)
    message = str(err.value)
    assert "19121212-1212" not in message and "811228" not in message
    assert "export.csv" in message and f"row {row}" in message
    if column:
        assert column in message


def test_free_text_is_masked_and_other_text_refused(tmp_path):
    from ehalsa_analys import load

    lika = tmp_path / "lika.csv"
    lika.write_text(
        "Kommun;Datum;Område;Del;Indikator-id;Status;Kommentar\n"
        "Laxå;2022-05-11;Övergripande;Ledning;OVG-L1;Uppnådd;Ring 811228-9874 om detta\n"
        "Laxå;2022-05-11;Övergripande;Infrastruktur;OVG-I1;Nästan där;Nytt wifi\n",
        encoding="utf-8",
    )
    responses = load.lika(lika)
    comments = responses["comment"].dropna().tolist()
    assert "Ring ÅÅMMDD-XXXX om detta" in comments
    assert not any("9874" in str(c) for c in responses.astype(str).to_numpy().ravel())

    events = tmp_path / "events.csv"
    events.write_text(
        "Datum;Kommun;Händelse\n2024-02-15;Örebro;Larm hos 19121212 1212 åtgärdat\n",
        encoding="utf-8",
    )
    assert load.events(events)["text"].tolist() == ["Larm hos ÅÅÅÅMMDD-XXXX åtgärdat"]

    # In a column that is not free text (here the indicator id) the file is refused.
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "Kommun;Datum;Område;Del;Indikator-id;Status\n"
        "Laxå;2022-05-11;Övergripande;Ledning;OVG 811228-9874;Uppnådd\n",
        encoding="utf-8",
    )
    with pytest.raises(PersonalDataError) as err:
        load.lika(bad)
    message = str(err.value)
    assert "9874" not in message and "bad.csv" in message and "row 2" in message
    assert "Indikator-id" in message
