"""The ``ehalsa`` command: thin argument parsing over the library.

    ehalsa --version
    ehalsa report [--county 18|all] [--jobs N] [--year 2024] [--quarter 2026Q3]
                  [--data data/raw] [--out figures/] [--lang sv] [--root .]
    ehalsa monitor --input FILE_OR_FOLDER [--quarter 2026Q3] [--replace] [--quiet] [--svg]
                   [--root .]
    ehalsa demo [--seed N] [--root .]
    ehalsa resolve VALUE [VALUE ...]

Each command imports what it runs only when it runs (``report`` and
``monitor`` call :mod:`ehalsa_analys.report.runner` and
:mod:`ehalsa_analys.report.quarterly`), so ``ehalsa --help`` stays quick.
Errors of this package (:class:`~ehalsa_analys.errors.EhalsaError`) are printed
as their one-sentence message with its fix and exit with status 2; anything
else is a bug and shows its traceback.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import __version__
from .errors import EhalsaError


def _report(args: argparse.Namespace) -> int:
    if str(args.county).strip().lower() == "all":
        from .report.nation import run_all

        run_all(
            root=args.root,
            year=args.year,
            quarter=args.quarter,
            data_dir=args.data,
            out_dir=args.out,
            lang=args.lang,
            seed=args.seed,
            jobs=args.jobs,
            echo=print,
        )
        return 0
    from .report.runner import run

    run(
        root=args.root,
        county_code=args.county,
        year=args.year,
        quarter=args.quarter,
        data_dir=args.data,
        out_dir=args.out,
        lang=args.lang,
        seed=args.seed,
        echo=print,
    )
    return 0


def _monitor(args: argparse.Namespace) -> int:
    from .report.quarterly import monitor_quarter

    monitor_quarter(
        args.input,
        root=args.root,
        quarter=args.quarter,
        replace=args.replace,
        county_code=args.county,
        lang=args.lang,
        allow_future=args.allow_future,
        echo=print,
        progress=False if args.quiet else None,
        svg=args.svg,
    )
    return 0


def _demo(args: argparse.Namespace) -> int:
    from . import demo
    from .paths import demo_dir

    for path in demo.write_demo(demo_dir(args.root), seed=args.seed):
        print(f"wrote {path}")
    print("Obs: demodata är syntetiska / the demo data are synthetic.")
    return 0


def _resolve(args: argparse.Namespace) -> int:
    from . import reference

    names = reference.municipalities().set_index("municipality_code")["municipality"]
    for value, code in zip(args.values, reference.resolve_municipality(args.values), strict=True):
        print(f"{value}\t{code}\t{names[code]}")
    return 0


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text!r}")
    return value


def build_parser() -> argparse.ArgumentParser:
    from .demo import DEFAULT_SEED, DEMO_COUNTY

    parser = argparse.ArgumentParser(
        prog="ehalsa",
        description="E-health and welfare technology in Swedish municipalities: "
        "maturity, survey comparisons, distance to service, effect monitoring.",
    )
    parser.add_argument("--version", action="version", version=f"ehalsa_analys {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def with_root(sub: argparse.ArgumentParser) -> None:
        sub.add_argument(
            "--root",
            type=Path,
            default=None,
            help="project folder holding data/raw (default: $EHALSA_ROOT or the nearest parent "
            "with data/raw or pyproject.toml)",
        )

    report = commands.add_parser(
        "report",
        help="run the notebooks into figures, tables and report.html "
        "(demo data when data/raw has none)",
    )
    report.add_argument(
        "--county",
        default=DEMO_COUNTY,
        help="county code, e.g. 18 (Örebro län), or `all`: every county from one reading of the "
        "nation's data",
    )
    report.add_argument(
        "--jobs",
        type=_positive,
        default=None,
        help="with --county all: counties drawn at the same time (default: the processors)",
    )
    report.add_argument("--year", type=int, default=None, help="survey/assessment year to report")
    report.add_argument("--quarter", default=None, help="monitoring quarter, e.g. 2026Q3")
    report.add_argument(
        "--data", type=Path, default=None, help="folder of raw exports (default data/raw)"
    )
    report.add_argument("--out", type=Path, default=None, help="figures folder (default figures/)")
    report.add_argument("--lang", choices=["sv", "en"], default="sv", help="figure language")
    report.add_argument("--seed", type=int, default=DEFAULT_SEED, help="seed of the demo data")
    with_root(report)
    report.set_defaults(func=_report)

    monitor = commands.add_parser(
        "monitor",
        help="add a quarter of effect-monitoring data to the history and report what is new",
    )
    monitor.add_argument("--input", type=Path, required=True, help="file or folder of measurements")
    monitor.add_argument("--quarter", default=None, help="quarter to summarise (default: latest)")
    monitor.add_argument(
        "--replace",
        action="store_true",
        help="overwrite stored quarters that the new data change (old rows kept in an audit file)",
    )
    monitor.add_argument("--county", default=None, help="county code for the output folder")
    monitor.add_argument("--lang", choices=["sv", "en"], default="sv")
    monitor.add_argument(
        "--allow-future",
        action="store_true",
        help="accept quarters after today's (refused by default: the history keeps every row)",
    )
    monitor.add_argument(
        "--quiet",
        "-q",
        action="store_true",
        help="no progress bar while the figures are drawn (shown only on a terminal anyway)",
    )
    monitor.add_argument(
        "--svg",
        action="store_true",
        help="write each figure as SVG beside its PNG, e.g. for print (a third more time)",
    )
    with_root(monitor)
    monitor.set_defaults(func=_monitor)

    demo = commands.add_parser("demo", help="write the synthetic demo data to data/raw/demo")
    demo.add_argument("--seed", type=int, default=DEFAULT_SEED)
    with_root(demo)
    demo.set_defaults(func=_demo)

    resolve = commands.add_parser(
        "resolve", help="print the municipality code of each name or code given"
    )
    resolve.add_argument("values", nargs="+", metavar="VALUE")
    resolve.set_defaults(func=_resolve)
    return parser


def main(argv: list[str] | None = None) -> int:
    from .privacy import check_text

    argv = sys.argv[1:] if argv is None else list(argv)
    for position, value in enumerate(argv, 1):
        try:  # before argparse, which would echo a bad value in its own message
            check_text(value, what="command-line argument", column=f"argument {position}")
        except EhalsaError as err:
            print(f"ehalsa: {err}", file=sys.stderr)
            return 2
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    try:
        return args.func(args)
    except EhalsaError as err:
        print(f"ehalsa: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
