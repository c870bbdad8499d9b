"""The report's own content: tables, findings, front page, profiles, images, PDFs, exports.

Small hand-made results (:class:`Collected` built directly), so every expected number can be
worked out by hand.
"""

from __future__ import annotations

import io
import re

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook
from PIL import Image

from ehalsa_analys import store
from ehalsa_analys.errors import InputFileError
from ehalsa_analys.report import findings, frontpage, images, pdf, profiles, render, tables
from ehalsa_analys.report.collect import (
    AccessResults,
    Collected,
    LikaResults,
    MonitoringResults,
    SurveyResults,
)

NAMES = {"1814": "Lekeberg", "1860": "Laxå", "1880": "Örebro"}
DIMS = ["Ledning", "Infrastruktur", "Kompetens", "Användning"]
#: Scores 0–1: Örebro best everywhere, Laxå worst in Kompetens; Kompetens weakest in all three.
SCORES = {
    "1814": [0.60, 0.50, 0.30, 0.40],
    "1860": [0.40, 0.45, 0.10, 0.35],
    "1880": [0.90, 0.80, 0.50, 0.70],
}


def _lika() -> LikaResults:
    rows = [
        {"municipality_code": code, "dimension": dim, "score": s, "n_scored": 12}
        for code, values in SCORES.items()
        for dim, s in zip(DIMS, values, strict=True)
    ]
    scores = pd.DataFrame(rows)
    index = scores.groupby("municipality_code", as_index=False)["score"].mean()
    index = index.rename(columns={"score": "index"})
    peers = pd.DataFrame({"municipality_code": ["1814", "1860", "1880"], "peer_group": [2, 2, 1]})
    areas = pd.DataFrame(
        {
            "priority": [1],
            "dimension": ["Kompetens"],
            "mean_score": [0.3],
            "n_below": [2],
            "n_municipalities": [3],
            "weakest_indicators": [("Videomöten", "Regelverket")],
            "suggested_activities": [("Utbilda i videomöten", "Utbilda i videomöten")],
        }
    )
    return LikaResults(
        rounds=(2018, 2022),
        assessed_on=pd.Timestamp("2022-08-17"),
        scores=scores,
        index=index,
        first_index=index.assign(index=index["index"] - [0.1, -0.05, 0.2]),
        peers=peers,
        peer_profiles=pd.DataFrame(),
        areas=areas,
        weakest=pd.DataFrame(),
    )


def _access() -> AccessResults:
    classes = []
    edges = [(0.0, 5.0), (5.0, 10.0), (10.0, 30.0), (30.0, np.inf)]
    for group, people in (
        ("all", [500.0, 300.0, 200.0, 0.0]),
        ("70+", [60.0, np.nan, np.nan, 0.0]),
    ):
        total = 1000.0 if group == "all" else 100.0
        for (lower, upper), n in zip(edges, people, strict=True):
            classes.append(
                {
                    "municipality_code": "1814",
                    "kind": "dagligvaror",
                    "group": group,
                    "lower": lower,
                    "upper": upper,
                    "unit": "min",
                    "population": n,
                    "share": n / total,
                    "status": "suppressed" if np.isnan(n) else "",
                }
            )
    return AccessResults(
        kinds=["dagligvaror"],
        map_kind="dagligvaror",
        by_time=True,
        summary=pd.DataFrame(),
        classes=pd.DataFrame(classes),
    )


def _monitoring() -> MonitoringResults:
    table = pd.DataFrame(
        {
            "municipality_code": ["1814", "1814"],
            "metric_id": ["digital_besok_andel", "nattillsyn_brukare"],
            "quarter": [pd.Period("2026Q3", "Q")] * 2,
            "latest": ["4,0\xa0%", "x"],
            "target": ["10\xa0%", "–"],
            "signal": ["Förbättring", ""],
        }
    )
    summary = pd.DataFrame(
        {
            "municipality_code": ["1814", "1814"],
            "metric_id": ["digital_besok_andel", "nattillsyn_brukare"],
            "quarter": [pd.Period("2026Q3", "Q")] * 2,
            "signal": ["improvement", ""],
            "target": [0.1, np.nan],
            "target_met": [False, None],
        }
    )
    targets = pd.DataFrame(
        {
            "municipality_code": ["1814"],
            "metric_id": ["digital_besok_andel"],
            "latest": [4.0],
            "share_of_way": [0.25],
        }
    )
    catalogue = pd.DataFrame(
        {
            "metric_id": ["digital_besok_andel", "nattillsyn_brukare"],
            "title_sv": ["Andel digitala besök", "Brukare med nattillsyn"],
        }
    )
    return MonitoringResults(
        first_quarter=pd.Period("2022Q1", "Q"),
        quarter=pd.Period("2026Q3", "Q"),
        catalogue=catalogue,
        table=table,
        targets=targets,
        summary=summary,
    )


