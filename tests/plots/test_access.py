"""Distance figures: maps, bars and curves carry the numbers they are given."""

import geopandas as gpd
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from ehalsa_analys import access, plots
from ehalsa_analys.errors import SchemaError
from ehalsa_analys.plots import access as figures

# Three points in Örebro (1880) and one in Göteborg, far outside county 18.
XY = ([515000, 516000, 517000], [6566000, 6567000, 6568000])


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def _cells():
    return gpd.GeoDataFrame(
        {
            "cell_id": ["a", "b", "c"],
            "population": [10.0, 20.0, 30.0],
            "municipality_code": "1880",
        },
        geometry=gpd.points_from_xy(*XY),
        crs=3006,
    )


def _services():
    return gpd.GeoDataFrame(
        {"service_id": ["x", "y", "z"], "kind": ["apotek", "apotek", "post"]},
        geometry=gpd.points_from_xy([515500, 320000, 517000], [6566500, 6400000, 6568000]),
        crs=3006,
    )


# --------------------------------------------------------------------------- maps


def _raster(ax, layer=0):
    """The values of a map's raster layer, in the order of the cells (bottom-left first)."""
    return ax.images[layer].get_array().compressed()


def test_cell_map_from_nearest_output_in_km_with_the_kinds_services(axes):
    distances = access.nearest(_cells(), _services())
    ax = figures.cell_map(
        distances, kind="apotek", cells=_cells(), services=_services(), county_code="18", ax=axes()
    )
    services_drawn = ax.collections[-1]
    expected = distances[distances["kind"] == "apotek"]["distance"].to_numpy() / 1000
    np.testing.assert_allclose(_raster(ax), expected)
    # Filled 1 km squares: the raster spans the three cells' squares, corner to corner.
    assert ax.images[0].get_extent() == [514500, 517500, 6565500, 6568500]
    # Only the pharmacy inside the county is drawn; the one in Göteborg is off the map.
    assert services_drawn.get_offsets().tolist() == [[515500, 6566500]]
    colorbar = ax.figure.axes[-1]
    assert colorbar.get_ylabel() == "Avstånd, km"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["Apotek"]  # the kind shown


def test_cell_map_greys_unreachable_and_labels_minutes_in_english(axes):
    data = pd.DataFrame(
        {"cell_id": ["a", "b", "c"], "unit": "s", "distance": [120.0, np.nan, 600.0]}
    )
    ax = figures.cell_map(data, cells=_cells(), county_code="18", lang="en", ax=axes())
    assert _raster(ax).tolist() == [2.0, 10.0]
    grey = ax.images[1].get_array()
    assert grey.compressed().tolist() == [1.0] and not grey.mask[1, 1]  # the middle cell
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["Not reachable by road"]
    assert ax.figure.axes[-1].get_ylabel() == "Travel time by car, minutes"


def test_cell_map_titles_the_kind_in_either_language(axes):
    distances = access.nearest(_cells(), _services())
    ax = figures.cell_map(distances, kind="post", cells=_cells(), county_code="18", ax=axes())
    assert ax.get_title() == "Avstånd till närmaste postombud"
    one = distances[distances["kind"] == "apotek"].assign(unit="s")
    ax = figures.cell_map(one, cells=_cells(), county_code="18", lang="en", ax=axes())
    assert ax.get_title() == "Travel time to the nearest pharmacy"
    ax = figures.cell_map(one, cells=_cells(), county_code="18", title="", ax=axes())
    assert ax.get_title() == ""
    assert figures.cell_map(_cells().assign(distance=1.0), ax=axes()).get_title() == ""


def test_cell_map_keeps_the_notebook_call_with_converted_values(axes):
    mapped = _cells().assign(distance=[1.0, 2.0, 3.0])
    ax = plots.cell_map(mapped, unit="min", county_code="18", ax=axes())
    assert _raster(ax).tolist() == [1.0, 2.0, 3.0]
    assert ax.figure.axes[-1].get_ylabel() == "Restid med bil, minuter"


