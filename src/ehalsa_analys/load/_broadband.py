"""PTS' fixed-broadband mapping (bredbandskartläggning) as published: shares per municipality.

Post- och telestyrelsen maps access to fixed broadband every year (status in
October, published in March): the share of households (hushåll) and of
workplaces (arbetsställen, företag) that can order at least 100 Mbit/s or
1 Gbit/s, per municipality and county, from buildings since 2015 (from
250 m squares before). Background and sources: ../shared/domain/facts.md §H.

Layouts read
------------
PTS' exact column texts change between years and are not documented in a
stored source; the loader reads them by what they say, not by position.
Two shapes are known from code that reads PTS' published files:

*Tabellbilaga (current)* — e.g. ``tabellbilaga-hastighet-1-1.xlsx`` and
``tabellbilaga-teknik-1-1.xlsx``: one sheet per subject and level
("… kommun hushåll", "… kommun arbetsställen"), one header row, one row per
municipality and year (an "Årtal" column), a code column ("Område",
"Kommunkod"), a name ("Kommun", "Kommunnamn"), the number of households and
one column per measure with shares as decimals 0–1. Read this way by
Jakeminator123/Flyttsmart ``scripts/pts-import.ts`` (commit 7c2f8f7), which
picks the sheet whose name matches "kommun…hush", finds "Årtal", "Kommun",
"Område"/"Kommunkod" and "Antal hushåll" by header text, and reads shares
as decimals.
*Tabellbilaga, historiska uppgifter* — e.g.
``tabellbilaga-historiska-uppgifter-teknik-1-0.xlsx``, sheet "Fast
bredband-teknik, totalt": title rows, then a header of three rows — the
measure (merged across its years), the year (2015–2022) and the subject
(Hushåll / Arbetsställen) — then one row per county (2-digit code) and
municipality (code without its leading zero, 114 for 0114) with the code in
the first column and the name in the second, shares as decimals. Read this
way by a research repository's Swedish inclusion check (stored file id
70076947922), which forward-fills the three header rows across the sheet.

Any sheet of either shape is read: every sheet of a workbook (a sheet per
year, such as "2023", works too: the year comes from the column, the header,
the sheet name or the title rows, in that order), every csv/xlsx of a folder.
A measure is a column whose header (all its header rows joined) names a
speed ("100 Mbit/s", "1 Gbit/s", "1000 Mbit/s"); its subject comes from the
header, else the sheet name, else the title rows. Columns of technologies
without a speed (fibre, xDSL, LTE) are not read. Rows of counties, "Riket"
and footnotes are left out.

Shares
------
A sheet's shares are decimals 0–1 when most of its numbers are at most 1,
else percentages 0–100 (and always when the header says "%" or "procent");
percentages are divided by 100. A share outside its scale, or a cell that
is neither a number nor a marker ("..", "x"), is an InputFileError naming
the file, sheet, row and column. Personal identity numbers anywhere in a
sheet (a column of them, or one inside a cell, header or footnote) refuse it
(the shared reader's scan).

Example
-------
>>> import pandas as pd, tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "pts.csv"
>>> _ = p.write_text("Årtal;Kommunkod;Kommun;Tillgång till minst 100 Mbit/s;"
...     "Tillgång till minst 1 Gbit/s\\n2023;1880;Örebro;0,97;0,93\\n", encoding="utf-8")
>>> broadband(p, subject="hushåll")[["municipality_code", "year", "speed_mbit", "share"]]
  municipality_code  year  speed_mbit  share
0              1880  2023         100   0.97
1              1880  2023        1000   0.93
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from .. import reference
from ..errors import InputFileError, UnknownMunicipalityError
from ..privacy import check_text
from ..schemas import CRS
from .numbers import _classify, parse_numbers
from .personal import check_personal_numbers
from .reader import (
    _FOOTNOTE_RE,
    _AliasIndex,
    _Grid,
    _read_spreadsheet,
    _read_text,
    _scan_text_column,
    column_key,
    data_files,
    read_table,
    sheet_names,
    where,
)

__all__ = ["broadband", "broadband_points", "candidates", "broadband_folder",
           "BroadbandInputs", "SUBJECTS", "COLUMNS", "CANDIDATE_KINDS"]

#: Output subjects and the words that name them in PTS' headers and sheet names.
SUBJECTS = {
    "households": ("hushåll", "hushall", "households", "befolkning"),
    "workplaces": ("arbetsställen", "arbetsstallen", "arbetsställe", "företag", "foretag",
                   "workplaces", "businesses"),
}
#: Columns of :func:`broadband`, in order.
COLUMNS = ["municipality_code", "year", "subject", "speed_mbit", "share", "total",
           "file", "sheet", "row", "column"]

_SPEED = re.compile(r"(\d+(?:[.,]\d+)?)\s*(m|g)\s*bit", re.IGNORECASE)
_YEAR = re.compile(r"(?<!\d)(20\d{2}|19\d{2})(?!\d)")
_CODE = re.compile(r"^\d{1,4}(?:\.0)?$")
_NATION = {"riket", "sverige", "totalt", "hela landet", "samtliga", "summa"}
_ROLES = {
    "code": ("kommunkod", "kod", "område", "omrade", "länkod", "lan- och kommunkod",
             "kommun- och länskod", "regionkod", "code"),
    "name": ("kommun", "kommunnamn", "namn", "län/kommun", "kommun/län", "municipality", "name"),
    "year": ("årtal", "år", "artal", "year"),
    "total": ("antal hushåll", "antal arbetsställen", "hushåll totalt", "arbetsställen totalt",
              "totalt antal hushåll", "totalt antal arbetsställen", "antal"),
}


def _speed_mbit(label: str) -> int | None:
    """The speed a header names, in Mbit/s ("1 Gbit/s" -> 1000), or None."""
    found = _SPEED.search(label)
    if not found:
        return None
    value = float(found[1].replace(",", "."))
    return int(round(value * (1000 if found[2].lower() == "g" else 1)))


def _subject(text: str) -> str | None:
    key = text.casefold()
    hits = [name for name, words in SUBJECTS.items() if any(w in key for w in words)]
    return hits[0] if len(hits) == 1 else None


def _year(text: str) -> int | None:
    found = _YEAR.findall(text)
    return int(found[-1]) if len(set(found)) == 1 else None


def _grid(path: Path, file: str, sheet) -> _Grid:
    if path.suffix.lower() in (".csv", ".txt", ".tsv"):
        index = _AliasIndex.build({"name": list(_ROLES["name"])})
        return _read_text(path, file, encoding=None, sep=None, index=index)
    return _read_spreadsheet(path, file, sheet=sheet)


def _sheets(path: Path, file: str) -> list:
    if path.suffix.lower() in (".csv", ".txt", ".tsv"):
        return [0]
    return sheet_names(path, file=file)


def _scan(grid: _Grid, file: str) -> None:
    """The shared reader's personal-number scan over every cell of the sheet."""
    cells = grid.cells
    label = grid.column_label
    check_personal_numbers(
        {j: cells[j] for j in cells.columns}, file=file, labels=label, rows=grid.rows
    )
    for j in cells.columns:
        _scan_text_column(
            cells[j].astype(object), free=False, file=file, column=label(j), rows=grid.rows
        )


