"""Rural distance-to-service inputs: population cells, service points, Pipos-style tables.

Formats
-------
Population (:func:`population`)
    GeoPackage or GeoParquet with points or grid squares (squares become
    their centre points), or CSV/xlsx with either x/y columns (aliases: x,
    X, easting, ost, e; y, Y, northing, nord, n) or a grid-square id column
    (rutid, ruta, cell_id, grid_id). Grid ids are read in two documented
    forms: the 13-digit SWEREF 99 TM id of the square's lower-left corner,
    easting in 6 digits then northing in 7 ("3215006398000"), as in SCB's
    grid statistics; and "<size>mN<northing>E<easting>" ("1000mN6398000E321500"),
    the INSPIRE-style form with SWEREF 99 TM coordinates of the lower-left
    corner. The square size comes from ``cell_size`` (default 1000 m; 250 for
    Pipos-style squares) or from the id itself. A population column is
    required (population, befolkning, folkmängd, antal, pop); optional
    ``population_70plus`` (aliases: 70+, befolkning 70+, äldre) and ``urban``
    (tätort: ja/nej, true/false, 1/0).
CRS
    Files with a CRS are reprojected to EPSG:3006. Text files have none:
    ``crs=`` says which (default EPSG:3006); coordinates that look like
    degrees (|x| ≤ 180 and |y| ≤ 90) without ``crs=`` are a CRSError.
Municipality
    Taken from a municipality column when present, otherwise assigned by
    point-in-polygon against the municipality boundaries
    (:func:`ehalsa_analys.reference.geometries`); cells outside every
    municipality are an error that counts them and names the first.
Services (:func:`services`)
    Points (GeoPackage/GeoParquet or CSV with x/y) with a kind column (typ,
    servicetyp, kind) or one ``kind=`` for the whole file, an optional id
    and an optional capacity. Kinds are normalised to :data:`KINDS`.
Pipos tables (:func:`pipos`)
    Population per municipality by distance class to a kind of service:
    columns municipality, kind (servicetyp), class (avståndsklass: "0–5",
    "5-10 min", "<5 min", ">30 min", "25– km", "10 - 30 km") and population.
    Output: municipality_code, kind, lower, upper, unit ("km" or "min"),
    population — the shape of :func:`ehalsa_analys.access.distance_classes`.

Example
-------
>>> cells = population("tests/fixtures/rural/population.csv")
>>> cells[["cell_id", "population", "municipality_code"]].head(2)
         cell_id  population municipality_code
0  3180006400000        12.0              1480
1  3190006400000         3.0              1480
"""

from __future__ import annotations

import os
import re

import geopandas as gpd
import numpy as np
import pandas as pd

from .. import reference
from ..errors import CRSError, InputFileError
from ..schemas import CRS, validate
from .reader import column_key, column_numbers, column_words, read_table, where

__all__ = ["KINDS", "population", "services", "pipos", "parse_grid_id"]

#: Service kinds and the spellings read as each.
KINDS: dict[str, tuple[str, ...]] = {
    "dagligvaror": ("dagligvaror", "dagligvarubutik", "livsmedel", "livsmedelsbutik", "grocery"),
    "apotek": ("apotek", "apoteksvaror", "apoteksombud", "pharmacy"),
    "vårdcentral": ("vårdcentral", "vardcentral", "hälsocentral", "primärvård", "health centre"),
    "hemtjänst": ("hemtjänst", "hemtjänstgrupp", "hemtjänstbas", "home care"),
    "drivmedel": ("drivmedel", "bensinstation", "fuel"),
    "post": ("post", "posttjänster", "paketombud", "postombud"),
    "kontantuttag": ("kontantuttag", "uttagsautomat", "bankomat", "cash"),
}
_KIND_KEYS = {column_key(v): k for k, spellings in KINDS.items() for v in spellings}
_ALIASES = {
    "x": ("x", "X", "easting", "ost", "e", "x_koord", "xkoord"),
    "y": ("y", "Y", "northing", "nord", "n", "y_koord", "ykoord"),
    "cell_id": ("rutid", "ruta", "ruta_id", "cell_id", "grid_id", "Rut_id"),
    "population": ("population", "befolkning", "folkmängd", "antal", "pop", "totalt"),
    "population_70plus": ("population_70plus", "70+", "befolkning 70+", "äldre", "70 år och äldre"),
    "urban": ("urban", "tätort", "tatort"),
    "kind": ("kind", "typ", "servicetyp", "service"),
    "service_id": ("service_id", "id", "namn", "name"),
    "capacity": ("capacity", "kapacitet", "personal", "platser"),
    "distance_class": ("avståndsklass", "klass", "class", "tidsklass", "restid", "avstånd"),
}
_INSPIRE = re.compile(r"^(?P<size>\d+)m?N(?P<n>\d+)E(?P<e>\d+)$", re.IGNORECASE)
_CLASS = re.compile(
    r"^\s*(?P<op>[<>])?\s*(?P<lo>\d+(?:[.,]\d+)?)\s*(?:[-–]\s*(?P<hi>\d+(?:[.,]\d+)?)?)?\s*"
    r"(?P<unit>km|min|minuter)?\s*$",
    re.IGNORECASE,
)


