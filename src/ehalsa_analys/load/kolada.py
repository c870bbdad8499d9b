"""Kolada (the municipal KPI database, API v3): saved responses and fetching.

This module is ``load.kolada``: ``load.kolada.read(path)`` reads saved pages
and ``load.kolada.fetch(kpis, ...)`` downloads them, as the two belong together.
:func:`read` reads saved v3 data responses — one JSON file, a list of
them, a folder of pages, or an already parsed dict — whose top level is
``{"values": [...], "count": n, "next_url": ..., "previous_url": ...}`` and
whose items are ``{"kpi", "municipality", "period", "values": [{"gender",
"value", "count", "status", "isdeleted"}]}`` (facts.md G, as read by
koladapy). It returns the tidy ``observations`` table for one gender (T,
total, by default), with Kolada's status kept and ``isdeleted`` rows left
out. Kolada's aggregates are kept apart from municipalities in an
``area_type`` column: "nation" for "0000", "county" for "0001"–"0025"
(regions), "group" for municipality groups ("G…"), "municipality" otherwise.
Values go through the same rules as every other source: municipality codes
through :func:`ehalsa_analys.reference.resolve_municipality` (an unknown code
is an error), numbers through :func:`~ehalsa_analys.load.numbers.check_domain`
(infinite refused; negative refused for a KPI whose unit is a count or a
share), texts scanned for personal identity numbers, and a value given twice
with different contents is an error naming both pages.

:func:`fetch` calls the live API (``/v3/data/kpi/{kpi}/municipality/{ids}/year/{years}``),
follows ``next_url`` until it is null, retries failed requests with
exponential backoff, and saves each raw page to ``cache_dir`` (default
data/raw/kolada — a download the user asked for, written atomically) so that
the analysis reruns offline with :func:`read`. The transport is a
parameter, so tests run on saved pages without the network.

Example
-------
>>> obs = read("tests/fixtures/kolada/page1.json")
>>> obs[["municipality_code", "period", "indicator_id", "value", "area_type"]].head(3)
  municipality_code  period indicator_id       value     area_type
0              0000    2024       N01951  10587710.0        nation
1              0018    2024       N01951    310112.0        county
2              1880    2024       N01951    160000.0  municipality
"""

from __future__ import annotations

import json
import os
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .. import reference
from .._atomic import write_bytes
from ..errors import EhalsaError, InputFileError, UnknownMunicipalityError
from ..paths import raw_dir
from ..privacy import check_text
from .numbers import check_domain, parse_numbers

__all__ = ["KoladaError", "read", "fetch", "BASE_URL"]

BASE_URL = "https://api.kolada.se/v3"


class KoladaError(EhalsaError):
    """The Kolada API could not be reached or answered with an error."""


def _pages(source: Any) -> list[tuple[str, dict]]:
    if isinstance(source, dict):
        return [("<dict>", source)]
    if isinstance(source, (list, tuple)):
        return [page for item in source for page in _pages(item)]
    path = Path(source)
    if path.is_dir():
        files = sorted(path.glob("*.json"))
        if not files:
            raise InputFileError(
                "The folder holds no Kolada pages (.json)",
                file=str(path),
                hint="save each API response as a .json file here, or run load.kolada.fetch",
            )
        return [page for p in files for page in _pages(p)]
    if not path.is_file():
        raise InputFileError(
            "No such file or folder",
            file=str(path),
            hint="give a saved Kolada page (.json) or a folder of them",
        )
    try:
        return [(str(path), json.loads(path.read_text(encoding="utf-8")))]
    except UnicodeDecodeError as err:
        raise InputFileError(
            f"Not a Kolada JSON response: not UTF-8 text (byte {err.start})",
            file=str(path),
            hint="save the API's response as it came (UTF-8 JSON, one page per file)",
        ) from None
    except json.JSONDecodeError as err:
        raise InputFileError(
            f"Not a Kolada JSON response: {err.msg}",
            file=str(path),
            row=err.lineno,
            hint="save the API's response as it came (one page per file)",
        ) from None


