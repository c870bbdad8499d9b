"""LIKA Socialtjänst self-assessments: :func:`lika` and :func:`lika_instrument`.

A county compiles every municipality's LIKA *värdering*. The results arrive
in two shapes, both read through the shared reader
(:func:`ehalsa_analys.load.read_table`):

* **per-municipality workbooks** (xlsx, or csv from the same template): the
  municipality and the assessment date in labelled cells above the table
  ("Kommun:" | "Askersund", "Datum:" | "2022-05-11"), then one row per
  indicator with area (Område), dimension (Del), indicator id and text,
  status and an optional comment;
* **one combined long file** with the municipality and the date as columns.

A folder is read recursively (files sorted by path; names starting with "."
or "~$", README/LÄS_MIG files and ``instrument.csv`` are skipped).

Scales
------
LIKA rates each indicator with one of six statuses (facts.md A2). LIKA
publishes no scoring; the default below is **our own choice**, equally spaced
over the five ordered levels:

============  =====
Uppnådd       1
Nästan där    0.75
Påbörjad      0.5
Planerad      0.25
Ej planerad   0
Ej relevant   not scored (NaN)
============  =====

A blank answer is also not scored. Unscored rows are kept (``response``
tells "Ej relevant" from blank) and counted by
:func:`ehalsa_analys.maturity.scores`, never scored as the lowest level.
Other scales: ``scale="ja/delvis/nej"`` (Ja 1, Delvis 0.5, Nej 0),
``scale="0-4"`` or ``"1-5"`` (integer levels normalised to 0–1 as
``(x - low) / (high - low)``), ``scale=(low, high)`` for any integer range,
or a mapping ``{answer: score or None}``. "Ej relevant" and blank are
unscored on every scale. Answers are matched ignoring case, spaces,
punctuation and å/ä/ö; ``response`` keeps the answer as written.

Instrument
----------
The instrument lists the indicators (indicator_id, area, dimension, text,
suggested_activity, weight). ``instrument=None`` uses ``instrument.csv`` in
the folder read, when there is one, else the representative instrument
shipped with the package (48 indicators, see
``ehalsa_analys/data/lika/SOURCES.md``). Area, dimension and text missing
from the answers are filled from it; an area or dimension that contradicts
it is an error. Indicators answered but absent from the instrument are kept
and listed in one :class:`LikaInstrumentWarning` and in
``attrs["unknown_indicators"]``.

Example
-------
>>> responses = lika("tests/fixtures/lika/long.csv")
>>> responses[["municipality_code", "indicator_id", "response", "score"]].head(3)
  municipality_code indicator_id     response  score
0              1860       OVG-L1      Uppnådd   1.00
1              1860       OVG-I1   Nästan där   0.75
2              1860       OVG-K1  Ej relevant    NaN
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .. import reference
from ..clock import after_today, run_date
from ..errors import InputFileError
from ..schemas import AREAS, DIMENSIONS, validate
from .numbers import parse_numbers
from .reader import column_key, data_files, read_table

__all__ = [
    "LIKA_STATUSES",
    "SCALES",
    "LIKA_ALIASES",
    "LikaInstrumentWarning",
    "lika",
    "lika_instrument",
]

#: LIKA's six statuses and our default scores (None = not scored).
LIKA_STATUSES: dict[str, float | None] = {
    "Uppnådd": 1.0,
    "Nästan där": 0.75,
    "Påbörjad": 0.5,
    "Planerad": 0.25,
    "Ej planerad": 0.0,
    "Ej relevant": None,
}

#: Named scales for ``scale=``.
SCALES: dict[str, Mapping[str, float | None] | tuple[int, int]] = {
    "lika": LIKA_STATUSES,
    "ja/delvis/nej": {"Ja": 1.0, "Delvis": 0.5, "Nej": 0.0, "Ej relevant": None},
    "0-4": (0, 4),
    "1-5": (1, 5),
}

#: Header texts of the LIKA columns, tried before the reader's own aliases.
LIKA_ALIASES: dict[str, tuple[str, ...]] = {
    "assessed_on": (
        "Datum",
        "Värderingsdatum",
        "Bedömningsdatum",
        "Skattningsdatum",
        "Assessment date",
        "Date",
        "assessed_on",
    ),
    "area": ("Område", "Verksamhetsområde", "Area"),
    "dimension": ("Del", "LIKA-del", "Dimension", "Perspektiv"),
    "indicator_id": (
        "Indikator-id",
        "Indikatorid",
        "Indikatornummer",
        "Indikator nr",
        "Id",
        "Nr",
        "Indicator id",
        "indicator_id",
    ),
    "indicator": ("Indikator", "Indikatortext", "Fråga", "Indicator", "text"),
    "response": ("Status", "Svar", "Värdering", "Bedömning", "Response", "Answer"),
    "comment": ("Kommentar", "Kommentarer", "Comment"),
    "suggested_activity": ("Förslag på aktivitet", "Förslag på aktiviteter", "Aktivitet"),
    "weight": ("Vikt", "Weight"),
}

_AREA_NAMES = {column_key(a): a for a in AREAS} | {
    "ifo": "Individ- och familjeomsorg",
    "ao": "Äldreomsorg",
    "aldre": "Äldreomsorg",
    "fn": "Funktionsnedsättning",
    "funktionshinder": "Funktionsnedsättning",
    "ovg": "Övergripande",
}
_DIMENSION_NAMES = {column_key(d): d for d in DIMENSIONS} | {
    column_key(d)[0]: d for d in DIMENSIONS
}
_MUNICIPALITY_LABELS = {"kommun", "kommunnamn", "kommunkod", "municipality"}
_DATE_LABELS = {column_key(a) for a in LIKA_ALIASES["assessed_on"]}
_UNSCORED = {column_key("Ej relevant"), column_key("Ej aktuellt"), column_key("Not relevant")}
_SKIPPED = {"readme", "lasmig", "instrument"}
_COLUMNS = [
    "municipality_code",
    "assessed_on",
    "area",
    "dimension",
    "indicator_id",
    "indicator",
    "response",
    "score",
    "comment",
    "file",
    "source_row",
]


class LikaInstrumentWarning(UserWarning):
    """Answers hold indicators that the instrument does not list."""


# --------------------------------------------------------------------------- scale


def _keys(values: pd.Series) -> pd.Series:
    """:func:`column_key` of every value, computed once per distinct value."""
    codes, uniques = pd.factorize(values.fillna("").astype(str), use_na_sentinel=False)
    keys = np.array([column_key(u) for u in uniques], dtype=object)
    return pd.Series(keys[codes] if len(codes) else [], index=values.index, dtype=object)


class _Scale:
    """Answer text -> score, with the allowed answers for messages."""

    def __init__(self, scale: Any) -> None:
        if scale is None:
            scale = "lika"
        self.name = scale if isinstance(scale, str) else "custom"
        if isinstance(scale, str):
            if column_key(scale) not in {column_key(k) for k in SCALES}:
                raise ValueError(
                    f"The value for `scale` must be one of {list(SCALES)}, a (low, high) tuple "
                    f"of integers or a mapping answer -> score, but {scale!r} was passed."
                )
            scale = next(v for k, v in SCALES.items() if column_key(k) == column_key(scale))
        self.range: tuple[int, int] | None = None
        self.labels: dict[str, float | None] = {}
        if isinstance(scale, Mapping):
            for label, score in scale.items():
                if score is not None and not (0.0 <= float(score) <= 1.0):
                    raise ValueError(
                        f"`scale` maps {label!r} to {score!r}; scores must lie in 0–1 "
                        "(or be None for not scored)."
                    )
                self.labels[column_key(label)] = None if score is None else float(score)
            self.allowed = [str(k) for k in scale]
        elif (
            isinstance(scale, tuple)
            and len(scale) == 2
            and all(isinstance(v, int | np.integer) for v in scale)
            and scale[0] < scale[1]
        ):
            self.range = (int(scale[0]), int(scale[1]))
            self.allowed = [str(v) for v in range(self.range[0], self.range[1] + 1)]
        else:
            raise ValueError(
                f"The value for `scale` must be one of {list(SCALES)}, a (low, high) tuple "
                f"of integers or a mapping answer -> score, but {scale!r} was passed."
            )
        for key in _UNSCORED:
            self.labels.setdefault(key, None)
        if "Ej relevant" not in self.allowed:
            self.allowed.append("Ej relevant")

    def score(self, answers: pd.Series, *, file: str, rows: np.ndarray, column: str) -> np.ndarray:
        """Scores of ``answers`` (NaN when unscored); the first bad answer raises."""
        text = answers.fillna("").astype(str).str.strip()
        keys = _keys(text)
        scores = pd.Series(np.nan, index=answers.index, dtype=float)
        known = keys.isin(self.labels.keys())
        mapped = keys[known].map(self.labels)
        scores[known] = pd.to_numeric(mapped, errors="coerce")
        bad = ~known & (keys != "")
        if self.range is not None and bad.any():
            values, _ = parse_numbers(text[bad].to_numpy(), file=None, column=None)
            values.index = text[bad].index
            low, high = self.range
            ok = values.notna() & (values == values.round()) & values.between(low, high)
            scores[ok[ok].index] = (values[ok] - low) / (high - low)
            bad = bad & ~ok.reindex(bad.index, fill_value=False)
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            value = text.iloc[i]
            hint = self._hint(keys[bad])
            raise InputFileError(
                f"The answer {value!r} is not on the {self.name} scale; allowed: "
                f"{', '.join(self.allowed)} (or blank)",
                file=file,
                row=int(rows[i]),
                column=column,
                value=value,
                hint=hint,
            )
        return scores.to_numpy()

    def _hint(self, bad_keys: pd.Series) -> str:
        for name, other in SCALES.items():
            if name == self.name:
                continue
            if isinstance(other, Mapping):
                if set(bad_keys) <= {column_key(k) for k in other}:
                    return f"the answers look like the {name!r} scale: pass scale={name!r}"
            elif bad_keys.str.fullmatch(r"\d+").all():
                return "the answers are numbers: pass scale='0-4', '1-5' or (low, high)"
        return "correct the answer in the file, or pass the scale it uses with scale="


# --------------------------------------------------------------------------- instrument


def _shipped_instrument() -> Path:
    return Path(str(resources.files("ehalsa_analys") / "data" / "lika" / "instrument.csv"))


def _canonical(
    values: pd.Series, names: dict[str, str], *, file: str, rows: np.ndarray, column: str
) -> pd.Series:
    """Map area or dimension spellings to LIKA's names; the first unknown one raises."""
    keys = _keys(values)
    out = keys.map(names)
    bad = out.isna() & (keys != "")
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        allowed = sorted(set(names.values()), key=list(names.values()).index)
        raise InputFileError(
            f"Unknown {column} {values.iloc[i]!r}; LIKA's are {', '.join(allowed)}",
            file=file,
            row=int(rows[i]),
            column=column,
            value=values.iloc[i],
            hint=f"write one of {', '.join(allowed)}",
        )
    return out


