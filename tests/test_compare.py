"""Survey loader and comparisons: hand-checked shares, medians, weights, groups, trends."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from ehalsa_analys import compare, load
from ehalsa_analys.errors import InputFileError
from ehalsa_analys.load.socialstyrelsen import SurveyColumnWarning


def _obs(values, codes=("1880", "1814", "1860", "0180"), unit="ja/nej", period=2022):
    return pd.DataFrame(
        {
            "municipality_code": list(codes),
            "period": period,
            "indicator_id": "x",
            "value": values,
            "unit": unit,
            "status": "",
        }
    )


def test_socialstyrelsen_wide_csv_with_markers_and_unknown_column():
    with pytest.warns(SurveyColumnWarning, match="Okänd fråga"):
        obs = load.socialstyrelsen("tests/fixtures/socialstyrelsen/wide_2022.csv")
    assert obs["period"].unique().tolist() == [2022]  # from the title row
    qms = obs[obs["indicator_id"] == "ledningssystem_vt"]
    assert qms["value"].tolist()[:2] == [0.0, 1.0] and np.isnan(qms["value"].iloc[2])
    assert qms["status"].tolist() == ["", "", "missing"]
    assert obs["municipality_code"].unique().tolist() == ["0114", "0115", "0117"]


def test_socialstyrelsen_workbook_sheet_per_year_renamed_question(tmp_path):
    wb = Workbook()
    first = wb.active
    first.title = "2021"
    first.append(
        ["Kommun", "Digital nattillsyn", "Kvalitetsledningssystem omfattar välfärdsteknik"]
    )
    first.append(["Örebro", "Nej", "Ja"])
    second = wb.create_sheet("2022")
    second.append(["Kommun", "Nattillsyn med kamera", "Ledningssystemet omfattar välfärdsteknik"])
    second.append(["Örebro", "Ja", "Ja"])
    path = tmp_path / "enkat.xlsx"
    wb.save(path)
    obs = load.socialstyrelsen(path)
    night = obs[obs["indicator_id"] == "digital_nattillsyn"]
    assert night[["period", "value"]].values.tolist() == [[2021, 0.0], [2022, 1.0]]
    assert (obs["indicator_id"] == "ledningssystem_vt").sum() == 2


def test_socialstyrelsen_long_form_and_bad_answer(tmp_path):
    path = tmp_path / "lang.csv"
    path.write_text(
        "Kommun;År;Nyckeltal;Värde\nÖrebro;2023;Digital nattillsyn;Ja\n"
        "Örebro;2023;Brukare med digital nattillsyn;1 250\n",
        encoding="utf-8",
    )
    obs = load.socialstyrelsen(path)
    assert obs.set_index("indicator_id")["value"].to_dict() == {
        "digital_nattillsyn": 1.0,
        "nattillsyn_brukare_antal": 1250.0,
    }
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "Kommun;GPS-larm;Digital nattillsyn\nÖrebro;Ja;Ja\nNora;Nej;Kanske\n", encoding="utf-8"
    )
    with pytest.raises(InputFileError) as err:
        load.socialstyrelsen(bad, year=2022)
    assert "'Kanske'" in str(err.value) and "row 3" in str(err.value)
    assert "column Digital nattillsyn" in str(err.value)


def test_reference_levels_shares_means_medians_and_missing():
    obs = _obs([1.0, 0.0, np.nan, 1.0])
    levels = compare.reference_levels(obs, by=("county", "nation"))
    county18 = levels[(levels["level"] == "county") & (levels["key"] == "18")].iloc[0]
    assert county18["share"] == 0.5 and county18["n"] == 2 and county18["n_missing"] == 1
    nation = levels[levels["level"] == "nation"].iloc[0]
    assert nation["share"] == pytest.approx(2 / 3)
    numeric = compare.reference_levels(_obs([2.0, 4.0, 9.0, 1.0], unit="antal"), by=("nation",))
    assert numeric[["mean", "median"]].iloc[0].tolist() == [4.0, 3.0]


def test_reference_levels_population_weighted_and_groups():
    obs = _obs([1.0, 0.0, 0.0, 1.0])
    pop = pd.DataFrame(
        {"municipality_code": ["1880", "1814", "1860", "0180"], "population": [100, 10, 10, 80]}
    )
    w = compare.reference_levels(obs, by=("nation",), population=pop).iloc[0]
    assert w["share"] == pytest.approx(180 / 200) and w["weighted"]
    groups = compare.reference_levels(obs, by=("group",))
    by_group = groups.set_index("key")["share"].to_dict()
    assert by_group == {"under 10 000": 0.0, "över 100 000": 1.0}
    # National aggregates are not municipalities.
    with_nation = pd.concat([obs, _obs([0.0], codes=("0000",))])
    assert compare.reference_levels(with_nation, by=("nation",))["n"].iloc[0] == 4


def test_size_classes_edges():
    pop = pd.DataFrame(
        {
            "municipality_code": list("abcdef"),
            "population": [9_999, 10_000, 20_000, 49_999, 100_000, 5],
        }
    )
    assert compare.size_classes(pop)["group"].astype(str).tolist() == [
        "under 10 000",
        "10 000–20 000",
        "20 000–50 000",
        "20 000–50 000",
        "över 100 000",
        "under 10 000",
    ]


def test_trend_adoption_and_drop():
    obs = pd.concat(
        [
            _obs([0.0], codes=("1880",), period=2019),
            _obs([1.0], codes=("1880",), period=2020),
            _obs([1.0], codes=("1814",), period=2019),
            _obs([0.0], codes=("1814",), period=2020),
        ]
    )
    t = compare.trend(obs).set_index("municipality_code")
    assert t.loc["1880", "adopted_in"] == 2020 and not t.loc["1880", "dropped"]
    assert pd.isna(t.loc["1814", "adopted_in"]) and t.loc["1814", "dropped"]


def test_rank_colour_quartile_boundaries_direction_and_markers():
    obs = pd.DataFrame(
        {
            "municipality_code": list("abcdefgh"),
            "period": 2022,
            "indicator_id": "x",
            "value": [1.0, 2, 3, 4, 5, 6, 7, np.nan],
            "unit": "%",
            "status": [""] * 7 + ["suppressed"],
        }
    )
    # quartiles of 1..7: Q1 = 2.5, Q3 = 5.5
    colours = compare.rank_colour(obs)
    assert colours["colour"].tolist() == [
        "red",
        "red",
        "yellow",
        "yellow",
        "yellow",
        "green",
        "green",
        "grey",
    ]
    assert colours["marker"].tolist()[-1] == "suppressed"
    catalogue = pd.DataFrame({"indicator_id": ["x"], "higher_is_better": [False]})
    lower = compare.rank_colour(obs, catalogue)
    assert lower["colour"].tolist()[:2] == ["green", "green"]
    # a value exactly on the quartile goes to the outer class
    on = pd.DataFrame(
        {
            "municipality_code": list("abcde"),
            "period": 2022,
            "indicator_id": "x",
            "value": [1.0, 2, 3, 4, 5],
            "unit": "%",
            "status": "",
        }
    )
    assert compare.rank_colour(on)["colour"].tolist() == ["red", "red", "yellow", "green", "green"]
    binary = _obs([1.0, 0.0, np.nan, 1.0])
    assert compare.rank_colour(binary)["colour"].tolist() == ["green", "red", "grey", "green"]


def test_composite_with_a_missing_indicator_is_not_zero():
    obs = pd.concat(
        [
            _obs([1.0, 0.0, 1.0], codes=("1880", "1814", "1860")),
            pd.DataFrame(
                {
                    "municipality_code": ["1880", "1814"],
                    "period": 2022,
                    "indicator_id": "y",
                    "value": [10.0, 20.0],
                    "unit": "%",
                    "status": "",
                }
            ),
        ]
    )
    index = compare.composite(obs, indicators=["x", "y"], weights=[1, 3]).set_index(
        "municipality_code"
    )
    assert index.loc["1880", "index"] == pytest.approx((1 * 1 + 3 * 0) / 4)
    assert index.loc["1814", "index"] == pytest.approx((1 * 0 + 3 * 1) / 4)
    assert index.loc["1860", "index"] == 1.0 and index.loc["1860", "coverage"] == 0.25
    with pytest.raises(ValueError, match="one positive weight per indicator"):
        compare.composite(obs, indicators=["x", "y"], weights=[1])


@settings(max_examples=60, deadline=None)
@given(
    answer=st.sampled_from(["Ja", "Nej", "ja", "NEJ", "J", "N", "Yes", "no", "1", "0"]),
    pad=st.sampled_from(["", " ", "  "]),
)
def test_ja_nej_spellings_property(tmp_path_factory, answer, pad):
    path = tmp_path_factory.mktemp("s") / "s.csv"
    path.write_text(f"Kommun;Digital nattillsyn\nÖrebro;{pad}{answer}{pad}\n", encoding="utf-8")
    value = load.socialstyrelsen(path, year=2022)["value"].iloc[0]
    assert value == (1.0 if answer.lower() in ("ja", "j", "yes", "1") else 0.0)


def test_kolada_fetch_is_reachable_from_the_reader():
    assert load.kolada.fetch is load.kolada.__globals__["fetch"]


def test_not_applicable_answers_keep_their_own_status_and_marker(tmp_path):
    path = tmp_path / "ea.csv"
    path.write_text("Kommun;GPS-larm\nÖrebro;Ej aktuellt\nNora;Ja\n", encoding="utf-8")
    obs = load.socialstyrelsen(path, year=2022)
    # sorted by municipality: Örebro (1880) before Nora (1884)
    assert obs["status"].tolist() == ["not_applicable", ""]
    assert np.isnan(obs["value"].iloc[0]) and obs["value"].iloc[1] == 1.0
    colours = compare.rank_colour(obs)
    assert set(colours["marker"]) == {"", "not_applicable"}
