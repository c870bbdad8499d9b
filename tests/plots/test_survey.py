"""Survey figures: lines, tiles, panels, slopes and maps carry the data they are given."""

import matplotlib.colors as mcolors
import numpy as np
import pandas as pd
import pytest

from ehalsa_analys import compare, plots, reference
from ehalsa_analys.plots import RANK_COLOURS


def _hex(colour):
    return mcolors.to_hex(colour)


LEVELS = pd.DataFrame(
    {
        "indicator_id": "x",
        "period": [2020, 2022] * 3,
        "level": ["nation"] * 2 + ["county"] * 2 + ["group"] * 2,
        "key": ["0000"] * 2 + ["18"] * 2 + ["över 100 000"] * 2,
        "share": [0.4, 0.6, 0.3, 0.7, 0.8, 0.9],
        "weighted": True,
    }
)


def test_adoption_curves__lines_labels_and_weighting_note(axes):
    ax = plots.adoption_curves(
        LEVELS, county_code="18", group="över 100 000", title="Nattillsyn", ax=axes()
    )
    assert [line.get_ydata().tolist() for line in ax.lines] == [[40, 60], [30, 70], [80, 90]]
    assert [line.get_xdata().tolist() for line in ax.lines][0] == [2020, 2022]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "Riket",
        "Örebro län",
        "Liknande kommuner (över 100 000)",
    ]
    assert ax.get_title() == "Nattillsyn, 2020–2022\n(vägt med invånarantal)"  # the years shown
    assert ax.get_ylim() == (0, 100)
    ax.figure.canvas.draw()
    assert [t.get_text() for t in ax.get_yticklabels()][:3] == ["0", "20", "40"]


def test_adoption_curves__english_unweighted_and_one_indicator_of_several(axes):
    levels = pd.concat([LEVELS.assign(weighted=False), LEVELS.assign(indicator_id="y")])
    with pytest.raises(ValueError, match=r"several indicators \['x', 'y'\]; pass `indicator=`"):
        plots.adoption_curves(levels, ax=axes())
    ax = plots.adoption_curves(levels, indicator="x", county_code="18", lang="en", ax=axes())
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["Sweden", "Örebro län"]
    assert ax.get_title().endswith("(unweighted mean of the municipalities)")
    assert ax.get_ylabel() == "Share of municipalities, %"
    with pytest.raises(ValueError, match=r"`county_code` must be one of .* but '99' was passed"):
        plots.adoption_curves(levels, indicator="x", county_code="99", ax=axes())
    with pytest.raises(ValueError, match="`lang`"):
        plots.adoption_curves(levels, indicator="x", lang="de", ax=axes())


def test_adoption_curves_from_reference_levels(axes):
    obs = pd.DataFrame(
        {
            "municipality_code": ["1880", "1814", "0180", "1880", "1814", "0180"],
            "period": [2020] * 3 + [2022] * 3,
            "indicator_id": "x",
            "value": [1.0, 0.0, 0.0, 1.0, 1.0, 0.0],
            "unit": "ja/nej",
            "status": "",
        }
    )
    levels = compare.reference_levels(obs, by=("county", "nation"))
    ax = plots.adoption_curves(levels, county_code="18", ax=axes())
    nation, county = (line.get_ydata() for line in ax.lines)
    np.testing.assert_allclose(nation, [100 / 3, 200 / 3])
    np.testing.assert_allclose(county, [50, 100])


COLOURS = pd.DataFrame(
    {
        "municipality_code": ["1880", "1880", "1814", "1814"],
        "indicator_id": ["a", "b", "a", "b"],
        "period": 2024,
        "colour": ["green", "red", "grey", "grey"],
        "marker": ["", "", "suppressed", "not_applicable"],
    }
)


def test_tile_chart__tiles_where_and_in_which_colour(axes):
    ax = plots.tile_chart(COLOURS, titles={"a": "Nattillsyn"}, ax=axes())
    # rows by code: 1814 Lekeberg (row 0), 1880 Örebro (row 1); columns a (0), b (1)
    tiles = [(p.get_x(), p.get_y(), _hex(p.get_facecolor())) for p in ax.patches]
    assert tiles == [
        (0.0, 1.0, RANK_COLOURS["green"].lower()),
        (1.0, 1.0, RANK_COLOURS["red"].lower()),
        (0.0, 0.0, RANK_COLOURS["grey"].lower()),
        (1.0, 0.0, RANK_COLOURS["grey"].lower()),
    ]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Lekeberg", "Örebro"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["Nattillsyn", "b"]
    assert [(t.get_text(), t.get_position()) for t in ax.texts] == [
        ("x", (0.46, 0.43)),
        ("–", (1.46, 0.43)),
    ]
    assert ax.get_title() == "Nyckeltal per kommun, 2024"  # the measure and the year
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["Bästa fjärdedelen / Ja", "Mittersta hälften", "Sämsta fjärdedelen / Nej",
                      "Uppgift saknas"]  # fmt: skip


