"""The quarterly monitoring history: append-only, locked, all-or-nothing, recoverable.

``<processed>/monitoring/`` holds ``history.parquet`` (every quarter ever loaded),
``audit.parquet`` (rows that ``replace=True`` overwrote) and ``history.previous.parquet``
(the history before the last change); :func:`append_history` says how they change together.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ._atomic import write_bytes
from .clock import after_today, run_date
from .errors import EhalsaError
from .paths import processed_dir, project_root

__all__ = [
    "append_history",
    "read_history",
    "HistoryResult",
    "HistoryConflictError",
    "HistoryLockedError",
    "HistoryDamagedError",
    "HISTORY_KEYS",
    "HISTORY_VALUES",
    "LOCK_TIMEOUT_S",
]

HISTORY_KEYS = ("municipality_code", "period", "metric_id")
HISTORY_VALUES = ("numerator", "denominator", "value", "status")
#: How long a run waits for another run's lock on the history before it gives up.
LOCK_TIMEOUT_S = 300.0

_HISTORY = "history.parquet"
_AUDIT = "audit.parquet"
_PREVIOUS = "history.previous.parquet"
_JOURNAL = "pending.json"
_LOCK = ".monitoring.lock"  # beside the monitoring folder, not in it
#: The order in which a committed change is renamed into place (see :func:`_commit`).
_ORDER = (_PREVIOUS, _AUDIT, _HISTORY)


class HistoryConflictError(EhalsaError):
    """New data change quarters already in the history; nothing was written."""


class HistoryLockedError(EhalsaError):
    """Another run held the history's lock for longer than the run would wait."""


class HistoryDamagedError(EhalsaError):
    """A history file cannot be read; the message says how to recover."""


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


def _folder(directory) -> Path:
    return (Path(directory) if directory is not None else processed_dir()) / "monitoring"


@contextlib.contextmanager
def _locked(folder: Path, timeout: float) -> Iterator[None]:
    from filelock import FileLock, Timeout

    folder.mkdir(parents=True, exist_ok=True)
    lock = FileLock(folder.parent / _LOCK, timeout=timeout)
    try:
        lock.acquire()
    except Timeout:
        raise HistoryLockedError(
            f"Another run has been updating the monitoring history for {timeout:g} s",
            file=str(folder / _HISTORY),
            hint="wait until the other `ehalsa monitor` run has finished and run again",
        ) from None
    try:
        yield
    finally:
        lock.release()


def _table_bytes(data: pd.DataFrame, keys: list[str], attrs: dict) -> bytes:
    buffer = io.BytesIO()
    table = data.sort_values(keys, kind="stable").reset_index(drop=True)
    table.attrs = attrs  # pandas stores attrs in the file: only these, whatever came along
    table.to_parquet(buffer, index=False)
    return buffer.getvalue()


def _stored_attrs(attrs: dict, root: Path | None) -> dict:
    """The table's attrs as the history keeps them: the catalogue's path relative to the
    project (or the package, for the shipped one), so the bytes do not depend on the folder
    the project lies in."""
    from .store import _relative

    out = {}
    if attrs.get("catalogue"):
        out["catalogue"] = _relative(Path(attrs["catalogue"]), root)
    if "unknown_metrics" in attrs:
        out["unknown_metrics"] = list(attrs["unknown_metrics"])
    return out


def _read(path: Path) -> pd.DataFrame | None:
    if not path.is_file():
        return None
    try:
        return pd.read_parquet(path)
    except Exception as err:  # pyarrow raises several types for a damaged file
        previous = path.with_name(_PREVIOUS)
        hint = (
            f"the history before the last change is kept in {previous.name}: check it, copy "
            f"it over {path.name} and load the latest quarter again"
            if previous.is_file() and path.name == _HISTORY
            else "restore the file from your backup, or move it away to start a new history"
        )
        raise HistoryDamagedError(
            f"The monitoring history cannot be read ({type(err).__name__})",
            file=str(path),
            hint=hint,
        ) from None


def _roll_forward(folder: Path, names) -> None:
    for name in names:
        staged = folder / f"{name}.new"
        if staged.exists():
            os.replace(staged, folder / name)


def _recover(folder: Path) -> None:
    """Finish a change that was committed but not completed; drop one that was not committed."""
    journal = folder / _JOURNAL
    if journal.is_file():
        _roll_forward(folder, json.loads(journal.read_text("utf-8"))["files"])
        journal.unlink()
    for stray in {*folder.glob("*.new"), *folder.glob(".*.tmp*")}:
        stray.unlink(missing_ok=True)


def _commit(folder: Path, staged: dict[str, bytes]) -> None:
    """Write ``staged`` as ``<name>.new``, journal them (the commit), rename, drop the journal."""
    names = [n for n in _ORDER if n in staged]
    try:
        for name in names:
            write_bytes(folder / f"{name}.new", staged[name])
        write_bytes(folder / _JOURNAL, json.dumps({"files": names}).encode("utf-8"))
    except BaseException:
        for name in names:
            (folder / f"{name}.new").unlink(missing_ok=True)
        raise
    _roll_forward(folder, names)
    (folder / _JOURNAL).unlink()


def _same(a: pd.Series, b: pd.Series) -> np.ndarray:
    both_missing = a.isna().to_numpy() & b.isna().to_numpy()
    equal = (a.to_numpy(dtype=object) == b.to_numpy(dtype=object)) & ~a.isna().to_numpy()
    return both_missing | equal


def _conflict(merged: pd.DataFrame, changed: np.ndarray, path: Path) -> HistoryConflictError:
    values = list(HISTORY_VALUES)
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
    return HistoryConflictError(
        f"{len(rows)} row(s) differ from the history already stored:\n    "
        + "\n    ".join(lines)
        + (f"\n    … and {more} more" if more > 0 else ""),
        file=str(path),
        hint="check the new export; to overwrite the stored values on purpose, "
        "run again with --replace (the old rows are kept in monitoring/audit.parquet)",
    )


