"""Small-count suppression of the distance tables: hand-checked cases and properties.

The properties are what an attacker with both published tables could do:
subtract neighbouring published counts of one area (a class), subtract the
published parts of a total (urban + rural = all; the areas of the county),
and divide a count by its share. Nothing so derived may be 1–4 people.
"""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ehalsa_analys import access
from ehalsa_analys.disclosure import suppress

LIMIT = 5


def _small(x) -> bool:
    return 1 <= round(float(x), 6) < LIMIT


def _row(code, group="all", population=1000.0, unreachable=0.0, **beyond):
    return {
        "municipality_code": code,
        "kind": "apotek",
        "group": group,
        "population": population,
        "unreachable": unreachable,
        **beyond,
    }


def test_a_small_step_between_two_published_counts_is_masked():
    # 50 beyond 10 km and 47 beyond 20 km: 3 people live between 10 and 20 km.
    s = pd.DataFrame(
        [
            _row(
                "1880",
                beyond_10km=50.0,
                beyond_20km=47.0,
                share_beyond_10km=0.05,
                share_beyond_20km=0.047,
            )
        ]
    )
    out = access.publishable_summary(s)
    assert np.isnan(out.loc[0, "beyond_10km"]) and np.isnan(out.loc[0, "share_beyond_10km"])
    assert out.loc[0, "beyond_20km"] == 47.0 and out.loc[0, "share_beyond_20km"] == 0.047
    assert out.loc[0, "suppressed"] == "beyond_10km"


def test_a_small_far_count_is_masked_and_the_near_one_kept():
    s = pd.DataFrame([_row("1880", beyond_10km=50.0, beyond_20km=2.0)])
    out = access.publishable_summary(s)
    assert out.loc[0, "beyond_10km"] == 50.0 and np.isnan(out.loc[0, "beyond_20km"])


def test_few_people_within_the_first_threshold_mask_it_from_the_near_end():
    # 1000 people, 997 beyond 2 km: the 3 within 2 km would be population − beyond_2km.
    s = pd.DataFrame([_row("1880", beyond_2km=997.0, beyond_5km=600.0)])
    out = access.publishable_summary(s)
    assert np.isnan(out.loc[0, "beyond_2km"]) and out.loc[0, "beyond_5km"] == 600.0


def test_a_small_area_is_masked_whole_statistics_included():
    s = pd.DataFrame([_row("1880", population=3.0, beyond_5km=0.0, mean_km=4.2, median_km=4.0)])
    out = access.publishable_summary(s)
    assert (
        out.loc[0, ["population", "unreachable", "beyond_5km", "mean_km", "median_km"]].isna().all()
    )


def test_a_small_unreachable_count_masks_every_share_of_its_row():
    # share = count / (population − unreachable): with the count it gives unreachable back.
    s = pd.DataFrame([_row("1880", unreachable=2.0, beyond_5km=100.0, share_beyond_5km=0.1002)])
    out = access.publishable_summary(s)
    assert np.isnan(out.loc[0, "unreachable"]) and np.isnan(out.loc[0, "share_beyond_5km"])
    assert out.loc[0, "beyond_5km"] == 100.0 and out.loc[0, "population"] == 1000.0


def test_urban_and_rural_rows_cannot_be_subtracted_from_all():
    s = pd.DataFrame(
        [
            _row("1880", "all", 1000.0, beyond_5km=40.0),
            _row("1880", "urban", 700.0, beyond_5km=3.0),
            _row("1880", "rural", 300.0, beyond_5km=37.0),
        ]
    )
    out = access.publishable_summary(s)
    # urban's 3 is masked; rural's 37 with all's 40 would give it back: rural goes too.
    assert out["beyond_5km"].isna().tolist() == [False, True, True]


def test_the_county_total_cannot_give_one_area_back():
    s = pd.DataFrame(
        [_row(c, beyond_5km=v) for c, v in [("1880", 3.0), ("1881", 90.0), ("1882", 30.0)]]
    )
    out = access.publishable_summary(s)
    assert out["beyond_5km"].isna().tolist() == [True, False, True]


def test_zero_is_published_and_never_chosen_to_protect():
    s = pd.DataFrame(
        [_row(c, beyond_5km=v) for c, v in [("1880", 3.0), ("1881", 0.0), ("1882", 30.0)]]
    )
    out = access.publishable_summary(s)
    assert out["beyond_5km"].tolist()[1] == 0.0
    assert out["beyond_5km"].isna().tolist() == [True, False, True]


def test_classes_mask_both_classes_around_a_masked_edge():
    c = pd.DataFrame(
        {
            "municipality_code": "1880",
            "kind": "dagligvaror",
            "unit": "min",
            "lower": [0.0, 5.0, 10.0, 30.0],
            "upper": [5.0, 10.0, 30.0, np.inf],
            "population": [800.0, 150.0, 46.0, 4.0],
            "share": [0.8, 0.15, 0.046, 0.004],
        }
    )
    out = access.publishable_classes(c)
    # 4 beyond 30 min is small: the edge at 30 goes, so 10–30 and 30+ are known only together (50)
    assert out["population"].tolist()[:2] == [800.0, 150.0]
    assert out["population"].isna().tolist() == [False, False, True, True]
    assert out["share"].isna().tolist() == [False, False, True, True]
    assert out["status"].tolist() == ["", "", "suppressed", "suppressed"]


