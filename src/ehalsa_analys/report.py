"""The regional report: notebooks in, figures, tables, executed notebooks and report.html out.

``ehalsa report --county 18`` (or :func:`run`) executes the notebooks of
:data:`PARTS` in order with papermill and collects what they save through
:class:`ehalsa_analys.store.Outputs`:

* ``reports/<county>/<period>/``: the executed notebooks and ``report.html``,
  one self-contained file (figures embedded) with a table of contents,
  captions, source lines, short Swedish text, a note on the data and on
  synthetic data when the demo is used, and no code;
* ``figures/<county>/<period>/``: every figure as PNG and SVG with stable
  names (``lika_heatmap.png``), its caption in ``<name>.json``, the tables
  under ``tabeller/`` as CSV (``;``, decimal comma) and xlsx, and
  ``manifest.json`` (input hashes, versions, parameters, output hashes).

``<period>`` is the quarter when given, else the year, else "latest".

How a run behaves
-----------------
* **Data.** The parts read ``<data>/<folder>`` (``lika``, ``socialstyrelsen``,
  ``avstand``, ``monitoring``). When data/raw holds no user data the
  synthetic demo is written to data/raw/demo and used, and the report says so
  on its first page.
* **Skipping.** A part whose data folder is missing or empty, or whose
  notebook does not exist, is skipped with one line in the output and in the
  report; the summary notebook runs when at least one part ran.
* **Safety.** Everything is built in temporary folders beside the targets
  and swapped in only when every notebook succeeded: a failing notebook stops
  the run with the failing cell's error and the executed notebook's path, and
  the previous good run stays in place.
* **Determinism.** Figures, tables, report.html and the manifest are
  byte-identical for the same inputs (no clock time anywhere in them). The
  executed notebooks carry papermill's timings and are not hashed.

Example
-------
>>> # run(county_code="18")   # prints progress and where everything went
"""

from __future__ import annotations

import base64
import html
import json
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import __version__, demo, plots, reference, store
from ._atomic import write_bytes
from .errors import EhalsaError, UnknownMunicipalityError
from .paths import demo_dir, figures_dir, project_root, raw_dir, reports_dir

__all__ = [
    "Part",
    "PARTS",
    "ReportError",
    "run",
    "write_html",
    "monitor_quarter",
]


class ReportError(EhalsaError):
    """A notebook of the report failed; the previous report is left in place."""


@dataclass(frozen=True)
class Part:
    """One section of the report: a notebook and the data folder it reads."""

    key: str
    notebook: str
    folder: str | None
    title_sv: str
    title_en: str
    intro_sv: str


#: The report's parts, in report order. ``folder`` None marks the summary.
PARTS = (
    Part(
        "summary",
        "05_regional_rapport.ipynb",
        None,
        "Sammanfattning",
        "Summary",
        "De viktigaste resultaten för länet.",
    ),
    Part(
        "lika",
        "01_lika_mognad.ipynb",
        "lika",
        "Digital mognad (LIKA)",
        "Digital maturity (LIKA)",
        "Kommunernas självskattning i LIKA Socialtjänst: var de står, hur långt från varandra "
        "de ligger och vilka gemensamma utvecklingsområden som framträder.",
    ),
    Part(
        "survey",
        "02_socialstyrelsen_jamforelse.ipynb",
        "socialstyrelsen",
        "E-hälsa i kommunerna (Socialstyrelsen)",
        "E-health in the municipalities (Socialstyrelsen)",
        "Socialstyrelsens årliga enkät: länets kommuner jämförda med länet, riket och "
        "liknande kommuner, och utvecklingen över tid.",
    ),
    Part(
        "access",
        "03_landsbygd_avstand.ipynb",
        "avstand",
        "Avstånd till service",
        "Distance to service",
        "Hur många som bor långt från service, och hur mycket resor digitala tjänster sparar.",
    ),
    Part(
        "monitoring",
        "04_effektuppfoljning.ipynb",
        "monitoring",
        "Effektuppföljning",
        "Effect monitoring",
        "Gör den införda välfärdstekniken det vi väntade oss? Serier per kvartal med "
        "styr- och seriediagram.",
    ),
)
#: The order in which notebooks run (the summary last, after the parts it summarises).
RUN_ORDER = ("lika", "survey", "access", "monitoring", "summary")


