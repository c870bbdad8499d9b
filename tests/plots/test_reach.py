"""Digital-reach figures and report pieces carry the (published) numbers they are given."""

from __future__ import annotations

import geopandas as gpd
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from ehalsa_analys import access, plots
from ehalsa_analys.plots import reach as figures

NAN = float("nan")


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def _published(rows, group="all"):
    """rows: {code: [near, far_connected, far_unconnected, unknown]} -> published table."""
    out = []
    for code, values in rows.items():
        total = np.nansum(values) if not np.isnan(values).any() else 100.0
        for c, v in zip(access.REACH_CLASSES, values, strict=True):
            out.append((code, group, c, v, total))
    frame = pd.DataFrame(out, columns=["municipality_code", "group", "class", "people", "total"])
    return frame.assign(kind="vårdcentral", threshold=10.0, unit="min")


def test_map_draws_each_square_in_its_class_colour():
    cells = gpd.GeoDataFrame(
        {"cell_id": ["a", "b", "c", "d"]},
        geometry=gpd.points_from_xy(
            [515500, 516500, 515500, 518500], [6566500, 6566500, 6567500, 6567500]
        ),
        crs=3006,
    )
    reach = pd.DataFrame(
        {
            "cell_id": ["a", "b", "c", "d"],
            "threshold": 10.0,
            "unit": "min",
            "kind": "apotek",
            "reach": ["near", "far_connected", "far_unconnected", "unknown"],
        }
    )
    ax = plots.reach_map(reach, cells=cells, county_code="18", ax=plt.figure().add_subplot())
    image = ax.images[0].get_array()
    assert image.shape == (2, 4)
    assert image[0, 0] == 0 and image[0, 1] == 1 and image[1, 0] == 2 and image[1, 3] == 3
    assert image.mask[0, 2] and image.mask[1, 1]  # no square there
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == [
        "Nära (under 10 min)",
        "Långt bort, uppkopplad",
        "Långt bort, inte uppkopplad",
        "Långt bort, uppkoppling okänd",
    ]
    assert ax.get_title() == "Var e-tjänster kan ersätta resan: apotek"
    ax = plots.reach_map(
        reach, cells=cells, period="befolkning 2025, bredband 2024", ax=plt.figure().add_subplot()
    )
    assert ax.get_title() == (
        "Var e-tjänster kan ersätta resan: apotek, befolkning 2025, bredband 2024"
    )
    ax = plots.reach_map(reach, cells=cells, lang="en", ax=plt.figure().add_subplot())
    assert ax.get_title() == "Where e-services can replace the trip: pharmacy"
    # Squares given only the municipality's share are a second, lighter image.
    reach["broadband_source"] = ["", "cell", "municipality", ""]
    ax = plots.reach_map(reach, cells=cells, ax=plt.figure().add_subplot())
    own, estimated = ax.images
    assert estimated.get_alpha() < own.get_alpha() == 1.0
    assert estimated.get_array().count() == 1 and int(estimated.get_array().compressed()[0]) == 2
    assert len(ax.get_legend().get_texts()) == 5


def test_bars_sorted_by_unconnected_and_masked_classes_grey():
    published = _published(
        {"1880": [80, 10, 10, 0], "1814": [40, 20, 40, 0], "1860": [90, NAN, NAN, 0]}
    )
    ax = plots.reach_bars(published, ax=plt.figure().add_subplot())
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Laxå", "Örebro", "Lekeberg"]
    grey = [
        p
        for p in ax.patches
        if p.get_facecolor()[:3] == pytest.approx((0.851, 0.851, 0.851), abs=0.01)
    ]
    assert [round(p.get_width(), 6) for p in grey] == [10.0, 0.0, 0.0]
    widths = [round(p.get_width(), 6) for p in ax.patches[:3]]
    assert widths == [90.0, 80.0, 40.0]  # near, in bar order
    assert ax.get_xlabel() == "Andel av befolkningen, %"
    ax = plots.reach_bars(published, period="befolkning 2025", ax=plt.figure().add_subplot())
    assert ax.get_title() == "Befolkning per klass, vårdcentral, befolkning 2025"


def test_bars_of_70plus_and_english():
    published = _published({"1880": [8, 1, 1, 0]}, group="70+")
    ax = plots.reach_bars(published, group="70+", lang="en", ax=plt.figure().add_subplot())
    assert ax.get_xlabel() == "Share of residents aged 70 and over, %"
    with pytest.raises(ValueError, match="group"):
        plots.reach_bars(published, group="all")


def test_sites_curve_hides_small_steps():
    curve = pd.DataFrame({"k": [1, 2, 3, 4], "covered": [1000.0, 1003.0, 1050.0, 1051.0]})
    ax = plots.sites_curve(curve, base=900, threshold=30, ax=plt.figure().add_subplot())
    xy = ax.lines[0].get_xydata().tolist()
    assert xy == [[0, 900], [1, 1000], [3, 1051]]
    assert "30 min" in ax.get_title()
    dated = plots.sites_curve(
        curve, base=900, threshold=30, period="befolkning 2025", ax=plt.figure().add_subplot()
    )
    assert dated.get_title().endswith(", befolkning 2025")  # the figure names its period


def test_table_and_findings():
    published = pd.concat(
        [
            _published(
                {"1880": [900, 60, 40, 0], "1814": [100, 50, 120, 0], "1860": [50, 5, NAN, NAN]}
            ),
            _published(
                {"1880": [300, 20, 30, 0], "1814": [40, 20, 60, 0], "1860": [20, 5, NAN, NAN]},
                group="70+",
            ),
        ],
        ignore_index=True,
    )
    table = plots.reach_table(published)
    assert list(table.iloc[:, 0]) == ["Lekeberg", "Laxå", "Örebro"]
    assert table.shape == (3, 9)
    assert table.iloc[1, 3] == "x" and table.iloc[2, 1] == "900"
    findings = plots.reach_findings(published, county_code="18", n=2)
    assert findings.top["municipality"].tolist() == ["Lekeberg", "Örebro"]
    assert findings.top["people"].tolist() == [120.0, 40.0]
    assert findings.text.startswith("I Örebro län bor 160 invånare minst 10 min")
    english = plots.reach_findings(published, county_code="18", lang="en", speed_mbit=1000)
    assert english.text == (
        "In Örebro län, 160 residents live 10 min or more from the nearest health centre "
        "without access to broadband of at least 1 Gbit/s, most of them in Lekeberg and Örebro."
    )
    assert {"far_unconnected", "far_unconnected_70plus"} <= set(findings.table.columns)


def test_findings_without_publishable_unconnected():
    published = _published({"1880": [900, 60, 0, 0]})
    text = plots.reach_findings(published, county_code="18").text
    assert text.startswith("I Örebro län finns inga redovisningsbara invånare")


def test_from_digital_reach_to_figures_end_to_end():
    d = pd.DataFrame(
        {
            "cell_id": [f"c{i}" for i in range(6)],
            "municipality_code": "1880",
            "population": [50.0, 40, 30, 20, 10, 8],
            "kind": "apotek",
            "unit": "s",
            "distance": [60.0, 700, 900, 2000, 4000, np.nan],
        }
    )
    reach = access.digital_reach(d, thresholds_min=[10])
    published = access.publishable_reach(access.reach_counts(reach))
    ax = figures.reach_bars(published, ax=plt.figure().add_subplot())
    assert sum(p.get_width() for p in ax.patches) == pytest.approx(100.0)