def parse_grid_id(ids, *, cell_size: float = 1000.0, file=None, column=None, rows=None):
    """Centre coordinates (x, y) in EPSG:3006 of grid-square ids (module docstring).

    Example
    -------
    >>> parse_grid_id(["3215006398000", "250mN6398250E321750"])
    (array([322000., 321875.]), array([6398500., 6398375.]))
    """
    text = pd.Series(ids).astype("str").str.strip()
    x = np.full(len(text), np.nan)
    y = np.full(len(text), np.nan)
    size = np.full(len(text), float(cell_size))
    digits = text.str.fullmatch(r"\d{13}")
    x[digits] = text[digits].str[:6].astype(float)
    y[digits] = text[digits].str[6:].astype(float)
    inspire = text.str.extract(_INSPIRE)
    found = inspire["n"].notna().to_numpy()
    x[found] = inspire.loc[found, "e"].astype(float)
    y[found] = inspire.loc[found, "n"].astype(float)
    size[found] = inspire.loc[found, "size"].astype(float)
    bad = np.isnan(x)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InputFileError(
            f"{text.iloc[i]!r} is not a grid-square id",
            file=file,
            row=None if rows is None else int(np.asarray(rows)[i]),
            column=column,
            value=text.iloc[i],
            hint="use 13 digits (easting 6 + northing 7 of the lower-left corner, SWEREF 99 TM) "
            "or 1000mN6398000E321500, or give x and y columns",
        )
    return x + size / 2, y + size / 2


def _points(table: pd.DataFrame, crs, *, cell_size: float) -> gpd.GeoDataFrame:
    file = table.attrs.get("file")
    rows = table["source_row"].to_numpy() if "source_row" in table else None
    if isinstance(table, gpd.GeoDataFrame):
        frame = table
        if frame.crs is None:
            if crs is None:
                raise CRSError(
                    "The file has no CRS", file=file, hint="pass crs=, e.g. crs='EPSG:3006'"
                )
            frame = frame.set_crs(crs)
        frame = frame.to_crs(CRS)
        if not (frame.geom_type == "Point").all():
            frame = frame.set_geometry(frame.geometry.centroid)
        return frame
    if {"x", "y"} <= set(table.columns):
        x, y = (pd.Series(column_numbers(table, c), index=table.index) for c in ("x", "y"))
        if x.isna().any() or y.isna().any():
            i = int(np.flatnonzero((x.isna() | y.isna()).to_numpy())[0])
            raise InputFileError(
                "A coordinate is missing or not a number",
                file=file,
                row=None if rows is None else int(rows[i]),
                column="x/y",
            )
        looks_degrees = (x.abs() <= 180).all() and (y.abs() <= 90).all()
        if crs is None and looks_degrees:
            raise CRSError(
                "The coordinates look like degrees (longitude/latitude) but the file gives no CRS",
                file=file,
                hint="pass crs='EPSG:4326' (or the file's CRS) so they are reprojected",
            )
        frame = gpd.GeoDataFrame(table, geometry=gpd.points_from_xy(x, y), crs=crs or CRS)
        return frame.to_crs(CRS)
    if "cell_id" in table:
        x, y = parse_grid_id(
            table["cell_id"], cell_size=cell_size, file=file, column="cell_id", rows=rows
        )
        return gpd.GeoDataFrame(table, geometry=gpd.points_from_xy(x, y), crs=crs or CRS).to_crs(
            CRS
        )
    raise InputFileError(
        "The file has neither x/y columns nor a grid-square id column",
        file=file,
        hint="add x and y (SWEREF 99 TM metres, or pass crs=) or a rutid column",
    )


#: Where points and roads of a Swedish analysis can lie, in EPSG:3006 metres: the CRS's area of
#: use (Sweden, pyproj) widened by 50 km for roads and services just across a border.
SWEDEN_EXTENT_3006 = (131_896.0, 6_040_353.0, 1_136_313.0, 7_739_478.0)


