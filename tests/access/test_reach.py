"""Digital reach: four classes per square, counts per municipality, suppression."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ehalsa_analys import access
from ehalsa_analys.errors import SchemaError

NAN = float("nan")


def _distances(minutes, population, old=None, codes=None, kind="vårdcentral"):
    n = len(minutes)
    out = pd.DataFrame({
        "cell_id": [f"c{i}" for i in range(n)],
        "municipality_code": codes or ["1880"] * n,
        "population": np.asarray(population, float),
        "kind": kind,
        "distance": np.asarray(minutes, float) * 60.0,
        "unit": "s",
    })
    if old is not None:
        out["population_70plus"] = np.asarray(old, float)
    return out


MUNI = pd.DataFrame({"municipality_code": ["1880", "1814", "1880"], "year": [2024, 2024, 2023],
                     "subject": "households", "speed_mbit": 100, "share": [0.8, 0.5, 0.1]})


def test_hand_solved_classes_with_own_and_municipal_shares():
    # c0 near (3 min); c1 far (12 min), own share 1 (yes); c2 far (40 min), municipal 0.8;
    # c3 no road (NaN), municipality 1814 at 0.5; c4 far, municipality 1860 unknown.
    d = _distances([3, 12, 40, NAN, 15], [10, 20, 30, 40, 6], old=[1, 5, 10, 20, 6],
                   codes=["1880", "1880", "1880", "1814", "1860"])
    own = pd.DataFrame({"cell_id": ["c1"], "speed_mbit": 100, "share": [1.0], "year": [2024]})
    r = access.digital_reach(d, broadband=MUNI, cell_broadband=own, thresholds_min=[10, 30])
    ten = r[r["threshold"] == 10].set_index("cell_id")
    assert ten["reach"].tolist() == ["near", "far_connected", "far_connected", "far_connected",
                                     "unknown"]
    assert ten["near"].tolist() == [10, 0, 0, 0, 0]
    assert ten["far_connected"].tolist() == [0, 20, 24, 20, 0]
    assert ten["far_unconnected"].tolist() == pytest.approx([0, 0, 6, 20, 0])
    assert ten["unknown"].tolist() == [0, 0, 0, 0, 6]
    assert ten["broadband_source"].tolist() == ["municipality", "cell", "municipality",
                                                "municipality", ""]
    thirty = r[r["threshold"] == 30].set_index("cell_id")
    assert thirty["near"].tolist() == [10, 20, 0, 0, 6]  # 12 and 15 min are under 30
    assert thirty["far_unconnected_70plus"].tolist() == pytest.approx([0, 0, 2, 10, 0])
    # every square's people are in exactly one class (in expectation)
    classes = ["near", "far_connected", "far_unconnected", "unknown"]
    np.testing.assert_allclose(r[classes].sum(axis=1), np.tile(d["population"], 2))


def test_the_year_of_the_broadband_table_can_be_chosen():
    d = _distances([40], [10])
    latest = access.digital_reach(d, broadband=MUNI, thresholds_min=[10])
    older = access.digital_reach(d, broadband=MUNI, thresholds_min=[10], year=2023)
    assert latest["far_connected"].item() == 8.0 and older["far_connected"].item() == 1.0
    with pytest.raises(ValueError, match="no year 2019"):
        access.digital_reach(d, broadband=MUNI, year=2019)


def test_threshold_is_inclusive_and_distances_use_km():
    d = _distances([10, 9.99], [1, 1])
    r = access.digital_reach(d, thresholds_min=[10])
    assert r["reach"].tolist() == ["unknown", "near"]
    km = d.assign(unit="m", distance=[10_000.0, 9_000.0])
    r = access.digital_reach(km, thresholds_km=[10])
    assert r["unit"].tolist() == ["km", "km"] and r["reach"].tolist() == ["unknown", "near"]


def test_counts_per_municipality_add_up():
    d = _distances([3, 12, 40, 50], [10, 20, 30, 40], old=[1, 5, 10, 20],
                   codes=["1880", "1880", "1814", "1814"])
    counts = access.reach_counts(access.digital_reach(d, broadband=MUNI, thresholds_min=[10]))
    assert list(counts.columns) == ["municipality_code", "kind", "threshold", "unit", "group",
                                    "class", "people", "share"]
    assert not any(isinstance(t, pd.CategoricalDtype) for t in counts.dtypes)  # for tables
    got = counts.set_index(["municipality_code", "group", "class"])["people"]
    assert got[("1814", "all", "far_connected")] == 35.0
    assert got[("1814", "all", "far_unconnected")] == 35.0
    assert got[("1880", "70+", "near")] == 1.0 and got[("1880", "70+", "far_connected")] == 4.0
    totals = counts.groupby(["municipality_code", "group"])["people"].sum()
    assert totals.to_dict() == {("1814", "all"): 70.0, ("1814", "70+"): 30.0,
                                ("1880", "all"): 30.0, ("1880", "70+"): 6.0}


def test_errors_name_what_is_wrong():
    d = pd.concat([_distances([1], [1]), _distances([1], [1], kind="apotek")])
    with pytest.raises(SchemaError, match="kinds"):
        access.digital_reach(d)
    assert len(access.digital_reach(d, kind="apotek", thresholds_min=[5])) == 1
    with pytest.raises(SchemaError, match="1000 Mbit/s"):
        access.digital_reach(_distances([1], [1]), broadband=MUNI, speed_mbit=1000)
    bad = pd.DataFrame({"cell_id": ["c0"], "speed_mbit": 100, "share": [1.5]})
    with pytest.raises(SchemaError, match="outside 0–1"):
        access.digital_reach(_distances([20], [1]), cell_broadband=bad)
    with pytest.raises(ValueError, match="positive"):
        access.digital_reach(_distances([20], [1]), thresholds_min=[0])


def _counts(values, old=None):
    rows = []
    for code, people in values.items():
        for c, v in zip(access.REACH_CLASSES, people, strict=True):
            rows.append(("1880" if code == 0 else f"18{code:02d}", "all", c, float(v)))
        if old is not None:
            for c, v in zip(access.REACH_CLASSES, old[code], strict=True):
                rows.append(("1880" if code == 0 else f"18{code:02d}", "70+", c, float(v)))
    frame = pd.DataFrame(rows, columns=["municipality_code", "group", "class", "people"])
    return frame.assign(kind="apotek", threshold=10.0, unit="min")


def test_publishable__small_and_what_gives_them_back():
    counts = _counts({0: [100, 30, 3, 0], 1: [50, 20, 10, 0]})
    out = access.publishable_reach(counts).set_index(["municipality_code", "class"])
    assert np.isnan(out.loc[("1880", "far_unconnected"), "people"])
    masked = out["people"].isna()
    assert masked.sum() >= 2  # never a lone masked class beside a published total
    assert out.loc[("1880", "unknown"), "people"] == 0  # a zero protects nothing, stays


def test_publishable__under_70_difference_is_masked():
    # 12 far and unconnected, 9 of them 70+: 3 people under 70 would be given away.
    counts = _counts({0: [100, 40, 12, 0]}, old={0: [30, 20, 9, 0]})
    out = access.publishable_reach(counts)
    both = out.pivot_table(index="class", columns="group", values="people", dropna=False)
    diff = both["all"] - both["70+"]
    assert not ((diff >= 1) & (diff < 5)).any()


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.integers(0, 40), min_size=4, max_size=4), min_size=1, max_size=4))
def test_property__nothing_published_or_derived_is_small(table):
    counts = _counts(dict(enumerate(table)))
    out = access.publishable_reach(counts)
    people = out["people"]
    assert not ((people >= 1) & (people < 5)).any()
    for _, group in out.groupby("municipality_code"):
        hidden = group["people"].isna()
        total = counts.loc[group.index, "people"]
        if 1 <= total.sum() < 5:
            assert hidden.all()
        elif hidden.sum():
            assert hidden.sum() >= 2 or total[hidden].sum() == 0
            assert not (1 <= total[hidden].sum() < 5)


def test_broadband_per_cell__by_id_then_by_position():
    import geopandas as gpd

    cells = gpd.GeoDataFrame({"cell_id": ["a", "b", "c"]},
                             geometry=gpd.points_from_xy([500125, 500375, 500125],
                                                         [6500125, 6500125, 6500375]), crs=3006)
    points = gpd.GeoDataFrame(
        {"cell_id": ["c", "x", "y", "z"], "speed_mbit": 100, "share": [1.0, 1.0, 0.0, 1.0]},
        # "c" lies elsewhere but its id decides; x and y are buildings in "b"; z outside all.
        geometry=gpd.points_from_xy([900000, 500300, 500450, 700000],
                                    [6900000, 6500010, 6500200, 6700000]), crs=3006)
    out = access.broadband_per_cell(points, cells)
    assert out[["cell_id", "share", "points"]].values.tolist() == [["b", 0.5, 2], ["c", 1.0, 1]]
    assert access.broadband_per_cell(None, cells) is None
    d = _distances([20, 20, 20], [10, 10, 10]).assign(cell_id=["a", "b", "c"])
    r = access.digital_reach(d, cell_broadband=out, thresholds_min=[10])
    assert r["far_connected"].tolist() == [0, 5, 10] and r["unknown"].tolist() == [10, 0, 0]
