"""The HTML report: figures, captions and short texts rendered from a Jinja2 template file.

The page is laid out by ``templates/report.html.j2``, autoescaped (captions, sources, reasons
and names are text, never markup), and filled here from the figures' PNGs and caption files.
"""

from __future__ import annotations

import base64
import functools
import html
import json
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from .. import __version__
from .._atomic import write_bytes
from ..errors import check_choice
from .parts import PARTS

__all__ = ["TEMPLATE", "write_html"]

#: The template of the page, in ``ehalsa_analys/report/templates/``.
TEMPLATE = "report.html.j2"

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
    return jinja2.Environment(
        loader=jinja2.PackageLoader("ehalsa_analys.report", "templates"),
        autoescape=True,
        finalize=_escape,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _figures(figures: Path, names: list[str], label: str, first: int) -> list[dict[str, str]]:
    """The figures of one part in caption order, numbered from ``first``; PNG-less ones left out."""
    metas = [json.loads((figures / f"{name}.json").read_text("utf-8")) for name in names]
    out = []
    for meta in sorted(metas, key=lambda m: (m.get("order", 0), m["name"])):
        png = figures / f"{meta['name']}.png"
        if not png.is_file():
            continue
        number = label.format(n=first + len(out))
        out.append(
            {
                "name": meta["name"],
                "label": number,
                "alt": meta.get("caption") or number,
                "caption": meta.get("caption", ""),
                "source": meta.get("source") or "",
                "png_base64": base64.b64encode(png.read_bytes()).decode("ascii"),
            }
        )
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
) -> Path:
    """Write the self-contained HTML report from the figures' PNGs and caption files.

    Sections follow :data:`~ehalsa_analys.report.PARTS`: each figure embedded as a PNG (base64)
    with its caption and source line, a skipped part as one line saying why, a table of contents,
    a note on the data and no code. Nothing depends on the clock, so the file is byte-identical for
    the same figures.

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
        Language of the page's own text; the part introductions are Swedish only.

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
    text = _HTML_TEXT[lang]
    sections = []
    shown = 0
    for part in PARTS:
        if part.key not in ran and part.key not in skipped:
            continue
        section: dict[str, Any] = {
            "anchor": f"del-{part.key}",
            "title": part.title_sv if lang == "sv" else part.title_en,
            "skipped": None,
            "intro": part.intro_sv if lang == "sv" else None,
            "figures": [],
        }
        if part.key in skipped:
            section["skipped"] = text["skipped"].format(reason=skipped[part.key])
        else:
            section["figures"] = _figures(figures, ran[part.key], text["figure"], shown + 1)
            shown += len(section["figures"])
        sections.append(section)
    shown_period = text["latest"] if period == "latest" else period
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
        )
    )
    return write_bytes(target, page.encode("utf-8"))
