"""Property test: messy-but-valid Swedish CSV exports read back exactly.

Hypothesis writes CSVs the way Swedish exports come: a random separator (``;``,
tab or ``,`` with proper quoting), decimal commas, a random thousands separator,
UTF-8, UTF-8 with BOM or cp1252, optional title rows and footnotes, random
missing and suppression markers, stray spaces, and municipality codes with the
leading zero stripped. Every number must come back as the float of its exact
decimal text, every marker as its status and every code as 4 characters.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ehalsa_analys import reference
from ehalsa_analys.load import read_table

MUNICIPALITIES = reference.municipalities()[["municipality_code", "municipality"]]
CODES = MUNICIPALITIES["municipality_code"].tolist()
NAMES = dict(zip(MUNICIPALITIES["municipality_code"], MUNICIPALITIES["municipality"], strict=True))

VALUE_HEADERS = ["Antal", "Andel, %", "Värde", "Brukare 65+ år", "Kostnad (kr)", "Förändring"]
TITLES = [
    "E-hälsa och välfärdsteknik i kommunerna 2023",
    "Nyckeltal per kommun",
    "Tabell 4. Digital tillsyn i hemtjänsten",
    "Syntetiska data, inte statistik",
]
FOOTNOTES = [
    "Källa: Socialstyrelsen, enkät 2023.",
    "Anm. Uppgifterna är preliminära.",
    "x = färre än 5 brukare, .. = uppgift saknas",
    "1) Avser den 1 mars.",
    "* Uppgiften skyddas.",
    "Uppgifterna avser kommunens egen regi",
]
MISSING = ["..", "…", "-", "–", "—", "Uppgift saknas", ""]
SUPPRESSED = ["x", "X"]


@st.composite
def numbers(draw, *, thousands: str, minus: str):
    """(text as written, exact value as float)."""
    integer = draw(st.integers(min_value=0, max_value=99_999_999))
    decimals = draw(st.sampled_from(["", "0", "5", "25", "125", "1", "07", "999"]))
    negative = draw(st.booleans()) and (integer > 0 or decimals.strip("0") != "")
    percent = draw(st.sampled_from(["", "", " %", "%"]))
    digits = f"{integer:,}".replace(",", thousands)
    text = (minus if negative else "") + digits + ("," + decimals if decimals else "") + percent
    exact = Decimal(("-" if negative else "") + str(integer) + ("." + decimals if decimals else ""))
    return text, float(exact)


@st.composite
def cells(draw, *, thousands: str, minus: str, missing: list[str]):
    """(text, value or None, status)."""
    kind = draw(st.sampled_from(["number", "number", "number", "missing", "suppressed"]))
    pad = draw(st.sampled_from(["", "", " "]))
    if kind == "number":
        text, value = draw(numbers(thousands=thousands, minus=minus))
        return pad + text + pad, value, ""
    if kind == "missing":
        return pad + draw(st.sampled_from(missing)) + pad, None, "missing"
    return draw(st.sampled_from(SUPPRESSED)), None, "suppressed"


@st.composite
def exports(draw):
    sep = draw(st.sampled_from([";", "\t", ","]))
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]))
    unicode_ok = encoding != "cp1252"
    thousands = draw(st.sampled_from(["", " ", "\u00a0"] + (["\u202f"] if unicode_ok else [])))
    minus = draw(st.sampled_from(["-"] + (["\u2212"] if unicode_ok else [])))
    missing = MISSING
    n_values = draw(st.integers(min_value=1, max_value=3))
    headers = draw(
        st.lists(st.sampled_from(VALUE_HEADERS), min_size=n_values, max_size=n_values, unique=True)
    )
    with_names = draw(st.booleans())
    n_rows = draw(st.integers(min_value=1, max_value=12))
    codes = draw(st.lists(st.sampled_from(CODES), min_size=n_rows, max_size=n_rows))
    rows = []
    for i, code in enumerate(codes):
        written = draw(st.sampled_from([code, code.lstrip("0") or "0"]))
        row = [draw(cells(thousands=thousands, minus=minus, missing=missing)) for _ in headers]
        if i == n_rows - 1 and all(text.strip() == "" for text, _, _ in row):
            # Documented rule: a last record with its first cell only is a footnote.
            row[0] = ("..", None, "missing")
        rows.append((written, code, row))

    width = 1 + with_names + n_values
    pad = draw(st.booleans())
    titles = draw(st.lists(st.sampled_from(TITLES), max_size=3))
    notes = draw(st.lists(st.sampled_from(FOOTNOTES), max_size=2))
    blank_before_notes = draw(st.booleans())
    blank_after_titles = draw(st.booleans()) and bool(titles)
    newline = draw(st.sampled_from(["\r\n", "\n"]))

    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=sep, lineterminator=newline, quoting=csv.QUOTE_MINIMAL)

    def line(first, rest=()):
        cells_ = [first, *rest]
        if pad:
            cells_ += [""] * (width - len(cells_))
        writer.writerow(cells_)

    for title in titles:
        line(title)
    if blank_after_titles:
        line("")
    writer.writerow(["Kommunkod"] + (["Kommun"] if with_names else []) + headers)
    for written, code, row in rows:
        writer.writerow(
            [written] + ([NAMES[code]] if with_names else []) + [text for text, _, _ in row]
        )
    if notes and blank_before_notes:
        line("")
    for note in notes:
        line(note)
    data = buffer.getvalue().encode(encoding)
    return data, headers, rows, with_names, len(titles) + blank_after_titles + 1


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(export=exports())
def test_messy_swedish_csv_reads_back_exactly(tmp_path, export):
    data, headers, rows, with_names, header_row = export
    path = tmp_path / "export.csv"
    path.write_bytes(data)

    df = read_table(path, numeric=headers, required=["municipality_code"])

    assert df.attrs["header_row"] == header_row
    assert df["municipality_code"].tolist() == [code for _, code, _ in rows]
    if with_names:
        assert df["municipality"].tolist() == [NAMES[code] for _, code, _ in rows]
    assert df["source_row"].tolist() == list(range(header_row + 1, header_row + 1 + len(rows)))
    output = {original: name for name, original in df.attrs["columns"].items()}
    for j, header in enumerate(headers):
        name = output[header]
        status = "status" if name == "value" else f"{name}_status"
        assert df[name].dtype == np.float64
        expected = [cell[j][1] for _, _, cell in rows]
        got = df[name].tolist()
        for e, g in zip(expected, got, strict=True):
            if e is None:
                assert np.isnan(g)
            else:
                assert g == e  # exact: the float of the decimal text
        assert df[status].tolist() == [cell[j][2] for _, _, cell in rows]