def test_rank_colours__one_tone_per_category_of_rank_colour():
    assert tuple(RANK_COLOURS) == compare.RANK_CATEGORIES
    assert len({c.lower() for c in RANK_COLOURS.values()}) == len(RANK_COLOURS)
    assert not hasattr(compare, "RANK_COLOURS")  # colours live with the figures


def test_tile_chart__from_rank_colour_in_english_and_bad_input(axes):
    obs = pd.DataFrame(
        {
            "municipality_code": ["1814", "1860", "1861", "1880", "1881"],
            "period": 2022,
            "indicator_id": "x",
            "value": [1.0, 2, 3, 4, 5],
            "unit": "%",
            "status": "",
        }
    )
    ax = plots.tile_chart(compare.rank_colour(obs), lang="en", ax=axes())
    faces = [_hex(p.get_facecolor()) for p in ax.patches]
    expected = ["red", "red", "yellow", "green", "green"]
    assert faces == [RANK_COLOURS[c].lower() for c in expected]
    assert ax.get_legend().get_texts()[0].get_text() == "Best quarter / Yes"
    two_years = pd.concat([COLOURS, COLOURS.assign(period=2023)])
    with pytest.raises(ValueError, match=r"several years \[2023, 2024\]; pass one year"):
        plots.tile_chart(two_years, ax=axes())
    with pytest.raises(ValueError, match="`colour` must be one of"):
        plots.tile_chart(COLOURS.assign(colour="blue"), ax=axes())


def _county_obs(unit="ja/nej", values=(0.0, 1.0, 1.0, 1.0)):
    return pd.DataFrame(
        {
            "municipality_code": ["1880", "1880", "1814", "1814", "0018", "0018"],
            "period": [2020, 2024] * 3,
            "indicator_id": "x",
            "value": [*values, 0.5, 0.5],
            "unit": unit,
        }
    )


def test_small_multiples__panels_national_line_and_legend():
    levels = pd.DataFrame(
        {
            "indicator_id": "x",
            "period": [2020, 2024],
            "level": "nation",
            "key": "0000",
            "share": [0.5, 0.75],
            "mean": np.nan,
        }
    )
    fig = plots.survey_small_multiples(
        _county_obs(), levels, indicator="x", county_code="18", ncols=3, title="Nattillsyn"
    )
    # A yes/no indicator as yes and no (tiles), not as 0/100 %: one row per municipality of the
    # county (not the aggregate 0018) under the national share of Ja in percent.
    (ax,) = fig.axes
    assert ax.get_title() == "Nattillsyn, 2020–2024"
    rows = [t.get_text() for t in ax.get_yticklabels()]
    assert rows == ["Riket, andel Ja, %", "Lekeberg", "Örebro"]
    assert [t.get_text() for t in ax.texts] == ["50", "75"]  # the nation's share of Ja, %
    # Lekeberg 2020 and 2024 Ja; Örebro 2020 Nej, 2024 Ja (rows 1 and 2, columns 0 and 1).
    tiles = {(round(p.get_x()), round(p.get_y())): _hex(p.get_facecolor()) for p in ax.patches}
    green, red = plots.RANK_COLOURS["green"].lower(), plots.RANK_COLOURS["red"].lower()
    assert tiles == {(0, 1): green, (1, 1): green, (0, 2): red, (1, 2): green}
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["Ja", "Nej", "Uppgift saknas"]
    assert all(t.get_text() not in {"0", "100"} for t in ax.get_yticklabels())


def test_small_multiples__numeric_uses_the_national_mean():
    levels = pd.DataFrame(
        {
            "indicator_id": "x",
            "period": [2020, 2024],
            "level": "nation",
            "key": "0000",
            "share": np.nan,
            "mean": [30.0, 45.0],
        }
    )
    obs = _county_obs(unit="%", values=(20.0, 40.0, 35.0, 50.0))
    fig = plots.survey_small_multiples(obs, levels, indicator="x", county_code="18", lang="en")
    nation, own = fig.axes[1].lines
    assert nation.get_ydata().tolist() == [30.0, 45.0]
    assert own.get_ydata().tolist() == [20.0, 40.0] and own.get_drawstyle() == "default"
    assert fig.axes[0].get_ylabel() == "Share, %"  # the unit of the key figure
    with pytest.raises(ValueError, match="no value of 'x' for a municipality of county 01"):
        plots.survey_small_multiples(obs, levels, indicator="x", county_code="01")


