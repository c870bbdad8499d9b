"""Atomic file writes: write to a temporary file beside the target, then rename.

A reader never sees a half-written file, and an interrupted run leaves the previous version in
place. Writing into ``data/raw`` is refused: raw inputs are read-only for the pipeline.

Example
-------
>>> import tempfile, pathlib
>>> target = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
>>> with atomic_path(target) as tmp:
...     _ = tmp.write_text("hej", encoding="utf-8")
>>> target.read_text(encoding="utf-8")
'hej'
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from .errors import EhalsaError

__all__ = ["atomic_path", "write_bytes", "refuse_raw"]


def refuse_raw(path: Path, *, allow_raw: bool = False) -> None:
    """Raise if ``path`` lies inside a ``data/raw`` folder (unless ``allow_raw``)."""
    parts = Path(path).resolve().parts
    inside_raw = any(a == "data" and b == "raw" for a, b in zip(parts, parts[1:], strict=False))
    if inside_raw and not allow_raw:
        raise EhalsaError(
            f"Refusing to write {path}: data/raw holds the inputs and is never written",
            file=path,
            hint="write outputs to data/processed, figures/ or reports/",
        )


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike, *, allow_raw: bool = False) -> Iterator[Path]:
    """Yield a temporary path; on success it replaces ``path`` in one rename.

    The temporary file keeps the target's suffix, so writers that choose a format by extension
    (matplotlib, pandas) behave as with the real name.
    """
    target = Path(path)
    refuse_raw(target, allow_raw=allow_raw)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(
        prefix=f".{target.stem}.", suffix=f"{target.suffix}.tmp{target.suffix}", dir=target.parent
    )
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    finally:
        if tmp.exists():
            tmp.unlink()


def write_bytes(path: str | os.PathLike, data: bytes, *, allow_raw: bool = False) -> Path:
    """Write ``data`` to ``path`` atomically and return the path."""
    with atomic_path(path, allow_raw=allow_raw) as tmp:
        tmp.write_bytes(data)
    return Path(path)
