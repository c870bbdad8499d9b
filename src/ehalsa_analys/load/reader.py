"""The one shared reader for Swedish data files: :func:`read_table`.

Every loader (LIKA, Socialstyrelsen, Kolada, effect monitoring, population grids) reads its
files through :func:`read_table`, which turns what Swedish sources export (title rows, two-row
headers, footnotes, ``;`` and decimal commas, cp1252, codes whose leading zero Excel stripped)
into one predictable DataFrame; :func:`where`, :func:`column_numbers` and :func:`column_words`
let loaders name a cell and read optional columns by the same rules. Overview: docs/methods.md,
"Reading the sources".

Example
-------
>>> df = read_table("tests/fixtures/reader/two_row_header.csv", auto_numeric=True)
>>> df[["municipality_code", "Hemtjänst Antal", "Hemtjänst Antal_status", "source_row"]]
  municipality_code  Hemtjänst Antal Hemtjänst Antal_status  source_row
0              0180            100.0                                  5
1              1880              NaN             suppressed           6
>>> df.attrs["header_rows"], df.attrs["footnotes"]
([3, 4], ['1) Andel av alla brukare.'])
"""

from __future__ import annotations

import codecs
import csv
import datetime as _dt
import functools
import io
import os
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .. import reference
from ..errors import EhalsaError, InputFileError, UnknownMunicipalityError
from ..privacy import (
    PERSONAL_NUMBER_SHAPE,
    check_text,
    find_personal_numbers,
    mask_personal_numbers,
)
from .numbers import MISSING_MARKERS, SUPPRESSED_MARKERS, _classify, parse_numbers
from .personal import (
    LOOKS_LIKE_PERSONAL_NUMBER,
    check_personal_numbers,
    personal_number_mask,
)

__all__ = [
    "ALIASES",
    "KEY_COLUMNS",
    "NATIONAL_NAMES",
    "SUPPORTED_SUFFIXES",
    "FOOTNOTE_PATTERN",
    "column_key",
    "read_table",
    "where",
    "column_numbers",
    "data_files",
    "column_words",
]

#: Canonical column name -> header texts that mean it. Matching is by
#: :func:`column_key`, so case, spaces, punctuation and å/ä/ö do not matter
#: ("Kommun-kod", "kommun_kod" and "KOMMUNKOD" are one alias). Earlier aliases
#: win when two columns match the same name. The canonical name itself always
#: matches too.
ALIASES: dict[str, tuple[str, ...]] = {
    "municipality_code": (
        "Kommunkod",
        "Kommun-kod",
        "Kommun kod",
        "kommun_kod",
        "KnKod",
        "Kn-kod",
        "Kommunnummer",
        "Kommunnr",
        "Kommun nr",
        "Kommun-ID",
        "Municipality code",
        "Kod",
    ),
    "municipality": ("Kommun", "Kommunnamn", "Kommun namn", "Municipality", "Namn"),
    "county_code": (
        "Länskod",
        "Läns-kod",
        "Lan_kod",
        "Län kod",
        "LnKod",
        "Ln-kod",
        "Länsnummer",
        "Länsnr",
        "County code",
    ),
    "county": ("Län", "Länsnamn", "Län namn", "County"),
    "year": ("År", "Årtal", "Year"),
    "quarter": ("Kvartal", "Quarter"),
    "month": ("Månad", "Month"),
    "period": ("Period", "Tidsperiod", "Tid"),
    "value": ("Värde", "Value"),
}

#: Canonical columns that identify a record; never detected as numeric.
KEY_COLUMNS = (
    "municipality_code",
    "municipality",
    "county_code",
    "county",
    "year",
    "quarter",
    "month",
    "period",
)

#: Names (compared by :func:`column_key`) that mean the whole country; they
#: become the national code ``reference.NATIONAL_CODE`` ("0000").
NATIONAL_NAMES = ("Riket", "Hela riket", "Sverige", "0000")

#: Suffix -> how the file is read.
SUPPORTED_SUFFIXES: dict[str, str] = {
    ".csv": "text",
    ".txt": "text",
    ".tsv": "text",
    ".xlsx": "spreadsheet",
    ".xlsm": "spreadsheet",
    ".xls": "spreadsheet",
    ".ods": "spreadsheet",
    ".parquet": "parquet",
    ".geoparquet": "parquet",
    ".gpkg": "geopackage",
}

#: A row whose first non-empty cell matches this (case-insensitively) is a footnote.
FOOTNOTE_PATTERN = (
    r"^\s*(?:"
    r"(?:k[äa]ll(?:a|or)|anm(?:[äa]rkning(?:ar)?)?|fotnot(?:er)?|noter|not|kommentar(?:er)?"
    r"|f[öo]rklaring|teckenf[öo]rklaring|uppdaterad|senast uppdaterad|publicerad"
    r"|sources?|notes?)(?![a-zåäöéü])"
    r"|\*"
    r"|\(?[0-9]{1,2}\)"
    r"|[¹²³⁴⁵⁶⁷⁸⁹⁰]"
    r"|\S{1,3}\s*=\s"
    r")"
)
_FOOTNOTE_RE = re.compile(FOOTNOTE_PATTERN, re.IGNORECASE)

_HEADER_SEARCH_ROWS = 100
# Built-in aliases general enough to mean something else in some files.
_GENERIC_ALIASES = {"kod", "namn", "tid", "period", "varde"}
_SEPARATORS = (";", "\t", ",")
_SNIFF_LINES = 200
_STR = pd.api.types.pandas_dtype("str")
_TOP_ROWS = _HEADER_SEARCH_ROWS + 2  # where the header (and a child row below it) can be
_TALL_ROWS = 5000
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_WS = re.compile(r"\s+")


# --------------------------------------------------------------------------- names


def column_key(text: Any) -> str:
    """Return the key a header is matched by: case-, space-, punctuation- and diacritic-free.

    Example
    -------
    >>> column_key("Kommun-kod"), column_key(" KNKOD "), column_key("Länskod")
    ('kommunkod', 'knkod', 'lanskod')
    """
    return _key(str(text))


@functools.lru_cache(maxsize=2**16)
def _key(text: str) -> str:
    # Headers, names and answers repeat across rows, sheets and files: each text is keyed once.
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NON_ALNUM.sub("", plain.replace("ø", "o").replace("æ", "ae"))


def _clean_header(text: Any) -> str:
    return _WS.sub(" ", str(text)).strip()


def _as_list(value: str | Iterable[str] | None) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return list(value)


@dataclass(frozen=True)
class _AliasIndex:
    """key -> (canonical, priority); lower priority wins."""

    lookup: dict[str, tuple[str, int]]
    accepted: dict[str, list[str]]

    @classmethod
    def build(cls, extra: Mapping[str, str | Iterable[str]] | None) -> _AliasIndex:
        lookup: dict[str, tuple[str, int]] = {}
        accepted: dict[str, list[str]] = {}
        priority = 0
        for table in (extra or {}, ALIASES):
            for canonical, names in table.items():
                for name in [*_as_list(names), canonical]:
                    key = column_key(name)
                    if key and key not in lookup:
                        lookup[key] = (canonical, priority)
                        accepted.setdefault(canonical, []).append(name)
                    priority += 1
        return cls(lookup, accepted)

    def get(self, text: str) -> tuple[str, int] | None:
        return self.lookup.get(column_key(text))


# --------------------------------------------------------------------------- the grid


