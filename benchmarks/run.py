"""Run every benchmark in this folder and print each figure beside its peer.

Each ``bench_*.py`` module defines ``CASES``: a list of dicts with
``name``, ``ours`` (a callable), ``peer_name`` and ``peer`` (a callable doing
the same job the established way), and optionally ``setup`` (called once, its
result passed to both), ``repeat`` (overrides ``--repeat`` for slow cases) and
``note`` (called after the row; its text is printed indented below it, e.g.
the memory of kernel subprocesses that tracemalloc cannot see). Both run in
the same process, best of ``--repeat`` runs, each side after one warm-up call
(imports, caches and the file cache are then warm for both, whichever runs first);
``"warmup": False`` skips it for cases too slow to run twice. The ratio is
ours / peer in wall time (below 1 means faster than the peer); the CPU seconds
of the process (``time.process_time``, less disturbed by other programs on a
busy machine; worker processes not included) and their ratio are printed
beside it. Peak memory is measured with tracemalloc for one extra run of ours.

    make bench                     # all
    python benchmarks/run.py reference
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import sys
import time
import tracemalloc
from pathlib import Path

HERE = Path(__file__).parent


def _best(fn, arg, repeat: int, *, warmup: bool = True) -> tuple[float, float]:
    """The best wall time and the best CPU time of ``repeat`` runs, after a warm-up call."""
    if warmup:
        fn(arg)
    walls, cpus = [], []
    for _ in range(repeat):
        gc.collect()
        wall, cpu = time.perf_counter(), time.process_time()
        fn(arg)
        cpus.append(time.process_time() - cpu)
        walls.append(time.perf_counter() - wall)
    return min(walls), min(cpus)


def _peak_mb(fn, arg) -> float:
    gc.collect()
    tracemalloc.start()
    fn(arg)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("only", nargs="*", help="run only modules whose name contains this")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    modules = sorted(HERE.glob("bench_*.py"))
    print(
        f"{'benchmark':44} {'ours s':>9} {'peer s':>9} {'ratio':>7} "
        f"{'ours cpu':>9} {'peer cpu':>9} {'cpu ratio':>9} {'peak MB':>8}  peer"
    )
    for path in modules:
        if args.only and not any(word in path.stem for word in args.only):
            continue
        spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        for case in module.CASES:
            data = case["setup"]() if "setup" in case else None
            repeat = case.get("repeat", args.repeat)
            warmup = case.get("warmup", True)
            ours, ours_cpu = _best(case["ours"], data, repeat, warmup=warmup)
            peer, peer_cpu = _best(case["peer"], data, repeat, warmup=warmup)
            peak = _peak_mb(case["ours"], data)
            print(
                f"{case['name']:44} {ours:9.3f} {peer:9.3f} {ours / peer:7.2f} "
                f"{ours_cpu:9.3f} {peer_cpu:9.3f} {ours_cpu / peer_cpu:9.2f} {peak:8.1f}  "
                f"{case['peer_name']}",
                flush=True,
            )
            if "note" in case:
                print(f"    {case['note'](data)}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
