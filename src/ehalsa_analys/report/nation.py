"""``ehalsa report --county all``: every county's report from one reading of the nation's data.

Each source is read once for the whole country, which says which counties have rows in it. Each
county then gets a folder of links to its own inputs (``data/processed/nation/<county>/``): its
own LIKA workbooks; the whole survey, distance and monitoring folders, whose national files serve
every county (the nation's reference levels, services across the county border); and no folder
for a source without rows for the county, whose part is then left out without starting a kernel.
:func:`~ehalsa_analys.report.runner.run` draws each county from its folder, ``jobs`` counties at
a time in worker processes. The manifests name the original files, not the links.

Example
-------
>>> # run_all(echo=print)   # 21 reports; per-part time and peak memory printed at the end
"""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .. import demo, reference
from ..errors import check_choice
from ..formatting import format_number
from ..paths import demo_dir, processed_dir, project_root, raw_dir
from .parts import PARTS, RUN_ORDER, county_argument
from .runner import REPORT_STEP, ReportError, _seconds, run

__all__ = ["run_all", "county_inputs"]


def _default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith("."))


def _read_source(folder_name: str, folder: Path) -> pd.DataFrame | None:
    """municipality_code and file of every row of one source, read for the whole nation.

    ``file`` is filled for LIKA only (one workbook per municipality and round is the usual
    delivery); the other sources are passed on whole. None for a folder this module does not
    know how to read: every county gets it whole.
    """
    from .. import load, notebook

    if folder_name == "lika":
        data = load.lika(folder)
        return data[["municipality_code", "file"]].drop_duplicates()
    if folder_name == "socialstyrelsen":
        data = load.socialstyrelsen(folder, catalogue=load.indicator_catalogue())
    elif folder_name == "monitoring":
        data = load.monitoring(folder, catalogue=load.metric_catalogue())
    elif folder_name == "avstand":
        data = notebook.access_inputs(folder, method="euclidean").cells
    else:
        return None
    return pd.DataFrame({"municipality_code": data["municipality_code"].unique(), "file": None})


def _link(target: Path, link: Path) -> None:
    link.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.symlink(target.resolve(), link)
    except OSError:  # no symbolic links here (Windows without the right): a copy
        shutil.copy2(target, link)


def county_inputs(
    data_dir: Path,
    counties: Iterable[str],
    out: Path,
    *,
    echo: Callable[[str], None] = lambda _text: None,
    lang: str = "sv",
) -> dict[str, Path]:
    """Read every source of ``data_dir`` once; give each county a folder of links to its inputs.

    Parameters
    ----------
    data_dir : Path
        One subfolder per source (``lika``, ``socialstyrelsen``, ``avstand``, ``monitoring``).
    counties : iterable of str
        County codes.
    out : Path
        Where the county folders go (``out/<county>/<source>/…``); replaced.
    echo : callable
        Receives a line per source read.

    Returns
    -------
    dict
        county code -> its folder, to pass to :func:`~ehalsa_analys.report.run` as ``data_dir``.

    Notes
    -----
    A LIKA file holding rows of several counties is linked for each of them; files the LIKA
    loader does not read as answers (``instrument.csv``, notes) go to every county with LIKA
    rows. A source a county has no rows in gets no folder, so its part is left out.

    Example
    -------
    >>> import pathlib, shutil, tempfile
    >>> data = pathlib.Path(tempfile.mkdtemp())
    >>> (data / "lika").mkdir()
    >>> _ = shutil.copy("tests/fixtures/lika/long.csv", data / "lika")
    >>> folders = county_inputs(data, ["18", "01"], data / "per_county")
    >>> [p.name for p in (folders["18"] / "lika").iterdir()], (folders["01"] / "lika").exists()
    (['long.csv'], False)
    """
    data_dir = Path(data_dir)
    counties = list(counties)
    if out.exists():
        shutil.rmtree(out)
    folders = {code: out / code for code in counties}
    for folder in folders.values():
        folder.mkdir(parents=True)
    for path in _files(data_dir):
        if path.parent == data_dir:  # notes beside the source folders
            for folder in folders.values():
                _link(path, folder / path.name)
    county_of = reference.municipalities().set_index("municipality_code")["county_code"]
    sources = sorted({p.folder for p in PARTS if p.folder and (data_dir / p.folder).is_dir()})
    for name in sources:
        source = data_dir / name
        t0 = time.perf_counter()
        rows = _read_source(name, source)
        if rows is None:
            rows = pd.DataFrame({"county_code": counties, "municipality_code": None, "file": None})
        else:
            rows = rows.assign(county_code=rows["municipality_code"].map(county_of))
        having = set(rows["county_code"].dropna())
        files = _files(source)
        answers = {Path(f).resolve() for f in rows["file"].dropna()}
        shared = [f for f in files if f.resolve() not in answers]
        for code in counties:
            if code not in having:
                continue  # no folder: the part is left out for this county
            own = rows.loc[rows["county_code"] == code, "file"].dropna()
            chosen = shared + sorted({Path(f) for f in own}) if answers else files
            for path in chosen:
                _link(path, folders[code] / name / path.relative_to(source))
        echo(
            _SAY[lang]["read"].format(
                name=name,
                seconds=_seconds(time.perf_counter() - t0, lang),
                having=len(having & set(counties)),
                n=len(counties),
            )
        )
    return folders


