"""The quarterly rerun of effect monitoring behind ``ehalsa monitor``: history, charts, summary.

Example
-------
>>> # monitor_quarter(Path("data/raw/monitoring"), echo=print)
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

from .. import plots, reference, store
from .._atomic import write_bytes
from ..errors import check_choice
from ..formatting import format_number
from ..paths import figures_dir, project_root, raw_dir
from ..safe import inside, slug
from .parts import county_argument

__all__ = ["monitor_quarter", "MAX_PANELS"]

#: Without ``--county``, data of several counties get figures only when they hold at most this
#: many municipalities: a panel per municipality of 290 is unreadable and takes a minute a figure.
MAX_PANELS = 30
#: From this many figures on they are drawn in parallel processes (Linux).
MIN_PARALLEL = 8

#: What ``ehalsa monitor`` prints (its summary lines are :func:`monitoring.summary_lines`).
_SAY = {
    "sv": {
        "history": "Historik {path}: {added} nya rader, {same} oförändrade",
        "replaced": ", {n} ersatta (sparade i audit.parquet)",
        "many": "Inga figurer: data från {counties} län ({municipalities} kommuner); ange "
        "--county för att rita ett läns kommuner.",
        "none": "Inga figurer: data saknas för kommunerna i län {county}.",
        "written": "Figurer, tabell och sammanfattning: {path}",
        "peak": "Största minnesanvändning: {mb} MB.",
        "bar": ("Figurer", "figur"),
    },
    "en": {
        "history": "History {path}: {added} new rows, {same} unchanged",
        "replaced": ", {n} replaced (kept in audit.parquet)",
        "many": "No figures: data from {counties} counties ({municipalities} municipalities); "
        "give --county to draw one county's municipalities.",
        "none": "No figures: no data for the municipalities of county {county}.",
        "written": "Figures, table and summary: {path}",
        "peak": "Peak memory: {mb} MB.",
        "bar": ("Figures", "figure"),
    },
}


def _peak_memory_mb() -> float | None:
    """The process's largest resident memory so far in MB (None where the OS cannot tell)."""
    try:
        import resource
    except ImportError:  # Windows
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10  # bytes on macOS, else KiB


def _progress(items, *, enabled: bool, desc: str, unit: str, total: int | None = None):
    """``items`` with a tqdm bar on stderr when ``enabled`` (the bar never touches the outputs)."""
    if not enabled:
        return items
    from tqdm import tqdm

    return tqdm(
        items, desc=desc, unit=unit, total=total, file=sys.stderr, leave=False, dynamic_ncols=True
    )


