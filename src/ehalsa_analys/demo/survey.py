"""Demo results of Socialstyrelsen's survey 2014–2024 and a Kolada extract (SYNTHETIC).

:func:`answers` draws the answers, :func:`write` writes them as the published workbook and a
paged Kolada response.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from .. import reference
from .._atomic import write_bytes
from ..load import indicator_catalogue
from ..store import xlsx_bytes
from ._common import calibrated_probabilities, swedish

__all__ = ["REVISION", "YEARS", "TARGETS", "answers", "write"]

#: Revision of what :func:`write` writes, raised whenever its output changes, so that
#: a demo folder written by an older version is rewritten (1: the first)
REVISION = 1

YEARS = tuple(range(2014, 2025))
#: National share (0–1) per key figure at known years; other years are interpolated.
TARGETS: dict[str, dict[int, float]] = {
    "digital_nattillsyn": {2014: 0.12, 2020: 0.62, 2022: 0.78, 2024: 0.80},
    "digital_tillsyn_dag": {2014: 0.03, 2021: 0.40, 2024: 0.45},
    "gps_larm": {2014: 0.25, 2024: 0.70},
    "lakemedelsautomat": {2014: 0.04, 2024: 0.58},
    "ledningssystem_vt": {2014: 0.10, 2018: 0.30, 2021: 0.58, 2022: 0.65, 2024: 0.68},
    "strategi_ao": {2014: 0.25, 2020: 0.55, 2022: 0.60, 2024: 0.62},
    "handlingsplan_ao": {2014: 0.08, 2022: 0.20, 2024: 0.22},
    "etjanst_ekonomiskt_bistand": {2014: 0.08, 2020: 0.50, 2022: 0.60, 2024: 0.64},
    "etjanst_barn_unga": {2014: 0.15, 2022: 0.78, 2024: 0.80},
    "automatiserad_handlaggning": {2014: 0.0, 2018: 0.05, 2024: 0.35},
    "informationssakerhet": {2014: 0.30, 2024: 0.72},
    "strukturerad_dokumentation": {2014: 0.20, 2022: 0.60, 2024: 0.64},
    "personalresurser_ehalsa": {2014: 0.40, 2020: 0.74, 2024: 0.76},
}
_GOVERNANCE = {
    "ledningssystem_vt",
    "strategi_ao",
    "handlingsplan_ao",
    "informationssakerhet",
    "personalresurser_ehalsa",
    "automatiserad_handlaggning",
}
_NO_ANSWER = 0.01


def _share(indicator: str, year: int) -> float:
    points = TARGETS[indicator]
    years = sorted(points)
    return float(np.interp(year, years, [points[y] for y in years]))


def answers(seed: int) -> pd.DataFrame:
    """The drawn answers: municipality_code, year, indicator_id, value (NaN: no answer).

    Notes
    -----
    Each municipality has a fixed propensity per key figure and offers the service in a year when
    it is below that year's adoption probability, which rises with the year and with log population
    (more steeply for governance figures, where larger municipalities are ahead, as the reports
    say). So adoption is almost always kept; after 2021 a few municipalities drop a service (the
    reported trend break). National shares are calibrated to the published levels where facts.md
    gives them (in :data:`TARGETS`: night supervision 78 % in 2022, quality management covering
    welfare technology 30 % in 2018, 58 % in 2021, 65 % in 2022, e-service for financial assistance
    60 % and in barn och unga 78 % in 2022).

    Example
    -------
    >>> a = answers(1)
    >>> share = a[(a.year == 2022) & (a.indicator_id == "digital_nattillsyn")]["value"].mean()
    >>> bool(0.70 < share < 0.86)  # calibrated to the published 78 % (290 draws: ±2,4 points)
    True
    """
    rng = np.random.default_rng([seed, 4])
    base = reference.municipalities().merge(
        reference.population()[["municipality_code", "population"]], on="municipality_code"
    )
    size = base["population"].to_numpy(float)
    m = len(base)
    rows = []
    dropped = rng.random((len(TARGETS), m)) < 0.03
    for k, indicator in enumerate(TARGETS):
        propensity = rng.random(m)
        slope = 1.2 if indicator in _GOVERNANCE else 0.5
        for year in YEARS:
            share = _share(indicator, year)
            if share <= 0:
                value = np.zeros(m)
            else:
                p = calibrated_probabilities(size, share, slope=slope)
                # A fixed propensity against a rising probability: adoption is kept.
                value = (propensity < p).astype(float)
            if year >= 2022:
                value[dropped[k]] = 0.0  # the trend break: a few drop a service
            rows.append(
                pd.DataFrame(
                    {
                        "municipality_code": base["municipality_code"],
                        "year": year,
                        "indicator_id": indicator,
                        "value": value,
                    }
                )
            )
    alarms = []
    for year in YEARS:
        national = {2014: 14.0, 2015: 27.0, 2016: 60.0, 2017: 85.0}.get(year, 96.0)
        value = np.clip(rng.normal(national, 8 if year < 2018 else 3, m), 0, 100).round(1)
        alarms.append(
            pd.DataFrame(
                {
                    "municipality_code": base["municipality_code"],
                    "year": year,
                    "indicator_id": "digitala_trygghetslarm_andel",
                    "value": value,
                }
            )
        )
        users = rng.poisson(size * 0.0001 * max(year - 2014, 0.5))
        alarms.append(
            pd.DataFrame(
                {
                    "municipality_code": base["municipality_code"],
                    "year": year,
                    "indicator_id": "nattillsyn_brukare_antal",
                    "value": users.astype(float),
                }
            )
        )
    out = pd.concat(rows + alarms, ignore_index=True)
    no_answer = rng.random(len(out)) < _NO_ANSWER
    out.loc[no_answer, "value"] = np.nan
    return out


def _cell(indicator: str, unit: str, value: float):
    if np.isnan(value):
        return ".."
    if unit == "ja/nej":
        return "Ja" if value == 1 else "Nej"
    if unit == "antal":
        return "x" if 0 < value < 5 else int(value)
    return swedish(value, 1)


def _sheet(wb: Workbook, year: int, table: pd.DataFrame, catalogue: pd.DataFrame) -> None:
    ws = wb.create_sheet(str(year))
    titles = catalogue.set_index("indicator_id")["title_sv"].to_dict()
    units = catalogue.set_index("indicator_id")["unit"].to_dict()
    if year == 2017:
        titles["digital_nattillsyn"] = "Nattillsyn med kamera"  # renamed question
    indicators = list(table.columns)
    ws.append([f"E-hälsa och välfärdsteknik i kommunerna {year} – nyckeltal per kommun"])
    ws["A1"].font = Font(bold=True)
    ws.append(["SYNTETISKA DEMODATA – inte Socialstyrelsens statistik"])
    ws.append([])
    kommuner = reference.municipalities().set_index("municipality_code")
    if year == 2019:  # a two-row header with merged group cells
        groups = [
            "Välfärdsteknik"
            if i in ("digital_nattillsyn", "digital_tillsyn_dag", "gps_larm", "lakemedelsautomat")
            else "Styrning och e-tjänster"
            for i in indicators
        ]
        ws.append(["Kommunkod", "Kommun", "Län", *groups])
        ws.append([None, None, None, *[titles[i] for i in indicators]])
        start = 4
        for group in dict.fromkeys(groups):
            cols = [j for j, g in enumerate(groups) if g == group]
            ws.merge_cells(
                start_row=4, start_column=start + cols[0], end_row=4, end_column=start + cols[-1]
            )
    else:
        ws.append(["Kommunkod", "Kommun", "Län", *[titles[i] for i in indicators]])
    header = ws.max_row
    for cell in ws[header]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True)
    for code, values in table.iterrows():
        ws.append(
            [
                int(code),
                kommuner.loc[code, "municipality"],
                kommuner.loc[code, "county"],
                *[_cell(i, units[i], v) for i, v in zip(indicators, values, strict=True)],
            ]
        )
    ws.append([])
    ws.append(
        ["Källa: syntetiska demodata från ehalsa_analys, formade efter publicerade riksnivåer."]
    )
    ws.append(["x = färre än 5 brukare, uppgiften skyddas. .. = kommunen har inte svarat."])


def _kolada_pages() -> list[bytes]:
    pop = reference.population().set_index("municipality_code")["population"]
    codes = reference.municipalities(county_code="18")["municipality_code"].tolist()
    items = [
        {
            "kpi": "N01951",
            "municipality": "0000",
            "period": 2025,
            "values": [
                {
                    "gender": "T",
                    "value": int(pop.sum()),
                    "count": 290,
                    "status": "",
                    "isdeleted": False,
                }
            ],
        },
        {
            "kpi": "N01951",
            "municipality": "0018",
            "period": 2025,
            "values": [
                {
                    "gender": "T",
                    "value": int(pop[codes].sum()),
                    "count": len(codes),
                    "status": "",
                    "isdeleted": False,
                }
            ],
        },
    ] + [
        {
            "kpi": "N01951",
            "municipality": code,
            "period": 2025,
            "values": [
                {
                    "gender": "T",
                    "value": int(pop[code]),
                    "count": 1,
                    "status": "",
                    "isdeleted": False,
                }
            ],
        }
        for code in codes
    ]
    half = len(items) // 2
    url = "https://api.kolada.se/v3/data/kpi/N01951/year/2025"
    pages = [
        {
            "count": len(items),
            "values": items[:half],
            "next_url": url + "?page=2",
            "previous_url": None,
        },
        {
            "count": len(items),
            "values": items[half:],
            "next_url": None,
            "previous_url": url + "?page=1",
        },
    ]
    return [json.dumps(p, ensure_ascii=False, indent=1).encode("utf-8") for p in pages]


def write(directory: Path, *, seed: int) -> list[Path]:
    """Write the survey and Kolada demo under ``directory / "socialstyrelsen"``.

    ``nyckeltal_2014-2024.xlsx`` has one sheet per year in the published wide style: two title
    rows (the second says SYNTETISKA DEMODATA), a blank row, a header, one row per municipality
    (Kommunkod without its leading zero, as Excel strips it, Kommun, Län, one column per key
    figure), "Ja"/"Nej", percentages with decimal commas, counts with ``x`` below 5, ``..`` for the
    municipalities that did not answer (about 1 %), and footnotes. The 2019 sheet has a two-row
    header (merged group cells over the questions), and 2017 asks about night supervision as
    "Nattillsyn med kamera", a renamed question the catalogue's aliases resolve.
    ``kolada/N01951_p1.json`` and ``_p2.json`` hold inhabitants (Kolada KPI N01951) of the demo
    county's municipalities, the county and the nation as a paged v3 response (next_url): the
    shipped 2025 population, labelled 2025.

    Example
    -------
    >>> import tempfile, pathlib
    >>> [p.name for p in write(pathlib.Path(tempfile.mkdtemp()), seed=1)]
    ['nyckeltal_2014-2024.xlsx', 'N01951_p1.json', 'N01951_p2.json']
    """
    base = Path(directory) / "socialstyrelsen"
    catalogue = indicator_catalogue()
    data = answers(seed)
    wb = Workbook()
    wb.remove(wb.active)
    order = [i for i in catalogue["indicator_id"] if i in set(data["indicator_id"])]
    for year in YEARS:
        table = data[data["year"] == year].pivot(
            index="municipality_code", columns="indicator_id", values="value"
        )[order]
        _sheet(wb, year, table, catalogue)
    written = [write_bytes(base / "nyckeltal_2014-2024.xlsx", xlsx_bytes(wb), allow_raw=True)]
    for i, page in enumerate(_kolada_pages(), 1):
        written.append(write_bytes(base / "kolada" / f"N01951_p{i}.json", page, allow_raw=True))
    return written
