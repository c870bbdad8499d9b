"""The loaders' namespace: every loader reachable, no function shadowing a module, no internals."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import subprocess
import sys
import types

import pytest

from ehalsa_analys import load

LOADERS = [
    "lika",
    "socialstyrelsen",
    "monitoring",
    "population",
    "services",
    "pipos",
    "roads",
    "lika_instrument",
    "indicator_catalogue",
    "metric_catalogue",
    "events",
    "read_table",
]


def test_import_of_load_kolada_gives_the_module():
    """The issue's acceptance line, run as written in a fresh interpreter."""
    done = subprocess.run(
        [sys.executable, "-c", "import ehalsa_analys.load.kolada as m; print(type(m))"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.strip() == "<class 'module'>"
    import ehalsa_analys.load.kolada as m

    assert isinstance(m, types.ModuleType) and m is load.kolada
    assert callable(m.read) and callable(m.fetch)
    assert not callable(m)


def test_no_attribute_of_load_shadows_one_of_its_modules():
    names = [info.name for info in pkgutil.iter_modules(load.__path__)]
    assert {"kolada", "reader", "rural", "_lika", "_roads"} <= set(names)
    for name in names:
        module = importlib.import_module(f"ehalsa_analys.load.{name}")
        assert getattr(load, name, module) is module, f"load.{name} is not the module {name}"


@pytest.mark.parametrize("name", LOADERS)
def test_each_loader_is_reachable_from_load(name):
    function = getattr(load, name)
    assert inspect.isfunction(function) and function.__name__ == name
    assert function.__module__.startswith("ehalsa_analys.load.")


def test_kolada_reader_and_fetch_sit_in_one_module():
    assert load.kolada.read.__module__ == load.kolada.fetch.__module__ == load.kolada.__name__
    assert load.KoladaError is load.kolada.KoladaError


def test_all_lists_exactly_the_public_names():
    public = {
        name
        for name, value in vars(load).items()
        if not name.startswith("_") and not isinstance(value, types.ModuleType)
    }
    assert set(load.__all__) == public | {"kolada"}
    assert len(load.__all__) == len(set(load.__all__))
    for name in load.__all__:
        assert getattr(load, name) is not None


@pytest.mark.parametrize(
    "name",
    [
        "ALIASES",
        "FOOTNOTE_PATTERN",
        "KEY_COLUMNS",
        "NATIONAL_NAMES",
        "SUPPORTED_SUFFIXES",
        "column_key",
        "marker_status",
        "parse_numbers",
        "MISSING_MARKERS",
        "SUPPRESSED_MARKERS",
        "personal_number_mask",
        "LIKA_STATUSES",
        "KINDS",
    ],
)
def test_reader_internals_are_not_in_the_namespace(name):
    assert not hasattr(load, name)
