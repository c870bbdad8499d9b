import doctest
import math

import numpy as np
import pandas as pd
import pytest

from ehalsa_analys import captions, maturity
from ehalsa_analys.errors import SchemaError
from ehalsa_analys.schemas import AREAS, DIMENSIONS

NaN = float("nan")
DATE = pd.Timestamp("2024-03-01")
AREA = "Äldreomsorg"

# Hand-computed fixture: 3 municipalities of Örebro län, one area, 2 dimensions x 3 indicators.
# Weights: L1 2, L2 1, L3 1, K1 1, K2 1, K3 2.
#   1880 Ledning   1.0 0.5 0.25 -> (2*1 + 0.5 + 0.25) / 4 = 0.6875
#   1880 Kompetens 0.75 Ej-relevant 0.5 -> (0.75 + 2*0.5) / 3 = 0.583333 (2 scored, 1 not)
#   1881 Ledning   0.5 0.5 0.0  -> 1.5 / 4 = 0.375
#   1881 Kompetens 0.25 0.25 0.0 -> 0.5 / 4 = 0.125
#   1882 Ledning   0.75 1.0 0.5 -> 3 / 4 = 0.75
#   1882 Kompetens all unscored -> NaN (0 scored, 3 not)
IDS = ["L1", "L2", "L3", "K1", "K2", "K3"]
DIMS = ["Ledning"] * 3 + ["Kompetens"] * 3
WEIGHTS = {"L1": 2.0, "L2": 1.0, "L3": 1.0, "K1": 1.0, "K2": 1.0, "K3": 2.0}
SCORES = {
    "1880": [1.0, 0.5, 0.25, 0.75, NaN, 0.5],
    "1881": [0.5, 0.5, 0.0, 0.25, 0.25, 0.0],
    "1882": [0.75, 1.0, 0.5, NaN, NaN, NaN],
}
RESPONSE = {
    1.0: "Uppnådd",
    0.75: "Nästan där",
    0.5: "Påbörjad",
    0.25: "Planerad",
    0.0: "Ej planerad",
}
ACTIVITIES = {
    "L1": "Konferens om digitaliseringens möjligheter",
    "L2": "Chefsnätverk",
    "L3": "Konferens om förändringsledning",
    "K1": "Gemensamt utbildningsprojekt",
    "K2": "Webbaserade informationssäkerhetsutbildningar",
    "K3": None,
}


def make_responses(scores=SCORES, date=DATE, ids=IDS, dims=DIMS, area=AREA):
    rows = []
    for code, values in scores.items():
        for indicator_id, dimension, score in zip(ids, dims, values, strict=True):
            rows.append(
                {
                    "municipality_code": code,
                    "assessed_on": date,
                    "area": area,
                    "dimension": dimension,
                    "indicator_id": indicator_id,
                    "indicator": f"Indikator {indicator_id}",
                    "response": "Ej relevant" if math.isnan(score) else RESPONSE.get(score, "x"),
                    "score": score,
                }
            )
    return pd.DataFrame(rows)


@pytest.fixture
def responses():
    return make_responses()


@pytest.fixture
def instrument():
    return pd.DataFrame(
        {
            "indicator_id": IDS,
            "area": AREA,
            "dimension": DIMS,
            "text": [f"Målbild {i}" for i in IDS],
            "suggested_activity": [ACTIVITIES[i] for i in IDS],
            "weight": [WEIGHTS[i] for i in IDS],
        }
    )


@pytest.fixture
def weighted(responses, instrument):
    return maturity.scores(responses, weights=instrument, ci=0.95, n_boot=500, seed=1)


