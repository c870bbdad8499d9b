"""PDFs of the report and of each municipality's profile, drawn with fpdf2 (pure Python, A4).

fpdf2 needs no system package: the text font is DejaVu Sans, which matplotlib ships, so the
PDFs show å, ä, ö and − as the HTML does. Each figure sits on a page with its caption
(a figure that does not fit what is left of a page starts a new one), tables are drawn with
each cell's colour and the same markers as the HTML. The creation date is the run's date
(:func:`ehalsa_analys.clock.run_date`), so the same inputs give the same bytes.

Example
-------
>>> from ehalsa_analys.report.tables import Cell, Row, Table
>>> doc = Document(title="Test", lang="sv")
>>> row = Row("Örebro", (Cell("45 %", colour="green"),), n="12")
>>> doc.table(Table("t", "Exempel", ("Kommun", "Värde", "n"), (row,)))
>>> doc.output()[:5]
b'%PDF-'
"""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

from .._atomic import write_bytes

__all__ = ["Document", "write_pdfs", "report_pdf", "profile_pdf"]

_FILL = {
    "green": (184, 224, 184),
    "yellow": (251, 232, 166),
    "red": (245, 188, 181),
    "grey": (230, 230, 230),
}
_TEXT = {
    "sv": {"page": "Sida {n}", "figure": "Figur {n}", "findings": "Viktigaste resultaten"},
    "en": {"page": "Page {n}", "figure": "Figure {n}", "findings": "Key findings"},
}


def _font_dir() -> Path:
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf"


def _clean(text: str) -> str:
    """Text the font can draw: no-break and narrow spaces kept, other controls dropped."""
    return "".join(ch for ch in str(text) if ch >= " " or ch == "\n")


