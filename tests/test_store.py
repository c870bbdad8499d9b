import json

import geopandas as gpd
import pandas as pd
import pytest

from ehalsa_analys import _atomic, store
from ehalsa_analys.errors import EhalsaError


def test_write_table__sorted_and_byte_identical(tmp_path):
    df = pd.DataFrame({"municipality_code": ["1880", "0180", "1885"], "value": [2.0, 1.0, 3.5]})
    first = store.write_table(df, "obs", directory=tmp_path / "a")
    second = store.write_table(df.iloc[::-1], "obs", directory=tmp_path / "b")
    assert first.read_bytes() == second.read_bytes()
    back = pd.read_parquet(first)
    assert back["municipality_code"].tolist() == ["0180", "1880", "1885"]
    assert back["value"].tolist() == [1.0, 2.0, 3.5]


def test_write_table__geoparquet(tmp_path):
    cells = gpd.GeoDataFrame(
        {"cell_id": ["b", "a"], "population": [1.0, 2.0]},
        geometry=gpd.points_from_xy([1, 2], [3, 4]),
        crs=3006,
    )
    path = store.write_table(cells, "cells", directory=tmp_path)
    back = gpd.read_parquet(path)
    assert back.crs.to_epsg() == 3006
    assert back["cell_id"].tolist() == ["a", "b"]


def test_atomic_write__refuses_data_raw(tmp_path):
    raw = tmp_path / "data" / "raw" / "x.csv"
    with pytest.raises(EhalsaError, match="data/raw holds the inputs"):
        _atomic.write_bytes(raw, b"x")
    assert not raw.exists()


def test_atomic_write__failure_keeps_previous_file(tmp_path):
    target = tmp_path / "t.txt"
    target.write_text("old")
    with pytest.raises(RuntimeError):
        with _atomic.atomic_path(target) as tmp:
            tmp.write_text("half")
            raise RuntimeError("interrupted")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["t.txt"]


def test_manifest__hashes_versions_parameters(tmp_path):
    inp = tmp_path / "in.csv"
    inp.write_text("a;b\n1;2\n")
    out = tmp_path / "out.txt"
    out.write_text("result")
    entry = store.manifest_entry(
        inputs=[inp], outputs=[out], parameters={"county_code": "18", "lang": "sv"}, root=tmp_path
    )
    assert list(entry["inputs"]) == ["in.csv"]
    assert entry["inputs"]["in.csv"] == store.file_hash(inp)
    assert entry["outputs"]["out.txt"] == store.file_hash(out)
    assert entry["parameters"] == {"county_code": "18", "lang": "sv"}
    assert entry["versions"]["ehalsa_analys"]
    assert entry["versions"]["pandas"] == pd.__version__
    path = store.write_manifest(entry, tmp_path / "manifest.json")
    first = path.read_bytes()
    store.write_manifest(
        store.manifest_entry(
            inputs=[inp],
            outputs=[out],
            parameters={"lang": "sv", "county_code": "18"},
            root=tmp_path,
        ),
        path,
    )
    assert path.read_bytes() == first
    assert json.loads(first)["parameters"]["county_code"] == "18"


def test_file_hash__known_value(tmp_path):
    p = tmp_path / "x"
    p.write_bytes(b"abc")
    assert store.file_hash(p) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


def test_report_columns__digital_reach_closure_and_sites_in_swedish():
    """Issue 17's tables: categorical texts, closure columns per threshold, the sites' table."""
    reach = pd.DataFrame(
        {
            "municipality_code": ["2260"],
            "class": pd.Categorical(["far_unconnected"]),
            "threshold": [10.0],
            "people": [12.0],
            "total": [8916.0],
        }
    )
    table, _ = store.report_columns(reach, "bredband_klasser")
    assert table.columns.tolist() == ["Kommunkod", "Klass", "Gräns", "Invånare", "Invånare totalt"]
    assert table.iloc[0].tolist() == ["2260", "far_unconnected", 10.0, 12, 8916]
    closure = pd.DataFrame(
        {
            "beyond_before_10min": [5.0],
            "change_10min": [1.0],
            "lost_route": [0.0],
            "added_km": [1.234],
            "offset_share_min": [0.25],
        }
    )
    table, dictionary = store.report_columns(closure, "bredband_nedlaggning")
    assert table.columns.tolist() == [
        "Invånare bortom 10 min, före",
        "Invånare bortom 10 min, förändring",
        "Utan väg efter",
        "Tillkommande resor, km",
        "Digital andel som väger upp (min), %",
    ]
    assert table.iloc[0].tolist() == [5, 1, 0, 1.23, 25.0]
    assert dictionary["Originalnamn"].tolist() == closure.columns.tolist()
    sites, _ = store.report_columns(pd.DataFrame({"k": [1], "x": [1.0]}), "bredband_servicepunkter")
    assert sites.columns.tolist() == ["Antal servicepunkter", "X (SWEREF 99 TM)"]
    # "x" means a coordinate only in the sites' table
    other, _ = store.report_columns(pd.DataFrame({"x": [1.0]}), "monitor_kvartal")
    assert other.columns.tolist() == ["x"]


