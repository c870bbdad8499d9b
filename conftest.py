"""Shared pytest set-up for tests/ and the doctests in src/: a headless backend, no open figures.

The backend is chosen here, once, for the test process: library modules and their docstring
examples never call ``matplotlib.use`` (tests/test_import_direction.py checks).
"""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")