def _role(label: str) -> str | None:
    key = column_key(label)
    for role, words in _ROLES.items():
        if key in {column_key(w) for w in words}:
            return role
    return None


def _name_key(text: str) -> str:
    key = str(text).strip().casefold()
    for suffix in (" kommun", "s kommun", " stad"):
        key = key.removesuffix(suffix)
    return key.removeprefix("region ")


def _is_code(text: str) -> bool:
    return bool(_CODE.match(text.strip()))


def _layout(grid: _Grid, file: str, sheet_name: str):
    """(first data row, header rows, labels per column, title texts) of a sheet, or None.

    The data start at the first row whose code (or name) cell is a
    municipality; the header is the run of rows above it with text in more
    than one cell, the title rows the ones above that."""
    cells = grid.cells.to_numpy(dtype=object)
    n_rows, n_cols = cells.shape if cells.size else (0, 0)
    first = next((r for r in range(n_rows) if _data_like(cells[r])), None)
    if first is None:
        return None
    start = first
    while start > 0 and sum(1 for t in cells[start - 1] if str(t)) > 1:
        start -= 1
    header = list(range(start, first))
    if not header:
        return None
    titles = [" ".join(str(t) for t in cells[r] if str(t)) for r in range(start)]
    merges = {(r0, c0): c1 for r0, c0, _, c1 in grid.merges}
    parts: list[list[str]] = [[] for _ in range(n_cols)]
    for k, r in enumerate(header):
        last = k == len(header) - 1
        current = ""
        until = -1
        for j in range(n_cols):
            text = str(cells[r, j])
            if text:
                current, until = text, merges.get((r, j), n_cols - 1 if not last else j)
            elif j > until:
                current = ""
            if current and (text or not last):
                parts[j].append(current)
            if last:
                current = ""
    labels = [" / ".join(dict.fromkeys(p)) for p in parts]
    for r in header:
        for j in range(n_cols):
            check_text(str(cells[r, j]), what="column name", file=file, row=int(grid.rows[r]),
                       column=grid.column_label(j).removeprefix("column "))
    for r, text in enumerate(titles):
        check_text(text, what="title row", file=file, row=int(grid.rows[r]))
    return first, header, labels, titles