@dataclass
class _Meter:
    """Wall and CPU time per part, and peak resident memory sampled from the process tree.

    Each report kernel carries ``--EhalsaReport.part=<county>/<part>`` on its command line
    (:func:`~ehalsa_analys.report.runner._execute`), so its memory is counted for its part.
    """

    interval: float = 0.2
    seconds: dict[str, list[float]] = field(default_factory=dict)
    peak_part: dict[str, int] = field(default_factory=dict)
    peak_main: int = 0
    peak_total: int = 0
    _stop: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self) -> _Meter:
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def part_done(self, key: str, seconds: float) -> None:
        with self._lock:
            self.seconds.setdefault(key, []).append(seconds)

    def _sample(self) -> None:
        import psutil

        me = psutil.Process()
        tags: dict[int, str | None] = {}
        while True:
            try:
                main = me.memory_info().rss
                total = main
                for child in me.children(recursive=True):
                    try:
                        rss = child.memory_info().rss
                        if child.pid not in tags:
                            tags[child.pid] = _tag(child.cmdline())
                    except psutil.Error:  # ended in between
                        continue
                    total += rss
                    key = tags[child.pid]
                    if key is not None:
                        self.peak_part[key] = max(self.peak_part.get(key, 0), rss)
                self.peak_main = max(self.peak_main, main)
                self.peak_total = max(self.peak_total, total)
            except psutil.Error:
                pass
            if self._stop.wait(self.interval):
                return


def _tag(command: list[str]) -> str | None:
    """The part a kernel runs ("lika"), WORKER for a county's worker process, else None."""
    for argument in command:
        if argument.startswith("--EhalsaReport.part="):
            return argument.split("=", 1)[1].split("/")[-1]
    if any("multiprocessing" in argument for argument in command):
        return WORKER
    return None


#: The key of the county worker processes in :class:`_Meter`'s peaks.
WORKER = "_worker"


def _mb(n: int, lang: str = "sv") -> str:
    return f"{format_number(n / 2**20, decimals=0, lang=lang)} MB"


#: What ``--county all`` says on the console, and the reason a part is left out of a report.
_SAY = {
    "sv": {
        "read": "läste {name} för hela riket på {seconds}: data för {having} av {n} län",
        "demo": "data/raw har inga egna data: skrev SYNTETISKA demodata till {path}",
        "start": "Rapporter för {n} län, data {data}, {jobs} åt gången",
        "skip": "hoppar över {county} ({code}): inga data för länet",
        "no_rows": "inga rader för länet i {folder}",
        "done": "Klart: {n} län på {wall} ({jobs} åt gången), CPU-tid {cpu}.",
        "header": ("del", "län", "tid sammanlagt", "längst", "toppminne"),
        "nation": "läsa riket",
        "report_step": "Rapporten: texter, tabeller, profiler",
        "peak": "  Toppminne: {total} för processen och dess kärnor samtidigt ({main} i processen "
        "själv{worker}); per notebook den största kärnan, för rapporten arbetsprocessen.",
        "worker": ", {mb} i den största arbetsprocessen",
    },
    "en": {
        "read": "read {name} for the whole country in {seconds}: data for {having} of {n} "
        "counties",
        "demo": "data/raw holds no data of your own: wrote SYNTHETIC demo data to {path}",
        "start": "Reports for {n} counties, data {data}, {jobs} at a time",
        "skip": "skipping {county} ({code}): no data for the county",
        "no_rows": "no rows for the county in {folder}",
        "done": "Done: {n} counties in {wall} ({jobs} at a time), CPU time {cpu}.",
        "header": ("part", "counties", "time in all", "longest", "peak memory"),
        "nation": "reading the country",
        "report_step": "The report: texts, tables, profiles",
        "peak": "  Peak memory: {total} for the process and its kernels together ({main} in the "
        "process itself{worker}); per notebook the largest kernel, for the report the worker.",
        "worker": ", {mb} in the largest worker",
    },
}


