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
``area_type`` column: "nation" for "0000", "county" for "00NN" (regions),
"municipality" otherwise.

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

from .._atomic import write_bytes
from ..errors import EhalsaError, InputFileError
from ..paths import raw_dir

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


def _area_type(code: str) -> str:
    if code == "0000":
        return "nation"
    if code.startswith("00"):
        return "county"
    return "municipality"


def read(source: Any, *, gender: str = "T") -> pd.DataFrame:
    """Read saved Kolada v3 data responses into observations.

    Parameters
    ----------
    source : path, folder, list of paths, or dict
        One or several saved pages (a paged response saved page by page).
    gender : {"T", "K", "M"}, default "T"
        Total, women or men.

    Returns
    -------
    DataFrame
        municipality_code, period, source ("kolada"), indicator_id (the KPI
        id), value, unit (""), status ("" or "missing"; Kolada's own status
        text in ``kolada_status``), count, area_type, file.

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
    rows = []
    for file, page in _pages(source):
        if not isinstance(page, dict) or "values" not in page:
            raise InputFileError(
                "Not a Kolada data response (no 'values' list at the top level)",
                file=file,
                hint="save the response of /v3/data/... as it came",
            )
        for i, item in enumerate(page["values"]):
            for field in ("kpi", "municipality", "period", "values"):
                if field not in item:
                    raise InputFileError(
                        f"Kolada item {i} lacks the field {field!r}",
                        file=file,
                        column=field,
                        hint="this does not look like a v3 data response",
                    )
            for v in item["values"]:
                if v.get("gender", "T") != gender or v.get("isdeleted"):
                    continue
                rows.append(
                    (
                        str(item["municipality"]).zfill(4),
                        int(item["period"]),
                        str(item["kpi"]),
                        np.nan if v.get("value") is None else float(v["value"]),
                        v.get("status") or "",
                        v.get("count"),
                        file,
                    )
                )
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
    out = out.drop_duplicates(["municipality_code", "period", "indicator_id"], keep="last")
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
