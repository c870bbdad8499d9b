import matplotlib
import matplotlib.pyplot as plt
import pandas as pd
import pytest

from ehalsa_analys import plots
from ehalsa_analys.errors import SchemaError, UnknownMunicipalityError


@pytest.mark.parametrize(
    ("value", "kwargs", "expected"),
    [
        (12345.6, {}, "12\u00a0345,6"),
        (12345.6, {"lang": "en"}, "12,345.6"),
        (45, {"percent": True}, "45\u00a0%"),
        (45, {"percent": True, "lang": "en"}, "45%"),
        (-1234.56, {"decimals": 1}, "\u22121\u00a0234,6"),
        (-0.01, {"decimals": 1}, "0,0"),
        (0, {}, "0"),
        (float("nan"), {}, "–"),
        (None, {}, "–"),
        (2.345, {"decimals": 2}, "2,35"),
    ],
)
def test_format_number(value, kwargs, expected):
    assert plots.format_number(value, **kwargs) == expected


def test_bad_lang_names_argument():
    with pytest.raises(ValueError, match=r"`lang` must be one of \['sv', 'en'\], but 'de'"):
        plots.format_number(1, lang="de")


def test_house_style_restores_rcparams():
    before = matplotlib.rcParams["axes.spines.top"]
    with plots.house_style():
        assert matplotlib.rcParams["axes.spines.top"] is False
    assert matplotlib.rcParams["axes.spines.top"] == before


def test_choropleth__county_polygons_missing_hatched_and_source():
    fig, ax = plt.subplots()
    data = pd.DataFrame(
        {"municipality_code": ["1880", "1885", "1814"], "andel": [40.0, 55.5, None]}
    )
    out = plots.choropleth(data, value="andel", county_code="18", source="test", ax=ax)
    assert out is ax
    hatched = [c for c in ax.collections if c.get_hatch()]
    assert len(hatched) == 1 and len(hatched[0].get_paths()) >= 10  # 12 - 2 with values
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["Uppgift saknas"]
    assert any(t.get_text() == "Källa: test" for t in fig.texts)
    colorbar_ticks = [t.get_text() for t in fig.axes[1].get_yticklabels()]
    assert any("," in t or t.isdigit() for t in colorbar_ticks if t)


def test_choropleth__english_and_errors():
    data = pd.DataFrame({"municipality_code": ["1880"], "x": [1.0]})
    ax = plots.choropleth(data, value="x", county_code="18", lang="en")
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["No data"]
    with pytest.raises(SchemaError, match=r"no column 'y'; it has \['municipality_code', 'x'\]"):
        plots.choropleth(data, value="y")
    with pytest.raises(UnknownMunicipalityError):
        plots.choropleth(pd.DataFrame({"municipality_code": ["Narnia"], "x": [1.0]}), value="x")


def test_municipality_map__all_of_sweden():
    ax = plots.municipality_map()
    drawn = sum(len(c.get_paths()) for c in ax.collections[:1])
    assert drawn >= 290
    assert ax.get_title() == "Sveriges kommuner (290)"


def _draw():
    fig, ax = plt.subplots(figsize=(4, 5))
    with plots.house_style():
        plots.municipality_map(county_code="18", ax=ax, source="SCB")
    return fig


def test_save__byte_identical(tmp_path):
    first = plots.save(_draw(), tmp_path / "a" / "map")
    second = plots.save(_draw(), tmp_path / "b" / "map.png")
    assert [p.name for p in first] == ["map.png", "map.svg"]
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes()
    assert first[0].stat().st_size > 5_000
    assert b"<dc:date>" not in first[1].read_bytes()