def random_responses(rng, n_municipalities=6, n_indicators=24, nan_share=0.15, date=DATE):
    codes = [f"18{60 + i:02d}" for i in range(n_municipalities)]
    ids = [f"I{i:02d}" for i in range(n_indicators)]
    areas = [AREAS[i % 4] for i in range(n_indicators)]
    dims = [DIMENSIONS[(i // 4) % 4] for i in range(n_indicators)]
    n = n_municipalities * n_indicators
    score = rng.integers(0, 5, n) / 4
    score[rng.random(n) < nan_share] = np.nan
    return pd.DataFrame(
        {
            "municipality_code": np.repeat(codes, n_indicators),
            "assessed_on": date,
            "area": np.tile(areas, n_municipalities),
            "dimension": np.tile(dims, n_municipalities),
            "indicator_id": np.tile(ids, n_municipalities),
            "indicator": "text",
            "response": "x",
            "score": score,
        }
    )


def naive_scores(responses, by, weights):
    """Plain-loop oracle: weighted mean and counts per group."""
    out = {}
    for row in responses.itertuples(index=False):
        key = tuple(getattr(row, k) for k in by)
        total, norm, n_scored, n_unscored = out.get(key, (0.0, 0.0, 0, 0))
        if math.isnan(row.score):
            n_unscored += 1
        else:
            w = weights[row.indicator_id]
            total += w * row.score
            norm += w
            n_scored += 1
        out[key] = (total, norm, n_scored, n_unscored)
    return {k: (t / n if s else NaN, s, u) for k, (t, n, s, u) in out.items()}


# --------------------------------------------------------------------------- scores


def test_scores__hand_computed_weighted(weighted):
    assert list(weighted.columns) == [
        "municipality_code",
        "dimension",
        "score",
        "ci_low",
        "ci_high",
        "n_scored",
        "n_unscored",
    ]
    assert weighted.index.tolist() == list(range(6))
    # Dimensions in LIKA order (Ledning before Kompetens), municipalities by code.
    assert weighted["municipality_code"].tolist() == ["1880"] * 2 + ["1881"] * 2 + ["1882"] * 2
    assert weighted["dimension"].tolist() == ["Ledning", "Kompetens"] * 3
    expected = [0.6875, 1.75 / 3, 0.375, 0.125, 0.75, NaN]
    np.testing.assert_allclose(weighted["score"], expected, rtol=0, atol=1e-12)
    assert weighted["n_scored"].tolist() == [3, 2, 3, 3, 3, 0]
    assert weighted["n_unscored"].tolist() == [0, 1, 0, 0, 0, 3]
    assert weighted["n_scored"].dtype == "int64"


def test_scores__unweighted_and_weight_forms_agree(responses, instrument):
    plain = maturity.scores(responses, ci=None)
    np.testing.assert_allclose(
        plain["score"], [1.75 / 3, 0.625, 1 / 3, 1 / 6, 0.75, NaN], rtol=0, atol=1e-12
    )
    by_table = maturity.scores(responses, weights=instrument, ci=None)
    by_series = maturity.scores(responses, weights=pd.Series(WEIGHTS), ci=None)
    by_dict = maturity.scores(responses, weights=WEIGHTS, ci=None)
    pd.testing.assert_frame_equal(by_table, by_series)
    pd.testing.assert_frame_equal(by_table, by_dict)
    assert by_table["ci_low"].isna().all() and by_table["ci_high"].isna().all()


def test_scores__ej_relevant_is_not_the_lowest_level(responses):
    # Treating "Ej relevant" as 0 would give 1880 Kompetens (0.75 + 0 + 0.5) / 3.
    out = maturity.scores(responses, ci=None).set_index(["municipality_code", "dimension"])
    assert out.loc[("1880", "Kompetens"), "score"] == pytest.approx(0.625)


def test_scores__instrument_blank_weight_means_one(responses, instrument):
    instrument = instrument.assign(weight=[NaN, 1, 1, 1, 1, 2])  # L1 blank -> 1
    out = maturity.scores(responses, weights=instrument, ci=None)
    assert out.loc[0, "score"] == pytest.approx((1 + 0.5 + 0.25) / 3)


def test_scores__interval_contains_score_and_is_reproducible(responses, instrument, weighted):
    ok = weighted["n_scored"] >= 2
    assert (weighted.loc[ok, "ci_low"] <= weighted.loc[ok, "score"] + 1e-12).all()
    assert (weighted.loc[ok, "ci_high"] >= weighted.loc[ok, "score"] - 1e-12).all()
    assert (weighted.loc[ok, "ci_high"] > weighted.loc[ok, "ci_low"]).all()
    again = maturity.scores(responses, weights=instrument, ci=0.95, n_boot=500, seed=1)
    pd.testing.assert_frame_equal(weighted, again)
    other = maturity.scores(responses, weights=instrument, ci=0.95, n_boot=500, seed=2)
    assert not np.allclose(other.loc[ok, "ci_low"], weighted.loc[ok, "ci_low"])


def test_scores__no_interval_without_two_scored_indicators(responses):
    out = maturity.scores(responses, by=("municipality_code", "indicator_id"), n_boot=50)
    assert out["ci_low"].isna().all() and out["ci_high"].isna().all()
    assert out["score"].notna().sum() == 14  # 18 answers, 4 not scored


def test_scores__interval_narrower_with_more_indicators():
    pattern = [0.0, 1.0, 0.5]
    few = {"0114": pattern * 2}
    many = {"0115": pattern * 10}
    rows = pd.concat(
        [
            make_responses(few, ids=[f"A{i}" for i in range(6)], dims=["Ledning"] * 6),
            make_responses(many, ids=[f"B{i}" for i in range(30)], dims=["Ledning"] * 30),
        ]
    )
    out = maturity.scores(rows, n_boot=2000, seed=3).set_index("municipality_code")
    width = out["ci_high"] - out["ci_low"]
    assert out.loc["0114", "score"] == out.loc["0115", "score"] == pytest.approx(0.5)
    assert width["0115"] < 0.7 * width["0114"]


def test_scores__bootstrap_stays_inside_each_group():
    # Constant groups side by side: a draw from a neighbour would widen the interval.
    values = {"0114": [0.25] * 4 + [1.0] * 4, "0115": [0.0] * 4 + [0.75] * 4}
    dims = ["Ledning"] * 4 + ["Kompetens"] * 4
    out = maturity.scores(make_responses(values, ids=[f"I{i}" for i in range(8)], dims=dims))
    assert (out["ci_low"] == out["score"]).all() and (out["ci_high"] == out["score"]).all()
    assert out["score"].tolist() == [0.25, 1.0, 0.0, 0.75]


def test_scores__bootstrap_spread_matches_theory():
    # 40 evenly spread indicators: the bootstrap mean is close to normal with sd
    # sd(values, ddof=0) / sqrt(40), so the 95 % interval is 2 * 1.96 of that wide.
    values = np.linspace(0, 1, 40)
    rows = make_responses(
        {"0114": list(values)}, ids=[f"I{i}" for i in range(40)], dims=["Ledning"] * 40
    )
    out = maturity.scores(rows, ci=0.95, n_boot=20000, seed=0)
    expected = 2 * 1.96 * values.std() / math.sqrt(40)
    assert out.loc[0, "ci_high"] - out.loc[0, "ci_low"] == pytest.approx(expected, rel=0.05)
    assert (out.loc[0, "ci_low"] + out.loc[0, "ci_high"]) / 2 == pytest.approx(0.5, abs=0.01)


def test_bootstrap__weighted_replicates_have_the_exact_expectation():
    # Two indicators, values 0 and 1, weights 3 and 1: replicate means 0, 1 and 0.25
    # with probabilities 1/4, 1/4, 1/2, so their expectation is 0.375.
    rng = np.random.default_rng(5)
    boot = maturity._bootstrap(
        np.array([0.0, 1.0]), np.array([3.0, 1.0]), np.array([2]), 40000, rng
    )
    assert boot.shape == (40000, 1)
    assert set(np.round(np.unique(boot), 12)) == {0.0, 0.25, 1.0}
    assert boot.mean() == pytest.approx(0.375, abs=0.01)
    assert (boot == 0.25).mean() == pytest.approx(0.5, abs=0.01)


@pytest.mark.parametrize(
    "by",
    [
        ("municipality_code", "dimension"),
        ("municipality_code", "area", "dimension"),
        ("dimension",),
        ("area",),
        (),
    ],
)
def test_scores__matches_plain_loop_oracle(by):
    rng = np.random.default_rng(42)
    rows = random_responses(rng)
    weights = {
        i: float(w)
        for i, w in zip(sorted(set(rows["indicator_id"])), rng.integers(1, 4, 24), strict=True)
    }
    out = maturity.scores(rows, by=by, weights=weights, ci=None)
    oracle = naive_scores(rows, list(by), weights)
    assert len(out) == len(oracle)
    for row in out.itertuples(index=False):
        key = tuple(getattr(row, k) for k in by)
        score, n_scored, n_unscored = oracle[key]
        if math.isnan(score):
            assert math.isnan(row.score)
        else:
            assert row.score == pytest.approx(score, abs=1e-12)
        assert (row.n_scored, row.n_unscored) == (n_scored, n_unscored)


def test_scores__does_not_depend_on_row_order_nor_change_input(responses):
    before = responses.copy()
    out = maturity.scores(responses, n_boot=200, seed=4)
    pd.testing.assert_frame_equal(responses, before)
    shuffled = responses.sample(frac=1, random_state=7)
    pd.testing.assert_frame_equal(maturity.scores(shuffled, n_boot=200, seed=4), out)


def test_scores__several_rounds_raise(responses):
    later = responses.assign(assessed_on=pd.Timestamp("2025-03-01"))
    both = pd.concat([responses, later[later["municipality_code"] == "1881"]])
    with pytest.raises(ValueError, match=r"assessed_on.*1881\. Filter one round") as err:
        maturity.scores(both)
    assert "1880" not in str(err.value)
    out = maturity.scores(both, by=("municipality_code", "assessed_on", "dimension"), ci=None)
    assert len(out) == 8
    with pytest.raises(ValueError, match="assessed_on"):
        maturity.development_areas(both)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"by": ("municipality_code", "kommun")}, "`by`"),
        ({"by": ("dimension", "dimension")}, "`by`"),
        ({"by": ("score",)}, "`by`"),
        ({"ci": 1.5}, "`ci`"),
        ({"ci": 0}, "`ci`"),
        ({"n_boot": 1}, "`n_boot`"),
        ({"n_boot": 10.0}, "`n_boot`"),
        ({"weights": {"L1": -1.0}}, "`weights`"),
        ({"weights": {"L1": 1.0}}, r"`weights` has no weight for .*'K1'"),
        ({"weights": [1, 2]}, "`weights`"),
    ],
)
def test_scores__bad_arguments(responses, kwargs, match):
    with pytest.raises(ValueError, match=match):
        maturity.scores(responses, **kwargs)


