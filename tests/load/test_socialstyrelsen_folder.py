"""load.socialstyrelsen on a folder: every survey file in it, read once and stacked."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from ehalsa_analys import demo, load
from ehalsa_analys.errors import InputFileError

WIDE_2023 = (
    "Kommunkod;Kommun;Digital nattillsyn\r\n114;Upplands Väsby;Nej\r\n180;Stockholm;Ja\r\n"
).encode("utf-8-sig")


def _folder(tmp_path):
    folder = tmp_path / "socialstyrelsen"
    folder.mkdir()
    shutil.copy("tests/fixtures/socialstyrelsen/wide_2022.csv", folder / "wide_2022.csv")
    (folder / "enkat_2023.CSV").write_bytes(WIDE_2023)  # upper-case suffix is read too
    (folder / "indicators.csv").write_text("indicator_id;title_sv;unit\n", encoding="utf-8")
    (folder / "README.txt").write_text("Om filerna\n", encoding="utf-8")
    (folder / "N01951_p1.json").write_text("{}", encoding="utf-8")  # a Kolada extract
    (folder / "~$wide_2022.xlsx").write_bytes(b"lock file of an open workbook")
    (folder / "next_year").mkdir()  # subfolders are not read
    shutil.copy(folder / "wide_2022.csv", folder / "next_year" / "wide_2022.csv")
    return folder


def test_socialstyrelsen__folder_reads_every_survey_file(tmp_path):
    folder = _folder(tmp_path)
    with pytest.warns(load.SurveyColumnWarning, match="Okänd fråga"):
        obs = load.socialstyrelsen(folder)
    night = obs[obs["indicator_id"] == "digital_nattillsyn"]
    assert night[["municipality_code", "period", "value"]].values.tolist() == [
        ["0114", 2022, 1.0],
        ["0115", 2022, 0.0],
        ["0117", 2022, 1.0],
        ["0114", 2023, 0.0],
        ["0180", 2023, 1.0],
    ]
    assert len(obs) == 8 and obs.index.tolist() == list(range(8))
    assert sorted({f.rsplit("/", 1)[-1] for f in obs["file"]}) == [
        "enkat_2023.CSV",
        "wide_2022.csv",
    ]
    assert obs.attrs["unknown_columns"] == ["Okänd fråga"]
    assert [f.rsplit("/", 1)[-1] for f in obs.attrs["files"]] == ["enkat_2023.CSV", "wide_2022.csv"]


def test_socialstyrelsen__folder_equals_its_files_stacked(tmp_path):
    folder = demo.path("socialstyrelsen", tmp_path)
    whole = load.socialstyrelsen(folder)
    (workbook,) = sorted(folder.glob("*.xlsx"))
    alone = load.socialstyrelsen(workbook)
    pd.testing.assert_frame_equal(whole, alone)


def test_socialstyrelsen__folder__same_year_in_two_files(tmp_path):
    folder = _folder(tmp_path)
    (folder / "copy_2023.csv").write_bytes(WIDE_2023)
    with (
        pytest.warns(load.SurveyColumnWarning),
        pytest.raises(InputFileError, match="0114, year 2023, indicator digital_nattillsyn") as err,
    ):
        load.socialstyrelsen(folder)
    assert "copy_2023.csv row 2 and " in str(err.value) and "enkat_2023.CSV row 2" in str(err.value)


def test_socialstyrelsen__folder__without_survey_files(tmp_path):
    (tmp_path / "indicators.csv").write_text("indicator_id;title_sv;unit\n", encoding="utf-8")
    with pytest.raises(InputFileError, match="holds no survey files") as err:
        load.socialstyrelsen(tmp_path)
    assert err.value.file == str(tmp_path)
