"""Kolada v3: saved pages, aggregates apart, and fetching with a fake transport."""

from __future__ import annotations

import json
import urllib.error

import numpy as np
import pytest

from ehalsa_analys import load
from ehalsa_analys.errors import InputFileError
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