def run_all(
    *,
    root: Path | None = None,
    counties: Iterable[str] | None = None,
    year: int | None = None,
    quarter: str | None = None,
    data_dir: Path | None = None,
    out_dir: Path | None = None,
    lang: str = "sv",
    seed: int = demo.DEFAULT_SEED,
    jobs: int | None = None,
    echo: Callable[[str], None] = lambda _text: None,
) -> dict[str, dict[str, Path]]:
    """Every county's report (``ehalsa report --county all``); return each county's paths.

    Parameters
    ----------
    root, year, quarter, data_dir, out_dir, lang, seed
        As for :func:`~ehalsa_analys.report.run`.
    counties : iterable, optional
        County codes or names (default: all 21).
    jobs : int, optional
        Counties drawn at the same time (default: the processors this process may use). Each
        runs its notebooks one after the other in their own kernels.
    echo : callable
        Receives progress lines, each county's prefixed with its code, and at the end the time
        and peak memory per part.

    Returns
    -------
    dict
        county code -> the dict :func:`~ehalsa_analys.report.run` returns, for every county
        with rows in at least one source (the others are named in the output and left out).

    Raises
    ------
    ReportError
        One or more counties failed: the message names them and the first error; the other
        counties' reports are in place.

    Notes
    -----
    Peak memory is sampled every 0.2 s from this process and its kernels (resident set size):
    per part the largest kernel of that part, and the largest sum over the process tree at any
    moment. CPU time is this process's plus that of its finished kernels.

    Example
    -------
    >>> # paths = run_all(counties=["18", "09"], echo=print)
    """
    check_choice("lang", list(_SAY), lang)
    say = _SAY[lang]
    root = Path(root) if root is not None else project_root()
    codes = (
        [county_argument(c) for c in counties]
        if counties is not None
        else reference.counties()["county_code"].tolist()
    )
    jobs = _default_jobs() if jobs is None else int(jobs)
    if jobs < 1:
        raise ValueError(f"`jobs` must be at least 1, but {jobs!r} was passed.")
    synthetic = data_dir is None and not demo.has_user_data(root)
    if data_dir is None and synthetic:
        if demo.ensure_demo(root, seed=seed):
            echo(say["demo"].format(path=demo_dir(root)))
        data_dir = demo_dir(root)
    elif data_dir is None:
        data_dir = raw_dir(root)
    data_dir = Path(data_dir)

    meter = _Meter().start()
    wall, cpu = time.perf_counter(), _cpu()
    try:
        echo(say["start"].format(n=len(codes), data=data_dir, jobs=jobs))
        t0 = time.perf_counter()
        folders = county_inputs(
            data_dir, codes, processed_dir(root) / "nation", echo=echo, lang=lang
        )
        nation_seconds = time.perf_counter() - t0
        nation_peak = meter.peak_main
        names = reference.counties().set_index("county_code")["county"]
        drawn = [c for c in codes if any(p.is_dir() for p in folders[c].iterdir())]
        for code in codes:
            if code not in drawn:
                echo(say["skip"].format(county=names[code], code=code))
        arguments = {
            code: {
                "root": root,
                "year": year,
                "quarter": quarter,
                "data_dir": folders[code],
                "out_dir": out_dir,
                "lang": lang,
                "seed": seed,
                "synthetic": synthetic,
                "no_data": {
                    p.key: say["no_rows"].format(folder=data_dir / p.folder)
                    for p in PARTS
                    if p.folder and not (folders[code] / p.folder).is_dir()
                },
            }
            for code in drawn
        }
        results, failed = _each(arguments, jobs, _Relay(echo, meter))
    finally:
        meter.stop()
    wall, cpu = time.perf_counter() - wall, _cpu() - cpu
    for line in _summary(meter, nation_seconds, nation_peak, len(codes), wall, cpu, jobs, lang):
        echo(line)
    if failed:
        first_code, first_error = next(iter(failed.items()))
        listed = ", ".join(sorted(failed))
        raise ReportError(
            f"The reports of {len(failed)} of {len(codes)} counties failed ({listed}); the first, "
            f"{first_code}: {first_error}".rstrip(". "),
            hint="the other counties' reports are in place; fix the first error and run "
            f"`ehalsa report --county {first_code}` to check it",
        )
    return results