def test_scores__object_column_of_numbers_is_read(responses):
    as_object = responses.assign(
        score=responses["score"].astype(object).where(responses["score"].notna(), None)
    )
    pd.testing.assert_frame_equal(
        maturity.scores(as_object, ci=None), maturity.scores(responses, ci=None)
    )


def test_scores__bad_tables(responses):
    with pytest.raises(SchemaError, match="lacks the column"):
        maturity.scores(responses.drop(columns="score"))
    with pytest.raises(SchemaError, match="0–1"):
        maturity.scores(responses.assign(score=responses["score"] * 100))
    with pytest.raises(SchemaError, match="numeric"):
        maturity.scores(responses.assign(score=responses["response"]))


# --------------------------------------------------------------------------- maturity index


def test_maturity_index__cells_weigh_alike():
    values = {"0114": [1.0, 1.0, 1.0, 0.0]}
    dims = ["Ledning"] * 3 + ["Kompetens"]
    rows = make_responses(values, ids=["L1", "L2", "L3", "K1"], dims=dims)
    out = maturity.maturity_index(rows, ci=None)
    assert list(out.columns) == [
        "municipality_code",
        "index",
        "ci_low",
        "ci_high",
        "n_scored",
        "n_unscored",
    ]
    assert out.loc[0, "index"] == 0.5  # not 3/4: the Ledning cell counts once
    heavier = maturity.maturity_index(rows, dimension_weights={"Ledning": 3}, ci=None)
    assert heavier.loc[0, "index"] == 0.75
    overall = rows.assign(area="Övergripande", indicator_id=rows["indicator_id"] + "x", score=0.0)
    areas = pd.concat([rows, overall])
    both = maturity.maturity_index(areas, area_weights={"Övergripande": 3.0}, ci=None)
    assert both.loc[0, "index"] == pytest.approx((0.5 * 1 + 0.0 * 3) / 4)


