"""Kolada v3: saved pages, aggregates apart, and fetching with a fake transport."""

from __future__ import annotations

import json
import urllib.error

import numpy as np
import pytest

from ehalsa_analys import load
from ehalsa_analys.errors import InputFileError, PersonalDataError, UnknownMunicipalityError
from ehalsa_analys.load import KoladaError
from ehalsa_analys.load.kolada import fetch

FIX = "tests/fixtures/kolada/"


def test_paged_response_gender_status_deleted_and_aggregates():
    obs = load.kolada.read(FIX)  # the folder: both pages
    assert obs["municipality_code"].tolist() == ["0000", "0018", "1814", "1860", "1880"]
    assert obs["area_type"].tolist() == [
        "nation",
        "county",
        "municipality",
        "municipality",
        "municipality",
    ]
    row = obs.set_index("municipality_code").loc["1860"]
    assert (
        np.isnan(row["value"]) and row["status"] == "missing" and row["kolada_status"] == "Saknas"
    )
    assert "1861" not in set(obs["municipality_code"])  # isdeleted
    women = load.kolada.read(FIX + "page1.json", gender="K")
    assert women["value"].tolist() == [81000.0]


def test_not_a_kolada_response(tmp_path):
    path = tmp_path / "x.json"
    path.write_text(json.dumps({"data": []}), encoding="utf-8")
    with pytest.raises(InputFileError, match="no 'values' list"):
        load.kolada.read(path)
    broken = tmp_path / "y.json"
    broken.write_text('{"values": [', encoding="utf-8")
    with pytest.raises(InputFileError, match="Not a Kolada JSON response"):
        load.kolada.read(broken)


def test_fetch_follows_next_url_retries_and_saves(tmp_path):
    first = open(FIX + "page1.json", "rb").read()
    second = open(FIX + "page2.json", "rb").read()
    calls, waits = [], []

    def transport(url, timeout):
        calls.append(url)
        if len(calls) == 2:  # the second page fails once, then works
            raise urllib.error.URLError("timed out")
        return second if "page=2" in url else first

    saved = fetch("N01951", years=2024, cache_dir=tmp_path, transport=transport, sleep=waits.append)
    assert [p.name for p in saved] == ["N01951_y2024_p1.json", "N01951_y2024_p2.json"]
    assert calls[0] == "https://api.kolada.se/v3/data/kpi/N01951/year/2024"
    assert calls[1] == calls[2] and waits == [1.0]
    assert len(load.kolada.read(saved)) == 5


def test_fetch_offline_is_a_clear_error(tmp_path):
    def offline(url, timeout):
        raise urllib.error.URLError("Name or service not known")

    waits = []
    with pytest.raises(KoladaError, match="Cannot reach Kolada") as err:
        fetch(
            ["N01951"],
            municipalities=["1880"],
            cache_dir=tmp_path,
            transport=offline,
            retries=2,
            sleep=waits.append,
        )
    assert waits == [1.0, 2.0]  # exponential backoff
    assert "read offline with load.kolada" in str(err.value)


# --- The same rules as every other source (issue 14) -----------------------------------------


def _page(tmp_path, name, items):
    """A hand-made v3 data page: items are (municipality, period, value[, extra fields])."""
    values = []
    for municipality, period, value, *extra in items:
        item = {
            "kpi": "N01951",
            "municipality": municipality,
            "period": period,
            "values": [
                {"gender": "T", "value": value, "count": 1, "status": "", "isdeleted": False}
            ],
        }
        item.update(*extra)
        values.append(item)
    path = tmp_path / name
    # json.dumps writes float("inf") as Infinity, which Python's json (and so read) accepts.
    path.write_text(json.dumps({"count": len(values), "values": values, "next_url": None}), "utf-8")
    return path


