"""Distance figures: bars, curves and maps carry the numbers they are given."""

import geopandas as gpd
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from ehalsa_analys import plots


def _ax():
    return plt.figure().add_subplot()


def test_class_bars_stack_to_100_sorted_by_the_far_class():
    classes = pd.DataFrame(
        {
            "municipality_code": ["1880"] * 2 + ["1814"] * 2,
            "kind": "dagligvaror",
            "lower": [0.0, 5.0] * 2,
            "upper": [5.0, np.inf] * 2,
            "unit": "min",
            "population": [90.0, 10.0, 40.0, 60.0],
        }
    )
    ax = plots.class_bars(classes, ax=_ax())
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Örebro", "Lekeberg"]
    widths = [round(float(p.get_width()), 6) for p in ax.patches]
    assert widths == [90, 40, 10, 60]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["under 5 min", "över 5 min"]


def test_cumulative_curves_end_at_100_and_skip_unreachable():
    d = pd.DataFrame(
        {
            "municipality_code": "1880",
            "unit": "s",
            "population": [1.0, 1.0, 2.0],
            "distance": [60.0, np.nan, 600.0],
        }
    )
    ax = plots.cumulative_curves(d, ax=_ax())
    line = ax.lines[0]
    assert line.get_xdata().tolist() == [0, 1, 10]
    assert line.get_ydata().tolist() == pytest.approx([0, 100 / 3, 100])
    assert ax.get_xlabel() == "Restid med bil, minuter"


def test_cell_map_greys_unreachable_and_keeps_services_on_the_map():
    cells = gpd.GeoDataFrame(
        {"distance": [1.0, np.nan]},
        geometry=gpd.points_from_xy([515000, 516000], [6566000, 6567000]),
        crs=3006,
    )
    services = gpd.GeoDataFrame(
        {"kind": ["apotek", "apotek"]},
        geometry=gpd.points_from_xy([515500, 320000], [6566500, 6400000]),  # second is Göteborg
        crs=3006,
    )
    ax = plots.cell_map(cells, services=services, county_code="18", ax=_ax())
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["Nås inte via vägnätet", "Servicepunkter"]
    assert len(ax.collections[-1].get_offsets()) == 1  # only the service inside the county


def test_savings_bars_label_hours():
    s = pd.DataFrame({"municipality_code": ["1880"], "km_saved": [1234.0], "hours_saved": [24.7]})
    ax = plots.savings_bars(s, lang="en", ax=_ax())
    assert ax.texts[0].get_text().strip() == "25 h"
    assert ax.get_xlabel() == "Km saved per month"