def _cpu() -> float:
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


@dataclass
class _Relay:
    """Takes a county's messages (in this process or from a worker's queue): lines and times."""

    echo: Callable[[str], None]
    meter: _Meter

    def put(self, message: tuple) -> None:
        if message[0] == "line":
            self.echo(message[1])
        else:
            self.meter.part_done(message[1], message[2])


def _draw(code: str, arguments: dict, queue) -> tuple[dict | None, str | None]:
    """One county's report; its progress and part times go to ``queue`` (a worker's entry)."""
    try:
        paths = run(
            county_code=code,
            echo=lambda text: queue.put(("line", f"[{code}] {text}")),
            on_part=lambda key, seconds: queue.put(("part", key, seconds)),
            **arguments,
        )
    except ReportError as err:
        return None, str(err).split("\n")[0]
    return paths, None


def _drain(queue, relay: _Relay) -> None:
    import queue as queues

    while True:
        try:
            relay.put(queue.get_nowait())
        except queues.Empty:
            return


def _each(arguments: dict[str, dict], jobs: int, relay: _Relay):
    """Every county of ``arguments``, ``jobs`` at a time; (results, failures) in code order.

    With more than one job each county runs in a worker process (spawned: matplotlib's pyplot,
    which the report draws with after the notebooks, is not thread-safe); their messages come
    back through a managed queue and are passed on as they arrive.
    """
    codes = list(arguments)
    outcomes: dict[str, tuple] = {}
    if jobs == 1 or len(codes) <= 1:
        for code in codes:
            outcomes[code] = _draw(code, arguments[code], relay)
    else:
        import multiprocessing
        from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

        context = multiprocessing.get_context("spawn")
        workers = min(jobs, len(codes))
        with (
            context.Manager() as manager,
            ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool,
        ):
            queue = manager.Queue()
            futures = {code: pool.submit(_draw, code, arguments[code], queue) for code in codes}
            pending = set(futures.values())
            while pending:
                _done, pending = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
                _drain(queue, relay)
            _drain(queue, relay)
            outcomes = {code: future.result() for code, future in futures.items()}
    results = {code: paths for code, (paths, error) in outcomes.items() if error is None}
    failed = {code: error for code, (_paths, error) in outcomes.items() if error is not None}
    return results, failed


def _summary(meter, nation_seconds, nation_peak, n, wall, cpu, jobs, lang="sv") -> list[str]:
    say = _SAY[lang]
    titles = {p.key: p.title_sv if lang == "sv" else p.title_en for p in PARTS}
    titles[REPORT_STEP] = say["report_step"]
    width = max(len(t) for t in [*titles.values(), say["nation"]])
    part, counties, total, longest, peak_word = say["header"]
    c, t, m = len(counties), max(len(total), 13), max(len(longest), 6)

    def seconds(x):
        return _seconds(x, lang)

    lines = [
        say["done"].format(n=n, wall=seconds(wall), jobs=jobs, cpu=seconds(cpu)),
        f"  {part:<{width}}  {counties}  {total:>{t}}  {longest:>{m}}  {peak_word}",
        f"  {say['nation']:<{width}}  {'–':>{c}}  {seconds(nation_seconds):>{t}}  {'–':>{m}}  "
        f"{_mb(nation_peak, lang)}",
    ]
    for key in (*RUN_ORDER, REPORT_STEP):
        times = meter.seconds.get(key, [])
        if not times:
            lines.append(f"  {titles[key]:<{width}}  {0:>{c}}  {'–':>{t}}  {'–':>{m}}  –")
            continue
        peak = meter.peak_part.get(WORKER if key == REPORT_STEP else key)
        lines.append(
            f"  {titles[key]:<{width}}  {len(times):>{c}}  {seconds(sum(times)):>{t}}  "
            f"{seconds(max(times)):>{m}}  {_mb(peak, lang) if peak else '–'}"
        )
    worker = meter.peak_part.get(WORKER)
    lines.append(
        say["peak"].format(
            total=_mb(meter.peak_total, lang),
            main=_mb(meter.peak_main, lang),
            worker=say["worker"].format(mb=_mb(worker, lang)) if worker else "",
        )
    )
    return lines