def test_codes_go_through_the_shared_resolution_and_aggregates_stay_apart(tmp_path):
    path = _page(
        tmp_path,
        "p.json",
        [
            ("0000", 2024, 1),
            ("0001", 2024, 2),
            ("0025", 2024, 3),
            ("G33402", 2024, 4),
            ("180", 2024, 5),
            ("1880", 2024, 6),
        ],
    )
    obs = load.kolada.read(path)
    areas = dict(zip(obs["municipality_code"], obs["area_type"], strict=True))
    assert areas == {
        "0000": "nation",
        "0001": "county",
        "0025": "county",
        "G33402": "group",
        "0180": "municipality",  # Stockholm, its leading zero restored
        "1880": "municipality",
    }


@pytest.mark.parametrize("code", ["9999", "0026", "Narnia"])
def test_an_unknown_municipality_id_names_the_file_and_the_value(tmp_path, code):
    path = _page(tmp_path, "okand.json", [("1880", 2024, 1), (code, 2024, 2)])
    with pytest.raises(UnknownMunicipalityError) as err:
        load.kolada.read(path)
    text = str(err.value)
    assert "okand.json" in text and code in text and "Kolada item 1" in text
    assert "Fix:" in text and err.value.column == "municipality"


def test_an_infinite_value_is_refused_naming_the_item(tmp_path):
    path = _page(tmp_path, "inf.json", [("1880", 2024, 1.5), ("1814", 2024, float("inf"))])
    assert "Infinity" in path.read_text("utf-8")
    with pytest.raises(InputFileError) as err:
        load.kolada.read(path)
    text = str(err.value)
    assert "is infinite" in text and "inf.json" in text and "column value" in text
    assert "Kolada item 1 (KPI N01951, municipality 1814, period 2024)" in text


def test_a_negative_count_or_share_is_refused_other_units_only_finite(tmp_path):
    path = _page(tmp_path, "neg.json", [("1880", 2024, -3)])
    assert load.kolada.read(path)["value"].tolist() == [-3.0]  # no unit known: a change may be < 0
    assert load.kolada.read(path, units={"N01951": "kr"})["value"].tolist() == [-3.0]
    for unit in ("antal", "%"):
        with pytest.raises(InputFileError) as err:
            load.kolada.read(path, units={"N01951": unit})
        text = str(err.value)
        assert "is below 0" in text and "neg.json" in text and f"unit is {unit!r}" in text
        assert "municipality 1880" in text and "Fix:" in text


def test_a_value_that_is_not_a_number_is_refused(tmp_path):
    path = _page(tmp_path, "text.json", [("1880", 2024, "mycket")])
    with pytest.raises(InputFileError, match="'mycket'.*is not a number|not a number.*mycket"):
        load.kolada.read(path)


def test_identical_repeats_collapse_conflicting_ones_name_both_pages(tmp_path):
    first = _page(tmp_path, "a.json", [("1880", 2024, 5), ("1814", 2024, 7)])
    same = _page(tmp_path, "b.json", [("1880", 2024, 5)])
    obs = load.kolada.read([first, same])
    assert obs["municipality_code"].tolist() == ["1814", "1880"]
    assert obs["value"].tolist() == [7.0, 5.0]
    other = _page(tmp_path, "c.json", [("1880", 2024, 6)])
    with pytest.raises(InputFileError) as err:
        load.kolada.read([first, other])
    text = str(err.value)
    assert "given twice with different contents" in text
    assert "a.json" in text and "c.json" in text and "1880" in text and "Fix:" in text
    # The same municipality in another period is no repeat.
    later = _page(tmp_path, "d.json", [("1880", 2025, 6)])
    assert len(load.kolada.read([first, later])) == 3


def test_texts_with_a_personal_number_are_refused(tmp_path):
    path = _page(tmp_path, "pnr.json", [("1880", 2024, 5, {"title": "Kontakt 19121212-1212"})])
    with pytest.raises(PersonalDataError) as err:
        load.kolada.read(path)
    assert "pnr.json" in str(err.value) and "1212-1212" not in str(err.value)
