"""The HTML report: figures, captions and short texts rendered from a Jinja2 template file.

The page is laid out by ``templates/report.html.j2``, autoescaped (captions, sources, reasons
and names are text, never markup), and filled here from the figures' PNGs and caption files.
"""

from __future__ import annotations

import base64
import functools
import html
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from .. import __version__
from .._atomic import write_bytes
from ..errors import check_choice
from .images import embed
from .parts import PARTS

__all__ = [
    "TEMPLATE",
    "PROFILE_TEMPLATE",
    "ReportContent",
    "build_content",
    "write_html",
    "write_profile_html",
    "GLOSSARY",
]

#: The template of the page, in ``ehalsa_analys/report/templates/``.
TEMPLATE = "report.html.j2"
#: The template of one municipality's profile page.
PROFILE_TEMPLATE = "profile.html.j2"


@dataclass(frozen=True)
class ReportContent:
    """What the report says beyond its figures: front page, findings, tables, profiles."""

    front: Any = None  # frontpage.FrontPage
    findings: list = field(default_factory=list)  # findings.Finding
    chapter_tables: dict = field(default_factory=dict)  # part key -> [tables.Table]
    action_plan: Any = None  # tables.Table
    profiles: list = field(default_factory=list)  # profiles.Profile


def build_content(
    collected,
    *,
    lang: str = "sv",
    synthetic: bool = False,
    settings: dict[str, str] | None = None,
    figures: set[str] | None = None,
) -> ReportContent:
    """Front page, findings, chapter tables, action plan and profiles of ``collected``."""
    from . import findings, frontpage, profiles, tables

    return ReportContent(
        front=frontpage.front_page(collected, lang=lang, synthetic=synthetic, settings=settings),
        findings=findings.findings(collected, lang=lang, figures=figures),
        chapter_tables={
            key: tables.chapter_tables(collected, key, lang) for key in tables.CHAPTER_TABLES
        },
        action_plan=tables.action_plan(collected, lang),
        profiles=[
            found
            for code in collected.codes
            if (found := profiles.profile(collected, code, lang)).sections
        ],
    )