def _survey() -> SurveyResults:
    catalogue = pd.DataFrame(
        {
            "indicator_id": ["nattillsyn", "larm_andel"],
            "title_sv": ["Digital nattillsyn", "Digitala larm, %"],
            "title_en": ["Digital night supervision", "Digital alarms, %"],
            "unit": ["ja/nej", "%"],
            "area": ["Äldreomsorg", "Äldreomsorg"],
        }
    )
    obs = pd.DataFrame(
        {
            "municipality_code": ["1814", "1814", "1860", "1880"],
            "indicator_id": ["nattillsyn", "larm_andel", "nattillsyn", "nattillsyn"],
            "value": [1.0, np.nan, 0.0, 1.0],
            "status": ["", "suppressed", "", ""],
            "colour": ["green", "grey", "red", "green"],
        }
    )
    levels = pd.DataFrame(
        {
            "indicator_id": ["nattillsyn", "nattillsyn", "larm_andel", "larm_andel"],
            "period": 2024,
            "level": ["county", "nation", "county", "nation"],
            "key": ["18", "0000", "18", "0000"],
            "binary": [True, True, False, False],
            "n": [3, 290, 2, 280],
            "share": [2 / 3, 0.81, np.nan, np.nan],
            "mean": [np.nan, np.nan, 95.0, 96.4],
        }
    )
    return SurveyResults(
        first_year=2014,
        year=2024,
        catalogue=catalogue,
        indicators=["nattillsyn", "larm_andel"],
        county_obs=obs,
        levels=levels,
    )


@pytest.fixture
def collected() -> Collected:
    return Collected(
        "18",
        "Örebro län",
        NAMES,
        lika=_lika(),
        survey=_survey(),
        access=_access(),
        monitoring=_monitoring(),
    )


# --------------------------------------------------------------------------- tables


def test_lika_profile_table__municipality_county_and_peer_group_as_rows(collected):
    t = tables.lika_profile_table(collected, "1814")
    frame = t.frame()
    assert frame["Kommun"].tolist() == ["Lekeberg", "Länet", "Jämförelsegrupp 2"]
    assert list(frame.columns) == ["Kommun", *DIMS, "Index", "n"]
    # Lekeberg 60 50 30 40, index mean 45; county means (60+40+90)/3 = 63.3 → 63, (50+45+80)/3
    # = 58.3 → 58, 30, 48.3 → 48; group 2 = Lekeberg and Laxå: 50, 47.5 → 48, 20, 37.5 → 38.
    assert frame.iloc[0, 1:6].tolist() == ["60", "50", "30", "40", "45"]
    assert frame.iloc[1, 1:5].tolist() == ["63", "58", "30", "48"]
    assert frame.iloc[2, 1:5].tolist() == ["50", "48", "20", "38"]
    assert frame["n"].tolist() == ["48", "3", "2"]
    # Kolada colours among the three municipalities: Lekeberg is the middle one in Ledning.
    assert [c.colour for c in t.rows[0].cells][:1] == ["yellow"]
    assert tables.lika_profile_table(collected, "0180") is None  # no assessment, no table


def test_lika_profile_chart__draws_the_three_series_and_is_deterministic(collected):
    chart = profiles.lika_profile_chart(collected, "1814")
    again = profiles.lika_profile_chart(collected, "1814")
    assert chart.svg == again.svg and chart.png == again.png
    assert (
        chart.alt == "Poäng i LIKA 2022 för Lekeberg: Ledning 60, Infrastruktur 50, Kompetens 30, "
        "Användning 40."
    )
    svg = chart.svg.decode("utf-8")
    assert "Länets medelvärde" in svg and "Jämförelsegrupp 2 (2 kommuner)" in svg
    assert Image.open(io.BytesIO(chart.png)).size[0] > 500


