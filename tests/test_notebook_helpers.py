"""notebook: the choices the notebooks make from their parameters and data, hand-checked."""

from __future__ import annotations

import shutil

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from ehalsa_analys import compare, monitoring, notebook
from ehalsa_analys.errors import InputFileError, NoDataError

# --------------------------------------------------------------------------- LIKA


def _responses():
    return pd.DataFrame(
        {
            "municipality_code": ["1880", "1880", "1814", "1814", "1860"],
            "assessed_on": pd.to_datetime(
                ["2018-03-01", "2022-03-01", "2018-04-01", "2022-05-01", "2020-01-01"]
            ),
            "score": [0.5, 0.75, 0.25, 0.5, 1.0],
        },
        index=[7, 8, 9, 10, 11],
    )


def test_assessment_rounds__all_years_by_default():
    a = notebook.assessment_rounds(_responses())
    assert a.years == (2018, 2020, 2022) and a.rounds == (2018, 2022)
    assert a.first["score"].tolist() == [0.5, 0.25] and a.latest["score"].tolist() == [0.75, 0.5]
    assert a.latest.index.tolist() == [0, 1]
    assert a.several and a.labels == ("2018", "2022")


def test_assessment_rounds__chosen_rounds_in_any_order():
    a = notebook.assessment_rounds(_responses(), rounds=[2020, 2018])
    assert a.rounds == (2018, 2020) and a.latest["municipality_code"].tolist() == ["1860"]
    one = notebook.assessment_rounds(_responses(), rounds=[2022])
    assert not one.several and one.rounds == (2022,) and one.labels == ("2022", "2022")


def test_assessment_rounds__a_round_without_assessments():
    with pytest.raises(NoDataError, match=r"No LIKA assessments in \[2019\]; the data hold \[2018"):
        notebook.assessment_rounds(_responses(), rounds=[2018, 2019])


def test_index_order__highest_first_ties_by_code():
    index = pd.DataFrame(
        {"municipality_code": ["1880", "1814", "1860", "1861"], "index": [0.5, 0.7, 0.5, np.nan]}
    )
    assert notebook.index_order(index) == ["1814", "1860", "1880", "1861"]


def test_lika_gaps__target_only_with_the_target_reference():
    scores = pd.DataFrame(
        {"municipality_code": ["1880", "1814"], "dimension": "Ledning", "score": [0.8, 0.4]}
    )
    county = notebook.lika_gaps(scores, reference="county", target=0.75)
    assert county["gap"].round(3).tolist() == [-0.2, 0.2]  # mean 0.6
    target = notebook.lika_gaps(scores, reference="target", target=0.75)
    assert target["gap"].round(3).tolist() == [-0.35, 0.05]
    best = notebook.lika_gaps(scores, reference="best", target=0.75)
    assert best["gap"].round(3).tolist() == [-0.4, 0.0]


def test_peer_table__names_sorted_by_group_and_name():
    peers = pd.DataFrame(
        {
            "municipality_code": ["1880", "1814", "1860"],
            "peer_group": [2, 1, 1],
            "nearest_peers": [("1814", "1860"), ("1860",), ("1814",)],
        }
    )
    names = pd.Series({"1880": "Örebro", "1814": "Lekeberg", "1860": "Laxå"})
    table = notebook.peer_table(peers, names)
    assert table.columns.tolist() == ["peer_group", "kommun", "narmaste"]
    assert table.values.tolist() == [
        [1, "Laxå", "Lekeberg"],
        [1, "Lekeberg", "Laxå"],
        [2, "Örebro", "Lekeberg, Laxå"],
    ]


# --------------------------------------------------------------------------- survey


def _obs():
    return pd.DataFrame(
        {
            "municipality_code": ["1880", "1814", "0180", "1880", "1814", "0180"],
            "period": [2022, 2022, 2022, 2023, 2023, 2023],
            "indicator_id": "digital_nattillsyn",
            "value": [1.0, 0.0, 1.0, 1.0, 1.0, 0.0],
            "unit": "ja/nej",
            "status": "",
        }
    )


def test_survey_years_and_indicators():
    assert notebook.survey_years(_obs()) == (2022, 2023)
    assert notebook.survey_years(_obs(), year=2022) == (2022, 2022)
    catalogue = pd.DataFrame(
        {
            "indicator_id": ["ledningssystem_vt", "digital_nattillsyn", "andel"],
            "unit": ["ja/nej", "ja/nej", "%"],
        }
    )
    obs = pd.concat([_obs(), _obs().assign(indicator_id="andel")])
    assert notebook.survey_indicators(obs, catalogue) == ["digital_nattillsyn"]
    assert notebook.survey_indicators(obs, catalogue, indicators=["andel", "x"]) == ["andel"]


