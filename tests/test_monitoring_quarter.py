"""monitoring: the quarter's report table, grouped target attainment and the ITS pick."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ehalsa_analys import monitoring

NBSP = "\xa0"
QUARTERS = list(pd.period_range("2025Q1", periods=6, freq="Q"))


def _catalogue():
    return pd.DataFrame(
        {
            "metric_id": ["besok", "brukare", "insats"],
            "unit": ["%", "antal", "minuter"],
            "kind": ["proportion", "count", "measure"],
            "higher_is_better": [True, True, False],
            "target": [40.0, np.nan, 20.0],
            "baseline_end": [pd.Period("2025Q4", "Q")] * 3,
        }
    )


def _data():
    """Three municipalities, six quarters; in 2026Q2 Lekeberg (1814) has 3 digital visits."""
    rows = []
    for code, numerators, users, minutes in (
        ("1880", [30, 31, 29, 30, 32, 30], [40, 41, 40, 42, 41, 40], [25, 24, 26, 25, 19, 18]),
        ("1814", [10, 9, 11, 10, 9, 3], [6, 7, 6, 7, 6, 0], [30, 31, 29, 30, 30, 31]),
        ("1860", [50, 52, 49, 51, 50, 51], [12, 11, 12, 13, 12, 12], [22, 21, 22, 23, 22, 22]),
    ):
        for i, q in enumerate(QUARTERS):
            rows.append((code, q, "besok", numerators[i], 100.0, numerators[i], ""))
            rows.append((code, q, "brukare", np.nan, np.nan, users[i], ""))
            rows.append((code, q, "insats", np.nan, np.nan, minutes[i], ""))
    data = pd.DataFrame(
        rows,
        columns=[
            "municipality_code",
            "period",
            "metric_id",
            "numerator",
            "denominator",
            "value",
            "status",
        ],
    )
    for column in ("numerator", "denominator", "value"):
        data[column] = data[column].astype(float)
    return data


def _table(data=None, **kwargs):
    data = _data() if data is None else data
    charts = monitoring.charts_for(data, _catalogue())
    return monitoring.quarter_table(
        charts,
        data=data,
        catalogue=_catalogue(),
        names={"1880": "Örebro", "1814": "Lekeberg"},
        titles={"besok": "Digitala besök"},
        **kwargs,
    ).set_index(["municipality_code", "metric_id"])


def test_quarter_table__columns_and_order():
    table = _table().reset_index()
    assert table.columns.tolist() == [
        "municipality_code",
        "metric_id",
        "quarter",
        "municipality",
        "metric",
        "latest",
        "target",
        "signal",
        "note",
        "value",
        "suppression",
    ]
    assert table[["municipality_code", "metric_id"]].values.tolist()[:3] == [
        ["1814", "besok"],
        ["1814", "brukare"],
        ["1814", "insats"],
    ]
    assert set(table["quarter"]) == {pd.Period("2026Q2", "Q")}
    assert table["municipality"].tolist()[::3] == ["Lekeberg", "1860", "Örebro"]
    assert table["metric"].tolist()[:3] == ["Digitala besök", "brukare", "insats"]


def test_quarter_table__small_numerators_and_counts_hidden_with_secondary():
    table = _table()
    # Visits: Lekeberg's numerator 3 (primary); then Örebro's 30, the smallest other (secondary).
    assert table.loc[("1814", "besok"), ["latest", "suppression"]].tolist() == ["x", "primary"]
    assert table.loc[("1880", "besok"), ["latest", "suppression"]].tolist() == ["x", "secondary"]
    assert table.loc[("1860", "besok"), "latest"] == f"51,0{NBSP}%"
    assert np.isnan(table.loc[("1814", "besok"), "value"])
    assert table.loc[("1860", "besok"), "value"] == 51.0  # in percent, as "latest" shows it
    # Users (a count): 0 in Lekeberg reveals no one; 40 and 12 are shown.
    assert table.loc[("1814", "brukare"), "latest"] == "0"
    assert table.loc[("1860", "brukare"), "latest"] == "12"
    assert set(table.xs("brukare", level="metric_id")["suppression"]) == {""}
    # A measure (minutes) is never a count of people.
    assert table.loc[("1814", "insats"), "latest"] == "31,0"


def test_quarter_table__count_below_limit_and_limit_argument():
    data = _data()
    data.loc[(data["metric_id"] == "brukare") & (data["period"] == QUARTERS[-1]), "value"] = [
        40.0,
        2.0,
        12.0,
    ]
    table = _table(data)
    assert table.xs("brukare", level="metric_id")["suppression"].to_dict() == {
        "1880": "",
        "1814": "primary",
        "1860": "secondary",
    }
    relaxed = _table(data, limit=2)  # only 1 is hidden now
    assert set(relaxed["suppression"]) == {""}


def test_quarter_table__source_suppression_is_shown_as_x():
    data = _data()
    at = (data["metric_id"] == "insats") & (data["period"] == QUARTERS[-1])
    data.loc[at & (data["municipality_code"] == "1860"), ["value", "status"]] = [
        np.nan,
        "suppressed",
    ]
    table = _table(data)
    assert table.loc[("1860", "insats"), ["latest", "suppression"]].tolist() == ["x", "source"]


def test_quarter_table__targets_signals_and_english():
    table = _table()
    assert table.loc[("1880", "besok"), "target"] == f"40{NBSP}%"
    assert table.loc[("1880", "insats"), "target"] == "20"
    assert table.loc[("1880", "brukare"), "target"] == "–"
    # Örebro's call-out time fell from about 25 to 19 and 18 minutes: a run below the centre
    # is too short, but 18 is outside the limits of the baseline (25 ± about 3).
    assert table.loc[("1880", "insats"), "signal"] == "Förbättring"
    english = _table(lang="en")
    assert english.loc[("1880", "insats"), "signal"] == "Improvement"
    assert english.loc[("1860", "besok"), "latest"] == "51.0%"
    assert english.loc[("1880", "besok"), "target"] == "40%"


def test_quarter_table__notes_a_new_signal_only():
    table = _table()
    signalled = table[table["signal"] != ""]
    assert len(signalled)
    # The latest quarter's signal in Örebro's call-out time was there the quarter before too.
    assert table.loc[("1880", "insats"), "note"] == ""
    english = _table(quarter="2026Q1", lang="en")
    assert english.loc[("1880", "insats"), ["signal", "note"]].tolist() == [
        "Improvement",
        "New signal",
    ]
    assert set(english["quarter"]) == {pd.Period("2026Q1", "Q")}


def test_quarter_table__refuses_unknown_language():
    with pytest.raises(ValueError, match="`lang` must be one of"):
        _table(lang="de")


# --------------------------------------------------------------------------- target attainment


def test_target_attainments__hand_checked():
    cat = pd.DataFrame(
        {
            "metric_id": ["andel", "tid", "utan_mal"],
            "target": [10.0, 20.0, np.nan],
            "higher_is_better": [True, False, True],
            "baseline_end": [pd.Period("2025Q2", "Q")] * 3,
        }
    )
    q = QUARTERS[:4]
    data = pd.DataFrame(
        {
            "municipality_code": ["1880"] * 12 + ["1814"] * 4 + ["1860"] * 4,
            "metric_id": ["andel"] * 4
            + ["tid"] * 4
            + ["utan_mal"] * 4
            + ["andel"] * 4
            + ["okand"] * 4,
            "period": q * 5,
            "value": [2.0, 2, 6, 11, 30, 28, 22, 19, 1, 2, 3, 4]
            + [np.nan] * 4  # no value: left out
            + [1.0, 2, 3, 4],  # not in the catalogue: left out
        }
    ).iloc[::-1]  # order of the input does not matter
    out = monitoring.target_attainments(data, cat)
    assert out.columns.tolist() == [
        "municipality_code",
        "metric_id",
        "latest_period",
        "latest",
        "baseline",
        "target",
        "share_of_way",
        "met",
        "first_met",
    ]
    assert out[["municipality_code", "metric_id"]].values.tolist() == [
        ["1880", "andel"],
        ["1880", "tid"],
    ]
    # andel: baseline median(2, 2) = 2, latest 11: (11 − 2) / (10 − 2) = 1.125, met from 2025Q4.
    # tid (lower is better): baseline median(30, 28) = 29, latest 19: (19 − 29) / (20 − 29) = 10/9.
    assert out["baseline"].tolist() == [2.0, 29.0]
    assert out["share_of_way"].tolist() == pytest.approx([1.125, 10 / 9])
    assert out["met"].tolist() == [True, True]
    assert [str(p) for p in out["first_met"]] == ["2025Q4", "2025Q4"]


def test_target_attainments__same_as_one_series_at_a_time():
    data, cat = _data(), _catalogue()
    out = monitoring.target_attainments(data, cat, limit=None)
    out = out.set_index(["municipality_code", "metric_id"])
    assert set(out.index.get_level_values("metric_id")) == {"besok", "insats"}
    for (code, metric), row in out.iterrows():
        series = data[(data["municipality_code"] == code) & (data["metric_id"] == metric)]
        meta = cat.set_index("metric_id").loc[metric]
        one = monitoring.target_attainment(
            series.set_index("period")["value"],
            meta["target"],
            baseline_end=meta["baseline_end"],
            higher_is_better=bool(meta["higher_is_better"]),
        )
        got, want = row.to_dict(), one.to_dict()
        if want["first_met"] is None:  # a column of periods holds NaT where no period met it
            assert pd.isna(got.pop("first_met")) and want.pop("first_met") is None
        assert got == want


def test_target_attainments__hides_what_the_quarter_table_hides():
    """1814's 3 digital visits in 2026Q2 are hidden in both tables, 1880's 30 too (secondary).

    Before, the table of targets (monitor_malupfyllelse) showed the 3 that the quarter table hid.
    """
    data, cat = _data(), _catalogue().assign(target=[40.0, 45.0, 20.0])
    charts = monitoring.charts_for(data, cat)
    table = monitoring.quarter_table(charts, data=data, catalogue=cat)
    hidden_there = set(
        map(tuple, table.loc[table["latest"] == "x", ["municipality_code", "metric_id"]].values)
    )
    out = monitoring.target_attainments(data, cat)
    hidden_here = set(
        map(tuple, out.loc[out["latest"].isna(), ["municipality_code", "metric_id"]].values)
    )
    # besok: 1814's numerator 3 (primary) and the smallest other, 1880's 30 (secondary);
    # brukare (a count): 1814's 0 is shown (zero singles no one out), the rest are large.
    assert hidden_here == hidden_there == {("1814", "besok"), ("1880", "besok")}
    row = out.set_index(["municipality_code", "metric_id"]).loc[("1814", "besok")]
    assert pd.isna(row["share_of_way"]) and pd.isna(row["met"])
    assert row["baseline"] == 10.0 and str(row["latest_period"]) == "2026Q2"
    shown = out.set_index(["municipality_code", "metric_id"]).loc[("1860", "besok")]
    assert shown["latest"] == 51.0
    small = _data()
    small.loc[small["metric_id"].eq("brukare") & small["municipality_code"].eq("1860"), "value"] = 2
    again = monitoring.target_attainments(small, cat).set_index(["municipality_code", "metric_id"])
    assert pd.isna(again.loc[("1860", "brukare"), "baseline"])  # a median count of 2 people
    assert pd.isna(again.loc[("1860", "brukare"), "latest"])


def test_target_attainments__nothing_with_a_target():
    cat = _catalogue().assign(target=np.nan)
    out = monitoring.target_attainments(_data(), cat)
    assert out.empty and "share_of_way" in out.columns


# --------------------------------------------------------------------------- ITS pick


def _its_data(after_1880=5.0, after_1814=3.0):
    q = list(pd.period_range("2022Q1", periods=12, freq="Q"))
    wiggle = [0.1, -0.1] * 6
    values = {
        "1880": [2.0] * 6 + [after_1880] * 6,
        "1814": [2.0] * 6 + [after_1814] * 6,
        "1860": [2.0] * 12,
    }
    return pd.DataFrame(
        {
            "municipality_code": np.repeat(list(values), 12),
            "metric_id": "m",
            "period": q * 3,
            "value": np.concatenate([np.add(v, wiggle) for v in values.values()]),
        }
    )


def _its_catalogue(higher_is_better=True, unit="%"):
    return pd.DataFrame(
        {
            "metric_id": ["m"],
            "unit": [unit],
            "higher_is_better": [higher_is_better],
            "baseline_end": [pd.Period("2023Q2", "Q")],
        }
    )


def test_largest_change_its__picks_the_largest_rise():
    code, its = monitoring.largest_change_its(_its_data(), _its_catalogue(), metric_id="m")
    assert code == "1880"  # +3 against +1 and 0
    level = its.coefficients.set_index("term").loc["level_change", "estimate"]
    assert level == pytest.approx(3.0, abs=0.3)
    assert "procentenheter" in its.sentence and "2023 K3" in its.sentence
    assert its.fitted["x"].iloc[0] == pd.Period("2022Q1", "Q")


def test_largest_change_its__lower_is_better_picks_the_largest_fall():
    data = _its_data(after_1880=5.0, after_1814=0.5)
    code, its = monitoring.largest_change_its(
        data, _its_catalogue(higher_is_better=False, unit="minuter"), metric_id="m", lang="en"
    )
    assert code == "1814"  # −1.5
    assert " minuter " in its.sentence and its.sentence.startswith("After the change in 2023 Q3")


def test_largest_change_its__ties_go_to_the_lowest_code():
    code, _ = monitoring.largest_change_its(
        _its_data(after_1880=4.0, after_1814=4.0), _its_catalogue(), metric_id="m"
    )
    assert code == "1814"


def test_largest_change_its__nothing_to_fit():
    assert monitoring.largest_change_its(_its_data(), _its_catalogue(), metric_id="x") is None
    no_end = _its_catalogue().assign(baseline_end=pd.NaT)
    assert monitoring.largest_change_its(_its_data(), no_end, metric_id="m") is None
    before_only = _its_data()[lambda d: d["period"] <= pd.Period("2023Q2", "Q")]
    assert monitoring.largest_change_its(before_only, _its_catalogue(), metric_id="m") is None


def test_metric_with_target__catalogue_order_and_none():
    charts = pd.DataFrame({"metric_id": ["insats", "besok"]})
    assert monitoring.metric_with_target(charts, _catalogue()) == "besok"
    assert monitoring.metric_with_target(charts[charts["metric_id"] == "x"], _catalogue()) is None


def test_chart_points_on_small_counts_are_hidden_and_the_chart_says_so(axes):
    from ehalsa_analys import plots

    cat = pd.DataFrame(
        {
            "metric_id": ["andel", "antal"],
            "unit": ["%", "antal"],
            "kind": ["proportion", "count"],
            "higher_is_better": [True, True],
            "target": [np.nan, np.nan],
            "baseline_end": [pd.NaT, pd.NaT],
        }
    )
    q = pd.period_range("2024Q1", periods=5, freq="Q")
    share = pd.DataFrame(
        {
            "municipality_code": "1880",
            "metric_id": "andel",
            "period": q,
            "numerator": [40.0, 3, 35, 0, 50],
            "denominator": [100.0] * 5,
            "value": [40.0, 3, 35, 0, 50],
            "status": "",
        }
    )
    count = share.assign(
        metric_id="antal", numerator=np.nan, denominator=np.nan, value=[7.0, 2, 9, 8, 1]
    )
    count.loc[3, ["value", "status"]] = [np.nan, "suppressed"]
    data = pd.concat([share, count], ignore_index=True)
    shown = monitoring.hide_small_counts(monitoring.charts_for(data, cat), data=data, catalogue=cat)
    hidden = shown.set_index(["metric_id", "x"])["suppressed"]
    assert hidden["andel"].tolist() == [False, True, False, False, False]  # 3 hidden, 0 shown
    assert hidden["antal"].tolist() == [False, True, False, True, True]  # 2, marked, 1
    assert shown.loc[shown["suppressed"], "y"].isna().all()
    # The centre line with the visible points would give the hidden ones back.
    assert shown[["cl", "lcl", "ucl"]].isna().all().all()
    ax = plots.spc_chart(shown[shown["metric_id"] == "antal"], ax=axes())
    drawn = ax.lines[0].get_ydata()
    assert np.isnan(drawn[[1, 3, 4]]).all() and list(drawn[[0, 2]]) == [7.0, 9.0]
    assert "Dolda punkter: 3 (antal under 5)" in [t.get_text() for t in ax.texts]


def test_its_shows_only_a_municipality_whose_every_point_may_be_published():
    cat = pd.DataFrame(
        {
            "metric_id": ["m"],
            "unit": ["%"],
            "kind": ["proportion"],
            "higher_is_better": [True],
            "baseline_end": [pd.Period("2023Q2", "Q")],
        }
    )
    q = list(pd.period_range("2022Q1", periods=12, freq="Q"))
    big = [2.0, 2.2] * 3 + [9.0, 9.2] * 3  # 1880 improves most ...
    small = [2.0, 2.2] * 3 + [5.0, 5.2] * 3
    data = pd.DataFrame(
        {
            "municipality_code": ["1880"] * 12 + ["1814"] * 12,
            "metric_id": "m",
            "period": q * 2,
            "numerator": [n * 10 for n in big] + [n * 10 for n in small],
            "denominator": 1000.0,
            "value": big + small,
            "status": "",
        }
    )
    assert monitoring.largest_change_its(data, cat, metric_id="m")[0] == "1880"
    data.loc[3, "numerator"] = 3.0  # ... but one of its quarters rests on 3 people
    assert monitoring.largest_change_its(data, cat, metric_id="m")[0] == "1814"
