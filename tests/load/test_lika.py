"""The LIKA loader: formats, scales, instrument and bad inputs."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from ehalsa_analys import load
from ehalsa_analys.demo import lika as demo_lika
from ehalsa_analys.errors import InputFileError, PersonalDataError, UnknownMunicipalityError
from ehalsa_analys.load import LikaInstrumentWarning
from ehalsa_analys.load._lika import LIKA_STATUSES

HEADER = "Kommun;Datum;Område;Del;Indikator-id;Status"


def _csv(tmp_path, lines, name="svar.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


def _rows(code="1880", date="2022-05-11", answers=("Uppnådd",), ids=None):
    ids = ids or ["OVG-L1", "OVG-L2", "OVG-L3", "OVG-I1", "OVG-I2", "OVG-I3"][: len(answers)]
    return [f"{code};{date};;;{i};{a}" for i, a in zip(ids, answers, strict=True)]


def _workbook(path, *, municipality="Askersund", date="2022-05-11", rows=None):
    wb = Workbook()
    ws = wb.active
    ws["A1"] = "LIKA Socialtjänst – värdering"
    ws["A2"], ws["B2"] = "Kommun:", municipality
    ws["A3"], ws["B3"] = "Datum:", date
    ws.append([])
    ws.append(["Område", "Del", "Indikator-id", "Indikator", "Status", "Kommentar"])
    for row in rows or [
        ["Övergripande", "Ledning", "OVG-L1", "Strategi", "Påbörjad", None],
        ["Övergripande", "Kompetens", "OVG-K1", "Digital kompetens", "Ej planerad", "Ny plan"],
    ]:
        ws.append(row)
    ws.append([])
    ws.append(["Källa: testfil"])
    wb.save(path)
    return path


# --------------------------------------------------------------------------- scores


def test_lika__default_scores_hand_checked(tmp_path):
    path = _csv(
        tmp_path,
        [HEADER]
        + _rows(
            answers=("Uppnådd", "Nästan där", "Påbörjad", "Planerad", "Ej planerad", "Ej relevant")
        )
        + ["1880;2022-05-11;;;OVG-K1;"],
    )
    r = load.lika(path)
    got = dict(zip(r["indicator_id"], r["score"], strict=True))
    assert got == pytest.approx(
        {
            "OVG-L1": 1.0,
            "OVG-L2": 0.75,
            "OVG-L3": 0.5,
            "OVG-I1": 0.25,
            "OVG-I2": 0.0,
            "OVG-I3": np.nan,
            "OVG-K1": np.nan,
        },
        nan_ok=True,
    )
    responses = dict(zip(r["indicator_id"], r["response"], strict=True))
    assert responses["OVG-I3"] == "Ej relevant"
    assert pd.isna(responses["OVG-K1"])  # blank stays blank, told apart from Ej relevant
    # Area, dimension and text come from the shipped instrument when the file leaves them blank.
    row = r.set_index("indicator_id").loc["OVG-K1"]
    assert (row["area"], row["dimension"]) == ("Övergripande", "Kompetens")
    assert row["indicator"].startswith("Alla medarbetare har en grundläggande digital")
    assert r["assessed_on"].dtype == "datetime64[ns]"
    assert r.attrs["scale"] == "lika" and r.attrs["unknown_indicators"] == []


def test_lika__answers_matched_ignoring_case_and_spaces(tmp_path):
    path = _csv(tmp_path, [HEADER] + _rows(answers=("UPPNÅDD", " nästan  där ", "ej Planerad")))
    r = load.lika(path)
    assert r["score"].tolist() == [1.0, 0.75, 0.0]
    assert r["response"].tolist() == ["UPPNÅDD", "nästan  där", "ej Planerad"]


@settings(max_examples=60, deadline=None)
@given(
    status=st.sampled_from(list(LIKA_STATUSES)),
    upper=st.booleans(),
    pad=st.sampled_from(["", " ", "  "]),
)
def test_lika__status_spellings_property(tmp_path_factory, status, upper, pad):
    text = pad + (status.upper() if upper else status) + pad
    path = _csv(tmp_path_factory.mktemp("p"), [HEADER] + _rows(answers=(text,)))
    score = load.lika(path)["score"].iloc[0]
    expected = LIKA_STATUSES[status]
    assert (np.isnan(score) and expected is None) or score == expected


@pytest.mark.parametrize(
    ("scale", "answers", "expected"),
    [
        ("ja/delvis/nej", ("Ja", "Delvis", "Nej", "Ej relevant"), [1.0, 0.5, 0.0, np.nan]),
        ("0-4", ("0", "1", "4", "3"), [0.0, 0.25, 1.0, 0.75]),
        ("1-5", ("1", "5", "2", ""), [0.0, 1.0, 0.25, np.nan]),
        ((1, 3), ("1", "2", "3"), [0.0, 0.5, 1.0]),
        ({"Klart": 1, "Pågår": 0.4, "Inte aktuellt": None}, ("klart", "Pågår"), [1.0, 0.4]),
    ],
)
def test_lika__other_scales(tmp_path, scale, answers, expected):
    r = load.lika(_csv(tmp_path, [HEADER] + _rows(answers=answers)), scale=scale)
    np.testing.assert_allclose(r["score"].to_numpy(), expected)


def test_lika__bad_scale_argument():
    with pytest.raises(ValueError, match="`scale` must be one of"):
        load.lika("tests/fixtures/lika/long.csv", scale="0-10")
    with pytest.raises(ValueError, match="scores must lie in 0–1"):
        load.lika("tests/fixtures/lika/long.csv", scale={"Ja": 2})


# --------------------------------------------------------------------------- formats


def test_lika__workbook_with_header_cells(tmp_path):
    path = _workbook(tmp_path / "askersund.xlsx")
    r = load.lika(path)
    assert set(r["municipality_code"]) == {"1882"}
    assert set(r["assessed_on"]) == {pd.Timestamp("2022-05-11")}
    assert r["score"].tolist() == [0.5, 0.0]
    assert r["comment"].tolist()[1] == "Ny plan"
    assert r["source_row"].tolist() == [6, 7]


def test_lika__folder_of_demo_workbooks_and_csv(tmp_path):
    demo_lika.write(tmp_path, seed=5)
    r = load.lika(tmp_path / "lika")
    assert r["municipality_code"].nunique() == 12
    assert sorted(r["assessed_on"].dt.year.unique()) == [2018, 2022]
    assert len(r) == 12 * 2 * 48
    csv_rows = r[r["municipality_code"] == demo_lika.CSV_MUNICIPALITY]
    assert len(csv_rows) == 96 and csv_rows["file"].str.endswith(".csv").all()
    assert set(r["response"].dropna()) == set(LIKA_STATUSES)  # all six statuses occur
    assert r["response"].isna().any()  # and some blanks
    assert r.attrs["instrument"].endswith("instrument.csv")
    assert r["comment"].notna().any()


def test_lika__demo_shape(tmp_path):
    from ehalsa_analys import maturity

    demo_lika.write(tmp_path, seed=20261123)
    r = load.lika(tmp_path / "lika")
    s = maturity.scores(r, by=["municipality_code", "assessed_on", "dimension"], ci=None)
    s["year"] = s["assessed_on"].dt.year
    by_dim = s.groupby(["year", "dimension"])["score"].mean().unstack()
    assert (by_dim.idxmin(axis=1) == "Kompetens").all()  # Kompetens weakest in both rounds
    assert (by_dim.loc[2022] > by_dim.loc[2018]).all()  # progress between rounds
    # Larger municipalities further ahead in Ledning and Infrastruktur.
    from ehalsa_analys import reference

    sizes = reference.population().set_index("municipality_code")["population"]
    li = s[s["dimension"].isin(["Ledning", "Infrastruktur"]) & (s["year"] == 2018)]
    li = li.groupby("municipality_code")["score"].mean()
    assert li.corr(np.log(sizes.reindex(li.index)), method="spearman") > 0.5


def test_lika__demo_byte_identical(tmp_path):
    first = demo_lika.write(tmp_path / "a", seed=3)
    second = demo_lika.write(tmp_path / "b", seed=3)
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    assert "SYNTETISKA DEMODATA" in first[0].read_text(encoding="utf-8")


def test_lika__cp1252_csv_with_header_cells(tmp_path):
    lines = [
        "LIKA Socialtjänst;;;;;",
        "Kommun:;Hällefors;;;;",
        "Datum:;2018-04-03;;;;",
        ";;;;;",
        "Område;Del;Indikator-id;Indikator;Status;Kommentar",
        "Äldreomsorg;Användning;ALD-A1;Kamera för nattillsyn;Nästan där;Två enheter",
    ]
    r = load.lika(_csv(tmp_path, lines, encoding="cp1252"))
    assert r.loc[0, ["municipality_code", "area", "score"]].tolist() == [
        "1863",
        "Äldreomsorg",
        0.75,
    ]
    assert r.loc[0, "comment"] == "Två enheter"


def test_lika__abbreviated_area_and_dimension(tmp_path):
    path = _csv(tmp_path, [HEADER, "1880;2022-05-11;IFO;K;IFO-K1;Påbörjad"])
    r = load.lika(path)
    assert r.loc[0, ["area", "dimension"]].tolist() == ["Individ- och familjeomsorg", "Kompetens"]


def test_lika__unknown_indicator_reported_and_kept(tmp_path):
    path = _csv(
        tmp_path,
        [HEADER, "1880;2022-05-11;Äldreomsorg;Användning;X-99;Uppnådd"]
        + _rows(answers=("Planerad",)),
    )
    with pytest.warns(LikaInstrumentWarning, match="X-99"):
        r = load.lika(path)
    assert r.attrs["unknown_indicators"] == ["X-99"]
    assert r.set_index("indicator_id").loc["X-99", "score"] == 1.0


def test_lika__own_instrument_with_swedish_headers(tmp_path):
    inst = tmp_path / "instrument.csv"
    inst.write_text(
        "Indikator-id;Område;Del;Indikator;Vikt\nA;Äldreomsorg;Ledning;Plan;2\n"
        "B;Äldreomsorg;Kompetens;Utbildning;\n",
        encoding="utf-8",
    )
    table = load.lika_instrument(inst)
    assert table["weight"].tolist() == [2.0, 1.0]
    answers = tmp_path / "svar" / "1880.csv"
    answers.parent.mkdir()
    answers.write_text(HEADER + "\n" + "\n".join(_rows(answers=("Ja", "Nej"), ids=["A", "B"])))
    # The folder's own instrument.csv is used when there is one, and is not read as answers.
    (answers.parent / "instrument.csv").write_bytes(inst.read_bytes())
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        r = load.lika(answers.parent, scale="ja/delvis/nej")
    assert r["dimension"].tolist() == ["Ledning", "Kompetens"] and len(r) == 2


def test_lika_instrument__shipped_covers_every_cell():
    inst = load.lika_instrument()
    assert len(inst) >= 40
    cells = inst.groupby(["area", "dimension"]).size()
    assert len(cells) == 16 and cells.min() >= 2
    assert inst["indicator_id"].is_unique
    assert inst["suggested_activity"].notna().all() and (inst["weight"] > 0).all()


# --------------------------------------------------------------------------- bad inputs


def test_lika__answer_outside_scale(tmp_path):
    path = _csv(tmp_path, [HEADER] + _rows(answers=("Uppnådd", "Klar")))
    with pytest.raises(InputFileError) as err:
        load.lika(path)
    text = str(err.value)
    assert "'Klar'" in text and "svar.csv" in text and "row 3" in text and "column Status" in text
    assert "Uppnådd, Nästan där, Påbörjad, Planerad, Ej planerad, Ej relevant" in text


def test_lika__answer_from_another_scale_gets_a_hint(tmp_path):
    path = _csv(tmp_path, [HEADER] + _rows(answers=("Ja", "Nej")))
    with pytest.raises(InputFileError, match="scale='ja/delvis/nej'"):
        load.lika(path)
    path = _csv(tmp_path, [HEADER] + _rows(answers=("2", "3")), name="n.csv")
    with pytest.raises(InputFileError, match="scale='0-4'"):
        load.lika(path)


def test_lika__numeric_answer_outside_range(tmp_path):
    path = _csv(tmp_path, [HEADER] + _rows(answers=("2", "5")))
    with pytest.raises(InputFileError) as err:
        load.lika(path, scale="0-4")
    assert "'5'" in str(err.value) and "row 3" in str(err.value)
    path = _csv(tmp_path, [HEADER] + _rows(answers=("2,5",)), name="b.csv")
    with pytest.raises(InputFileError, match="'2,5'"):
        load.lika(path, scale="0-4")


def test_lika__duplicates_listed(tmp_path):
    path = _csv(tmp_path, [HEADER] + _rows(answers=("Uppnådd", "Planerad")) + _rows())
    with pytest.raises(InputFileError) as err:
        load.lika(path)
    text = str(err.value)
    assert "1 indicator(s) answered more than once" in text
    assert "1880 2022-05-11 OVG-L1: " in text and "row 2" in text and "row 4" in text


def test_lika__duplicates_across_files(tmp_path):
    folder = tmp_path / "svar"
    folder.mkdir()
    _csv(folder, [HEADER] + _rows(), name="a.csv")
    _csv(folder, [HEADER] + _rows(), name="b.csv")
    with pytest.raises(InputFileError, match=r"a\.csv row 2, .*b\.csv row 2"):
        load.lika(folder)


def test_lika__unknown_municipality_in_header_cell(tmp_path):
    path = _workbook(tmp_path / "x.xlsx", municipality="Narnia")
    with pytest.raises(UnknownMunicipalityError) as err:
        load.lika(path)
    text = str(err.value)
    assert "Narnia" in text and "x.xlsx" in text and "row 2" in text and "column Kommun" in text


def test_lika__unknown_municipality_in_column(tmp_path):
    path = _csv(tmp_path, [HEADER] + _rows() + _rows(code="Narnia", ids=["OVG-L2"]))
    with pytest.raises(UnknownMunicipalityError) as err:
        load.lika(path)
    assert "row 3" in str(err.value) and "column Kommun" in str(err.value)


def test_lika__missing_column(tmp_path):
    path = _csv(tmp_path, ["Kommun;Datum;Indikator-id", "1880;2022-05-11;OVG-L1"])
    with pytest.raises(InputFileError) as err:
        load.lika(path)
    assert "response" in str(err.value) and "Status" in str(err.value)
    assert "svar.csv" in str(err.value)


def test_lika__missing_municipality_and_date(tmp_path):
    no_municipality = _csv(tmp_path, ["Datum;Indikator-id;Status", "2022-05-11;OVG-L1;Ja"])
    with pytest.raises(InputFileError, match="does not say which municipality"):
        load.lika(no_municipality)
    bad_date = _csv(tmp_path, [HEADER, "1880;maj 2022;;;OVG-L1;Uppnådd"], name="d.csv")
    with pytest.raises(InputFileError) as err:
        load.lika(bad_date)
    assert "'maj 2022'" in str(err.value) and "row 2" in str(err.value)
    assert "column Datum" in str(err.value)


def test_lika__wrong_encoding(tmp_path):
    path = tmp_path / "mac.csv"
    path.write_bytes((HEADER + "\n1880;2022-05-11;;;OVG-L1;Uppn\x81dd\n").encode("latin-1"))
    with pytest.raises(InputFileError) as err:
        load.lika(path)
    assert "mac.csv" in str(err.value) and "row 2" in str(err.value)
    assert "encoding=" in str(err.value)


def test_lika__area_contradicting_instrument(tmp_path):
    path = _csv(tmp_path, [HEADER, "1880;2022-05-11;Äldreomsorg;Ledning;OVG-L1;Uppnådd"])
    with pytest.raises(InputFileError) as err:
        load.lika(path)
    assert "'Övergripande' in the instrument" in str(err.value) and "row 2" in str(err.value)


def test_lika__unknown_area_and_unplaced_indicator(tmp_path):
    path = _csv(tmp_path, [HEADER, "1880;2022-05-11;Skola;Ledning;S1;Uppnådd"])
    with pytest.raises(InputFileError) as err:
        load.lika(path)
    assert "'Skola'" in str(err.value) and "column Område" in str(err.value)
    path = _csv(tmp_path, [HEADER, "1880;2022-05-11;;;S1;Uppnådd"], name="u.csv")
    with pytest.raises(InputFileError, match="not in the instrument and the file gives no area"):
        load.lika(path)


def test_lika__personal_numbers_refused(tmp_path):
    lines = [HEADER + ";Kommentar", "1880;2022-05-11;;;OVG-L1;Uppnådd;19121212-1212"]
    with pytest.raises(PersonalDataError):
        load.lika(_csv(tmp_path, lines))


def test_lika__empty_folder(tmp_path):
    with pytest.raises(InputFileError, match="holds no LIKA files"):
        load.lika(tmp_path)


def test_lika_instrument__bad_rows(tmp_path):
    dup = tmp_path / "dup.csv"
    dup.write_text(
        "indicator_id;area;dimension\nA;Övergripande;Ledning\nA;Övergripande;Kompetens\n"
    )
    with pytest.raises(InputFileError, match=r"'A' is listed 2 times \(rows 2, 3\)"):
        load.lika_instrument(dup)
    weight = tmp_path / "w.csv"
    weight.write_text("indicator_id;area;dimension;weight\nA;Övergripande;Ledning;-1\n")
    with pytest.raises(InputFileError) as err:
        load.lika_instrument(weight)
    assert "row 2" in str(err.value) and "column weight" in str(err.value)


def test_an_assessment_date_after_today_is_refused_unless_asked_for(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01
    path = tmp_path / "lika.csv"
    path.write_text(
        "Kommun;Datum;Område;Del;Indikator-id;Status\n"
        "Laxå;2025-05-11;Övergripande;Ledning;OVG-L1;Uppnådd\n"
        "Nora;2062-05-11;Övergripande;Ledning;OVG-L1;Uppnådd\n",
        encoding="utf-8",
    )
    with pytest.raises(InputFileError, match="'2062-05-11' lies after today") as err:
        load.lika(path)
    assert "row 3" in str(err.value) and "column Datum" in str(err.value)
    assert len(load.lika(path, allow_future=True)) == 2
