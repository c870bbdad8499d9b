"""Hostile input is normal input: a personal number wherever a loader reads text.

Each loader gets a minimal valid file, then the same file with a Swedish personal identity
number (in one of its written forms) in a column header, in a title row above the table,
and in a text cell. Every one is refused with PersonalDataError whose message names the
file and row and never holds the number; free text (LIKA comments, event texts) is masked
instead and is tested in test_privacy.py.
"""

from __future__ import annotations

import pytest

from ehalsa_analys import load
from ehalsa_analys.errors import PersonalDataError

FORMS = ["19121212-1212", "191212121212", "121212-1212", "19121212 1212", "811228-9874"]

#: loader -> (reader, header, a data row, the column whose cell gets the number)
LOADERS = {
    "lika": (
        load.lika,
        "Kommun;Datum;Område;Del;Indikator-id;Status",
        "Laxå;2022-05-11;Övergripande;Ledning;OVG-L1;Uppnådd",
        4,
    ),
    "socialstyrelsen": (
        load.socialstyrelsen,
        "År;Kommunkod;Kommun;Digital nattillsyn",
        "2022;0114;Upplands Väsby;Ja",
        2,
    ),
    "monitoring": (
        load.monitoring,
        "Kommun;Kvartal;Mått;Värde",
        "Örebro;2024 K1;nattillsyn_brukare;40",
        2,
    ),
    "population": (load.population, "Rutid;Befolkning;Kommun", "3180006400000;12;Örebro", 2),
    "services": (
        lambda p: load.services(p, crs="EPSG:3006"),
        "Namn;Typ;X;Y",
        "Apoteket;Apotek;515400;6566300",
        0,
    ),
    "pipos": (
        load.pipos,
        "Kommun;Servicetyp;Avståndsklass;Befolkning",
        "2260;Dagligvaror;0–5 min;8123",
        1,
    ),
    "events": (load.events, "Datum;Kommun;Händelse", "2024-02-15;Örebro;Digitala besök", None),
    "metric_catalogue": (
        load.metric_catalogue,
        "metric_id;title_sv;unit;kind;higher_is_better;target;baseline_end",
        "m1;Mått ett;antal;count;true;;2023Q4",
        1,
    ),
}


def _write(tmp_path, lines):
    path = tmp_path / "export.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _refused(read, path, number, row):
    with pytest.raises(PersonalDataError) as err:
        read(path)
    message = str(err.value)
    assert "export.csv" in message and f"row {row}" in message, message
    digits = number.replace("-", "").replace(" ", "")
    for form in (number, digits, digits[-4:] + " ", number[-9:]):
        assert form not in message, (form, message)
    return message


@pytest.mark.parametrize("name", sorted(LOADERS))
def test_each_loader_reads_its_minimal_file(tmp_path, name):
    read, header, row, _ = LOADERS[name]
    assert len(read(_write(tmp_path, [header, row]))) == 1


@pytest.mark.parametrize("number", FORMS)
@pytest.mark.parametrize("name", sorted(LOADERS))
def test_a_personal_number_in_a_header_is_refused(tmp_path, name, number):
    read, header, row, _ = LOADERS[name]
    cells = header.split(";")
    cells[-1] = f"{cells[-1]} {number}"
    message = _refused(read, _write(tmp_path, [";".join(cells), row]), number, 1)
    assert "column" in message


@pytest.mark.parametrize("number", FORMS[:2])
@pytest.mark.parametrize("name", sorted(LOADERS))
def test_a_personal_number_in_a_title_row_is_refused(tmp_path, name, number):
    read, header, row, _ = LOADERS[name]
    _refused(read, _write(tmp_path, [f"Uttag för {number}", "", header, row]), number, 1)


@pytest.mark.parametrize("number", FORMS)
@pytest.mark.parametrize("name", sorted(n for n, v in LOADERS.items() if v[3] is not None))
def test_a_personal_number_in_a_text_cell_is_refused(tmp_path, name, number):
    read, header, row, column = LOADERS[name]
    cells = row.split(";")
    cells[column] = f"{cells[column]} {number}"
    message = _refused(read, _write(tmp_path, [header, ";".join(cells)]), number, 2)
    assert "column" in message


def test_a_file_named_with_a_personal_number_is_refused(tmp_path):
    path = tmp_path / "brukare_19121212-1212.csv"
    path.write_text("Kommun;Kvartal;Mått;Värde\nÖrebro;2024 K1;m;4\n", encoding="utf-8")
    with pytest.raises(PersonalDataError, match="file name") as err:
        load.monitoring(path)
    assert "1212-1212" not in str(err.value) and str(tmp_path) in str(err.value)
