"""captions: the sentences under the notebooks' figures, Swedish and English, hand-checked."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from ehalsa_analys import captions
from ehalsa_analys.errors import SchemaError

NBSP = "\xa0"


def test_text__fills_placeholders_and_refuses_unknown_keys():
    assert captions.text("enkat_forandring", "sv", title="Larm", first=2014, last=2024) == (
        "Larm, 2014 och 2024."
    )
    assert captions.text("lika_gap_per_kommun", "en").startswith("Difference from the comparison")
    with pytest.raises(ValueError, match="`key` must be one of"):
        captions.text("okand", "sv")
    with pytest.raises(ValueError, match="`lang` must be one of"):
        captions.text("enkat_karta", "de", title="x", year=1)
    assert set(captions.TEXT["sv"]) == set(captions.TEXT["en"])


# --------------------------------------------------------------------------- LIKA


def test_lika_intro():
    latest = pd.DataFrame(
        {
            "municipality_code": ["1880", "1814", "1814"],
            "assessed_on": pd.to_datetime(["2022-03-01", "2022-04-01", "2022-04-01"]),
        }
    )
    instrument = pd.DataFrame({"indicator_id": range(40)})
    assert captions.lika_intro(latest, years=[2018, 2022], instrument=instrument, lang="en") == (
        "2 municipalities in the latest round (2022), rounds in the data: 2018, 2022, "
        "40 indicators in the instrument."
    )


def _scores():
    return pd.DataFrame(
        {
            "municipality_code": ["1880"] * 3 + ["1814"] * 3 + ["1860"] * 3 + ["1861"] * 3,
            "dimension": ["Ledning", "Kompetens", "Användning"] * 4,
            # Weakest: 1880 Användning, 1814 Kompetens, 1860 Ledning = Kompetens (tie: LIKA's
            # order picks Ledning in 1860), 1861 has no scores.
            "score": [0.8, 0.5, 0.2, 0.6, 0.3, 0.9, 0.4, 0.4, 0.7] + [np.nan] * 3,
        }
    )


def test_weakest_dimension__ties_in_lika_order():
    # One municipality each for Användning, Kompetens, Ledning: LIKA's order names Ledning.
    assert captions.weakest_dimension(_scores(), year=2022) == (
        "Ledning är den svagaste delen i 1 av 3 kommuner (2022)."
    )
    two = _scores()
    two.loc[2, "score"] = 0.9  # 1880's weakest becomes Kompetens (0.5)
    assert captions.weakest_dimension(two, year=2022, lang="en") == (
        "Competence is the weakest dimension in 2 of 3 municipalities (2022)."
    )


def test_widest_spread():
    spread = pd.DataFrame(
        {
            "dimension": ["Ledning", "Användning"],
            "min": [0.2, 0.354],
            "max": [0.5, 0.896],
            "range": [0.3, 0.542],
        }
    )
    assert captions.widest_spread(spread) == "Störst spridning i Användning: från 35 till 90 poäng."
    assert captions.widest_spread(spread, lang="en") == (
        "The widest spread is in Use: from 35 to 90 points."
    )


def test_maturity_change_and_one_round():
    change = pd.DataFrame({"direction": ["up", "up", "down", "none"]})
    assert captions.maturity_change(change, rounds=(2018, 2022)) == (
        "2 av 4 kommuner har ökat sin mognad säkert mellan 2018 och 2022."
    )
    assert captions.one_round(2022, lang="en") == (
        "Only one round (2022) in the data: no change to show."
    )


def test_peer_groups_uses_the_chosen_k():
    peers = pd.DataFrame({"peer_group": [1, 1, 2, 3]})
    assert captions.peer_groups(peers) == "3 grupper (vald efter högst silhuettvärde)."
    peers.attrs["k"] = 4
    assert captions.peer_groups(peers).startswith("4 grupper")


def test_first_development_area():
    areas = pd.DataFrame(
        {
            "dimension": ["Användning", "Ledning"],
            "n_below": [7, 2],
            "n_municipalities": [12, 12],
        }
    )
    assert captions.first_development_area(areas, threshold=0.6, lang="en") == (
        "Use is the county's first development area: 7 of 12 municipalities are below 60 points."
    )


def test_highest_index__ties_by_code_and_nan_ignored():
    index = pd.DataFrame(
        {"municipality_code": ["1880", "1860", "1814"], "index": [0.735, 0.735, np.nan]}
    )
    assert captions.highest_index(index) == "Högst mognadsindex har Laxå (74 poäng)."
    assert captions.highest_index(index, lang="en") == (
        "Laxå has the highest maturity index (74 points)."
    )
    with pytest.raises(SchemaError, match="no index"):
        captions.highest_index(index.assign(index=np.nan))


# --------------------------------------------------------------------------- survey


def _levels():
    return pd.DataFrame(
        {
            "indicator_id": "natt",
            "period": [2023, 2023, 2024, 2024, 2024],
            "level": ["county", "nation", "county", "nation", "group"],
            "key": ["18", "0000", "18", "0000", "över 100 000"],
            "share": [0.5, 0.55, 11 / 12, 0.81, 1.0],
        }
    )


def test_adoption__latest_year_or_given_year():
    assert captions.adoption(_levels(), indicator="natt", county_code="18", title="Natt") == (
        f"Natt 2024: 92{NBSP}% av kommunerna i Örebro län, 81{NBSP}% i riket."
    )
    assert captions.adoption(
        _levels(), indicator="natt", county_code="18", title="Night", year=2023, lang="en"
    ) == ("Night 2023: 50% of the municipalities in Örebro län, 55% in the country.")
    assert "– av kommunerna i Västernorrlands län" in captions.adoption(
        _levels(), indicator="natt", county_code="22", title="Natt"
    )
    with pytest.raises(SchemaError, match="no rows for the indicator 'x'"):
        captions.adoption(_levels(), indicator="x", county_code="18", title="X")


def test_most_green__share_of_tiles_ties_by_code():
    colours = pd.DataFrame(
        {
            "municipality_code": ["1880"] * 4 + ["1814"] * 2,
            "colour": ["green", "green", "green", "red", "green", "yellow"],
        }
    )
    assert captions.most_green(colours, year=2024) == (
        f"Örebro har flest gröna rutor (75{NBSP}% av nyckeltalen) 2024."
    )
    tied = colours.assign(colour=["green", "red"] * 3)
    assert captions.most_green(tied, year=2024, lang="en") == (
        "Lekeberg has the most green tiles (50% of the indicators) in 2024."
    )


def test_survey_intro():
    obs = pd.DataFrame(
        {
            "municipality_code": ["1880", "1814", "1880"],
            "period": [2014, 2020, 2024],
            "indicator_id": ["a", "b", "a"],
        }
    )
    assert captions.survey_intro(obs, year=2020, lang="en") == (
        "2 municipalities, 2014–2020, 2 indicators."
    )


# --------------------------------------------------------------------------- access


def test_access_intro_and_unreachable():
    cells = pd.DataFrame({"population": [12000.0, 345.0]})
    assert captions.access_intro(cells, [1, 2, 3], county="Örebro län", method="euclidean") == (
        f"Örebro län: 2 befolkade rutor, 12{NBSP}345 invånare, 3 servicepunkter, metod euclidean."
    )
    distances = pd.DataFrame()
    distances.attrs["unreachable"] = {"dagligvaror": 4, "apotek": 1}
    assert captions.unreachable(distances, lang="en") == (
        "Cells the road network does not reach: apotek 1, dagligvaror 4."
    )


def test_far_from_service__last_threshold_in_the_unit():
    summary = pd.DataFrame(
        {
            "municipality_code": ["1880", "1880", "1814"],
            "kind": ["apotek", "apotek", "apotek"],
            "group": ["all", "rural", "all"],
            "population": [900.0, 100.0, 100.0],
            "beyond_2km": [300.0, 90.0, 60.0],
            "beyond_10km": [40.0, 30.0, 10.0],
            "beyond_30min": [5.0, 5.0, 5.0],
        }
    )
    # km: (40 + 10) / (900 + 100) = 5 %; rural rows are not added.
    assert captions.far_from_service(summary, kind="apotek", county="Örebro län", time=False) == (
        f"5,0{NBSP}% av invånarna i Örebro län har mer än 10 km till närmaste apotek."
    )
    assert captions.far_from_service(
        summary, kind="apotek", county="Örebro län", time=True, lang="en"
    ) == (  # the kind in English too
        "1.0% of the inhabitants of Örebro län have more than 30 minutes to the nearest pharmacy."
    )
    with pytest.raises(SchemaError, match="no beyond_<t>min column"):
        captions.far_from_service(
            summary.drop(columns="beyond_30min"), kind="apotek", county="X", time=True
        )


def test_access_figure_pipos_best_access_and_savings():
    assert captions.access_figure("avstand_kurvor", kind="apotek", time=True) == (
        "Andel av invånarna inom en given restid till närmaste apotek, per kommun."
    )
    comparison = pd.DataFrame({"population": [1200.0, 80.0], "population_pipos": [1234.0, 75.0]})
    assert captions.pipos_difference(comparison, lang="en") == (
        "Largest difference from the Pipos table: 34 inhabitants."
    )
    areas = pd.DataFrame({"municipality_code": ["2281", "2262"], "score": [0.004, 0.004]})
    assert captions.best_access(areas) == "Högst tillgänglighet till hemtjänst har Timrå."
    savings = pd.DataFrame({"km_saved": [275000.2, 866.0], "hours_saved": [4800.0, 48.4]})
    assert captions.travel_savings(savings, digital_share=0.25, lang="en") == (
        "With 25% digital visits about 275,866 km and 4,848 hours a month are saved in the county."
    )


# --------------------------------------------------------------------------- monitoring


def test_monitoring_intro():
    data = pd.DataFrame(
        {
            "municipality_code": ["1880", "1814", "1880"],
            "metric_id": ["a", "a", "b"],
            "period": pd.PeriodIndex(["2022Q1", "2026Q3", "2024Q2"], freq="Q"),
        }
    )
    assert captions.monitoring_intro(data, quarter="2026Q2", lang="en") == (
        "2 municipalities, 2 metrics, 2022 Q1–2026 Q3; quarter summarised 2026 Q2."
    )


def test_metric_signals__per_metric_in_the_quarter_only():
    q = pd.Period("2026Q3", "Q")
    charts = pd.DataFrame(
        {
            "metric_id": ["b", "b", "b", "a", "a"],
            "municipality_code": ["1880", "1880", "1814", "1880", "1814"],
            "x": [q - 1, q, q, q, q],
            "sigma_signal": [True, False, False, False, False],  # 1880's signal was last quarter
            "shift_point": [False, True, False, False, False],
        }
    )
    assert captions.metric_signals(charts, quarter=q, titles={"b": "Brukare"}) == {
        "a": "a: 0 av 2 kommuner visar en signal 2026 K3.",
        "b": "Brukare: 1 av 2 kommuner visar en signal 2026 K3.",
    }
    assert captions.metric_signals(charts, quarter="2026Q2", lang="en")["b"] == (
        "b: 1 of 2 municipalities signal in 2026 Q2."
    )


def test_its__title_with_unit_and_english_title():
    catalogue = pd.DataFrame(
        {
            "metric_id": ["andel", "tid"],
            "title_sv": ["Digitala besök", "Insatstid"],
            "title_en": ["Digital visits", None],
            "unit": ["%", "minuter"],
        }
    )
    result = SimpleNamespace(sentence="The level rose.")
    assert captions.its("1814", result, metric_id="andel", catalogue=catalogue, lang="en") == (
        "Lekeberg: Digital visits, %",
        "Lekeberg: The level rose.",
    )
    assert captions.its("1814", result, metric_id="tid", catalogue=catalogue, lang="en")[0] == (
        "Lekeberg: Insatstid"
    )


def test_quarter_and_improvements():
    summary = pd.DataFrame(
        {
            "metric_id": ["a", "a", "b"],
            "quarter": pd.Period("2026Q3", "Q"),
            "signal": ["improvement", "deterioration", "improvement"],
            "new_signal": [True, True, False],
            "target_met": [True, None, False],
            "against_direction": [False, True, False],
        }
    )
    assert captions.quarter(summary) == (
        "2026 K3: 2 nya signaler, 1 mål nådda, 1 mått går åt fel håll."
    )
    assert captions.quarter(summary, lang="en") == (
        "2026 Q3: 2 new signals, 1 targets met, 1 metrics moving the wrong way."
    )
    assert captions.improvements(summary, metric_id="a", title="Besök") == (
        "Besök: 1 av 2 kommuner visar en förbättring 2026 K3."
    )
    with pytest.raises(SchemaError, match="no rows for the metric 'c'"):
        captions.improvements(summary, metric_id="c", title="C")
