"""Digital reach in the report (issue 17): the distance chapter's table, the profiles, a finding.

Hand-made published counts (the output format of :func:`ehalsa_analys.access.publishable_reach`),
so every cell can be checked by hand; one test runs :func:`collect` on the synthetic demo.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ehalsa_analys import demo
from ehalsa_analys.access import REACH_CLASSES
from ehalsa_analys.report import findings, profiles, tables
from ehalsa_analys.report.collect import AccessResults, Collected, collect

NAMES = {"1814": "Lekeberg", "1860": "Laxå", "1880": "Örebro"}

#: People per class (near, far and connected, far and not connected, unknown) at 10 min.
PEOPLE = {
    ("1814", "all"): [900, 60, 40, 0],
    ("1814", "70+"): [150, 20, 12, 0],
    ("1880", "all"): [9000, 300, 25, 0],
    ("1880", "70+"): [1500, 40, 8, 0],
}


def _published(hide: tuple[str, str, str] | None = None) -> pd.DataFrame:
    rows = []
    for (code, group), people in PEOPLE.items():
        total = float(sum(people))
        for threshold in (5.0, 10.0):
            for klass, n in zip(REACH_CLASSES, people, strict=True):
                n = float(n) if threshold == 10.0 else float(n) + 1000  # 5 min: other numbers
                hidden = hide == (code, group, klass) and threshold == 10.0
                rows.append(
                    {
                        "municipality_code": code,
                        "kind": "vårdcentral",
                        "threshold": threshold,
                        "unit": "min",
                        "group": group,
                        "class": klass,
                        "people": np.nan if hidden else n,
                        "share": np.nan if hidden else n / total,
                        "status": "suppressed" if hidden else "",
                        "total": total,
                        "suppression": "primary" if hidden else "",
                    }
                )
    return pd.DataFrame(rows)


def _collected(published: pd.DataFrame | None) -> Collected:
    access = AccessResults(
        kinds=["vårdcentral"],
        map_kind="vårdcentral",
        by_time=True,
        summary=pd.DataFrame(),
        classes=pd.DataFrame(
            columns=["municipality_code", "kind", "group", "lower", "population", "share", "status"]
        ),
        reach=published,
        reach_kind=None if published is None else "vårdcentral",
    )
    return Collected("18", "Örebro län", NAMES, access=access)


def test_reach_county_table__people_per_class_and_the_county_summed_by_hand():
    t = tables.reach_county_table(_collected(_published()))
    frame = t.frame()
    assert frame.columns.tolist()[1:5] == [
        "Nära (under 10 min)",
        "Långt bort, uppkopplad",
        "Långt bort, inte uppkopplad",
        "Långt bort, uppkoppling okänd",
    ]
    assert frame.iloc[0].tolist() == ["Lekeberg", "900", "60", "40", "0", "1\xa0000"]
    assert frame.iloc[1].tolist() == ["Örebro", "9\xa0000", "300", "25", "0", "9\xa0325"]
    # the county: 900 + 9 000, 60 + 300, 40 + 25, 0; n 10 325
    assert frame.iloc[2].tolist() == ["Länet", "9\xa0900", "360", "65", "0", "10\xa0325"]
    assert [r.kind for r in t.rows] == ["municipality", "municipality", "county"]
    assert "minst 10 min" in t.caption and "vårdcentral" in t.caption


def test_reach_county_table__a_hidden_class_is_x_and_the_county_row_gives_nothing_back():
    t = tables.reach_county_table(_collected(_published(hide=("1880", "all", "unknown"))))
    frame = t.frame()
    assert frame.iloc[1, 4] == "x" and t.rows[1].cells[3].marker == "suppressed"
    # the county's unknown minus Lekeberg's would give Örebro's hidden count back
    assert frame.iloc[2, 1:].tolist() == ["x"] * 5


def test_reach_profile_table__all_and_70plus_rows_in_english():
    t = tables.reach_profile_table(_collected(_published()), "1814", lang="en")
    frame = t.frame()
    assert frame.iloc[:, 0].tolist() == ["All", "Aged 70+"]
    assert frame.iloc[1, 1:].tolist() == ["150", "20", "12", "0", "182"]
    assert t.caption.startswith("Lekeberg:") and "10 min or more" in t.caption
    assert tables.reach_profile_table(_collected(_published()), "1860") is None  # no data


def test_profile__the_access_section_holds_the_reach_table_and_the_chapter_lists_it():
    c = _collected(_published())
    sections = profiles.profile(c, "1880").sections
    assert [t.key for s in sections for t in s["tables"]] == ["bredband_profil"]
    assert [t.key for t in tables.chapter_tables(c, "access")] == ["bredband_tabell"]


def test_without_broadband_data_nothing_is_added():
    c = _collected(None)
    assert tables.reach_county_table(c) is None
    assert tables.reach_profile_table(c, "1814") is None
    assert all(f.figure != "bredband_karta" for f in findings.findings(c))


def test_finding__names_the_municipalities_most_far_away_and_unconnected():
    c = _collected(_published())
    found = [f for f in findings.findings(c) if f.figure == "bredband_karta"]
    assert [f.text for f in found] == [
        "I Örebro län bor 65 invånare minst 10 min från närmaste vårdcentral utan tillgång "
        "till bredband om minst 100 Mbit/s, flest i Lekeberg och Örebro."
    ]
    # a hidden count is neither summed nor named
    hidden = _collected(_published(hide=("1814", "all", "far_unconnected")))
    text = [f.text for f in findings.findings(hidden) if f.figure == "bredband_karta"][0]
    assert "bor 25 invånare" in text and "Lekeberg" not in text
    # a finding whose figure is not in the report is left out
    assert all(f.figure != "bredband_karta" for f in findings.findings(c, figures={"x"}))


@pytest.fixture(scope="module")
def demo_collected(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo")
    demo.write_demo(folder, parts=["avstand", "bredband"])
    return collect(folder, county_code="18", parts={"access"})


def test_collect__the_demo_gives_published_reach_for_every_municipality(demo_collected):
    reach = demo_collected.access.reach
    assert demo_collected.access.reach_kind == "vårdcentral"
    assert set(reach["municipality_code"]) == set(demo_collected.codes)
    assert set(reach["class"]) == set(REACH_CLASSES) and set(reach["group"]) == {"all", "70+"}
    people = reach["people"].dropna()
    assert ((people == 0) | (people >= 5)).all()  # no small count is published
    assert (people == people.round()).all()
    t = tables.reach_county_table(demo_collected)
    assert len(t.rows) == len(demo_collected.codes) + 1


def test_collect__no_broadband_folder_no_reach(tmp_path):
    demo.write_demo(tmp_path, parts=["avstand"])
    c = collect(tmp_path, county_code="18", parts={"access"})
    assert c.access is not None and c.access.reach is None


def test_collect__broadband_points_by_coordinates_count_for_their_square(tmp_path):
    """The report placed no point given by x/y in its square (notebook 03 did): every square
    fell back to its municipality's share. Here every square has a point saying it is
    connected, so no one far away is unconnected or of unknown connection."""
    from ehalsa_analys import load

    demo.write_demo(tmp_path, parts=["avstand", "bredband"])
    cells = load.population(next((tmp_path / "avstand").glob("befolkning_*")))
    rutor = tmp_path / "bredband" / "rutor"
    for old in rutor.iterdir():
        old.unlink()
    lines = ["x;y;100 Mbit/s;1 Gbit/s"] + [
        f"{p.x + 10:.0f};{p.y - 10:.0f};ja;ja" for p in cells.geometry  # inside, off centre
    ]
    (rutor / "byggnader.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    reach = collect(tmp_path, county_code="18", parts={"access"}).access.reach
    far_off = reach[reach["class"].isin(["far_unconnected", "unknown"])]["people"]
    assert (far_off.fillna(0) == 0).all()
    assert reach.loc[reach["class"] == "far_connected", "people"].sum() > 0
