"""Synthetic demo data, written deterministically in the sources' real formats.

THE DEMO DATA ARE SYNTHETIC: drawn from a seeded random generator and shaped on public national
levels (../shared/domain/facts.md) so that figures look plausible, they are not statistics about
any municipality and must never be presented as such. Every file says so in its title rows, and
``LÄS_MIG.txt`` (:data:`NOTICE`) in Swedish and English. Each part of :data:`PARTS` is written by
its module under its own folder: ``avstand/`` (:mod:`.access`), ``lika/`` (:mod:`.lika`),
``monitoring/`` (:mod:`.monitoring`), ``socialstyrelsen/`` (:mod:`.survey`). data/raw/demo is
the only place in data/raw the package ever writes, and only through ``ehalsa demo`` or ``make
report`` when data/raw holds no user data.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Sequence
from pathlib import Path

from .._atomic import write_bytes
from ..errors import check_choice
from ..paths import demo_dir, raw_dir
from . import access, broadband, lika, monitoring, survey

__all__ = [
    "DEFAULT_SEED",
    "DEMO_COUNTY",
    "NOTICE",
    "PARTS",
    "write_demo",
    "has_user_data",
    "ensure_demo",
    "path",
    "is_current",
    "REVISIONS",
]

#: Seed of the demo generator; recorded in every manifest that uses the demo.
DEFAULT_SEED = 20_261_123
#: The county the demo report is drawn for (Örebro län, whose LIKA compilation is a seed document).
DEMO_COUNTY = "18"

NOTICE = """\
SYNTETISKA DEMODATA
Filerna i den här mappen är påhittade. De är skapade av ehalsa_analys (ehalsa_analys.demo)
med en slumpgenerator med fast frö och formade efter publicerade riksnivåer, så att
figurerna ser rimliga ut. De beskriver inte någon verklig kommun och får aldrig
redovisas som statistik.

SYNTHETIC DEMO DATA
The files in this folder are made up by ehalsa_analys (ehalsa_analys.demo) with a seeded random
generator, shaped on published national levels so that figures look plausible. They
describe no real municipality and must never be presented as statistics.
"""

#: The demo writers by part (the source folder each writes under ``directory``).
PARTS = {
    "avstand": access.write,
    "lika": lika.write,
    "monitoring": monitoring.write,
    "socialstyrelsen": survey.write,
    "bredband": broadband.write,
}
#: Revision of each writer's output; with the seed it is stamped in the part's folder.
REVISIONS = {
    "avstand": access.REVISION,
    "lika": lika.REVISION,
    "monitoring": monitoring.REVISION,
    "socialstyrelsen": survey.REVISION,
    "bredband": broadband.REVISION,
}
#: The stamp file in each part's folder: which seed and revision wrote it.
STAMP = ".demo"


def _stamp(part: str, seed: int) -> str:
    return f"part={part}\nseed={seed}\nrevision={REVISIONS[part]}\n"


def is_current(folder: str | os.PathLike, part: str, *, seed: int = DEFAULT_SEED) -> bool:
    """True when ``folder / part`` was written by this version's writer with ``seed``.

    Example
    -------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> is_current(d, "lika"), bool(write_demo(d, parts=["lika"])), is_current(d, "lika")
    (False, True, True)
    >>> is_current(d, "lika", seed=1)
    False
    """
    stamp = Path(folder) / part / STAMP
    return stamp.is_file() and stamp.read_text(encoding="utf-8") == _stamp(part, seed)


def has_user_data(root: Path | None = None) -> bool:
    """True when data/raw holds any file outside data/raw/demo (dotfiles aside)."""
    raw = raw_dir(root)
    if not raw.is_dir():
        return False
    demo = demo_dir(root)
    for path in raw.rglob("*"):
        if path.is_file() and not path.name.startswith(".") and demo not in path.parents:
            return True
    return False


def write_demo(
    directory: str | os.PathLike | None = None,
    *,
    seed: int = DEFAULT_SEED,
    parts: Sequence[str] | None = None,
) -> list[Path]:
    """Write the synthetic demo data to ``directory`` (default data/raw/demo).

    ``parts`` chooses sources (default all of :data:`PARTS`); the README is always written. The
    same seed always gives byte-identical files. Returns the paths written, README first.

    Example
    -------
    >>> import tempfile, pathlib
    >>> paths = write_demo(pathlib.Path(tempfile.mkdtemp()), parts=["socialstyrelsen"])
    >>> [p.name for p in paths]
    ['LÄS_MIG.txt', 'nyckeltal_2014-2024.xlsx', 'N01951_p1.json', 'N01951_p2.json']
    """
    directory = Path(directory) if directory is not None else demo_dir()
    chosen = list(PARTS) if parts is None else list(parts)
    for part in chosen:
        check_choice("parts", list(PARTS), part)
    written = [write_bytes(directory / "LÄS_MIG.txt", NOTICE.encode("utf-8"), allow_raw=True)]
    for part in chosen:
        written += PARTS[part](directory, seed=seed)
        stamp = _stamp(part, seed).encode("utf-8")
        write_bytes(directory / part / STAMP, stamp, allow_raw=True)
    return written


def _refresh(folder: Path, parts: Sequence[str], seed: int) -> list[Path]:
    """Rewrite the demo parts under ``folder`` (data/raw/demo) that are missing or stale.

    A stale part's folder is emptied first, so no file of an older revision or another seed is left
    for a notebook's glob to find.
    """
    stale = [part for part in parts if not is_current(folder, part, seed=seed)]
    if not stale and (folder / "LÄS_MIG.txt").is_file():
        return []
    for part in stale:
        if (folder / part).is_dir():
            shutil.rmtree(folder / part)
    return write_demo(folder, seed=seed, parts=stale)


def path(part: str, root: Path | None = None, *, seed: int = DEFAULT_SEED) -> Path:
    """The demo folder of one part (e.g. ``path("lika")``), written first if it is missing.

    For notebooks: ``data_dir or demo.path("lika")`` runs on the demo when the user gives no data.
    The part is written under data/raw/demo of ``root`` (default the project root), and anew when
    it was written with another seed or by an older version.

    Example
    -------
    >>> import tempfile, pathlib
    >>> path("lika", pathlib.Path(tempfile.mkdtemp())).name
    'lika'
    """
    check_choice("part", list(PARTS), part)
    _refresh(demo_dir(root), [part], seed)
    return demo_dir(root) / part


def ensure_demo(root: Path | None = None, *, seed: int = DEFAULT_SEED) -> list[Path] | None:
    """Write the demo parts that are missing, unless data/raw holds user data.

    Returns what was written (None when data/raw holds user data, [] when the demo is complete).
    Parts written with another seed or by an older version (:func:`is_current`) are written anew;
    ``ehalsa demo`` rewrites them all.
    """
    if has_user_data(root):
        return None
    folder = demo_dir(root)
    return _refresh(folder, list(PARTS), seed)