def _data_like(row) -> bool:
    """A row of values: at least two numbers that are not years, and half its cells numbers."""
    texts = [str(t) for t in row if str(t)]
    numbers = 0
    for t in texts:
        if _looks_number(t):
            value = float(t.replace(",", ".").replace(" ", "")) if _CODE.match(t) else None
            numbers += not (value is not None and value.is_integer() and 1990 <= value <= 2100)
    named = any(_name_key(t) in _NAMES or (_CODE.match(t) and len(t) >= 3) for t in texts)
    return (numbers >= 2 or (numbers == 1 and named)) and 2 * numbers >= len(texts) - named


def _looks_number(text: str) -> bool:
    """A cell written as a number (not a marker, not text)."""
    floats, status, bad = _classify(pd.Series([text], dtype=object))
    return not bad[0] and status[0] == "" and bool(np.isfinite(floats[0]))


def _sheet_rows(path: Path, file: str, sheet, subject: str | None, year: int | None):
    grid = _grid(path, file, sheet)
    if grid.cells.empty:
        return []
    _scan(grid, file)
    sheet_name = grid.sheet or ""
    where_file = f"{file}, sheet {sheet_name}" if grid.sheet else file
    layout = _layout(grid, where_file, sheet_name)
    if layout is None:
        return []
    first, header, labels, titles = layout
    cells = grid.cells.to_numpy(dtype=object)
    roles = {role: None for role in _ROLES}
    measures = []
    for j, label in enumerate(labels):
        speed = _speed_mbit(label)
        if speed is not None:
            measures.append((j, speed, label))
            continue
        last = str(cells[header[-1], j]) or label
        role = _role(last) or _role(label)
        if role and roles[role] is None:
            roles[role] = j
    if not measures:
        return []
    if roles["code"] is None and roles["name"] is None:
        codes = [j for j in range(cells.shape[1]) if _is_code(str(cells[first, j]))]
        roles["code"] = codes[0] if codes else None
    if roles["code"] is None and roles["name"] is None:
        raise InputFileError(
            "The sheet has no municipality code or name column",
            file=where_file,
            row=int(grid.rows[header[-1]]),
            hint="PTS' tables have a code column (Kommunkod, Område) or a name column (Kommun)",
        )
    body = cells[first:]
    rows = grid.rows[first:]
    end = len(body)
    for i, row in enumerate(body):  # the table ends at the first footnote
        head = next((str(t) for t in row if str(t)), "")
        if head and _FOOTNOTE_RE.match(head) and not _is_code(head):
            end = i
            break
    body, rows = body[:end], rows[:end]
    keep = np.ones(len(body), dtype=bool)
    code = np.full(len(body), None, dtype=object)
    if roles["code"] is not None:
        raw = np.array([str(t).strip().removesuffix(".0") for t in body[:, roles["code"]]])
        is_muni = np.array([_is_code(t) and len(t) >= 3 for t in raw])
        keep &= is_muni
        code[is_muni] = [t.zfill(4) for t in raw[is_muni]]
        unknown = [
            i for i in np.flatnonzero(is_muni)
            if code[i] not in _KNOWN and code[i] not in _HISTORICAL
        ]
        if unknown:
            i = unknown[0]
            raise UnknownMunicipalityError(
                f"{raw[i]!r} is no municipality code",
                file=where_file,
                row=int(rows[i]),
                column=labels[roles["code"]] or grid.column_label(roles["code"]),
                value=raw[i],
                hint="municipality codes have 4 digits (0114–2584); check the column",
            )
        code[is_muni] = [_HISTORICAL.get(c, c) for c in code[is_muni]]
    else:
        names = np.array([str(t).strip() for t in body[:, roles["name"]]])
        nation = np.array([n.casefold() in _NATION or n == "" or n.casefold().endswith(" län")
                           for n in names])
        keep &= ~nation
        resolved = reference.resolve_municipality(
            pd.Series(names[keep]), file=where_file,
            column=labels[roles["name"]],
        )
        code[keep] = resolved.to_numpy()
    # Blank rows inside the table
    blank = np.array([not any(str(t) for t in row) for row in body])
    keep &= ~blank
    year_of = np.full(len(body), np.nan)
    if roles["year"] is not None:
        values, _ = parse_numbers(
            pd.Series(body[:, roles["year"]], dtype=object), file=where_file,
            column=labels[roles["year"]], rows=rows, integer=True, minimum=1990, maximum=2100,
        )
        year_of = values.to_numpy(float)
    fallback_year = year if year is not None else (
        _year(sheet_name) or _year(" ".join(titles)) or _year(path.stem)
    )
    total = np.full(len(body), np.nan)
    if roles["total"] is not None:
        values, _ = parse_numbers(
            pd.Series(body[:, roles["total"]], dtype=object), file=where_file,
            column=labels[roles["total"]], rows=rows, integer=True, minimum=0,
        )
        total = values.to_numpy(float)
    sheet_subject = (
        subject or _subject(sheet_name) or _subject(" ".join(titles)) or _subject(path.stem)
    )
    # One scale per sheet: decimals when most numbers are at most 1.
    parsed = []
    for j, speed, label in measures:
        values, status = parse_numbers(
            pd.Series(body[keep, j], dtype=object), file=where_file, column=label,
            rows=rows[keep], minimum=0,
        )
        parsed.append((j, speed, label, values.to_numpy(float)))
    numbers = np.concatenate([v[np.isfinite(v)] for *_, v in parsed]) if parsed else np.array([])
    percent_sheet = bool(len(numbers)) and float(np.median(numbers)) > 1
    out = []
    for j, speed, label, values in parsed:
        percent = percent_sheet or "%" in label or "procent" in label.casefold()
        top = 100.0 if percent else 1.0
        over = np.flatnonzero(values > top)
        if over.size:
            i = over[0]
            raise InputFileError(
                f"Share {body[keep, j][i]!r} is above {top:g}"
                + (" (the sheet's shares are percentages)" if percent
                   else " (the sheet's shares are decimals 0–1)"),
                file=where_file, row=int(rows[keep][i]), column=label,
                value=body[keep, j][i],
                hint="a share of households or workplaces lies within 0–1 (or 0–100 %)",
            )
        the_subject = subject or _subject(label) or sheet_subject
        if the_subject is None:
            raise InputFileError(
                "Cannot tell whether the column counts households or workplaces",
                file=where_file, row=int(grid.rows[header[-1]]), column=label,
                hint="pass subject='households' or 'workplaces', or name the sheet after it",
            )
        col_year = _year(label)
        years = year_of[keep] if roles["year"] is not None else None
        if years is None:
            the_year = col_year or fallback_year
            if the_year is None:
                raise InputFileError(
                    "The sheet gives no year (no Årtal column, no year in the header, the "
                    "sheet name, the title or the file name)",
                    file=where_file, column=label,
                    hint="pass year=, or name the sheet after the year (e.g. 2023)",
                )
            years = np.full(keep.sum(), float(the_year))
        out.append(pd.DataFrame({
            "municipality_code": code[keep],
            "year": years,
            "subject": the_subject,
            "speed_mbit": speed,
            "share": values / (100.0 if percent else 1.0),
            "total": total[keep],
            "file": file,
            "sheet": sheet_name or None,
            "row": rows[keep].astype(np.int64),
            "column": label,
        }))
    return out


