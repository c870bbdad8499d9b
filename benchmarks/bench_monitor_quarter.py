"""`ehalsa monitor` end to end on 2 million rows: 290 municipalities x 172 metrics x 40 quarters.

Ours: :func:`ehalsa_analys.report.quarterly.monitor_quarter` reading the long CSV a region
exports (``Kommun;Kvartal;Mått;Täljare;Nämnare;Värde``, decimal comma) with the project's own
metric catalogue, into a fresh project root each run (so the history append writes 2 million
rows every time), for Örebro län (``--county 18``: the figures show the county's twelve
municipalities). The issue (14 §6) asks for the whole run in under 2 minutes on 2 cores.

Peer: the floor under any such run in the same process: ``pandas.read_csv`` of the same file
and ``DataFrame.to_parquet`` of it, with no checks, charts or figures.

The note below the row gives the time of each stage (load, history append, charts, figures,
table, the rest) of the last run, and the process's maximum resident memory
(``resource.getrusage``: tracemalloc cannot see matplotlib's and pyarrow's C buffers).

    python benchmarks/run.py monitor_quarter
    BENCH_METRICS=8 python benchmarks/run.py monitor_quarter   # a quick, smaller run
"""

from __future__ import annotations

import atexit
import functools
import io
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from ehalsa_analys import history, load, monitoring, notebook, plots, reference, store
from ehalsa_analys.report import quarterly

N_METRICS = int(os.environ.get("BENCH_METRICS", "172"))
QUARTERS = pd.period_range(end="2026Q2", periods=40, freq="Q")
COUNTY = "18"
#: metric kind by position: proportions with numerator and denominator, counts (some small),
#: measures (times, amounts).
KINDS = ("proportion", "count", "measure")

_STAGES = {
    "load": (load, "monitoring"),
    "history": (history, "append_history"),
    "charts": (monitoring, "charts_for"),
    "hide": (monitoring, "hide_small_counts"),
    "figures": (quarterly, "_figures"),
    "spc_figure": (notebook, "spc_figure"),
    "save figures": (plots, "save"),
    "table": (monitoring, "quarter_table"),
    "write table": (store, "write_report_table"),
}

#: Timed inside another stage (figures): not subtracted again for "rest".
_NESTED = {"hide", "spc_figure", "save figures"}


def _catalogue(metrics: list[str]) -> pd.DataFrame:
    kinds = [KINDS[i % len(KINDS)] for i in range(len(metrics))]
    return pd.DataFrame(
        {
            "metric_id": metrics,
            "title_sv": [f"Mått {i + 1} ({k})" for i, k in enumerate(kinds)],
            "unit": [
                "%" if k == "proportion" else "antal" if k == "count" else "minuter" for k in kinds
            ],
            "kind": kinds,
            "higher_is_better": ["true" if i % 2 else "false" for i in range(len(metrics))],
            "target": [
                10.0 if k == "proportion" and i % 4 == 0 else np.nan for i, k in enumerate(kinds)
            ],
            "baseline_end": "2020Q4",
        }
    )


def _table(metrics: list[str], kinds: list[str]) -> pd.DataFrame:
    rng = np.random.default_rng(14_6)
    codes = reference.municipalities()["municipality_code"].to_numpy()
    q, m, c = len(QUARTERS), len(metrics), len(codes)
    n = c * m * q
    kind = np.tile(np.repeat(np.asarray(kinds), q), c)
    size = np.repeat(rng.lognormal(0, 1, c), m * q)  # municipalities differ in size
    level = np.tile(np.repeat(rng.uniform(0.02, 0.3, m), q), c)
    denominator = np.maximum(1, rng.poisson(400 * size)).astype(float)
    numerator = rng.binomial(denominator.astype(int), level).astype(float)
    counts = rng.poisson(np.tile(np.repeat(rng.uniform(0.5, 60, m), q), c) * size).astype(float)
    measure = np.round(rng.normal(25, 3, n), 1)
    proportion = kind == "proportion"
    value = np.where(
        proportion,
        np.round(100 * numerator / denominator, 3),
        np.where(kind == "count", counts, measure),
    )
    return pd.DataFrame(
        {
            "Kommun": np.repeat(codes, m * q),
            "Kvartal": np.tile([f"{p.year} K{p.quarter}" for p in QUARTERS], c * m),
            "Mått": np.tile(np.repeat(np.asarray(metrics), q), c),
            "Täljare": np.where(proportion, numerator, np.nan),
            "Nämnare": np.where(proportion, denominator, np.nan),
            "Värde": value,
        }
    )


def setup() -> dict:
    folder = Path(tempfile.mkdtemp(prefix="bench_monitor_"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    metrics = [f"matt_{i:03d}" for i in range(N_METRICS)]
    catalogue = _catalogue(metrics)
    table = _table(metrics, list(catalogue["kind"]))
    path = folder / "uppfoljning.csv"
    buffer = io.StringIO()
    table.to_csv(buffer, sep=";", decimal=",", index=False, float_format="%.10g")
    path.write_text(buffer.getvalue(), encoding="utf-8")
    catalogue_text = catalogue.to_csv(sep=";", index=False)
    return {
        "folder": folder,
        "input": path,
        "catalogue": catalogue_text,
        "rows": len(table),
        "runs": 0,
        "stages": {},
    }


def ours(data: dict) -> None:
    data["runs"] += 1
    root = data["folder"] / f"run{data['runs']}"
    own = root / "data" / "raw" / "monitoring"
    own.mkdir(parents=True)
    (own / "metrics.csv").write_text(data["catalogue"], encoding="utf-8")
    stages = {name: 0.0 for name in _STAGES}
    originals = {}

    def timed(name, fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                stages[name] += time.perf_counter() - start

        return wrapper

    for name, (module, attr) in _STAGES.items():
        originals[name] = getattr(module, attr)
        setattr(module, attr, timed(name, originals[name]))
    start = time.perf_counter()
    try:
        quarterly.monitor_quarter(
            data["input"], root=root, county_code=COUNTY, echo=lambda _text: None
        )
    finally:
        for name, (module, attr) in _STAGES.items():
            setattr(module, attr, originals[name])
    total = time.perf_counter() - start
    stages["rest"] = total - sum(v for k, v in stages.items() if k not in _NESTED)
    if not data["stages"]:  # the first run: not slowed down by tracemalloc
        data["stages"] = {"total": total, **stages}
    shutil.rmtree(root, ignore_errors=True)


def peer(data: dict) -> None:
    table = pd.read_csv(data["input"], sep=";", decimal=",", dtype={"Kommun": str})
    table.to_parquet(data["folder"] / "peer.parquet", index=False)


def note(data: dict) -> str:
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    rss_mb = rss / 2**20 if sys.platform == "darwin" else rss / 2**10
    stages = ", ".join(f"{k} {v:.1f} s" for k, v in data["stages"].items())
    return (
        f"{data['rows']:,} rows, {N_METRICS} metrics; first run: {stages}; "
        f"max RSS of the process {rss_mb:.0f} MB"
    )


CASES = [
    {
        "name": f"ehalsa monitor, {N_METRICS} metrics x 290 x 40",
        "setup": setup,
        "ours": ours,
        "peer_name": "read_csv + to_parquet of the same file",
        "peer": peer,
        "repeat": 1,
        "warmup": False,  # two minutes a run
        "note": note,
    }
]
