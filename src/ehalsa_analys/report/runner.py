"""Running the report: the notebooks executed with papermill into temporary folders swapped in.

Example
-------
>>> # run(county_code="18", echo=print)   # prints progress and where everything went
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Callable, Mapping
from pathlib import Path

from .. import demo, reference, store
from .._atomic import write_bytes
from ..errors import EhalsaError, check_choice
from ..formatting import format_number
from ..paths import demo_dir, figures_dir, project_root, raw_dir, reports_dir
from ..safe import slug
from .parts import PARTS, RUN_ORDER, county_argument
from .render import write_html

__all__ = ["ReportError", "run"]

#: The repository this module sits in (src/ehalsa_analys/report/): its notebooks/ is the fallback.
_REPOSITORY = Path(__file__).resolve().parents[3]


class ReportError(EhalsaError):
    """A notebook of the report failed; the previous report is left in place."""


def _seconds(value: float, lang: str = "sv") -> str:
    """Seconds for the console, the Swedish way ("10,3 s"; "10.3 s" in English)."""
    return f"{format_number(value, decimals=1, lang=lang)} s"


#: What the runner says, on the console and (the reasons a part is left out) in the report.
_SAY = {
    "sv": {
        "demo": "data/raw har inga egna data: skrev SYNTETISKA demodata till {path}",
        "recovered": "Förra körningen avbröts mitt i bytet av mappar: slutförde det, så att "
        "figurer och rapport i {path} kommer från samma körning",
        "start": "Rapport för {county} ({code}), period {period}, data {data}",
        "no_notebook": "notebooken {notebook} finns inte",
        "no_files": "inga data i {folder}",
        "no_other": "ingen annan del hade data",
        "skip": "[{i}/{n}] hoppar över {title}: {reason}",
        "run": "[{i}/{n}] kör {notebook} …",
        "skip_late": "      hoppar över {title}: {reason}",
        "part_done": "      klar på {seconds}, {figures} figurer",
        "no_text": "      ingen text eller tabell för {key}: {note}",
        "content_done": "      sammanfattning, tabeller och kommunprofiler klara på {seconds}",
        "done": "Klart på {seconds}.",
        "figures": "  figurer och tabeller: {path}",
        "report": "  rapport:              {path}",
        "notebooks": "  körda notebooks:      {path}",
        "manifest": "  manifest:             {path}",
        "synthetic": "  Obs: rapporten bygger på SYNTETISKA demodata, inte statistik.",
    },
    "en": {
        "demo": "data/raw holds no data of your own: wrote SYNTHETIC demo data to {path}",
        "recovered": "The last run stopped while swapping folders: finished the swap, so that "
        "the figures and the report in {path} come from the same run",
        "start": "Report for {county} ({code}), period {period}, data {data}",
        "no_notebook": "the notebook {notebook} does not exist",
        "no_files": "no data in {folder}",
        "no_other": "no other part had data",
        "skip": "[{i}/{n}] skipping {title}: {reason}",
        "run": "[{i}/{n}] running {notebook} …",
        "skip_late": "      skipping {title}: {reason}",
        "part_done": "      done in {seconds}, {figures} figures",
        "no_text": "      no text or table for {key}: {note}",
        "content_done": "      summary, tables and municipality profiles done in {seconds}",
        "done": "Done in {seconds}.",
        "figures": "  figures and tables: {path}",
        "report": "  report:             {path}",
        "notebooks": "  notebooks run:      {path}",
        "manifest": "  manifest:           {path}",
        "synthetic": "  Note: the report is built on SYNTHETIC demo data, not statistics.",
    },
}


def _notebooks_dir(root: Path) -> Path:
    """The notebooks: the project's notebooks/ folder, else the repository's beside src/."""
    for folder in (root / "notebooks", _REPOSITORY / "notebooks"):
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
    """The files under ``folder``; a link (``ehalsa report --county all``) as the file it names."""
    files = sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith("."))
    return [p.resolve() if p.is_symlink() else p for p in files]


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


def _journal_path(final_reports: Path) -> Path:
    """The swap journal of one report: ``reports/<county>/.<period>.swap.json``."""
    return final_reports.with_name(f".{final_reports.name}.swap.json")


def _old(final: Path) -> Path:
    return final.with_name(f".{final.name}.old")


def _roll_forward(pairs: list[tuple[Path, Path]]) -> None:
    """Move every built folder still waiting into place; a pair already swapped is left alone.

    For each pair the states a kill can leave are: built and the previous final (nothing done),
    built and ``.old`` without final (the previous one moved aside), final and ``.old`` without
    built (swapped). Each step below takes one of them to the next, so this can itself be
    interrupted and run again.
    """
    for built, final in pairs:
        if not built.exists():
            continue  # this pair is already in place
        final.parent.mkdir(parents=True, exist_ok=True)
        old = _old(final)
        if final.exists():
            if old.exists():
                shutil.rmtree(old)  # an old folder left by an earlier, finished run
            os.replace(final, old)
        os.replace(built, final)


def _drop_old(pairs: list[tuple[Path, Path]]) -> None:
    for _built, final in pairs:
        old = _old(final)
        if old.exists():
            shutil.rmtree(old, ignore_errors=True)


def _swap_together(pairs: list[tuple[Path, Path]], journal: Path) -> None:
    """Swap every built folder in as one change: journal first, renames, journal removed.

    The journal (written atomically) is the commit: a run killed before it leaves the previous
    folders in place (the ``.building`` folders are rebuilt by the next run); a run killed after
    it is completed by :func:`_recover_swap` at the start of the next run, so figures and report
    always come from the same run.
    """
    record = {"pairs": [[str(built), str(final)] for built, final in pairs]}
    write_bytes(journal, json.dumps(record, ensure_ascii=False).encode("utf-8"))
    _roll_forward(pairs)
    journal.unlink()
    _drop_old(pairs)


def _recover_swap(journal: Path) -> str | None:
    """Complete a swap a killed run left half done; return what was done, for the output.

    With a journal the swap was committed: it is rolled forward. Without one, ``.old`` folders
    beside the targets are leftovers of a finished swap and are removed; ``.building`` folders are
    replaced when the report is built again.
    """
    for stray in journal.parent.glob(f".{journal.stem}.*.tmp*"):
        stray.unlink(missing_ok=True)  # a journal whose writing was interrupted: not committed
    if not journal.is_file():
        return None
    try:
        record = json.loads(journal.read_text(encoding="utf-8"))
        pairs = [(Path(built), Path(final)) for built, final in record["pairs"]]
    except (ValueError, KeyError, TypeError) as err:
        raise ReportError(
            f"The swap journal of the previous report run cannot be read ({err})",
            file=str(journal),
            hint="check that the figures folder and the report folder beside it come from the "
            "same run (manifest.json lists the hash of report.html), then delete the journal "
            "and run `ehalsa report` again",
        ) from None
    _roll_forward(pairs)
    journal.unlink()
    _drop_old(pairs)
    return ", ".join(str(final) for _built, final in pairs)


class _NoData(Exception):
    """A notebook found no data for the county: its part is left out, with this reason."""


#: The key :func:`run` gives ``on_part`` for what follows the notebooks (texts, tables, profiles,
#: PDFs and the manifest, computed in the calling process).
REPORT_STEP = "report"

#: What every report kernel is started with. Its own log is silenced: it warns at every start
#: that it talks over local TCP without encryption and notes a KeyboardInterrupt at shutdown,
#: which says nothing about the report (a notebook's errors come through papermill).
KERNEL_ARGUMENTS = ("--IPKernelApp.log_level=CRITICAL",)


def _execute(
    notebook: Path, executed: Path, parameters: dict, cwd: Path, *, tag: str | None = None
) -> None:
    """Run one notebook; ``tag`` ("18/lika") names the kernel on its command line (ps, psutil)."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    declared = papermill.inspect_notebook(str(notebook))
    arguments = list(KERNEL_ARGUMENTS)
    if tag:  # an option of no class the kernel knows: ignored by it, visible to ps
        arguments.append(f"--EhalsaReport.part={tag}")
    try:
        papermill.execute_notebook(
            str(notebook),
            str(executed),
            parameters={k: v for k, v in parameters.items() if k in declared},
            cwd=str(cwd),
            kernel_name="python3",
            progress_bar=False,
            extra_arguments=arguments,
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


def _content(root, data_dir, county_code, ran, lang, seed, year, quarter, synthetic, echo):
    """Front page, findings, tables, action plan and profiles, from the notebooks' data."""
    from .collect import collect
    from .frontpage import read_settings
    from .render import build_content

    settings = read_settings(data_dir, raw_dir(root))
    collected = collect(
        data_dir, county_code=county_code, seed=seed, year=year, quarter=quarter, parts=set(ran)
    )
    for key, note in sorted(collected.notes.items()):
        echo(_SAY[lang]["no_text"].format(key=key, note=note))
    shown = {name for names in ran.values() for name in names}
    return build_content(
        collected, lang=lang, synthetic=synthetic, settings=settings, figures=shown
    )


def _write_profiles(content, folder: Path, county: str, period: str, synthetic: bool, lang: str):
    """Each municipality's profile as ``kommuner/<kod>_<namn>.html`` (names through safe.slug)."""
    from ..safe import inside
    from .render import write_profile_html

    written = []
    for profile in content.profiles:
        target = inside(folder, "kommuner", profile.filename).with_suffix(".html")
        written.append(
            write_profile_html(
                profile,
                target,
                county=county,
                period=period,
                synthetic=synthetic,
                lang=lang,
                front=content.front,
            )
        )
    return written


def _write_pdfs(content, figures, folder, ran, skipped, county, period, synthetic, lang):
    """report.pdf and each profile's PDF (fpdf2); none when fpdf2 is not installed."""
    try:
        from . import pdf
    except ImportError:  # pragma: no cover - fpdf2 is a dependency; a bare install still reports
        return []
    return pdf.write_pdfs(
        content,
        figures,
        folder,
        ran=ran,
        skipped=skipped,
        county=county,
        period=period,
        synthetic=synthetic,
        lang=lang,
    )


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
    synthetic: bool | None = None,
    on_part: Callable[[str, float], None] | None = None,
    no_data: Mapping[str, str] | None = None,
) -> dict[str, Path]:
    """Run the report's notebooks for one county; return where the outputs went.

    ``ehalsa report --county 18`` calls this. The notebooks of :data:`~ehalsa_analys.report.PARTS`
    run in :data:`~ehalsa_analys.report.RUN_ORDER` with papermill. What they save through
    :class:`ehalsa_analys.store.Outputs` goes to ``figures/<county>/<period>/`` (figures as PNG and
    SVG with stable names and a ``<name>.json`` caption file, tables as CSV and xlsx under
    ``tabeller/``, ``manifest.json`` with input and output hashes, versions and parameters); the
    executed notebooks and ``report.html`` (:func:`~ehalsa_analys.report.write_html`) go to
    ``reports/<county>/<period>/``. ``<period>`` is the quarter when given, else the year, else
    "latest".

    Parameters
    ----------
    root : Path, optional
        Project folder (default :func:`~ehalsa_analys.paths.project_root`).
    county_code : str
        County code or name ("18", "Örebro län").
    year, quarter : optional
        Passed to the notebooks that take them; name the period folder.
    data_dir : Path, optional
        Folder of raw exports with one subfolder per source (default data/raw, or data/raw/demo
        when data/raw has no user data).
    out_dir : Path, optional
        Figures folder (default figures/).
    lang : {"sv", "en"}
    seed : int
        Seed of the demo data and of the bootstrap intervals.
    echo : callable
        Receives progress lines (``print`` on the command line).
    synthetic : bool, optional
        Whether ``data_dir`` holds the synthetic demo (the report then says so); default: when
        no ``data_dir`` is given and data/raw holds no user data.
    on_part : callable, optional
        Called as ``on_part(key, seconds)`` after each notebook that ran and, with
        :data:`REPORT_STEP`, after the report's own step (texts, tables, profiles, PDFs, manifest);
        ``ehalsa report --county all`` adds the times up per part.
    no_data : mapping, optional
        Part key -> why it has no data; those parts are left out with that reason without
        starting a kernel (``ehalsa report --county all``: the sources without rows for the
        county).

    Returns
    -------
    dict
        "figures", "report" (the folders), "html" and "manifest" (files).

    Raises
    ------
    ReportError
        A notebook failed: the message gives the failing cell's error and the executed notebook's
        path; the previous report is left in place.
    EhalsaError
        The county is unknown, or the notebooks folder cannot be found.

    Notes
    -----
    The parts read ``<data>/<folder>`` (``lika``, ``socialstyrelsen``, ``avstand``,
    ``monitoring``). When data/raw holds no user data the synthetic demo is written to data/raw/demo
    and used, and the report says so on its first page. A part whose folder is missing or empty,
    whose notebook does not exist, or whose notebook raises
    :class:`~ehalsa_analys.errors.NoDataError` (no rows for the county) is left out with one line in
    the output and in the report; the summary runs when at least one part ran. Everything is built
    in temporary folders beside the targets (``.<period>.building``) and swapped in with renames
    only when every notebook succeeded. The two swaps are one change: a journal
    (``reports/<county>/.<period>.swap.json``) is written before the first rename and removed after
    the last, and a run killed in between is completed at the start of the next run, so the
    figures folder and the report folder always come from the same run (the manifest holds the
    hash of report.html). Figures, tables, report.html and the manifest are
    byte-identical for the same inputs; the executed notebooks carry papermill's timings and are not
    hashed.

    Example
    -------
    >>> # paths = run(county_code="18", echo=print)
    """
    check_choice("lang", list(_SAY), lang)
    say = _SAY[lang]
    root = Path(root) if root is not None else project_root()
    county_code = county_argument(county_code)
    county = reference.counties().set_index("county_code").loc[county_code, "county"]
    if quarter:  # every documented spelling, checked before anything is written
        from ..load import parse_quarter

        quarter = str(parse_quarter([quarter], column="--quarter").iloc[0])
    if year is not None and not (isinstance(year, int) and 2000 <= year <= 2100):
        raise EhalsaError(
            f"{year!r} is not a year", column="--year", value=year, hint="give a year, e.g. 2024"
        )
    period = slug(quarter if quarter else str(year) if year else "latest")
    if synthetic is None:
        synthetic = data_dir is None and not demo.has_user_data(root)
    if data_dir is None and synthetic:
        written = demo.ensure_demo(root, seed=seed)
        if written:
            echo(say["demo"].format(path=demo_dir(root)))
        data_dir = demo_dir(root)
    elif data_dir is None:
        data_dir = raw_dir(root)
    data_dir = Path(data_dir)
    final_figures = (Path(out_dir) if out_dir else figures_dir(root)) / county_code / period
    final_reports = reports_dir(root) / county_code / period
    journal = _journal_path(final_reports)
    recovered = _recover_swap(journal)
    if recovered:
        echo(say["recovered"].format(path=recovered))
    build_figures = _fresh(final_figures.with_name(f".{period}.building"))
    build_reports = _fresh(final_reports.with_name(f".{period}.building"))
    notebooks = _notebooks_dir(root)

    parts = {p.key: p for p in PARTS}
    ran: dict[str, list[str]] = {}
    skipped: dict[str, str] = {}
    inputs: list[Path] = []
    start = time.perf_counter()
    echo(say["start"].format(county=county, code=county_code, period=period, data=data_dir))
    n = len(RUN_ORDER)
    for i, key in enumerate(RUN_ORDER, 1):
        part = parts[key]
        title = part.title_sv if lang == "sv" else part.title_en
        notebook = notebooks / part.notebook
        folder = data_dir / part.folder if part.folder else None
        if not notebook.is_file():
            skipped[key] = say["no_notebook"].format(notebook=part.notebook)
        elif no_data and key in no_data:
            skipped[key] = no_data[key]
        elif folder is not None and not _has_files(folder):
            skipped[key] = say["no_files"].format(folder=folder)
        elif folder is None and not ran:
            skipped[key] = say["no_other"]
        if key in skipped:
            echo(say["skip"].format(i=i, n=n, title=title, reason=skipped[key]))
            continue
        echo(say["run"].format(i=i, n=n, notebook=part.notebook))
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
            _execute(
                notebook,
                build_reports / part.notebook,
                parameters,
                cwd=root,
                tag=f"{county_code}/{key}",
            )
        except _NoData as reason:
            (build_reports / part.notebook).unlink(missing_ok=True)
            skipped[key] = str(reason)
            echo(say["skip_late"].format(title=title, reason=skipped[key]))
            continue
        ran[key] = sorted({p.stem for p in build_figures.glob("*.json")} - before)
        if folder is not None:
            inputs += _input_files(folder)
        seconds = time.perf_counter() - t0
        if on_part is not None:
            on_part(key, seconds)
        echo(say["part_done"].format(seconds=_seconds(seconds, lang), figures=len(ran[key])))

    after = time.perf_counter()  # the report itself: texts, tables, profiles, PDFs, manifest
    content = None
    if ran:
        t0 = time.perf_counter()
        content = _content(
            root, data_dir, county_code, ran, lang, seed, year, quarter, synthetic, echo
        )
        echo(say["content_done"].format(seconds=_seconds(time.perf_counter() - t0, lang)))
    html_path = write_html(
        build_figures,
        build_reports / "report.html",
        ran=ran,
        skipped=skipped,
        county=county,
        period=period,
        synthetic=synthetic,
        lang=lang,
        content=content,
    )
    extra = (
        _write_profiles(content, build_reports, county, period, synthetic, lang) if content else []
    )
    extra += _write_pdfs(
        content, build_figures, build_reports, ran, skipped, county, period, synthetic, lang
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
    entry["outputs"].update(
        {p.relative_to(build_reports).as_posix(): store.file_hash(p) for p in extra}
    )
    store.write_manifest(entry, build_figures / "manifest.json")
    if on_part is not None:
        on_part(REPORT_STEP, time.perf_counter() - after)
    pairs = [(build_figures, final_figures), (build_reports, final_reports)]
    try:
        _swap_together(pairs, journal)
    except OSError as err:
        if not journal.is_file():
            raise ReportError(
                f"The new report could not be moved into place ({err}); the previous figures "
                "and report are left in place, unchanged",
                file=str(final_reports),
                hint="check that the figures and reports folders are writable and not open in "
                "another program, then run again",
            ) from None
        raise ReportError(
            f"The new report was only partly moved into place ({err}): figures and report may "
            "now come from different runs until the change is completed",
            file=str(journal),
            hint="check that the figures and reports folders are writable and not open in "
            "another program, then run `ehalsa report` again: it completes the change first",
        ) from None
    echo(say["done"].format(seconds=_seconds(time.perf_counter() - start, lang)))
    echo(say["figures"].format(path=final_figures))
    echo(say["report"].format(path=final_reports / "report.html"))
    echo(say["notebooks"].format(path=final_reports))
    echo(say["manifest"].format(path=final_figures / "manifest.json"))
    if synthetic:
        echo(say["synthetic"])
    return {
        "figures": final_figures,
        "report": final_reports,
        "html": final_reports / "report.html",
        "manifest": final_figures / "manifest.json",
    }