def test_maturity_index__hand_computed(responses, instrument):
    out = maturity.maturity_index(responses, weights=instrument, n_boot=500, seed=0)
    assert out["municipality_code"].tolist() == ["1880", "1881", "1882"]
    np.testing.assert_allclose(
        out["index"], [(0.6875 + 1.75 / 3) / 2, (0.375 + 0.125) / 2, 0.75], rtol=0, atol=1e-12
    )
    assert out["n_scored"].tolist() == [5, 6, 3]
    assert out["n_unscored"].tolist() == [1, 0, 3]
    assert (out["ci_low"] <= out["index"]).all() and (out["index"] <= out["ci_high"]).all()
    again = maturity.maturity_index(responses, weights=instrument, n_boot=500, seed=0)
    pd.testing.assert_frame_equal(out, again)


def test_maturity_index__several_rounds_get_a_column(responses):
    later = responses.assign(assessed_on=pd.Timestamp("2025-03-01"), score=1.0)
    out = maturity.maturity_index(pd.concat([responses, later]), ci=None)
    assert list(out.columns)[:3] == ["municipality_code", "assessed_on", "index"]
    assert len(out) == 6
    assert out.loc[out["assessed_on"] == pd.Timestamp("2025-03-01"), "index"].eq(1.0).all()


def test_maturity_index__bad_weights(responses):
    with pytest.raises(ValueError, match="`dimension_weights`"):
        maturity.maturity_index(responses, dimension_weights={"Ledningen": 2})
    with pytest.raises(ValueError, match="`area_weights`"):
        maturity.maturity_index(responses, area_weights={AREA: 0})


# --------------------------------------------------------------------------- gaps


LEDNING = np.array([0.6875, 0.375, 0.75])
KOMPETENS = np.array([1.75 / 3, 0.125, NaN])


def _by_dimension(out, column):
    return {
        d: out.loc[out["dimension"] == d, column].to_numpy(dtype=float)
        for d in ("Ledning", "Kompetens")
    }


def test_gaps__county(weighted):
    out = maturity.gaps(weighted)
    assert list(out.columns) == [
        "municipality_code",
        "dimension",
        "score",
        "reference",
        "reference_value",
        "gap",
        "gap_low",
        "gap_high",
    ]
    assert set(out["reference"]) == {"county"}
    ref = _by_dimension(out, "reference_value")
    gap = _by_dimension(out, "gap")
    np.testing.assert_allclose(ref["Ledning"], [1.8125 / 3] * 3)
    np.testing.assert_allclose(gap["Ledning"], LEDNING - 1.8125 / 3)
    k_mean = (1.75 / 3 + 0.125) / 2  # unweighted over the municipalities with a score
    np.testing.assert_allclose(ref["Kompetens"], [k_mean] * 3)
    np.testing.assert_allclose(gap["Kompetens"], KOMPETENS - k_mean)
    # The interval is the score's interval less the reference, taken as fixed.
    np.testing.assert_allclose(out["gap_low"], weighted["ci_low"] - out["reference_value"])
    np.testing.assert_allclose(out["gap_high"], weighted["ci_high"] - out["reference_value"])


def test_gaps__county_exclude_self(weighted):
    out = maturity.gaps(weighted, exclude_self=True)
    assert set(out["reference"]) == {"county_others"}
    gap = _by_dimension(out, "gap")
    np.testing.assert_allclose(gap["Ledning"], [0.125, -0.34375, 0.21875])
    np.testing.assert_allclose(gap["Kompetens"], [1.75 / 3 - 0.125, 0.125 - 1.75 / 3, NaN])
    ref = _by_dimension(out, "reference_value")
    assert ref["Kompetens"][2] == pytest.approx((1.75 / 3 + 0.125) / 2)


def test_gaps__counties_are_separate(weighted):
    other = weighted.assign(
        municipality_code=["0180", "0180", "0181", "0181", "0182", "0182"],
        score=weighted["score"] + 0.1,
    )
    out = maturity.gaps(pd.concat([weighted, other]))
    assert _by_dimension(out, "reference_value")["Ledning"].tolist() == pytest.approx(
        [1.8125 / 3 + 0.1] * 3 + [1.8125 / 3] * 3
    )