def check_extent(
    bounds: np.ndarray, *, file, rows=None, what: str = "point", declared=None
) -> None:
    """Refuse geometries outside Sweden's extent in EPSG:3006; ``bounds`` is (n, 4).

    Coordinates in degrees labelled as metres (15.2, 59.3), swapped x and y, or
    another country's grid land far outside and would give distances of
    thousands of kilometres without a word.
    """
    xmin, ymin, xmax, ymax = SWEDEN_EXTENT_3006
    b = np.asarray(bounds, dtype=float).reshape(-1, 4)
    outside = ~((b[:, 0] >= xmin) & (b[:, 2] <= xmax) & (b[:, 1] >= ymin) & (b[:, 3] <= ymax))
    if not outside.any():
        return
    i = int(np.flatnonzero(outside)[0])
    raise CRSError(
        f"{int(outside.sum())} {what}(s) lie outside Sweden, the first at "
        f"({b[i, 0]:.6g}, {b[i, 1]:.6g}) in EPSG:3006"
        + (f" (the file says {declared})" if declared else ""),
        file=file,
        row=None if rows is None else int(np.asarray(rows)[i]),
        hint="check the CRS: degrees (15.2, 59.3) need crs='EPSG:4326', and a file labelled "
        "EPSG:3006 must hold metres (x about 200 000–900 000, y about 6 100 000–7 700 000)",
    )


#: Spellings of the ``urban`` flag (tätort or not); blank is unknown.
_URBAN = {
    True: ("ja", "j", "true", "1", "tätort", "yes", "y", "t"),
    False: ("nej", "n", "false", "0", "landsbygd", "glesbygd", "no", "f"),
}


def _urban_flags(table: pd.DataFrame) -> pd.arrays.BooleanArray:
    """The urban column as a nullable boolean: ja/nej, true/false, 1/0; blank is <NA>."""
    flags = column_words(
        table,
        "urban",
        _URBAN,
        blank=pd.NA,
        message="Value {value!r} is not a tätort flag",
        hint="write ja/nej (or true/false, 1/0); leave the cell empty when unknown",
    )
    return pd.array(flags, dtype="boolean")


def _assign_municipality(frame: gpd.GeoDataFrame, file) -> pd.Series:
    shapes = reference.geometries("municipality")[["municipality_code", "geometry"]]
    joined = gpd.sjoin(frame[["geometry"]], shapes, how="left", predicate="within")
    joined = joined[~joined.index.duplicated()]
    codes = joined["municipality_code"].reindex(frame.index)
    missing = codes.isna()
    if missing.any():
        i = int(np.flatnonzero(missing.to_numpy())[0])
        point = frame.geometry.iloc[i]
        raise InputFileError(
            f"{int(missing.sum())} point(s) lie outside every Swedish municipality, the first at "
            f"({point.x:.0f}, {point.y:.0f}) in EPSG:3006",
            file=file,
            row=int(frame["source_row"].iloc[i]) if "source_row" in frame else None,
            hint="check the CRS (pass crs=) or add a municipality column",
        )
    return codes.astype("str")


def population(path: str | os.PathLike, *, crs=None, cell_size: float = 1000.0) -> gpd.GeoDataFrame:
    """Read a population grid or points into population cells (EPSG:3006 points).

    Returns
    -------
    GeoDataFrame
        cell_id, population, municipality_code, geometry, and when present
        population_70plus and urban (bool), validated as ``population_cells``.

    Example
    -------
    >>> population("tests/fixtures/rural/population.csv")["population"].sum()
    np.float64(40.0)
    """
    table = read_table(path, aliases=_ALIASES, counts=("population",), required=("population",))
    frame = _points(table, crs, cell_size=cell_size)
    file = table.attrs.get("file")
    if "cell_id" not in frame:
        xy = zip(frame.geometry.x, frame.geometry.y, strict=True)
        frame["cell_id"] = [f"{x:.0f}_{y:.0f}" for x, y in xy]
    if "municipality_code" not in frame:
        frame["municipality_code"] = _assign_municipality(frame, file)
    columns = ["cell_id", "population", "municipality_code"]
    if "population_70plus" in frame:
        old = column_numbers(table, "population_70plus", integer=True, minimum=0)
        over = old > frame["population"].to_numpy(float)
        if over.any():
            i = int(np.flatnonzero(over)[0])
            info = where(table, "population_70plus")
            raise InputFileError(
                f"{old[i]:g} people aged 70+ in a square of {frame['population'].iloc[i]:g} people",
                file=file,
                row=int(table["source_row"].iloc[i]),
                column=info["column"],
                value=old[i],
                hint="the 70+ column counts part of the population; check that the columns "
                "are not swapped",
            )
        frame["population_70plus"] = old
        columns.append("population_70plus")
    if "urban" in frame:
        frame["urban"] = _urban_flags(table)
        columns.append("urban")
    out = gpd.GeoDataFrame(
        frame[columns].assign(cell_id=frame["cell_id"].astype("str")),
        geometry=frame.geometry.to_numpy(),
        crs=CRS,
    ).reset_index(drop=True)
    validate(out, "population_cells", file=file)
    return out