def lika_instrument(path: str | os.PathLike | None = None) -> pd.DataFrame:
    """Read a LIKA instrument (the indicator list) or the one shipped with the package.

    Parameters
    ----------
    path : str or PathLike, optional
        A csv/xlsx with indicator_id, area, dimension and optionally text,
        suggested_activity and weight (Swedish headers such as "Område",
        "Del", "Vikt" work). None reads the shipped representative
        instrument (48 indicators; see ``data/lika/SOURCES.md``).

    Returns
    -------
    DataFrame
        Columns indicator_id, area, dimension, text, suggested_activity,
        weight (float, 1 where blank), in file order; ``attrs["file"]``.

    Raises
    ------
    InputFileError
        A missing column, an unknown area or dimension, a duplicate
        indicator id or a weight that is not a positive number (file, row,
        column and value named).

    Example
    -------
    >>> inst = lika_instrument()
    >>> len(inst), int(inst.groupby(["area", "dimension"]).size().min())
    (48, 3)
    """
    path = Path(path) if path is not None else _shipped_instrument()
    aliases = dict(LIKA_ALIASES) | {"text": ("Indikator", "Indikatortext", "Text", "Fråga")}
    del aliases["indicator"]
    table = read_table(
        path,
        required=("indicator_id", "area", "dimension"),
        aliases=aliases,
        resolve_codes=False,
    )
    file = table.attrs["file"]
    rows = table["source_row"].to_numpy()
    out = pd.DataFrame({"indicator_id": table["indicator_id"].astype(str).str.strip()})
    out["area"] = _canonical(table["area"], _AREA_NAMES, file=file, rows=rows, column="area")
    out["dimension"] = _canonical(
        table["dimension"], _DIMENSION_NAMES, file=file, rows=rows, column="dimension"
    )
    for column in ("text", "suggested_activity"):
        out[column] = table[column] if column in table else pd.Series(pd.NA, dtype="str")
    if "weight" in table:
        weight, _ = parse_numbers(
            table["weight"], file=file, column=table.attrs["columns"]["weight"], rows=rows
        )
    else:
        weight = pd.Series(1.0, index=table.index)
    bad = weight.notna() & ~(weight > 0)
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputFileError(
            "An indicator weight must be a positive number",
            file=file,
            row=int(rows[i]),
            column=table.attrs["columns"].get("weight", "weight"),
            value=weight.iloc[i],
            hint="write a number above 0, or leave the cell blank for weight 1",
        )
    out["weight"] = weight.fillna(1.0).astype(float)
    duplicated = out["indicator_id"].duplicated(keep=False)
    if duplicated.any():
        first = out.loc[duplicated, "indicator_id"].iloc[0]
        at = rows[(out["indicator_id"] == first).to_numpy()]
        raise InputFileError(
            f"Indicator {first!r} is listed {len(at)} times (rows {', '.join(map(str, at))})",
            file=file,
            row=int(at[1]),
            column="indicator_id",
            value=first,
            hint="give every indicator its own id",
        )
    out.attrs = {"file": file}
    return out


