"""Pandera schemas of the tidy tables, and one ``validate`` that speaks our errors.

The tables and their columns: ``observations`` (municipality_code, period, source, indicator_id,
value, unit, status), ``lika_responses`` (municipality_code, assessed_on, area, dimension,
indicator_id, indicator, response, score), ``monitoring`` (municipality_code, period as a
quarterly Period, metric_id, numerator, denominator, value, status), ``population_cells``
(cell_id, population, municipality_code, geometry) and ``services`` (service_id, kind, capacity,
geometry), both points in EPSG:3006 (SWEREF 99 TM), and ``indicators`` (indicator_id, title_sv,
title_en, unit, higher_is_better, source). ``municipality_code`` is 4 digits ("0180"; aggregates
such as the nation "0000" pass); ``status`` is one of :data:`STATUSES` ("not_applicable": the
question does not apply, e.g. "Ej aktuellt") and empty exactly when the value is present;
scores lie in 0–1. A failing table raises :class:`~ehalsa_analys.errors.SchemaError` listing
the first failing rows (column, check, value), never a pandera traceback.

Example
-------
>>> obs = pd.DataFrame({"municipality_code": ["0180"], "period": [2024],
...     "source": ["demo"], "indicator_id": ["night_camera"], "value": [1.0],
...     "unit": ["ja/nej"], "status": [""]})
>>> validate(obs, "observations").shape
(1, 7)
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd
import pandera.pandas as pa
from pandera.engines.geopandas_engine import Geometry

from .errors import CRSError, SchemaError, check_choice

__all__ = [
    "SCHEMAS",
    "STATUSES",
    "AREAS",
    "DIMENSIONS",
    "observations",
    "lika_responses",
    "monitoring",
    "population_cells",
    "services",
    "indicators",
    "validate",
    "require_columns",
    "require_crs",
]

#: Why a value is missing: "" when it is present.
STATUSES = ("", "missing", "suppressed", "not_applicable")
#: LIKA Socialtjänst's four areas (områden).
AREAS = ("Övergripande", "Individ- och familjeomsorg", "Äldreomsorg", "Funktionsnedsättning")
#: LIKA's four dimensions: Ledning, Infrastruktur, Kompetens, Användning.
DIMENSIONS = ("Ledning", "Infrastruktur", "Kompetens", "Användning")
#: Every point table is in SWEREF 99 TM; distances are metres.
CRS = "EPSG:3006"

_CODE = pa.Check.str_matches(r"^\d{4}$", error="municipality_code must be 4 digits, e.g. '0180'")
_ID = pa.Check.str_length(min_value=1, error="must not be empty")


def _code(**kwargs: Any) -> pa.Column:
    return pa.Column(str, _CODE, nullable=False, **kwargs)


def _status_matches_value(value_column: str) -> pa.Check:
    def check(df: pd.DataFrame) -> pd.Series:
        present = df[value_column].notna()
        return (present & (df["status"] == "")) | (~present & (df["status"] != ""))

    return pa.Check(
        check,
        error=f"status must be empty when {value_column} is present and "
        f"'missing', 'suppressed' or 'not_applicable' when it is not",
    )


def _is_year_or_quarter(series: pd.Series) -> pd.Series:
    if isinstance(series.dtype, pd.PeriodDtype):
        return pd.Series(series.dt.freqstr.isin(["Y-DEC", "Q-DEC"]), index=series.index)
    numeric = pd.to_numeric(series, errors="coerce")
    return numeric.between(1990, 2100) & (numeric == numeric.round())


def _points_only(series: pd.Series) -> pd.Series:
    return series.geom_type == "Point"


observations = pa.DataFrameSchema(
    {
        "municipality_code": _code(),
        "period": pa.Column(
            checks=pa.Check(_is_year_or_quarter, error="period must be a year or a quarter"),
            nullable=False,
        ),
        "source": pa.Column(str, _ID),
        "indicator_id": pa.Column(str, _ID),
        "value": pa.Column(float, nullable=True),
        "unit": pa.Column(str, nullable=False),
        "status": pa.Column(str, pa.Check.isin(STATUSES)),
    },
    checks=[_status_matches_value("value")],
    unique=["municipality_code", "period", "source", "indicator_id"],
    strict=False,
    ordered=False,
    name="observations",
)

lika_responses = pa.DataFrameSchema(
    {
        "municipality_code": _code(),
        "assessed_on": pa.Column("datetime64[ns]", nullable=True, coerce=True),
        "area": pa.Column(str, pa.Check.isin(AREAS)),
        "dimension": pa.Column(str, pa.Check.isin(DIMENSIONS)),
        "indicator_id": pa.Column(str, _ID),
        "indicator": pa.Column(str, nullable=True),
        "response": pa.Column(str, nullable=True),
        "score": pa.Column(float, pa.Check.in_range(0.0, 1.0), nullable=True),
    },
    unique=["municipality_code", "assessed_on", "indicator_id"],
    name="lika_responses",
)

monitoring = pa.DataFrameSchema(
    {
        "municipality_code": _code(),
        "period": pa.Column(pd.PeriodDtype("Q-DEC"), nullable=False),
        "metric_id": pa.Column(str, _ID),
        "numerator": pa.Column(float, pa.Check.ge(0), nullable=True),
        "denominator": pa.Column(float, pa.Check.gt(0), nullable=True),
        "value": pa.Column(float, nullable=True),
        "status": pa.Column(str, pa.Check.isin(STATUSES)),
    },
    checks=[_status_matches_value("value")],
    unique=["municipality_code", "period", "metric_id"],
    name="monitoring",
)

population_cells = pa.DataFrameSchema(
    {
        "cell_id": pa.Column(str, _ID, unique=True),
        "population": pa.Column(float, pa.Check.ge(0), coerce=True),
        "municipality_code": _code(),
        "geometry": pa.Column(
            Geometry(crs=CRS), pa.Check(_points_only, error="geometry must be points")
        ),
    },
    name="population_cells",
)

services = pa.DataFrameSchema(
    {
        "service_id": pa.Column(str, _ID, unique=True),
        "kind": pa.Column(str, _ID),
        "capacity": pa.Column(float, pa.Check.ge(0), nullable=True, coerce=True),
        "geometry": pa.Column(
            Geometry(crs=CRS), pa.Check(_points_only, error="geometry must be points")
        ),
    },
    name="services",
)

indicators = pa.DataFrameSchema(
    {
        "indicator_id": pa.Column(str, _ID, unique=True),
        "title_sv": pa.Column(str, _ID),
        "title_en": pa.Column(str, nullable=True),
        "unit": pa.Column(str, nullable=False),
        "higher_is_better": pa.Column(bool, nullable=False),
        "source": pa.Column(str, _ID),
    },
    name="indicators",
)

#: Every schema by table name.
SCHEMAS: dict[str, pa.DataFrameSchema] = {
    schema.name: schema
    for schema in (observations, lika_responses, monitoring, population_cells, services, indicators)
}


def validate(
    data: pd.DataFrame,
    schema: str | pa.DataFrameSchema,
    *,
    file: str | None = None,
    max_rows: int = 5,
) -> pd.DataFrame:
    """Validate ``data`` against a tidy-table schema and return it (coerced where allowed).

    Parameters
    ----------
    data : DataFrame or GeoDataFrame
    schema : str or pandera.DataFrameSchema
        A table name from :data:`SCHEMAS` or a schema.
    file : str, optional
        The file the table came from, named in the error.
    max_rows : int, default 5
        How many failing rows the error lists.

    Raises
    ------
    SchemaError
        Listing the missing columns, or the first ``max_rows`` failures as "row <index>, column
        <name>: <check> (value <v>)".

    Example
    -------
    >>> bad = pd.DataFrame({"indicator_id": ["a"], "title_sv": ["A"], "title_en": ["A"],
    ...                     "unit": ["%"], "higher_is_better": [True], "source": [""]})
    >>> validate(bad, "indicators")
    Traceback (most recent call last):
    ...
    ehalsa_analys.errors.SchemaError: Table 'indicators' breaks its schema in 1 place: ...
    """
    if isinstance(schema, str):
        check_choice("schema", sorted(SCHEMAS), schema)
        schema = SCHEMAS[schema]
    name = schema.name or "table"
    missing = [col for col in schema.columns if col not in data.columns]
    if missing:
        raise SchemaError(
            f"Table {name!r} lacks the column(s) {missing}; it has {list(data.columns)}",
            file=file,
            column=missing[0],
            hint=f"a {name} table needs the columns {list(schema.columns)}",
        )
    if "geometry" in schema.columns:
        require_crs(data, name, CRS, file=file)
    try:
        return schema.validate(data, lazy=True)
    except pa.errors.SchemaErrors as err:
        rows = data["source_row"] if "source_row" in data.columns else None
        raise _schema_error(
            name, err.failure_cases, file=file, rows=rows, max_rows=max_rows
        ) from None


def require_columns(
    data: Any, name: str, columns: Iterable[str], *, hint: str | None = None
) -> None:
    """Raise unless ``data`` is a DataFrame with every one of ``columns``.

    The check every function taking a tidy table starts with: a TypeError for something that is
    not a DataFrame, a :class:`SchemaError` naming the argument, the missing columns and the
    columns it has.

    Example
    -------
    >>> require_columns(pd.DataFrame({"a": [1]}), "scores", ["a", "score"])
    Traceback (most recent call last):
    ...
    ehalsa_analys.errors.SchemaError: `scores` lacks the column(s) ['score']; it has ['a'] ...
    """
    if not isinstance(data, pd.DataFrame):
        raise TypeError(
            f"`{name}` must be a pandas DataFrame, but a {type(data).__name__} was passed."
        )
    missing = [column for column in columns if column not in data.columns]
    if missing:
        raise SchemaError(
            f"`{name}` lacks the column(s) {missing}; it has {list(data.columns)}",
            column=missing[0],
            hint=hint or f"pass a table with the column(s) {missing}",
        )


def require_crs(data: Any, name: str, crs: str = CRS, *, file: str | None = None) -> None:
    """Raise :class:`CRSError` unless ``data`` is a GeoDataFrame labelled with ``crs``.

    Example
    -------
    >>> import geopandas as gpd
    >>> pts = gpd.GeoDataFrame(geometry=gpd.points_from_xy([18.07], [59.33]), crs=4326)
    >>> require_crs(pts, "services")
    Traceback (most recent call last):
    ...
    ehalsa_analys.errors.CRSError: `services` is in EPSG:4326; distances need EPSG:3006 ...
    """
    actual = getattr(data, "crs", None)
    if actual is None:
        raise CRSError(
            f"`{name}` has no coordinate reference system; distances need {crs}",
            file=file,
            hint=f"label it with .set_crs(...) if you know its CRS, then call .to_crs('{crs}')",
        )
    if not actual.equals(crs):
        shown = actual.to_string() if hasattr(actual, "to_string") else str(actual)
        raise CRSError(
            f"`{name}` is in {shown}; distances need {crs}",
            file=file,
            hint=f"call {name}.to_crs('{crs}') first",
        )


def _schema_error(
    name: str, cases: pd.DataFrame, *, file: str | None, rows: pd.Series | None, max_rows: int
) -> SchemaError:
    """Turn pandera's failure cases into one SchemaError.

    Rows are named by the file row (``source_row``) when the table has one, else by the index.
    """
    # A table-level check fails once per row, but pandera reports it once per column.
    table_level = cases["schema_context"] == "DataFrameSchema"
    cases = pd.concat(
        [
            cases[~table_level],
            cases[table_level]
            .drop_duplicates(["index", "check"])
            .assign(column=None, failure_case=None),
        ]
    )
    cases = cases.assign(_order=pd.to_numeric(cases["index"], errors="coerce").fillna(-1))
    cases = cases.sort_values("_order", kind="stable").reset_index(drop=True)

    def where(label: Any) -> str:
        if pd.isna(label):
            return ""
        if rows is not None and label in rows.index:
            return f"row {rows.loc[label]}, "
        return f"index {label}, "

    lines = []
    for case in cases.head(max_rows).itertuples(index=False):
        row = where(case.index)
        column = case.column if isinstance(case.column, str) else "(table)"
        value = "" if case.failure_case is None else f" (value {case.failure_case!r})"
        lines.append(f"{row}column {column}: {case.check}{value}")
    more = f"; and {len(cases) - max_rows} more" if len(cases) > max_rows else ""
    first = cases.iloc[0]
    return SchemaError(
        f"Table {name!r} breaks its schema in {len(cases)} place"
        f"{'s' if len(cases) != 1 else ''}: " + "; ".join(lines) + more,
        file=file,
        row=rows.loc[first["index"]] if rows is not None and first["index"] in rows.index else None,
        column=first["column"] if isinstance(first["column"], str) else None,
        hint="correct the input, or the loader that built the table",
    )