_KNOWN = set(reference.municipalities()["municipality_code"])
_NAMES = {_name_key(n) for n in reference.municipalities()["municipality"]}
_HISTORICAL = dict(
    zip(*(reference.historical_codes()[c] for c in ("old_code", "new_code")), strict=True)
)


def broadband(
    path: str | os.PathLike,
    *,
    sheet: str | int | None = None,
    subject: str | None = None,
    year: int | None = None,
) -> pd.DataFrame:
    """Read PTS' broadband mapping: shares with access per municipality, year and speed.

    Parameters
    ----------
    path : str or PathLike
        An xlsx/xls/ods workbook, a csv, or a folder of them (read in name order).
    sheet : str or int, optional
        Only this sheet (default every sheet that holds a table of shares).
    subject : {"households", "workplaces"}, optional
        For a file that does not say (in header, sheet name or title).
    year : int, optional
        For a file without a year column, year in the header, sheet name or title.

    Returns
    -------
    DataFrame
        :data:`COLUMNS`: municipality_code, year (int), subject ("households"
        or "workplaces"), speed_mbit (100, 1000, …), share (0–1, NaN where
        the file writes ".." or "x"), total (households or workplaces, NaN
        when not given), and where each value was read (file, sheet, row,
        column). Sorted by subject, speed, municipality and year.

    Raises
    ------
    InputFileError
        No table of shares, a share outside its scale, text in a number
        cell, no subject or year to be found, the same value twice.
    UnknownMunicipalityError
        A code or name that is no municipality.
    PersonalDataError
        Personal identity numbers anywhere in a sheet.

    Example
    -------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "hushall_2023.csv"
    >>> _ = p.write_text("Kommun;100 Mbit/s (%);1 Gbit/s (%)\\nÖrebro;97;93\\n"
    ...     "Källa: PTS\\n", encoding="utf-8")
    >>> broadband(p, year=2023, subject="households")["share"].tolist()
    [0.97, 0.93]
    """
    if subject is not None and subject not in SUBJECTS:
        subject = _subject(subject) or subject
    if subject is not None and subject not in SUBJECTS:
        raise ValueError(
            f"The value for `subject` must be one of {list(SUBJECTS)}, but {subject!r} was passed."
        )
    files = data_files(
        path, what="broadband tables", skip=["readme", "läs_mig"],
        hint="put PTS' tabellbilaga (xlsx) or csv exports in the folder",
    )
    frames = []
    for file_path in files:
        file = str(file_path)
        names = [sheet] if sheet is not None else _sheets(file_path, file)
        for name in names:
            frames += _sheet_rows(file_path, file, name, subject, year)
    if not frames:
        raise InputFileError(
            "No table of broadband shares found (no column names a speed such as "
            "'100 Mbit/s' or '1 Gbit/s')",
            file=str(path),
            hint="read PTS' tabellbilaga for speeds (hastighet); technology-only tables "
            "give no speed",
        )
    out = pd.concat(frames, ignore_index=True)
    out["year"] = out["year"].astype(np.int64)
    out["speed_mbit"] = out["speed_mbit"].astype(np.int64)
    keys = ["municipality_code", "year", "subject", "speed_mbit"]
    twice = out.duplicated(keys, keep=False)
    if twice.any():
        rows = out[twice].sort_values([*keys, "file", "row"])
        a, b = rows.iloc[0], rows.iloc[1]
        raise InputFileError(
            f"Municipality {a['municipality_code']}, {int(a['year'])}, {a['subject']}, "
            f"{int(a['speed_mbit'])} Mbit/s is given twice (also {b['file']}, sheet {b['sheet']}, "
            f"row {int(b['row'])})",
            file=a["file"] if a["sheet"] is None else f"{a['file']}, sheet {a['sheet']}",
            row=int(a["row"]), column=a["column"],
            hint="read one file per year and subject, or pass sheet=",
        )
    return out.sort_values(["subject", "speed_mbit", "municipality_code", "year"],
                           ignore_index=True)[COLUMNS]