def test_gaps__nation_with_table(weighted):
    national = pd.DataFrame(
        {"dimension": ["Ledning", "Kompetens"], "score": [0.5, 0.4], "municipality_code": "0000"}
    )
    out = maturity.gaps(weighted, reference="nation", national=national)
    assert set(out["reference"]) == {"national_table"}
    gap = _by_dimension(out, "gap")
    np.testing.assert_allclose(gap["Ledning"], LEDNING - 0.5)
    np.testing.assert_allclose(gap["Kompetens"], KOMPETENS - 0.4)
    with pytest.raises(ValueError, match="`national` has no row"):
        maturity.gaps(weighted, reference="nation", national=national.iloc[:1])


def test_gaps__nation_from_several_counties(weighted):
    other = weighted[weighted["municipality_code"] == "1880"].assign(
        municipality_code="0180", score=[0.0, 1.0]
    )
    out = maturity.gaps(pd.concat([weighted, other]), reference="nation")
    assert set(out["reference"]) == {"all_municipalities"}
    ref = _by_dimension(out, "reference_value")
    assert ref["Ledning"][0] == pytest.approx((1.8125 + 0.0) / 4)
    assert ref["Kompetens"][0] == pytest.approx((1.75 / 3 + 0.125 + 1.0) / 3)
    with pytest.raises(ValueError, match="`national`"):
        maturity.gaps(weighted, reference="nation")


def test_gaps__best(weighted):
    out = maturity.gaps(weighted, reference="best")
    assert list(out.columns)[-1] == "best_municipality_code"
    assert set(out["reference"]) == {"best_in_county"}
    gap = _by_dimension(out, "gap")
    np.testing.assert_allclose(gap["Ledning"], [-0.0625, -0.375, 0.0])
    np.testing.assert_allclose(gap["Kompetens"], [0.0, 0.125 - 1.75 / 3, NaN])
    best = out.groupby("dimension", sort=False)["best_municipality_code"].first().to_dict()
    assert best == {"Ledning": "1882", "Kompetens": "1880"}
    others = maturity.gaps(weighted, reference="best", exclude_self=True)
    assert set(others["reference"]) == {"best_other_in_county"}
    row = others[(others["municipality_code"] == "1882") & (others["dimension"] == "Ledning")]
    assert row["best_municipality_code"].item() == "1880"
    assert row["gap"].item() == pytest.approx(0.75 - 0.6875)


def test_gaps__best_ties_go_to_lowest_code():
    s = pd.DataFrame(
        {
            "municipality_code": ["1882", "1880", "1881"],
            "dimension": "Ledning",
            "score": [0.9, 0.9, 0.1],
        }
    )
    out = maturity.gaps(s, reference="best")
    assert out["best_municipality_code"].tolist() == ["1880"] * 3


def test_gaps__target(weighted):
    out = maturity.gaps(weighted, reference="target", target=0.5)
    assert set(out["reference"]) == {"target"} and (out["reference_value"] == 0.5).all()
    np.testing.assert_allclose(out["gap"], weighted["score"] - 0.5)
    with pytest.raises(ValueError, match="`target` is required"):
        maturity.gaps(weighted, reference="target")


def test_gaps__maturity_index(responses):
    index = maturity.maturity_index(responses, ci=None)
    out = maturity.gaps(index, value="index", reference="target", target=0.6)
    assert list(out.columns)[:2] == ["municipality_code", "index"]
    assert out["gap_low"].isna().all()
    np.testing.assert_allclose(out["gap"], index["index"] - 0.6)


def test_gaps__bad_arguments(weighted):
    with pytest.raises(ValueError) as err:
        maturity.gaps(weighted, reference="region")
    assert str(err.value) == (
        "The value for `reference` must be one of ['county', 'nation', 'best', 'target'], "
        "but 'region' was passed."
    )
    with pytest.raises(ValueError, match="`target`"):
        maturity.gaps(weighted, target=0.5)
    with pytest.raises(ValueError, match="`national`"):
        maturity.gaps(weighted, national=pd.DataFrame({"dimension": ["Ledning"], "score": [0.5]}))
    with pytest.raises(ValueError, match="`exclude_self`"):
        maturity.gaps(weighted, reference="target", target=0.5, exclude_self=True)
    with pytest.raises(ValueError, match="`value`"):
        maturity.gaps(weighted, value="index")
    with pytest.raises(ValueError, match="several rows"):
        maturity.gaps(pd.concat([weighted, weighted]))


# --------------------------------------------------------------------------- dispersion


def naive_gini(values):
    values = [v for v in values if not math.isnan(v)]
    n, mean = len(values), sum(values) / len(values)
    return sum(abs(a - b) for a in values for b in values) / (2 * n * n * mean)


def test_dispersion__hand_values(weighted):
    out = maturity.dispersion(weighted)
    assert list(out.columns) == [
        "dimension",
        "n",
        "mean",
        "min",
        "max",
        "range",
        "q1",
        "q3",
        "iqr",
        "std",
        "gini",
    ]
    led = out.iloc[0]
    assert led["dimension"] == "Ledning" and led["n"] == 3
    assert led["min"] == 0.375 and led["max"] == 0.75 and led["range"] == 0.375
    assert led["q1"] == pytest.approx(0.53125) and led["q3"] == pytest.approx(0.71875)
    assert led["iqr"] == pytest.approx(0.1875)
    m = 1.8125 / 3
    assert led["std"] == pytest.approx(math.sqrt(sum((LEDNING - m) ** 2) / 2))
    assert led["gini"] == pytest.approx(1.5 / 10.875)
    kom = out.iloc[1]
    assert kom["n"] == 2 and kom["range"] == pytest.approx(1.75 / 3 - 0.125)