#: Methods and glossary: (term, explanation) per language, with the references.
GLOSSARY = {
    "sv": [
        (
            "Poäng 0–100",
            "Varje LIKA-indikator får en poäng efter sin status: Uppnådd 100, Nästan "
            "där 75, Påbörjad 50, Planerad 25, Ej planerad 0; Ej relevant och tomma svar "
            "räknas inte. En dels poäng är medelvärdet av dess indikatorer; mognadsindex väger "
            "varje område × del "
            "lika. Poängsättningen är ehalsa_analys val, LIKA publicerar ingen.",
        ),
        (
            "Tröskel",
            "En del där kommunen har under 50 poäng räknas som utvecklingsområde. Delarna "
            "där flest kommuner ligger under tröskeln kommer först i handlingsplanen.",
        ),
        (
            "Jämförelsegrupp",
            "Kommuner med liknande LIKA-profil över de fyra delarna, grupperade "
            "med hierarkisk klustring (Ward 1963); antalet grupper väljs med silhuettmåttet "
            "(Rousseeuw 1987).",
        ),
        (
            "Koladas färger",
            "Grön: bästa fjärdedelen av länets kommuner, gul: mittersta hälften, "
            "röd: sämsta fjärdedelen (kvartiler); för Ja/Nej-frågor grön Ja och röd Nej; "
            "grå saknas. "
            "Fjärdedelsgränserna följer SKR:s Kommunens kvalitet i korthet.",
        ),
        (
            "Anhøjs regler",
            "Seriediagrammets regler för en verklig förändring: en för lång serie "
            "punkter på samma sida om medianen, eller för få korsningar av den "
            "(Anhøj & Olesen 2014).",
        ),
        (
            "Styrgränser",
            "Mittlinjen ± 3 sigma från baslinjen; en punkt utanför är en signal. "
            "Andelar med Laneys p′-diagram (Laney 2002), antal med c-diagram, mätvärden med "
            "I-diagram (Montgomery 2009; Provost & Murray 2011).",
        ),
        (
            "Avbruten tidsserie (ITS)",
            "Segmenterad regression av nivå och lutning före och efter "
            "införandet, med Newey–West-intervall som tål att kvartalen hänger ihop (Wagner m.fl. "
            "2002).",
        ),
        (
            "2SFCA",
            "Tvåstegsmetoden för tillgänglighet: varje hemtjänstbas kapacitet delas på "
            "befolkningen inom räckhåll, med avtagande vikt med avståndet (Luo & Wang 2003; Dai "
            "2010).",
        ),
        (
            "Restidsklasser",
            "Pipos klasser för restid med bil till närmaste service: under 5, "
            "5–10, 10–30 och 30 minuter eller mer (Tillväxtanalys 2014).",
        ),
        (
            "Röjandeskydd",
            "Antal 1–4 personer visas inte (x), inte heller ett värde som tillsammans "
            "med en summa skulle avslöja dem (sekundär röjning), i tabeller, figurer och text. "
            "Noll visas. Efter SCB:s och Socialstyrelsens praxis för röjandekontroll.",
        ),
    ],
    "en": [
        (
            "Score 0–100",
            "Each LIKA indicator is scored by its status: Achieved 100, Almost there "
            "75, Started 50, Planned 25, Not planned 0; Not relevant and blank answers are not "
            "scored. A dimension's score is the mean of its indicators; the maturity index weighs "
            "each area × dimension equally. The scoring is ehalsa_analys' choice; LIKA "
            "publishes none.",
        ),
        (
            "Threshold",
            "A dimension where a municipality scores below 50 is a development area. "
            "The dimensions with most municipalities below it come first in the action plan.",
        ),
        (
            "Peer group",
            "Municipalities with a similar LIKA profile over the four dimensions, "
            "grouped by hierarchical clustering (Ward 1963); the number of groups chosen by the "
            "silhouette (Rousseeuw 1987).",
        ),
        (
            "Kolada colours",
            "Green: the best quarter of the county's municipalities, yellow: the "
            "middle half, red: the worst quarter (quartiles); for Yes/No questions green Yes "
            "and red "
            "No; grey missing. The quarters follow SKR's Kommunens kvalitet i korthet.",
        ),
        (
            "Anhøj rules",
            "The run chart's rules for a real change: a too long run of points on one "
            "side of the median, or too few crossings of it (Anhøj & Olesen 2014).",
        ),
        (
            "Control limits",
            "The centre line ± 3 sigma from the baseline; a point outside is a "
            "signal. Shares with Laney's p′ chart (Laney 2002), counts with c charts, measurements "
            "with I charts (Montgomery 2009; Provost & Murray 2011).",
        ),
        (
            "Interrupted time series (ITS)",
            "Segmented regression of level and slope before and "
            "after the introduction, with Newey–West intervals that allow for correlated quarters "
            "(Wagner et al. 2002).",
        ),
        (
            "2SFCA",
            "The two-step floating catchment method: each home-care base's capacity is "
            "shared by the population within reach, weighted down with distance (Luo & Wang 2003; "
            "Dai 2010).",
        ),
        (
            "Travel-time classes",
            "Pipos' classes of travel time by car to the nearest service: "
            "under 5, 5–10, 10–30 and 30 minutes or more (Tillväxtanalys 2014).",
        ),
        (
            "Disclosure control",
            "Counts of 1–4 people are not shown (x), nor a value that together "
            "with a total would give them back (secondary suppression), in tables, figures and "
            "text. Zero is shown. After SCB's and Socialstyrelsen's practice.",
        ),
    ],
}

