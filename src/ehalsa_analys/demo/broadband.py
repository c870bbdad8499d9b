"""Demo broadband mapping in PTS' published layouts: Västernorrland and Örebro län (SYNTHETIC).

Written under ``bredband/``:

``pts_bredband_hastighet.xlsx``
    The current tabellbilaga layout (:mod:`ehalsa_analys.load._broadband`):
    sheets "Hastighet kommun hushåll" and "Hastighet kommun arbetsställen",
    one row per municipality and year 2016–2024 (Årtal, Län, Område,
    Kommun, Antal hushåll/arbetsställen, "Tillgång till minst 100 Mbit/s",
    "Tillgång till minst 1 Gbit/s"), shares as decimals 0–1, with county
    rows and "Riket" as PTS gives them.
``pts_bredband_historiska.xlsx``
    The historical layout (sheet "Fast bredband-hastighet, totalt"): a
    three-row header (measure / year / Hushåll–Arbetsställen), codes without
    their leading zero, years 2012–2015.
``rutor/rutor_bredband_2024.csv``
    Per 1 km square of Västernorrland (the squares of the distance demo,
    :mod:`.access`): Rutid, År, "100 Mbit/s" and "1 Gbit/s" as ja/nej — the
    finer data a region may have; Örebro län has only the municipal shares.
``kandidater/servicepunkter_kandidater.csv``
    Candidate sites for digital service points (Namn, Typ, X, Y,
    Befolkning): a municipal office (kommunhus) in each town, libraries
    (bibliotek) in the towns and in about half the villages, and villages
    (by): 1 km squares of at least :data:`VILLAGE_PEOPLE` people more than
    3 km from a town that have the most people within 2.5 km, with their people.

Shaped on facts.md §H: nationally 44 % of households and businesses had
100 Mbit/s in 2010, 57 % in 2013, 69 % of households and 58 % of workplaces
in 2015, nearly all by 2024; 1 Gbit/s follows a few years behind; rural
municipalities lag (Bollebygd 16 % against Göteborg 89 % in 2015). Every
number is drawn from a seeded generator: THE FILES ARE SYNTHETIC and say so
in their title rows.

Example
-------
>>> import tempfile, pathlib
>>> [p.name for p in write(pathlib.Path(tempfile.mkdtemp()), seed=1)]
['LÄS_MIG.txt', 'pts_bredband_hastighet.xlsx', 'pts_bredband_historiska.xlsx', \
'rutor_bredband_2024.csv', 'servicepunkter_kandidater.csv']
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import shapely
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from scipy.spatial import cKDTree
from scipy.special import expit, logit

from .. import reference
from .._atomic import write_bytes
from ..store import xlsx_bytes
from . import access

__all__ = ["folder", "REVISION", "COUNTIES", "YEARS", "HISTORICAL_YEARS", "SQUARES_COUNTY", "write",
           "shares", "candidates", "VILLAGE_PEOPLE"]

#: Revision of what :func:`write` writes (raised when its output changes; 2: the squares
#: are exactly the distance demo's squares of the county).
REVISION = 2
COUNTIES = access.COUNTIES
#: Years of the current layout and of the historical one (status in October).
YEARS = tuple(range(2016, 2025))
HISTORICAL_YEARS = tuple(range(2012, 2016))
#: Fewest people in a 1 km square for it to be a candidate village ("by"): a square
#: more than 3 km from a town with the most people within 2.5 km.
VILLAGE_PEOPLE = 30
#: The county whose squares get their own broadband flags.
SQUARES_COUNTY = "22"
_TITLE = "SYNTETISKA DEMODATA – påhittade av ehalsa_analys i PTS bredbandskartläggnings format"
_NOTICE = """\
SYNTETISKA DEMODATA – bredband
Andelarna i den här mappen är påhittade av ehalsa_analys (ehalsa_analys.demo.broadband) i
samma format som Post- och telestyrelsens bredbandskartläggning. De beskriver inte någon
verklig kommun och får aldrig redovisas som statistik.