@dataclass
class _Grid:
    """All cells of a sheet or text file as stripped text ("" when empty)."""

    cells: pd.DataFrame  # columns 0..m-1, dtype str
    rows: np.ndarray  # the file row of each grid row, 1-based
    kind: str  # "text" or "spreadsheet"
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # r0, c0, r1, c1
    sheet: str | None = None
    encoding: str | None = None
    separator: str | None = None

    def column_label(self, j: int) -> str:
        return f"column {_letter(j)}" if self.kind == "spreadsheet" else f"column {j + 1}"

    # The layout reads rows, and reading a row of a column-wise frame costs a call per column:
    # a short grid is converted to one 2-D object array once; a tall one is read column by
    # column (vectorised), only its top rows as an array.

    @property
    def tall(self) -> bool:
        return len(self.cells) > _TALL_ROWS

    @functools.cached_property
    def values(self) -> np.ndarray:
        return self.cells.to_numpy(dtype=object)

    @functools.cached_property
    def top(self) -> np.ndarray:
        return self.cells.iloc[:_TOP_ROWS].to_numpy(dtype=object)

    def row(self, r: int) -> list[str]:
        """The texts of grid row ``r``."""
        if not self.tall:
            return [str(v) for v in self.values[r]]
        if r < _TOP_ROWS:
            return [str(v) for v in self.top[r]]
        return [str(v) for v in self.cells.iloc[r].tolist()]

    def nonempty(self, start: int) -> np.ndarray:
        """Which cells of rows ``start``… hold text, as a (rows, columns) boolean array."""
        if not self.tall:
            values = self.values[start:]
            return np.asarray(values != "", dtype=bool).reshape(values.shape)
        columns = [(self.cells[j].iloc[start:] != "").to_numpy(dtype=bool) for j in self.cells]
        return np.column_stack(columns)

    def pick(self, rows: np.ndarray, columns: np.ndarray) -> np.ndarray:
        """The texts of the cells (rows[i], columns[i])."""
        if not self.tall:
            return self.values[rows, columns]
        out = np.empty(len(rows), dtype=object)
        for j in np.unique(columns):
            at = columns == j
            out[at] = self.cells[int(j)].take(rows[at]).to_numpy(dtype=object)
        return out

    def equals(self, rows: np.ndarray, j: int, text: str) -> np.ndarray:
        """Whether the cells of column ``j`` in ``rows`` are ``text``."""
        if not self.tall:
            return np.asarray(self.values[rows, j] == text, dtype=bool)
        return (self.cells[j] == text).to_numpy(dtype=bool)[rows]

    def distinct(self) -> pd.Series:
        """The distinct texts of all cells."""
        if not self.tall:
            return pd.Series(pd.unique(self.values.ravel()), dtype="str")
        parts = [pd.Series(self.cells[j].unique(), dtype="str") for j in self.cells]
        return pd.Series(pd.concat(parts, ignore_index=True).unique(), dtype="str")


def _letter(j: int) -> str:
    out = ""
    j += 1
    while j:
        j, rem = divmod(j - 1, 26)
        out = chr(65 + rem) + out
    return out


def _rows_to_frame(rows: list[list[str]], *, stripped: bool = False) -> pd.DataFrame:
    """The rows as a frame of text columns, cells stripped (``stripped``: they are already)."""
    width = max((len(r) for r in rows), default=0)
    padded = [r + [""] * (width - len(r)) if len(r) < width else r for r in rows]
    frame = pd.DataFrame(padded, columns=range(width), dtype="str") if rows else pd.DataFrame()
    if stripped or not width:
        return frame
    return frame.apply(lambda s: s.fillna("").str.strip())


# --------------------------------------------------------------------------- text files


def _decode(data: bytes, file: str, encoding: str | None) -> tuple[str, str]:
    """Return (text, encoding name)."""

    def fail(offset: int, what: str) -> InputFileError:
        line = data.count(b"\n", 0, offset) + 1
        return InputFileError(
            f"Cannot read the file as text: byte 0x{data[offset]:02X} at byte offset {offset} "
            f"{what}",
            file=file,
            row=line,
            value=data[offset : offset + 1],
            hint=(
                "save it as CSV UTF-8 (in Excel: Spara som > CSV UTF-8 (kommaavgränsad)), "
                "or pass encoding='...' if you know its encoding"
            ),
        )

    if encoding is not None:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError as err:
            raise fail(err.start, f"is not valid {encoding}") from None
        except LookupError:
            raise InputFileError(
                f"Unknown encoding {encoding!r}",
                file=file,
                hint="use e.g. encoding='utf-8', 'utf-8-sig' or 'cp1252'",
            ) from None
    if data.startswith(b"PK\x03\x04"):
        raise InputFileError(
            "The file is a zip archive, probably an Excel workbook, not a text file",
            file=file,
            hint="rename it to .xlsx, or save it from Excel as CSV",
        )
    for bom, name in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(name), name
            except UnicodeDecodeError as err:
                raise fail(err.start, f"is not valid {name}") from None
    if (nul := data.find(b"\x00")) >= 0:
        raise fail(nul, "is a NUL byte: the file looks binary (or is UTF-16 without a BOM)")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError as err:
            raise fail(err.start, "is neither UTF-8 nor Windows-1252/Latin-1 text") from None
        control = re.search(r"[\x00-\x08\x0b\x0e-\x1f\x7f]", text)
        if control:
            offset = len(text[: control.start()].encode("cp1252"))
            raise fail(offset, "is a control character, not text, in Windows-1252") from None
        return text, "cp1252"


def _first_lines(text: str, n: int) -> list[str]:
    """``text.splitlines()[:n]`` without splitting a long text whole."""
    size = 1 << 16
    while size < len(text):
        lines = text[:size].splitlines()
        if len(lines) > n:  # the first n lines are whole (only the last can be cut)
            return lines[:n]
        size *= 4
    return text.splitlines()[:n]


def _sniff_separator(text: str, index: _AliasIndex) -> str:
    """Pick ``;``, tab or ``,`` by the rule in :func:`read_table`'s Notes."""
    sample = [line for line in _first_lines(text, _SNIFF_LINES) if line.strip()]
    best: tuple[int, int, int] = (0, 0, -len(_SEPARATORS))
    chosen = ";"
    for rank, sep in enumerate(_SEPARATORS):
        rows = [r for r in csv.reader(sample, delimiter=sep, quotechar='"') if r]
        known = 0
        for row in rows[:_HEADER_SEARCH_ROWS]:
            matched = {hit[0] for cell in row if cell.strip() and (hit := index.get(cell))}
            known = max(known, len(matched))
        wide = [len(r) for r in rows if len(r) >= 2]
        consistency = 0
        if wide:
            values, freq = np.unique(wide, return_counts=True)
            modal = int(values[np.argmax(freq)])
            consistency = int(freq.max()) * (modal - 1)
        score = (known, consistency, -rank)
        if score > best:
            best, chosen = score, sep
    return chosen


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def _split_unquoted(text: str, sep: str) -> pd.DataFrame:
    """The grid of a text without quote characters, as the csv module would split it.

    Without quotes a record is a line (ended by CR LF, CR or LF, the line breaks of the csv
    module) and a field is what lies between separators, so pandas' C parser gives the same
    cells many times faster; a blank line is a row of empty cells.
    """
    if not text.endswith(("\n", "\r")):
        # pandas' C parser can overflow on a last record with no line break after a bare
        # CR ("\r;" fails, "\r;\n" does not); a closing break adds no record.
        text += "\n"
    lines = _LINE_BREAK.split(text, maxsplit=_SNIFF_LINES)[:_SNIFF_LINES]
    width = max(line.count(sep) for line in lines) + 1

    def read(width: int) -> pd.DataFrame:
        return pd.read_csv(
            io.StringIO(text),
            sep=sep,
            header=None,
            names=range(width),
            index_col=False,
            dtype="str",
            na_filter=False,
            keep_default_na=False,
            skip_blank_lines=False,
            quoting=csv.QUOTE_NONE,
            engine="c",
        )

    try:
        frame = read(width)
    except pd.errors.ParserError:  # a line further down is wider than the first ones
        frame = read(max(line.count(sep) for line in _LINE_BREAK.split(text)) + 1)
    return frame.apply(lambda s: s.fillna("").str.strip())