_HTML_TEXT = {
    "sv": {
        "title": "E-hälsa och välfärdsteknik i {county}",
        "period": "Period: {period}",
        "latest": "senaste tillgängliga data",
        "contents": "Innehåll",
        "skipped": "Ingår inte i rapporten: {reason}.",
        "about": "Om underlaget",
        "synthetic": "SYNTETISKA DEMODATA. Rapporten bygger på påhittade data som "
        "ehalsa_analys skapar för att visa verktyget. Siffrorna beskriver inga verkliga "
        "kommuner och får inte redovisas som statistik.",
        "sources": "Varje figur anger sin källa. Tabellerna finns som CSV och Excel i "
        "figurmappen (tabeller/), och manifest.json anger indata, versioner och parametrar.",
        "made": "Skapad med ehalsa_analys {version}.",
        "figure": "Figur {n}",
        "region": "Region",
        "county": "Län",
        "periods": "Underlagets perioder",
        "data_date": "Data till och med",
        "run_date": "Rapporten skapad",
        "owner": "Ägare",
        "contact": "Kontakt",
        "findings": "Viktigaste resultaten",
        "see": "se figur",
        "plan": "Förslag till handlingsplan",
        "profiles": "Kommunprofiler",
        "profiles_intro": "En profil per kommun: LIKA jämfört med länet och jämförelsegruppen, "
        "enkätens nyckeltal med länet och riket, befolkningen efter restid och "
        "effektuppföljningen. Varje profil finns också som egen fil (HTML och PDF) i mappen "
        "kommuner/, att skicka till kommunen.",
        "methods": "Metoder och begrepp",
        "references": "Referenser: Anhøj & Olesen (2014) PLoS ONE 9(11); Dai (2010) Health & "
        "Place 16; Laney (2002) Quality Engineering 14; Luo & Wang (2003) Environment and "
        "Planning B 30; Montgomery (2009) Introduction to Statistical Quality Control; Provost & "
        "Murray (2011) The Health Care Data Guide; Rousseeuw (1987) J. Comput. Appl. Math. 20; "
        "Tillväxtanalys (2014) Pipos Serviceanalys; Wagner m.fl. (2002) J. Clin. Pharm. Ther. "
        "27; Ward (1963) JASA 58. Utförligt: docs/methods.md.",
        "back": "Till innehållet",
        "file": "Egen fil: {name}.html, {name}.pdf",
        "profile_title": "Kommunprofil: {name}",
        "profile_of": "{county}, {period}",
        "table_scroll": "Tabellen kan rullas i sidled.",
    },
    "en": {
        "title": "E-health and welfare technology in {county}",
        "period": "Period: {period}",
        "latest": "latest available data",
        "contents": "Contents",
        "skipped": "Not included: {reason}.",
        "about": "About the data",
        "synthetic": "SYNTHETIC DEMO DATA. This report is built on made-up data that "
        "ehalsa_analys generates to show the tool. The numbers describe no real "
        "municipality and must not be presented as statistics.",
        "sources": "Each figure states its source. The tables are in the figures folder "
        "(tabeller/) as CSV and Excel; manifest.json lists inputs, versions and parameters.",
        "made": "Made with ehalsa_analys {version}.",
        "figure": "Figure {n}",
        "region": "Region",
        "county": "County",
        "periods": "Periods of the data",
        "data_date": "Data up to",
        "run_date": "Report made",
        "owner": "Owner",
        "contact": "Contact",
        "findings": "Key findings",
        "see": "see figure",
        "plan": "Draft action plan",
        "profiles": "Municipality profiles",
        "profiles_intro": "One profile per municipality: LIKA against the county and the peer "
        "group, the survey's indicators with the county and the nation, the population by travel "
        "time and effect monitoring. Each profile is also a file of its own (HTML and PDF) in "
        "the folder kommuner/, to send to the municipality.",
        "methods": "Methods and glossary",
        "references": "References: Anhøj & Olesen (2014) PLoS ONE 9(11); Dai (2010) Health & "
        "Place 16; Laney (2002) Quality Engineering 14; Luo & Wang (2003) Environment and "
        "Planning B 30; Montgomery (2009) Introduction to Statistical Quality Control; Provost & "
        "Murray (2011) The Health Care Data Guide; Rousseeuw (1987) J. Comput. Appl. Math. 20; "
        "Tillväxtanalys (2014) Pipos Serviceanalys; Wagner et al. (2002) J. Clin. Pharm. Ther. "
        "27; Ward (1963) JASA 58. In detail: docs/methods.md.",
        "back": "Back to contents",
        "file": "Own file: {name}.html, {name}.pdf",
        "profile_title": "Municipality profile: {name}",
        "profile_of": "{county}, {period}",
        "table_scroll": "The table scrolls sideways.",
    },
}


