"""Where things live: every path is built from the project root, never from the cwd.

The root is found by walking up from the current directory (:func:`project_root`); set
``EHALSA_ROOT`` to point elsewhere, e.g. an analyst's own folder with its own data/raw.

Example
-------
>>> from ehalsa_analys import paths
>>> paths.raw_dir().name
'raw'
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["project_root", "raw_dir", "demo_dir", "processed_dir", "figures_dir", "reports_dir"]


def project_root() -> Path:
    """Return $EHALSA_ROOT, else the nearest parent with data/raw or pyproject.toml, else cwd."""
    env = os.environ.get("EHALSA_ROOT")
    if env:
        return Path(env).resolve()
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / "data" / "raw").is_dir() or (folder / "pyproject.toml").is_file():
            return folder
    return here


def raw_dir(root: Path | None = None) -> Path:
    """data/raw: inputs. The pipeline reads here and never writes (except ``ehalsa demo``)."""
    return (root or project_root()) / "data" / "raw"


def demo_dir(root: Path | None = None) -> Path:
    """data/raw/demo: the synthetic demo data written by ``ehalsa demo``."""
    return raw_dir(root) / "demo"


def processed_dir(root: Path | None = None) -> Path:
    """data/processed: tidy parquet files and the manifest."""
    return (root or project_root()) / "data" / "processed"


def figures_dir(root: Path | None = None) -> Path:
    """figures/: figures by region and period."""
    return (root or project_root()) / "figures"


def reports_dir(root: Path | None = None) -> Path:
    """reports/: executed notebooks and the HTML report."""
    return (root or project_root()) / "reports"