_POINT_ALIASES = {
    "cell_id": ("rutid", "ruta", "ruta_id", "cell_id", "grid_id", "rut_id"),
    "x": ("x", "easting", "ost", "e", "x_koord"),
    "y": ("y", "northing", "nord", "n", "y_koord"),
    "year": ("år", "årtal", "year"),
}
_YES = {"ja", "j", "yes", "y", "true", "1", "sant", "x"}
_NO = {"nej", "n", "no", "false", "0", "falskt", ""}


def broadband_points(
    path: str | os.PathLike, *, crs=None, cell_size: float = 250.0
) -> gpd.GeoDataFrame:
    """Read broadband access per square or building point (the user's own finer data).

    A table (csv/xlsx) with a grid-square id (Rutid, as
    :func:`ehalsa_analys.load.population` reads it) or x/y coordinates, and
    one column per speed ("100 Mbit/s", "1 Gbit/s") holding yes/no (ja/nej,
    1/0) or the share of the point's households with access (0–1, or 0–100
    when the header says %). An optional year column.

    Returns
    -------
    GeoDataFrame
        cell_id (the grid id, or "x_y" for points), year (NaN when not given),
        speed_mbit, share (0–1; yes = 1, no = 0), geometry (the square's
        centre or the point, EPSG:3006).

    Example
    -------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "rutor.csv"
    >>> _ = p.write_text("Rutid;100 Mbit/s;1 Gbit/s\\n5150006566000;ja;nej\\n", encoding="utf-8")
    >>> broadband_points(p)[["cell_id", "speed_mbit", "share"]].values.tolist()
    [['5150006566000', 100, 1.0], ['5150006566000', 1000, 0.0]]
    """
    from .rural import _points

    table = read_table(path, aliases=_POINT_ALIASES, resolve_codes=False)
    file = table.attrs.get("file")
    speeds = [(c, _speed_mbit(str(table.attrs.get("columns", {}).get(c, c)))) for c in table]
    speeds = [(c, s) for c, s in speeds if s is not None and not c.endswith("_status")]
    if not speeds:
        raise InputFileError(
            "No column names a speed such as '100 Mbit/s' or '1 Gbit/s'",
            file=file, hint="name the columns after the speed they hold",
        )
    frame = _points(table, crs, cell_size=cell_size)
    ids = (
        table["cell_id"].astype("str").to_numpy()
        if "cell_id" in table
        else np.array([f"{x:.0f}_{y:.0f}" for x, y in zip(frame.geometry.x, frame.geometry.y,
                                                          strict=True)])
    )
    year = np.full(len(table), np.nan)
    if "year" in table:
        year, _ = parse_numbers(table["year"], file=file, column=where(table, "year")["column"],
                                rows=table["source_row"].to_numpy(), integer=True,
                                minimum=1990, maximum=2100)
        year = year.to_numpy(float)
    out = []
    for column, speed in speeds:
        header = str(table.attrs.get("columns", {}).get(column, column))
        raw = table[column]
        text = raw.astype(object).where(raw.notna(), "").astype(str).str.strip().str.casefold()
        yes, no = text.isin(_YES).to_numpy(), text.isin(_NO).to_numpy()
        share = np.where(yes, 1.0, np.where(no, 0.0, np.nan))
        rest = ~(yes | no)
        if rest.any():
            percent = "%" in header or "procent" in header.casefold()
            values, _ = parse_numbers(
                raw[rest], file=file, column=header,
                rows=table["source_row"].to_numpy()[rest], minimum=0,
                maximum=100 if percent else 1,
            )
            share[rest] = values.to_numpy(float) / (100.0 if percent else 1.0)
        out.append(pd.DataFrame({"cell_id": ids, "year": year, "speed_mbit": speed,
                                 "share": share}))
    frame_out = pd.concat(out, ignore_index=True)
    geometry = np.tile(frame.geometry.to_numpy(), len(speeds))
    return gpd.GeoDataFrame(frame_out, geometry=geometry, crs=CRS)