def test_a_text_that_would_be_a_formula_is_written_as_a_string():
    """Defence in depth behind safe.neutralise: the write-only workbook never stores a formula."""
    import io
    import zipfile

    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("t")
    sheet.append(store._as_strings(sheet, ["=HYPERLINK(\"x\")", 1.5, "b"]))
    buffer = io.BytesIO()
    workbook.save(buffer)
    with zipfile.ZipFile(buffer) as z:
        xml = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "<v>1.5</v>" in xml
    cell = '<c r="A1" t="inlineStr"><is><t>=HYPERLINK("x")</t></is></c>'
    assert cell in xml.replace("&quot;", '"')


def test_every_report_column_has_an_english_heading_and_description():
    from ehalsa_analys import _columns_en as en

    assert set(en.REPORT_COLUMNS_EN) == set(store.REPORT_COLUMNS)
    assert {t: set(c) for t, c in en.PER_TABLE_EN.items()} == {
        t: set(c) for t, c in store._PER_TABLE.items()
    }
    assert set(en.TRAVEL_TEXT_EN) == set(store._TRAVEL_TEXT)
    assert set(en.CLOSURE_TEXT_EN) == set(store._CLOSURE_TEXT)
    texts = [t for pair in en.REPORT_COLUMNS_EN.values() for t in pair]
    assert all(isinstance(t, str) for t in texts)
    swedish = [t for t in texts if any(ch in t for ch in "åäöÅÄÖ")]
    assert swedish == []  # nothing left untranslated


def test_english_report_table__headings_yes_no_dictionary_and_csv(tmp_path):
    import csv as csv_module
    import io

    from openpyxl import load_workbook

    data = pd.DataFrame(
        {
            "municipality_code": ["1880", "1814"],
            "share_beyond_10min": [0.02311111111111111, float("nan")],
            "beyond_before_10min": [12.0, 3.0],
            "met": [True, False],
        }
    )
    csv, xlsx = store.write_report_table(data, "avstand_test", tmp_path, lang="en")
    text = csv.read_bytes().decode("utf-8-sig")
    header, *rows = list(csv_module.reader(io.StringIO(text)))  # English Excel: "," and "."
    assert header[1] == "Share beyond 10 min, %"
    assert header[2].startswith("Residents beyond 10 min, ")  # the closure's "before"
    assert header[0] == store._column_meta("municipality_code", "", "en")[0] != "Kommunkod"
    assert header[3] == store._column_meta("met", "", "en")[0] != "Mål nått"
    assert rows == [["1880", "2.3", "12", "Yes"], ["1814", "", "3", "No"]]
    book = load_workbook(io.BytesIO(xlsx.read_bytes()))
    assert book.sheetnames == ["avstand_test", "Columns"]
    rows = list(book["Columns"].values)
    assert rows[0] == ("Column", "Description", "Original name")
    assert rows[2][0] == "Share beyond 10 min, %" and rows[2][2] == "share_beyond_10min"
    # Swedish stays the default
    swedish = store.write_report_table(data, "avstand_test", tmp_path / "sv")[0]
    assert swedish.read_bytes().decode("utf-8-sig").splitlines()[1] == "1880;2,3;12;Ja"
    with pytest.raises(ValueError, match="lang"):
        store.write_report_table(data, "x", tmp_path, lang="de")