def services(path: str | os.PathLike, *, kind: str | None = None, crs=None) -> gpd.GeoDataFrame:
    """Read service points with their kind and optional capacity (EPSG:3006).

    Example
    -------
    >>> s = services("tests/fixtures/rural/services.csv")
    >>> s[["service_id", "kind", "capacity"]].values.tolist()[:2]
    [['Apoteket Hjärtat', 'apotek', nan], ['Hemtjänst Norr', 'hemtjänst', 12.0]]
    """
    table = read_table(path, aliases=_ALIASES, resolve_codes=False)
    file = table.attrs.get("file")
    frame = _points(table, crs, cell_size=1000.0)
    rows = frame["source_row"].to_numpy() if "source_row" in frame else None
    check_extent(frame.geometry.bounds.to_numpy(), file=file, rows=rows, what="service")
    if kind is not None:
        raw = pd.Series(kind, index=frame.index)
    elif "kind" in frame:
        raw = frame["kind"].astype("str")
    else:
        raise InputFileError(
            "The file has no kind column", file=file, hint="add a Typ column or pass kind="
        )
    kinds = raw.map(lambda v: _KIND_KEYS.get(column_key(v)))
    if kinds.isna().any():
        i = int(np.flatnonzero(kinds.isna().to_numpy())[0])
        empty = pd.isna(raw.iloc[i]) or str(raw.iloc[i]).strip() in ("", "nan", "None", "<NA>")
        raise InputFileError(
            "The kind of service is empty"
            if empty
            else f"Unknown kind of service {raw.iloc[i]!r}; known: {', '.join(KINDS)}",
            **where(table, "kind", i),
            value=raw.iloc[i],
            hint="use one of the known kinds (Swedish spellings are accepted)",
        )
    ids = (
        frame["service_id"].astype("str")
        if "service_id" in frame
        else pd.Series([f"s{i}" for i in range(len(frame))], index=frame.index)
    )
    dup = ids.duplicated(keep="first")
    if dup.any():
        i = int(np.flatnonzero(dup.to_numpy())[0])
        raise InputFileError(
            f"The service id {ids.iloc[i]!r} occurs more than once",
            **where(table, "service_id", i),
            value=ids.iloc[i],
            hint="give every service point its own name or id",
        )
    capacity = np.full(len(frame), np.nan)
    if "capacity" in table:
        capacity = column_numbers(table, "capacity", minimum=0)
    out = gpd.GeoDataFrame(
        {"service_id": ids.to_numpy(), "kind": kinds.to_numpy(), "capacity": capacity},
        geometry=frame.geometry.to_numpy(),
        crs=CRS,
    )
    validate(out, "services", file=file)
    return out


def _class_bounds(text: str):
    m = _CLASS.match(text.replace("−", "-"))
    if not m:
        return None
    lo = float(m["lo"].replace(",", "."))
    hi = float(m["hi"].replace(",", ".")) if m["hi"] else None
    unit = "km" if (m["unit"] or "").lower() == "km" else "min"
    if m["op"] == "<":
        return 0.0, lo, unit
    if m["op"] == ">":
        return lo, np.inf, unit
    return lo, hi if hi is not None else np.inf, unit


def pipos(path: str | os.PathLike, *, unit: str | None = None) -> pd.DataFrame:
    """Read a Pipos-style table of population by distance class to a kind of service.

    ``unit`` ("km" or "min") applies to classes written without one
    (default minutes, as Pipos' travel-time classes).

    Example
    -------
    >>> p = pipos("tests/fixtures/rural/pipos.csv")
    >>> p[["municipality_code", "kind", "lower", "upper", "unit", "population"]].head(2)
      municipality_code         kind  lower  upper unit  population
    0              2260  dagligvaror    0.0    5.0  min      8123.0
    1              2260  dagligvaror    5.0   10.0  min      1200.0
    """
    table = read_table(
        path,
        aliases=_ALIASES,
        required=("municipality_code", "kind", "distance_class", "population"),
        counts=("population",),
    )
    bounds = table["distance_class"].astype("str").map(_class_bounds)
    if bounds.isna().any():
        i = int(np.flatnonzero(bounds.isna().to_numpy())[0])
        raise InputFileError(
            f"{table['distance_class'].iloc[i]!r} is not a distance class",
            **where(table, "distance_class", i),
            hint="write classes such as '0–5 min', '<5', '>30 min' or '10–25 km'",
        )
    kinds = table["kind"].astype("str").map(lambda v: _KIND_KEYS.get(column_key(v), v.strip()))
    written_unit = table["distance_class"].astype("str").str.contains("km|min", case=False)
    units = [
        b[2] if has or unit is None else unit for b, has in zip(bounds, written_unit, strict=True)
    ]
    return pd.DataFrame(
        {
            "municipality_code": table["municipality_code"],
            "kind": kinds,
            "lower": [b[0] for b in bounds],
            "upper": [b[1] for b in bounds],
            "unit": units,
            "population": table["population"],
        }
    )