# --------------------------------------------------------------------------- answers


def _files(path: Path) -> list[Path]:
    return data_files(
        path,
        what="LIKA files (csv, xlsx, xls or ods)",
        skip=_SKIPPED,
        recursive=True,
        hint="give a LIKA export, a combined file, or a folder with one workbook per municipality",
    )


def _labelled_cell(title_cells: list[tuple[int, list[str]]], labels: set[str]):
    """(row, label, value) of the first title row whose label is in ``labels``."""
    for row, texts in title_cells:
        label, _, rest = texts[0].partition(":")
        if column_key(label) in labels:
            value = rest.strip() or (texts[1] if len(texts) > 1 else "")
            return row, label.strip(), value
    return None


def _dates(
    values: pd.Series, *, file: str, rows: np.ndarray, column: str, allow_future: bool = False
) -> pd.Series:
    text = values.fillna("").astype(str).str.strip()
    parsed = pd.to_datetime(text.where(text != ""), format="ISO8601", errors="coerce")
    compact = parsed.isna() & text.str.fullmatch(r"\d{8}")
    if compact.any():
        parsed[compact] = pd.to_datetime(text[compact], format="%Y%m%d", errors="coerce")
    bad = parsed.isna()
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        value = text.iloc[i]
        raise InputFileError(
            f"The assessment date {value!r} is not a date"
            if value
            else "The assessment date is missing",
            file=file,
            row=int(rows[i]),
            column=column,
            value=text.iloc[i],
            hint="write the date as 2022-05-11 (a date cell in Excel works too)",
        )
    late = after_today(parsed)
    if late.any() and not allow_future:
        i = int(np.flatnonzero(late)[0])
        raise InputFileError(
            f"The assessment date {text.iloc[i]!r} lies after today ({run_date():%Y-%m-%d})",
            file=file,
            row=int(rows[i]),
            column=column,
            value=text.iloc[i],
            hint="check the year; to read a planned assessment on purpose, pass allow_future=True",
        )
    return parsed.dt.normalize().astype("datetime64[ns]")