#: Kolada's aggregate ids: the nation and the 21 regions (ids "0001"–"0025").
_NATION = "0000"
_COUNTIES = {f"{n:04d}" for n in range(1, 26)}
#: Units (of the indicator catalogue) whose values are counts or shares: never negative.
_NON_NEGATIVE_UNITS = {"antal", "st", "stycken", "personer", "%", "procent", "andel", "‰"}
_KEY = ["indicator_id", "municipality_code", "period"]


def _area_type(code: str) -> str:
    if code == _NATION:
        return "nation"
    if code in _COUNTIES:
        return "county"
    if code.startswith("G"):
        return "group"
    return "municipality"


def _is_aggregate(code: str) -> bool:
    return code == _NATION or code in _COUNTIES or code.startswith("G")


def _catalogue_units() -> dict[str, str]:
    """Unit of each KPI the indicator catalogue maps to Kolada (``kolada_kpi``); {} without one."""
    from ._socialstyrelsen import indicator_catalogue

    try:
        catalogue = indicator_catalogue()
    except EhalsaError:
        return {}
    known = catalogue.dropna(subset=["kolada_kpi"])
    return {
        str(kpi).strip(): str(unit).strip()
        for kpi, unit in zip(known["kolada_kpi"], known["unit"], strict=True)
        if str(kpi).strip()
    }


def _describe(item: tuple) -> str:
    return f"Kolada item {item[0]} (KPI {item[1]}, municipality {item[2]}, period {item[3]})"


def _resolve_codes(raw: list[str], items: list[tuple], file: str) -> list[str]:
    """Aggregate and group ids as they are; every other id through the shared resolution."""
    out = []
    for code, item in zip(raw, items, strict=True):
        if _is_aggregate(code):
            out.append(code)
            continue
        try:
            resolved = reference.resolve_municipality(code, file=file, column="municipality")
        except UnknownMunicipalityError as err:
            raise UnknownMunicipalityError(
                f"{err.message}, in {_describe(item)}",
                file=file,
                column="municipality",
                value=code,
                hint=f"{err.hint}; Kolada's aggregates are 0000 (the nation), 0001–0025 (the "
                "regions) and G… (municipality groups)"
                if err.hint
                else "give Kolada's 4-digit municipality id, or 0000, 0001–0025 or a G… group",
            ) from None
        out.append(resolved)
    return out


def _check_values(
    raw: list[Any], items: list[tuple], units: dict[str, str], file: str
) -> np.ndarray:
    """The values as floats, through the shared number and domain rules."""
    cells = pd.Series(raw, dtype=object)
    numbered = np.arange(1, len(raw) + 1)
    try:
        floats, _status = parse_numbers(cells, file=file, column="value", rows=numbered)
        floats = floats.to_numpy(dtype=float)
        minimum = np.array(
            [
                0.0 if units.get(item[1], "").lower() in _NON_NEGATIVE_UNITS else np.nan
                for item in items
            ]
        )
        check_domain(cells, floats, minimum=minimum, file=file, column="value", rows=numbered)
    except InputFileError as err:
        item = items[err.row - 1] if err.row else None
        unit = units.get(item[1], "") if item else ""
        raise InputFileError(
            err.message
            + (f" in {_describe(item)}" if item else "")
            + (f" (the KPI's unit is {unit!r})" if unit and "below" in err.message else ""),
            file=file,
            column="value",
            value=err.value,
            hint=err.hint,
        ) from None
    return floats


def _contents(row: pd.Series) -> str:
    def show(x: Any) -> str:
        return "missing" if x is None or pd.isna(x) else f"{float(x):g}"

    status = f", status {row['kolada_status']!r}" if row["kolada_status"] else ""
    return f"value {show(row['value'])} (count {show(row['count'])}{status})"


def _collapse_duplicates(out: pd.DataFrame) -> pd.DataFrame:
    """Identical repeats of a value collapse; repeats that differ are an error naming both pages."""
    repeated = out.duplicated(_KEY, keep=False)
    if not repeated.any():
        return out
    compared = ["value", "kolada_status", "count"]
    for _key, group in out[repeated].groupby(_KEY, sort=False):
        first = group.iloc[0]
        for _, other in group.iloc[1:].iterrows():
            same = all(
                (pd.isna(first[c]) and pd.isna(other[c])) or first[c] == other[c] for c in compared
            )
            if not same:
                raise InputFileError(
                    f"KPI {first['indicator_id']}, municipality {first['municipality_code']}, "
                    f"period {first['period']} is given twice with different contents: "
                    f"{_contents(first)} in {first['file']}, {_contents(other)} in "
                    f"{other['file']}",
                    file=str(other["file"]),
                    column="value",
                    hint="the pages come from different downloads: keep only the latest "
                    "download's pages (run load.kolada.fetch again into an empty folder)",
                )
    return out.drop_duplicates(_KEY, keep="first")


