"""Socialstyrelsen's survey "E-hälsa och välfärdsteknik i kommunerna": per-municipality results.

Shapes read (through the shared reader, so title rows, footnotes, merged and
two-row headers, markers and stripped zeros are handled there):

* **wide**: one row per municipality (code and/or name), one column per key
  figure; one sheet per year (the year is taken from the sheet name) or a
  year column (År), or ``year=`` for a file of one year (else a year in the
  title rows or the file name);
* **long**: municipality, year, indicator and value columns.

Headers and indicator names map to catalogue ids through ``title_sv``,
``aliases`` and the id itself, ignoring case, spaces, punctuation and å/ä/ö.
Columns that map to nothing (other than municipality, county and year) are
listed in one :class:`SurveyColumnWarning` and left out, never silently.

Values: Ja/Nej (also J/N, Yes/No, Sant/Falskt) become 1/0 for "ja/nej"
indicators; "Ej aktuellt" (or "Ej relevant", "Ej tillämpligt") is NaN with
status "not_applicable"; numbers follow the shared reader's Swedish rules; ``x`` and
``..`` and the other markers become NaN with status "suppressed" or
"missing". A value that is neither is an InputFileError naming file, row,
column and value.

Example
-------
>>> obs = socialstyrelsen("tests/fixtures/socialstyrelsen/wide_2022.csv")
>>> obs[["municipality_code", "period", "indicator_id", "value"]].head(2)
  municipality_code  period        indicator_id  value
0              0114    2022  digital_nattillsyn    1.0
1              0115    2022  digital_nattillsyn    0.0
"""

from __future__ import annotations

import os
import re
import warnings
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import InputFileError
from ..paths import raw_dir
from ..schemas import validate
from .numbers import parse_numbers
from .reader import column_key, data_files, read_table, sheet_names

__all__ = ["SurveyColumnWarning", "indicator_catalogue", "socialstyrelsen"]

_YES = {column_key(v) for v in ("ja", "j", "yes", "sant", "true")}
#: Answers meaning the question does not apply to the municipality (status "not_applicable").
_NOT_APPLICABLE = {
    column_key(v) for v in ("ej aktuellt", "ej relevant", "ej tillämpligt", "ej tillämplig", "e.a.")
}
_NO = {column_key(v) for v in ("nej", "n", "no", "falskt", "false")}
_KEYS = {"municipality_code", "municipality", "county_code", "county", "year", "source_row"}
_LONG = {"indicator": ("Nyckeltal", "Indikator", "Fråga", "Indicator"), "value": ("Värde", "Value")}
_YEAR = re.compile(r"(20[1-9]\d)")


class SurveyColumnWarning(UserWarning):
    """Columns of a survey file that map to no indicator of the catalogue."""


def indicator_catalogue(path: str | os.PathLike | None = None) -> pd.DataFrame:
    """The indicator catalogue: the given file, the project's, or the shipped one.

    ``data/raw/socialstyrelsen/indicators.csv`` of the project overrides the
    shipped ``data/catalogues/socialstyrelsen_indicators.csv``.

    Returns
    -------
    DataFrame
        indicator_id, title_sv, title_en, unit, higher_is_better (bool),
        area, kolada_kpi, aliases (tuple of str); ``attrs["file"]``.

    Example
    -------
    >>> cat = indicator_catalogue()
    >>> cat.set_index("indicator_id").loc["digital_nattillsyn", "unit"]
    'ja/nej'
    """
    if path is None:
        user = raw_dir() / "socialstyrelsen" / "indicators.csv"
        shipped = resources.files("ehalsa_analys") / "data" / "catalogues"
        path = user if user.is_file() else Path(str(shipped / "socialstyrelsen_indicators.csv"))
    table = read_table(
        path,
        required=("indicator_id", "title_sv", "unit"),
        aliases={"indicator_id": ("indicator_id",), "title_sv": ("title_sv",)},
        resolve_codes=False,
    )
    out = pd.DataFrame(
        {
            "indicator_id": table["indicator_id"].str.strip(),
            "title_sv": table["title_sv"],
            "title_en": table.get("title_en", table["title_sv"]),
            "unit": table["unit"].str.strip(),
            "higher_is_better": table.get("higher_is_better", pd.Series("true", index=table.index))
            .astype("str")
            .str.lower()
            .isin(["true", "ja", "1"]),
            "area": table.get("area", pd.Series(pd.NA, index=table.index, dtype="str")),
            "kolada_kpi": table.get("kolada_kpi", pd.Series(pd.NA, index=table.index, dtype="str")),
            "aliases": table.get("aliases", pd.Series("", index=table.index))
            .fillna("")
            .map(lambda s: tuple(a.strip() for a in str(s).split("|") if a.strip())),
        }
    )
    out.attrs = {"file": table.attrs["file"]}
    return out