def test_survey_tables__municipality_county_and_nation_rows_with_markers(collected):
    (t,) = tables.survey_tables(collected, "1814")
    frame = t.frame()
    assert frame["Kommun"].tolist() == ["Lekeberg", "Länet", "Riket"]
    assert frame["Digital nattillsyn"].tolist() == ["Ja", "67\xa0%", "81\xa0%"]
    assert frame["Digitala larm, %"].tolist() == ["x", "95\xa0%", "96\xa0%"]  # suppressed: x
    assert frame["n"].tolist() == ["1", "3", "290"]
    suppressed = t.rows[0].cells[1]
    assert suppressed.marker == "suppressed" and suppressed.css == "c-grey m-suppressed"
    english = tables.survey_tables(collected, "1814", "en")[0].frame()
    assert english["Kommun" if "Kommun" in english else "Municipality"].tolist() == [
        "Lekeberg",
        "County",
        "Sweden",
    ]
    assert english["Digital night supervision"].tolist()[0] == "Yes"


def test_access_table__all_and_70_plus_with_hidden_classes(collected):
    frame = tables.access_table(collected, "1814").frame()
    assert frame.iloc[:, 0].tolist() == ["Dagligvaror, alla", "Dagligvaror, 70 år och äldre"]
    assert frame.iloc[0, 1:5].tolist() == ["50\xa0%", "30\xa0%", "20\xa0%", "0\xa0%"]
    assert frame.iloc[1, 1:5].tolist() == ["60\xa0%", "x", "x", "0\xa0%"]
    assert frame["n"].tolist() == ["1\xa0000", "x"]  # a total from hidden classes is hidden too
    assert list(frame.columns)[1:5] == ["under 5 min", "5–10 min", "10–30 min", "30 min eller mer"]


def test_access_county_table__county_row_only_without_hidden_classes(collected):
    frame = tables.access_county_table(collected).frame()
    # 1814 alone: 500, 300, 200, 0 of 1 000 -> the county row is the same shares
    assert frame["Kommun"].tolist() == ["Lekeberg", "Länet"]
    assert frame.iloc[1, 1:].tolist() == ["50\xa0%", "30\xa0%", "20\xa0%", "0\xa0%", "1\xa0000"]
    classes = collected.access.classes.copy()
    classes.loc[1, ["population", "share", "status"]] = [np.nan, np.nan, "suppressed"]
    hidden = Collected(
        "18",
        "Örebro län",
        NAMES,
        access=AccessResults(["dagligvaror"], "dagligvaror", True, pd.DataFrame(), classes),
    )
    row = tables.access_county_table(hidden).frame().iloc[1].tolist()
    assert row == ["Länet", "x", "x", "x", "x", "x"]


def test_monitoring_table__hidden_value_and_way_to_the_target(collected):
    t = tables.monitoring_table(collected, "1814")
    frame = t.frame()
    assert frame.iloc[:, 0].tolist() == ["Andel digitala besök", "Brukare med nattillsyn"]
    assert frame.iloc[0, 1:5].tolist() == ["4,0\xa0%", "10\xa0%", "Förbättring", "25\xa0%"]
    assert frame.iloc[1, 1] == "x" and t.rows[1].cells[0].marker == "suppressed"
    assert t.rows[0].cells[2].colour == "green"


def test_action_plan__area_indicators_activities_municipalities_follow_up(collected):
    frame = tables.action_plan(collected).frame()
    row = frame.iloc[0].tolist()
    assert row[0] == "1. Kompetens"
    assert row[1] == "Videomöten; Regelverket"
    assert row[2] == "Utbilda i videomöten"  # the same activity once
    # below 0.5 in Kompetens: Lekeberg (0.30) and Laxå (0.10); Örebro's 0.50 is not below
    assert row[3] == "2 av 3 kommuner under 50 poäng: Laxå, Lekeberg"
    assert "effektuppföljningen" not in row[4] and "LIKA" in row[4]