def _notebooks_dir(root: Path) -> Path:
    """The notebooks: the project's notebooks/ folder, else the repository's beside src/."""
    for folder in (root / "notebooks", Path(__file__).resolve().parents[2] / "notebooks"):
        if folder.is_dir():
            return folder
    raise EhalsaError(
        "Cannot find the notebooks folder",
        file=str(root / "notebooks"),
        hint="run from the ehalsa_analys repository, or copy its notebooks/ into your project",
    )


def _has_files(folder: Path) -> bool:
    return folder.is_dir() and any(
        p.is_file() and not p.name.startswith(".") for p in folder.rglob("*")
    )


def _input_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith("."))


def _fresh(path: Path) -> Path:
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)
    return path


def _swap(built: Path, final: Path) -> None:
    """Replace ``final`` by ``built`` with renames; the old one is removed only afterwards."""
    final.parent.mkdir(parents=True, exist_ok=True)
    old = final.with_name(f".{final.name}.old")
    if old.exists():
        shutil.rmtree(old)
    if final.exists():
        os.replace(final, old)
    os.replace(built, final)
    if old.exists():
        shutil.rmtree(old)


class _NoData(Exception):
    """A notebook found no data for the county: its part is left out, with this reason."""


def _execute(notebook: Path, executed: Path, parameters: dict, cwd: Path) -> None:
    import papermill
    from papermill.exceptions import PapermillExecutionError

    declared = papermill.inspect_notebook(str(notebook))
    try:
        papermill.execute_notebook(
            str(notebook),
            str(executed),
            parameters={k: v for k, v in parameters.items() if k in declared},
            cwd=str(cwd),
            kernel_name="python3",
            progress_bar=False,
        )
    except PapermillExecutionError as err:
        if err.ename == "NoDataError":  # the notebook's source has nothing for the county
            raise _NoData(str(err.evalue).split("\n")[0].rstrip(".")) from None
        raise ReportError(
            f"Notebook {notebook.name} failed in cell {err.exec_count}: {err.ename}: "
            f"{err.evalue}. The previous report is left in place",
            file=str(executed),
            hint="open the executed notebook to see the whole error; fix the input or the "
            "parameter it names and run again",
        ) from None