def test_classes_follow_the_published_summary():
    c = pd.DataFrame(
        {
            "municipality_code": "1880",
            "kind": "apotek",
            "unit": "km",
            "lower": [0.0, 10.0, 20.0],
            "upper": [10.0, 20.0, np.inf],
            "population": [500.0, 100.0, 400.0],
        }
    )
    s = pd.DataFrame([_row("1880", beyond_10km=500.0, beyond_20km=400.0)]).assign(
        suppressed="beyond_20km"  # masked there for the county's sake
    )
    out = access.publishable_classes(c, summary=s)
    assert out["population"].isna().tolist() == [False, True, True]


def test_unknown_columns_are_named():
    with pytest.raises(Exception, match="group"):
        access.publishable_summary(pd.DataFrame({"municipality_code": ["1880"], "kind": "a"}))


# --------------------------------------------------------------------------- properties

_counts = st.integers(min_value=0, max_value=12)


@st.composite
def _distances(draw):
    """A nearest-style table: a few areas, cells with small populations and random distances."""
    areas = draw(st.integers(min_value=1, max_value=4))
    rows = []
    for a in range(areas):
        for _ in range(draw(st.integers(min_value=1, max_value=6))):
            rows.append(
                {
                    "municipality_code": f"18{80 + a}",
                    "kind": "apotek",
                    "unit": "m",
                    "population": float(draw(_counts)),
                    "distance": float(draw(st.sampled_from([500, 3000, 7000, 15000, 40000]))),
                    "urban": draw(st.booleans()),
                }
            )
    return pd.DataFrame(rows)


def _chain_values(row, thresholds):
    """Published points of an area's cumulative chain: 0, beyond_t…, people with a route."""
    points = [0.0]
    for t in thresholds[::-1]:
        v = row[f"beyond_{t}km"]
        if not np.isnan(v):
            points.append(v)
    if not (np.isnan(row["population"]) or np.isnan(row["unreachable"])):
        points.append(row["population"] - row["unreachable"])
    return points


@settings(max_examples=80, deadline=None)
@given(_distances())
def test_no_small_count_can_be_derived_from_both_tables(distances):
    thresholds = (2, 5, 10, 20)
    summary = access.summarise(distances, thresholds_km=thresholds, thresholds_min=())
    published = access.publishable_summary(summary)
    classes = access.distance_classes(distances, thresholds_km=thresholds)
    shown = access.publishable_classes(classes, summary=published)
    # 1. Within a row: every step between published neighbours of the chain.
    for _, row in published.iterrows():
        points = sorted(_chain_values(row, thresholds))
        assert not any(_small(b - a) for a, b in zip(points, points[1:], strict=False)), row
    # 2. Both tables of one area together: the classes' published edges join the chain.
    for (code, _kind), rows in shown.groupby(["municipality_code", "kind"]):
        row = published[(published["municipality_code"] == code) & (published["group"] == "all")]
        points = set(_chain_values(row.iloc[0], thresholds))
        pops = rows.sort_values("lower")["population"].to_numpy()
        known = np.r_[~np.isnan(pops)]
        if known.all():
            tail = np.cumsum(pops[::-1])[::-1]
            points |= set(tail.tolist())
        else:
            # the classes after the last masked one add up from the far end
            last = np.flatnonzero(~known).max()
            points |= set(np.cumsum(pops[::-1])[: len(pops) - last - 1].tolist())
        points = sorted(points)
        assert not any(_small(b - a) for a, b in zip(points, points[1:], strict=False))
        assert not any(_small(p) for p in pops if not np.isnan(p))
    # 3. Published totals: masked cells of a group are never one alone or a small sum.
    for column in [c for c in published if c.startswith("beyond_")] + ["population"]:
        for _, group in published.groupby(["kind", "group"]):
            raw = summary.loc[group.index, column]
            hidden = raw[group[column].isna()]
            rest = group[column].dropna()
            # (nothing left to mask when the rest is zero: then the total itself is small,
            # and whoever publishes it must hide it — captions.far_from_service does)
            assert (
                hidden.empty
                or (len(hidden) > 1 and not _small(hidden.sum()))
                or hidden.sum() == 0
                or (rest == 0).all()
            )
    # 4. A share is published only with its count.
    for t in thresholds:
        count, share = published[f"beyond_{t}km"], published[f"share_beyond_{t}km"]
        assert not (count.isna() & share.notna()).any()


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=30), min_size=1, max_size=8))
def test_disclosure_masks_never_leave_a_small_sum_behind_a_total(values):
    t = pd.DataFrame({"n": [float(v) for v in values]})
    out = suppress(t, counts=["n"], groups=[[]])
    hidden = t["n"][out["n"].isna()]
    assert (
        hidden.empty
        or len(hidden) > 1
        and not _small(hidden.sum())
        or (
            # nothing left to mask: everything else is zero
            (t["n"][out["n"].notna()] == 0).all()
        )
    )