def test_dispersion__gini_known_cases():
    s = pd.DataFrame(
        {
            "dimension": ["A"] * 3 + ["B"] * 3 + ["C"] * 2 + ["D"] * 2,
            "score": [0.4, 0.4, 0.4, 0.0, 0.0, 1.0, 0.0, 0.0, -0.5, 1.0],
        }
    )
    out = maturity.dispersion(s).set_index("dimension")
    assert out.loc["A", "gini"] == 0.0
    assert out.loc["B", "gini"] == pytest.approx(2 / 3)  # one of three holds everything
    assert math.isnan(out.loc["C", "gini"])  # zero mean
    assert math.isnan(out.loc["D", "gini"])  # a negative value
    assert out.loc["C", "std"] == 0.0 and out.loc["C", "gini"] != 0.0


def test_dispersion__gini_matches_loop_oracle():
    rng = np.random.default_rng(11)
    values = rng.random(60)
    values[rng.random(60) < 0.1] = np.nan
    s = pd.DataFrame({"dimension": np.repeat(list(DIMENSIONS), 15), "score": values})
    out = maturity.dispersion(s)
    for row in out.itertuples(index=False):
        group = s.loc[s["dimension"] == row.dimension, "score"].tolist()
        assert row.gini == pytest.approx(naive_gini(group), abs=1e-12)
        assert row.std == pytest.approx(np.nanstd(group, ddof=1))


def test_dispersion__overall_and_refusals(weighted):
    ledning = weighted[weighted["dimension"] == "Ledning"].drop(columns="dimension")
    out = maturity.dispersion(ledning, by=None)
    assert out.shape == (1, 10) and out.loc[0, "n"] == 3
    assert out.loc[0, "gini"] == pytest.approx(1.5 / 10.875)
    with pytest.raises(ValueError, match="several rows"):
        maturity.dispersion(weighted, by=())
    with pytest.raises(ValueError, match="`by`"):
        maturity.dispersion(weighted, by="area")


# --------------------------------------------------------------------------- development areas


def test_weakest_indicators__table(responses, instrument):
    out = maturity.weakest_indicators(responses, instrument=instrument)
    assert list(out.columns) == [
        "indicator_id",
        "indicator",
        "area",
        "dimension",
        "mean_score",
        "n_scored",
        "n_below",
        "suggested_activity",
    ]
    # Ledning: L3 0.25, L2 2/3, L1 0.75; Kompetens: K2 0.25 (1 scored), K3 0.25, K1 0.5.
    assert out["indicator_id"].tolist() == ["L3", "L2", "L1", "K2", "K3", "K1"]
    np.testing.assert_allclose(out["mean_score"], [0.25, 2 / 3, 0.75, 0.25, 0.25, 0.5])
    assert out["n_scored"].tolist() == [3, 3, 3, 1, 2, 2]
    assert out["n_below"].tolist() == [2, 0, 0, 1, 1, 1]
    assert out["suggested_activity"].tolist()[:2] == [ACTIVITIES["L3"], ACTIVITIES["L2"]]
    assert out.loc[0, "indicator"] == "Indikator L3"


def test_weakest_indicators__n_and_ties(responses):
    out = maturity.weakest_indicators(responses, n=1, threshold=0.3)
    # K2 and K3 tie on mean 0.25 and on one municipality below 0.3: the lower id wins.
    assert out["indicator_id"].tolist() == ["L3", "K2"]
    overall = maturity.weakest_indicators(responses, by=(), n=2, threshold=0.3)
    # L3, K2 and K3 all have mean 0.25; L3 has two municipalities below 0.3.
    assert overall["indicator_id"].tolist() == ["L3", "K2"]
    assert overall["suggested_activity"].isna().all()


def test_weakest_indicators__tie_broken_by_n_below():
    values = {"0114": [0.0, 0.5], "0115": [1.0, 0.5]}  # both mean 0.5
    rows = make_responses(values, ids=["A", "B"], dims=["Ledning", "Ledning"])
    out = maturity.weakest_indicators(rows, threshold=0.5)
    assert out["indicator_id"].tolist() == ["A", "B"]  # A has one below 0.5, B none
    assert out["n_below"].tolist() == [1, 0]


def test_development_areas__hand_computed(responses, instrument):
    out = maturity.development_areas(responses, instrument=instrument)
    assert list(out.columns) == [
        "priority",
        "dimension",
        "mean_score",
        "n_below",
        "n_municipalities",
        "weakest_indicator_ids",
        "weakest_indicators",
        "suggested_activities",
    ]
    # Both dimensions have 1 municipality below 0.5; Kompetens has the lower mean.
    assert out["dimension"].tolist() == ["Kompetens", "Ledning"]
    assert out["priority"].tolist() == [1, 2]
    np.testing.assert_allclose(out["mean_score"], [(1.75 / 3 + 0.125) / 2, 1.8125 / 3])
    assert out["n_below"].tolist() == [1, 1]
    assert out["n_municipalities"].tolist() == [2, 3]
    assert out.loc[0, "weakest_indicator_ids"] == ("K2", "K3", "K1")
    assert out.loc[0, "weakest_indicators"] == ("Indikator K2", "Indikator K3", "Indikator K1")
    assert out.loc[0, "suggested_activities"] == (ACTIVITIES["K2"], None, ACTIVITIES["K1"])
    assert out.loc[1, "weakest_indicator_ids"] == ("L3", "L2", "L1")
    assert out.loc[1, "suggested_activities"][0] == "Konferens om förändringsledning"


