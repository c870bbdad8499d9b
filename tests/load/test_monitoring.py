"""The monitoring loader: quarter spellings, layouts, consistency and refusals."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from ehalsa_analys import load
from ehalsa_analys.errors import InputFileError, PersonalDataError
from ehalsa_analys.load import MonitoringMetricWarning

HEADER = "Kommun;Kvartal;Mått;Täljare;Nämnare;Värde"


def _csv(tmp_path, lines, name="m.csv"):
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "text",
    [
        "2024Q1",
        "2024 Q1",
        "2024-Q1",
        "Q1 2024",
        "2024K1",
        "2024 K1",
        "2024 kv 1",
        "2024 kvartal 1",
        "kv1 2024",
        "2024q1",
        "2024-03-31",
        "2024-03-31 00:00:00",
    ],
)
def test_parse_quarter__every_spelling(text):
    assert load.parse_quarter([text]).iloc[0] == pd.Period("2024Q1", freq="Q")


FORMATS = [
    "{y}Q{q}",
    "{y} Q{q}",
    "{y}-Q{q}",
    "Q{q} {y}",
    "{y}K{q}",
    "{y} K{q}",
    "{y} kv {q}",
    "K{q} {y}",
]


@settings(max_examples=80, deadline=None)
@given(
    year=st.integers(1990, 2100),
    quarter=st.integers(1, 4),
    fmt=st.sampled_from(FORMATS),
    upper=st.booleans(),
)
def test_parse_quarter__round_trip_property(year, quarter, fmt, upper):
    text = fmt.format(y=year, q=quarter)
    text = text.upper() if upper else text.lower()
    assert load.parse_quarter([text]).iloc[0] == pd.Period(year=year, quarter=quarter, freq="Q")


@pytest.mark.parametrize("bad", ["2024Q5", "2024-03-30", "2024", "våren 2024", "24Q1"])
def test_parse_quarter__anything_else_is_an_error(bad):
    with pytest.raises(InputFileError) as err:
        load.parse_quarter(["2024Q1", bad], file="f.csv", column="Kvartal", rows=[2, 3])
    text = str(err.value)
    assert repr(bad) in text and "row 3" in text and "column Kvartal" in text


def test_monitoring__long_file_with_value_from_numerator_and_denominator():
    m = load.monitoring("tests/fixtures/monitoring/long.csv")
    digital = m[m["metric_id"] == "digital_besok_andel"]
    assert digital["period"].astype(str).tolist() == ["2024Q1", "2024Q2", "2024Q3", "2024Q4"]
    assert digital["value"].tolist() == [4.0, 5.0, 6.0, 8.0]  # 2024Q3 computed: 60 / 1000 %
    alarm = m[m["metric_id"] == "larm_insatstid"]
    assert alarm["status"].tolist() == ["", "suppressed"]
    assert m["period"].dtype == "period[Q-DEC]"


def test_monitoring__value_contradicting_numerator(tmp_path):
    path = _csv(
        tmp_path,
        [
            HEADER,
            "1880;2024Q1;digital_besok_andel;40;1000;4,0",
            "1880;2024Q2;digital_besok_andel;50;1000;7",
        ],
    )
    with pytest.raises(InputFileError) as err:
        load.monitoring(path)
    text = str(err.value)
    assert "does not match numerator / denominator = 50 / 1000" in text and "row 3" in text
    # within rounding: 4,17 % written as 4,2
    ok = _csv(tmp_path, [HEADER, "1880;2024Q1;digital_besok_andel;25;600;4,2"], name="ok.csv")
    assert load.monitoring(ok)["value"].iloc[0] == 4.2


def test_monitoring__bad_quarter_names_row(tmp_path):
    path = _csv(
        tmp_path, [HEADER, "1880;2024Q1;larm_insatstid;;;20", "1880;2024 Q7;larm_insatstid;;;21"]
    )
    with pytest.raises(InputFileError, match=r"'2024 Q7' is not a quarter.*row 3, column Kvartal"):
        load.monitoring(path)


def test_monitoring__duplicates_listed(tmp_path):
    path = _csv(
        tmp_path, [HEADER, "1880;2024Q1;larm_insatstid;;;20", "Örebro;2024 K1;larm_insatstid;;;21"]
    )
    with pytest.raises(InputFileError) as err:
        load.monitoring(path)
    assert "1880 2024Q1 larm_insatstid" in str(err.value) and "row 3" in str(err.value)


def test_monitoring__person_level_refused(tmp_path):
    person_column = _csv(tmp_path, ["Kommun;Kvartal;Mått;Värde;Brukar-id", "1880;2024Q1;x;1;A17"])
    with pytest.raises(PersonalDataError, match="Brukar-id"):
        load.monitoring(person_column)
    numbers = _csv(
        tmp_path, ["Kommun;Kvartal;Mått;Värde;Ref", "1880;2024Q1;x;1;19121212-1212"], name="p.csv"
    )
    with pytest.raises(PersonalDataError):
        load.monitoring(numbers)


def test_monitoring__wide_by_quarter_xlsx(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["Insatstid per kvartal (minuter)"])
    ws.append([])
    ws.append(["Kommun", "Mått", "2024 K1", "2024 K2", "2024 K3"])
    ws.append(["Nora", "Insatstid vid trygghetslarm, median", 25, 23.5, "x"])
    path = tmp_path / "bred.xlsx"
    wb.save(path)
    m = load.monitoring(path)
    assert m["metric_id"].unique().tolist() == ["larm_insatstid"]
    assert m["value"].tolist()[:2] == [25.0, 23.5] and m["status"].tolist()[2] == "suppressed"
    assert m["municipality_code"].unique().tolist() == ["1884"]


def test_monitoring__wide_by_metric(tmp_path):
    path = _csv(
        tmp_path,
        [
            "Kommun;Kvartal;digital_besok_andel;larm_insatstid",
            "1880;2024Q1;4,5;21",
            "1880;2024Q2;5,5;20",
        ],
    )
    m = load.monitoring(path)
    assert m.groupby("metric_id")["value"].sum().to_dict() == {
        "digital_besok_andel": 10.0,
        "larm_insatstid": 41.0,
    }


def test_monitoring__unknown_metric_kept_with_warning(tmp_path):
    path = _csv(tmp_path, [HEADER, "1880;2024Q1;egen_matt;;;3"])
    with pytest.warns(MonitoringMetricWarning, match="egen_matt"):
        m = load.monitoring(path)
    assert m["metric_id"].tolist() == ["egen_matt"]


def test_monitoring__unknown_layout(tmp_path):
    path = _csv(tmp_path, ["Kommun;Något;Annat", "1880;1;2"])
    with pytest.raises(InputFileError, match="Cannot tell the layout"):
        load.monitoring(path)


def test_metric_catalogue__project_file_overrides_and_bad_kind(tmp_path, monkeypatch):
    monkeypatch.setenv("EHALSA_ROOT", str(tmp_path))
    folder = tmp_path / "data" / "raw" / "monitoring"
    folder.mkdir(parents=True)
    (folder / "metrics.csv").write_text(
        "metric_id;title_sv;unit;kind;higher_is_better;target;baseline_end\n"
        "vantetid;Väntetid;dagar;measure;false;14;2024 K2\n",
        encoding="utf-8",
    )
    cat = load.metric_catalogue()
    assert cat["metric_id"].tolist() == ["vantetid"]
    assert cat["baseline_end"].astype(str).tolist() == ["2024Q2"]
    assert not cat["higher_is_better"].iloc[0]
    (folder / "metrics.csv").write_text(
        "metric_id;title_sv;unit;kind;higher_is_better;target;baseline_end\n"
        "vantetid;Väntetid;dagar;medel;false;14;\n",
        encoding="utf-8",
    )
    with pytest.raises(InputFileError, match=r"Unknown metric kind 'medel'.*row 2, column kind"):
        load.metric_catalogue()


@pytest.mark.parametrize(
    ("lines", "row", "column", "what"),
    [
        # "1,234" in a count column is an error naming the cell, never 1.234 persons.
        ([HEADER, "Örebro;2024 K1;digital_besok_andel;1,234;5 000;"], 2, "Täljare", "whole"),
        ([HEADER, "Örebro;2024 K1;lakemedel_avvikelser;;;1,234"], 2, "Värde", "whole"),
        ([HEADER, "Örebro;2024 K1;lakemedel_avvikelser;;;2,5"], 2, "Värde", "whole"),
        ([HEADER, "Örebro;2024 K1;lakemedel_avvikelser;;;-3"], 2, "Värde", "below 0"),
        ([HEADER, "Örebro;2024 K1;larm_insatstid;;;-12"], 2, "Värde", "below 0"),
        ([HEADER, "Örebro;2024 K1;digital_besok_andel;;;120"], 2, "Värde", "above 100"),
        ([HEADER, "Örebro;2024 K1;digital_besok_andel;;-40;"], 2, "Nämnare", "below 0"),
        (
            [HEADER, "Örebro;2024 K1;digital_besok_andel;60;40;"],
            2,
            "numerator",
            "larger than the denominator",
        ),
        (
            ["Kommun;Mått;2024 K1;2024 K2", "Örebro;lakemedel_avvikelser;4;1,500"],
            2,
            "2024 K2",
            "whole",
        ),
        (["Kommun;Kvartal;larm_insatstid", "Örebro;2024 K1;-2"], 2, "larm_insatstid", "below 0"),
    ],
)
def test_values_outside_their_metrics_domain_are_refused(tmp_path, lines, row, column, what):
    with pytest.raises(InputFileError, match=what) as err:
        load.monitoring(_csv(tmp_path, lines))
    message = str(err.value)
    assert "m.csv" in message and f"row {row}" in message and f"column {column}" in message
