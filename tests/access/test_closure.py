"""access.closure_impact: a closure solved by hand, the last service of a kind, errors."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest

from ehalsa_analys import access
from ehalsa_analys.demo.access import national
from ehalsa_analys.errors import SchemaError


@pytest.fixture
def line():
    cells = gpd.GeoDataFrame(
        {"cell_id": ["c0", "c8", "c15", "c30"], "population": [10.0, 20.0, 30.0, 40.0],
         "population_70plus": [1.0, 2.0, 3.0, 4.0],
         "municipality_code": ["1880", "1880", "1814", "1814"]},
        geometry=gpd.points_from_xy([500_000, 508_000, 515_000, 530_000], [6_600_000] * 4),
        crs=3006,
    )
    services = gpd.GeoDataFrame(
        {"service_id": ["A", "B", "C"], "kind": ["apotek", "apotek", "vårdcentral"]},
        geometry=gpd.points_from_xy([500_000, 515_000, 530_000], [6_600_000] * 3), crs=3006,
    )
    return cells, services


def test_closure_solved_by_hand(line):
    cells, services = line
    # Before: 0, 7, 0, 15 km to A or B; after B closes: 0, 8, 15, 30 km to A.
    out = access.closure_impact(cells, services, closed="B", thresholds_km=[10, 20], by=None)
    row = out[out["group"] == "all"].iloc[0]
    assert (row["beyond_before_10km"], row["beyond_after_10km"], row["change_10km"]) == (
        40.0, 70.0, 30.0)
    assert (row["beyond_before_20km"], row["beyond_after_20km"], row["change_20km"]) == (
        0.0, 40.0, 40.0)
    assert row["added_km"] == pytest.approx(2 * (20 * 1 + 30 * 15 + 40 * 15))  # 2 140
    assert row["saved_km"] == pytest.approx(0.1 * 2 * (20 * 8 + 30 * 15 + 40 * 30))  # 362
    assert row["net_km"] == pytest.approx(2140 - 362)
    assert row["offset_share_km"] == pytest.approx(2140 / (2 * 1810))  # 59 % of their trips
    old = out[out["group"] == "70+"].iloc[0]
    assert (old["change_10km"], old["change_20km"], old["lost_route"]) == (3.0, 4.0, 0.0)
    assert out.attrs["kinds"] == ["apotek"]


def test_closure_per_municipality(line):
    cells, services = line
    out = access.closure_impact(cells, services, closed=["B"], thresholds_km=[10])
    got = out[out["group"] == "all"].set_index("municipality_code")["change_10km"]
    assert got.to_dict() == {"1814": 30.0, "1880": 0.0}


def test_last_service_of_a_kind(line):
    cells, services = line
    out = access.closure_impact(cells, services, closed="C", thresholds_km=[5], by=None,
                                digital_share=0.5, trips_per_person=3, round_trip=False)
    row = out[out["group"] == "all"].iloc[0]
    assert row["beyond_after_5km"] == 100.0 and row["lost_route"] == 100.0
    assert row["added_km"] == 0.0 and row["saved_km"] == 0.0  # no route, no travel to count


def test_before_table_is_reused_with_the_same_result(line):
    cells, services = line
    before = access.nearest(cells, services)
    a = access.closure_impact(cells, services, closed="B", before=before, thresholds_km=[10])
    b = access.closure_impact(cells, services, closed="B", thresholds_km=[10])
    assert a.equals(b)


def test_network_times_give_minutes_and_km():
    cells, services, graph = national(cells=400, services=30, side=40)
    cells = cells.assign(municipality_code="1880")
    apotek = services[services["kind"] == "apotek"]
    closed = apotek["service_id"].iloc[0]
    out = access.closure_impact(cells, services, closed=closed, method="network",
                                network=graph, weight="time", thresholds_min=[10, 30])
    assert {"added_min", "added_km", "saved_min", "saved_km", "change_10min"} <= set(out)
    before = access.nearest(cells, apotek, method="network", network=graph, weight="time")
    after = access.nearest(cells, apotek[apotek["service_id"] != closed], method="network",
                           network=graph, weight="time")
    people = cells["population"].to_numpy()
    expected = people @ ~(after["distance"].to_numpy() / 60 < 10) - people @ ~(
        before["distance"].to_numpy() / 60 < 10)
    assert out.loc[out["group"] == "all", "change_10min"].item() == pytest.approx(expected)
    assert (out["change_10min"] >= 0).all()  # closing never brings anyone nearer


def test_errors(line):
    cells, services = line
    with pytest.raises(SchemaError, match="'X'"):
        access.closure_impact(cells, services, closed="X")
    with pytest.raises(ValueError, match="digital_share"):
        access.closure_impact(cells, services, closed="B", digital_share=2)
    assert np.isfinite(access.closure_impact(cells, services, closed="B")["net_km"]).all()


def test_publishable_closure_masks_small_changes_and_under_70(line):
    cells, services = line
    out = access.closure_impact(cells, services, closed="B", thresholds_km=[10, 20], by=None)
    published = access.publishable_closure(out)
    everyone = published[published["group"] == "all"].iloc[0]
    assert everyone["change_10km"] == 30.0 and everyone["beyond_after_20km"] == 40.0
    old = published[published["group"] == "70+"].iloc[0]
    # 70+ population is 10 (not small) but every change is 3 or 4 people: masked
    assert np.isnan(old["change_10km"]) and np.isnan(old["beyond_after_20km"])
    assert "change_10km" in old["suppressed"]
    small = out.assign(population=[3.0, 1.0])
    assert access.publishable_closure(small)[["population", "added_km"]].isna().all().all()
