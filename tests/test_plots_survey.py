"""Survey figures: lines, tiles, panels and slopes carry the data they are given."""

import matplotlib.colors as mcolors
import matplotlib.pyplot as plt
import pandas as pd

from ehalsa_analys import plots
from ehalsa_analys.compare import RANK_COLOURS


def _ax():
    return plt.figure().add_subplot()


def test_adoption_curves_lines_and_weighting_note():
    levels = pd.DataFrame(
        {
            "indicator_id": "x",
            "period": [2020, 2022] * 3,
            "level": ["nation"] * 2 + ["county"] * 2 + ["group"] * 2,
            "key": ["0000"] * 2 + ["18"] * 2 + ["över 100 000"] * 2,
            "share": [0.4, 0.6, 0.3, 0.7, 0.8, 0.9],
            "weighted": True,
        }
    )
    ax = plots.adoption_curves(
        levels, county_code="18", group="över 100 000", title="Nattillsyn", ax=_ax()
    )
    assert [line.get_ydata().tolist() for line in ax.lines] == [[40, 60], [30, 70], [80, 90]]
    title = ax.get_title(loc="left") or ax.get_title()
    assert title == "Nattillsyn\n(vägt med invånarantal)"


def test_tile_chart_colours_and_suppressed_marker():
    colours = pd.DataFrame(
        {
            "municipality_code": ["1880", "1880", "1814"],
            "indicator_id": ["a", "b", "a"],
            "period": 2024,
            "colour": ["green", "red", "grey"],
            "marker": ["", "", "suppressed"],
        }
    )
    ax = plots.tile_chart(colours, titles={"a": "Nattillsyn"}, ax=_ax())
    faces = [mcolors.to_hex(p.get_facecolor()) for p in ax.patches]
    assert faces == [
        RANK_COLOURS["grey"].lower(),
        RANK_COLOURS["green"].lower(),
        RANK_COLOURS["red"].lower(),
    ]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Lekeberg", "Örebro"]
    assert [t.get_text() for t in ax.texts] == ["x"]


def test_small_multiples_and_slope_chart():
    obs = pd.DataFrame(
        {
            "municipality_code": ["1880", "1880", "1814", "1814"],
            "period": [2020, 2024] * 2,
            "indicator_id": "x",
            "value": [0.0, 1.0, 1.0, 1.0],
            "unit": "ja/nej",
        }
    )
    levels = pd.DataFrame(
        {
            "indicator_id": "x",
            "period": [2020, 2024],
            "level": "nation",
            "key": "0000",
            "share": [0.5, 0.75],
        }
    )
    fig = plots.survey_small_multiples(obs, levels, indicator="x", county_code="18", ncols=2)
    assert [ax.get_title() for ax in fig.axes] == ["Lekeberg", "Örebro"]
    assert fig.axes[1].lines[1].get_ydata().tolist() == [0, 100]
    ax = plots.slope_chart(obs.assign(unit="%"), indicator="x", first=2020, last=2024, ax=_ax())
    assert [line.get_ydata().tolist() for line in ax.lines] == [[1.0, 1.0], [0.0, 1.0]]