SYNTHETIC DEMO DATA – made up by ehalsa_analys in the layout of PTS' broadband mapping.
"""
#: National share of households with ≥100 Mbit/s by year, the levels the synthetic
#: municipalities scatter around (facts.md §H; 2016–2024 interpolated towards the
#: 2020 target of 95 %, our assumption).
NATIONAL_100 = {2010: 0.44, 2013: 0.57, 2015: 0.69, 2020: 0.94, 2024: 0.98}


def _national(years) -> np.ndarray:
    known = np.array(sorted(NATIONAL_100))
    return np.interp(years, known, [NATIONAL_100[y] for y in known])


def shares(seed: int) -> pd.DataFrame:
    """Synthetic shares: municipality_code, year, subject, speed_mbit, share, total.

    Each municipality has a fixed offset on the logit scale (smaller ones
    lag, as rural municipalities do), households at 100 Mbit/s follow the
    national level; workplaces lie 0.5 lower on the logit scale (58 against
    69 % in 2015) and 1 Gbit/s is the 100 Mbit/s level three years earlier.

    Example
    -------
    >>> s = shares(1)
    >>> sorted(s["speed_mbit"].unique().tolist()), bool(s["share"].between(0, 1).all())
    ([100, 1000], True)
    """
    rng = np.random.default_rng([seed, 31])
    people = reference.population().set_index("municipality_code")["population"]
    towns = reference.municipalities()
    towns = towns[towns["county_code"].isin(COUNTIES)].sort_values("municipality_code")
    codes = towns["municipality_code"].to_numpy()
    size = np.log(people.reindex(codes).to_numpy(float) / 20_000)
    offset = 0.5 * size + rng.normal(0, 0.35, len(codes))
    rows = []
    years = np.array(HISTORICAL_YEARS + YEARS)
    for subject, shift, per_person in (("households", 0.0, 0.47), ("workplaces", -0.5, 0.09)):
        for speed, lag in ((100, 0), (1000, 3)):
            level = logit(np.clip(_national(years - lag), 0.2, 0.995))
            for i, code in enumerate(codes):
                share = expit(level + offset[i] + shift + rng.normal(0, 0.08, len(years)))
                share = np.maximum.accumulate(share)  # access is not taken away
                total = round(people[code] * per_person)
                rows += [(code, int(y), subject, speed, float(v), total)
                         for y, v in zip(years, share, strict=True)]
    out = pd.DataFrame(rows, columns=["municipality_code", "year", "subject", "speed_mbit",
                                      "share", "total"])
    return out.assign(share=out["share"].round(4))


def _county_rows(table: pd.DataFrame) -> pd.DataFrame:
    """County and national rows, weighted by the totals, as PTS publishes them."""
    weighted = table.assign(n=table["share"] * table["total"],
                            county=table["municipality_code"].str[:2])
    parts = []
    for key in ("county", None):
        groups = ["year", "subject", "speed_mbit"] + ([key] if key else [])
        g = weighted.groupby(groups, as_index=False)[["n", "total"]].sum()
        g["share"] = (g["n"] / g["total"]).round(4)
        g["municipality_code"] = g[key] if key else "00"
        parts.append(g.drop(columns=["n"] + ([key] if key else [])))
    return pd.concat(parts, ignore_index=True)


def _current(wb: Workbook, table: pd.DataFrame) -> None:
    names = reference.municipalities().set_index("municipality_code")["municipality"]
    counties = reference.counties().set_index("county_code")["county"]
    for subject, word, count in (("households", "hushåll", "Antal hushåll"),
                                 ("workplaces", "arbetsställen", "Antal arbetsställen")):
        ws = wb.create_sheet(f"Hastighet kommun {word}")
        ws.append([_TITLE])
        ws["A1"].font = Font(bold=True)
        ws.append(["Årtal", "Län", "Område", "Kommun", count,
                   "Tillgång till minst 100 Mbit/s", "Tillgång till minst 1 Gbit/s"])
        part = table[(table["subject"] == subject) & table["year"].isin(YEARS)]
        part = pd.concat([part, _county_rows(part)], ignore_index=True)
        wide = part.pivot_table(index=["year", "municipality_code"], columns="speed_mbit",
                                values="share").reset_index()
        totals = part.drop_duplicates(["year", "municipality_code"]).set_index(
            ["year", "municipality_code"])["total"]
        for row in wide.sort_values(["year", "municipality_code"]).itertuples(index=False):
            year, code, s100, s1000 = row
            county = code[:2] if code != "00" else ""
            name = ("Riket" if code == "00" else counties.get(code) if len(code) == 2
                    else names[code])
            ws.append([int(year), county, code, name, int(totals[(year, code)]),
                       float(s100), float(s1000)])


def _historical(wb: Workbook, table: pd.DataFrame) -> None:
    ws = wb.create_sheet("Fast bredband-hastighet, totalt")
    ws.append([_TITLE])
    ws.append(["Andel hushåll och arbetsställen med tillgång till fast bredband, per hastighet"])
    ws.append(["Status i oktober respektive år"])
    first_row = ws.max_row + 2  # a blank row, then the three header rows
    part = table[table["year"].isin(HISTORICAL_YEARS)]
    part = pd.concat([part, _county_rows(part)], ignore_index=True)
    measures = [(100, "Andel med tillgång till minst 100 Mbit/s"),
                (1000, "Andel med tillgång till minst 1 Gbit/s")]
    subjects = [("households", "Hushåll"), ("workplaces", "Arbetsställen")]
    top, middle, bottom = ["Kod", "Namn"], ["", ""], ["", ""]
    columns = []
    for speed, label in measures:
        for year in HISTORICAL_YEARS:
            for subject, word in subjects:
                top.append(label if (year, subject) == (HISTORICAL_YEARS[0], "households")
                           else "")
                middle.append(year if subject == "households" else "")
                bottom.append(word)
                columns.append((speed, year, subject))
    for r, values in enumerate((top, middle, bottom)):
        for j, value in enumerate(values, start=1):
            ws.cell(row=first_row + r, column=j, value=value if value != "" else None)
    ends = [first for first in range(3, len(top) + 1) if top[first - 1]] + [len(top) + 1]
    for a, b in zip(ends[:-1], ends[1:], strict=True):
        ws.merge_cells(start_row=first_row, start_column=a, end_row=first_row, end_column=b - 1)
    for j in range(3, len(middle) + 1, 2):
        ws.merge_cells(start_row=first_row + 1, start_column=j, end_row=first_row + 1,
                       end_column=j + 1)
    for cell in ws[first_row]:
        cell.alignment = Alignment(horizontal="center")
    value = part.set_index(["municipality_code", "speed_mbit", "year", "subject"])["share"]
    codes = sorted(part["municipality_code"].unique(), key=lambda c: (len(c) > 2, c))
    names = reference.municipalities().set_index("municipality_code")["municipality"]
    counties = reference.counties().set_index("county_code")["county"]
    for code in codes:
        name = "Riket" if code == "00" else counties.get(code, names.get(code, code))
        ws.append([int(code), name] + [float(value[(code, *c)]) for c in columns])
    ws.append([])
    ws.append(["Källa: syntetiska demodata, inte PTS"])


def _csv(table: pd.DataFrame, title: str) -> bytes:
    pad = ";" * (table.shape[1] - 1)
    lines = [f"{title} – SYNTETISKA DEMODATA{pad}", ";".join(table.columns)]
    lines += [";".join(map(str, row)) for row in table.itertuples(index=False)]
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


def _squares(seed: int, table: pd.DataFrame) -> bytes:
    """Ja/nej per 1 km square of :data:`SQUARES_COUNTY`, calibrated on the municipal shares."""
    rng = np.random.default_rng([seed, 32])
    places = access.towns(seed)
    cells = access._cells(places, seed, 1000.0)  # the distance demo's squares, all of them
    shapes = reference.geometries("municipality")
    county = shapely.union_all(shapes[shapes["county_code"] == SQUARES_COUNTY].geometry)
    inside = shapely.contains_xy(county, cells["x"] + 500.0, cells["y"] + 500.0)
    cells = cells[inside]
    xy = cells[["x", "y"]].to_numpy()
    places = places[places["municipality_code"].str[:2] == SQUARES_COUNTY]
    codes = places["municipality_code"].to_numpy()
    near = np.argmin(np.hypot(xy[:, :1] - places["x"].to_numpy(),
                              xy[:, 1:] - places["y"].to_numpy()), axis=1)
    code = codes[near]
    lines = [_TITLE + ";;;", "Rutid;År;100 Mbit/s;1 Gbit/s"]
    flags = {}
    for speed in (100, 1000):
        target = table[(table["year"] == 2024) & (table["subject"] == "households")
                       & (table["speed_mbit"] == speed)].set_index("municipality_code")["share"]
        # Towns first: a square's chance falls with its distance from the nearest place.
        distance = np.hypot(*(xy - places[["x", "y"]].to_numpy()[near]).T)
        chance = expit(logit(target.reindex(code).to_numpy(float).clip(0.02, 0.995))
                       + 1.0 - distance / 6000)
        flags[speed] = rng.random(len(xy)) < chance
    flags[1000] &= flags[100]
    for (x, y), a, b in zip(xy, flags[100], flags[1000], strict=True):
        lines.append(f"{int(x):06d}{int(y):07d};2024;{'ja' if a else 'nej'};"
                     f"{'ja' if b else 'nej'}")
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


def candidates(seed: int) -> pd.DataFrame:
    """Typed candidate sites (Namn, Typ, X, Y, Befolkning) for the demo counties.

    Example
    -------
    >>> c = candidates(1)
    >>> sorted(c["Typ"].unique().tolist())
    ['bibliotek', 'by', 'kommunhus']
    """
    rng = np.random.default_rng([seed, 33])
    places = access.towns(seed)
    rows = []
    for place in places.itertuples():
        jitter = rng.normal(0, 200, 2)
        if place.town:
            rows.append((f"Kommunhuset {place.place}", "kommunhus", place.x + jitter[0],
                         place.y + jitter[1], ""))
        if place.town or rng.random() < 0.5:
            rows.append((f"Biblioteket {place.place}", "bibliotek", place.x - jitter[1],
                         place.y + jitter[0], ""))
    cells = access._cells(places, seed, 1000.0)
    town = places[places["town"]][["x", "y"]].to_numpy()
    centre = cells[["x", "y"]].to_numpy() + 500.0
    people = cells["population"].to_numpy()
    far = cKDTree(town).query(centre)[0] > 3000
    tree = cKDTree(centre)
    peak = np.array([people[i] >= people[tree.query_ball_point(centre[i], 2500)].max()
                     for i in range(len(centre))])
    big = far & peak & (people >= VILLAGE_PEOPLE)
    for (x, y), people in zip(centre[big], cells["population"].to_numpy()[big], strict=True):
        rows.append((f"By {int(x - 500):06d}{int(y - 500):07d}", "by", x, y, str(int(people))))
    out = pd.DataFrame(rows, columns=["Namn", "Typ", "X", "Y", "Befolkning"])
    out["X"] = out["X"].round(0).astype(int)
    out["Y"] = out["Y"].round(0).astype(int)
    return out


def folder(data_dir, *, broadband_dir=None, synthetic: bool, seed: int) -> Path | None:
    """The broadband folder a notebook reads: given, the demo's, or beside the data.

    ``broadband_dir`` when given; else, for the synthetic demo, the demo's
    ``bredband`` part (written when missing or stale); else ``bredband/``
    beside ``data_dir`` (the report's layout, data/raw/<part>) when it
    exists; else None (no broadband data: the classes say "unknown").

    Example
    -------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> folder(d / "avstand", synthetic=False, seed=1) is None
    True
    >>> (d / "bredband").mkdir(); folder(d / "avstand", synthetic=False, seed=1).name
    'bredband'
    """
    if broadband_dir is not None:
        return Path(broadband_dir)
    if synthetic:  # the demo's part, rewritten when another seed or revision wrote it
        from . import path

        return path("bredband", seed=seed)
    beside = Path(data_dir).parent / "bredband"
    return beside if beside.is_dir() else None


def write(directory: Path, *, seed: int) -> list[Path]:
    """Write the broadband demo under ``directory / "bredband"``; return the paths."""
    base = Path(directory) / "bredband"
    table = shares(seed)
    current = Workbook()
    current.remove(current.active)
    _current(current, table)
    historical = Workbook()
    historical.remove(historical.active)
    _historical(historical, table)
    return [
        write_bytes(base / "LÄS_MIG.txt", _NOTICE.encode("utf-8"), allow_raw=True),
        write_bytes(base / "pts_bredband_hastighet.xlsx", xlsx_bytes(current), allow_raw=True),
        write_bytes(base / "pts_bredband_historiska.xlsx", xlsx_bytes(historical),
                    allow_raw=True),
        write_bytes(base / "rutor" / "rutor_bredband_2024.csv", _squares(seed, table),
                    allow_raw=True),
        write_bytes(base / "kandidater" / "servicepunkter_kandidater.csv",
                    _csv(candidates(seed), "Kandidater till digitala servicepunkter"),
                    allow_raw=True),
    ]
