"""The regional report: each notebook and the whole run on the demo county; all 21 counties.

One row per notebook that exists: ours is the notebook run by the report
(papermill, parameters, outputs written); the peer is the same notebook
executed by nbclient alone with the same parameters injected, i.e. the cost
of the notebook itself, so the ratio is the report's overhead. The last row is
the whole ``report.run`` (notebooks, HTML, manifest, swap); its peer is the
sum of the nbclient runs. tracemalloc's peak covers this process only; the
note under each row gives the largest resident memory of any kernel
subprocess so far (``getrusage(RUSAGE_CHILDREN)``). Divide a notebook's time
by the whole run's to get its share.

``ehalsa report --county all`` takes minutes, too long for ``make bench``'s best-of-three
with a peer, so it runs on its own and prints its time and peak memory per part::

    .venv/bin/python benchmarks/bench_report.py all            # the demo data
    .venv/bin/python benchmarks/bench_report.py all --national # LIKA for all 290 municipalities

``--national`` adds synthetic LIKA workbooks for every municipality (two rounds, 580 files,
drawn like the demo's) so that every county has a LIKA part and a summary; the survey is
national in the demo already, distance to service covers two counties, monitoring one.
"""

import argparse
import copy
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from ehalsa_analys import demo, report
from ehalsa_analys.report import runner

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


def setup():
    root = Path(tempfile.mkdtemp(prefix="bench_report_"))
    (root / "data" / "raw").mkdir(parents=True)
    demo.ensure_demo(root)
    return root


def _parameters(root: Path, part: report.Part) -> dict:
    out = root / "bench_figures" / part.key
    return {
        "county_code": demo.DEMO_COUNTY,
        "data_dir": str(demo.demo_dir(root) / part.folder) if part.folder else str(root),
        "figures_dir": str(out),
        "tables_dir": str(out / "tabeller"),
        "synthetic": True,
    }


def _ours(part):
    def run(root):
        nb = NOTEBOOKS / part.notebook
        runner._execute(nb, root / f"out_{part.key}.ipynb", _parameters(root, part), cwd=root)

    return run


def _peer(part):
    def run(root):
        nb = nbformat.read(NOTEBOOKS / part.notebook, as_version=4)
        nb = copy.deepcopy(nb)
        assignments = "\n".join(f"{k} = {v!r}" for k, v in _parameters(root, part).items())
        nb.cells.insert(1, nbformat.v4.new_code_cell(assignments))
        NotebookClient(
            nb, kernel_name="python3", resources={"metadata": {"path": str(root)}}
        ).execute()

    return run


def _whole(root):
    report.run(root=root)


def _peer_sum(root):
    for part in _parts():
        _peer(part)(root)


def _kernel_memory(_root):
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return f"largest kernel subprocess so far: {peak:.0f} MB resident"


def _parts():
    return [p for p in report.PARTS if p.folder is not None and (NOTEBOOKS / p.notebook).is_file()]


CASES = [
    {
        "name": f"report notebook {part.notebook[:2]} ({part.key})",
        "setup": setup,
        "ours": _ours(part),
        "peer_name": "nbclient alone, same notebook and parameters",
        "peer": _peer(part),
        "repeat": 1,
        "warmup": False,  # a notebook run takes tens of seconds; kernels start cold either way
        "note": _kernel_memory,
    }
    for part in _parts()
] + [
    {
        "name": "ehalsa report, demo county, all parts",
        "setup": setup,
        "ours": _whole,
        "peer_name": "sum of the notebooks run by nbclient alone",
        "peer": _peer_sum,
        "repeat": 1,
        "warmup": False,  # a notebook run takes tens of seconds; kernels start cold either way
        "note": _kernel_memory,
    }
]


def national_lika(directory: Path, *, seed: int = demo.DEFAULT_SEED) -> int:
    """Write synthetic LIKA workbooks for all 290 municipalities under ``directory / "lika"``.

    Drawn by :func:`ehalsa_analys.demo.lika.statuses` for the whole country at once (its county
    constant set to None for the call), written as the demo's workbooks, with the demo's
    instrument; returns the number of workbooks.
    """
    from ehalsa_analys._atomic import write_bytes
    from ehalsa_analys.demo import lika
    from ehalsa_analys.load import lika_instrument

    county, lika.COUNTY = lika.COUNTY, None
    try:
        answers = lika.statuses(seed)
    finally:
        lika.COUNTY = county
    base = Path(directory) / "lika"
    instrument = Path(lika_instrument().attrs["file"]).read_bytes()
    write_bytes(base / "instrument.csv", instrument, allow_raw=True)
    n = 0
    for (year, code), group in answers.groupby(["round", "municipality_code"], sort=True):
        name = group["municipality"].iloc[0]
        write_bytes(base / str(year) / f"{code}_{name}.xlsx", lika._workbook(group), allow_raw=True)
        n += 1
    return n


def all_counties(argv: list[str] | None = None) -> int:
    """``ehalsa report --county all`` on the demo (optionally with national LIKA), timed."""
    parser = argparse.ArgumentParser(description="ehalsa report --county all, timed")
    parser.add_argument("what", choices=["all"])
    parser.add_argument("--national", action="store_true", help="LIKA for all 290 municipalities")
    parser.add_argument("--jobs", type=int, default=None)
    parser.add_argument("--root", type=Path, default=None, help="reuse a project folder")
    args = parser.parse_args(argv)
    root = args.root or setup()
    data = demo.demo_dir(root)
    if args.national:  # the demo's other sources beside LIKA for the nation
        national = root / "data" / "national"
        if not (national / "lika").is_dir():
            t0 = time.perf_counter()
            shutil.copytree(data, national, ignore=shutil.ignore_patterns("lika"))
            n = national_lika(national)
            print(f"wrote {n} LIKA workbooks for the nation in {time.perf_counter() - t0:.0f} s")
        data = national
    t0, c0 = time.perf_counter(), time.process_time()
    from ehalsa_analys.report import nation

    nation.run_all(
        root=root, data_dir=data if args.national else None, jobs=args.jobs, echo=_quiet_print
    )
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    kernels = children.ru_utime + children.ru_stime
    print(
        f"--county all: wall {time.perf_counter() - t0:.1f} s, CPU here "
        f"{time.process_time() - c0:.1f} s, CPU in kernels {kernels:.1f} s, "
        f"largest kernel {children.ru_maxrss / 1024:.0f} MB resident; root {root}"
    )
    return 0


def _quiet_print(line: str) -> None:
    """The summary and the per-source lines; each county's progress left out."""
    if not line.startswith("["):
        print(line, flush=True)


if __name__ == "__main__":
    sys.exit(all_counties())