def monitor_quarter(
    input_path: Path,
    *,
    root: Path | None = None,
    quarter: str | None = None,
    replace: bool = False,
    county_code: str | None = None,
    lang: str = "sv",
    allow_future: bool = False,
    echo: Callable[[str], None] = lambda _text: None,
    progress: bool | None = None,
    svg: bool = False,
) -> dict[str, Path]:
    """The quarterly rerun behind ``ehalsa monitor``: history, charts, summary, manifest.

    Adds ``input_path`` to the history in data/processed
    (:func:`ehalsa_analys.history.append_history`: a rerun with the same data changes nothing),
    recomputes every chart from the whole history, and writes one figure per metric, the quarter's
    summary (CSV/xlsx with small counts masked, and ``sammanfattning.txt``) and a manifest to
    ``figures/<county>/<quarter>/``.

    The figures show the county's municipalities (``county_code``, else the one county of the
    data); data of several counties without ``county_code`` get figures only when they hold at
    most :data:`MAX_PANELS` municipalities (else ``echo`` says to give ``--county``). The
    summary and the table always cover every municipality in the history.

    Parameters
    ----------
    input_path : Path
        A file or folder of quarterly measurements (:func:`ehalsa_analys.load.monitoring`).
    root : Path, optional
        Project folder (default :func:`~ehalsa_analys.paths.project_root`).
    quarter : str, optional
        The quarter to summarise, e.g. "2026Q3" (default: the latest in the history).
    replace : bool, default False
        Overwrite stored quarters that the new data change (the old rows go to
        ``audit.parquet``); without it such data stop the run with
        :class:`~ehalsa_analys.history.HistoryConflictError`.
    county_code : str, optional
        Names the output folder (default: the municipalities' county when there is one, else
        "monitor").
    lang : {"sv", "en"}, default "sv"
    allow_future : bool, default False
        Accept quarters after today's; by default they stop the run before anything is
        written (``ehalsa monitor --allow-future``).
    echo : callable
        Receives progress lines and the summary (``print`` on the command line), and last the
        process's peak memory.
    progress : bool, optional
        Show tqdm progress bars on stderr while drawing figures; default when stderr is a
        terminal. The bars change no output file.
    svg : bool, default False
        Write each figure as SVG beside its PNG (``ehalsa monitor --svg``), e.g. for print;
        drawing it costs about a third more time.

    Returns
    -------
    dict
        "figures" (the output folder), "history" (the history file) and "manifest".

    Example
    -------
    >>> # monitor_quarter(Path("data/raw/monitoring"), echo=print)
    """
    from .. import history as history_store
    from .. import load, monitoring
    from ..paths import processed_dir

    check_choice("lang", list(_SAY), lang)
    say = _SAY[lang]
    root = Path(root) if root is not None else project_root()
    # Everything the user typed is checked before anything is written.
    asked = load.parse_quarter([quarter], column="--quarter").iloc[0] if quarter else None
    if county_code is not None:
        county_code = county_argument(county_code)
    own = raw_dir(root) / "monitoring" / "metrics.csv"  # the project's own catalogue, if any
    catalogue = load.metric_catalogue(own if own.is_file() else None)
    data = load.monitoring(input_path, catalogue=catalogue, allow_future=allow_future)
    result = history_store.append_history(
        data,
        directory=processed_dir(root),
        replace=replace,
        allow_future=allow_future,
        root=root,
    )
    echo(
        say["history"].format(path=result.path, added=len(result.added), same=result.unchanged)
        + (say["replaced"].format(n=len(result.replaced)) if len(result.replaced) else "")
        + "."
    )
    history = history_store.read_history(processed_dir(root))
    charts = monitoring.charts_for(history, catalogue)
    period = asked if asked is not None else history["period"].max()
    counties = history["municipality_code"].str[:2].unique()
    county = county_code or (counties[0] if len(counties) == 1 else "monitor")
    out = inside(figures_dir(root), county, str(period))
    names = reference.municipalities().set_index("municipality_code")["municipality"]
    titles = catalogue.set_index("metric_id")["title_sv"]
    source = "Kommunernas effektuppföljning" if lang == "sv" else "The municipalities' monitoring"
    written: list[Path] = []
    if progress is None:
        progress = sys.stderr.isatty()
    # The figures: the county's municipalities (a coordinator's view; 290 panels are unreadable).
    codes = history["municipality_code"]
    if county != "monitor":
        drawn = codes.str[:2].to_numpy() == county
    elif codes.nunique() <= MAX_PANELS:
        drawn = None
    else:
        drawn = False
        echo(
            say["many"].format(counties=len(counties), municipalities=codes.nunique())
        )
    ours = charts
    if drawn is not False and drawn is not None:
        ours = charts[(charts["municipality_code"].str[:2] == county).to_numpy()]
        if ours.empty:
            drawn = False
            echo(say["none"].format(county=county))
    jobs = []
    if drawn is not False:
        part = history if drawn is None else history[drawn]
        jobs = _figure_jobs(
            ours,
            part,
            catalogue,
            out,
            period=period,
            lang=lang,
            source=source,
            formats=("png", "svg") if svg else ("png",),
        )
    # The figures are drawn in worker processes while this one builds the table and summary.
    with _Drawing(jobs, progress=progress, words=say["bar"]) as drawing:
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
        written += store.write_report_table(table, "monitor_kvartal", out, lang=lang)
        lines = monitoring.summary_lines(summary, names=names, titles=titles, lang=lang)
        text = ("\n".join(lines) + "\n").encode("utf-8")
        written.append(write_bytes(out / "sammanfattning.txt", text))
        written += drawing.results()
    entry = store.manifest_entry(
        inputs=sorted({Path(f) for f in data["file"].unique()} | {Path(catalogue.attrs["file"])}),
        outputs=written,
        root=root,
        parameters={
            "quarter": str(period),
            "replace": replace,
            "county": county,
            "lang": lang,
            "svg": svg,
        },
    )
    manifest = store.write_manifest(entry, out / "manifest.json")
    for line in lines:
        echo(line)
    echo(say["written"].format(path=out))
    peak = _peak_memory_mb()
    if peak is not None:
        echo(say["peak"].format(mb=format_number(peak, decimals=0, lang=lang)))
    return {"figures": out, "history": result.path, "manifest": manifest}


