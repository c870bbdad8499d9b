"""Quarterly effect-monitoring measurements: :func:`monitoring`, :func:`metric_catalogue`.

A municipality keeps its own measurements of the welfare technology it has
introduced (step 9 of the Nordic "Connect" process). They arrive as Excel or
CSV, read through the shared reader, in one of three shapes:

* **long**: one row per municipality, quarter and metric, with value and/or
  numerator and denominator;
* **wide by quarter**: one row per municipality and metric, one column per
  quarter (headers such as "2024 K1");
* **wide by metric**: one row per municipality and quarter, one column per
  metric (headers are metric ids or titles from the catalogue).

Quarters
--------
:func:`parse_quarter` accepts "2024Q1", "2024 Q1", "2024-Q1", "Q1 2024",
"2024K1", "2024 K1", "K1 2024", "2024 kv 1", "2024 kvartal 1", "kv1 2024"
(any case), a quarter-end date ("2024-03-31", also as an Excel date cell) and
pandas Periods. Anything else, including a date that is not the last day of a
quarter, is an :class:`~ehalsa_analys.errors.InputFileError` naming the file,
row, column and value.

Consistency
-----------
When value, numerator and denominator are all given, the value must equal
numerator / denominator (× 100 when the metric's unit is "%") within
0,5 % of it or half a unit of its rounding (0,05 for percent, 0,0005 for
proportions), whichever is larger; a missing value is computed from them.

Person-level data
-----------------
Measurements are aggregates. A column of personal identity numbers is refused
by the shared reader; a column whose header names a person (personnummer,
person-id, brukar-id, klient-id, patient-id, namn) is refused as well, even
when its values are masked, with :class:`~ehalsa_analys.errors.PersonalDataError`.

Catalogue
---------
``metric_catalogue()`` reads ``data/raw/monitoring/metrics.csv`` of the
project when there is one, else the catalogue shipped with the package
(``data/catalogues/monitoring_metrics.csv``). Metrics in the data but not in
the catalogue are kept and listed in one :class:`MonitoringMetricWarning`.

Example
-------
>>> m = monitoring("tests/fixtures/monitoring/long.csv")
>>> m[["municipality_code", "period", "metric_id", "value"]].head(2)
  municipality_code  period            metric_id  value
0              1880  2024Q1  digital_besok_andel    4.0
1              1880  2024Q2  digital_besok_andel    5.0
"""

from __future__ import annotations

import functools
import os
import re
import warnings
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..clock import after_today, run_date
from ..errors import InputFileError, PersonalDataError
from ..paths import raw_dir
from ..schemas import validate
from .numbers import check_domain, parse_numbers
from .reader import SUPPORTED_SUFFIXES, column_key, data_files, read_table

__all__ = [
    "MonitoringMetricWarning",
    "parse_quarter",
    "metric_catalogue",
    "monitoring",
    "MONITORING_ALIASES",
    "events",
]

MONITORING_ALIASES: dict[str, tuple[str, ...]] = {
    "quarter": ("Kvartal", "Period", "Quarter", "Tidsperiod", "Datum"),
    "metric": ("Mått", "Mätetal", "Indikator", "Metric", "metric_id", "Nyckeltal"),
    "numerator": ("Täljare", "Antal", "Numerator"),
    "denominator": ("Nämnare", "Totalt", "Denominator", "Bas"),
    "value": ("Värde", "Utfall", "Value"),
}
_PERSON_HEADERS = {
    column_key(h)
    for h in (
        "personnummer",
        "personnr",
        "person-id",
        "personid",
        "brukar-id",
        "brukarid",
        "klient-id",
        "klientid",
        "patient-id",
        "patientid",
        "namn",
        "brukarnamn",
    )
}
_PATTERNS = (
    re.compile(r"^(?P<y>\d{4})\s*-?\s*[QK]\s*(?P<q>[1-4])$", re.IGNORECASE),
    re.compile(r"^[QK]\s*(?P<q>[1-4])\s*-?\s*(?P<y>\d{4})$", re.IGNORECASE),
    re.compile(r"^(?P<y>\d{4})\s*-?\s*kv(?:artal)?\.?\s*(?P<q>[1-4])$", re.IGNORECASE),
    re.compile(r"^kv(?:artal)?\.?\s*(?P<q>[1-4])\s*-?\s*(?P<y>\d{4})$", re.IGNORECASE),
)
_QUARTER_END = re.compile(r"^(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?:[ T]00:00(?::00)?)?$")
_LAST_DAY = {3: 31, 6: 30, 9: 30, 12: 31}


