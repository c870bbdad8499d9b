"""Demo LIKA self-assessments: Örebro län's 12 municipalities, rounds 2018 and 2022 (SYNTHETIC).

:func:`statuses` draws the answers, :func:`write` writes them in the per-municipality format.

Example
-------
>>> import tempfile, pathlib
>>> paths = write(pathlib.Path(tempfile.mkdtemp()), seed=1)
>>> len(paths), sorted({p.suffix for p in paths})
(26, ['.csv', '.txt', '.xlsx'])
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font

from .. import reference
from .._atomic import write_bytes
from ..load import lika_instrument
from ..store import xlsx_bytes

__all__ = ["REVISION", "COUNTY", "ROUNDS", "CSV_MUNICIPALITY", "statuses", "write"]

#: Revision of what :func:`write` writes, raised whenever its output changes, so that
#: a demo folder written by an older version is rewritten (1: the first)
REVISION = 1

#: The demo county (Örebro län) and rounds.
COUNTY = "18"
ROUNDS = (2018, 2022)
#: The municipality whose results come as cp1252 CSV.
CSV_MUNICIPALITY = "1864"

#: LIKA's five ordered levels, lowest first (scores 0, 0.25, …, 1).
_LEVELS = np.array(["Ej planerad", "Planerad", "Påbörjad", "Nästan där", "Uppnådd"], dtype=object)

#: Dimension offset and slope on standardised log population.
_DIMENSION_SHAPE = {
    "Ledning": (0.05, 0.07),
    "Infrastruktur": (0.08, 0.07),
    "Kompetens": (-0.14, 0.03),
    "Användning": (-0.02, 0.04),
}
_PROGRESS = {"Ledning": 0.14, "Infrastruktur": 0.13, "Kompetens": 0.08, "Användning": 0.15}
_COMMENTS = (
    "Pilot i en hemtjänstgrupp",
    "Beslut i socialnämnden våren",
    "Ingår i länsgemensam upphandling",
    "Utbildning planerad till hösten",
    "Gäller endast särskilt boende",
)
_NOTICE = """\
SYNTETISKA DEMODATA – LIKA Socialtjänst
Värderingarna i den här mappen är påhittade av ehalsa_analys (ehalsa_analys.demo.lika).
De är inte verkliga LIKA-värderingar från Örebro läns kommuner och får aldrig redovisas
som sådana. Indikatorerna i instrument.csv är en representativ förteckning skriven av
ehalsa_analys utifrån offentliga beskrivningar, inte SKR:s officiella indikatorlista.

