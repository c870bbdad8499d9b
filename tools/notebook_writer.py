"""Shared by the notebook generators in tools/: write cells as a clean, stable notebook.

Each ``tools/make_notebook_NN.py`` lists its cells and calls :func:`write`;
the result has stable cell ids, a python3 kernelspec, and no outputs, so
regenerating a notebook gives the same file and a diff shows only real edits.
"""

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

__all__ = ["parameters", "code", "markdown", "write"]

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


def parameters(source: str):
    """The papermill parameters cell (first cell; no "=" or ";" inside comments)."""
    return new_code_cell(source, metadata={"tags": ["parameters"]})


code = new_code_cell
markdown = new_markdown_cell


def write(cells: list, name: str) -> Path:
    """Write ``cells`` to notebooks/<name> with stable ids; return the path."""
    for i, cell in enumerate(cells):
        cell.id = f"cell-{i:02d}"
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.metadata["language_info"] = {"name": "python"}
    target = NOTEBOOKS / name
    nbformat.write(nb, target)
    return target