def _read_answers(
    path: Path, *, scale: _Scale, encoding: str | None, allow_future: bool = False
) -> pd.DataFrame:
    table = read_table(
        path,
        required=("indicator_id", "response"),
        aliases=LIKA_ALIASES,
        encoding=encoding,
        free_text=("comment",),  # a personal number in a comment is masked, not refused
    )
    file = table.attrs["file"]
    headers = table.attrs["columns"]
    rows = table["source_row"].to_numpy()
    n = len(table)
    out = pd.DataFrame(index=table.index)

    if "municipality_code" in table:
        codes = table["municipality_code"]
        if codes.isna().any():
            i = int(np.flatnonzero(codes.isna().to_numpy())[0])
            raise InputFileError(
                "The municipality is missing",
                file=file,
                row=int(rows[i]),
                column=headers.get("municipality_code", "municipality_code"),
                hint="write the municipality's name or code on every row",
            )
        out["municipality_code"] = codes
    else:
        cell = _labelled_cell(table.attrs["title_cells"], _MUNICIPALITY_LABELS)
        if cell is None or not cell[2]:
            raise InputFileError(
                "The file does not say which municipality it is",
                file=file,
                column="Kommun",
                hint='add a "Kommun:" cell with the name above the table, '
                "or a Kommun column on every row",
            )
        row, label, value = cell
        code = reference.resolve_municipality([value], file=file, column=label, first_row=row)
        out["municipality_code"] = np.repeat(code.iloc[0], n)

    if "assessed_on" in table:
        out["assessed_on"] = _dates(
            table["assessed_on"],
            file=file,
            rows=rows,
            column=headers.get("assessed_on", "assessed_on"),
            allow_future=allow_future,
        )
    else:
        cell = _labelled_cell(table.attrs["title_cells"], _DATE_LABELS)
        if cell is None:
            raise InputFileError(
                "The file does not give the assessment date",
                file=file,
                column="Datum",
                hint='add a "Datum:" cell above the table, or a Datum column',
            )
        row, label, value = cell
        date = _dates(
            pd.Series([value]),
            file=file,
            rows=np.array([row]),
            column=label,
            allow_future=allow_future,
        )
        out["assessed_on"] = np.repeat(date.to_numpy(), n)

    for column, names in (("area", _AREA_NAMES), ("dimension", _DIMENSION_NAMES)):
        if column in table:
            out[column] = _canonical(
                table[column], names, file=file, rows=rows, column=headers[column]
            )
        else:
            out[column] = pd.Series(pd.NA, index=table.index, dtype="str")
    ids = table["indicator_id"].astype("str").str.strip()
    if ids.isna().any():
        i = int(np.flatnonzero(ids.isna().to_numpy())[0])
        raise InputFileError(
            "An answer row has no indicator id",
            file=file,
            row=int(rows[i]),
            column=headers["indicator_id"],
            hint="write the indicator id on every answer row",
        )
    out["indicator_id"] = ids
    out["indicator"] = table["indicator"] if "indicator" in table else pd.NA
    out["response"] = table["response"].astype("str").str.strip()
    out["score"] = scale.score(table["response"], file=file, rows=rows, column=headers["response"])
    out["comment"] = table["comment"] if "comment" in table else pd.NA
    out["file"] = file
    out["source_row"] = rows
    return out