def _read_text(
    path: Path, file: str, *, encoding: str | None, sep: str | None, index: _AliasIndex
) -> _Grid:
    data = path.read_bytes()
    if not data.strip():
        raise InputFileError("The file is empty", file=file, hint="check that it was exported")
    text, used = _decode(data, file, encoding)
    if sep is None:
        sep = _sniff_separator(text, index)
    if '"' not in text:  # no quoting: one record per line, split by pandas' C parser
        try:
            cells = _split_unquoted(text, sep)
        except pd.errors.ParserError:  # the C parser's own limits: the csv module is the rule
            cells, _ = _split_csv(text, sep, file)
        return _Grid(
            cells=cells,
            rows=np.arange(1, len(cells) + 1, dtype=np.int64),
            kind="text",
            encoding=used,
            separator=sep,
        )
    cells, starts = _split_csv(text, sep, file)
    return _Grid(cells=cells, rows=starts, kind="text", encoding=used, separator=sep)


def _split_csv(text: str, sep: str, file: str) -> tuple[pd.DataFrame, np.ndarray]:
    """The grid of a text by the csv module (quoted fields may span lines), and the line each
    record starts on."""
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep, quotechar='"')
    rows: list[list[str]] = []
    starts: list[int] = []
    previous = 0
    try:
        for record in reader:
            starts.append(previous + 1)
            previous = reader.line_num
            rows.append(record)
    except csv.Error as err:
        raise InputFileError(
            f"Cannot split the file into fields: {err}",
            file=file,
            row=previous + 1,
            hint="check the quoting on this row, or pass sep= if the separator was guessed wrong",
        ) from None
    return _rows_to_frame(rows), np.asarray(starts, dtype=np.int64)


# --------------------------------------------------------------------------- spreadsheets


def _cell_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 2**53:
            return str(int(value))  # Excel stores 180 as 180.0
        return repr(value)  # shortest text that reads back as exactly this float
    if isinstance(value, _dt.datetime):
        return value.date().isoformat() if value.time() == _dt.time() else value.isoformat(" ")
    if isinstance(value, _dt.date | _dt.time):
        return value.isoformat()
    return "" if value is None else str(value)


_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PACKAGE_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
#: Any formula element in a sheet's XML, with or without a namespace prefix.
_FORMULA_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s/>]")
#: Cell types whose empty <v> is a stored value (an empty text); for numbers it is none.
_TEXT_TYPES = {"str", "inlineStr", "s"}


def _sheet_xml(archive: Any, name: str) -> str | None:
    """The path inside an xlsx archive of the sheet called ``name``, or None."""
    import xml.etree.ElementTree as ET

    try:
        workbook = ET.fromstring(archive.read("xl/workbook.xml"))
        rels = ET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ET.ParseError):
        return None
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(_PACKAGE_RELS)}
    for element in workbook.iter(f"{_MAIN_NS}sheet"):
        if element.get("name") == name:
            target = targets.get(element.get(f"{_REL_NS}id"), "")
            if not target:
                return None
            return target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return None


def _formulas_without_values(path: Path, name: str) -> list[str]:
    """References ("B7") of formula cells in sheet ``name`` of an xlsx that store no value.

    Excel stores each formula's computed value beside it; files written by programs (openpyxl,
    some exports) store only the formula, and the value is then missing for every reader. Only the
    sheet being read is scanned, and only when its XML holds a formula at all.
    """
    import xml.etree.ElementTree as ET
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            member = _sheet_xml(archive, name)
            if member is None:
                return []
            data = archive.read(member)
    except (zipfile.BadZipFile, KeyError, OSError):
        return []  # not an xlsx package (xls, ods): calamine has read it
    # A formula tag holds "<f" or ":f" (prefixed): a fast byte search rules most sheets out.
    if (b"<f" not in data and b":f" not in data) or not _FORMULA_TAG.search(data):
        return []
    missing: list[str] = []
    try:
        for _event, cell in ET.iterparse(io.BytesIO(data)):
            if cell.tag.rsplit("}", 1)[-1] != "c":
                continue
            children = {child.tag.rsplit("}", 1)[-1]: child for child in cell}
            if "f" in children:
                value = children.get("v")
                stored = value is not None and (
                    bool(value.text) or cell.get("t", "n") in _TEXT_TYPES
                )
                if not stored and "is" not in children:
                    missing.append(cell.get("r", "?"))
            cell.clear()
    except ET.ParseError:
        return missing
    return missing


def _split_reference(reference: str) -> tuple[str, int | None]:
    match = re.fullmatch(r"([A-Z]+)(\d+)", reference)
    return (match.group(1), int(match.group(2))) if match else (reference, None)


def _refuse_formulas_without_values(path: Path, file: str, name: str) -> None:
    missing = _formulas_without_values(path, name)
    if not missing:
        return
    column, row = _split_reference(missing[0])
    shown = ", ".join(missing[:10]) + (
        f" … and {len(missing) - 10} more" if len(missing) > 10 else ""
    )
    raise InputFileError(
        f"Sheet {name!r} has {len(missing)} formula cell(s) without a stored value ({shown}): "
        "their values would be read as empty",
        file=file,
        row=row,
        column=column,
        hint="open the file in Excel and save it (Excel stores each formula's computed value), "
        "or replace the formulas by their values",
    )


def _open_workbook(path: Path, file: str):
    """The calamine workbook of ``path``; a file it cannot open is an :class:`InputFileError`."""
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        return CalamineWorkbook.from_path(str(path))
    except (CalamineError, OSError, ValueError) as err:
        raise InputFileError(
            f"Cannot open the spreadsheet: {err}",
            file=file,
            hint="check that it is a real Excel/OpenDocument file and not password-protected",
        ) from None


def sheet_names(path: str | os.PathLike, *, file: str | None = None) -> list[str]:
    """The sheets of a spreadsheet (xlsx, xls, ods), in order, for reading each by name.

    A file that is no spreadsheet or cannot be opened raises :class:`InputFileError` naming
    ``file`` (default the path).

    Example
    -------
    >>> import tempfile, pathlib
    >>> from openpyxl import Workbook
    >>> wb = Workbook(); wb.active.title = "2023"; _ = wb.create_sheet("2024")
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "t.xlsx"; wb.save(p)
    >>> sheet_names(p)
    ['2023', '2024']
    """
    return list(_open_workbook(Path(path), file or str(path)).sheet_names)


def _read_spreadsheet(path: Path, file: str, *, sheet: str | int) -> _Grid:
    from python_calamine import CalamineError

    workbook = _open_workbook(path, file)
    names = list(workbook.sheet_names)
    try:
        if isinstance(sheet, int) and not isinstance(sheet, bool):
            if not -len(names) <= sheet < len(names):
                raise IndexError(sheet)
            name = names[sheet]
        else:
            name = str(sheet)
            if name not in names:
                folded = {column_key(n): n for n in names}
                name = folded.get(column_key(name), name)
            if name not in names:
                raise KeyError(sheet)
        worksheet = workbook.get_sheet_by_name(name)
    except (IndexError, KeyError, CalamineError):
        raise InputFileError(
            f"The workbook has no sheet {sheet!r}",
            file=file,
            value=sheet,
            hint="pass sheet= one of " + ", ".join(repr(n) for n in names) + " or an index from 0",
        ) from None
    _refuse_formulas_without_values(path, file, name)
    raw = worksheet.to_python(skip_empty_area=False)
    # Stripped here, cell by cell (str.strip removes what pandas' strip does: Unicode spaces).
    rows = [[_cell_text(v).strip() for v in row] for row in raw]
    merges = [(r0, c0, r1, c1) for (r0, c0), (r1, c1) in (worksheet.merged_cell_ranges or [])]
    return _Grid(
        cells=_rows_to_frame(rows, stripped=True),
        rows=np.arange(1, len(rows) + 1, dtype=np.int64),
        kind="spreadsheet",
        merges=merges,
        sheet=name,
    )


# --------------------------------------------------------------------------- layout


@dataclass
class _Layout:
    header_rows: list[int]  # grid row indices (1 or 2)
    names: list[str]  # one per grid column ("" when unnamed)
    data: np.ndarray  # grid row indices of the records
    title: list[str]
    footnotes: list[str]
    title_cells: list[tuple[int, list[str]]]  # (grid row index, non-empty cell texts)


