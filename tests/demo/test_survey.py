"""The survey demo: a real export's quirks, calibrated shares, readable by the loaders."""

import numpy as np
import pytest
from python_calamine import CalamineWorkbook

from ehalsa_analys import load
from ehalsa_analys.demo import survey


def test_survey_demo_byte_identical_and_synthetic(tmp_path):
    first = survey.write(tmp_path / "a", seed=2)
    second = survey.write(tmp_path / "b", seed=2)
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    book = CalamineWorkbook.from_path(str(first[0]))
    assert book.sheet_names == [str(y) for y in range(2014, 2025)]
    rows = book.get_sheet_by_name("2022").to_python()
    assert rows[1][0].startswith("SYNTETISKA DEMODATA")
    assert rows[-2][0].startswith("Källa: syntetiska demodata")


def test_survey_demo_quirks_and_levels(tmp_path):
    paths = survey.write(tmp_path, seed=20261123)
    with np.errstate(all="ignore"):
        obs = load.socialstyrelsen(paths[0])
    assert obs.attrs["unknown_columns"] == []  # the renamed 2017 question and 2019's header read
    per_year = obs.groupby("period")["indicator_id"].nunique()
    assert (per_year == 15).all()
    rows = CalamineWorkbook.from_path(str(paths[0])).get_sheet_by_name("2022").to_python()
    codes = [str(r[0]) for r in rows[4:-3]]
    assert "180" in codes or "180.0" in codes  # Excel stripped the zero of 0180
    night = obs[(obs["indicator_id"] == "digital_nattillsyn") & (obs["period"] == 2022)]
    assert night["value"].mean() == pytest.approx(0.78, abs=0.05)
    assert (night["status"] == "missing").any()  # a few did not answer
    counts = obs[obs["indicator_id"] == "nattillsyn_brukare_antal"]
    assert (counts["status"] == "suppressed").any()  # x below 5
    kolada = load.kolada.read(paths[1:])
    assert set(kolada["area_type"]) == {"nation", "county", "municipality"}
    assert len(kolada) == 14
