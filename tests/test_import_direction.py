"""Imports point one way: every module of ehalsa_analys imports only its own layer or lower ones.

The layers, lowest first (a module belongs to the layer of its top-level name
under ``ehalsa_analys``; ``ehalsa_analys/__init__.py`` itself is base):

=============  ==========================================================  =======================
layer          modules                                                     may import
=============  ==========================================================  =======================
base           errors, reference, schemas, paths, _atomic, formatting,     base
               disclosure, privacy, safe, clock (and ``__version__``)
load           load/                                                       base, load
indicators     maturity, compare, access, monitoring                       base, load; *not each
                                                                           other*
plots          plots/, captions                                            base … indicators, plots
outputs        store, _columns_en, history, demo/                          base … plots, outputs
report/cli     report/, cli, __main__, notebook                            everything
=============  ==========================================================  =======================

Every ``import`` counts, also those inside functions (lazy imports are still
arrows). No module calls ``matplotlib.use``, not even in a docstring example:
the backend is the caller's choice (tests set Agg in conftest.py; a headless
machine falls back to Agg by itself). A new top-level module must be given a
layer in :data:`LAYERS` before this test passes.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = "ehalsa_analys"
SRC = Path(__file__).resolve().parents[1] / "src" / PACKAGE

#: The layers, lowest first: top-level names under ehalsa_analys ("" = the package itself).
LAYERS: dict[str, set[str]] = {
    "base": {
        "",
        "errors",
        "reference",
        "schemas",
        "paths",
        "_atomic",
        "formatting",
        "disclosure",
        "privacy",
        "safe",
        "clock",
    },
    "load": {"load"},
    "indicators": {"maturity", "compare", "access", "monitoring"},
    "plots": {"plots", "captions"},
    "outputs": {"store", "_columns_en", "history", "demo"},
    "report/cli": {"report", "cli", "__main__", "notebook"},
}
#: Layers whose modules must not import one another.
ISOLATED = {"indicators"}


def _modules(src: Path) -> dict[str, Path]:
    """Dotted module name -> file, for every .py file of the package at ``src``."""
    out = {}
    for path in sorted(src.rglob("*.py")):
        parts = (src.name, *path.relative_to(src).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


def _imports(name: str, path: Path, known: set[str]) -> list[tuple[str, int]]:
    """(imported module of ours, line) for every import in ``path``, functions included."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            for alias in node.names:  # `from . import plots` imports the module ehalsa_analys.plots
                sub = f"{module}.{alias.name}"
                found.append((sub if sub in known else module, node.lineno))
    return [(target, line) for target, line in found if target.split(".")[0] == PACKAGE]


def _unit(module: str) -> str:
    """The top-level name under the package: ehalsa_analys.load.reader -> "load"."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _layer(module: str) -> str | None:
    unit = _unit(module)
    return next((layer for layer, units in LAYERS.items() if unit in units), None)


def violations(src: Path) -> list[str]:
    """Every import of the package at ``src`` that points up, or sideways between indicators."""
    modules = _modules(src)
    order = list(LAYERS)
    out = []
    for name, path in modules.items():
        layer = _layer(name)
        if layer is None:
            out.append(f"{name} has no layer: add {_unit(name)!r} to LAYERS in this test")
            continue
        for target, line in _imports(name, path, set(modules)):
            to = _layer(target)
            where = f"{name} ({layer}) imports {target} ({to}), line {line}"
            if to is None:
                out.append(f"{where}: {target} has no layer")
            elif order.index(to) > order.index(layer):
                out.append(f"{where}: a lower layer imports a higher one")
            elif to == layer and layer in ISOLATED and _unit(target) != _unit(name):
                out.append(f"{where}: {layer} do not import each other")
    return out


def test_imports_point_one_way():
    assert violations(SRC) == []


def test_every_layer_names_existing_modules():
    units = {_unit(name) for name in _modules(SRC)}
    assert set().union(*LAYERS.values()) <= units


def test_no_module_chooses_the_matplotlib_backend():
    offenders = [
        name
        for name, path in _modules(SRC).items()
        if any(call in path.read_text(encoding="utf-8") for call in ("matplotlib.use(", "mpl.use("))
    ]
    assert offenders == []


def _package(tmp_path: Path, files: dict[str, str]) -> Path:
    src = tmp_path / PACKAGE
    for relative, text in {"__init__.py": "", "plots/__init__.py": "", **files}.items():
        (src / relative).parent.mkdir(parents=True, exist_ok=True)
        (src / relative).write_text(text, encoding="utf-8")
    return src


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        (  # the arrow this change removed: an indicator importing plots, inside a function
            {"monitoring.py": "def f():\n    from .plots.style import format_number\n"},
            "ehalsa_analys.monitoring (indicators) imports ehalsa_analys.plots.style (plots), "
            "line 2: a lower layer imports a higher one",
        ),
        (
            {"compare.py": "from . import access\n", "access.py": ""},
            "ehalsa_analys.compare (indicators) imports ehalsa_analys.access (indicators), "
            "line 1: indicators do not import each other",
        ),
        (
            {"store.py": "import ehalsa_analys.report.runner\n", "report/runner.py": ""},
            "ehalsa_analys.store (outputs) imports ehalsa_analys.report.runner (report/cli), "
            "line 1: a lower layer imports a higher one",
        ),
        (
            {"errors.py": "from ehalsa_analys.load import reader\n", "load/reader.py": ""},
            "ehalsa_analys.errors (base) imports ehalsa_analys.load.reader (load), "
            "line 1: a lower layer imports a higher one",
        ),
        (
            {"plots/maps.py": "from ..load import reader\nfrom .. import compare\n"},
            None,  # downward arrows are fine
        ),
        ({"extra.py": ""}, "ehalsa_analys.extra has no layer: add 'extra' to LAYERS"),
    ],
)
def test_violations__catches_arrows_that_point_up(tmp_path, files, expected):
    found = violations(_package(tmp_path, files))
    if expected is None:
        assert found == []
    else:
        assert len(found) == 1 and found[0].startswith(expected), found


def test_monitoring_runs_without_plots():
    """The indicators' text helpers do not pull in the figures (or matplotlib)."""
    import subprocess
    import sys

    code = (
        "import sys, pandas as pd\n"
        "from ehalsa_analys import monitoring\n"
        "s = pd.DataFrame({'municipality_code': ['1880'], 'metric_id': ['m'],"
        " 'quarter': [pd.Period('2026Q3', 'Q')], 'signal': [''], 'new_signal': [False],"
        " 'against_direction': [False], 'target_met': [False]})\n"
        "print(monitoring.summary_lines(s)[0])\n"
        "print(sorted(m for m in sys.modules if m.startswith(('ehalsa_analys.plots', 'matplot'))))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["Kvartal 2026 K3.", "[]"]