def _row_texts(grid: _Grid, r: int) -> list[str]:
    return grid.row(r)


def _is_value_like(text: str) -> bool:
    if not text:
        return False
    folded = _WS.sub(" ", text).casefold()
    if folded in MISSING_MARKERS or folded in SUPPRESSED_MARKERS:
        return True
    _, _, bad = _classify(pd.Series([text], dtype="str"))
    return not bool(bad[0])


def _find_header(grid: _Grid, index: _AliasIndex, header_row: int | None, file: str) -> int:
    cells = grid.cells
    if header_row is not None:
        hits = np.flatnonzero(grid.rows == int(header_row))
        if not len(hits):
            raise InputFileError(
                f"header_row={header_row} is not a row of the file",
                file=file,
                hint=f"pass a row between 1 and {int(grid.rows[-1])}",
            )
        return int(hits[0])
    top = min(len(cells), _HEADER_SEARCH_ROWS)
    best_row, best_score = -1, 0
    for r in range(top):
        matched = {hit[0] for t in _row_texts(grid, r) if t and (hit := index.get(t))}
        if len(matched) > best_score:
            best_row, best_score = r, len(matched)
    if best_row >= 0:
        return best_row
    filled = (cells.iloc[:top] != "").sum(axis=1).to_numpy()
    if not len(filled) or filled.max() == 0:
        raise InputFileError(
            "The file holds no table: every cell is empty", file=file, hint="check the export"
        )
    return int(np.argmax(filled))


def _merge_in_row(grid: _Grid, r: int) -> list[tuple[int, int, int, int]]:
    return [m for m in grid.merges if m[0] <= r <= m[2] and m[3] > m[1]]


def _header_block(grid: _Grid, h: int, index: _AliasIndex) -> tuple[int | None, int]:
    """Return (parent row or None, child row) around the found header row ``h``."""
    cells = grid.cells
    row = _row_texts(grid, h)
    filled = [j for j, t in enumerate(row) if t]
    first, last = filled[0], filled[-1]
    # A parent row above: text right of the header's first column, no numbers.
    if h > 0:
        above = _row_texts(grid, h - 1)
        texts = [t for t in above if t]
        if any(t for t in above[first + 1 :]) and not any(_is_value_like(t) for t in texts):
            return h - 1, h
    # A child row below: the header has gaps (or merged cells) the row below fills.
    if h + 1 < len(cells):
        below = _row_texts(grid, h + 1)
        gaps = [j for j in range(first + 1, last + 2) if j < len(row) and not row[j]]
        merged = bool(_merge_in_row(grid, h))
        fills_gaps = (
            bool(gaps) and all(below[j] for j in gaps if j <= last) and any(below[j] for j in gaps)
        )
        header_like = any(below) and not any(_is_value_like(t) for t in below if t)
        if (merged or fills_gaps) and header_like:
            return h, h + 1
    return None, h


def _combine_names(grid: _Grid, parent: int | None, child: int, index: _AliasIndex) -> list[str]:
    kids = [_clean_header(t) for t in _row_texts(grid, child)]
    if parent is None:
        return kids
    raw_parents = [_clean_header(t) for t in _row_texts(grid, parent)]
    parents = list(raw_parents)
    merges = _merge_in_row(grid, parent)
    if merges:
        for r0, c0, _r1, c1 in merges:
            if r0 == parent:
                for j in range(c0, min(c1 + 1, len(parents))):
                    parents[j] = raw_parents[c0]
    else:
        current = ""
        for j, text in enumerate(raw_parents):
            current = text or current
            parents[j] = current
    counts: dict[str, int] = {}
    for kid in kids:
        if kid:
            counts[column_key(kid)] = counts.get(column_key(kid), 0) + 1
    names = []
    for p, c in zip(parents, kids, strict=True):
        both = f"{p} {c}"
        if not p:
            names.append(c)
        elif not c:
            names.append(p)
        elif index.get(both):
            names.append(both)
        elif index.get(c):
            names.append(c)
        elif counts[column_key(c)] > 1:
            names.append(both)
        else:
            names.append(c)
    return names


def _layout(grid: _Grid, index: _AliasIndex, header_row: int | None, file: str) -> _Layout:
    h = _find_header(grid, index, header_row, file)
    parent, child = _header_block(grid, h, index)
    names = _combine_names(grid, parent, child, index)
    header_rows = [r for r in (parent, child) if r is not None]
    top = header_rows[0]
    start = header_rows[-1] + 1

    nonempty = grid.nonempty(start)
    count = nonempty.sum(axis=1)
    named = [j for j, n in enumerate(names) if n]
    first_col = named[0] if named else 0
    n = len(nonempty)
    # First non-empty cell of each row, for the footnote pattern.
    first_idx = nonempty.argmax(axis=1) if n else np.zeros(0, dtype=int)
    first_text = pd.Series(grid.pick(start + np.arange(n), first_idx) if n else [], dtype=object)
    verdict = {t: bool(_FOOTNOTE_RE.match(t)) for t in first_text.unique()}
    is_note = first_text.map(verdict).to_numpy(dtype=bool) & (count > 0)
    end = int(np.argmax(is_note)) if is_note.any() else n
    if len(named) > 1 and end:
        beyond_first = nonempty[:end].copy()
        beyond_first[:, : first_col + 1] = False
        multi = np.flatnonzero(beyond_first.any(axis=1))
        end = int(multi[-1]) + 1 if len(multi) else 0
    data = start + np.flatnonzero(count[:end] > 0)

    title_cells = [
        (r, [t for t in _row_texts(grid, r) if t]) for r in range(top) if any(_row_texts(grid, r))
    ]
    title = [" ".join(texts) for _, texts in title_cells]
    footnotes = [
        " ".join(t for t in _row_texts(grid, start + r) if t) for r in range(end, n) if count[r] > 0
    ]
    _check_repeated_header(grid, child, data, names, file)
    return _Layout(header_rows, names, data, title, footnotes, title_cells)