def read(source: Any, *, gender: str = "T", units: dict[str, str] | None = None) -> pd.DataFrame:
    """Read saved Kolada v3 data responses into observations.

    Parameters
    ----------
    source : path, folder, list of paths, or dict
        One or several saved pages (a paged response saved page by page).
    gender : {"T", "K", "M"}, default "T"
        Total, women or men.
    units : dict, optional
        Unit of each KPI id ("antal", "%", ...): a KPI whose unit is a count or a share may not
        be negative. Default: the units of the indicator catalogue's ``kolada_kpi`` column; a KPI
        without a unit is only checked to be finite.

    Returns
    -------
    DataFrame
        municipality_code, period, source ("kolada"), indicator_id (the KPI
        id), value, unit (""), status ("" or "missing"; Kolada's own status
        text in ``kolada_status``), count, area_type, file.

    Raises
    ------
    InputFileError
        A page that is not a v3 data response; a value that is not a number, is infinite, or is
        negative for a count or a share; one KPI, municipality and period given twice with
        different contents (naming both pages).
    UnknownMunicipalityError
        A municipality id that is neither a municipality nor one of Kolada's aggregates.
    PersonalDataError
        A text of a page (KPI id, title, status) holds a personal identity number.

    Example
    -------
    >>> obs = read(["tests/fixtures/kolada/page1.json", "tests/fixtures/kolada/page2.json"])
    >>> obs.groupby("area_type").size().to_dict()
    {'county': 1, 'municipality': 3, 'nation': 1}
    """
    if gender not in ("T", "K", "M"):
        raise ValueError(
            f"The value for `gender` must be one of ['T', 'K', 'M'], but {gender!r} was passed."
        )
    if units is None:
        units = _catalogue_units()
    rows = []
    for file, page in _pages(source):
        if not isinstance(page, dict) or not isinstance(page.get("values"), list):
            raise InputFileError(
                "Not a Kolada data response (no 'values' list at the top level)",
                file=file,
                hint="save the response of /v3/data/... as it came",
            )
        items, codes, values, kept = [], [], [], []
        for i, item in enumerate(page["values"]):
            if not isinstance(item, dict):
                raise InputFileError(
                    f"Kolada item {i} is not an object",
                    file=file,
                    hint="this does not look like a v3 data response",
                )
            for field in ("kpi", "municipality", "period", "values"):
                if field not in item:
                    raise InputFileError(
                        f"Kolada item {i} lacks the field {field!r}",
                        file=file,
                        column=field,
                        hint="this does not look like a v3 data response",
                    )
            for field in ("kpi", "municipality", "title"):
                if isinstance(item.get(field), str):
                    check_text(item[field], what=f"Kolada {field}", file=file, column=field)
            try:
                period = int(item["period"])
            except (TypeError, ValueError):
                raise InputFileError(
                    f"Kolada item {i} has the period {item['period']!r}, not a year",
                    file=file,
                    column="period",
                    value=item["period"],
                    hint="this does not look like a v3 data response",
                ) from None
            code = str(item["municipality"]).strip()
            code = code.zfill(4) if code.isdigit() else code
            for v in item["values"]:
                if isinstance(v.get("status"), str):
                    check_text(v["status"], what="Kolada status", file=file, column="status")
                if v.get("gender", "T") != gender or v.get("isdeleted"):
                    continue
                items.append((i, str(item["kpi"]), code, period))
                codes.append(code)
                values.append(v.get("value"))
                kept.append((v.get("status") or "", v.get("count")))
        resolved = _resolve_codes(codes, items, file)
        floats = _check_values(values, items, units, file)
        for item, code, value, (status, count) in zip(items, resolved, floats, kept, strict=True):
            rows.append((code, item[3], item[1], float(value), status, count, file))
    out = pd.DataFrame(
        rows,
        columns=[
            "municipality_code",
            "period",
            "indicator_id",
            "value",
            "kolada_status",
            "count",
            "file",
        ],
    )
    out["source"] = "kolada"
    out["unit"] = ""
    out["status"] = np.where(out["value"].isna(), "missing", "")
    out["area_type"] = out["municipality_code"].map(_area_type)
    out = _collapse_duplicates(out)
    columns = [
        "municipality_code",
        "period",
        "source",
        "indicator_id",
        "value",
        "unit",
        "status",
        "kolada_status",
        "count",
        "area_type",
        "file",
    ]
    return (
        out[columns]
        .sort_values(["indicator_id", "period", "municipality_code"], kind="stable")
        .reset_index(drop=True)
    )


