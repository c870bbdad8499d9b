"""load.broadband and load.broadband_points: PTS' layouts, scales, and what is refused."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from ehalsa_analys import load
from ehalsa_analys.demo import broadband as demo_broadband
from ehalsa_analys.errors import InputFileError, PersonalDataError, UnknownMunicipalityError


def _xlsx(path, sheets):
    """Write {sheet name: rows} (merges as ("merge", r0, c0, r1, c1) rows are applied)."""
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        merges = []
        for row in rows:
            if row and row[0] == "merge":
                merges.append(row[1:])
            else:
                ws.append(list(row))
        for r0, c0, r1, c1 in merges:
            ws.merge_cells(start_row=r0, start_column=c0, end_row=r1, end_column=c1)
    wb.save(path)
    return path


CURRENT_HEADER = ["Årtal", "Län", "Område", "Kommun", "Antal hushåll",
                  "Tillgång till minst 100 Mbit/s", "Tillgång till minst 1 Gbit/s"]


def test_current_layout__long_by_year_with_county_and_national_rows(tmp_path):
    path = _xlsx(tmp_path / "tabellbilaga-hastighet.xlsx", {
        "Hastighet kommun hushåll": [
            CURRENT_HEADER,
            [2023, "", "00", "Riket", 4_800_000, 0.96, 0.91],
            [2023, "18", "18", "Örebro län", 140_000, 0.95, 0.9],
            [2023, "18", "1880", "Örebro", 75_000, 0.97, 0.93],
            [2023, "01", "0114", "Upplands Väsby", 20_000, 0.99, 0.98],
            [2024, "18", "1880", "Örebro", 75_500, 0.975, 0.94],
        ],
        "Hastighet kommun arbetsställen": [
            [c.replace("hushåll", "arbetsställen") for c in CURRENT_HEADER],
            [2023, "18", "1880", "Örebro", 9_000, 0.9, 0.8],
        ],
    })
    out = load.broadband(path)
    assert list(out.columns) == load._broadband.COLUMNS
    got = out.set_index(["municipality_code", "year", "subject", "speed_mbit"])["share"]
    assert got[("1880", 2023, "households", 100)] == 0.97
    assert got[("1880", 2024, "households", 1000)] == 0.94
    assert got[("0114", 2023, "households", 1000)] == 0.98
    assert got[("1880", 2023, "workplaces", 100)] == 0.9
    assert len(out) == 8  # Riket and the county rows are left out
    row = out[(out["municipality_code"] == "0114") & (out["speed_mbit"] == 100)].iloc[0]
    assert (row["sheet"], row["row"], row["total"]) == ("Hastighet kommun hushåll", 5, 20_000)


def test_historical_layout__three_header_rows_merged_and_codes_without_zero(tmp_path):
    measure = "Andel med tillgång till minst 100 Mbit/s"
    path = _xlsx(tmp_path / "historiska.xlsx", {
        "Fast bredband-hastighet, totalt": [
            ["PTS bredbandskartläggning, historiska uppgifter"],
            ["Status i oktober"],
            [],
            ["Kod", "Namn", measure, None, None, None],
            [None, None, 2015, None, 2016, None],
            [None, None, "Hushåll", "Arbetsställen", "Hushåll", "Arbetsställen"],
            ("merge", 4, 3, 4, 6),
            ("merge", 5, 3, 5, 4),
            ("merge", 5, 5, 5, 6),
            [0, "Riket", 0.69, 0.58, 0.75, 0.63],
            [1, "Stockholms län", 0.8, 0.7, 0.85, 0.75],
            [114, "Upplands Väsby", 0.9, 0.8, 0.92, 0.82],
            [1880, "Örebro", 0.7, 0.6, 0.72, 0.61],
            [],
            ["Källa: PTS"],
        ]
    })
    out = load.broadband(path)
    got = out.set_index(["municipality_code", "year", "subject"])["share"]
    assert got.to_dict() == {
        ("0114", 2015, "households"): 0.9, ("0114", 2015, "workplaces"): 0.8,
        ("0114", 2016, "households"): 0.92, ("0114", 2016, "workplaces"): 0.82,
        ("1880", 2015, "households"): 0.7, ("1880", 2015, "workplaces"): 0.6,
        ("1880", 2016, "households"): 0.72, ("1880", 2016, "workplaces"): 0.61,
    }
    assert set(out["speed_mbit"]) == {100}
    assert out["row"].min() == 9  # the row as a person sees the sheet (Upplands Väsby)


def test_year_sheets_in_percent(tmp_path):
    header = ["Kommunkod", "Kommun", "Hushåll 100 Mbit/s, %", "Hushåll 1 Gbit/s, %"]
    path = _xlsx(tmp_path / "per_ar.xlsx", {
        "2019": [header, ["1880", "Örebro", 90, 70], ["1814", "Lekeberg", 45.5, 20]],
        "2020": [header, ["1880", "Örebro", 93, 80], ["1814", "Lekeberg", 50, 30]],
    })
    out = load.broadband(path)
    got = out.set_index(["municipality_code", "year", "speed_mbit"])["share"]
    assert got[("1814", 2019, 100)] == pytest.approx(0.455)
    assert got[("1880", 2020, 1000)] == pytest.approx(0.8)
    assert set(out["subject"]) == {"households"}


def test_demo_workbooks_give_back_the_synthetic_shares(tmp_path):
    demo_broadband.write(tmp_path, seed=3)
    out = load.broadband(tmp_path / "bredband")
    truth = demo_broadband.shares(3)
    merged = truth.merge(out, on=["municipality_code", "year", "subject", "speed_mbit"])
    assert len(merged) == len(truth) == len(out)
    np.testing.assert_allclose(merged["share_x"], merged["share_y"])
    points = load.broadband_points(tmp_path / "bredband" / "rutor" / "rutor_bredband_2024.csv",
                                   cell_size=1000)
    assert set(points["share"]) <= {0.0, 1.0}
    wide = points.pivot(index="cell_id", columns="speed_mbit", values="share")
    assert (wide[1000] <= wide[100]).all()  # 1 Gbit/s only where 100 Mbit/s is


def test_share_above_one_in_a_decimal_sheet__names_file_row_and_column(tmp_path):
    path = _xlsx(tmp_path / "fel.xlsx", {"Hastighet kommun hushåll": [
        CURRENT_HEADER,
        [2023, "18", "1880", "Örebro", 75_000, 0.97, 0.93],
        [2023, "18", "1814", "Lekeberg", 3_000, 0.5, 45],
        [2023, "18", "1860", "Laxå", 2_500, 0.6, 0.4],
    ]})
    with pytest.raises(InputFileError, match="row 3") as err:
        load.broadband(path)
    assert err.value.column == "Tillgång till minst 1 Gbit/s"
    assert "fel.xlsx" in str(err.value.file) and "sheet Hastighet kommun hushåll" in str(
        err.value.file)


def test_percent_above_100_and_negative_shares_are_refused(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("Kommun;100 Mbit/s (%)\nÖrebro;97\nLekeberg;101\n", encoding="utf-8")
    with pytest.raises(InputFileError, match=r"above 100.*row 3, column 100 Mbit/s"):
        load.broadband(path, year=2023, subject="households")
    path.write_text("Kommun;100 Mbit/s (%)\nÖrebro;97\nLekeberg;-1\n", encoding="utf-8")
    with pytest.raises(InputFileError, match="row 3"):
        load.broadband(path, year=2023, subject="households")


def test_text_in_a_share_cell__names_row_and_column(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("Kommunkod;Kommun;100 Mbit/s\n1880;Örebro;0,97\n1814;Lekeberg;hög\n",
                    encoding="utf-8")
    with pytest.raises(InputFileError, match=r"'hög'.*row 3, column 100 Mbit/s"):
        load.broadband(path, year=2023, subject="households")


def test_markers_are_missing_not_zero(tmp_path):
    path = tmp_path / "m.csv"
    path.write_text("Kommunkod;Kommun;100 Mbit/s\n1880;Örebro;0,97\n1814;Lekeberg;..\n",
                    encoding="utf-8")
    out = load.broadband(path, year=2023, subject="households")
    assert out["share"].isna().tolist() == [True, False]  # sorted by code: 1814 first


def test_unknown_code__names_the_row(tmp_path):
    path = tmp_path / "u.csv"
    path.write_text("Kommunkod;Kommun;100 Mbit/s\n1880;Örebro;0,97\n9999;Påhittad;0,5\n",
                    encoding="utf-8")
    with pytest.raises(UnknownMunicipalityError, match="row 3"):
        load.broadband(path, year=2023, subject="households")


def test_personal_number_in_a_cell_or_footnote_refuses_the_sheet(tmp_path):
    path = tmp_path / "pnr.csv"
    path.write_text("Kommunkod;Kommun;100 Mbit/s\n1880;Örebro;0,97\n"
                    "Kontakt 19121212-1212\n", encoding="utf-8")
    with pytest.raises(PersonalDataError) as err:
        load.broadband(path, year=2023, subject="households")
    assert "1212-1212" not in str(err.value)
    path.write_text("Pnr;Kommun;100 Mbit/s\n19121212-1212;Örebro;0,97\n"
                    "19121212-1212;Lekeberg;0,5\n", encoding="utf-8")
    with pytest.raises(PersonalDataError):
        load.broadband(path, year=2023, subject="households")


def test_no_year_no_subject_and_duplicates_are_errors(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("Kommunkod;Kommun;100 Mbit/s\n1880;Örebro;0,97\n1814;Lekeberg;0,5\n",
                    encoding="utf-8")
    with pytest.raises(InputFileError, match="no year"):
        load.broadband(path, subject="households")
    with pytest.raises(InputFileError, match="households or workplaces"):
        load.broadband(path, year=2023)
    folder = tmp_path / "two"
    folder.mkdir()
    for name in ("a_2023.csv", "b_2023.csv"):
        (folder / name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(InputFileError, match="given twice"):
        load.broadband(folder, subject="households")


def test_a_table_without_speeds_is_an_error(tmp_path):
    path = tmp_path / "teknik.csv"
    path.write_text("Kommunkod;Kommun;Tillgång via fiber\n1880;Örebro;0,9\n1814;Lekeberg;0,5\n",
                    encoding="utf-8")
    with pytest.raises(InputFileError, match="speed"):
        load.broadband(path, year=2023, subject="households")


def test_points__shares_flags_and_refusals(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("Rutid;100 Mbit/s (%);1 Gbit/s\n5150006566000;50;nej\n"
                    "5160006566000;100;ja\n", encoding="utf-8")
    out = load.broadband_points(path)
    assert out[["speed_mbit", "share"]].values.tolist() == [
        [100, 0.5], [100, 1.0], [1000, 0.0], [1000, 1.0]]
    assert out.crs.to_epsg() == 3006
    path.write_text("Rutid;100 Mbit/s\n5150006566000;1,5\n", encoding="utf-8")
    with pytest.raises(InputFileError, match="row 2, column 100 Mbit/s"):
        load.broadband_points(path)


_share = st.floats(0, 1, allow_nan=False).map(lambda v: round(v, 4))


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=st.lists(st.tuples(st.sampled_from(["1880", "1814", "1860", "0114", "2281"]),
                            _share, _share), min_size=1, max_size=5,
                  unique_by=lambda r: r[0]),
    percent=st.booleans(),
    comma=st.booleans(),
    zero_stripped=st.booleans(),
)
def test_property__written_shares_are_read_back(tmp_path, rows, percent, comma, zero_stripped):
    """Any shares written in decimals or percent, comma or point, come back exactly."""
    def cell(v):
        text = f"{v * 100 if percent else v:.4f}".rstrip("0").rstrip(".")
        return text.replace(".", ",") if comma else text

    unit = " (%)" if percent else ""
    lines = [f"Kommunkod;Kommun;Tillgång 100 Mbit/s{unit};Tillgång 1 Gbit/s{unit}"]
    for code, a, b in rows:
        shown = code.lstrip("0") if zero_stripped else code
        lines.append(f"{shown};x;{cell(a)};{cell(b)}")
    path = tmp_path / "prop.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = load.broadband(path, year=2022, subject="workplaces")
    got = out.set_index(["municipality_code", "speed_mbit"])["share"]
    for code, a, b in rows:
        assert got[(code, 100)] == pytest.approx(a, abs=1e-12)
        assert got[(code, 1000)] == pytest.approx(b, abs=1e-12)
    assert len(out) == 2 * len(rows)


def test_subject_swedish_words_accepted(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text("Kommunkod;Kommun;100 Mbit/s\n1880;Örebro;0,97\n", encoding="utf-8")
    assert load.broadband(path, year=2020, subject="arbetsställen")["subject"].iloc[0] == (
        "workplaces")
    with pytest.raises(ValueError, match="subject"):
        load.broadband(path, year=2020, subject="bilar")


def test_output_is_sorted_and_typed(tmp_path):
    demo_broadband.write(tmp_path, seed=5)
    out = load.broadband(tmp_path / "bredband" / "pts_bredband_hastighet.xlsx")
    assert out["year"].dtype == np.int64 and out["speed_mbit"].dtype == np.int64
    keys = ["subject", "speed_mbit", "municipality_code", "year"]
    assert out.equals(out.sort_values(keys, ignore_index=True))
    assert isinstance(out, pd.DataFrame) and out["share"].between(0, 1).all()


def test_candidates__demo_types_and_refusals(tmp_path):
    demo_broadband.write(tmp_path, seed=2)
    c = load.candidates(tmp_path / "bredband" / "kandidater" / "servicepunkter_kandidater.csv")
    assert set(c["kind"]) == {"kommunhus", "bibliotek", "by"}
    assert c.loc[c["kind"] == "by", "population"].ge(demo_broadband.VILLAGE_PEOPLE).all()
    assert c.loc[c["kind"] != "by", "population"].isna().all()
    assert c.crs.to_epsg() == 3006 and c["service_id"].is_unique
    path = tmp_path / "k.csv"
    path.write_text("Namn;Typ;X;Y\nA;Medborgarkontor;515000;6566000\nA;by;516000;6566000\n",
                    encoding="utf-8")
    with pytest.raises(InputFileError, match="row 3, column Namn"):
        load.candidates(path)
    path.write_text("Namn;Typ;X;Y\nA;Medborgarkontor;515000;6566000\nB;;516000;6566000\n",
                    encoding="utf-8")
    with pytest.raises(InputFileError, match="row 3, column Typ"):
        load.candidates(path)
    path.write_text("Namn;Typ;X;Y\nA;Medborgarkontor;515000;6566000\n", encoding="utf-8")
    assert load.candidates(path)["kind"].tolist() == ["kommunhus"]


def test_broadband_folder_reads_what_is_there(tmp_path):
    assert load.broadband_folder(None).shares is None
    demo_broadband.write(tmp_path, seed=4)
    inputs = load.broadband_folder(tmp_path / "bredband")
    assert inputs.shares is not None and inputs.points is not None
    assert inputs.candidates is not None and inputs.folder == tmp_path / "bredband"
    only = tmp_path / "only"
    only.mkdir()
    (only / "hushall_2023.csv").write_text("Kommunkod;Kommun;100 Mbit/s\n1880;Örebro;0,9\n",
                                           encoding="utf-8")
    inputs = load.broadband_folder(only)
    assert inputs.points is None and inputs.candidates is None
    assert inputs.shares["share"].tolist() == [0.9]
    # the notebook's choice of folder: given, beside the data, or the demo for synthetic runs
    assert demo_broadband.folder(tmp_path / "avstand", synthetic=False, seed=4) == (
        tmp_path / "bredband")
    assert demo_broadband.folder(tmp_path / "x" / "avstand", synthetic=False, seed=4) is None
    assert demo_broadband.folder("a", broadband_dir=only, synthetic=True, seed=4) == only
