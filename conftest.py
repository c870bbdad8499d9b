"""Shared pytest set-up for tests/ and the doctests in src/.

A headless backend for the whole run (chosen here, never by the library), every figure
closed after each test, and the helpers several test modules share.
"""

import matplotlib

matplotlib.use("Agg")

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