def run(
    *,
    root: Path | None = None,
    county_code: str = demo.DEMO_COUNTY,
    year: int | None = None,
    quarter: str | None = None,
    data_dir: Path | None = None,
    out_dir: Path | None = None,
    lang: str = "sv",
    seed: int = demo.DEFAULT_SEED,
    echo: Callable[[str], None] = lambda _text: None,
) -> dict[str, Path]:
    """Run the report's notebooks for one county; return where the outputs went.

    Parameters
    ----------
    root : Path, optional
        Project folder (default :func:`paths.project_root`).
    county_code : str
        County code or name ("18", "Örebro län").
    year, quarter : optional
        Passed to the notebooks that take them; name the period folder.
    data_dir : Path, optional
        Folder of raw exports with one subfolder per source (default
        data/raw, or data/raw/demo when data/raw has no user data).
    out_dir : Path, optional
        Figures folder (default figures/).
    lang : {"sv", "en"}
    seed : int
        Seed of the demo data and of the bootstrap intervals.
    echo : callable
        Receives progress lines (``print`` on the command line).

    Returns
    -------
    dict
        "figures", "report" (the folders), "html" and "manifest" (files).

    Example
    -------
    >>> # paths = run(county_code="18", echo=print)
    """
    root = Path(root) if root is not None else project_root()
    try:
        county_code = reference.resolve_county(county_code)
    except UnknownMunicipalityError as err:
        raise EhalsaError(
            f"Unknown county {county_code!r}",
            value=county_code,
            hint="give a county code such as 18 (Örebro län) or the county's name",
        ) from err
    county = reference.counties().set_index("county_code").loc[county_code, "county"]
    period = str(quarter) if quarter else str(year) if year else "latest"
    synthetic = data_dir is None and not demo.has_user_data(root)
    if data_dir is None and synthetic:
        written = demo.ensure_demo(root, seed=seed)
        if written:
            echo(f"data/raw har inga egna data: skrev SYNTETISKA demodata till {demo_dir(root)}")
        data_dir = demo_dir(root)
    elif data_dir is None:
        data_dir = raw_dir(root)
    data_dir = Path(data_dir)
    final_figures = (Path(out_dir) if out_dir else figures_dir(root)) / county_code / period
    final_reports = reports_dir(root) / county_code / period
    build_figures = _fresh(final_figures.with_name(f".{period}.building"))
    build_reports = _fresh(final_reports.with_name(f".{period}.building"))
    notebooks = _notebooks_dir(root)

    parts = {p.key: p for p in PARTS}
    ran: dict[str, list[str]] = {}
    skipped: dict[str, str] = {}
    inputs: list[Path] = []
    start = time.perf_counter()
    echo(f"Rapport för {county} ({county_code}), period {period}, data {data_dir}")
    for i, key in enumerate(RUN_ORDER, 1):
        part = parts[key]
        notebook = notebooks / part.notebook
        folder = data_dir / part.folder if part.folder else None
        if not notebook.is_file():
            skipped[key] = f"notebooken {part.notebook} finns inte"
        elif folder is not None and not _has_files(folder):
            skipped[key] = f"inga data i {folder}"
        elif folder is None and not ran:
            skipped[key] = "ingen annan del hade data"
        if key in skipped:
            echo(f"[{i}/{len(RUN_ORDER)}] hoppar över {part.title_sv}: {skipped[key]}")
            continue
        echo(f"[{i}/{len(RUN_ORDER)}] kör {part.notebook} …")
        before = {p.stem for p in build_figures.glob("*.json")}
        parameters = {
            "county_code": county_code,
            "data_dir": str(folder) if folder else str(data_dir),
            "results_dir": str(build_figures),
            "figures_dir": str(build_figures),
            "tables_dir": str(build_figures / "tabeller"),
            "lang": lang,
            "seed": seed,
            "synthetic": synthetic,
            "year": year,
            "quarter": quarter,
        }
        t0 = time.perf_counter()
        try:
            _execute(notebook, build_reports / part.notebook, parameters, cwd=root)
        except _NoData as reason:
            (build_reports / part.notebook).unlink(missing_ok=True)
            skipped[key] = str(reason)
            echo(f"      hoppar över {part.title_sv}: {skipped[key]}")
            continue
        ran[key] = sorted({p.stem for p in build_figures.glob("*.json")} - before)
        if folder is not None:
            inputs += _input_files(folder)
        echo(f"      klar på {time.perf_counter() - t0:.1f} s, {len(ran[key])} figurer")

    html_path = write_html(
        build_figures,
        build_reports / "report.html",
        ran=ran,
        skipped=skipped,
        county=county,
        period=period,
        synthetic=synthetic,
        lang=lang,
    )
    outputs = sorted(p for p in build_figures.rglob("*") if p.is_file()) + [html_path]
    entry = store.manifest_entry(
        inputs=inputs,
        root=root,
        parameters={
            "county_code": county_code,
            "period": period,
            "year": year,
            "quarter": quarter,
            "lang": lang,
            "seed": seed,
            "synthetic": synthetic,
            "parts_run": sorted(ran),
            "parts_skipped": dict(sorted(skipped.items())),
        },
    )
    entry["outputs"] = {
        (p.name if p == html_path else p.relative_to(build_figures).as_posix()): store.file_hash(p)
        for p in outputs
    }
    store.write_manifest(entry, build_figures / "manifest.json")
    _swap(build_figures, final_figures)
    _swap(build_reports, final_reports)
    echo(f"Klart på {time.perf_counter() - start:.1f} s.")
    echo(f"  figurer och tabeller: {final_figures}")
    echo(f"  rapport:              {final_reports / 'report.html'}")
    echo(f"  körda notebooks:      {final_reports}")
    echo(f"  manifest:             {final_figures / 'manifest.json'}")
    if synthetic:
        echo("  Obs: rapporten bygger på SYNTETISKA demodata, inte statistik.")
    return {
        "figures": final_figures,
        "report": final_reports,
        "html": final_reports / "report.html",
        "manifest": final_figures / "manifest.json",
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

_CSS = """
body{font-family:"DejaVu Sans",Arial,sans-serif;max-width:60em;margin:2em auto;padding:0 1em;
color:#222;line-height:1.45}
h1{font-size:1.6em}h2{border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:2em}
figure{margin:1.5em 0}figure img{max-width:100%;height:auto;border:1px solid #eee}
figcaption{font-size:.95em;margin-top:.4em}.source{color:#555;font-size:.85em}
.synthetic{background:#fff3cd;border:1px solid #e0c36b;padding:.7em 1em;font-weight:bold}
.skipped{color:#8a5a00;font-style:italic}nav ol{padding-left:1.2em}
"""


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

    Sections follow :data:`PARTS`; each figure is embedded as a PNG (base64)
    with its caption and source line; skipped parts get one line saying why.
    Nothing in the file depends on the clock, so it is byte-identical for the
    same figures.

    Example
    -------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> path = write_html(folder, folder / "r.html", ran={}, skipped={"lika": "inga data"},
    ...                   county="Örebro län", period="2024", synthetic=True)
    >>> "inga data" in path.read_text(encoding="utf-8")
    True
    """
    text = _HTML_TEXT[lang]
    esc = html.escape
    body: list[str] = []
    toc: list[str] = []
    n = 0
    for part in PARTS:
        title = part.title_sv if lang == "sv" else part.title_en
        if part.key not in ran and part.key not in skipped:
            continue
        anchor = f"del-{part.key}"
        toc.append(f'<li><a href="#{anchor}">{esc(title)}</a></li>')
        body.append(f'<section id="{anchor}"><h2>{esc(title)}</h2>')
        if part.key in skipped:
            reason = text["skipped"].format(reason=skipped[part.key])
            body.append(f'<p class="skipped">{esc(reason)}</p></section>')
            continue
        if lang == "sv":
            body.append(f"<p>{esc(part.intro_sv)}</p>")
        metas = [
            json.loads((figures / f"{name}.json").read_text("utf-8")) for name in ran[part.key]
        ]
        for meta in sorted(metas, key=lambda m: (m.get("order", 0), m["name"])):
            png = figures / f"{meta['name']}.png"
            if not png.is_file():
                continue
            n += 1
            data = base64.b64encode(png.read_bytes()).decode("ascii")
            label = text["figure"].format(n=n)
            source = (
                f'<br><span class="source">{esc(meta["source"])}</span>'
                if meta.get("source")
                else ""
            )
            body.append(
                f'<figure id="{esc(meta["name"])}"><img alt="{esc(meta.get("caption") or label)}" '
                f'src="data:image/png;base64,{data}"><figcaption><b>{esc(label)}.</b> '
                f"{esc(meta.get('caption', ''))}{source}</figcaption></figure>"
            )
        body.append("</section>")
    about = [f"<h2>{esc(text['about'])}</h2>"]
    if synthetic:
        about.append(f'<p class="synthetic">{esc(text["synthetic"])}</p>')
    about.append(f"<p>{esc(text['sources'])}</p>")
    about.append(f"<p>{esc(text['made'].format(version=__version__))}</p>")
    title = text["title"].format(county=county)
    period = text["latest"] if period == "latest" else period
    page = [
        "<!DOCTYPE html>",
        f'<html lang="{lang}"><head><meta charset="utf-8">',
        f"<title>{esc(title)} – {esc(period)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{esc(title)}</h1><p>{esc(text['period'].format(period=period))}</p>",
    ]
    if synthetic:
        page.append(f'<p class="synthetic">{esc(text["synthetic"])}</p>')
    page.append(f"<nav><h2>{esc(text['contents'])}</h2><ol>{''.join(toc)}")
    page.append(f'<li><a href="#om-underlaget">{esc(text["about"])}</a></li></ol></nav>')
    page += body
    page.append(f'<section id="om-underlaget">{"".join(about)}</section></body></html>')
    return write_bytes(target, ("\n".join(page) + "\n").encode("utf-8"))


def monitor_quarter(
    input_path: Path,
    *,
    root: Path | None = None,
    quarter: str | None = None,
    replace: bool = False,
    county_code: str | None = None,
    lang: str = "sv",
    echo: Callable[[str], None] = lambda _text: None,
) -> dict[str, Path]:
    """The quarterly rerun behind ``ehalsa monitor``: history, charts, summary, manifest.

    Reads ``input_path`` (a file or folder of quarterly measurements), adds it
    to the history in data/processed (:func:`store.append_history`: nothing
    changes on a rerun with the same data; changed quarters stop the run
    unless ``replace``), recomputes every chart from the whole history,
    writes one figure per metric, the quarter's summary (CSV/xlsx with small
    counts masked, and ``sammanfattning.txt``) and a manifest to
    ``figures/<county>/<quarter>/``, and returns their paths.

    Example
    -------
    >>> # monitor_quarter(Path("data/raw/monitoring"), echo=print)
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import pandas as pd

    from . import load, monitoring
    from .paths import processed_dir

    root = Path(root) if root is not None else project_root()
    catalogue = load.metric_catalogue()
    data = load.monitoring(input_path, catalogue=catalogue)
    result = store.append_history(data, directory=processed_dir(root), replace=replace)
    echo(
        f"Historik {result.path}: {len(result.added)} nya rader, {result.unchanged} oförändrade"
        + (
            f", {len(result.replaced)} ersatta (sparade i audit.parquet)"
            if len(result.replaced)
            else ""
        )
        + "."
    )
    history = store.read_history(processed_dir(root))
    charts = monitoring.charts_for(history, catalogue)
    period = pd.Period(quarter, "Q") if quarter else history["period"].max()
    counties = history["municipality_code"].str[:2].unique()
    county = county_code or (counties[0] if len(counties) == 1 else "monitor")
    out = figures_dir(root) / county / str(period)
    names = reference.municipalities().set_index("municipality_code")["municipality"]
    titles = catalogue.set_index("metric_id")["title_sv"]
    source = "Kommunernas effektuppföljning"
    written: list[Path] = []
    with plots.house_style(context="paper"):
        for metric, group in charts.groupby("metric_id", sort=True):
            first = group.iloc[0]
            fig = plots.spc_small_multiples(
                group[group["x"] <= period],
                target=first["target"] if pd.notna(first["target"]) else None,
                higher_is_better=bool(first["higher_is_better"]),
                percent=first["chart"] in ("p", "pp"),
                lang=lang,
                source=source,
            )
            fig.suptitle(titles.get(metric, metric), x=0.01, ha="left", fontweight="bold")
            written += plots.save(fig, out / f"monitor_{metric}")
            plt.close(fig)
    summary = monitoring.quarter_summary(charts, quarter=period)
    # The same table, with the same cells hidden, as notebook 04's.
    table = monitoring.quarter_table(
        charts,
        data=history,
        catalogue=catalogue,
        quarter=period,
        names=names,
        titles=titles,
        lang=lang,
    )
    written += store.write_report_table(table, "monitor_kvartal", out)
    lines = monitoring.summary_lines(summary, names=names, titles=titles, lang=lang)
    text = ("\n".join(lines) + "\n").encode("utf-8")
    written.append(write_bytes(out / "sammanfattning.txt", text))
    entry = store.manifest_entry(
        inputs=sorted({Path(f) for f in data["file"]}),
        outputs=written,
        root=root,
        parameters={"quarter": str(period), "replace": replace, "county": county, "lang": lang},
    )
    manifest = store.write_manifest(entry, out / "manifest.json")
    for line in lines:
        echo(line)
    echo(f"Figurer, tabell och sammanfattning: {out}")
    return {"figures": out, "history": result.path, "manifest": manifest}