def _lookup(catalogue: pd.DataFrame) -> dict[str, str]:
    lookup = {}
    for row in catalogue.itertuples():
        for name in (row.indicator_id, row.title_sv, *row.aliases):
            lookup[column_key(name)] = row.indicator_id
    return lookup


def _keys(values: pd.Series) -> pd.Series:
    """:func:`column_key` of every cell, computed once per distinct text."""
    codes, uniques = pd.factorize(values.fillna("").astype("str"))
    keys = np.array([column_key(u) for u in uniques], dtype=object)
    return pd.Series(keys[codes] if len(uniques) else [], index=values.index, dtype=object)


def _values(
    values: pd.Series, unit: str, *, file: str, rows: np.ndarray, column: str
) -> tuple[pd.Series, pd.Series]:
    keys = _keys(values)
    not_applicable = keys.isin(_NOT_APPLICABLE)
    if not_applicable.any():
        value, status = _values(
            values.where(~not_applicable, ".."), unit, file=file, rows=rows, column=column
        )
        return value.where(~not_applicable), status.where(~not_applicable, "not_applicable")
    if unit == "ja/nej":
        yes, no = keys.isin(_YES).to_numpy(), keys.isin(_NO).to_numpy()
        rest = ~(yes | no)
        number = pd.Series(np.where(yes, 1.0, 0.0), index=values.index)
        status = pd.Series("", index=values.index, dtype="str")
        if rest.any():  # only the cells that are not Ja/Nej are read as numbers or markers
            parsed, marks = parse_numbers(values[rest], file=file, column=column, rows=rows[rest])
            number[rest], status[rest] = parsed.to_numpy(), marks.to_numpy()
        bad = rest & number.notna().to_numpy() & ~number.isin([0.0, 1.0]).to_numpy()
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise InputFileError(
                f"{values.iloc[i]!r} is not a Ja/Nej answer",
                file=file,
                row=int(rows[i]),
                column=column,
                value=values.iloc[i],
                hint="write Ja or Nej (or 1/0), or x/.. for suppressed or missing",
            )
        return number, status
    return parse_numbers(values, file=file, column=column, rows=rows, **_DOMAINS.get(unit, {}))


#: The domain of a survey figure by its catalogue unit: shares 0–100, counts whole and >= 0.
_DOMAINS = {
    "%": {"minimum": 0, "maximum": 100},
    "andel": {"minimum": 0, "maximum": 1},
    "antal": {"integer": True, "minimum": 0},
}


def _year_of(texts: list[str], default: int | None) -> int | None:
    if default is not None:
        return int(default)
    for text in texts:
        found = _YEAR.findall(str(text))
        if found:
            return int(found[-1])
    return None


