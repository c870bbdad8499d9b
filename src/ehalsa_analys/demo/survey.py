"""Demo key figures of Socialstyrelsen's survey, in a Swedish Excel export's CSV shape.

``socialstyrelsen/nyckeltal_2022.csv``: key figures per municipality, cp1252,
``;``-separated, CRLF line ends, two title rows, a blank row, decimal commas,
municipality codes with the leading zero stripped (as Excel does), ``x`` for
counts below 5 (suppressed) and ``..`` for the municipalities that did not
answer, and footnotes below the table. Shaped on the 2022 national levels:
digital night supervision offered by 78 % of municipalities, the quality
management system covering welfare technology in 65 %, an e-service for
applying for financial assistance in 60 %; larger municipalities are more
likely to offer each (early adopters are larger municipalities); about 1 % do
not answer.

Example
-------
>>> import tempfile, pathlib
>>> [p.name for p in write(pathlib.Path(tempfile.mkdtemp()), seed=1)]
['nyckeltal_2022.csv']
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .. import reference
from .._atomic import write_bytes
from ._common import calibrated_probabilities, csv_bytes, swedish

#: National shares 2022 that the demo key figures are calibrated to (facts.md, B3).
SHARES_2022 = {
    "Digital nattillsyn i hemtjänsten": 0.78,
    "Ledningssystemet omfattar välfärdsteknik": 0.65,
    "E-tjänst för ansökan om ekonomiskt bistånd": 0.60,
}
_NO_ANSWER_SHARE = 0.01


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
        yes = rng.random(len(base)) < calibrated_probabilities(size, share)
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
    out["Andel brukare med digitalt trygghetslarm, %"] = [swedish(v, 1) for v in alarm_share]
    no_answer = rng.random(len(base)) < _NO_ANSWER_SHARE
    out.loc[no_answer, out.columns[3:]] = ".."
    return out


def write(directory: Path, *, seed: int) -> list[Path]:
    """Write ``socialstyrelsen/nyckeltal_2022.csv`` under ``directory``; return its path."""
    table = _key_figures_2022(seed)
    csv = csv_bytes(
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
    return [write_bytes(directory / "socialstyrelsen" / "nyckeltal_2022.csv", csv, allow_raw=True)]