def test_slope_chart__lines_colours_and_national_level(axes):
    obs = pd.DataFrame(
        {
            "municipality_code": ["1880", "1880", "1814", "1814", "1860"],
            "period": [2020, 2024, 2020, 2024, 2020],
            "indicator_id": "x",
            "value": [40.0, 60.0, 30.0, 20.0, 50.0],  # 1860 lacks 2024: left out
            "unit": "%",
        }
    )
    levels = pd.DataFrame(
        {
            "indicator_id": "x",
            "period": [2020, 2024],
            "level": "nation",
            "share": np.nan,
            "mean": [35.0, 45.0],
        }
    )
    ax = plots.slope_chart(obs, indicator="x", first=2020, last=2024, levels=levels, ax=axes())
    assert [line.get_ydata().tolist() for line in ax.lines] == [
        [35.0, 45.0],
        [30.0, 20.0],
        [40.0, 60.0],
    ]
    assert [_hex(line.get_color()) for line in ax.lines[1:]] == [
        plots.PALETTE[5].lower(),
        plots.PALETTE[0].lower(),
    ]
    assert [t.get_text() for t in ax.texts] == ["Lekeberg", "Örebro"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2020", "2024"]
    assert ax.get_title() == "Förändring 2020–2024"
    # The nation, and what the line colours mean.
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["Riket", "Ökning", "Minskning"]


def test_survey_map__yes_no_colours_and_county_outline(axes):
    shapes = reference.geometries("municipality", county_code="18")
    obs = pd.DataFrame(
        {
            "municipality_code": ["1880", "1814", "1860", "0000"],
            "period": 2022,
            "indicator_id": "x",
            "value": [1.0, 0.0, 1.0, 0.0],
            "unit": "ja/nej",
        }
    )
    ax = plots.survey_map(
        obs, indicator="x", year=2022, county_code="18", geometries=shapes, ax=axes()
    )
    yes, no, missing, outline = ax.collections
    assert _hex(yes.get_facecolor()[0]) == RANK_COLOURS["green"].lower()
    assert _hex(no.get_facecolor()[0]) == RANK_COLOURS["red"].lower()
    assert len(missing.get_paths()) >= 12 - 3 and missing.get_hatch() == "///"
    assert _hex(outline.get_color()[0]) == "#000000"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["Ja", "Nej", "Uppgift saknas"]


def test_survey_map__numeric_through_choropleth(axes):
    shapes = reference.geometries("municipality", county_code="18")
    obs = pd.DataFrame(
        {
            "municipality_code": shapes["municipality_code"],
            "period": 2022,
            "indicator_id": "larm",
            "value": np.arange(12, dtype=float) * 10,
            "unit": "%",
        }
    )
    ax = plots.survey_map(
        obs, indicator="larm", year=2022, geometries=shapes, legend_title="Andel, %",
        lang="en", ax=axes(),
    )  # fmt: skip
    colourbar = ax.figure.axes[-1]
    assert colourbar is not ax and colourbar.get_ylabel() == "Andel, %"
    np.testing.assert_array_equal(np.sort(ax.collections[0].get_array()), obs["value"])


def test_slope_chart__crowded_labels_are_spread_apart(axes):
    codes = ["1814", "1860", "1861", "1862", "1880"]
    obs = pd.DataFrame(
        {
            "municipality_code": codes * 2,
            "period": [2014] * 5 + [2024] * 5,
            "indicator_id": "x",
            "value": [0.0, 10, 20, 30, 40, 95.0, 95.5, 96, 96.2, 96.3],
        }
    )
    ax = plots.slope_chart(obs, indicator="x", first=2014, last=2024, ax=axes())
    heights = np.array([t.get_position()[1] for t in ax.texts])
    assert np.all(np.diff(heights) >= 0.035 * 96.3 - 1e-9)  # order kept, a gap of 3,5 % of range
    assert abs(heights.mean() - 95.8) < 5  # still beside the line ends
    assert [line.get_ydata()[1] for line in ax.lines] == [95.0, 95.5, 96, 96.2, 96.3]