def test_chapter_tables__one_registry_a_new_table_is_one_line(collected, monkeypatch):
    def extra(c, lang):
        return tables.Table("ny", "Ny tabell", ("Kommun", "A", ""), ())

    monkeypatch.setitem(tables.CHAPTER_TABLES, "access", (*tables.CHAPTER_TABLES["access"], extra))
    keys = [t.key for t in tables.chapter_tables(collected, "access")]
    assert keys == ["avstand_tabell", "ny"]


# --------------------------------------------------------------------------- findings, front page


def test_findings__written_from_the_data_with_their_figures(collected):
    found = findings.findings(collected)
    texts = {f.figure: f.text for f in found}
    assert texts["lika_heatmap"] == "Kompetens är den svagaste delen i 3 av 3 kommuner (2022)."
    assert texts["lika_utvecklingsomraden"].startswith("Kompetens är länets första")
    # index: Örebro 72.5 → 73 (rounded half to even: 72), Laxå 32.5 → 32; the gap of the shown
    assert "Örebro" in texts["lika_karta"] and "Laxå" in texts["lika_karta"]
    shown = re.findall(r"\((\d+)\)", texts["lika_karta"])
    gap = int(re.search(r"skiljer (\d+) poäng", texts["lika_karta"]).group(1))
    assert gap == int(shown[0]) - int(shown[1])
    # first index = latest − [0.1, −0.05, 0.2] for 1814, 1860, 1880: rose in 1814 and 1880
    assert texts["lika_forandring"] == "Mognadsindex steg i 2 av 3 kommuner mellan 2018 och 2022."
    assert texts["avstand_klasser"].startswith(
        "Störst andel långt från dagligvaror har Lekeberg: 20"
    )
    assert texts["monitor_kvartal"].startswith(
        "Andelen hemtjänstbesök som görs digitalt visar en förbättring i 1 av 1 kommuner 2026 K3"
    )
    assert 5 <= len(found) <= findings.MAX_FINDINGS
    english = findings.findings(collected, lang="en")
    assert english[0].text == "Competence is the weakest dimension in 3 of 3 municipalities (2022)."
    only = findings.findings(collected, figures={"lika_heatmap"})
    assert [f.figure for f in only] == ["lika_heatmap"]


def test_front_page__periods_dates_and_settings(collected, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764633600")  # 2025-12-02
    (tmp_path / "rapport.toml").write_text(
        'agare = "Region Örebro län"\nkontakt = "<b>e-halsa@region.se</b>"\n', encoding="utf-8"
    )
    settings = frontpage.read_settings(tmp_path / "nothing", tmp_path)
    page = frontpage.front_page(collected, settings=settings, synthetic=True)
    assert page.run_date == "2025-12-02"
    assert page.data_date == "2026-09-30"  # the end of the latest quarter
    assert dict(page.periods)["LIKA Socialtjänst"] == "värderingar 2018 och 2022"
    assert dict(page.periods)["Effektuppföljning"] == "2022 K1–2026 K3 (senaste kvartal 2026 K3)"
    # the distance data name their year: the demo's population is the reference's latest year
    assert dict(page.periods)["Avstånd till service"] == (
        "befolkning 2025; servicepunkter och vägnät i underlaget"
    )
    assert page.owner == "Region Örebro län" and page.contact == "<b>e-halsa@region.se</b>"


def test_front_page__distance_line_names_the_grid_and_broadband_years(collected):
    import dataclasses

    access = dataclasses.replace(collected.access, population_year=2024)
    own = dataclasses.replace(collected, access=access)
    line = dict(frontpage.front_page(own, synthetic=False).periods)["Avstånd till service"]
    assert line == "befolkning 2024; servicepunkter och vägnät i underlaget"
    reach = pd.DataFrame({"municipality_code": ["1814"]})
    both = dataclasses.replace(
        own, access=dataclasses.replace(access, reach=reach, broadband_year=2023)
    )
    english = dict(frontpage.front_page(both, lang="en").periods)["Distance to service"]
    assert english == (
        "population 2024; service points and road network of the data; broadband (PTS) 2023"
    )
    unknown = dataclasses.replace(collected.access, population_year=None)
    bare = dict(frontpage.front_page(dataclasses.replace(collected, access=unknown)).periods)[
        "Avstånd till service"
    ]
    assert bare == "befolkningsrutor, servicepunkter och vägnät i underlaget"  # no guessed year


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("agare = \n", "cannot be read"),
        ("agare = 3\n", "agare in rapport.toml is not text"),
        ('kontakt = "Anna 19811228-9874"\n', "personal identity number"),
    ],
)
def test_read_settings__bad_file_names_file_and_key(tmp_path, text, match):
    (tmp_path / "rapport.toml").write_text(text, encoding="utf-8")
    with pytest.raises(InputFileError, match=match) as err:
        frontpage.read_settings(tmp_path)
    assert "rapport.toml" in str(err.value)
    assert "9874" not in str(err.value)