_CANDIDATE_ALIASES = {
    "service_id": ("namn", "name", "id", "service_id", "plats"),
    "kind": ("typ", "kind", "slag", "kategori"),
    "x": ("x", "easting", "ost", "e"),
    "y": ("y", "northing", "nord", "n"),
    "population": ("befolkning", "invånare", "population", "folkmängd"),
}
#: Candidate kinds and their spellings; other kinds are kept as written (lower case).
CANDIDATE_KINDS = {
    "kommunhus": ("kommunhus", "kommunkontor", "medborgarkontor", "servicekontor",
                  "municipal office"),
    "bibliotek": ("bibliotek", "library", "filial"),
    "by": ("by", "småort", "smaort", "tätort", "village"),
}


def candidates(path: str | os.PathLike, *, crs=None) -> gpd.GeoDataFrame:
    """Read candidate sites for digital service points (a name, a type, x/y, people).

    A csv/xlsx with Namn, Typ (kommunhus, bibliotek, by — the spellings of
    :data:`CANDIDATE_KINDS`; other types are kept in lower case), X and Y
    (SWEREF 99 TM, or ``crs=``) and optionally Befolkning (a village's
    people). Names must be unique; personal numbers anywhere refuse the file
    (the shared reader).

    Returns
    -------
    GeoDataFrame
        service_id, kind, population (NaN when not given), municipality_code
        (from a municipality column, else the municipality the point lies
        in), geometry (EPSG:3006).

    Example
    -------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "k.csv"
    >>> _ = p.write_text("Namn;Typ;X;Y\\nStadsbiblioteket;Bibliotek;515000;6566000\\n",
    ...                  encoding="utf-8")
    >>> candidates(p)[["service_id", "kind"]].values.tolist()
    [['Stadsbiblioteket', 'bibliotek']]
    """
    from .reader import column_numbers
    from .rural import _assign_municipality, _points, check_extent

    table = read_table(path, aliases=_CANDIDATE_ALIASES, resolve_codes=False,
                       required=("service_id", "kind"))
    file = table.attrs.get("file")
    frame = _points(table, crs, cell_size=1000.0)
    check_extent(frame.geometry.bounds.to_numpy(), file=file,
                 rows=table["source_row"].to_numpy(), what="candidate")
    names = table["service_id"].astype("str").str.strip()
    twice = names.duplicated()
    if twice.any():
        i = int(np.flatnonzero(twice.to_numpy())[0])
        raise InputFileError(
            f"The candidate {names.iloc[i]!r} occurs more than once",
            **where(table, "service_id", i), hint="give every candidate its own name",
        )
    spelled = {column_key(v): k for k, vs in CANDIDATE_KINDS.items() for v in vs}
    raw = table["kind"].astype(object).where(table["kind"].notna(), "").astype(str).str.strip()
    empty = raw == ""
    if empty.any():
        i = int(np.flatnonzero(empty.to_numpy())[0])
        raise InputFileError("The candidate's type is empty", **where(table, "kind", i),
                             hint="write kommunhus, bibliotek or by")
    kinds = [spelled.get(column_key(v), v.casefold()) for v in raw]
    people = (column_numbers(table, "population", integer=True, minimum=0)
              if "population" in table else np.full(len(table), np.nan))
    codes = (frame["municipality_code"].astype("str") if "municipality_code" in frame
             else _assign_municipality(frame, file))
    return gpd.GeoDataFrame(
        {"service_id": names.to_numpy(), "kind": kinds, "population": people,
         "municipality_code": codes.to_numpy()},
        geometry=frame.geometry.to_numpy(), crs=CRS,
    )


