"""Comparisons (shares, medians, weights, groups, rank colours, trends, index) and loader cases.

The loader tests at the top (load.socialstyrelsen) were written with it in the first round;
they belong with the loader and can move to tests/load/ when it gets its own test file.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from ehalsa_analys import compare, load, reference
from ehalsa_analys.errors import InputFileError, SchemaError
from ehalsa_analys.load import SurveyColumnWarning


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


# --------------------------------------------------------------------------- comparisons
#
# Hand-checked fixture, one Ja/Nej figure "x" in 2022:
#   Örebro län (18): 1880 Örebro 1, 1814 Lekeberg 0, 1860 Laxå suppressed, 1861 Hallsberg 1
#   Stockholms län (01): 0180 Stockholm 1, 0184 Solna 0
#   national aggregate 0000 (0.2) and county aggregate 0018 (0.9): never municipalities
# county 18: 2 of 3 answered -> share 2/3, n 3, n_missing 1; county 01: 1/2
# nation: 3 of the 5 municipalities that answered -> 3/5 (the aggregates are left out)
CODES = ["1880", "1814", "1860", "1861", "0180", "0184", "0000", "0018"]
X = [1.0, 0.0, np.nan, 1.0, 1.0, 0.0, 0.2, 0.9]
STATUS = ["", "", "suppressed", "", "", "", "", ""]
POP = {"1880": 100.0, "1814": 10.0, "1860": 5.0, "1861": 20.0, "0180": 300.0, "0184": 70.0}


def _fixture(values=X, unit="ja/nej", indicator="x", period=2022, status=STATUS):
    return pd.DataFrame(
        {
            "municipality_code": CODES,
            "period": period,
            "source": "test",
            "indicator_id": indicator,
            "value": values,
            "unit": unit,
            "status": status,
        }
    )


def _level(levels, level, key, column):
    row = levels[(levels["level"] == level) & (levels["key"] == key)]
    assert len(row) == 1
    return row[column].iloc[0]


def test_reference_levels__shares_of_answering_municipalities():
    levels = compare.reference_levels(_fixture(), by=("county", "nation"))
    assert levels[["level", "key"]].values.tolist() == [
        ["county", "01"],
        ["county", "18"],
        ["nation", "0000"],
    ]
    assert _level(levels, "county", "18", "share") == pytest.approx(2 / 3)
    assert _level(levels, "county", "18", "n") == 3
    assert _level(levels, "county", "18", "n_missing") == 1
    assert _level(levels, "county", "01", "share") == 0.5
    assert _level(levels, "nation", "0000", "share") == pytest.approx(3 / 5)
    assert _level(levels, "nation", "0000", "n") == 5
    assert _level(levels, "nation", "0000", "n_missing") == 1
    assert levels["binary"].all() and not levels["weighted"].any()
    assert levels[["mean", "median"]].isna().all().all()


def test_reference_levels__numeric_mean_and_median_by_hand():
    # county 18: 3, 7, (missing), 20 -> mean 10, median 7; county 01: 2, 8 -> mean 5, median 5
    values = [3.0, 7.0, np.nan, 20.0, 2.0, 8.0, 99.0, 99.0]
    levels = compare.reference_levels(_fixture(values, unit="antal"), by=("county", "nation"))
    assert _level(levels, "county", "18", "mean") == 10.0
    assert _level(levels, "county", "18", "median") == 7.0
    assert _level(levels, "county", "01", "median") == 5.0
    # nation: 2, 3, 7, 8, 20 -> mean 8, median 7
    assert _level(levels, "nation", "0000", "mean") == 8.0
    assert _level(levels, "nation", "0000", "median") == 7.0
    assert levels["share"].isna().all() and not levels["binary"].any()


def test_reference_levels__population_weighted_by_hand():
    levels = compare.reference_levels(_fixture(), by=("county", "nation"), population=POP)
    # county 18 answered: 1880 (100, yes), 1814 (10, no), 1861 (20, yes) -> 120 / 130
    assert _level(levels, "county", "18", "share") == pytest.approx(120 / 130)
    # nation: yes 100 + 20 + 300 = 420 of 100 + 10 + 20 + 300 + 70 = 500
    assert _level(levels, "nation", "0000", "share") == pytest.approx(420 / 500)
    assert levels["weighted"].all()
    values = [3.0, 7.0, np.nan, 20.0, 2.0, 8.0, 99.0, 99.0]
    numeric = compare.reference_levels(
        _fixture(values, unit="%"),
        by=("county",),
        population=pd.DataFrame({"municipality_code": list(POP), "population": list(POP.values())}),
    )
    # county 18: (100*3 + 10*7 + 20*20) / 130 = 770 / 130
    assert _level(numeric, "county", "18", "mean") == pytest.approx(770 / 130)
    # weighted median, sorted 3 (100), 7 (10), 20 (20): half of 130 = 65 is reached at 3
    assert _level(numeric, "county", "18", "median") == 3.0
    # county 01: 2 (300), 8 (70) -> 2
    assert _level(numeric, "county", "01", "median") == 2.0


def test_weighted_median_matches_statsmodels_and_the_plain_median():
    from statsmodels.stats.weightstats import DescrStatsW

    rng = np.random.default_rng(4)
    codes = reference.municipalities()["municipality_code"].to_numpy()
    value = rng.integers(0, 12, codes.size).astype(float)  # many ties
    weights = pd.Series(rng.integers(1, 6, codes.size).astype(float), index=codes)
    obs = pd.DataFrame(
        {
            "municipality_code": codes,
            "period": 2022,
            "indicator_id": "x",
            "value": value,
            "unit": "%",
            "status": "",
        }
    )
    levels = compare.reference_levels(obs, by=("county",), population=weights)
    county = pd.Series(codes).str[:2].to_numpy()
    for key, got in levels.set_index("key")["median"].items():
        inside = county == key
        expected = DescrStatsW(value[inside], weights=weights.to_numpy()[inside]).quantile(
            0.5, return_pandas=False
        )[0]
        assert got == expected, key
    equal = compare.reference_levels(obs, by=("county",), population=weights * 0 + 7)
    plain = compare.reference_levels(obs, by=("county",))
    assert equal["median"].tolist() == plain["median"].tolist()
    assert plain["median"].tolist() == obs.groupby(county)["value"].median().tolist()


def test_reference_levels__groups_passed_in():
    obs = _fixture()
    mapping = {"1880": "stora", "0180": "stora", "1814": "små", "1860": "små", "1861": "små"}
    levels = compare.reference_levels(obs, by="group", groups=mapping)
    assert levels["key"].tolist() == ["små", "stora"]  # 0184 has no group: left out
    assert levels["share"].tolist() == [0.5, 1.0]
    assert levels["n_missing"].tolist() == [1, 0]
    # SKR's kommungrupp 2023 as shipped (its group_name column is the group)
    skr = reference.municipality_groups()
    by_skr = compare.reference_levels(obs, by=("group",), groups=skr)
    names = skr.set_index("municipality_code")["group_name"]
    assert set(by_skr["key"]) == set(names[[c for c in CODES[:6]]])
    # default: size classes by the 2025 population
    sizes = compare.reference_levels(obs, by=("group",)).set_index("key")
    assert sizes.loc["över 100 000", "share"] == 1.0  # Örebro and Stockholm
    assert sizes.loc["under 10 000", "n_missing"] == 1  # Laxå suppressed, Lekeberg 0
    assert sizes.loc["under 10 000", "share"] == 0.0


def test_reference_levels__matches_a_naive_groupby_apply():
    rng = np.random.default_rng(11)
    codes = reference.municipalities()["municipality_code"].to_numpy()
    frames = []
    for indicator, unit in (("a", "ja/nej"), ("b", "%")):
        for year in (2021, 2022):
            value = (
                rng.integers(0, 2, codes.size).astype(float)
                if unit == "ja/nej"
                else rng.normal(50, 10, codes.size)
            )
            value[rng.random(codes.size) < 0.1] = np.nan
            frames.append(
                pd.DataFrame(
                    {
                        "municipality_code": codes,
                        "period": year,
                        "indicator_id": indicator,
                        "value": value,
                        "unit": unit,
                        "status": np.where(np.isnan(value), "missing", ""),
                    }
                )
            )
    obs = pd.concat(frames, ignore_index=True)
    levels = compare.reference_levels(obs, by=("county",))
    naive = (
        obs.assign(county=obs["municipality_code"].str[:2])
        .groupby(["indicator_id", "period", "county"])["value"]
        .apply(lambda s: (s.mean(), s.median(), s.count(), s.isna().sum()))
    )
    for (indicator, period, county), (mean, median, n, n_missing) in naive.items():
        row = levels[
            (levels["indicator_id"] == indicator)
            & (levels["period"] == period)
            & (levels["key"] == county)
        ].iloc[0]
        assert (row["n"], row["n_missing"]) == (n, n_missing)
        if indicator == "a":
            assert row["share"] == pytest.approx(mean)
        else:
            assert row["mean"] == pytest.approx(mean)
            assert row["median"] == pytest.approx(median)


def test_binary_by_unit_or_by_values():
    no_unit = _fixture(unit="")
    assert compare.reference_levels(no_unit, by="nation")["binary"].all()
    percent = compare.reference_levels(_fixture(unit="%"), by="nation").iloc[0]
    assert not percent["binary"] and percent["mean"] == pytest.approx(3 / 5)
    spelled = compare.reference_levels(_fixture(unit=" Ja/Nej "), by="nation").iloc[0]
    assert spelled["binary"]
    catalogue = pd.DataFrame({"indicator_id": ["x"], "unit": ["antal"], "higher_is_better": True})
    by_catalogue = compare.reference_levels(no_unit, by="nation", catalogue=catalogue).iloc[0]
    assert not by_catalogue["binary"]


def test_reference_levels__bad_arguments_name_what_is_wrong():
    with pytest.raises(ValueError, match=r"`by` must be one of \['county', 'nation', 'group'\]"):
        compare.reference_levels(_fixture(), by=("region",))
    with pytest.raises(SchemaError, match=r"no positive number .*\['0184'\]") as err:
        compare.reference_levels(
            _fixture(), by="nation", population={"1880": 1.0, "1814": 2.0, "1861": 3.0, "0180": 4}
        )
    assert err.value.column == "population" and err.value.value == "0184"
    twice = pd.concat([_fixture(), _fixture().iloc[[1]]])
    with pytest.raises(SchemaError, match="municipality 1814, indicator 'x', period 2022"):
        compare.reference_levels(twice)
    mixed = _fixture().assign(unit=["ja/nej"] * 7 + ["%"])
    mixed.loc[7, "municipality_code"] = "1862"
    with pytest.raises(SchemaError, match=r"more than one unit: \['%', 'ja/nej'\]"):
        compare.reference_levels(mixed)
    half = _fixture([1.0, 0.5, np.nan, 1.0, 1.0, 0.0, 0.2, 0.9])
    with pytest.raises(SchemaError, match="value 0.5 for municipality 1814 in 2022") as err:
        compare.reference_levels(half)
    assert err.value.column == "value"


def test_size_classes_edges():
    pop = pd.DataFrame(
        {
            "municipality_code": ["0114", "0115", "0117", "0120", "0123", "0125"],
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
    counts = compare.size_classes()["group"].value_counts().sort_index()
    assert counts.sum() == 290 and list(counts.index) == [c for c, _ in compare.SIZE_CLASSES]


# Rank colours. Nine municipalities of Örebro län, values 1..7, one suppressed, one not applicable.
ORE = ["1814", "1860", "1861", "1862", "1863", "1864", "1880", "1881", "1882"]


def _ranked(values, status=None, codes=ORE, unit="%"):
    return pd.DataFrame(
        {
            "municipality_code": codes[: len(values)],
            "period": 2022,
            "indicator_id": "x",
            "value": values,
            "unit": unit,
            "status": status if status is not None else [""] * len(values),
        }
    )


def test_rank_colour__quartile_boundaries():
    obs = _ranked(
        [1.0, 2, 3, 4, 5, 6, 7, np.nan, np.nan],
        status=[""] * 7 + ["suppressed", "not_applicable"],
    )
    # quartiles of 1..7 (linear): Q1 = 2.5, Q3 = 5.5, as numpy computes them
    assert np.percentile(np.arange(1, 8), [25, 75]).tolist() == [2.5, 5.5]
    colours = compare.rank_colour(obs)
    assert colours["colour"].tolist() == ["red"] * 2 + ["yellow"] * 3 + ["green"] * 2 + ["grey"] * 2
    assert colours["marker"].tolist() == [""] * 7 + ["suppressed", "not_applicable"]
    assert colours["rank"].tolist()[:7] == [7, 6, 5, 4, 3, 2, 1]
    assert colours["rank"].isna().tolist()[7:] == [True, True]
    # 1..5: Q1 = 2 and Q3 = 4 exactly on values -> the outer class
    on = compare.rank_colour(_ranked([1.0, 2, 3, 4, 5]))
    assert on["colour"].tolist() == ["red", "red", "yellow", "green", "green"]
    # 1..9: Q1 = 3 and Q3 = 7 on values; 3 red, 4-6 yellow, 7 green
    nine = compare.rank_colour(_ranked([9.0, 8, 7, 6, 5, 4, 3, 2, 1]))
    assert nine["colour"].tolist() == ["green"] * 3 + ["yellow"] * 3 + ["red"] * 3


def test_rank_colour__lower_is_better_mirrors():
    obs = _ranked([1.0, 2, 3, 4, 5, 6, 7])
    catalogue = pd.DataFrame({"indicator_id": ["x"], "higher_is_better": [False]})
    lower = compare.rank_colour(obs, catalogue=catalogue)
    assert lower["colour"].tolist() == ["green"] * 2 + ["yellow"] * 3 + ["red"] * 2
    assert lower["rank"].tolist() == [1, 2, 3, 4, 5, 6, 7]
    on = compare.rank_colour(_ranked([1.0, 2, 3, 4, 5]), catalogue=catalogue)
    assert on["colour"].tolist() == ["green", "green", "yellow", "red", "red"]
    as_read = catalogue.assign(higher_is_better=["false"])  # a csv read as text
    assert (
        compare.rank_colour(obs, catalogue=as_read)["colour"].tolist() == lower["colour"].tolist()
    )
    binary = _ranked([1.0, 0.0, np.nan], status=["", "", "missing"], unit="ja/nej")
    assert compare.rank_colour(binary)["colour"].tolist() == ["green", "red", "grey"]
    flipped = compare.rank_colour(binary, catalogue=catalogue)
    assert flipped["colour"].tolist() == ["red", "green", "grey"]
    assert flipped["marker"].tolist() == ["", "", "missing"]


def test_rank_colour__ties():
    # equal values share a colour and the best rank
    tied = compare.rank_colour(_ranked([1.0, 1, 1, 1, 1, 1, 9]))
    # Q1 = Q3 = 1: the tied middle is yellow, 9 above it green
    assert tied["colour"].tolist() == ["yellow"] * 6 + ["green"]
    assert tied["rank"].tolist() == [2] * 6 + [1]
    low = compare.rank_colour(_ranked([0.0, 5, 5, 5, 5, 5]))
    assert low["colour"].tolist() == ["red"] + ["yellow"] * 5
    alone = compare.rank_colour(_ranked([3.0]))
    assert alone["colour"].tolist() == ["yellow"]
    # ties on Q3: 1, 2, 3, 4, 4, 4 -> Q1 = 2.25, Q3 = 4, all three 4s green
    many = compare.rank_colour(_ranked([1.0, 2, 3, 4, 4, 4]))
    assert many["colour"].tolist() == ["red", "red", "yellow", "green", "green", "green"]


def test_rank_colour__per_year_and_indicator_without_aggregates():
    a = _ranked([1.0, 2, 3, 4, 5])
    b = _ranked([50.0, 40, 30, 20, 10]).assign(period=2023)
    aggregate = _ranked([100.0], codes=["0000"])
    colours = compare.rank_colour(pd.concat([b, aggregate, a]))
    assert colours["period"].tolist() == [2022] * 5 + [2023] * 5
    assert colours["colour"].tolist() == [
        "red", "red", "yellow", "green", "green", "green", "green", "yellow", "red", "red"
    ]  # fmt: skip
    with pytest.raises(SchemaError, match=r"no higher_is_better .*\['x'\]"):
        compare.rank_colour(
            a, catalogue=pd.DataFrame({"indicator_id": ["y"], "higher_is_better": [True]})
        )


def test_trend__adoption_year_drop_and_numeric():
    rows = [
        ("1880", [0.0, 0.0, 1.0, 1.0]),  # adopted 2021
        ("1814", [1.0, 1.0, 0.0, 0.0]),  # dropped
        ("1860", [1.0, 1.0, 1.0, 1.0]),  # had it from the start
        ("1861", [0.0, np.nan, 1.0, np.nan]),  # adopted 2021 after a missing year
        ("1862", [0.0, 1.0, 0.0, 1.0]),  # adopted in 2020, dropped, again in 2022
        ("0000", [0.0, 0.0, 0.0, 1.0]),  # the nation: left out
    ]
    obs = pd.DataFrame(
        [
            {
                "municipality_code": code,
                "period": 2019 + i,
                "indicator_id": "x",
                "value": v,
                "unit": "ja/nej",
                "status": "missing" if np.isnan(v) else "",
            }
            for code, values in rows
            for i, v in enumerate(values)
        ]
    )
    t = compare.trend(obs).set_index("municipality_code")
    assert list(t.index) == ["1814", "1860", "1861", "1862", "1880"]
    assert t.loc["1880", ["first_year", "last_year", "change"]].tolist() == [2019, 2022, 1.0]
    assert t.loc["1880", "adopted_in"] == 2021 and t.loc["1880", "adopted"]
    assert not t.loc["1880", "dropped"]
    assert t.loc["1814", "dropped"] and not t.loc["1814", "adopted"]
    assert pd.isna(t.loc["1814", "adopted_in"])
    assert pd.isna(t.loc["1860", "adopted_in"]) and not t.loc["1860", "adopted"]
    assert t.loc["1861", ["adopted_in", "last_year", "n_years"]].tolist() == [2021, 2021, 2]
    assert t.loc["1862", "adopted_in"] == 2020 and t.loc["1862", "adopted"]
    units_only = pd.DataFrame({"indicator_id": ["x"], "unit": ["ja/nej"]})  # no direction needed
    no_unit = compare.trend(obs.assign(unit=""), catalogue=units_only).set_index(
        "municipality_code"
    )
    assert no_unit["adopted_in"].equals(t["adopted_in"])
    numeric = compare.trend(obs.assign(unit="%", value=obs["value"] * 40)).iloc[0]
    assert numeric["change"] == -40.0
    assert pd.isna(numeric["adopted"]) and pd.isna(numeric["adopted_in"])


def _two_indicators():
    # x Ja/Nej: 1880 1, 1814 0, 1860 1 ; y % (1860 lacks it): 1880 10, 1814 20, 1861 20, 1862 40
    x = _ranked([1.0, 0.0, 1.0], codes=["1880", "1814", "1860"], unit="ja/nej")
    y = _ranked([10.0, 20, 20, 40, np.nan], codes=["1880", "1814", "1861", "1862", "1860"])
    y = y.assign(indicator_id="y", status=["", "", "", "", "missing"])
    return pd.concat([x, y], ignore_index=True)


def test_composite__a_missing_indicator_is_not_zero():
    obs = _two_indicators()
    # percentile ranks of y: 10 -> 0, 20 and 20 -> average rank 2.5 -> 0.5, 40 -> 1
    index = compare.composite(obs, indicators=["x", "y"], weights=[1, 3]).set_index(
        "municipality_code"
    )
    assert list(index.index) == ["1814", "1860", "1861", "1862", "1880"]
    assert index.loc["1880", "index"] == pytest.approx((1 * 1 + 3 * 0) / 4)
    assert index.loc["1814", "index"] == pytest.approx((1 * 0 + 3 * 0.5) / 4)
    assert index.loc["1861", "index"] == 0.5 and index.loc["1861", "coverage"] == 0.75
    # 1860 has x only: its index is its x score, not pulled down by a 0 for y
    assert index.loc["1860", ["index", "n_indicators", "coverage"]].tolist() == [1.0, 1, 0.25]
    strict = compare.composite(
        obs, indicators=["x", "y"], weights={"x": 1, "y": 3}, min_coverage=0.5
    ).set_index("municipality_code")
    assert np.isnan(strict.loc["1860", "index"]) and strict.loc["1880", "index"] == 0.25


def test_composite__direction_lone_values_and_arguments():
    obs = _two_indicators()
    catalogue = pd.DataFrame({"indicator_id": ["x", "y"], "higher_is_better": [True, False]})
    index = compare.composite(obs, indicators=["y"], catalogue=catalogue).set_index(
        "municipality_code"
    )
    assert index["index"].to_dict() == pytest.approx(
        {"1814": 0.5, "1860": np.nan, "1861": 0.5, "1862": 0.0, "1880": 1.0}, nan_ok=True
    )
    assert index.loc["1860", ["n_indicators", "coverage"]].tolist() == [0, 0.0]
    alone = compare.composite(_ranked([7.0]), indicators=["x"])
    assert alone["index"].tolist() == [0.5]
    with pytest.raises(ValueError, match=r"`weights` must give one positive weight per indicator"):
        compare.composite(obs, indicators=["x", "y"], weights=[1])
    with pytest.raises(ValueError, match=r"`weights`.*but \[1, -2\] was passed"):
        compare.composite(obs, indicators=["x", "y"], weights=[1, -2])
    with pytest.raises(ValueError, match="`indicators` must list"):
        compare.composite(obs, indicators=["x", "x"])
    with pytest.raises(ValueError, match="`min_coverage` must be within 0–1, but 50"):
        compare.composite(obs, indicators=["x"], min_coverage=50)


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
    assert load.kolada.fetch is load.kolada.read.__globals__["fetch"]


def test_not_applicable_answers_keep_their_own_status_and_marker(tmp_path):
    path = tmp_path / "ea.csv"
    path.write_text("Kommun;GPS-larm\nÖrebro;Ej aktuellt\nNora;Ja\n", encoding="utf-8")
    obs = load.socialstyrelsen(path, year=2022)
    # sorted by municipality: Örebro (1880) before Nora (1884)
    assert obs["status"].tolist() == ["not_applicable", ""]
    assert np.isnan(obs["value"].iloc[0]) and obs["value"].iloc[1] == 1.0
    colours = compare.rank_colour(obs)
    assert set(colours["marker"]) == {"", "not_applicable"}


def test_publishable_masks_small_counts_of_count_indicators_only():
    obs = pd.DataFrame(
        {
            "municipality_code": ["1880", "1881", "1882", "1880", "1881"],
            "period": 2025,
            "indicator_id": ["brukare_antal"] * 3 + ["larm"] * 2,
            "value": [3.0, 12.0, 0.0, 1.0, 0.0],
            "status": "",
        }
    )
    catalogue = pd.DataFrame(
        {"indicator_id": ["brukare_antal", "larm"], "unit": ["Antal", "ja/nej"]}
    )
    out = compare.publishable(obs, catalogue=catalogue)
    assert out["value"].isna().tolist() == [True, False, False, False, False]
    assert out["status"].tolist() == ["suppressed", "", "", "", ""]
    # the county level is computed without the masked municipality, and says so in n
    level = compare.reference_levels(out, by="county")
    row = level[level["indicator_id"] == "brukare_antal"].iloc[0]
    assert row["n"] == 2 and row["mean"] == 6.0
    with pytest.raises(ValueError, match="limit"):
        compare.publishable(obs, catalogue=catalogue, limit=0)