def test_cell_map_refuses_several_kinds_and_bad_lang(axes):
    distances = access.nearest(_cells(), _services())
    with pytest.raises(ValueError, match=r"holds the kinds \['apotek', 'post'\]"):
        figures.cell_map(distances, cells=_cells(), ax=axes())
    with pytest.raises(ValueError, match="`lang` must be one of"):
        figures.cell_map(distances, kind="post", cells=_cells(), lang="de", ax=axes())
    with pytest.raises(SchemaError, match="geometry"):
        figures.cell_map(distances, kind="post", ax=axes())
    with pytest.raises(ValueError, match="no cell_id 'a'"):
        figures.cell_map(distances, kind="post", cells=_cells().iloc[1:], ax=axes())


def test_score_map_shows_capacity_per_thousand_bright_for_high(axes):
    services = _services().assign(capacity=[3.0, 1.0, 1.0])
    reach = access.costs(_cells(), services, kind="apotek", max_cost_m=5000)
    per_cell, _ = access.two_step_fca(_cells(), services, reach, max_cost_m=5000, decay=None)
    ax = figures.score_map(per_cell, cells=_cells(), county_code="18", ax=axes())
    # Pharmacy x reaches all 60 residents: 3 / 60 per person, 50 per 1 000.
    assert _raster(ax).tolist() == pytest.approx([50.0, 50.0, 50.0])
    assert ax.images[0].get_cmap().name == "cividis"
    assert ax.figure.axes[-1].get_ylabel() == "Kapacitet per 1\xa0000 invånare inom räckhåll"
    assert ax.get_title() == "Tillgänglighet (2SFCA)"
    with pytest.raises(ValueError, match="`per` must be positive"):
        figures.score_map(per_cell, cells=_cells(), per=0, ax=axes())


# --------------------------------------------------------------------------- bars


def _classes():
    return pd.DataFrame(
        {
            "municipality_code": ["1880"] * 3 + ["1814"] * 3,
            "kind": "dagligvaror",
            "lower": [0.0, 5.0, 10.0] * 2,
            "upper": [5.0, 10.0, np.inf] * 2,
            "unit": "min",
            "population": [90.0, 10.0, 0.0, 40.0, 20.0, 40.0],
        }
    )


def test_class_bars_stack_to_100_sorted_by_the_far_class(axes):
    ax = plots.class_bars(_classes(), ax=axes())
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Örebro", "Lekeberg"]
    widths = [round(float(p.get_width()), 6) for p in ax.patches]
    assert widths == [90, 40, 10, 20, 0, 40]
    lefts = [round(float(p.get_x()), 6) for p in ax.patches]
    assert lefts == [0, 0, 90, 40, 100, 60]
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["under 5 min", "5–10 min", "över 10 min"]
    assert ax.get_xlabel() == "Andel av befolkningen, %"


def test_class_bars_from_distance_classes_with_a_pipos_reference(axes):
    d = pd.DataFrame(
        {
            "municipality_code": ["1880", "1880", "1814"],
            "kind": "dagligvaror",
            "unit": "s",
            "population": [30.0, 10.0, 5.0],
            "distance": [120.0, 900.0, 2400.0],
        }
    )
    ours = access.distance_classes(d)
    pipos = ours.assign(population=[0.0, 0.0, 0.0, 5.0, 2.0, 1.0, 1.0, 0.0])
    ax = figures.class_bars(ours, reference=pipos, lang="en", ax=axes())
    assert len(ax.patches) == 16  # 2 municipalities x 4 classes, ours and Pipos
    ours_bars, pipos_bars = ax.patches[:8], ax.patches[8:]
    # Örebro (1880) is the lower bar: 75 % under 5 min, 25 % in 10–30 min; Pipos 50/25/25.
    assert [round(p.get_width()) for p in ours_bars[::2]] == [75, 0, 25, 0]
    assert [round(p.get_width()) for p in pipos_bars[::2]] == [50, 25, 25, 0]
    assert all(p.get_hatch() == "////" for p in pipos_bars)
    assert pipos_bars[0].get_height() < ours_bars[0].get_height()
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["under 5 min", "5–10 min", "10–30 min", "over 30 min", "Pipos (thin bar)"]