def _draw(job) -> list[Path]:
    """Draw, save and close one metric's figure (in this process or a worker)."""
    import matplotlib.pyplot as plt

    from .. import notebook

    metric, charts, title, path, lang, source, formats = job
    with plots.house_style(context="paper"):
        fig = notebook.spc_figure(charts, metric_id=metric, title=title, lang=lang, source=source)
        try:
            return plots.save(fig, path, formats=formats)
        finally:
            plt.close(fig)


def _workers(jobs: int) -> int:
    """Processes to draw in: the cores there are, up to 4, when forking is cheap (Linux)."""
    import multiprocessing

    if jobs < MIN_PARALLEL or sys.platform != "linux":
        return 1
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, min(4, cores or 1))


def _figure_jobs(
    charts, data, catalogue, out: Path, *, period, lang: str, source: str, formats=("png",)
) -> list:
    """One drawing job per metric of ``charts`` up to ``period`` (small counts hidden)."""
    from .. import monitoring, notebook

    # The notebook's figures: small counts hidden, the metric's title as heading.
    shown = monitoring.hide_small_counts(charts, data=data, catalogue=catalogue)
    shown = shown[shown["x"] <= period]
    titles = dict(notebook.titles(catalogue, key="metric_id", lang=lang))
    return [
        (
            metric,
            group,
            titles.get(metric, metric),
            out / slug(f"monitor_{metric}"),
            lang,
            source,
            tuple(formats),
        )
        for metric, group in shown.groupby("metric_id", sort=True)
    ]


class _Drawing:
    """Draws the figures of ``jobs``: with many, in worker processes started on entry, so the
    caller works meanwhile; :meth:`results` waits for them (in job order, with the tqdm bar).

    Each file is written whole by one process, so the bytes do not depend on how many there
    are or in which order they finish. On an error the workers' pending figures are cancelled.
    """

    def __init__(self, jobs: list, *, progress: bool, words=("Figurer", "figur")) -> None:
        self.jobs, self.progress, self.words = jobs, progress, words
        self.pool = self.pending = None

    def __enter__(self) -> _Drawing:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        workers = _workers(len(self.jobs))
        if workers > 1:
            context = multiprocessing.get_context("fork")
            self.pool = ProcessPoolExecutor(workers, mp_context=context)
            self.pending = [self.pool.submit(_draw, job) for job in self.jobs]
        return self

    def results(self) -> list[Path]:
        total = len(self.jobs)
        desc, unit = self.words
        bar = {"enabled": self.progress, "desc": desc, "unit": unit, "total": total}
        if self.pool is None:
            done = [_draw(job) for job in _progress(self.jobs, **bar)]
        else:
            done = [future.result() for future in _progress(self.pending, **bar)]
        return [path for paths in done for path in paths]

    def __exit__(self, *exc) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=exc[0] is not None)