@dataclass(frozen=True)
class BroadbandInputs:
    """What a broadband folder holds (:func:`broadband_folder`); None for a missing part.

    Attributes
    ----------
    shares : DataFrame or None
        :func:`broadband` of the folder's own files.
    points : GeoDataFrame or None
        :func:`broadband_points` of the files in ``rutor/``.
    candidates : GeoDataFrame or None
        :func:`candidates` of the files in ``kandidater/``.
    folder : Path or None
    """

    shares: pd.DataFrame | None
    points: gpd.GeoDataFrame | None
    candidates: gpd.GeoDataFrame | None
    folder: Path | None


def broadband_folder(folder: str | os.PathLike | None, *, cell_size: float = 1000.0
                     ) -> BroadbandInputs:
    """Read a broadband folder: PTS' tables, ``rutor/`` per square, ``kandidater/`` sites.

    Each part is read when it has files and is None otherwise (all None for
    ``folder=None``), so a notebook runs with whatever a region has.

    Example
    -------
    >>> broadband_folder(None).shares is None
    True
    """
    if folder is None:
        return BroadbandInputs(None, None, None, None)
    folder = Path(folder)

    def files(path: Path) -> list[Path]:
        if not path.is_dir():
            return []
        return [p for p in sorted(path.iterdir()) if p.is_file() and p.suffix.lower() in (
            ".csv", ".xlsx", ".xls", ".ods", ".txt") and not p.name.startswith((".", "~$"))
            and column_key(p.stem) not in ("readme", "lasmig")]

    shares = broadband(folder) if files(folder) else None
    points = [broadband_points(p, cell_size=cell_size) for p in files(folder / "rutor")]
    sites = [candidates(p) for p in files(folder / "kandidater")]
    return BroadbandInputs(
        shares=shares,
        points=pd.concat(points, ignore_index=True) if points else None,
        candidates=pd.concat(sites, ignore_index=True) if sites else None,
        folder=folder,
    )