def _apply_instrument(data: pd.DataFrame, instrument: pd.DataFrame) -> pd.DataFrame:
    inst = instrument.set_index("indicator_id")
    known = data["indicator_id"].isin(inst.index)
    for column in ("area", "dimension"):
        expected = data["indicator_id"].map(inst[column])
        clash = known & data[column].notna() & (data[column] != expected)
        if clash.any():
            i = int(np.flatnonzero(clash.to_numpy())[0])
            row = data.iloc[i]
            raise InputFileError(
                f"Indicator {row['indicator_id']!r} is in {column} {row[column]!r} here but in "
                f"{expected.iloc[i]!r} in the instrument ({instrument.attrs.get('file')})",
                file=row["file"],
                row=int(row["source_row"]),
                column=column,
                value=row[column],
                hint="pass the instrument that belongs to this export with instrument=",
            )
        data[column] = data[column].fillna(expected)
    data["indicator"] = data["indicator"].fillna(data["indicator_id"].map(inst["text"]))
    unplaced = data["area"].isna() | data["dimension"].isna()
    if unplaced.any():
        i = int(np.flatnonzero(unplaced.to_numpy())[0])
        row = data.iloc[i]
        raise InputFileError(
            f"Indicator {row['indicator_id']!r} is not in the instrument and the file gives "
            "no area and dimension for it",
            file=row["file"],
            row=int(row["source_row"]),
            column="indicator_id",
            value=row["indicator_id"],
            hint="add Område and Del columns to the file, or pass an instrument that lists it",
        )
    return data


def _check_duplicates(data: pd.DataFrame) -> None:
    key = ["municipality_code", "assessed_on", "indicator_id"]
    duplicated = data.duplicated(key, keep=False)
    if not duplicated.any():
        return
    dup = data[duplicated].sort_values([*key, "file", "source_row"])
    groups = dup.groupby(key, sort=False)
    lines = []
    for (code, date, indicator), group in list(groups)[:10]:
        where = ", ".join(
            f"{f} row {r}" for f, r in zip(group["file"], group["source_row"], strict=True)
        )
        lines.append(f"{code} {date.date()} {indicator}: {where}")
    more = groups.ngroups - len(lines)
    first = dup.iloc[1]
    raise InputFileError(
        f"{groups.ngroups} indicator(s) answered more than once for the same municipality and "
        "date:\n    " + "\n    ".join(lines) + (f"\n    … and {more} more" if more > 0 else ""),
        file=first["file"],
        row=int(first["source_row"]),
        column="indicator_id",
        value=first["indicator_id"],
        hint="keep one answer per indicator, or give the rounds different dates",
    )


