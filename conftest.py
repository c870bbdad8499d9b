"""Shared pytest set-up for tests/ and the doctests in src/.

A headless backend for the whole run (chosen here, never by the library), every figure
closed after each test, and the helpers several test modules share.
"""

import os

import matplotlib
from hypothesis import settings

matplotlib.use("Agg")

# CI draws the same Hypothesis examples every run (.ci/run sets HYPOTHESIS_PROFILE=ci), so a
# submission passes or fails on its code alone, never on a newly drawn case; a developer's
# `make test` keeps drawing new ones.
settings.register_profile("ci", derandomize=True, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture
def axes():
    """A factory of fresh Axes, each on its own figure: ``ax = axes()``."""

    def new():
        return plt.figure().add_subplot()

    return new