def test_class_bars_needs_one_kind(axes):
    two = pd.concat([_classes(), _classes().assign(kind="apotek")])
    with pytest.raises(ValueError, match="choose one with kind="):
        plots.class_bars(two, ax=axes())
    ax = plots.class_bars(two, kind="apotek", ax=axes())
    assert len(ax.patches) == 6


def test_savings_bars_label_hours(axes):
    s = pd.DataFrame(
        {
            "municipality_code": ["1880", "1814"],
            "km_saved": [1234.0, 300.0],
            "hours_saved": [24.7, 6.0],
        }
    )
    ax = plots.savings_bars(s, lang="en", ax=axes())
    assert [p.get_width() for p in ax.patches] == [300.0, 1234.0]
    assert [t.get_text().strip() for t in ax.texts] == ["6 h", "25 h"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Lekeberg", "Örebro"]
    assert ax.get_xlabel() == "Km saved per month"
    ax = plots.savings_bars(s.assign(km_saved=[12345.0, 1.0]), ax=axes())
    assert ax.texts[1].get_text().strip() == "25 tim"
    ax.figure.canvas.draw()
    assert "12\xa0000" in [t.get_text() for t in ax.get_xticklabels()]


# --------------------------------------------------------------------------- curves


def test_cumulative_curves_end_at_100_and_skip_unreachable(axes):
    d = pd.DataFrame(
        {
            "municipality_code": ["1880"] * 3 + ["1814"],
            "unit": "s",
            "population": [10.0, 10.0, 20.0, 50.0],
            "distance": [60.0, np.nan, 600.0, 300.0],
        }
    )
    ax = plots.cumulative_curves(d, ax=axes())
    lekeberg, orebro = ax.lines  # sorted by code: 1814, 1880
    assert orebro.get_xdata().tolist() == [0, 1, 10]
    assert orebro.get_ydata().tolist() == pytest.approx([0, 100 / 3, 100])
    assert lekeberg.get_ydata().tolist() == [0, 100]
    assert orebro.get_drawstyle() == "steps-post"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["Lekeberg", "Örebro"]
    assert ax.get_xlabel() == "Restid med bil, minuter"


def test_cumulative_curves_rise_only_in_steps_of_five_people_or_more(axes):
    # 10 people at 1 km, 2 at 2 km, 2 at 3 km, 30 at 4 km and 1 at 9 km: the two 2s are drawn
    # with the 30 at 4 km, the last 1 with them (nearer, not 34 people farther out); an area of
    # 3 people gets no line.
    d = pd.DataFrame(
        {
            "municipality_code": ["1880"] * 5 + ["1814"],
            "unit": "m",
            "population": [10.0, 2.0, 2.0, 30.0, 1.0, 3.0],
            "distance": [1000.0, 2000.0, 3000.0, 4000.0, 9000.0, 500.0],
        }
    )
    ax = plots.cumulative_curves(d, ax=axes())
    (line,) = ax.lines
    assert line.get_xdata().tolist() == [0, 1, 4]
    assert line.get_ydata().tolist() == pytest.approx([0, 100 * 10 / 45, 100])
    people = np.diff(np.asarray(line.get_ydata()) / 100 * 45)
    assert all(p == pytest.approx(0) or p >= 5 for p in people)


def test_cumulative_curves_from_nearest_for_one_kind(axes):
    distances = access.nearest(_cells(), _services())
    ax = plots.cumulative_curves(distances, kind="post", lang="en", ax=axes())
    line = ax.lines[0]
    expected = np.sort(distances[distances["kind"] == "post"]["distance"].to_numpy() / 1000)
    assert line.get_xdata()[1:].tolist() == pytest.approx(expected.tolist())
    assert line.get_ydata().tolist() == pytest.approx([0, 100 * 30 / 60, 100 * 50 / 60, 100])
    assert ax.get_xlabel() == "Distance, km"