SYNTHETIC DEMO DATA – made up by ehalsa_analys; not real LIKA assessments.
"""


def statuses(seed: int) -> pd.DataFrame:
    """The drawn answers: one row per municipality, round and indicator.

    Columns: municipality_code, municipality, round, assessed_on, indicator_id, area, dimension,
    text, status ("" for blank), comment ("" for none).

    Notes
    -----
    Each municipality has a latent maturity that rises with log population; Ledning and
    Infrastruktur rise more steeply with size, Kompetens sits lowest across the county (as Örebro
    län's 2018 compilation found, seed 004), indicators have their own difficulty shared by all
    municipalities, every answer has noise, and 2022 adds progress (less in Kompetens). The latent
    value is rounded to LIKA's five levels; about 4 % of answers are "Ej relevant" (more in
    Funktionsnedsättning in small municipalities) and a few are blank, so all six statuses occur.

    Example
    -------
    >>> s = statuses(1)
    >>> s["municipality_code"].nunique(), len(s) // s["municipality_code"].nunique()
    (12, 96)
    """
    rng = np.random.default_rng([seed, 3])
    inst = lika_instrument()
    kommuner = reference.municipalities(county_code=COUNTY).merge(
        reference.population()[["municipality_code", "population"]], on="municipality_code"
    )
    m, k = len(kommuner), len(inst)
    size = np.log(kommuner["population"].to_numpy(float))
    z = np.clip((size - size.mean()) / size.std(), -2, 2)
    level = 0.40 + 0.05 * z + rng.normal(0, 0.05, m)
    progress = rng.normal(1.0, 0.3, m).clip(0.3, 1.8)
    difficulty = rng.normal(0, 0.09, k)
    offset = inst["dimension"].map({d: v[0] for d, v in _DIMENSION_SHAPE.items()}).to_numpy()
    slope = inst["dimension"].map({d: v[1] for d, v in _DIMENSION_SHAPE.items()}).to_numpy()
    gain = inst["dimension"].map(_PROGRESS).to_numpy()
    is_fun = (inst["area"] == "Funktionsnedsättning").to_numpy()

    frames = []
    for r, year in enumerate(ROUNDS):
        latent = level[:, None] + offset + slope * z[:, None] + difficulty
        latent = latent + r * progress[:, None] * gain + rng.normal(0, 0.14, (m, k))
        index = np.clip(np.rint(latent * 4), 0, 4).astype(int)
        status = _LEVELS[index]
        p_irrelevant = np.where(is_fun & (z[:, None] < 0), 0.10, 0.03)
        status = np.where(rng.random((m, k)) < p_irrelevant, "Ej relevant", status)
        status = np.where(rng.random((m, k)) < 0.006, "", status)
        comment = np.where(
            rng.random((m, k)) < 0.08, rng.choice(np.array(_COMMENTS, dtype=object), (m, k)), ""
        )
        day = rng.integers(60, 260, m)
        dates = [dt.date(year, 1, 1) + dt.timedelta(days=int(d)) for d in day]
        frames.append(
            pd.DataFrame(
                {
                    "municipality_code": np.repeat(kommuner["municipality_code"].to_numpy(), k),
                    "municipality": np.repeat(kommuner["municipality"].to_numpy(), k),
                    "round": year,
                    "assessed_on": np.repeat(np.array(dates, dtype=object), k),
                    "indicator_id": np.tile(inst["indicator_id"].to_numpy(), m),
                    "area": np.tile(inst["area"].to_numpy(), m),
                    "dimension": np.tile(inst["dimension"].to_numpy(), m),
                    "text": np.tile(inst["text"].to_numpy(), m),
                    "status": status.ravel(),
                    "comment": comment.ravel(),
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


_HEADER = ["Område", "Del", "Indikator-id", "Indikator", "Status", "Kommentar"]
_TITLE = "LIKA Socialtjänst – värdering (SYNTETISKA DEMODATA)"
_SOURCE = "Källa: syntetiska demodata från ehalsa_analys – inte en verklig LIKA-värdering."


def _workbook(group: pd.DataFrame) -> bytes:
    first = group.iloc[0]
    wb = Workbook()
    ws = wb.active
    ws.title = "Värdering"
    ws["A1"] = _TITLE
    ws["A1"].font = Font(bold=True, size=13)
    ws["A2"], ws["B2"] = "Kommun:", first["municipality"]
    ws["A3"], ws["B3"] = "Datum:", dt.datetime.combine(first["assessed_on"], dt.time())
    ws["B3"].number_format = "yyyy-mm-dd"
    ws.append([])
    ws.append(_HEADER)
    for cell in ws[5]:
        cell.font = Font(bold=True)
    for row in group[["area", "dimension", "indicator_id", "text", "status", "comment"]].itertuples(
        index=False
    ):
        ws.append([value if value != "" else None for value in row])
    ws.append([])
    ws.append([_SOURCE])
    for column, width in zip("ABCDEF", (26, 14, 12, 70, 12, 34), strict=True):
        ws.column_dimensions[column].width = width
    return xlsx_bytes(wb)


def _csv(group: pd.DataFrame) -> bytes:
    first = group.iloc[0]
    pad = ";" * (len(_HEADER) - 2)
    lines = [
        _TITLE + ";" + pad,
        f"Kommun:;{first['municipality']}{pad}",
        f"Datum:;{first['assessed_on'].isoformat()}{pad}",
        ";" + pad,
        ";".join(_HEADER),
    ]
    body = group[["area", "dimension", "indicator_id", "text", "status", "comment"]]
    lines += [";".join(row) for row in body.itertuples(index=False)]
    lines += [";" + pad, _SOURCE + ";" + pad]
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


def write(directory: Path, *, seed: int) -> list[Path]:
    """Write the LIKA demo under ``directory / "lika"``; return the paths written.

    ``instrument.csv`` is the package's representative instrument (48 indicators);
    ``2018/<code>_<name>.xlsx`` and ``2022/<code>_<name>.xlsx`` one workbook per municipality and
    round (a title row, "Kommun:" and "Datum:" cells above the table, then Område, Del,
    Indikator-id, Indikator, Status and Kommentar, and a source line below), except Ljusnarsberg
    (1864), which delivers ``;``-separated cp1252 CSV from the same template; ``LÄS_MIG.txt`` says
    that the files are synthetic.

    Example
    -------
    >>> import tempfile, pathlib
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> [p.relative_to(root).as_posix() for p in write(root, seed=1)][:3]
    ['lika/LÄS_MIG.txt', 'lika/instrument.csv', 'lika/2018/1814_Lekeberg.xlsx']
    """
    base = Path(directory) / "lika"
    inst = Path(lika_instrument().attrs["file"]).read_bytes()
    written = [
        write_bytes(base / "LÄS_MIG.txt", _NOTICE.encode("utf-8"), allow_raw=True),
        write_bytes(base / "instrument.csv", inst, allow_raw=True),
    ]
    answers = statuses(seed)
    for (year, code), group in answers.groupby(["round", "municipality_code"], sort=True):
        name = group["municipality"].iloc[0]
        stem = base / str(year) / f"{code}_{name}"
        if code == CSV_MUNICIPALITY:
            written.append(write_bytes(stem.with_suffix(".csv"), _csv(group), allow_raw=True))
        else:
            written.append(write_bytes(stem.with_suffix(".xlsx"), _workbook(group), allow_raw=True))
    return written
