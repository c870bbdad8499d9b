"""The project's own files must agree: pyproject, environment.yml, constraints."""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[ ;]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_environment_yml_lists_every_dependency():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = {_name(r) for r in project["dependencies"] + project["optional-dependencies"]["dev"]}
    env = (ROOT / "environment.yml").read_text(encoding="utf-8")
    listed = {
        _name(line.strip().lstrip("- "))
        for line in env.splitlines()
        if line.strip().startswith("- ") and not line.strip().startswith("- -")
    }
    assert wanted <= listed, f"missing from environment.yml: {sorted(wanted - listed)}"


def test_constraints_pin_every_dependency():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = {_name(r) for r in project["dependencies"] + project["optional-dependencies"]["dev"]}
    pinned = {
        _name(line) for line in (ROOT / "constraints.txt").read_text().splitlines() if "==" in line
    }
    assert wanted <= pinned, f"not pinned in constraints.txt: {sorted(wanted - pinned)}"


def test_notebooks_committed_without_outputs():
    import json

    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        nb = json.loads(path.read_text(encoding="utf-8"))
        for cell in nb["cells"]:
            if cell["cell_type"] == "code":
                assert not cell.get("outputs"), f"{path.name} has outputs"
                assert cell.get("execution_count") is None, f"{path.name} has execution counts"
