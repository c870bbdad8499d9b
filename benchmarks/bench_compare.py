"""Socialstyrelsen's survey: 290 municipalities x 11 years x 60 key figures (191 400 answers).

Ours: read the whole extract from one xlsx workbook (a sheet per year) with
``load.socialstyrelsen`` and compute every comparison: ``reference_levels``
(county, nation and size classes), ``rank_colour``, ``trend`` and
``composite``. The issue asks for all of it in under 5 s.

Peer: the same workbook read with ``pandas.read_excel`` (calamine engine) and
melted, without any of the loader's checks, then the same comparisons — so
the ratio shows what the loader's checks cost.
"""

import functools
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook

from ehalsa_analys import compare, load, reference

YEARS = range(2014, 2025)
N = 60


@functools.cache
def setup():
    rng = np.random.default_rng(60)
    codes = reference.municipalities()["municipality_code"].to_numpy()
    ids = [f"k{i:02d}" for i in range(N)]
    catalogue = pd.DataFrame(
        {
            "indicator_id": ids,
            "title_sv": [f"Nyckeltal {i}" for i in range(N)],
            "title_en": ids,
            "unit": ["ja/nej"] * 40 + ["%"] * 20,
            "higher_is_better": True,
            "area": "x",
            "kolada_kpi": "",
            "aliases": [()] * N,
        }
    )
    wb = Workbook()
    wb.remove(wb.active)
    for year in YEARS:
        ws = wb.create_sheet(str(year))
        ws.append([f"Nyckeltal {year}"])
        ws.append([])
        ws.append(["Kommunkod", "Kommun", *catalogue["title_sv"]])
        for code in codes:
            yes = np.where(rng.random(40) < 0.5, "Ja", "Nej")
            pct = np.round(rng.uniform(0, 100, 20), 1)
            ws.append([int(code), None, *yes, *pct])
    path = Path(tempfile.mkdtemp(prefix="bench_survey_")) / "enkat.xlsx"
    wb.save(path)
    return path, catalogue


def _comparisons(obs, catalogue):
    indicators = catalogue["indicator_id"].tolist()
    return (
        compare.reference_levels(obs),
        compare.rank_colour(obs, catalogue=catalogue),
        compare.trend(obs),
        compare.composite(obs, indicators=indicators, catalogue=catalogue),
    )


def ours(data):
    path, catalogue = data
    return _comparisons(load.socialstyrelsen(path, catalogue=catalogue), catalogue)


def peer(data):
    path, catalogue = data
    frames = []
    units = catalogue.set_index("title_sv")["unit"]
    ids = catalogue.set_index("title_sv")["indicator_id"]
    for year, sheet in pd.read_excel(path, sheet_name=None, header=2, engine="calamine").items():
        sheet["municipality_code"] = sheet["Kommunkod"].astype(int).astype(str).str.zfill(4)
        long = sheet.drop(columns=["Kommunkod", "Kommun"]).melt(
            id_vars="municipality_code", var_name="title", value_name="raw"
        )
        long["period"] = int(year)
        frames.append(long)
    obs = pd.concat(frames, ignore_index=True)
    obs["indicator_id"] = obs["title"].map(ids)
    obs["unit"] = obs["title"].map(units)
    obs["value"] = pd.to_numeric(obs["raw"].replace({"Ja": 1, "Nej": 0}), errors="coerce")
    obs["status"] = ""
    return _comparisons(obs, catalogue)


CASES = [
    {
        "name": "survey xlsx load + all comparisons",
        "setup": setup,
        "ours": ours,
        "peer_name": "pandas.read_excel + melt, no checks, same comparisons",
        "peer": peer,
    }
]
