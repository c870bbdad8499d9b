"""Demo effect-monitoring data: five municipalities of Örebro län, 2022Q1–2026Q3 (SYNTHETIC).

:func:`measurements` draws the quarterly series, :func:`write` writes them as Swedish exports.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook

from .. import reference
from .._atomic import write_bytes
from ..store import xlsx_bytes
from ._common import csv_bytes, swedish

__all__ = ["REVISION", "MUNICIPALITIES", "QUARTERS", "measurements", "write"]

#: Revision of what :func:`write` writes, raised whenever its output changes, so that
#: a demo folder written by an older version is rewritten (1: the first)
REVISION = 1

#: Municipality -> quarter digital visits were introduced (None: not introduced).
MUNICIPALITIES = {"1880": "2024Q1", "1883": "2024Q3", "1881": None, "1884": None, "1814": None}
#: The demo's quarters, and the extra quarter of the rerun file.
QUARTERS = pd.period_range("2022Q1", "2026Q3", freq="Q")
NEXT_QUARTER = pd.Period("2026Q4", freq="Q")

_EVENTS = """\
Datum;Kommun;Händelse
2024-01-15;Örebro;Digitala besök införs i hemtjänsten
2024-07-01;Karlskoga;Digitala besök införs i hemtjänsten
2025-02-01;Örebro;Ny leverantör av larmmottagning
"""

_NOTICE = """\
SYNTETISKA DEMODATA – effektuppföljning
Mätvärdena i den här mappen är påhittade av ehalsa_analys (ehalsa_analys.demo.monitoring)
och beskriver inga verkliga kommuner. Filen i nasta_kvartal/ är nästa kvartal, för att
visa en omkörning: ehalsa monitor --input data/raw/demo/monitoring/nasta_kvartal