def append_history(
    new: pd.DataFrame,
    *,
    directory: str | os.PathLike | None = None,
    replace: bool = False,
    timeout: float = LOCK_TIMEOUT_S,
    allow_future: bool = False,
    root: str | os.PathLike | None = None,
) -> HistoryResult:
    """Add monitoring rows to the quarterly history without touching what is already there.

    Rows whose municipality, quarter and metric are new are added. Rows
    already there with the same numerator, denominator, value and status
    change nothing, so rerunning a quarter is idempotent (the files keep their
    bytes). Rows that differ stop the run with :class:`HistoryConflictError`
    listing the differences, unless ``replace=True``: then the old rows go to
    the audit (with the run number of the replacement, no clock time, so the
    files stay deterministic) and the new values take their place.

    Parameters
    ----------
    new : DataFrame
        A monitoring table (:func:`ehalsa_analys.load.monitoring`).
    directory : path, optional
        The processed-data folder (default data/processed); the history is in
        its ``monitoring/`` folder.
    replace : bool
        Overwrite stored quarters that the new rows change.
    timeout : float
        Seconds to wait for another run's lock before :class:`HistoryLockedError`.
    allow_future : bool
        Let quarters after today's (:func:`ehalsa_analys.clock.run_date`) in;
        by default they are refused, since the history never forgets a row.
    root : path, optional
        The project folder (default :func:`ehalsa_analys.paths.project_root`): the metric
        catalogue of ``new.attrs`` is recorded relative to it, so two copies of a project
        in different folders keep byte-identical histories.

    Notes
    -----
    The whole read-compare-write holds a lock (``.monitoring.lock``,
    the ``filelock`` library: an OS lock released when the process dies). A
    change is written as ``<file>.new`` files, committed by writing
    ``pending.json`` atomically, then renamed into place: previous
    generation, audit, history. The next run rolls a committed change
    forward and discards an uncommitted one, so a crash or kill at any step
    leaves history and audit consistent. A file that cannot be read raises
    :class:`HistoryDamagedError` naming it and the previous generation.

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
    folder = _folder(directory)
    path = folder / _HISTORY
    if not allow_future:
        now = pd.Period(run_date(), "Q")
        late = after_today(new["period"])
        if late.any():
            first = new[late].iloc[0]
            raise EhalsaError(
                f"{int(late.sum())} row(s) lie after the current quarter {now}, first "
                f"{first['municipality_code']} {first['period']} {first['metric_id']}; "
                "nothing was added to the history",
                file=str(path),
                hint="check the quarters; to store planned values on purpose, run with "
                "--allow-future",
            )
    keys, values = list(HISTORY_KEYS), list(HISTORY_VALUES)
    attrs = _stored_attrs(new.attrs, Path(root) if root is not None else project_root())
    incoming = new[keys + values].copy()
    incoming["numerator"] = incoming["numerator"].astype(float)
    incoming["denominator"] = incoming["denominator"].astype(float)
    with _locked(folder, timeout):
        _recover(folder)
        old = _read(path)
        old = incoming.iloc[:0] if old is None else old
        merged = incoming.merge(old, on=keys, how="left", suffixes=("", "_old"), indicator=True)
        known = (merged["_merge"] == "both").to_numpy()
        same = np.ones(len(merged), dtype=bool)
        for column in values:
            same &= _same(merged[column], merged[f"{column}_old"])
        changed = known & ~same
        if changed.any() and not replace:
            raise _conflict(merged, changed, path)
        added = incoming[~known].reset_index(drop=True)
        replaced = merged.loc[changed, keys + [f"{c}_old" for c in values]]
        replaced = replaced.rename(columns={f"{c}_old": c for c in values}).reset_index(drop=True)
        if added.empty and replaced.empty:
            return HistoryResult(path, added, replaced, int(known.sum()))
        staged: dict[str, bytes] = {}
        if path.is_file():
            staged[_PREVIOUS] = path.read_bytes()
        if not replaced.empty:
            audit = _read(folder / _AUDIT)
            run = 1 if audit is None else int(audit["replacement_run"].max()) + 1
            entry = replaced.assign(replacement_run=run)
            audit = entry if audit is None else pd.concat([audit, entry], ignore_index=True)
            staged[_AUDIT] = _table_bytes(audit, ["replacement_run", *keys], attrs)
        kept = old.merge(replaced[keys], on=keys, how="left", indicator=True)
        kept = kept[kept["_merge"] == "left_only"].drop(columns="_merge")
        updated = incoming[known & changed] if replace else incoming.iloc[:0]
        history = pd.concat([kept, updated, added], ignore_index=True)[keys + values]
        staged[_HISTORY] = _table_bytes(history, keys, attrs)
        _commit(folder, staged)
    return HistoryResult(path, added, replaced, int((known & same).sum()))


def read_history(directory: str | os.PathLike | None = None) -> pd.DataFrame:
    """The stored quarterly history (empty when none), sorted by municipality, quarter, metric.

    A change that a killed run committed but did not finish is completed
    first (under the lock), so the history read is never half of a change.

    Example
    -------
    >>> import tempfile
    >>> read_history(tempfile.mkdtemp()).empty
    True
    """
    folder = _folder(directory)
    if (folder / _JOURNAL).is_file():
        with _locked(folder, LOCK_TIMEOUT_S):
            _recover(folder)
    history = _read(folder / _HISTORY)
    if history is None:
        return pd.DataFrame(columns=[*HISTORY_KEYS, *HISTORY_VALUES])
    return history