class Document:
    """An A4 document with the report's fonts, headings, paragraphs, figures and tables."""

    def __init__(self, *, title: str, lang: str = "sv") -> None:
        from fpdf import FPDF

        from ..clock import run_date

        self.lang = lang
        self.figures = 0
        pdf = FPDF(orientation="portrait", unit="mm", format="A4")
        fonts = _font_dir()
        pdf.add_font("DejaVu", "", str(fonts / "DejaVuSans.ttf"))
        pdf.add_font("DejaVu", "B", str(fonts / "DejaVuSans-Bold.ttf"))
        pdf.add_font("DejaVu", "I", str(fonts / "DejaVuSans-Oblique.ttf"))
        pdf.set_title(_clean(title))
        pdf.set_lang(lang)
        pdf.set_creator("ehalsa_analys")
        day = run_date()
        pdf.set_creation_date(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC))
        pdf.set_auto_page_break(auto=True, margin=15)
        pdf.set_margins(15, 15, 15)
        page_word = _TEXT[lang]["page"]

        def footer(self=pdf):
            self.set_y(-11)
            self.set_font("DejaVu", "", 7)
            self.set_text_color(110, 110, 110)
            self.cell(0, 5, page_word.format(n=self.page_no()), align="C")
            self.set_text_color(0, 0, 0)

        pdf.footer = footer
        pdf.add_page()
        self.pdf = pdf

    @property
    def width(self) -> float:
        return self.pdf.w - self.pdf.l_margin - self.pdf.r_margin

    def heading(self, text: str, level: int = 1, *, new_page: bool = False) -> None:
        pdf = self.pdf
        if new_page and pdf.get_y() > pdf.t_margin + 1:
            pdf.add_page()
        size = {1: 17, 2: 13, 3: 11}[level]
        if pdf.get_y() + 25 > pdf.h - pdf.b_margin:
            pdf.add_page()
        pdf.ln(2 if level > 1 else 0)
        pdf.set_font("DejaVu", "B", size)
        pdf.multi_cell(self.width, size * 0.5, _clean(text), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1.5)

    def paragraph(self, text: str, *, size: float = 9.5, style: str = "", fill=None) -> None:
        pdf = self.pdf
        pdf.set_font("DejaVu", style, size)
        if fill:
            pdf.set_fill_color(*fill)
        pdf.multi_cell(
            self.width, size * 0.5, _clean(text), new_x="LMARGIN", new_y="NEXT", fill=bool(fill)
        )
        pdf.set_fill_color(255, 255, 255)
        pdf.ln(1.5)

    def pairs(self, rows) -> None:
        pdf = self.pdf
        for key, value in rows:
            pdf.set_font("DejaVu", "B", 9)
            pdf.cell(52, 5, _clean(key))
            pdf.set_font("DejaVu", "", 9)
            pdf.multi_cell(self.width - 52, 5, _clean(value), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)

    def image(self, data: bytes, *, caption: str = "", source: str = "", width_mm=None) -> None:
        """A figure and its caption kept together (a new page when they do not fit)."""
        from PIL import Image

        pdf = self.pdf
        with Image.open(io.BytesIO(data)) as image:
            px_w, px_h = image.size
        width = min(width_mm or self.width, self.width)
        height = width * px_h / px_w
        room = pdf.h - pdf.b_margin - pdf.t_margin - 18
        if height > room:  # a tall figure (a map) is scaled to the page
            height = room
            width = height * px_w / px_h
        pdf.set_font("DejaVu", "", 8.5)
        lines = len(pdf.multi_cell(self.width, 4, _clean(caption), dry_run=True, output="LINES"))
        if pdf.get_y() + height + 4 * lines + 8 > pdf.h - pdf.b_margin:
            pdf.add_page()
        x = pdf.l_margin + (self.width - width) / 2
        pdf.image(io.BytesIO(data), x=x, y=pdf.get_y(), w=width, h=height)
        pdf.set_y(pdf.get_y() + height + 1.5)
        if caption:
            self.figures += 1
            label = _TEXT[self.lang]["figure"].format(n=self.figures)
            pdf.set_font("DejaVu", "", 8.5)
            pdf.multi_cell(  # plain text: a caption from data is never read as markup
                self.width, 4, f"{label}. {_clean(caption)}", new_x="LMARGIN", new_y="NEXT"
            )
        if source:
            pdf.set_font("DejaVu", "", 7)
            pdf.set_text_color(90, 90, 90)
            pdf.multi_cell(self.width, 3.5, _clean(source), new_x="LMARGIN", new_y="NEXT")
            pdf.set_text_color(0, 0, 0)
        pdf.ln(3)

    def table(self, t, legend: str = "") -> None:
        """A report table (:class:`~ehalsa_analys.report.tables.Table`) with its cell colours."""
        from fpdf.fonts import FontFace

        pdf = self.pdf
        columns = list(t.columns)
        has_n = bool(columns[-1])
        if not has_n:
            columns = columns[:-1]
        n_cols = len(columns)
        size = 8 if n_cols <= 6 else 6.5 if n_cols <= 10 else 5.5
        if pdf.get_y() + 30 > pdf.h - pdf.b_margin:
            pdf.add_page()
        pdf.set_font("DejaVu", "B", 8.5)
        pdf.multi_cell(self.width, 4, _clean(t.caption), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)
        pdf.set_font("DejaVu", "", size)
        first = 0.16 if n_cols > 6 else 0.22 if n_cols > 3 else 0.4
        rest = (1 - first - (0.07 if has_n else 0)) / max(1, n_cols - 1 - (1 if has_n else 0))
        widths = [first] + [rest] * (n_cols - 1 - (1 if has_n else 0)) + ([0.07] if has_n else [])
        heading = FontFace(emphasis="BOLD", fill_color=(242, 242, 242))
        with pdf.table(
            col_widths=[w * 100 for w in widths],
            width=self.width,
            headings_style=heading,
            line_height=size * 0.5,
            text_align="LEFT",
            first_row_as_headings=True,
            repeat_headings=1,
        ) as table:
            table.row([_clean(c) for c in columns])
            for row in t.rows:
                out = table.row()
                ref = row.kind and row.kind != "municipality"
                out.cell(
                    _clean(row.header),
                    style=FontFace(emphasis="BOLD" if not ref else "ITALICS"),
                )
                for cell in row.cells:
                    fill = _FILL.get(cell.colour)
                    out.cell(
                        _clean(cell.text),
                        style=FontFace(fill_color=fill) if fill else None,
                        align="RIGHT" if t.key != "handlingsplan" else "LEFT",
                    )
                if has_n:
                    out.cell(_clean(row.n), align="RIGHT")
        pdf.ln(1)
        note = " ".join(x for x in (t.note, legend if t.legend else "") if x)
        if note:
            pdf.set_font("DejaVu", "", 6.5)
            pdf.set_text_color(70, 70, 70)
            pdf.multi_cell(self.width, 3.2, _clean(note), new_x="LMARGIN", new_y="NEXT")
            pdf.set_text_color(0, 0, 0)
        pdf.ln(3)

    def output(self) -> bytes:
        return bytes(self.pdf.output())


def _profile_body(doc: Document, profile, markers: dict, *, level: int = 2) -> None:
    for section in profile.sections:
        doc.heading(section["title"], level)
        for chart in section["charts"]:
            doc.image(chart.png, width_mm=doc.width * 0.85)
        for t in section["tables"]:
            doc.table(t, markers["legend"])


def _front(doc: Document, front, text: dict, synthetic_text: str) -> None:
    if front is None:
        return
    rows = [(text["region"], front.region), (text["county"], front.county), *front.periods]
    rows += [(text["data_date"], front.data_date), (text["run_date"], front.run_date)]
    if front.owner:
        rows.append((text["owner"], front.owner))
    if front.contact:
        rows.append((text["contact"], front.contact))
    doc.pairs(rows)
    if front.synthetic:
        doc.paragraph(synthetic_text, style="B", fill=(255, 243, 205))