SYNTHETIC DEMO DATA – made up by ehalsa_analys; not real measurements.
"""


def measurements(seed: int, quarters: pd.PeriodIndex = QUARTERS) -> pd.DataFrame:
    """The drawn measurements: municipality_code, period, metric_id, numerator, denominator, value.

    Notes
    -----
    Örebro introduces digital visits in 2024Q1 and Karlskoga in 2024Q3, both with a real shift
    towards the 10 % target; Kumla creeps up slowly without a shift; Nora and Lekeberg do not
    change. Night supervision grows after the introductions; alarm response times fall a little in
    Örebro. Lekeberg is small, so its counts are often below 5.

    Example
    -------
    >>> m = measurements(1)
    >>> sorted(m["metric_id"].unique())
    ['digital_besok_andel', 'lakemedel_avvikelser', 'larm_insatstid', 'nattillsyn_brukare']
    """
    rng = np.random.default_rng([seed, 6])
    population = reference.population().set_index("municipality_code")["population"]
    t = np.arange(len(quarters))
    rows = []
    for code, start in MUNICIPALITIES.items():
        pop = float(population[code])
        after = (
            np.zeros(len(quarters), bool)
            if start is None
            else np.asarray(quarters >= pd.Period(start, freq="Q"))
        )
        base = 0.025 + rng.normal(0, 0.004)
        share = np.where(after, base + 0.065 + rng.normal(0, 0.005), base)
        if code == "1881":
            share = base + 0.0012 * t
        visits = rng.poisson(pop * 0.22, len(quarters)).astype(float)
        digital = rng.binomial(
            visits.astype(int), np.clip(share + rng.normal(0, 0.003, len(t)), 0, 1)
        )
        night = rng.poisson(pop * 0.0006 * (1 + 1.5 * after) * (1 + 0.01 * t))
        alarm = 26 - 3 * after * (code == "1880") + rng.normal(0, 1.2, len(t))
        deviations = rng.poisson(max(pop / 20000, 0.8), len(t))
        for i, period in enumerate(quarters):
            rows += [
                (
                    code,
                    period,
                    "digital_besok_andel",
                    digital[i],
                    visits[i],
                    round(100 * digital[i] / visits[i], 1),
                ),
                (code, period, "nattillsyn_brukare", np.nan, np.nan, float(night[i])),
                (code, period, "larm_insatstid", np.nan, np.nan, round(float(alarm[i]), 1)),
                (code, period, "lakemedel_avvikelser", np.nan, np.nan, float(deviations[i])),
            ]
    return pd.DataFrame(
        rows,
        columns=["municipality_code", "period", "metric_id", "numerator", "denominator", "value"],
    )


def _long_csv(data: pd.DataFrame, title: str) -> bytes:
    names = reference.municipalities().set_index("municipality_code")["municipality"]
    table = pd.DataFrame(
        {
            "Kommun": data["municipality_code"].map(names),
            "Kvartal": [f"{p.year} K{p.quarter}" for p in data["period"]],
            "Mått": data["metric_id"],
            "Täljare": data["numerator"].map(lambda v: "" if np.isnan(v) else f"{v:.0f}"),
            "Nämnare": data["denominator"].map(lambda v: "" if np.isnan(v) else f"{v:.0f}"),
            "Värde": [
                swedish(v, 1)
                if m != "lakemedel_avvikelser" and m != "nattillsyn_brukare"
                else f"{v:.0f}"
                for v, m in zip(data["value"], data["metric_id"], strict=True)
            ],
        }
    )
    return csv_bytes(
        table,
        title=[title, "SYNTETISKA DEMODATA – inte verkliga mätvärden"],
        footnotes=["Källa: syntetiska demodata från ehalsa_analys."],
    )


def _alarm_xlsx(data: pd.DataFrame) -> bytes:
    names = reference.municipalities().set_index("municipality_code")["municipality"]
    alarm = data[data["metric_id"] == "larm_insatstid"]
    wide = alarm.pivot(index="municipality_code", columns="period", values="value")
    wb = Workbook()
    ws = wb.active
    ws.title = "Insatstid"
    ws.append(["Insatstid vid trygghetslarm, median minuter (SYNTETISKA DEMODATA)"])
    ws.append([])
    ws.append(["Kommun", "Mått", *[f"{p.year} K{p.quarter}" for p in wide.columns]])
    for code, values in wide.iterrows():
        ws.append([names[code], "Insatstid vid trygghetslarm, median", *values.tolist()])
    ws.append([])
    ws.append(["Källa: syntetiska demodata från ehalsa_analys."])
    return xlsx_bytes(wb)


def write(directory: Path, *, seed: int) -> list[Path]:
    """Write the monitoring demo under ``directory / "monitoring"``; return the paths.

    ``uppfoljning_2022K1-2026K3.csv`` is a long Swedish export (cp1252, ``;``, decimal comma, a
    title row and a footnote, quarters "2022 K1") of ``digital_besok_andel`` (share of home-care
    visits made digitally, with numerator and denominator; target 10 %), ``nattillsyn_brukare``
    (users with digital night supervision) and ``lakemedel_avvikelser`` (deviations with medicine
    dispensers: small counts, to exercise suppression). ``insatstid_2022K1-2026K3.xlsx`` holds
    ``larm_insatstid`` (median response time to safety alarms, minutes) wide by quarter;
    ``events.csv`` the log of changes that annotates the charts (the two introductions and a change
    of alarm supplier); ``nasta_kvartal/uppfoljning_2026K4.csv`` the next quarter, in a subfolder
    the first run does not read: pass it to ``ehalsa monitor --input`` to see a rerun.

    Example
    -------
    >>> import tempfile, pathlib
    >>> [p.name for p in write(pathlib.Path(tempfile.mkdtemp()), seed=1)][1:4]
    ['uppfoljning_2022K1-2026K3.csv', 'insatstid_2022K1-2026K3.xlsx', 'events.csv']
    """
    base = Path(directory) / "monitoring"
    everything = measurements(seed, QUARTERS.append(pd.PeriodIndex([NEXT_QUARTER])))
    now = everything[everything["period"] <= QUARTERS[-1]]
    later = everything[everything["period"] == NEXT_QUARTER]
    in_csv = now[now["metric_id"] != "larm_insatstid"]
    next_csv = later[later["metric_id"] != "larm_insatstid"]
    return [
        write_bytes(base / "LÄS_MIG.txt", _NOTICE.encode("utf-8"), allow_raw=True),
        write_bytes(
            base / "uppfoljning_2022K1-2026K3.csv",
            _long_csv(in_csv, "Effektuppföljning välfärdsteknik 2022 K1–2026 K3"),
            allow_raw=True,
        ),
        write_bytes(base / "insatstid_2022K1-2026K3.xlsx", _alarm_xlsx(now), allow_raw=True),
        write_bytes(base / "events.csv", _EVENTS.encode("utf-8"), allow_raw=True),
        write_bytes(
            base / "nasta_kvartal" / "uppfoljning_2026K4.csv",
            _long_csv(next_csv, "Effektuppföljning välfärdsteknik 2026 K4"),
            allow_raw=True,
        ),
    ]