def _read_sheet(path: Path, sheet, year, catalogue, lookup, unknown: set) -> pd.DataFrame:
    table = read_table(path, sheet=sheet, aliases={"year": ("År", "Year"), **_LONG})
    attrs, table.attrs = table.attrs, {}  # pandas copies attrs on every operation: keep them aside
    file = attrs["file"]
    headers = attrs["columns"]
    rows = table["source_row"].to_numpy()
    units = catalogue.set_index("indicator_id")["unit"]
    if "municipality_code" not in table:
        raise InputFileError(
            "The sheet has no municipality column",
            file=file,
            column="Kommun",
            hint="keep the Kommun or Kommunkod column of the export",
        )
    sheet_year = _year_of([attrs.get("sheet") or "", *attrs.get("title", []), path.stem], year)
    if "year" in table:
        years = pd.to_numeric(table["year"], errors="coerce")
    elif sheet_year is not None:
        years = pd.Series(sheet_year, index=table.index)
    else:
        raise InputFileError(
            "Cannot tell the year: no År column, no year in the sheet name, title or file name",
            file=file,
            hint="pass year=",
        )
    frames = []
    if "indicator" in table and "value" in table:  # long
        ids = table["indicator"].astype("str").map(lambda v: lookup.get(column_key(v)))
        for name in sorted(set(table.loc[ids.isna(), "indicator"].astype(str))):
            unknown.add(name)
        for indicator in sorted(ids.dropna().unique()):
            at = (ids == indicator).to_numpy()
            value, status = _values(
                table.loc[at, "value"],
                units[indicator],
                file=file,
                rows=rows[at],
                column=headers["value"],
            )
            frames.append(
                pd.DataFrame(
                    {
                        "municipality_code": table.loc[at, "municipality_code"],
                        "period": years[at],
                        "indicator_id": indicator,
                        "value": value,
                        "status": status,
                        "source_row": rows[at],
                    }
                )
            )
    else:  # wide: melt the mapped columns, then parse each unit's values at once
        mapped = {}
        for column in table.columns:
            if column in _KEYS or column.endswith("_status"):
                continue
            indicator = lookup.get(column_key(headers.get(column, column)))
            if indicator is None:
                unknown.add(headers.get(column, column))
            else:
                mapped[column] = indicator
        if mapped:
            long = pd.DataFrame(
                {
                    "municipality_code": np.tile(
                        table["municipality_code"].to_numpy(), len(mapped)
                    ),
                    "period": np.tile(years.to_numpy(), len(mapped)),
                    "indicator_id": np.repeat(list(mapped.values()), len(table)),
                    "raw": np.concatenate([table[c].to_numpy(dtype=object) for c in mapped]),
                    "source_row": np.tile(rows, len(mapped)),
                    "column": np.repeat([headers.get(c, c) for c in mapped], len(table)),
                }
            )
            long["unit"] = long["indicator_id"].map(units)
            for unit, part in long.groupby("unit", sort=True):
                try:
                    value, status = _values(
                        part["raw"],
                        unit,
                        file=file,
                        rows=part["source_row"].to_numpy(),
                        column=part["column"].iloc[0],
                    )
                except InputFileError:  # find the column at fault, for the message
                    for name, cells in part.groupby("column", sort=False):
                        _values(
                            cells["raw"],
                            unit,
                            file=file,
                            rows=cells["source_row"].to_numpy(),
                            column=name,
                        )
                    raise
                frames.append(part.assign(value=value.to_numpy(), status=status.to_numpy()))
            frames = [f.drop(columns=["raw", "column", "unit"]) for f in frames]
    if not frames:
        return pd.DataFrame()
    out = pd.concat(frames, ignore_index=True)
    out["file"] = file
    return out


