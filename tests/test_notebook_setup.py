"""notebook.setup: the set-up every notebook shares, and its county filter."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point

from ehalsa_analys import demo, load, notebook
from ehalsa_analys.errors import EhalsaError, NoDataError, UnknownMunicipalityError


def test_setup__county_by_code_name_or_number():
    for value in ("18", 18, "Örebro län", "örebro"):
        nb = notebook.setup("lika", county_code=value, data_dir="somewhere")
        assert (nb.county_code, nb.county) == ("18", "Örebro län")


def test_setup__given_folder_is_real_data_unless_told():
    nb = notebook.setup("monitoring", county_code="18", data_dir="in")
    assert nb.synthetic is False and nb.source == "Kommunernas effektuppföljning"
    told = notebook.setup("monitoring", county_code="18", data_dir="in", synthetic=True)
    assert told.source == (
        "Kommunernas uppföljning – SYNTETISKA DEMODATA från ehalsa_analys, inte statistik"
    )


def test_setup__source_lines_in_english():
    nb = notebook.setup("socialstyrelsen", county_code="18", data_dir="in", lang="en")
    assert nb.source == "Socialstyrelsen, E-health and welfare technology in the municipalities"
    assert (
        "SYNTHETIC DEMO DATA"
        in notebook.setup("lika", county_code="18", data_dir="in", synthetic=True, lang="en").source
    )


def test_setup__without_folder_uses_the_demo(tmp_path, monkeypatch):
    monkeypatch.setenv("EHALSA_ROOT", str(tmp_path))
    nb = notebook.setup("lika", county_code="18", seed=7)
    assert nb.data_dir == tmp_path / "data" / "raw" / "demo" / "lika"
    assert nb.synthetic is True and "SYNTETISKA DEMODATA" in nb.source
    assert demo.is_current(nb.data_dir.parent, "lika", seed=7)
    assert nb.seed == 7


def test_setup__summary_without_folder_writes_every_demo_part(tmp_path, monkeypatch):
    monkeypatch.setenv("EHALSA_ROOT", str(tmp_path))
    asked = []
    monkeypatch.setattr(demo, "path", lambda part, *, seed: asked.append((part, seed)))
    nb = notebook.setup(None, county_code="18", seed=3)
    assert asked == [("lika", 3), ("socialstyrelsen", 3), ("avstand", 3), ("monitoring", 3)]
    assert nb.data_dir == tmp_path / "data" / "raw" / "demo"
    assert nb.source == "SYNTETISKA DEMODATA från ehalsa_analys, inte statistik"


def test_setup__outputs_go_where_asked(tmp_path):
    nb = notebook.setup(
        "lika", county_code="18", data_dir="in", figures_dir=tmp_path / "f", tables_dir=None
    )
    assert nb.outputs.figures_dir == tmp_path / "f" and nb.outputs.tables_dir == tmp_path / "f"
    assert notebook.setup("lika", county_code="18", data_dir="in").outputs.figures_dir is None


def test_setup__refuses_unknown_choices():
    with pytest.raises(ValueError, match=r"`lang` must be one of \['sv', 'en'\], but 'de'"):
        notebook.setup("lika", county_code="18", data_dir="in", lang="de")
    with pytest.raises(ValueError, match="`part` must be one of"):
        notebook.setup("kolada", county_code="18", data_dir="in")
    with pytest.raises(UnknownMunicipalityError, match="'Narnia' is not a county"):
        notebook.setup("lika", county_code="Narnia", data_dir="in")


def test_notebook_is_frozen():
    nb = notebook.setup("lika", county_code="18", data_dir="in")
    with pytest.raises(AttributeError):
        nb.lang = "en"


def _table():
    data = pd.DataFrame(
        {
            "municipality_code": ["2281", "1880", "1814", "1880"],
            "metric_id": ["a", "a", "b", "b"],
            "value": [1.0, 2.0, 3.0, 4.0],
        },
        index=[10, 11, 12, 13],
    )
    data.attrs = {"catalogue": "metrics.csv"}
    return data


def test_in_county__keeps_the_county_with_fresh_index_and_attrs():
    nb = notebook.setup("monitoring", county_code="18", data_dir="in")
    out = nb.in_county(_table())
    assert out["value"].tolist() == [2.0, 3.0, 4.0]
    assert out.index.tolist() == [0, 1, 2]
    assert out.attrs == {"catalogue": "metrics.csv"}
    assert nb.in_county(_table(), metric_id=["b"])["value"].tolist() == [3.0, 4.0]
    assert nb.in_county(_table(), metric_id=None, municipality_code=[])["value"].sum() == 9.0


def test_in_county__no_rows_names_the_county_and_the_folder(tmp_path):
    nb = notebook.setup("lika", county_code="22", data_dir=tmp_path / "lika")
    table = _table()[lambda d: d["municipality_code"] != "2281"]
    with pytest.raises(NoDataError, match="Inga LIKA-värderingar för län 22") as err:
        nb.in_county(table)
    assert err.value.file == str(tmp_path / "lika")
    english = notebook.setup("avstand", county_code="18", data_dir="in", lang="en")
    with pytest.raises(NoDataError, match=r"No population cells for county 18 \(Örebro län\)"):
        english.in_county(_table(), municipality_code=["1861"])  # in the county, no rows


def test_in_county__a_municipality_of_another_county_is_an_error():
    nb = notebook.setup("monitoring", county_code="18", data_dir="in")
    with pytest.raises(EhalsaError, match=r"0180 ligger inte i Örebro län \(18\)") as err:
        nb.in_county(_table(), municipality_code=["1880", "0180"])
    assert not isinstance(err.value, NoDataError)  # the report must not skip it silently


def test_in_county__keeps_a_geodataframe():
    cells = gpd.GeoDataFrame(
        {"municipality_code": ["1880", "2281"], "population": [5.0, 7.0]},
        geometry=[Point(0, 0), Point(1, 1)],
        crs="EPSG:3006",
    )
    out = notebook.setup("avstand", county_code="22", data_dir="in").in_county(cells)
    assert isinstance(out, gpd.GeoDataFrame) and out.crs == cells.crs
    assert out["population"].tolist() == [7.0]


def test_in_county__unknown_selection_column_is_refused():
    nb = notebook.setup("monitoring", county_code="18", data_dir="in")
    with pytest.raises(Exception, match=r"lacks the column\(s\) \['kind'\]"):
        nb.in_county(_table(), kind=["count"])


def test_with_names__adds_kommun_and_keeps_unknown_codes():
    nb = notebook.setup("lika", county_code="18", data_dir="in")
    out = nb.with_names(pd.DataFrame({"municipality_code": ["1880", "9999"]}))
    assert out["kommun"].tolist() == ["Örebro", "9999"]


def test_read__summary_sections(tmp_path):
    (tmp_path / "lika").mkdir()
    (tmp_path / "lika" / "long.csv").write_bytes(open("tests/fixtures/lika/long.csv", "rb").read())
    (tmp_path / "monitoring").mkdir()  # empty: no section
    nb = notebook.setup(None, county_code="18", data_dir=tmp_path)
    assert nb.folder("monitoring") is None and nb.read("monitoring", load.monitoring) is None
    responses = nb.read("lika", load.lika)
    assert set(responses["municipality_code"]) == {"1860", "1880"}
    assert "instrument" in responses.attrs  # the loader's attrs survive the county filter
    other = notebook.setup(None, county_code="22", data_dir=tmp_path)
    assert other.read("lika", load.lika) is None  # no rows for the county
    assert len(other.read("lika", load.lika, county=False)) == len(responses)


def test_titles__language_with_fallback():
    cat = pd.DataFrame({"indicator_id": ["x"], "title_sv": ["Digital nattillsyn"]})
    assert notebook.titles(cat, key="indicator_id", lang="en").to_dict() == {
        "x": "Digital nattillsyn"
    }