def profile_pdf(profile, *, county: str, period: str, front, lang: str = "sv") -> bytes:
    """One municipality's profile as a PDF (the same sections as its HTML page)."""
    from .render import _HTML_TEXT
    from .tables import MARKERS

    text = _HTML_TEXT[lang]
    doc = Document(title=text["profile_title"].format(name=profile.name), lang=lang)
    doc.heading(text["profile_title"].format(name=profile.name), 1)
    shown = text["latest"] if period == "latest" else period
    doc.paragraph(text["profile_of"].format(county=county, period=shown))
    if front is not None and front.synthetic:
        doc.paragraph(text["synthetic"], style="B", fill=(255, 243, 205))
    if front is not None:  # as the profile's page: each source's period, the run, the contact
        rows = [*front.periods, (text["run_date"], front.run_date)]
        rows += [(text[k], getattr(front, k)) for k in ("owner", "contact") if getattr(front, k)]
        doc.pairs(rows)
    _profile_body(doc, profile, MARKERS[lang])
    doc.paragraph(text["made"].format(version=_version()), size=7)
    return doc.output()


def _version() -> str:
    from .. import __version__

    return __version__


def report_pdf(content, figures: Path, *, ran, skipped, county, period, synthetic, lang="sv"):
    """The whole report as a PDF: front page, findings, chapters, action plan, profiles, methods."""
    from .parts import PART_INTROS, PARTS
    from .render import _HTML_TEXT, GLOSSARY, _other_pngs
    from .tables import MARKERS

    text = _HTML_TEXT[lang]
    markers = MARKERS[lang]
    title = text["title"].format(county=county)
    doc = Document(title=title, lang=lang)
    doc.heading(title, 1)
    shown = text["latest"] if period == "latest" else period
    doc.paragraph(text["period"].format(period=shown))
    if synthetic and (content is None or content.front is None):
        doc.paragraph(text["synthetic"], style="B", fill=(255, 243, 205))
    _front(doc, content.front if content else None, text, text["synthetic"])
    for part in PARTS:
        if part.key not in ran and part.key not in skipped:
            continue
        doc.heading(part.title_sv if lang == "sv" else part.title_en, 2, new_page=True)
        if part.key in skipped:
            doc.paragraph(text["skipped"].format(reason=skipped[part.key]), style="I")
            continue
        intro = PART_INTROS[lang].get(part.key)
        if intro:
            doc.paragraph(intro)
        if part.key == "summary" and content is not None and content.findings:
            doc.heading(text["findings"], 3)
            for i, finding in enumerate(content.findings, 1):
                doc.paragraph(f"{i}. {finding.text}")
        skip = _other_pngs(figures, ran, part.key) if part.key == "summary" else set()
        metas = [json.loads((figures / f"{n}.json").read_text("utf-8")) for n in ran[part.key]]
        for meta in sorted(metas, key=lambda m: (m.get("order", 0), m["name"])):
            png = figures / f"{meta['name']}.png"
            if not png.is_file() or png.read_bytes() in skip:
                continue
            from .images import compress_png

            doc.image(
                compress_png(png.read_bytes()),
                caption=meta.get("caption", ""),
                source=meta.get("source", ""),
            )
        for t in content.chapter_tables.get(part.key, []) if content else []:
            doc.table(t, markers["legend"])
    if content is not None and content.action_plan is not None:
        doc.pdf.add_page(orientation="landscape")
        doc.heading(text["plan"], 2)
        doc.table(content.action_plan, markers["legend"])
        doc.pdf.add_page(orientation="portrait")
    if content is not None and content.profiles:
        for profile in content.profiles:
            doc.heading(text["profile_title"].format(name=profile.name), 2, new_page=True)
            _profile_body(doc, profile, markers, level=3)
    if content is not None and content.front is not None:
        doc.heading(text["methods"], 2, new_page=True)
        for term, explanation in GLOSSARY[lang]:
            doc.paragraph(term, style="B", size=9)
            doc.paragraph(explanation, size=8.5)
        doc.paragraph(text["references"], size=7.5)
    doc.heading(text["about"], 2)
    doc.paragraph(text["sources"])
    doc.paragraph(text["made"].format(version=_version()), size=8)
    return doc.output()


def write_pdfs(
    content, figures: Path, folder: Path, *, ran, skipped, county, period, synthetic, lang="sv"
) -> list[Path]:
    """Write ``report.pdf`` and ``kommuner/<kod>_<namn>.pdf`` to ``folder``; return the paths."""
    from ..safe import inside

    written = [
        write_bytes(
            folder / "report.pdf",
            report_pdf(
                content,
                figures,
                ran=ran,
                skipped=skipped,
                county=county,
                period=period,
                synthetic=synthetic,
                lang=lang,
            ),
        )
    ]
    for profile in content.profiles if content is not None else []:
        target = inside(folder, "kommuner", profile.filename).with_suffix(".pdf")
        data = profile_pdf(profile, county=county, period=period, front=content.front, lang=lang)
        written.append(write_bytes(target, data))
    return written
