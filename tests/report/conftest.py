"""Fixtures the report's test modules share."""

from __future__ import annotations

import contextlib
import io

import pytest

from ehalsa_analys import cli


@pytest.fixture(scope="session")
def demo_report(tmp_path_factory):
    """The demo county's report, built once for the run through ``ehalsa report``.

    Returns the project folder and what the command printed. Building it takes most of a
    minute, so the tests that only read it (the browser's, the byte-identical rerun's) share
    it; a test that changes the folder must leave it as an identical rerun would.
    """
    root = tmp_path_factory.mktemp("demo_report")
    (root / "data" / "raw").mkdir(parents=True)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        assert cli.main(["report", "--root", str(root)]) == 0
    return root, printed.getvalue()