class MonitoringMetricWarning(UserWarning):
    """The data hold metrics that the catalogue does not list."""


def _one_quarter(text: str) -> pd.Period | None:
    for pattern in _PATTERNS:
        m = pattern.match(text)
        if m:
            return pd.Period(year=int(m["y"]), quarter=int(m["q"]), freq="Q-DEC")
    m = _QUARTER_END.match(text)
    if m and _LAST_DAY.get(int(m["m"])) == int(m["d"]):
        return pd.Period(year=int(m["y"]), quarter=int(m["m"]) // 3, freq="Q-DEC")
    return None


def parse_quarter(
    values: Any,
    *,
    file: str | None = None,
    column: str | None = None,
    rows: Any = None,
) -> pd.Series:
    """Parse quarter spellings into quarterly Periods; the first bad one raises.

    Parameters
    ----------
    values : list-like
        Quarter texts, quarter-end dates or Periods.
    file, column, rows
        Where the values come from, for the error message (rows: the file row
        of each value).

    Returns
    -------
    Series of Period[Q-DEC]

    Example
    -------
    >>> q = parse_quarter(["2024Q1", "2024 kv 2", "Q3 2024", "2024K4", "2025-03-31"])
    >>> q.astype(str).tolist()
    ['2024Q1', '2024Q2', '2024Q3', '2024Q4', '2025Q1']
    """
    series = pd.Series(values) if not isinstance(values, pd.Series) else values
    text = series.map(lambda v: str(v) if isinstance(v, pd.Period) else v)
    text = text.astype("str").str.strip()
    codes, uniques = pd.factorize(text.fillna(""), use_na_sentinel=False)
    parsed = [_one_quarter(u) if u else None for u in uniques]
    bad = [i for i, p in enumerate(parsed) if p is None]
    if bad:
        first = int(np.flatnonzero(np.isin(codes, bad))[0])
        value = text.iloc[first]
        row = None if rows is None else int(np.asarray(rows)[first])
        raise InputFileError(
            f"{value!r} is not a quarter" if value else "The quarter is missing",
            file=file,
            row=row,
            column=column,
            value=value,
            hint='write it as 2024Q1, "2024 K1", "Q1 2024", "2024 kv 1" or the quarter\'s '
            "last day (2024-03-31)",
        )
    out = pd.Series(pd.PeriodIndex([parsed[c] for c in codes], freq="Q-DEC"), index=series.index)
    return out


def _shipped_catalogue() -> Path:
    return Path(
        str(resources.files("ehalsa_analys") / "data" / "catalogues" / "monitoring_metrics.csv")
    )


def metric_catalogue(path: str | os.PathLike | None = None) -> pd.DataFrame:
    """Read the metric catalogue: the given file, the project's, or the shipped one.

    Returns
    -------
    DataFrame
        metric_id, title_sv, title_en (NA when the file has none), unit, kind
        (proportion, rate, count, measure),
        higher_is_better (bool), target (float, NaN when none),
        baseline_end (Period or NaT); ``attrs["file"]``.

    Example
    -------
    >>> cat = metric_catalogue()
    >>> row = cat.set_index("metric_id").loc["digital_besok_andel"]
    >>> row["unit"], float(row["target"]), str(row["baseline_end"])
    ('%', 10.0, '2023Q4')
    """
    if path is None:
        user = raw_dir() / "monitoring" / "metrics.csv"
        path = user if user.is_file() else _shipped_catalogue()
    table = read_table(
        path,
        required=("metric_id", "title_sv", "unit", "kind"),
        numeric=("target",),
        aliases={"metric_id": ("metric_id", "Mått-id"), "title_sv": ("title_sv", "Titel")},
        resolve_codes=False,
    )
    file = table.attrs["file"]
    rows = table["source_row"].to_numpy()
    kinds = table["kind"].str.strip().str.lower()
    bad = ~kinds.isin(["proportion", "rate", "count", "measure"])
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputFileError(
            f"Unknown metric kind {table['kind'].iloc[i]!r}",
            file=file,
            row=int(rows[i]),
            column="kind",
            value=table["kind"].iloc[i],
            hint="use proportion, rate, count or measure",
        )
    better = table["higher_is_better"].astype("str").str.strip().str.lower()
    flags = better.map(
        {"true": True, "ja": True, "1": True, "false": False, "nej": False, "0": False}
    )
    if flags.isna().any():
        i = int(np.flatnonzero(flags.isna().to_numpy())[0])
        raise InputFileError(
            f"higher_is_better must be true or false, not {better.iloc[i]!r}",
            file=file,
            row=int(rows[i]),
            column="higher_is_better",
            hint="write true (higher is better) or false",
        )
    ends = table.get("baseline_end", pd.Series(pd.NA, index=table.index, dtype="str"))
    has_end = ends.notna() & (ends.astype("str").str.strip() != "")
    baseline_end = pd.Series(pd.NaT, index=table.index, dtype="period[Q-DEC]")
    if has_end.any():
        baseline_end[has_end] = parse_quarter(
            ends[has_end], file=file, column="baseline_end", rows=rows[has_end.to_numpy()]
        )
    out = pd.DataFrame(
        {
            "metric_id": table["metric_id"].str.strip(),
            "title_sv": table["title_sv"],
            # English titles (figures with lang="en"); blank when the catalogue has none
            "title_en": table["title_en"] if "title_en" in table else pd.NA,
            "unit": table["unit"].str.strip(),
            "kind": kinds,
            "higher_is_better": flags.astype(bool),
            "target": table["target"],
            "baseline_end": baseline_end,
        }
    )
    out.attrs = {"file": file}
    return out


def _files(path: Path) -> list[Path]:
    return data_files(
        path,
        what="monitoring files (csv or xlsx)",
        skip=("metrics", "events", "readme", "lasmig"),
        suffixes=SUPPORTED_SUFFIXES,
        hint="put the quarterly exports directly in the folder (subfolders are not read)",
    )


def _refuse_person_columns(table: pd.DataFrame) -> None:
    for name, header in table.attrs["columns"].items():
        if column_key(header) in _PERSON_HEADERS or column_key(name) in _PERSON_HEADERS:
            raise PersonalDataError(
                f"The column {header!r} identifies persons; monitoring data must be aggregates "
                "per municipality and quarter",
                file=table.attrs["file"],
                column=header,
                hint="aggregate to counts per municipality, quarter and metric before loading",
            )


def _metric_ids(names: pd.Series, catalogue: pd.DataFrame) -> pd.Series:
    lookup = {column_key(m): m for m in catalogue["metric_id"]}
    lookup |= {
        column_key(t): m for t, m in zip(catalogue["title_sv"], catalogue["metric_id"], strict=True)
    }
    # A column holds a few metric names over and over: each distinct one is keyed once.
    keys = names.astype("str").map(functools.lru_cache(maxsize=None)(column_key))
    return keys.map(lookup).fillna(names.astype("str").str.strip())


def _read_one(path: Path, catalogue: pd.DataFrame) -> pd.DataFrame:
    table = read_table(path, aliases=MONITORING_ALIASES)
    _refuse_person_columns(table)
    file = table.attrs["file"]
    headers = table.attrs["columns"]
    rows = table["source_row"].to_numpy()
    if "municipality_code" not in table:
        raise InputFileError(
            "The file has no municipality column",
            file=file,
            column="Kommun",
            hint="add a Kommun or Kommunkod column",
        )
    quarter_columns = [c for c in table.columns if _one_quarter(str(headers.get(c, c))) is not None]
    metric_columns = [
        c
        for c in table.columns
        if column_key(headers.get(c, c)) in set(_metric_ids_keys(catalogue))
    ]
    if "quarter" in table and "metric" in table:  # long
        long = pd.DataFrame(
            {
                "municipality_code": table["municipality_code"],
                "period": parse_quarter(
                    table["quarter"], file=file, column=headers["quarter"], rows=rows
                ),
                "metric_id": _metric_ids(table["metric"], catalogue),
                "source_row": rows,
            }
        )
        for column in ("numerator", "denominator", "value"):
            counts = {"integer": True, "minimum": 0} if column != "value" else {}
            long[column] = (
                parse_numbers(
                    table[column], file=file, column=headers[column], rows=rows, **counts
                )[0]
                if column in table
                else np.nan
            )
        if "value" in table:
            _check_value_domain(
                table["value"],
                long["value"],
                long["metric_id"],
                catalogue,
                file,
                headers["value"],
                rows,
            )
        long["status"] = (
            parse_numbers(table["value"], file=file, column=headers["value"], rows=rows)[1]
            if "value" in table
            else ""
        )
    elif quarter_columns and "metric" in table:  # wide by quarter
        frames = []
        ids = _metric_ids(table["metric"], catalogue)
        for column in quarter_columns:
            values, status = parse_numbers(
                table[column], file=file, column=headers[column], rows=rows
            )
            _check_value_domain(table[column], values, ids, catalogue, file, headers[column], rows)
            frames.append(
                pd.DataFrame(
                    {
                        "municipality_code": table["municipality_code"],
                        "period": _one_quarter(str(headers[column])),
                        "metric_id": ids,
                        "source_row": rows,
                        "numerator": np.nan,
                        "denominator": np.nan,
                        "value": values,
                        "status": status,
                    }
                )
            )
        long = pd.concat(frames, ignore_index=True)
    elif "quarter" in table and metric_columns:  # wide by metric
        periods = parse_quarter(table["quarter"], file=file, column=headers["quarter"], rows=rows)
        frames = []
        for column in metric_columns:
            values, status = parse_numbers(
                table[column], file=file, column=headers[column], rows=rows
            )
            metric = _metric_ids(pd.Series([headers[column]]), catalogue).iloc[0]
            _check_value_domain(
                table[column],
                values,
                pd.Series(metric, index=table.index),
                catalogue,
                file,
                headers[column],
                rows,
            )
            frames.append(
                pd.DataFrame(
                    {
                        "municipality_code": table["municipality_code"],
                        "period": periods,
                        "metric_id": metric,
                        "source_row": rows,
                        "numerator": np.nan,
                        "denominator": np.nan,
                        "value": values,
                        "status": status,
                    }
                )
            )
        long = pd.concat(frames, ignore_index=True)
    else:
        raise InputFileError(
            "Cannot tell the layout: expected Kvartal and Mått columns (long), quarter columns "
            "such as '2024 K1' with a Mått column, or a Kvartal column with one column per metric",
            file=file,
            column=", ".join(headers.values()),
            hint="see the three layouts in help(ehalsa_analys.load._monitoring)",
        )
    long["period"] = long["period"].astype("period[Q-DEC]")
    long["file"] = file
    return long


def _value_domain(metric_ids: pd.Series, catalogue: pd.DataFrame):
    """Per row: (whole, minimum, maximum) of a metric's value from its kind and unit.

    Counts are whole and >= 0; proportions 0–100 when the unit is "%", else
    0–1; rates and measures (times, amounts) >= 0. A metric the catalogue
    does not know gets no bounds.
    """
    meta = catalogue.set_index("metric_id")
    kind = metric_ids.map(meta["kind"]).fillna("").to_numpy(dtype=object)
    unit = metric_ids.map(meta["unit"]).fillna("").to_numpy(dtype=object)
    whole = kind == "count"
    minimum = np.where(kind != "", 0.0, np.nan)
    maximum = np.where(kind == "proportion", np.where(unit == "%", 100.0, 1.0), np.nan)
    return whole, minimum, maximum


def _check_value_domain(cells, values, metric_ids, catalogue, file, column, rows) -> None:
    whole, minimum, maximum = _value_domain(metric_ids.reset_index(drop=True), catalogue)
    check_domain(
        cells.reset_index(drop=True),
        np.asarray(values, dtype=float),
        integer=whole,
        minimum=minimum,
        maximum=maximum,
        file=file,
        column=column,
        rows=rows,
    )


def refuse_future(data: pd.DataFrame, *, column: str) -> None:
    """Raise for the first row whose quarter (or date) lies after today's.

    ``data`` has ``file`` and ``source_row``. Today is the run's own date
    (``SOURCE_DATE_EPOCH`` when set, as for reproducible builds).
    """
    today = run_date()
    late = after_today(data[column])
    if late.any():
        row = data[late].iloc[0]
        raise InputFileError(
            f"{row[column]} lies after today ({today:%Y-%m-%d}); "
            f"{int(late.sum())} row(s) are in the future",
            file=row.get("file"),
            row=int(row["source_row"]),
            column=column,
            value=str(row[column]),
            hint="check the year (2062 for 2026?); to load planned values on purpose, "
            "pass allow_future=True (ehalsa monitor --allow-future)",
        )


def _metric_ids_keys(catalogue: pd.DataFrame) -> list[str]:
    return [column_key(v) for v in (*catalogue["metric_id"], *catalogue["title_sv"])]


def _check_values(data: pd.DataFrame, catalogue: pd.DataFrame) -> pd.DataFrame:
    unit = data["metric_id"].map(catalogue.set_index("metric_id")["unit"]).fillna("")
    factor = np.where(unit == "%", 100.0, 1.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        expected = data["numerator"] / data["denominator"] * factor
    both = expected.notna() & data["value"].notna()
    half_unit = np.where(unit == "%", 0.05, 0.0005)
    tolerance = np.maximum(0.005 * expected.abs(), half_unit)
    off = both & ((data["value"] - expected).abs() > tolerance)
    if off.any():
        row = data[off].iloc[0]
        raise InputFileError(
            f"The value {row['value']:g} does not match numerator / denominator = "
            f"{row['numerator']:g} / {row['denominator']:g} "
            f"(= {expected[off].iloc[0]:.4g}) for {row['metric_id']} {row['period']}",
            file=row["file"],
            row=int(row["source_row"]),
            column="value",
            value=row["value"],
            hint="correct the value, the numerator or the denominator",
        )
    fill = data["value"].isna() & expected.notna()
    data.loc[fill, "value"] = expected[fill]
    data.loc[fill, "status"] = ""
    kind = data["metric_id"].map(catalogue.set_index("metric_id")["kind"])
    over = (kind == "proportion") & (data["numerator"] > data["denominator"])
    if over.any():
        row = data[over].iloc[0]
        raise InputFileError(
            f"The numerator {row['numerator']:g} is larger than the denominator "
            f"{row['denominator']:g} of the share {row['metric_id']} {row['period']}",
            file=row["file"],
            row=int(row["source_row"]),
            column="numerator",
            value=row["numerator"],
            hint="a share counts part of its denominator; check that the columns are not "
            "swapped and that both count the same people and quarter",
        )
    bad_den = data["denominator"].notna() & (data["denominator"] <= 0)
    if bad_den.any():
        row = data[bad_den].iloc[0]
        raise InputFileError(
            "A denominator must be greater than zero",
            file=row["file"],
            row=int(row["source_row"]),
            column="denominator",
            value=row["denominator"],
        )
    return data


def monitoring(
    path: str | os.PathLike,
    *,
    catalogue: pd.DataFrame | str | os.PathLike | None = None,
    allow_future: bool = False,
) -> pd.DataFrame:
    """Read quarterly monitoring measurements into the tidy ``monitoring`` table.

    Parameters
    ----------
    path : str or PathLike
        A csv/xlsx file or a folder of them (not read recursively, so a
        subfolder can hold next quarter's file; ``metrics.csv`` and
        ``events.csv`` in the folder are the catalogue and the log of
        changes, not measurements).
    catalogue : DataFrame, path or None
        The metric catalogue (:func:`metric_catalogue`); None: the project's
        or the shipped one.
    allow_future : bool
        Accept quarters after today's (a planned value, or a typo such as
        2062 for 2026, is refused by default).

    Returns
    -------
    DataFrame
        municipality_code, period (quarter), metric_id, numerator,
        denominator, value, status, file, source_row; sorted by
        municipality, metric and quarter.

    Raises
    ------
    InputFileError
        A bad quarter, an unknown layout, a value that contradicts its
        numerator and denominator, or the same municipality, quarter and
        metric twice (all listed).
    PersonalDataError
        Person-level columns.

    Example
    -------
    >>> m = monitoring("tests/fixtures/monitoring/long.csv")
    >>> m.groupby("metric_id")["period"].count().to_dict()
    {'digital_besok_andel': 4, 'larm_insatstid': 2}
    """
    if isinstance(catalogue, pd.DataFrame):
        cat = catalogue
    else:
        cat = metric_catalogue(catalogue)
    frames = [_read_one(f, cat) for f in _files(Path(path))]
    data = pd.concat(frames, ignore_index=True)
    data = _check_values(data, cat)
    if not allow_future:
        refuse_future(data, column="period")
    key = ["municipality_code", "period", "metric_id"]
    dup = data.duplicated(key, keep=False)
    if dup.any():
        rows = data[dup].sort_values([*key, "file", "source_row"])
        listed = [
            f"{r.municipality_code} {r.period} {r.metric_id}: {r.file} row {r.source_row}"
            for r in rows.head(10).itertuples()
        ]
        first = rows.iloc[1]
        raise InputFileError(
            "The same municipality, quarter and metric occur more than once:\n    "
            + "\n    ".join(listed),
            file=first["file"],
            row=int(first["source_row"]),
            column="metric",
            hint="keep one row per municipality, quarter and metric",
        )
    unknown = sorted(set(data["metric_id"]) - set(cat["metric_id"]))
    if unknown:
        warnings.warn(
            f"{len(unknown)} metric(s) not in the catalogue ({cat.attrs.get('file')}): "
            f"{', '.join(unknown)}. They are kept; add them to data/raw/monitoring/metrics.csv "
            "to give them a unit, direction and target.",
            MonitoringMetricWarning,
            stacklevel=2,
        )
    data = data.sort_values(["municipality_code", "metric_id", "period"], kind="stable")
    data = data[
        [
            "municipality_code",
            "period",
            "metric_id",
            "numerator",
            "denominator",
            "value",
            "status",
            "file",
            "source_row",
        ]
    ].reset_index(drop=True)
    data["status"] = data["status"].fillna("").astype("str")
    validate(data, "monitoring", file=str(path))
    data.attrs = {"catalogue": cat.attrs.get("file"), "unknown_metrics": unknown}
    return data


def events(path: str | os.PathLike) -> pd.DataFrame:
    """Read a dated log of changes (``data/raw/monitoring/events.csv``) to annotate charts.

    Columns in the file: a date (Datum), the municipality (Kommun) and what
    happened (Händelse, Text or Beskrivning). Each event is placed in the
    quarter of its date.

    Returns
    -------
    DataFrame
        municipality_code, date, period (quarter), text, source_row.

    Example
    -------
    >>> e = events("tests/fixtures/monitoring/events.csv")
    >>> e[["municipality_code", "period", "text"]].iloc[0].tolist()
    ['1880', Period('2024Q1', 'Q-DEC'), 'Digitala besök införs']
    """
    table = read_table(
        path,
        required=("municipality_code", "date", "text"),
        aliases={
            "date": ("Datum", "Date", "Dag"),
            "text": ("Händelse", "Text", "Beskrivning", "Event"),
        },
        free_text=("text",),  # a personal number in an event text is masked, not refused
    )
    file = table.attrs["file"]
    rows = table["source_row"].to_numpy()
    dates = pd.to_datetime(table["date"], format="ISO8601", errors="coerce")
    if dates.isna().any():
        i = int(np.flatnonzero(dates.isna().to_numpy())[0])
        raise InputFileError(
            f"{table['date'].iloc[i]!r} is not a date",
            file=file,
            row=int(rows[i]),
            column=table.attrs["columns"]["date"],
            value=table["date"].iloc[i],
            hint="write the date as 2024-02-15",
        )
    out = pd.DataFrame(
        {
            "municipality_code": table["municipality_code"],
            "date": dates.dt.normalize(),
            "period": dates.dt.to_period("Q-DEC"),
            "text": table["text"].astype("str"),
            "source_row": rows,
        }
    )
    return out.sort_values(["municipality_code", "date"], kind="stable").reset_index(drop=True)