def test_survey_levels__unweighted_and_weighted():
    levels = notebook.survey_levels(_obs()).set_index(["period", "level", "key"])["share"]
    assert levels[(2023, "county", "18")] == 1.0
    assert levels[(2023, "nation", "0000")] == pytest.approx(2 / 3)
    groups = compare.size_classes().set_index("municipality_code")["group"]
    assert levels[(2022, "group", groups["1814"])] == 0.0  # Lekeberg alone in its class
    weighted = notebook.survey_levels(_obs(), weighted=True)
    share = weighted.set_index(["period", "level", "key"])["share"][(2022, "county", "18")]
    population = compare.size_classes().set_index("municipality_code")["population"]
    assert share == pytest.approx(population["1880"] / (population["1880"] + population["1814"]))
    assert weighted["weighted"].all()


def test_largest_size_group():
    assert notebook.largest_size_group("18") == "över 100 000"  # Örebro
    assert notebook.largest_size_group("Västernorrlands län") == "50 000–100 000"  # Sundsvall


def test_indicator_in():
    assert notebook.indicator_in(_obs(), "digital_nattillsyn") == "digital_nattillsyn"
    assert notebook.indicator_in(_obs(), "digitala_trygghetslarm_andel") is None


# --------------------------------------------------------------------------- access


def _access_folder(tmp_path, grid="befolkning_1km.csv"):
    shutil.copy("tests/fixtures/rural/population.csv", tmp_path / grid)
    shutil.copy("tests/fixtures/rural/services.csv", tmp_path / "service.csv")
    return tmp_path


def test_access_inputs__euclidean_needs_no_roads(tmp_path):
    inputs = notebook.access_inputs(_access_folder(tmp_path), method="euclidean")
    assert inputs.roads is None and inputs.weight == "length" and not inputs.by_time
    assert inputs.cells["population"].sum() == 40.0
    assert len(inputs.services) > 0


def test_access_inputs__250m_grid(tmp_path):
    one_km = notebook.access_inputs(_access_folder(tmp_path), method="euclidean")
    other = tmp_path / "b"
    other.mkdir()
    small = notebook.access_inputs(_access_folder(other, "befolkning_250m.csv"), method="euclidean")
    # The same grid ids read as 250 m squares lie at other (smaller) centres.
    assert not small.cells.geometry.equals(one_km.cells.geometry)


def test_access_inputs__missing_files_name_folder_and_pattern(tmp_path):
    folder = _access_folder(tmp_path)
    with pytest.raises(InputFileError, match=r"no road network \(vagar\*\)") as err:
        notebook.access_inputs(folder, method="network")
    assert err.value.file == str(folder) and "euclidean" in err.value.hint
    (folder / "service.csv").unlink()
    with pytest.raises(InputFileError, match=r"no service points \(service\*\)"):
        notebook.access_inputs(folder, method="euclidean")
    with pytest.raises(ValueError, match="`method` must be one of"):
        notebook.access_inputs(folder, method="crow")


def test_service_kinds_and_map_kind():
    services = pd.DataFrame({"kind": ["vårdcentral", "apotek", "apotek"]})
    assert notebook.service_kinds(services) == ["apotek", "vårdcentral"]
    assert notebook.map_kind(["apotek", "dagligvaror"]) == "dagligvaror"
    assert notebook.map_kind(("vårdcentral", "apotek")) == "vårdcentral"
    with pytest.raises(ValueError, match="`kinds` is empty"):
        notebook.map_kind([])


def test_pipos_comparison(tmp_path):
    classes = pd.DataFrame(
        {
            "municipality_code": ["2260", "2260"],
            "kind": "dagligvaror",
            "lower": [0.0, 5.0],
            "unit": "min",
            "population": [8000.0, 1300.0],
        }
    )
    assert notebook.pipos_comparison(classes, tmp_path) is None
    shutil.copy("tests/fixtures/rural/pipos.csv", tmp_path / "pipos_dagligvaror.csv")
    merged = notebook.pipos_comparison(classes, tmp_path)
    assert merged[["population", "population_pipos"]].values.tolist() == [
        [8000.0, 8123.0],
        [1300.0, 1200.0],
    ]


def test_home_care_bases_and_clients():
    services = pd.DataFrame({"kind": ["hemtjänst", "apotek"], "service_id": ["h", "a"]})
    assert notebook.home_care_bases(services)["service_id"].tolist() == ["h"]
    assert notebook.home_care_bases(services[services["kind"] == "apotek"]) is None
    cells = pd.DataFrame({"population": [120.0, 30.0]})  # no 70+ column: everyone counts
    clients = notebook.home_care_clients(cells, visits_per_month=20)
    assert clients["population"].tolist() == [12.0, 3.0]
    assert clients["visits_per_month"].tolist() == [20.0, 20.0]
    assert cells["population"].tolist() == [120.0, 30.0]  # input untouched


# --------------------------------------------------------------------------- monitoring


def test_chosen_quarter_and_events(tmp_path):
    data = pd.DataFrame({"period": pd.PeriodIndex(["2026Q1", "2026Q3", "2026Q2"], freq="Q")})
    assert notebook.chosen_quarter(data) == pd.Period("2026Q3", "Q")
    assert notebook.chosen_quarter(data, quarter="2025Q4") == pd.Period("2025Q4", "Q")
    assert notebook.events(tmp_path) is None
    (tmp_path / "events.csv").write_text(
        "Datum;Kommun;Händelse\n2024-01-15;Örebro;Digitala besök införs\n", encoding="utf-8"
    )
    assert notebook.events(tmp_path)["municipality_code"].tolist() == ["1880"]