def _check_repeated_header(
    grid: _Grid, child: int, data: np.ndarray, names: list[str], file: str
) -> None:
    header = _row_texts(grid, child)
    filled = [j for j, t in enumerate(header) if t]
    if len(filled) < 2 or not len(data):
        return
    same = np.zeros(len(data), dtype=int)
    for j in filled:
        same += grid.equals(data, j, header[j])
    repeated = np.flatnonzero(same >= max(2, (len(filled) + 1) // 2))
    if len(repeated):
        row = int(grid.rows[data[repeated[0]]])
        raise InputFileError(
            "The header row repeats inside the table: the sheet seems to hold more than one table",
            file=file,
            row=row,
            hint="put each table in its own file or sheet, or delete the repeated header rows",
        )


def _fill_merged_body(grid: _Grid, layout: _Layout) -> pd.DataFrame:
    """The body rows, with merged cells filled by their first cell's value."""
    data = layout.data
    if not grid.merges or not len(data):
        if len(data) and int(data[-1]) - int(data[0]) + 1 == len(data):
            return grid.cells.iloc[int(data[0]) : int(data[-1]) + 1]  # a slice: no copy
        return grid.cells.iloc[data]
    body = grid.cells.iloc[data].copy()
    position = {int(r): i for i, r in enumerate(layout.data)}
    start = layout.header_rows[-1] + 1
    for r0, c0, r1, c1 in grid.merges:
        if r0 < start or r0 not in position:
            continue
        value = grid.cells.iat[r0, c0]
        for r in range(r0, r1 + 1):
            if r in position:
                for c in range(c0, c1 + 1):
                    if c < body.shape[1]:
                        body.iat[position[r], c] = value
    return body


# --------------------------------------------------------------------------- columns


def _match_columns(headers: Sequence[str], index: _AliasIndex) -> tuple[list[str], dict[str, str]]:
    """Output names for ``headers`` and output name -> header text."""
    claims: dict[str, tuple[int, int]] = {}  # canonical -> (priority, position)
    for pos, text in enumerate(headers):
        hit = index.get(text) if text else None
        if hit:
            canonical, priority = hit
            if canonical not in claims or priority < claims[canonical][0]:
                claims[canonical] = (priority, pos)
    winners = {pos: canonical for canonical, (_, pos) in claims.items()}
    out: list[str] = []
    used: set[str] = set()
    for pos, text in enumerate(headers):
        name = winners.get(pos) or text or f"unnamed_{pos + 1}"
        base, k = name, 2
        while name in used:
            name, k = f"{base}_{k}", k + 1
        used.add(name)
        out.append(name)
    return out, dict(zip(out, headers, strict=True))


def _status_name(column: str) -> str:
    return "status" if column == "value" else f"{column}_status"


def _code_or_none(name: Any) -> str | None:
    """The code a name resolves to, or None (a name beside a code need not be one we know)."""
    if name is None or (not isinstance(name, str) and pd.isna(name)) or not str(name).strip():
        return None
    try:
        return reference.resolve_municipality(str(name))
    except UnknownMunicipalityError:
        return None


def _resolve_codes(values: pd.Series, rows: np.ndarray, *, file: str, column: str) -> pd.Series:
    text = values.astype(object).where(values.notna(), None).reset_index(drop=True)
    uniques = [u for u in pd.unique(text) if u is not None]
    national_keys = {column_key(n) for n in NATIONAL_NAMES}
    national_values = [u for u in uniques if column_key(u) in national_keys]
    national = text.isin(national_values).to_numpy(dtype=bool)
    rest = text.mask(national, None)
    try:
        resolved = reference.resolve_municipality(rest, file=file, column=column)
    except UnknownMunicipalityError as err:
        hits = np.flatnonzero((rest == err.value).to_numpy(dtype=bool))
        row = int(rows[hits[0]]) if len(hits) else None
        hint = (err.hint or "").rstrip(".")
        if column_key(column) in _GENERIC_ALIASES:
            hint += (
                f"; if column {column!r} is not about municipalities, pass "
                f"aliases={{'<your name>': [{column!r}]}} to read it as something else"
            )
        else:
            hint += (
                "; rows that are not municipalities (e.g. county totals) can be kept with "
                "resolve_codes=False and filtered afterwards"
            )
        raise UnknownMunicipalityError(
            err.message, file=file, row=row, column=column, value=err.value, hint=hint
        ) from None
    resolved = resolved.mask(pd.Series(national, index=resolved.index), reference.NATIONAL_CODE)
    return resolved.astype("str")


def _resolve_county_codes(
    values: pd.Series, rows: np.ndarray, *, file: str, column: str
) -> pd.Series:
    known = set(reference.counties()["county_code"])
    codes, uniques = pd.factorize(values.astype(object).reset_index(drop=True))
    resolved: list[str | None] = []
    for i, value in enumerate(uniques):
        text = str(value).strip()
        if not text:
            resolved.append(None)
            continue
        match = re.fullmatch(r"([0-9]{1,2})(?:\.0+)?", text)
        code = match.group(1).zfill(2) if match else None
        if code not in known:
            position = int(np.flatnonzero(codes == i)[0])
            raise UnknownMunicipalityError(
                f"{text!r} is not a county code",
                file=file,
                row=int(rows[position]),
                column=column,
                value=value,
                hint="use the 2-digit county code of SCB, e.g. 01 for Stockholms län, 18 for "
                "Örebro län",
            )
        resolved.append(code)
    table = np.array(resolved + [None], dtype=object)
    return pd.Series(table[codes], dtype="str")


def _finish(
    columns: list[pd.Series],
    headers: list[str],
    rows: np.ndarray,
    *,
    file: str,
    index: _AliasIndex,
    required: list[str],
    numeric: list[str],
    auto_numeric: bool,
    resolve_codes: bool,
    header_row: int | None,
    counts: list[str] = (),
    free_text: list[str] = (),
    stripped: bool = False,
    texts_clean: bool = False,
) -> tuple[pd.DataFrame, dict[str, str]]:
    names, original = _match_columns(headers, index)
    data = dict(zip(names, columns, strict=True))
    # Drop columns that have neither a header nor any value.
    for name in list(names):
        if name.startswith("unnamed_") and not original[name]:
            values = data[name]
            empty = values.isna() | (values.astype("str").fillna("").str.strip() == "")
            if bool(empty.all()):
                names.remove(name)
                del data[name]

    def label(name: str) -> str:
        return original.get(name) or name

    # Privacy before anything else reads a cell (code resolution would quote it). One pass
    # over the distinct texts of the whole table first: most tables hold no number at all.
    # (A grid whose distinct texts were looked at already, ``texts_clean``, holds none.)
    texts = [
        data[n]
        for n in names
        if data[n].dtype == object or isinstance(data[n].dtype, pd.StringDtype)
    ]
    if texts and not texts_clean:
        distinct = pd.Series(pd.unique(pd.concat(texts, ignore_index=True).dropna().astype("str")))
        if distinct.str.contains(PERSONAL_NUMBER_SHAPE, regex=True).any():
            for name in names:
                data[name] = _scan_text_column(
                    data[name], free=name in free_text, file=file, column=label(name), rows=rows
                )

    # Municipality codes.
    derived_before: str | None = None
    if resolve_codes and "municipality_code" in data:
        data["municipality_code"] = _resolve_codes(
            data["municipality_code"], rows, file=file, column=label("municipality_code")
        )
        if "municipality" in data:
            # A name beside a code must name the same municipality (code 1880 is not
            # "Kumla"); a record without a code but with a name (e.g. "Riket") gets its code.
            codes = data["municipality_code"].reset_index(drop=True)
            spelled = data["municipality"].reset_index(drop=True)
            gap = codes.isna().to_numpy()
            named = _resolve_codes(
                spelled.where(gap, None), rows, file=file, column=label("municipality")
            )
            known = {name: _code_or_none(name) for name in pd.unique(spelled[~gap])}
            named = named.where(gap, spelled.map(known))
            clash = (codes.notna() & named.notna() & (codes != named)).to_numpy(dtype=bool)
            if clash.any():
                i = int(np.flatnonzero(clash)[0])
                raise UnknownMunicipalityError(
                    f"Code {codes.iloc[i]} and name {data['municipality'].iloc[i]!r} are two "
                    f"different municipalities ({named.iloc[i]} is "
                    f"{data['municipality'].iloc[i]!r})",
                    file=file,
                    row=int(rows[i]),
                    column=label("municipality"),
                    value=data["municipality"].iloc[i],
                    hint="correct the code or the name so that they agree",
                )
            data["municipality_code"] = codes.fillna(named).set_axis(
                data["municipality_code"].index
            )
    elif resolve_codes and "municipality" in data:
        data["municipality_code"] = _resolve_codes(
            data["municipality"], rows, file=file, column=label("municipality")
        )
        derived_before = "municipality"
    if resolve_codes and "county_code" in data:
        data["county_code"] = _resolve_county_codes(
            data["county_code"], rows, file=file, column=label("county_code")
        )

    # Required columns.
    missing = [c for c in required if c not in data]
    if missing:
        shown = [label(n) for n in names]
        accepted = "; ".join(
            f"{c}: " + ", ".join(repr(a) for a in index.accepted.get(c, [c])) for c in missing
        )
        raise InputFileError(
            f"Column {', '.join(missing)} not found; the header has "
            + ", ".join(repr(s) for s in shown),
            file=file,
            row=header_row,
            hint=f"name the column as one of these ({accepted}), or pass "
            f"aliases={{{missing[0]!r}: ['<header in your file>']}}",
        )

    # Numeric columns: the ones asked for, then (optionally) detected ones.
    wanted: list[str] = []
    for request in numeric:
        name = _find_column(request, names, original, index)
        if name is None:
            raise InputFileError(
                f"Numeric column {request!r} not found; the header has "
                + ", ".join(repr(label(n)) for n in names),
                file=file,
                row=header_row,
                hint="check the spelling, or pass aliases= so the header maps to this name",
            )
        if name not in wanted:
            wanted.append(name)
    parsed: dict[str, tuple[pd.Series, pd.Series]] = {}
    whole = {_find_column(request, names, original, index) for request in counts}
    for name in wanted:
        domain = {"integer": True, "minimum": 0} if name in whole else {}
        parsed[name] = parse_numbers(data[name], file=file, column=label(name), rows=rows, **domain)
    if auto_numeric:
        for name in names:
            if name in parsed or name in KEY_COLUMNS:
                continue
            values = data[name]
            floats, status, bad = _classify(values)
            if not bad.any() and (status == "").any():
                parsed[name] = (
                    pd.Series(floats, index=values.index, dtype="float64"),
                    pd.Series(status, index=values.index, dtype="str"),
                )

    for name in parsed:
        if _status_name(name) in names:
            raise InputFileError(
                f"The file already has a column {_status_name(name)!r}, the name the reader "
                f"gives the status of numeric column {label(name)!r}",
                file=file,
                row=header_row,
                hint=f"rename the column {label(_status_name(name))!r} in the file",
            )

    resolved = {"municipality_code", "county_code"} if resolve_codes else set()
    out: dict[str, pd.Series] = {}
    for name in names:
        if name == derived_before:
            out["municipality_code"] = data["municipality_code"]
        if name in parsed:
            out[name], out[_status_name(name)] = parsed[name]
        elif name in resolved:
            out[name] = data[name]
        else:
            out[name] = _text_column(data[name], stripped=stripped)
    frame = pd.DataFrame({k: v.reset_index(drop=True) for k, v in out.items()})
    frame["source_row"] = np.asarray(rows, dtype=np.int64)
    mapping = {k: original.get(k, "") for k in frame.columns if k in original}
    return frame, mapping


def _text_column(values: pd.Series, *, stripped: bool = False) -> pd.Series:
    """Text cells stripped, empty ones NaN (``stripped``: the cells come from a grid, whose
    text cells are stripped already)."""
    if stripped and values.dtype == _STR:
        return values.where(values != "", np.nan)
    if isinstance(values.dtype, pd.StringDtype) or values.dtype == object:
        text = values.astype("str").str.strip()
        return text.where(text != "", np.nan)
    return values


def _find_column(
    request: str, names: list[str], original: dict[str, str], index: _AliasIndex
) -> str | None:
    if request in names:
        return request
    key = column_key(request)
    hit = index.get(request)
    for name in names:
        if column_key(name) == key or column_key(original.get(name, "")) == key:
            return name
        if hit and name == hit[0]:
            return name
    return None


# --------------------------------------------------------------------------- parquet / gpkg


def _read_columnar(path: Path, file: str, kind: str, sheet: str | int):
    try:
        if kind == "geopackage":
            import geopandas as gpd
            import pyogrio

            layers = [str(name) for name in pyogrio.list_layers(path)[:, 0]]
            layer = sheet
            if isinstance(sheet, str) and sheet not in layers:
                raise InputFileError(
                    f"The GeoPackage has no layer {sheet!r}",
                    file=file,
                    hint="pass sheet= one of " + ", ".join(repr(n) for n in layers),
                )
            if isinstance(sheet, int) and not -len(layers) <= sheet < len(layers):
                raise InputFileError(
                    f"The GeoPackage has no layer number {sheet}",
                    file=file,
                    hint="pass sheet= one of " + ", ".join(repr(n) for n in layers),
                )
            name = layers[sheet] if isinstance(sheet, int) else sheet
            return gpd.read_file(path, layer=layer), name
        import pyarrow.parquet as pq

        metadata = pq.read_schema(path).metadata or {}
        if b"geo" in metadata:
            import geopandas as gpd

            return gpd.read_parquet(path), None
        return pd.read_parquet(path), None
    except EhalsaError:
        raise
    except Exception as err:  # noqa: BLE001 - any reader failure is an unreadable file
        raise InputFileError(
            f"Cannot read the file: {type(err).__name__}: {err}",
            file=file,
            hint="check that the file is complete and really in the format its suffix says",
        ) from None


# --------------------------------------------------------------------------- the reader


def read_table(
    path: str | os.PathLike,
    *,
    required: str | Iterable[str] = (),
    numeric: str | Iterable[str] = (),
    counts: str | Iterable[str] = (),
    auto_numeric: bool = False,
    aliases: Mapping[str, str | Iterable[str]] | None = None,
    sheet: str | int = 0,
    header_row: int | None = None,
    resolve_codes: bool = True,
    encoding: str | None = None,
    sep: str | None = None,
    free_text: str | Iterable[str] = (),
) -> pd.DataFrame:
    """Read a Swedish data file into a DataFrame with canonical columns.

    Parameters
    ----------
    path : str or PathLike
        A .csv/.txt/.tsv, .xlsx/.xlsm/.xls/.ods, .parquet/.geoparquet or .gpkg file.
    required : str or list of str, optional
        Canonical names that must be present ("municipality_code" is satisfied by a municipality
        name column). A missing one is an error listing the header and the accepted aliases.
    numeric : str or list of str, optional
        Columns to read as numbers, by canonical name or header text (matched like aliases).
        Every cell must be a number or a missing/suppressed marker
        (:func:`ehalsa_analys.load.numbers.parse_numbers`); anything else is an error naming
        file, row, column and value.
    counts : str or list of str, optional
        Those of ``numeric`` that hold counts: whole numbers >= 0 ("1,234" is an error, not
        1.234).
    free_text : str or list of str, optional
        Free-text columns (comments, event texts): a personal identity number inside their
        text is masked ("ÅÅMMDD-XXXX"); inside any other text cell it refuses the file.
    auto_numeric : bool, default False
        Also read as numbers every other non-key column whose cells are all numbers or markers
        (with at least one number). Never an error.
    aliases : mapping of str to str or list of str, optional
        Extra ``canonical name -> header texts`` for the caller's own columns; tried before
        :data:`ALIASES`, so a caller can claim a header (``aliases={"kpi_id": ["Kod"]}`` keeps
        "Kod" from meaning municipality_code).
    sheet : str or int, default 0
        Spreadsheet sheet (name or 0-based index) or GeoPackage layer; ignored for text and
        Parquet files.
    header_row : int, optional
        The (last) header row, 1-based as seen in the file, when detection picks the wrong one.
    resolve_codes : bool, default True
        Resolve municipality codes/names to 4-character codes and county codes to 2 characters.
        With False, code columns are kept as stripped text.
    encoding, sep : str, optional
        Text files only: the encoding and separator, when detection is not wanted.

    Returns
    -------
    pandas.DataFrame or geopandas.GeoDataFrame
        A fresh RangeIndex and, in the file's column order: text columns as pandas ``str``
        (stripped; empty cells NaN; markers such as ".." kept as written); ``municipality_code``
        as 4-character strings (:func:`ehalsa_analys.reference.resolve_municipality`), from a code
        column or else a name column (placed before it), with :data:`NATIONAL_NAMES` as "0000";
        ``county_code`` as 2 characters; each numeric column as float64 followed by its status
        ``<column>_status`` ("missing", "suppressed", or "" when present; ``status`` for a column
        named ``value``); ``source_row`` (int64) last, the row as a person sees the file (1-based,
        title rows counted; the record number for Parquet/GeoPackage). Geodata keep geometry and
        CRS. ``attrs`` holds ``file``, ``format``, ``sheet`` (None for text), ``header_row`` (the
        last header row), ``header_rows``, ``title`` (one string per title row), ``title_cells``
        (``(row, [cell texts])`` per non-empty title row, for labelled cells such as "Kommun:" |
        "Askersund"), ``footnotes``, ``columns`` (output name -> header text), ``encoding`` and
        ``separator``.

    Raises
    ------
    InputFileError
        Unsupported suffix, unreadable or undecodable file, missing columns, a cell that is not a
        number in a numeric column, a repeated header.
    PersonalDataError
        A column, header, title row or footnote holds Swedish personal identity numbers
        (:func:`ehalsa_analys.load.personal.holds_personal_numbers`); checked before anything else
        is done with the values.
    UnknownMunicipalityError
        A municipality or county code/name that does not resolve.

    Notes
    -----
    **Reading.** Spreadsheets (python-calamine) give their stored values: a number cell formatted
    "45 %" holds 0.45, the text "45 %" reads as 45. A formula cell gives the value Excel stored
    with it; an xlsx whose sheet has formula cells without a stored value (written by a program,
    never saved in Excel) is an error naming the cells. A text file is UTF-8 with BOM, UTF-16 with
    BOM (Excel's "Unicode text"), else UTF-8, else Windows-1252; anything else is an error naming
    the byte offset. Its separator is the one of ``;``, tab and ``,`` whose split of the first 200
    lines finds the most known column names, then the most consistent table (lines × fields), then
    in that order; quoted fields work. Cells are read as text first, so codes keep their leading
    zeros.

    **Header.** Among the first 100 rows, the first that matches the most distinct canonical names
    (each cell keyed by :func:`column_key`), else the first with the most non-empty cells; rows
    above it are title rows. The row above is a parent row when it has text right of the header's
    first column (a title row has text in its first cell only, or one cell merged across the sheet);
    the row below is a child row when the found row has an empty (or merged) cell between named
    ones, the row below has text in every such gap, and none of its cells is a number or marker. A
    parent covers the columns it is merged across, else the empty cells to its right up to the next
    parent. Such a column is named "parent child" when that matches an alias ("Kommun" over "Kod" ->
    municipality_code), else the child when it matches one, the parent when the child is empty,
    "parent child" when the child text repeats in its row ("Hemtjänst Antal"), else the child.

    **End of the table.** At the first row whose first non-empty cell starts like a footnote
    (:data:`FOOTNOTE_PATTERN`: "Källa", "Anm.", "Not:", "*", "1)", a superscript digit, a legend
    such as "x = färre än 5", …) or after the last row with text beyond its first cell, whichever
    comes first (only the pattern for a one-column table). A last record with a value in its first
    column only is therefore taken as a footnote; exports write ".." for missing values, which
    avoids this. Blank rows inside are skipped; the header repeated inside the table is an error.

    **Columns.** A header whose key matches an alias gets the canonical name. When two columns match
    one name, the one whose alias comes first wins and the other keeps its header text. Other
    columns keep their header text (whitespace collapsed); duplicates get "_2", "_3"; a column with
    data but no header is "unnamed_<n>" (n its 1-based position).

    Example
    -------
    A cp1252, ``;``-separated export with two title rows, codes without their leading zero, decimal
    commas, ``x`` and ``..``, and footnotes:

    >>> df = read_table("tests/fixtures/reader/semicolon_cp1252_titles_footnotes.csv",
    ...                 required=["municipality_code"], numeric=["Brukare, antal"])
    >>> df.loc[0, ["municipality_code", "municipality"]].tolist(), int(df.loc[0, "source_row"])
    (['0180', 'Stockholm'], 5)
    >>> df["Brukare, antal"].tolist()[:2], df["Brukare, antal_status"].tolist()
    ([1234.0, nan], ['', 'suppressed', 'missing', ''])
    >>> df.attrs["header_row"], df.attrs["encoding"], df.attrs["separator"]
    (4, 'cp1252', ';')
    """
    path = Path(path)
    # A file named for a person ("brukare_19121212-1212.csv") would reach the manifest.
    check_text(path.name, what="file name", file=path.parent)
    file = str(path)
    suffix = path.suffix.lower()
    kind = SUPPORTED_SUFFIXES.get(suffix)
    if kind is None:
        raise InputFileError(
            f"Files ending in {suffix or '(no suffix)'!r} are not supported",
            file=file,
            value=suffix,
            hint="use one of " + ", ".join(SUPPORTED_SUFFIXES),
        )
    if not path.is_file():
        raise InputFileError(
            "The file does not exist" if not path.exists() else "The path is not a file",
            file=file,
            hint="check the path (relative paths start from the current directory)",
        )
    index = _AliasIndex.build(aliases)
    required_list = _as_list(required)
    numeric_list = _as_list(numeric)
    options = dict(
        file=file,
        index=index,
        required=required_list,
        numeric=numeric_list + [c for c in _as_list(counts) if c not in numeric_list],
        counts=_as_list(counts),
        free_text=_as_list(free_text),
        auto_numeric=auto_numeric,
        resolve_codes=resolve_codes,
    )

    if kind in ("parquet", "geopackage"):
        table, layer = _read_columnar(path, file, kind, sheet)
        return _finish_columnar(table, layer, kind, options)

    if kind == "text":
        grid = _read_text(path, file, encoding=encoding, sep=sep, index=index)
    else:
        grid = _read_spreadsheet(path, file, sheet=sheet)
    if grid.cells.empty:
        raise InputFileError("The file holds no table: it is empty", file=file)

    # Privacy first: scan every column before anything is done with the values (the column rule
    # only when some cell of the sheet looks like a number: one look at its distinct texts).
    shaped, inside = _number_shapes(grid)
    if shaped:
        check_personal_numbers(
            grid.cells,
            file=file,
            labels=lambda j: _personal_label(grid, j, index, header_row),
            rows=grid.rows,
        )

    layout = _layout(grid, index, header_row, file)
    _check_layout_texts(grid, layout, file)
    body = _fill_merged_body(grid, layout)
    headers = layout.names
    header_at = int(grid.rows[layout.header_rows[-1]])
    frame, mapping = _finish(
        [body[j] for j in range(len(headers))],
        headers,
        grid.rows[layout.data],
        header_row=header_at,
        stripped=True,
        texts_clean=not inside,
        **options,
    )
    frame.attrs = {
        "file": file,
        "format": kind,
        "sheet": grid.sheet,
        "header_row": header_at,
        "header_rows": [int(grid.rows[r]) for r in layout.header_rows],
        "title": layout.title,
        "title_cells": [(int(grid.rows[r]), texts) for r, texts in layout.title_cells],
        "footnotes": layout.footnotes,
        "columns": mapping,
        "encoding": grid.encoding,
        "separator": grid.separator,
    }
    return frame


def _scan_text_column(
    values: pd.Series, *, free: bool, file: str, column: str, rows: np.ndarray
) -> pd.Series:
    """Personal numbers inside a text column: masked when it is free text, refused otherwise.

    A cell that is nothing but a number is left to the column rule of
    :mod:`ehalsa_analys.load.personal` (so a column of order numbers passes);
    a number with other text around it ("Ring 121212-1212") is found here.
    """
    if not (values.dtype == object or isinstance(values.dtype, pd.StringDtype)):
        return values
    text = values.astype(object).where(values.notna(), "").astype("str")
    codes, uniques = pd.factorize(text)  # names and ids repeat: look at each text once
    unique = pd.Series(uniques, dtype="str")
    hits = unique.str.contains(PERSONAL_NUMBER_SHAPE, regex=True).to_numpy(dtype=bool, copy=True)
    if not hits.any():
        return values
    hits &= ~unique.str.strip().str.fullmatch(LOOKS_LIKE_PERSONAL_NUMBER).to_numpy(dtype=bool)
    verdict = np.zeros(len(unique), dtype=bool)
    verdict[hits] = [bool(find_personal_numbers(t)) for t in unique[hits]]
    found = verdict[codes]
    if not found.any():
        return values
    if free:
        return values.mask(pd.Series(found, index=values.index), text.map(mask_personal_numbers))
    first = int(np.flatnonzero(found)[0])
    check_text(
        text.iloc[first], what="cell", file=file, row=int(np.asarray(rows)[first]), column=column
    )
    return values  # not reached: check_text raises for a found number


def _number_shapes(grid: _Grid) -> tuple[bool, bool]:
    """Whether any cell of the grid is shaped like a personal number, and whether any holds
    that shape inside its text: one look at the grid's distinct texts (names, codes and
    answers repeat), so the column rule and the text scan run only when they can find one."""
    distinct = grid.distinct()
    shaped = distinct.str.strip().str.fullmatch(LOOKS_LIKE_PERSONAL_NUMBER).any()
    inside = distinct.str.contains(PERSONAL_NUMBER_SHAPE, regex=True).any()
    return bool(shaped), bool(inside)


def _check_layout_texts(grid: _Grid, layout: _Layout, file: str) -> None:
    """Headers, title rows and footnotes are single texts: one personal number refuses them."""
    for r in layout.header_rows:
        for j, text in enumerate(_row_texts(grid, r)):
            label = grid.column_label(j).removeprefix("column ")
            check_text(text, what="column name", file=file, row=int(grid.rows[r]), column=label)
    for r, texts in layout.title_cells:
        for text in texts:
            check_text(text, what="title row", file=file, row=int(grid.rows[r]))
    for text in layout.footnotes:
        check_text(text, what="footnote", file=file)


def _personal_label(grid: _Grid, j: int, index: _AliasIndex, header_row: int | None) -> str:
    """How to name column ``j`` in a PersonalDataError: its header text, else its position.

    The header is the cell in the header row (found from the header texts only),
    else the nearest text above the column's first number-shaped cell.
    """
    shaped, _ = personal_number_mask(grid.cells[j])
    column = grid.cells[j].to_numpy(dtype=object)
    try:
        h = _find_header(grid, index, header_row, "")
    except EhalsaError:
        h = -1
    if h >= 0 and column[h] and not shaped[h]:
        return str(column[h])
    first = int(np.flatnonzero(shaped)[0])
    for r in range(first - 1, -1, -1):
        if column[r] and not shaped[r]:
            return str(column[r])
    return grid.column_label(j)


def _finish_columnar(table: pd.DataFrame, layer: str | None, kind: str, options: dict):
    file = options["file"]
    geometry = getattr(table, "_geometry_column_name", None) if hasattr(table, "crs") else None
    crs = table.crs if geometry else None
    headers = [str(c) for c in table.columns if c != geometry]
    columns = [table[c].reset_index(drop=True) for c in table.columns if c != geometry]
    text_like = {
        h: c.astype(object) if isinstance(c.dtype, pd.CategoricalDtype) else c
        for h, c in zip(headers, columns, strict=True)
        if c.dtype == object
        or isinstance(c.dtype, pd.StringDtype | pd.CategoricalDtype)
        or pd.api.types.is_integer_dtype(c.dtype)
    }
    check_personal_numbers(text_like, file=file)
    rows = np.arange(1, len(table) + 1, dtype=np.int64)
    frame, mapping = _finish(columns, headers, rows, header_row=None, **options)
    if geometry:
        import geopandas as gpd

        frame.insert(len(frame.columns) - 1, geometry, table[geometry].reset_index(drop=True))
        frame = gpd.GeoDataFrame(frame, geometry=geometry, crs=crs)
    frame.attrs = {
        "file": file,
        "format": kind,
        "sheet": layer,
        "header_row": None,
        "header_rows": [],
        "title": [],
        "title_cells": [],
        "footnotes": [],
        "columns": mapping,
        "encoding": None,
        "separator": None,
    }
    return frame


# --------------------------------------------------------------------------- after reading


def where(table: pd.DataFrame, name: str, position: int | None = None) -> dict:
    """``file``, ``row`` and ``column`` of a cell of a table from :func:`read_table`.

    For the keyword arguments of an :class:`~ehalsa_analys.errors.EhalsaError`: the column as the
    file names it, the row as a person sees the file.

    Example
    -------
    >>> t = read_table("tests/fixtures/rural/services.csv", resolve_codes=False)
    >>> where(t, "Kapacitet", 1)
    {'file': 'tests/fixtures/rural/services.csv', 'row': 3, 'column': 'Kapacitet'}
    """
    rows = table["source_row"].to_numpy() if "source_row" in table else None
    return {
        "file": table.attrs.get("file"),
        "row": None if rows is None or position is None else int(rows[position]),
        "column": table.attrs.get("columns", {}).get(name, name),
    }


#: File types a folder of table exports is read for (no GeoPackage or Parquet layers).
TABLE_SUFFIXES = tuple(k for k, v in SUPPORTED_SUFFIXES.items() if v in ("text", "spreadsheet"))


def data_files(
    path: str | os.PathLike,
    *,
    what: str,
    skip: Iterable[str] = (),
    recursive: bool = False,
    suffixes: Iterable[str] = TABLE_SUFFIXES,
    hint: str,
) -> list[Path]:
    """The data files a loader reads: ``path`` itself, or those in the folder, sorted by path.

    Hidden files, Excel's lock files ("~$…") and files whose stem is one of
    ``skip`` (compared by :func:`column_key`, e.g. "readme", "metrics") are
    left out. A missing path, or a folder with no such file, is an
    InputFileError saying ``what`` was looked for, with ``hint``.

    Example
    -------
    >>> [p.name for p in data_files("tests/fixtures/monitoring", what="monitoring files",
    ...                             skip=["events"], hint="put the exports in the folder")]
    ['long.csv']
    """
    path = Path(path)
    if path.is_file():
        return [path]
    if not path.is_dir():
        raise InputFileError("No such file or folder", file=str(path), hint=hint)
    skipped = {column_key(s) for s in skip}
    allowed = {s.lower() for s in suffixes}
    files = sorted(
        p
        for p in (path.rglob("*") if recursive else path.iterdir())
        if p.is_file()
        and p.suffix.lower() in allowed
        and not p.name.startswith((".", "~$"))
        and column_key(p.stem) not in skipped
    )
    if not files:
        raise InputFileError(f"The folder holds no {what}", file=str(path), hint=hint)
    return files


def column_numbers(
    table: pd.DataFrame,
    name: str,
    *,
    integer: bool = False,
    minimum: float | None = None,
    maximum: float | None = None,
) -> np.ndarray:
    """An optional column of a read table as numbers: Swedish spellings, markers as NaN.

    The rules of ``read_table(numeric=...)`` for a column that need not be there: "6 398 000",
    "12,5" and "1 200" are numbers, ".." and "x" NaN; other text, or a number outside the domain
    (``integer``, ``minimum``, ``maximum``), is an InputFileError naming file, row and column.

    Example
    -------
    >>> t = read_table("tests/fixtures/rural/services.csv", resolve_codes=False)
    >>> column_numbers(t, "Kapacitet").tolist()
    [nan, 12.0, nan]
    """
    info = where(table, name)
    rows = table["source_row"].to_numpy() if "source_row" in table else None
    values, _ = parse_numbers(
        table[name],
        file=info["file"],
        column=info["column"],
        rows=rows,
        integer=integer,
        minimum=minimum,
        maximum=maximum,
    )
    return values.to_numpy(float)


def column_words(
    table: pd.DataFrame, name: str, words: Mapping, *, blank=None, message: str, hint: str
) -> np.ndarray:
    """An optional column of a read table as one of a few values, given their spellings.

    ``words`` maps each value to its spellings (lower case; "1.0" is read as "1"); an empty cell
    gives ``blank``. Other text is an InputFileError with ``message`` (formatted with ``value``)
    naming the file, row and column.

    Example
    -------
    >>> t = read_table("tests/fixtures/rural/population.csv")
    >>> column_words(t, "Tätort", {True: ("ja",), False: ("nej",)}, message="{value!r}?",
    ...              hint="ja/nej").tolist()
    [True, True, False, False]
    """
    raw = table[name]
    text = raw.astype("str").str.strip().str.lower().str.replace(r"\.0$", "", regex=True)
    empty = raw.isna().to_numpy() | text.isin(["", "nan", "none", "<na>"]).to_numpy()
    out = np.full(len(table), blank, dtype=object)
    known = empty.copy()
    for value, spellings in words.items():
        hit = text.isin(spellings).to_numpy()
        out[hit] = value
        known |= hit
    bad = np.flatnonzero(~known)
    if bad.size:
        value = raw.iloc[bad[0]]
        raise InputFileError(
            message.format(value=value) + f" ({bad.size} such rows)",
            **where(table, name, int(bad[0])),
            value=value,
            hint=hint,
        )
    return out
