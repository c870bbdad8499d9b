"""Synthetic demo data, written deterministically in the sources' real formats.

THE DEMO DATA ARE SYNTHETIC. They are drawn from a seeded random generator and
shaped on public national levels (../shared/domain/facts.md), so that figures
look plausible; they are not statistics about any municipality and must never
be presented as such. Every file says so in its title rows and a README.

What is written to ``data/raw/demo/`` (the only place in data/raw the package
ever writes, and only through ``ehalsa demo`` or ``make report`` when data/raw
holds no user data):

``LÄS_MIG.txt``
    The notice above, in Swedish and English.
``socialstyrelsen/nyckeltal_2022.csv``
    Key figures per municipality in the shape of a Swedish Excel export:
    cp1252, ``;``-separated, CRLF line ends, two title rows, a blank row,
    decimal commas, municipality codes with the leading zero stripped (as Excel
    does), ``x`` for counts below 5 (suppressed) and ``..`` for the
    municipalities that did not answer, and footnotes below the table.
    Shaped on the 2022 national levels: digital night supervision offered by
    78 % of municipalities, the quality management system covering welfare
    technology in 65 %, an e-service for applying for financial assistance
    in 60 %; larger municipalities are more likely to offer each (early
    adopters are larger municipalities); about 1 % do not answer.

Example
-------
>>> import tempfile, pathlib
>>> paths = write_demo(pathlib.Path(tempfile.mkdtemp()))
>>> sorted(p.name for p in paths)
['LÄS_MIG.txt', 'nyckeltal_2022.csv']
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.optimize import brentq
from scipy.special import expit

from . import reference
from ._atomic import write_bytes
from .paths import demo_dir, raw_dir

__all__ = ["DEFAULT_SEED", "DEMO_COUNTY", "write_demo", "has_user_data", "ensure_demo", "NOTICE"]

#: Seed of the demo generator; recorded in every manifest that uses the demo.
DEFAULT_SEED = 20_261_123
#: The county the demo report is drawn for (Örebro län, whose LIKA compilation is a seed document).
DEMO_COUNTY = "18"

NOTICE = """\
SYNTETISKA DEMODATA
Filerna i den här mappen är påhittade. De är skapade av ehalsa_analys (demo.py)
med en slumpgenerator med fast frö och formade efter publicerade riksnivåer, så att
figurerna ser rimliga ut. De beskriver inte någon verklig kommun och får aldrig
redovisas som statistik.

SYNTHETIC DEMO DATA
The files in this folder are made up by ehalsa_analys (demo.py) with a seeded random
generator, shaped on published national levels so that figures look plausible. They
describe no real municipality and must never be presented as statistics.
"""

#: National shares 2022 that the demo key figures are calibrated to (facts.md, B3).
SHARES_2022 = {
    "Digital nattillsyn i hemtjänsten": 0.78,
    "Ledningssystemet omfattar välfärdsteknik": 0.65,
    "E-tjänst för ansökan om ekonomiskt bistånd": 0.60,
}
_NO_ANSWER_SHARE = 0.01


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


def _calibrated_probabilities(size: np.ndarray, share: float, slope: float = 0.8) -> np.ndarray:
    """Adoption probability rising with log population, with mean ``share``."""
    x = np.log(size / np.median(size))
    offset = brentq(lambda a: expit(a + slope * x).mean() - share, -10, 10)
    return expit(offset + slope * x)


def _swedish(value: float, decimals: int) -> str:
    return f"{value:.{decimals}f}".replace(".", ",")


def _key_figures_2022(seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    base = reference.municipalities().merge(
        reference.population()[["municipality_code", "population"]], on="municipality_code"
    )
    size = base["population"].to_numpy(dtype=float)
    out = pd.DataFrame(
        {
            # Excel strips the leading zero of codes such as 0180.
            "Kommunkod": base["municipality_code"].astype(int).astype(str),
            "Kommun": base["municipality"],
            "Län": base["county"],
        }
    )
    answers = {}
    for column, share in SHARES_2022.items():
        yes = rng.random(len(base)) < _calibrated_probabilities(size, share)
        answers[column] = yes
        out[column] = np.where(yes, "Ja", "Nej")
    night = answers["Digital nattillsyn i hemtjänsten"]
    users = rng.poisson(size * 0.0009) * night
    out["Brukare med digital nattillsyn, antal"] = np.where(
        ~night,
        "0",
        np.where(users < 5, "x", pd.Series(users).map(lambda n: f"{n:,}".replace(",", " "))),
    )
    alarm_share = np.clip(100 - rng.gamma(1.5, 4.0, len(base)), 55, 100)
    out["Andel brukare med digitalt trygghetslarm, %"] = [_swedish(v, 1) for v in alarm_share]
    no_answer = rng.random(len(base)) < _NO_ANSWER_SHARE
    out.loc[no_answer, out.columns[3:]] = ".."
    return out


def _csv_bytes(table: pd.DataFrame, *, title: list[str], footnotes: list[str]) -> bytes:
    width = table.shape[1]
    pad = ";" * (width - 1)
    lines = [t + pad for t in title] + [pad, ";".join(table.columns)]
    lines += [";".join(row) for row in table.astype(str).itertuples(index=False)]
    lines += [pad] + [f + pad for f in footnotes]
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


def write_demo(
    directory: str | os.PathLike | None = None, *, seed: int = DEFAULT_SEED
) -> list[Path]:
    """Write the synthetic demo data to ``directory`` (default data/raw/demo).

    The same seed always gives byte-identical files. Returns the paths written.
    """
    directory = Path(directory) if directory is not None else demo_dir()
    written = [write_bytes(directory / "LÄS_MIG.txt", NOTICE.encode("utf-8"), allow_raw=True)]
    table = _key_figures_2022(seed)
    csv = _csv_bytes(
        table,
        title=[
            "E-hälsa och välfärdsteknik i kommunerna 2022 – nyckeltal per kommun",
            "SYNTETISKA DEMODATA – inte Socialstyrelsens statistik",
        ],
        footnotes=[
            "Källa: syntetiska demodata från ehalsa_analys, "
            "formade efter publicerade riksnivåer 2022.",
            "x = färre än 5 brukare, uppgiften skyddas. .. = kommunen har inte svarat.",
        ],
    )
    written.append(
        write_bytes(directory / "socialstyrelsen" / "nyckeltal_2022.csv", csv, allow_raw=True)
    )
    return written


def ensure_demo(root: Path | None = None, *, seed: int = DEFAULT_SEED) -> list[Path] | None:
    """Write the demo data unless data/raw holds user data; return what was written or None."""
    if has_user_data(root):
        return None
    return write_demo(demo_dir(root), seed=seed)
