"""Effect-monitoring statistics against hand-computed cases and the published rules."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from ehalsa_analys import monitoring
from ehalsa_analys.errors import SchemaError


def _q(values, start="2022Q1"):
    return pd.Series(
        values, index=pd.period_range(start, periods=len(values), freq="Q"), dtype=float
    )


# --------------------------------------------------------------------------- Anhøj rules


@pytest.mark.parametrize(
    ("n", "longest_max", "crossings_min"),
    # Anhøj & Olesen (2014), table 1: limits for 10–40 useful observations.
    [(10, 6, 2), (14, 7, 4), (20, 7, 6), (24, 8, 8), (30, 8, 10), (40, 8, 14)],
)
def test_anhoej_limits_follow_the_published_table(n, longest_max, crossings_min):
    y = _q(np.tile([1.0, 3.0], n // 2))  # alternating: no points on the median
    rc = monitoring.run_chart(y).iloc[0]
    assert rc["n_useful"] == n
    assert rc["longest_run_max"] == longest_max
    assert rc["n_crossings_min"] == crossings_min


def test_run_chart__clear_shift_marks_the_long_runs():
    y = _q([1.0, 1.2, 0.9, 1.1, 1.0, 1.3, 0.8, 1.1, 1.0, 1.2] + [5.0, 5.2, 4.9, 5.1] * 2 + [5, 5.1])
    rc = monitoring.run_chart(y)
    first = rc.iloc[0]
    assert first["n_useful"] == 20 and first["longest_run"] == 10
    assert first["longest_run_max"] == 7 and first["n_crossings"] == 1
    assert bool(first["runs_signal"])
    assert rc["shift_point"].all()  # both runs of 10 exceed 7


def test_run_chart__random_noise_gives_no_signal():
    y = _q([5, 7, 4, 8, 6, 3, 7, 5, 8, 4, 6, 7, 5, 3, 8, 6])
    rc = monitoring.run_chart(y)
    first = rc.iloc[0]
    # median 6: three points on it are not useful.
    assert first["cl"] == 6 and first["n_useful"] == 13
    assert first["longest_run"] == 2 and first["n_crossings"] == 11
    assert first["n_crossings_min"] == stats.binom.ppf(0.05, 12, 0.5) == 3
    assert not first["runs_signal"] and not rc["shift_point"].any()


def test_run_chart__points_on_the_median_neither_break_nor_extend_a_run():
    # median 3: the 3s are ignored, so below-run 1,2,2 continues across them.
    y = _q([1, 2, 3, 2, 3, 4, 5, 3, 4, 5, 3])
    first = monitoring.run_chart(y).iloc[0]
    assert first["cl"] == 3 and first["n_useful"] == 7
    assert first["longest_run"] == 4 and first["n_crossings"] == 1


def test_run_chart__trend_without_shift_fires_only_crossings():
    y = _q(np.arange(1.0, 13.0))
    first = monitoring.run_chart(y).iloc[0]
    assert first["longest_run"] == 6 and first["longest_run_max"] == 7
    assert first["n_crossings"] == 1 and first["n_crossings_min"] == 3
    assert bool(first["runs_signal"])


def test_run_chart__freeze_baseline_median():
    y = _q([2, 4, 3, 3, 9, 9, 9, 9])
    rc = monitoring.run_chart(y, baseline_end="2022Q4")
    assert (rc["cl"] == 3).all()
    assert rc["baseline"].tolist() == [True] * 4 + [False] * 4


def test_run_chart__parts_and_exclude():
    y = _q([1, 2, 3, 4, 10, 11, 12, 13])
    rc = monitoring.run_chart(y, parts="2023Q1", exclude="2022Q1")
    assert rc["part"].tolist() == [1] * 4 + [2] * 4
    assert rc["cl"].tolist() == [3.0] * 4 + [11.5] * 4  # 2022Q1 left out of part 1
    assert not rc["include"].iloc[0]
    # 2 and 4 are useful (3 is on the median, 1 is excluded).
    assert rc["n_useful"].tolist()[:4] == [2] * 4


def test_ihi_rules__shift_of_six_and_trend_of_five():
    # 6 below then alternation: a shift by IHI (6), not by Anhøj for 14 points (limit 7).
    y = _q([1, 2, 1, 2, 1, 2, 9, 8, 9, 1, 9, 8, 9, 8])
    ihi = monitoring.run_chart(y, rules="ihi")
    assert ihi["shift_point"].tolist()[:6] == [True] * 6 and not ihi["shift_point"].iloc[6]
    assert bool(ihi["runs_signal"].iloc[0])
    assert not monitoring.run_chart(y)["shift_point"].any()
    trend = monitoring.run_chart(_q([5, 1, 2, 2, 3, 4, 5, 4, 5, 4]), rules="ihi")
    # 1, 2, 2, 3, 4, 5 rises over five distinct steps' worth of points (the tie does not count).
    assert (
        trend["trend_point"].tolist() == [False, True, True, True, True, True, True] + [False] * 3
    )


def test_ihi_rules__number_of_runs_limits_from_the_exact_distribution():
    # 10 above and 10 below: the central 90 % of the runs distribution is 7–15.
    low, high = monitoring._runs_exact_limits(10, 10)
    assert (low, high) == (7.0, 15.0)


def test_bad_rules_and_periods():
    with pytest.raises(ValueError, match="`rules` must be one of"):
        monitoring.run_chart(_q([1, 2, 3]), rules="nelson")
    with pytest.raises(ValueError, match="`baseline_end` names '2030Q1'"):
        monitoring.run_chart(_q([1, 2, 3]), baseline_end="2030Q1")


# --------------------------------------------------------------------------- control charts


def test_i_chart_from_moving_ranges():
    cc = monitoring.control_chart(_q([10, 12, 11, 15, 13]), chart="i")
    sigma = (2 + 1 + 4 + 2) / 4 / 1.128
    assert cc["cl"].iloc[0] == pytest.approx(12.2)
    assert cc["ucl"].iloc[0] == pytest.approx(12.2 + 3 * sigma)
    assert cc["lcl"].iloc[0] == pytest.approx(12.2 - 3 * sigma)


def test_i_chart__screened_moving_ranges():
    y = _q([10, 11, 10, 11, 10, 30, 10, 11, 10, 11])
    mr = np.abs(np.diff(y.to_numpy()))
    kept = mr[mr < 3.267 * mr.mean()]
    plain = monitoring.control_chart(y, chart="i")
    screened = monitoring.control_chart(y, chart="i", screen_mr=True)
    assert plain["ucl"].iloc[0] == pytest.approx(y.mean() + 3 * mr.mean() / 1.128)
    assert screened["ucl"].iloc[0] == pytest.approx(y.mean() + 3 * kept.mean() / 1.128)
    assert screened["ucl"].iloc[0] < plain["ucl"].iloc[0]


def test_mr_chart():
    cc = monitoring.control_chart(_q([10, 12, 11, 15]), chart="mr")
    assert np.isnan(cc["y"].iloc[0]) and cc["y"].tolist()[1:] == [2, 1, 4]
    assert cc["cl"].iloc[1] == pytest.approx(7 / 3)
    assert cc["ucl"].iloc[1] == pytest.approx(3.267 * 7 / 3) and cc["lcl"].iloc[1] == 0


def test_p_chart_with_varying_denominators():
    q = pd.period_range("2024Q1", periods=4, freq="Q")
    y = pd.Series([0.10, 0.20, 0.15, 0.40], index=q)
    n = pd.Series([100, 50, 200, 50], index=q)
    cc = monitoring.control_chart(y, n, chart="p")
    p = (10 + 10 + 30 + 20) / 400
    for i, size in enumerate([100, 50, 200, 50]):
        sigma = math.sqrt(p * (1 - p) / size)
        assert cc["ucl"].iloc[i] == pytest.approx(p + 3 * sigma)
        assert cc["lcl"].iloc[i] == pytest.approx(max(p - 3 * sigma, 0))
    assert cc["sigma_signal"].tolist() == [False, False, False, True]


def test_laney_p_prime_hand_computed():
    q = pd.period_range("2024Q1", periods=4, freq="Q")
    y = pd.Series([0.10, 0.12, 0.08, 0.11], index=q)
    n = pd.Series([1000.0] * 4, index=q)
    cc = monitoring.control_chart(y, n, chart="pp")
    p = 0.1025
    sigma = math.sqrt(p * (1 - p) / 1000)
    z = [(v - p) / sigma for v in (0.10, 0.12, 0.08, 0.11)]
    sigma_z = (abs(z[1] - z[0]) + abs(z[2] - z[1]) + abs(z[3] - z[2])) / 3 / 1.128
    assert sigma_z == pytest.approx(2.77266, rel=1e-4)
    assert cc["ucl"].iloc[0] == pytest.approx(p + 3 * sigma * sigma_z)
    assert cc["lcl"].iloc[0] == pytest.approx(p - 3 * sigma * sigma_z)


def test_c_u_and_g_charts():
    c = monitoring.control_chart(_q([2, 4, 6, 4]), chart="c")
    assert c[["cl", "lcl", "ucl"]].iloc[0].tolist() == [4, 0, 10]
    q = pd.period_range("2024Q1", periods=3, freq="Q")
    u = monitoring.control_chart(
        pd.Series([0.2, 0.5, 0.3], index=q), pd.Series([10.0, 20, 10], index=q), chart="u"
    )
    rate = (2 + 10 + 3) / 40
    assert u["ucl"].iloc[1] == pytest.approx(rate + 3 * math.sqrt(rate / 20))
    g = monitoring.control_chart(_q([3, 10, 5, 2]), chart="g")
    assert g["cl"].iloc[0] == 4  # the median
    assert g["ucl"].iloc[0] == pytest.approx(5 + 3 * math.sqrt(5 * 6))


def test_xbar_and_s_charts_with_exact_constants():
    q = pd.PeriodIndex(["2024Q1"] * 3 + ["2024Q2"] * 3 + ["2024Q3"] * 3, freq="Q")
    y = pd.Series([1.0, 2, 3, 2, 3, 4, 3, 4, 5], index=q)
    xbar = monitoring.control_chart(y, chart="xbar")
    s = monitoring.control_chart(y, chart="s")
    c4 = math.sqrt(2 / 2) * math.gamma(1.5) / math.gamma(1.0)  # n = 3
    assert c4 == pytest.approx(0.8862, abs=1e-4)
    assert xbar["y"].tolist() == [2, 3, 4] and xbar["cl"].iloc[0] == 3
    assert xbar["ucl"].iloc[0] == pytest.approx(3 + 3 / (c4 * math.sqrt(3)) * 1.0)
    b4 = 1 + 3 * math.sqrt(1 - c4**2) / c4
    assert s["cl"].iloc[0] == 1.0 and s["ucl"].iloc[0] == pytest.approx(b4)
    assert b4 == pytest.approx(2.568, abs=1e-3)  # the tabled B4 for n = 3


def test_t_chart_back_transforms():
    y = _q([10, 20, 15, 30, 25])
    t = monitoring.control_chart(y, chart="t")
    i = monitoring.control_chart(y ** (1 / 3.6), chart="i")
    assert t["cl"].iloc[0] == pytest.approx(i["cl"].iloc[0] ** 3.6)
    assert t["ucl"].iloc[0] == pytest.approx(i["ucl"].iloc[0] ** 3.6)
    with pytest.raises(ValueError, match="greater than zero"):
        monitoring.control_chart(_q([0, 2, 3]), chart="t")


def test_control_chart__bad_arguments():
    with pytest.raises(ValueError, match="`chart` must be one of"):
        monitoring.control_chart(_q([1, 2]), chart="x")
    with pytest.raises(ValueError, match="needs `denominators`"):
        monitoring.control_chart(_q([0.1, 0.2]), chart="p")


def test_grouped_charts_equal_single_series():
    rng = np.random.default_rng(1)
    q = pd.period_range("2022Q1", periods=12, freq="Q")
    data = pd.concat(
        [
            pd.DataFrame(
                {
                    "municipality_code": code,
                    "metric_id": "m",
                    "period": q,
                    "value": rng.normal(size=12),
                }
            )
            for code in ("1880", "1814")
        ]
    )
    grouped = monitoring.control_charts(data, baseline_end="2023Q4")
    single = monitoring.control_chart(
        data[data["municipality_code"] == "1814"].set_index("period")["value"],
        baseline_end="2023Q4",
    )
    got = grouped[grouped["municipality_code"] == "1814"].reset_index(drop=True)
    pd.testing.assert_frame_equal(
        got.drop(columns=["municipality_code", "metric_id", "chart"]), single
    )
    assert grouped["municipality_code"].tolist()[0] == "1814"  # sorted by key


# --------------------------------------------------------------------------- baseline, target, ITS


def test_baseline_and_target_attainment():
    y = _q([2.0, 4.0, 3.0, 6.0, 9.0, 10.5])
    assert monitoring.baseline(y, end="2022Q3") == 3.0
    assert monitoring.baseline(y, end="2022Q3", method="mean") == 3.0
    r = monitoring.target_attainment(y, 10, baseline_end="2022Q3")
    assert r["share_of_way"] == pytest.approx((10.5 - 3) / (10 - 3))
    assert r["met"] and str(r["first_met"]) == "2023Q2"
    lower = monitoring.target_attainment(_q([20.0, 18, 15, 12]), 14, higher_is_better=False)
    assert lower["met"] and str(lower["first_met"]) == "2022Q4"
    assert lower["share_of_way"] == pytest.approx((12 - 16.5) / (14 - 16.5))


def test_its_recovers_a_simulated_level_change():
    rng = np.random.default_rng(7)
    t = np.arange(24)
    y = 10 + 0.1 * t + 4.0 * (t >= 12) + rng.normal(0, 0.8, 24)
    result = monitoring.interrupted_time_series(_q(y), intervention="2025Q1")
    level = result.coefficients.set_index("term").loc["level_change"]
    assert level["ci_low"] < 4.0 < level["ci_high"] and level["ci_low"] > 0
    hac = monitoring.interrupted_time_series(_q(y), intervention="2025Q1", hac_lags=2)
    assert hac.coefficients["estimate"].tolist() == pytest.approx(
        result.coefficients["estimate"].tolist()
    )
    assert "höjdes nivån med" in result.sentence and "utesluter noll" in result.sentence
    assert "2025 K1" in result.sentence
    fitted = result.fitted
    assert fitted["counterfactual"].isna().sum() == 12 and fitted["after"].sum() == 12
    english = monitoring.interrupted_time_series(_q(y), intervention="2025Q1", lang="en")
    assert english.sentence.startswith("After the change in 2025 Q1 the level rose by")


def test_its__no_change_says_so_and_needs_points_on_both_sides():
    rng = np.random.default_rng(3)
    y = _q(5 + rng.normal(0, 1, 16))
    result = monitoring.interrupted_time_series(y, intervention="2024Q1")
    assert "omfattar noll" in result.sentence
    with pytest.raises(ValueError, match="at least 3 periods before and 3 after"):
        monitoring.interrupted_time_series(y, intervention="2022Q2")


# ------------------------------------------------------------------- catalogue defaults, summary


def test_charts_for_and_quarter_summary_on_the_demo(tmp_path):
    from ehalsa_analys import load
    from ehalsa_analys.demo import monitoring as demo_monitoring

    demo_monitoring.write(tmp_path, seed=20261123)
    data = load.monitoring(tmp_path / "monitoring")
    charts = monitoring.charts_for(data, load.metric_catalogue())
    kinds = charts.groupby("metric_id")["chart"].first().to_dict()
    assert kinds == {
        "digital_besok_andel": "pp",
        "lakemedel_avvikelser": "c",
        "larm_insatstid": "i",
        "nattillsyn_brukare": "c",
    }
    digital = charts[charts["metric_id"] == "digital_besok_andel"]
    assert digital["target"].iloc[0] == pytest.approx(0.10)  # 10 % as a proportion
    # The baseline is frozen at the catalogue's 2023Q4 for every municipality.
    assert digital.groupby("municipality_code")["baseline"].sum().eq(8).all()
    summary = monitoring.quarter_summary(charts).set_index(["municipality_code", "metric_id"])
    assert (summary["quarter"] == pd.Period("2026Q3", "Q")).all()
    # Örebro and Karlskoga introduced digital visits: improvement; Nora did not.
    assert summary.loc[("1880", "digital_besok_andel"), "signal"] == "improvement"
    assert summary.loc[("1883", "digital_besok_andel"), "signal"] == "improvement"
    assert summary.loc[("1884", "digital_besok_andel"), "signal"] == ""
    assert not summary.loc[("1880", "digital_besok_andel"), "target_met"]
    orebro = digital[digital["municipality_code"] == "1880"]
    first = orebro.loc[orebro["sigma_signal"] | orebro["shift_point"], "x"].min()
    assert first <= pd.Period("2024Q1", "Q")  # the shift is seen from the introduction on
    at_first = monitoring.quarter_summary(charts, quarter=first).set_index(
        ["municipality_code", "metric_id"]
    )
    assert at_first.loc[("1880", "digital_besok_andel"), "new_signal"]
    after = monitoring.quarter_summary(charts, quarter=first + 1).set_index(
        ["municipality_code", "metric_id"]
    )
    assert not after.loc[("1880", "digital_besok_andel"), "new_signal"]


def test_freeze_a_new_baseline_after_an_intervention():
    y = _q([5, 5, 6, 5, 9, 10, 9, 10, 14, 15])
    chart = monitoring.control_chart(
        y, chart="i", parts="2023Q1", baseline_end=["2022Q4", "2023Q4"]
    )
    assert chart["cl"].tolist()[:4] == [5.25] * 4
    assert chart["cl"].tolist()[4:] == [9.5] * 6  # the new part's first four quarters
    assert chart["baseline"].tolist() == [True] * 8 + [False] * 2
    assert chart["sigma_signal"].tolist()[-2:] == [True, True]


@pytest.mark.parametrize(
    ("chart", "values", "first"),
    [
        ("p", [0.1, 45.0, 0.2, 0.3], "45.0 in 2024Q2"),  # a percentage where a share belongs
        ("pp", [0.1, 0.2, -0.1, 0.3], "-0.1 in 2024Q3"),
        ("c", [3.0, -1.0, 4.0, 2.0], "-1.0 in 2024Q2"),
        ("i", [3.0, float("inf"), 4.0, 2.0], "inf in 2024Q2"),
    ],
)
def test_control_chart__values_outside_the_domain_are_refused(chart, values, first):
    q = pd.period_range("2024Q1", periods=4, freq="Q")
    n = pd.Series([100.0] * 4, index=q) if chart in ("p", "pp") else None
    with pytest.raises(SchemaError, match=first) as err:
        monitoring.control_chart(pd.Series(values, index=q, name="andel"), n, chart=chart)
    assert "column andel" in str(err.value) and "Fix:" in str(err.value)