# --------------------------------------------------------------------------- pages


def test_write_html__front_findings_tables_profiles_escaped_and_identical(
    collected, tmp_path, monkeypatch
):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764633600")
    content = render.build_content(
        collected, synthetic=True, settings={"owner": "<script>x</script>"}
    )
    kwargs = dict(ran={"lika": []}, skipped={}, county="Örebro län", period="2024", synthetic=True)
    first = render.write_html(tmp_path, tmp_path / "a.html", content=content, **kwargs)
    second = render.write_html(tmp_path, tmp_path / "b.html", content=content, **kwargs)
    assert first.read_bytes() == second.read_bytes()
    html = first.read_text(encoding="utf-8")
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert "&lt;script&gt;x&lt;/script&gt;" in html and "<script>" not in html
    assert "2025-12-02" in html
    assert html.count('<div class="table-wrap"') == html.count("<table")
    assert html.count('<caption class="sr-only">') == html.count("<table") > 5
    assert html.count('<p class="caption" aria-hidden="true">') == html.count("<table")
    assert '<th scope="row">Länet</th>' in html and '<th scope="col">' in html
    assert '<td class="c-grey m-suppressed">x</td>' in html
    for name in ("Lekeberg", "Laxå", "Örebro"):
        assert f'id="kommun-{profiles.profile_filename(code_of(name), name)}"' in html
    assert 'href="#metoder"' in html and "Anhøjs regler" in html
    assert "@media print" in html and "break-inside:avoid" in html
    # "latest": the title dates the data instead of saying "senaste tillgängliga data"
    latest = render.write_html(
        tmp_path, tmp_path / "c.html", content=content, **{**kwargs, "period": "latest"}
    ).read_text(encoding="utf-8")
    assert "<title>E-hälsa och välfärdsteknik i Örebro län – data till och med 2026-09-30" in latest
    assert "senaste tillgängliga data" not in latest


def code_of(name):
    return {v: k for k, v in NAMES.items()}[name]


def test_profile_pages__one_file_per_municipality_named_by_slug(collected, tmp_path):
    from ehalsa_analys.report.runner import _write_profiles

    content = render.build_content(collected)
    written = _write_profiles(content, tmp_path, "Örebro län", "2024", False, "sv")
    assert sorted(p.name for p in written) == [
        "1814_Lekeberg.html",
        "1860_Laxa.html",
        "1880_Orebro.html",
    ]
    page = (tmp_path / "kommuner" / "1814_Lekeberg.html").read_text(encoding="utf-8")
    assert (
        "Kommunprofil: Lekeberg" in page
        and "Laxå" not in page.split("<body>")[1].split("Jämför")[0]
    )
    assert "data:image/svg+xml;base64," in page  # the LIKA profile chart
    assert profiles.profile_filename("0180", "../../etc") == "0180_etc"