def test_monitor_figure_names():
    assert notebook.monitor_figure_names(["digital_besok_andel", "fall"]) == {
        "digital_besok_andel": "monitor_digitala_besok",
        "fall": "monitor_fall",
    }


def _charts():
    catalogue = pd.DataFrame(
        {
            "metric_id": ["besok", "brukare"],
            "unit": ["%", "antal"],
            "kind": ["proportion", "count"],
            "higher_is_better": [True, False],
            "target": [40.0, np.nan],
            "baseline_end": [pd.NaT, pd.NaT],
        }
    )
    q = list(pd.period_range("2025Q1", periods=4, freq="Q"))
    data = pd.DataFrame(
        {
            "municipality_code": ["1880"] * 8 + ["1814"] * 8,
            "metric_id": (["besok"] * 4 + ["brukare"] * 4) * 2,
            "period": q * 4,
            "numerator": [30.0, 31, 29, 30] + [np.nan] * 4 + [10.0, 9, 11, 10] + [np.nan] * 4,
            "denominator": [100.0] * 4 + [np.nan] * 4 + [100.0] * 4 + [np.nan] * 4,
            "value": [30.0, 31, 29, 30, 5, 6, 5, 6, 10, 9, 11, 10, 7, 7, 8, 7],
        }
    )
    charts = monitoring.charts_for(data, catalogue)
    return monitoring.hide_small_counts(charts, data=data, catalogue=catalogue)


def test_spc_figure__refuses_charts_that_skipped_the_small_count_guard():
    from ehalsa_analys.errors import SchemaError

    with pytest.raises(SchemaError, match="suppressed"):
        notebook.spc_figure(_charts().drop(columns="suppressed"), metric_id="besok")


def test_spc_figure__reads_target_and_scale_from_the_charts():
    fig = notebook.spc_figure(_charts(), metric_id="besok", title="Digitala besök")
    assert fig.get_suptitle() == "Digitala besök, 2025 K1–2025 K4"  # the measure and its period
    titles = [ax.get_title() for ax in fig.axes if ax.get_title()]
    assert titles == ["Lekeberg", "Örebro"]
    # The target 40 % is drawn as a horizontal line at 0.4 (shares are charted 0–1).
    flat = [
        line.get_ydata()[0]
        for line in fig.axes[0].get_lines()
        if len(set(np.round(line.get_ydata(), 9))) == 1
    ]
    assert 0.4 in np.round(flat, 9)
    plain = notebook.spc_figure(_charts(), metric_id="brukare")
    assert plain.get_suptitle() == "" and plain.texts == []  # no title, no source
    with pytest.raises(ValueError, match="no rows for the metric 'x'"):
        notebook.spc_figure(_charts(), metric_id="x")


def test_spc_figures__one_per_metric_titled():
    figures = notebook.spc_figures(_charts(), titles={"besok": "Digitala besök"}, source="Test")
    assert list(figures) == ["besok", "brukare"]
    assert [f.get_suptitle() for f in figures.values()] == [
        "Digitala besök, 2025 K1–2025 K4",
        "brukare, 2025 K1–2025 K4",
    ]
    assert "Källa: Test" in [t.get_text() for t in figures["besok"].texts]


def test_save_figures(tmp_path):
    nb = notebook.setup("monitoring", county_code="18", data_dir="in", figures_dir=tmp_path)
    figures = {"b": plt.figure(), "a": plt.figure()}
    paths = nb.save_figures(
        figures, names={"a": "fig_a", "b": "fig_b"}, captions={"a": "A.", "b": "B."}
    )
    assert [p.name for p in paths] == [
        "fig_b.png",
        "fig_b.svg",
        "fig_b.json",
        "fig_a.png",
        "fig_a.svg",
        "fig_a.json",
    ]
    assert '"caption": "A."' in (tmp_path / "fig_a.json").read_text(encoding="utf-8")
    with pytest.raises(ValueError, match=r"No name or caption for the figure\(s\) \['b'\]"):
        nb.save_figures(figures, names={"a": "fig_a"}, captions={"a": "A.", "b": "B."})
    shown_only = notebook.setup("monitoring", county_code="18", data_dir="in")
    assert shown_only.save_figures(figures, names={"a": "x", "b": "y"}, captions=figures) == []


def test_with_names__metric_titles():
    nb = notebook.setup("monitoring", county_code="18", data_dir="in")
    table = pd.DataFrame({"municipality_code": ["1880", "1814"], "metric_id": ["besok", "x"]})
    out = nb.with_names(table, titles=pd.Series({"besok": "Digitala besök"}))
    assert out.columns.tolist() == ["municipality_code", "metric_id", "kommun", "mått"]
    assert out[["kommun", "mått"]].values.tolist() == [
        ["Örebro", "Digitala besök"],
        ["Lekeberg", "x"],
    ]
