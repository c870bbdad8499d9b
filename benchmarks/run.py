"""Run every benchmark in this folder and print each figure beside its peer.

Each ``bench_*.py`` module defines ``CASES``: a list of dicts with
``name``, ``ours`` (a callable), ``peer_name`` and ``peer`` (a callable doing
the same job the established way), and optionally ``setup`` (called once, its
result passed to both), ``repeat`` (overrides ``--repeat`` for slow cases) and
``note`` (called after the row; its text is printed indented below it, e.g.
the memory of kernel subprocesses that tracemalloc cannot see). Both run in
the same process, best of ``--repeat`` runs; the ratio is ours / peer (below
1 means faster than the peer). Peak memory is measured with tracemalloc for one
extra run of ours.

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


def _best(fn, arg, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        fn(arg)
        times.append(time.perf_counter() - start)
    return min(times)


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
    print(f"{'benchmark':44} {'ours s':>9} {'peer s':>9} {'ratio':>7} {'peak MB':>8}  peer")
    for path in modules:
        if args.only and not any(word in path.stem for word in args.only):
            continue
        spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        for case in module.CASES:
            data = case["setup"]() if "setup" in case else None
            repeat = case.get("repeat", args.repeat)
            ours = _best(case["ours"], data, repeat)
            peer = _best(case["peer"], data, repeat)
            peak = _peak_mb(case["ours"], data)
            print(
                f"{case['name']:44} {ours:9.3f} {peer:9.3f} {ours / peer:7.2f} {peak:8.1f}  "
                f"{case['peer_name']}",
                flush=True,
            )
            if "note" in case:
                print(f"    {case['note'](data)}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
