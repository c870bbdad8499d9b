"""The ``ehalsa`` command: thin argument parsing over the library."""

from __future__ import annotations

import argparse
import sys

from . import __version__


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ehalsa",
        description="E-health and welfare technology in Swedish municipalities: "
        "maturity, survey comparisons, distance to service, effect monitoring.",
    )
    parser.add_argument("--version", action="version", version=f"ehalsa_analys {__version__}")
    parser.add_subparsers(dest="command", metavar="COMMAND")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