def test_pdfs__profile_and_report_deterministic(collected, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764633600")
    content = render.build_content(collected, synthetic=True)
    profile = content.profiles[0]
    one = pdf.profile_pdf(profile, county="Örebro län", period="2024", front=content.front)
    two = pdf.profile_pdf(profile, county="Örebro län", period="2024", front=content.front)
    assert one[:5] == b"%PDF-" and one == two
    assert b"/CreationDate (D:20251202" in one
    paths = pdf.write_pdfs(
        content,
        tmp_path,
        tmp_path,
        ran={},
        skipped={},
        county="Örebro län",
        period="2024",
        synthetic=True,
    )
    assert [p.relative_to(tmp_path).as_posix() for p in paths] == [
        "report.pdf",
        "kommuner/1814_Lekeberg.pdf",
        "kommuner/1860_Laxa.pdf",
        "kommuner/1880_Orebro.pdf",
    ]
    assert len(re.findall(rb"/Type /Page\b", paths[0].read_bytes())) >= 3


# --------------------------------------------------------------------------- images, exports


def test_compress_png__sized_to_the_column_smaller_and_stable():
    buffer = io.BytesIO()
    image = Image.new("RGB", (2600, 1300), "white")
    for x in range(0, 2600, 40):
        image.paste((20, 90, 160), (x, 200, x + 20, 1100))
    image.save(buffer, format="PNG")
    small = images.compress_png(buffer.getvalue())
    assert Image.open(io.BytesIO(small)).size == (1300, 650)
    assert len(small) < len(buffer.getvalue())
    assert images.compress_png(buffer.getvalue()) == small
    assert images.compress_png(b"not a png") == b"not a png"


def test_embed__svg_when_smaller(tmp_path):
    buffer = io.BytesIO()
    Image.new("RGB", (400, 300), "white").save(buffer, format="PNG")
    (tmp_path / "f.png").write_bytes(buffer.getvalue())
    (tmp_path / "f.svg").write_bytes(b"<svg/>")
    chosen = images.embed(tmp_path / "f.png", tmp_path / "f.svg")
    assert chosen.mime == "image/svg+xml" and chosen.uri == "data:image/svg+xml;base64,PHN2Zy8+"
    (tmp_path / "f.svg").write_bytes(b"<svg>" + b" " * 100_000 + b"</svg>")
    assert images.embed(tmp_path / "f.png", tmp_path / "f.svg").mime == "image/png"


def test_report_columns__swedish_names_percent_and_dictionary_sheet(tmp_path):
    data = pd.DataFrame(
        {
            "municipality_code": ["1880", "1814"],
            "population": [1234.0, np.nan],
            "share_beyond_10min": [0.02311111111111111, np.nan],
            "score": [0.5, 0.4167],
            "okand": ["=1+1", "b"],
            "met": [True, None],
        }
    )
    csv, xlsx = store.write_report_table(data, "avstand_test", tmp_path)
    lines = csv.read_bytes().decode("utf-8-sig").splitlines()
    assert lines[0] == "Kommunkod;Invånare;Andel bortom 10 min, %;Poäng (0–100);okand;Mål nått"
    assert lines[1] == "1880;1234;2,3;50,0;'=1+1;Ja"  # a count is whole, a formula neutralised
    assert lines[2] == "1814;;;41,7;b;"  # masked values stay empty
    book = load_workbook(xlsx)
    assert book.sheetnames == ["avstand_test", "Kolumner"]
    rows = list(book["Kolumner"].values)
    assert rows[0] == ("Kolumn", "Beskrivning", "Originalnamn")
    assert rows[3][0] == "Andel bortom 10 min, %" and rows[3][2] == "share_beyond_10min"
    assert rows[5] == ("okand", None, "okand")


def test_profile_page__names_each_period_instead_of_latest(collected, tmp_path):
    """The issue: a report that says only "senaste tillgängliga data" names no period."""
    content = render.build_content(collected, synthetic=True)
    profile = content.profiles[0]
    page = render.write_profile_html(
        profile,
        tmp_path / "p.html",
        county="Örebro län",
        period="latest",
        synthetic=True,
        front=content.front,
    ).read_text(encoding="utf-8")
    assert "senaste tillgängliga data" not in page
    assert "<p>Örebro län</p>" in page
    for source, shown in content.front.periods:
        assert f"<dt>{source}</dt><dd>{shown}</dd>" in page
    # without a front box the period line stays, as before
    bare = render.write_profile_html(
        profile, tmp_path / "q.html", county="Örebro län", period="latest", synthetic=True
    ).read_text(encoding="utf-8")
    assert "Örebro län, senaste tillgängliga data" in bare
