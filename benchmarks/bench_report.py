"""The regional report on the demo county: each notebook and the whole run.

One row per notebook that exists: ours is the notebook run by the report
(papermill, parameters, outputs written); the peer is the same notebook
executed by nbclient alone with the same parameters injected, i.e. the cost
of the notebook itself, so the ratio is the report's overhead. The last row is
the whole ``report.run`` (notebooks, HTML, manifest, swap); its peer is the
sum of the nbclient runs. tracemalloc's peak covers this process only; the
note under each row gives the largest resident memory of any kernel
subprocess so far (``getrusage(RUSAGE_CHILDREN)``). Divide a notebook's time
by the whole run's to get its share.
"""

import copy
import resource
import tempfile
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
        "note": _kernel_memory,
    }
]