def _escape(value: Any) -> Markup:
    """Escape a value for the page as :func:`html.escape` does (``&quot;``, ``&#x27;``).

    The environment's ``finalize``: autoescaping leaves the :class:`~markupsafe.Markup` it returns
    alone, so the page keeps its entities and stays byte-identical to earlier reports.
    """
    if isinstance(value, Markup):
        return value
    return Markup(html.escape(str(value), quote=True))


@functools.cache
def _environment() -> jinja2.Environment:
    """The Jinja2 environment of the package's templates: autoescaped, strict, no stray space."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("ehalsa_analys.report", "templates"),
        autoescape=True,
        finalize=_escape,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["b64"] = lambda data: base64.b64encode(data).decode("ascii")
    return env


def _figures(
    figures: Path, names: list[str], label: str, first: int, skip: set[bytes] = frozenset()
) -> list[dict[str, str]]:
    """The figures of one part in caption order, numbered from ``first``; PNG-less ones left out.

    A figure whose PNG has the same bytes as one in ``skip`` (shown elsewhere in the report) is
    left out, so no figure is repeated.
    """
    metas = [json.loads((figures / f"{name}.json").read_text("utf-8")) for name in names]
    out = []
    for meta in sorted(metas, key=lambda m: (m.get("order", 0), m["name"])):
        png = figures / f"{meta['name']}.png"
        if not png.is_file() or png.read_bytes() in skip:
            continue
        number = label.format(n=first + len(out))
        image = embed(png, figures / f"{meta['name']}.svg")
        out.append(
            {
                "name": meta["name"],
                "label": number,
                "alt": meta.get("caption") or number,
                "caption": meta.get("caption", ""),
                "source": meta.get("source") or "",
                "uri": image.uri,
                "width": image.width,
                "height": image.height,
            }
        )
    return out


def _other_pngs(figures: Path, ran: dict[str, list[str]], key: str) -> set[bytes]:
    """The PNG bytes of every figure of the parts other than ``key``."""
    out = set()
    for other, names in ran.items():
        if other == key:
            continue
        for name in names:
            png = figures / f"{name}.png"
            if png.is_file():
                out.add(png.read_bytes())
    return out


def write_html(
    figures: Path,
    target: Path,
    *,
    ran: dict[str, list[str]],
    skipped: dict[str, str],
    county: str,
    period: str,
    synthetic: bool,
    lang: str = "sv",
    content: ReportContent | None = None,
) -> Path:
    """Write the self-contained HTML report from the figures' PNGs and caption files.

    Sections follow :data:`~ehalsa_analys.report.PARTS`: each figure embedded (a compressed PNG,
    or its SVG when smaller: :func:`~ehalsa_analys.report.images.embed`) with its caption and
    source line, then the part's tables; a skipped part as one line saying why; a table of
    contents, a note on the data and no code. With ``content``
    (:func:`build_content`) the page also has its front page, the key findings (in the summary,
    whose figures repeating a chapter's are left out), the action plan, one profile per
    municipality and the methods and glossary. The page has a viewport, tables that scroll in
    their own box at 400 px, and print rules for A4. Nothing depends on the clock but the front
    page's run date (``SOURCE_DATE_EPOCH`` when set), so the file is byte-identical for the same
    figures.

    Parameters
    ----------
    figures : Path
        Folder of ``<name>.png`` and its caption file ``<name>.json`` (name, caption, source, and
        optionally order).
    target : Path
        The HTML file to write (atomically); returned.
    ran : dict
        Part key -> names of the figures it made, for the parts that ran.
    skipped : dict
        Part key -> why it is not in the report.
    county : str
        The county's name, for the title.
    period : str
        The period shown; "latest" is written as the latest available data.
    synthetic : bool
        The report is built on the synthetic demo data (said at the top and under "Om
        underlaget").
    lang : {"sv", "en"}, default "sv"
        Language of the page's own text.
    content : ReportContent, optional
        Front page, findings, tables and profiles (:func:`build_content`).

    Example
    -------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> path = write_html(folder, folder / "r.html", ran={}, skipped={"lika": "<inga> data"},
    ...                   county="Örebro län", period="2024", synthetic=True)
    >>> "Ingår inte i rapporten: &lt;inga&gt; data." in path.read_text(encoding="utf-8")
    True
    """
    check_choice("lang", list(_HTML_TEXT), lang)
    from .parts import PART_INTROS
    from .tables import MARKERS

    text = _HTML_TEXT[lang]
    content = content or ReportContent()
    sections = []
    shown = 0
    for part in PARTS:
        if part.key not in ran and part.key not in skipped:
            continue
        section: dict[str, Any] = {
            "key": part.key,
            "anchor": f"del-{part.key}",
            "title": part.title_sv if lang == "sv" else part.title_en,
            "skipped": None,
            "intro": PART_INTROS[lang].get(part.key),
            "figures": [],
            "tables": content.chapter_tables.get(part.key, []),
            "findings": content.findings if part.key == "summary" else [],
        }
        if part.key in skipped:
            section["skipped"] = text["skipped"].format(reason=skipped[part.key])
        else:
            skip = _other_pngs(figures, ran, part.key) if part.key == "summary" else set()
            section["figures"] = _figures(figures, ran[part.key], text["figure"], shown + 1, skip)
            shown += len(section["figures"])
        sections.append(section)
    shown_period = text["latest"] if period == "latest" else period
    if period == "latest" and content.front is not None:  # the front box dates the data
        shown_period = f"{text['data_date'].lower()} {content.front.data_date}"
    page = (
        _environment()
        .get_template(TEMPLATE)
        .render(
            lang=lang,
            text=text,
            title=text["title"].format(county=county),
            period=shown_period,
            period_line=text["period"].format(period=shown_period),
            synthetic=synthetic,
            made=text["made"].format(version=__version__),
            sections=sections,
            front=content.front,
            plan=content.action_plan,
            profiles=content.profiles,
            glossary=GLOSSARY[lang] if content.front is not None else [],
            markers=MARKERS[lang],
        )
    )
    return write_bytes(target, page.encode("utf-8"))


def write_profile_html(
    profile,
    target: Path,
    *,
    county: str,
    period: str,
    synthetic: bool,
    lang: str = "sv",
    front=None,
) -> Path:
    """Write one municipality's profile as a page of its own (self-contained, like the report)."""
    from .tables import MARKERS

    check_choice("lang", list(_HTML_TEXT), lang)
    text = _HTML_TEXT[lang]
    shown_period = text["latest"] if period == "latest" else period
    page = (
        _environment()
        .get_template(PROFILE_TEMPLATE)
        .render(
            lang=lang,
            text=text,
            title=text["profile_title"].format(name=profile.name),
            # with a front box, each source's period is listed there instead of "latest"
            subtitle=county
            if front is not None
            else text["profile_of"].format(county=county, period=shown_period),
            synthetic=synthetic,
            made=text["made"].format(version=__version__),
            profile=profile,
            front=front,
            markers=MARKERS[lang],
        )
    )
    return write_bytes(target, page.encode("utf-8"))