def socialstyrelsen(
    path: str | os.PathLike,
    *,
    year: int | None = None,
    catalogue: pd.DataFrame | str | os.PathLike | None = None,
    sheet: str | int | None = None,
) -> pd.DataFrame:
    """Read published survey results into the tidy ``observations`` table.

    Parameters
    ----------
    path : str or PathLike
        An xlsx (every sheet, or ``sheet=``) or csv file, or a folder of them
        (not read recursively; ``indicators.csv``, README files and Kolada's
        JSON extracts in it are left alone). A folder's files are read in
        name order; the same municipality, year and indicator in two files
        is an InputFileError naming both.
    year : int, optional
        The year of a one-year file without an År column.
    catalogue : DataFrame, path or None
        The indicator catalogue (:func:`indicator_catalogue`).
    sheet : str or int, optional
        Read only this sheet.

    Returns
    -------
    DataFrame
        municipality_code, period (year), source ("socialstyrelsen"),
        indicator_id, value, unit, status, file, source_row; sorted by
        indicator, year and municipality. ``attrs["unknown_columns"]``.

    Example
    -------
    >>> obs = socialstyrelsen("tests/fixtures/socialstyrelsen/wide_2022.csv")
    >>> obs.groupby("indicator_id")["value"].mean().round(2).to_dict()
    {'digital_nattillsyn': 0.67, 'ledningssystem_vt': 0.5}
    """
    path = Path(path)
    cat = catalogue if isinstance(catalogue, pd.DataFrame) else indicator_catalogue(catalogue)
    if path.is_dir():
        return _folder(path, year=year, catalogue=cat, sheet=sheet)
    lookup = _lookup(cat)
    unknown: set[str] = set()
    if sheet is not None or path.suffix.lower() not in {".xlsx", ".xlsm", ".xls", ".ods"}:
        sheets = [sheet if sheet is not None else 0]
    else:  # a damaged workbook is an InputFileError naming it (it was calamine's own error)
        sheets = sheet_names(path)
    frames = [_read_sheet(path, s, year, cat, lookup, unknown) for s in sheets]
    frames = [f for f in frames if len(f)]
    if not frames:
        raise InputFileError(
            "No column or indicator maps to the catalogue",
            file=str(path),
            hint="check the catalogue's aliases (data/raw/socialstyrelsen/indicators.csv)",
        )
    data = pd.concat(frames, ignore_index=True)
    if unknown:
        warnings.warn(
            f"{len(unknown)} column(s) or indicator(s) of {path.name} map to no indicator of the "
            f"catalogue and were left out: {', '.join(sorted(unknown))}. Add them as aliases in "
            "data/raw/socialstyrelsen/indicators.csv to read them.",
            SurveyColumnWarning,
            stacklevel=2,
        )
    data["period"] = data["period"].astype("int64")
    data["source"] = "socialstyrelsen"
    data["unit"] = data["indicator_id"].map(cat.set_index("indicator_id")["unit"])
    data["status"] = data["status"].fillna("").astype("str")
    columns = [
        "municipality_code",
        "period",
        "source",
        "indicator_id",
        "value",
        "unit",
        "status",
        "file",
        "source_row",
    ]
    data = (
        data[columns]
        .sort_values(["indicator_id", "period", "municipality_code"], kind="stable")
        .reset_index(drop=True)
    )
    validate(data, "observations", file=str(path))
    data.attrs = {"unknown_columns": sorted(unknown), "catalogue": cat.attrs.get("file")}
    return data


def _folder(path: Path, *, year, catalogue: pd.DataFrame, sheet) -> pd.DataFrame:
    """Every survey file directly in the folder ``path``, read and stacked."""
    files = data_files(
        path,
        what="survey files (csv or xlsx)",
        skip=("indicators", "readme", "läs mig", "las_mig"),
        hint="put Socialstyrelsen's exports directly in the folder (subfolders are not read)",
    )
    parts = [socialstyrelsen(f, year=year, catalogue=catalogue, sheet=sheet) for f in files]
    data = pd.concat(parts, ignore_index=True)
    key = ["municipality_code", "period", "indicator_id"]
    twice = data[data.duplicated(key, keep=False)]
    if len(twice):
        first = twice.sort_values([*key, "file", "source_row"], kind="stable").head(2)
        a, b = first.itertuples()
        raise InputFileError(
            f"Municipality {a.municipality_code}, year {a.period}, indicator {a.indicator_id} "
            f"is in two files: {a.file} row {a.source_row} and {b.file} row {b.source_row}",
            file=b.file,
            row=int(b.source_row),
            hint="keep each year of each municipality in one file only",
        )
    data = data.sort_values(
        ["indicator_id", "period", "municipality_code"], kind="stable", ignore_index=True
    )
    data.attrs = {
        "unknown_columns": sorted({c for part in parts for c in part.attrs["unknown_columns"]}),
        "catalogue": catalogue.attrs.get("file"),
        "files": [str(f) for f in files],
    }
    return data