def lika(
    path: str | os.PathLike,
    instrument: str | os.PathLike | pd.DataFrame | None = None,
    scale: str | tuple[int, int] | Mapping[str, float | None] | None = None,
    *,
    encoding: str | None = None,
    allow_future: bool = False,
) -> pd.DataFrame:
    """Read LIKA self-assessment results into a ``lika_responses`` table.

    Parameters
    ----------
    path : str or PathLike
        A per-municipality workbook, a combined long file, or a folder of
        either (read recursively).
    instrument : str, PathLike, DataFrame or None
        The indicator list (see :func:`lika_instrument`). None: the folder's
        ``instrument.csv`` when present, else the shipped instrument.
    scale : str, (low, high), mapping or None
        How answers become scores; default LIKA's statuses (module docstring).
    encoding : str, optional
        Force the text encoding of csv files (detected otherwise).
    allow_future : bool
        Accept assessment dates after today's (refused by default: a typo in
        the year would otherwise make a "latest" round of the future).

    Returns
    -------
    DataFrame
        Columns municipality_code, assessed_on, area, dimension,
        indicator_id, indicator, response, score, comment, file, source_row,
        sorted by municipality, date, area and dimension (LIKA's order) and
        indicator id. ``attrs``: files, instrument, scale,
        unknown_indicators.

    Raises
    ------
    InputFileError
        An answer outside the scale, duplicate answers (all listed), a
        missing column, a missing municipality or date, an unknown area or
        dimension; the message names the file, row, column and value.
    UnknownMunicipalityError
        The municipality is not one of Sweden's 290.

    Example
    -------
    >>> r = lika("tests/fixtures/lika/long.csv")
    >>> r.groupby("municipality_code")["score"].agg(["count", "size"])
                       count  size
    municipality_code
    1860                   3     4
    1880                   4     4
    """
    path = Path(path)
    scale_ = _Scale(scale)
    files = _files(path)
    if isinstance(instrument, pd.DataFrame):
        inst = instrument.copy()
        inst.attrs.setdefault("file", "instrument")
    elif instrument is not None:
        inst = lika_instrument(instrument)
    elif path.is_dir() and (path / "instrument.csv").is_file():
        inst = lika_instrument(path / "instrument.csv")
    else:
        inst = lika_instrument()
    for column, default in (("text", pd.NA), ("area", pd.NA), ("dimension", pd.NA)):
        if column not in inst:
            inst[column] = default
    parts = [
        _read_answers(f, scale=scale_, encoding=encoding, allow_future=allow_future) for f in files
    ]
    data = pd.concat(parts, ignore_index=True)
    data = _apply_instrument(data, inst)
    _check_duplicates(data)
    unknown = sorted(set(data["indicator_id"].unique()) - set(inst["indicator_id"]))
    if unknown:
        warnings.warn(
            f"{len(unknown)} indicator(s) answered but not in the instrument "
            f"({inst.attrs.get('file')}): {', '.join(unknown)}. They are kept and scored; "
            "pass the matching instrument with instrument= to weight and describe them.",
            LikaInstrumentWarning,
            stacklevel=2,
        )
    order = {a: i for i, a in enumerate(AREAS)} | {d: i for i, d in enumerate(DIMENSIONS)}
    data = data.assign(_a=data["area"].map(order), _d=data["dimension"].map(order)).sort_values(
        ["municipality_code", "assessed_on", "_a", "_d", "indicator_id"], kind="stable"
    )
    data = data[_COLUMNS].reset_index(drop=True)
    for column in ("indicator", "response", "comment", "area", "dimension"):
        data[column] = data[column].astype("str")
    data.loc[data["response"] == "", "response"] = pd.NA
    validate(data, "lika_responses", file=str(path))
    data.attrs = {
        "files": [str(f) for f in files],
        "instrument": inst.attrs.get("file"),
        "scale": scale_.name,
        "unknown_indicators": unknown,
    }
    return data