def _get(url: str, timeout: float) -> bytes:  # pragma: no cover - the network is not used in tests
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.read()


def fetch(
    kpis: str | Iterable[str],
    municipalities: str | Iterable[str] | None = None,
    years: int | Iterable[int] | None = None,
    *,
    cache_dir: str | os.PathLike | None = None,
    transport: Callable[[str, float], bytes] = _get,
    retries: int = 3,
    backoff: float = 1.0,
    timeout: float = 30.0,
    sleep: Callable[[float], None] = time.sleep,
) -> list[Path]:
    """Fetch KPI data from Kolada's v3 API, page by page, saving each raw page.

    Parameters
    ----------
    kpis : str or list of str
        KPI ids (e.g. "N01951").
    municipalities : str or list of str, optional
        Municipality codes (default all).
    years : int or list of int, optional
        Years (default all).
    cache_dir : path, optional
        Where the pages are saved (default data/raw/kolada).
    transport : callable(url, timeout) -> bytes
        The HTTP GET (urllib by default; tests pass saved pages).
    retries, backoff : int, float
        A failed request is retried ``retries`` times after backoff × 2^k
        seconds.

    Returns
    -------
    list of Path
        The saved pages, in order; read them with :func:`read`.

    Raises
    ------
    KoladaError
        The API cannot be reached after the retries (offline), or answers
        with something that is not JSON.

    Example
    -------
    >>> url = "https://api.kolada.se/v3/data/kpi/N01951/year/2024"
    >>> pages = {url: b'{"values": [], "next_url": null}'}
    >>> import tempfile
    >>> [p.name for p in fetch("N01951", years=2024, cache_dir=tempfile.mkdtemp(),
    ...                        transport=lambda url, timeout: pages[url])]
    ['N01951_y2024_p1.json']
    """
    kpis = [kpis] if isinstance(kpis, str) else list(kpis)
    munis = [municipalities] if isinstance(municipalities, str) else list(municipalities or [])
    year_list = [years] if isinstance(years, int) else list(years or [])
    url = f"{BASE_URL}/data/kpi/{','.join(kpis)}"
    if munis:
        url += f"/municipality/{','.join(munis)}"
    if year_list:
        url += f"/year/{','.join(str(y) for y in year_list)}"
    folder = Path(cache_dir) if cache_dir is not None else raw_dir() / "kolada"
    stem = (
        "_".join(kpis)
        + (f"_m{len(munis)}" if munis else "")
        + (f"_y{'-'.join(str(y) for y in year_list)}" if year_list else "")
    )
    written = []
    page_number = 1
    while url:
        body = None
        for attempt in range(retries + 1):
            try:
                body = transport(url, timeout)
                break
            except (urllib.error.URLError, OSError, TimeoutError) as err:
                if attempt == retries:
                    raise KoladaError(
                        f"Cannot reach Kolada ({url}): {err}",
                        hint="check the network connection; saved pages in "
                        f"{folder} can be read offline with load.kolada.read",
                    ) from None
                sleep(backoff * 2**attempt)
        try:
            page = json.loads(body)
        except json.JSONDecodeError:
            raise KoladaError(
                f"Kolada answered {url} with something that is not JSON",
                hint="try again later; Kolada may be down",
            ) from None
        written.append(write_bytes(folder / f"{stem}_p{page_number}.json", body, allow_raw=True))
        url = page.get("next_url")
        page_number += 1
    return written