def test_development_areas__more_below_beats_lower_mean():
    values = {"0114": [0.45, 0.0], "0115": [0.45, 0.6], "0116": [1.0, 0.6]}
    rows = make_responses(values, ids=["L1", "K1"], dims=["Ledning", "Kompetens"])
    out = maturity.development_areas(rows, n_weakest=1)
    # Ledning: mean 0.633, 2 below; Kompetens: mean 0.4, 1 below.
    assert out["dimension"].tolist() == ["Ledning", "Kompetens"]
    assert out["n_below"].tolist() == [2, 1]
    assert out.loc[0, "suggested_activities"] == (None,)


def test_development_areas__by_area(responses, instrument):
    rows = pd.concat(
        [
            responses,
            responses.assign(
                area="Övergripande", score=1.0, indicator_id=responses["indicator_id"] + "o"
            ),
        ]
    )
    out = maturity.development_areas(rows, by=("area", "dimension"), n_weakest=2)
    assert list(out.columns)[:3] == ["priority", "area", "dimension"]
    assert len(out) == 4
    assert out.loc[3, "n_below"] == 0 and out.loc[3, "mean_score"] == 1.0
    with pytest.raises(ValueError, match="`by`"):
        maturity.development_areas(rows, by=("municipality_code",))
    with pytest.raises(ValueError, match="`n_weakest`"):
        maturity.development_areas(rows, n_weakest=0)
    with pytest.raises(ValueError, match="`threshold`"):
        maturity.development_areas(rows, threshold=50)


def test_development_areas__instrument_must_cover_responses(responses, instrument):
    with pytest.raises(ValueError, match=r"`instrument` has no weight .*K3"):
        maturity.development_areas(responses, instrument=instrument.iloc[:5])


# --------------------------------------------------------------------------- change


def _round(values, date):
    ids = [f"I{i}" for i in range(len(next(iter(values.values()))))]
    return make_responses(values, date=pd.Timestamp(date), ids=ids, dims=["Ledning"] * len(ids))


def test_change__clear_improvement_decline_and_none():
    rng = np.random.default_rng(0)
    low = list(rng.choice([0.0, 0.25], 20))
    high = list(rng.choice([0.75, 1.0], 20))
    same = list(rng.choice([0.0, 0.25, 0.5, 0.75, 1.0], 20))
    t0 = _round({"0114": low, "0115": same, "0116": high}, "2023-03-01")
    t1 = _round({"0114": high, "0115": same[::-1], "0116": low}, "2024-03-01")
    out = maturity.change(t0, t1, n_boot=1000, seed=0)
    assert list(out.columns) == [
        "municipality_code",
        "dimension",
        "score_t0",
        "score_t1",
        "change",
        "ci_low",
        "ci_high",
        "exceeds_interval",
        "direction",
        "n_scored_t0",
        "n_scored_t1",
    ]
    assert out["exceeds_interval"].tolist() == [True, False, True]
    assert out["direction"].tolist() == ["up", "none", "down"]
    assert out.loc[1, "change"] == pytest.approx(0.0, abs=1e-12)
    assert out.loc[1, "ci_low"] < 0 < out.loc[1, "ci_high"]
    assert out.loc[0, "change"] == pytest.approx(np.mean(high) - np.mean(low))
    assert out.loc[0, "ci_low"] <= out.loc[0, "change"] <= out.loc[0, "ci_high"]
    assert out["n_scored_t0"].tolist() == [20, 20, 20]
    pd.testing.assert_frame_equal(out, maturity.change(t0, t1, n_boot=1000, seed=0))


def test_change__group_in_one_round_only():
    t0 = _round({"0114": [0.5, 0.5]}, "2023-03-01")
    t1 = _round({"0114": [1.0, 1.0], "0115": [1.0, 0.5]}, "2024-03-01")
    out = maturity.change(t0, t1, n_boot=100)
    assert out["municipality_code"].tolist() == ["0114", "0115"]
    assert math.isnan(out.loc[1, "change"]) and pd.isna(out.loc[1, "direction"])
    assert not out.loc[1, "exceeds_interval"]
    assert out.loc[1, "n_scored_t0"] == 0


def test_change__refusals():
    t0 = _round({"0114": [0.5, 0.5]}, "2024-03-01")
    t1 = _round({"0114": [1.0, 1.0]}, "2023-03-01")
    with pytest.raises(ValueError, match="`responses_t1` is not later"):
        maturity.change(t0, t1)
    with pytest.raises(ValueError, match="`by`"):
        maturity.change(t1, t0, by=("municipality_code", "assessed_on"))
    with pytest.raises(ValueError, match="`responses_t0`.*assessed_on"):
        maturity.change(pd.concat([t1, t0.assign(assessed_on=pd.Timestamp("2022-01-01"))]), t0)


# --------------------------------------------------------------------------- peer groups


def _profiles():
    rows = []
    high = {
        "0114": [0.9, 0.85, 0.8, 0.9],
        "0115": [0.95, 0.9, 0.85, 0.8],
        "0117": [0.85, 0.9, 0.9, 0.85],
    }
    low = {
        "0120": [0.2, 0.1, 0.2, 0.3],
        "0123": [0.1, 0.2, 0.25, 0.2],
        "0125": [0.25, 0.2, 0.1, 0.15],
    }
    for code, values in {**high, **low}.items():
        for dimension, value in zip(DIMENSIONS, values, strict=True):
            rows.append({"municipality_code": code, "dimension": dimension, "score": value})
    return pd.DataFrame(rows)


def test_peer_groups__two_obvious_clusters():
    s = _profiles()
    out = maturity.peer_groups(s)
    assert list(out.columns) == ["municipality_code", "peer_group", "nearest_peers"]
    assert out.attrs["k"] == 2
    assert out["peer_group"].tolist() == [1, 1, 1, 2, 2, 2]  # 1 = the most mature
    assert set(out.loc[0, "nearest_peers"][:2]) == {"0115", "0117"}
    assert len(out.loc[0, "nearest_peers"]) == 3
    assert set(out.attrs["silhouette"]) == {2, 3, 4, 5}
    assert max(out.attrs["silhouette"], key=out.attrs["silhouette"].get) == 2
    again = maturity.peer_groups(s.sample(frac=1, random_state=3))
    pd.testing.assert_frame_equal(out, again)


def test_peer_groups__fixed_k_missing_cells_and_profiles():
    s = _profiles()
    s = s.drop(index=s.index[(s["municipality_code"] == "0123") & (s["dimension"] == "Ledning")])
    s = pd.concat(
        [s, pd.DataFrame({"municipality_code": ["0126"], "dimension": ["Ledning"], "score": [NaN]})]
    )
    out = maturity.peer_groups(s, k=2, method="average")
    assert out["municipality_code"].tolist()[-1] == "0126"
    assert pd.isna(out.loc[6, "peer_group"]) and out.loc[6, "nearest_peers"] == ()
    assert out["peer_group"].tolist()[:6] == [1, 1, 1, 2, 2, 2]
    profiles = maturity.peer_profiles(s, out)
    assert list(profiles.columns) == ["peer_group", "dimension", "score", "n_municipalities"]
    first = profiles[(profiles["peer_group"] == 1) & (profiles["dimension"] == "Ledning")]
    assert first["score"].item() == pytest.approx((0.9 + 0.95 + 0.85) / 3)
    low_ledning = profiles[(profiles["peer_group"] == 2) & (profiles["dimension"] == "Ledning")]
    assert low_ledning["n_municipalities"].item() == 2  # 0123 had no Ledning score


def test_peer_groups__bad_arguments():
    s = _profiles()
    with pytest.raises(ValueError, match="`method`"):
        maturity.peer_groups(s, method="kmeans")
    with pytest.raises(ValueError, match="`k`"):
        maturity.peer_groups(s, k=7)
    with pytest.raises(ValueError, match="`k`"):
        maturity.peer_groups(s, k=0)
    with pytest.raises(ValueError, match="`k`"):
        maturity.peer_groups(s[s["municipality_code"].isin(["0114", "0115"])], k=3)


def test_peer_groups__one_and_two_municipalities():
    # Gotland is one municipality; a county of two has nothing to cut either: one group.
    s = _profiles()
    two = maturity.peer_groups(s[s["municipality_code"].isin(["0114", "0117"])])
    assert two["municipality_code"].tolist() == ["0114", "0117"]
    assert two["peer_group"].tolist() == [1, 1]
    assert two["nearest_peers"].tolist() == [("0117",), ("0114",)]
    assert two.attrs["k"] == 1 and two.attrs["silhouette"] == {}
    one = maturity.peer_groups(s[s["municipality_code"] == "0114"])
    assert one["peer_group"].tolist() == [1] and one["nearest_peers"].tolist() == [()]
    assert one.attrs["k"] == 1
    profiles = maturity.peer_profiles(s[s["municipality_code"] == "0114"], one)
    ledning = profiles.loc[profiles["dimension"] == "Ledning", "score"].item()
    assert ledning == s.loc[(s["municipality_code"] == "0114") & (s["dimension"] == "Ledning"),
                            "score"].item()
    assert captions.peer_groups(one) == "En grupp: för få kommuner för att dela in i grupper."
    assert captions.peer_groups(two, lang="en") == (
        "One group: too few municipalities to divide into groups."
    )


# --------------------------------------------------------------------------- whole module


def test_inputs_are_not_changed(responses, instrument, weighted):
    copies = [responses.copy(), instrument.copy(), weighted.copy()]
    maturity.maturity_index(responses, weights=instrument, n_boot=50)
    maturity.gaps(weighted, reference="best", exclude_self=True)
    maturity.dispersion(weighted)
    maturity.development_areas(responses, instrument=instrument)
    maturity.peer_groups(weighted, k=2)
    for before, after in zip(copies, [responses, instrument, weighted], strict=True):
        pd.testing.assert_frame_equal(before, after)


def test_docstring_examples_run():
    result = doctest.testmod(maturity, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 10
    assert result.failed == 0
