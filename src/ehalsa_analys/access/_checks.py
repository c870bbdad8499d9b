"""Input checks shared by the access functions: CRS, points, ids, amounts, methods.

Private. Each check raises with the argument's name, the column, the value
and a fix; ids keep the caller's dtype (never turned into text).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import shapely

from ..errors import CRSError, SchemaError, check_choice
from ..load import RoadGraph
from ..schemas import CRS, require_columns, require_crs


def _xy(frame, name: str) -> np.ndarray:
    geometry = np.asarray(frame.geometry.array)
    type_id = shapely.get_type_id(geometry)
    bad = np.flatnonzero((type_id != shapely.GeometryType.POINT) & (type_id >= 0))
    if bad.size:
        label = frame.index[bad[0]]
        kind = shapely.GeometryType(type_id[bad[0]]).name.title().replace("string", "String")
        raise SchemaError(
            f"`{name}` must hold points, but index {label!r} is a {kind} "
            f"({bad.size} non-point geometries)",
            column="geometry",
            value=kind,
            hint=f"use {name}.assign(geometry={name}.representative_point()) for squares",
        )
    xy = np.column_stack([shapely.get_x(geometry), shapely.get_y(geometry)]).astype(float)
    bad = np.flatnonzero(~np.isfinite(xy).all(axis=1))
    if bad.size:
        raise SchemaError(
            f"`{name}` has an empty or non-finite point at index {frame.index[bad[0]]!r} "
            f"({bad.size} such rows)",
            column="geometry",
            hint="drop rows without coordinates first",
        )
    if len(xy) and (np.abs(xy[:, 0]) <= 180).all() and (np.abs(xy[:, 1]) <= 90).all():
        raise CRSError(
            f"`{name}` is labelled {CRS} but every coordinate looks like degrees "
            f"(first point {xy[0, 0]:g}, {xy[0, 1]:g})",
            column="geometry",
            hint=f"label it with .set_crs('EPSG:4326', allow_override=True), then call "
            f".to_crs('{CRS}')",
        )
    return xy


def _plain(value):
    """A numpy scalar as the Python value it holds (for messages and error fields)."""
    return value.item() if isinstance(value, np.generic) else value


def _unique_ids(frame, name: str, column: str) -> pd.Index:
    """The ids as an Index of their own dtype; they must be unique."""
    ids = pd.Index(frame[column])
    codes, uniques = pd.factorize(ids)  # Arrow text: hashed in C++, 3 times is_unique's speed
    missing = int((codes < 0).sum())
    if len(uniques) + min(missing, 1) < len(ids) or missing > 1:
        duplicated = ids.duplicated()
        value = _plain(ids[duplicated][0])
        raise SchemaError(
            f"`{name}` has the {column} {value!r} more than once "
            f"({int(duplicated.sum())} duplicates)",
            column=column,
            value=value,
            hint=f"give every row its own {column}",
        )
    return ids


def _take(values: pd.Series, positions: np.ndarray) -> pd.Series:
    """``values`` at ``positions`` in their own dtype; -1 is missing.

    Integer and boolean ids become their nullable dtype (Int64, boolean) only
    when something is missing, so they still merge with the caller's ids."""
    array = values.array
    if not (positions < 0).any():
        taken = array.take(positions)
    else:
        if isinstance(values.dtype, np.dtype) and values.dtype.kind in "iub":
            array = pd.array(values.to_numpy())
        taken = array.take(positions, allow_fill=True)
    # A Series of the explicit dtype: a frame would read object text as str.
    return pd.Series(taken, dtype=taken.dtype, copy=False)


def _repeat(values: pd.Series, repeat: int) -> pd.Series:
    """``values`` ``repeat`` times over, in their own dtype (Arrow text without a copy)."""
    if repeat == 0:
        return values.iloc[:0].reset_index(drop=True)
    return pd.concat([values] * repeat, ignore_index=True)


def _positions(values: pd.Series, ids: pd.Index) -> np.ndarray:
    """Row of each of ``values`` in ``ids`` (-1 where absent), fast for categoricals."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        found = ids.get_indexer(values.cat.categories)
        codes = values.cat.codes.to_numpy()
        return np.where(codes >= 0, found[np.maximum(codes, 0)], -1)
    return ids.get_indexer(values)


def _require_amounts(frame, name: str, column: str) -> np.ndarray:
    values = pd.to_numeric(frame[column], errors="coerce").to_numpy(float)
    bad = np.flatnonzero(~np.isfinite(values) | (values < 0))
    if bad.size:
        value = _plain(frame[column].iloc[bad[0]])
        raise SchemaError(
            f"`{name}` has {column} {value!r} at index {frame.index[bad[0]]!r}; it must be a "
            f"number ≥ 0 ({bad.size} such rows)",
            column=column,
            value=value,
            hint=f"fill or drop the rows without a {column}",
        )
    return values


def _check_crs(frames: Sequence[tuple[object, str]]) -> None:
    for frame, name in frames:
        crs = getattr(frame, "crs", None)
        if crs is not None and crs.is_geographic:
            raise CRSError(
                f"`{name}` is in the geographic CRS {crs.to_string()}; distances need "
                f"metres in {CRS}",
                hint=f"call {name}.to_crs('{CRS}') first",
            )
    (first, first_name), *rest = frames
    for frame, name in rest:
        a, b = getattr(first, "crs", None), getattr(frame, "crs", None)
        if a is not None and b is not None and not a.equals(b):
            raise CRSError(
                f"`{first_name}` are in {a.to_string()} but `{name}` in {b.to_string()}; "
                f"both must be {CRS}",
                hint=f"call .to_crs('{CRS}') on both",
            )
    for frame, name in frames:
        require_crs(frame, name)


def _points_input(frame, name: str, id_column: str, columns: Sequence[str] = ()):
    """Coordinates and ids of checked points (``columns`` are required as well)."""
    require_columns(frame, name, [id_column, *columns, "geometry"])
    ids = _unique_ids(frame, name, id_column)
    return _xy(frame, name), ids


def _check_network(network, weight: str) -> None:
    if not isinstance(network, RoadGraph):
        raise ValueError(
            "method='network' needs `network`, a RoadGraph (load.roads), but "
            f"{type(network).__name__} was passed."
        )
    if network.crs != CRS:
        raise CRSError(
            f"`network` is in {network.crs}; distances need {CRS}",
            hint="build the graph from roads reprojected to EPSG:3006 (load.roads does)",
        )
    matrix = network.weights(weight)  # raises when the graph has no travel times
    data = np.asarray(matrix.data)
    if data.size and not (np.isfinite(data) & (data >= 0)).all():
        raise ValueError(
            f"The road graph's `{weight}` weights must be finite and ≥ 0, but it has "
            f"{float(data[~(np.isfinite(data) & (data >= 0))][0])!r}."
        )


def _check_method(method: str, network, weight: str, engine) -> None:
    """``method``, ``weight`` and ``engine`` are known and fit together.

    A road graph is not passed to be silently ignored, and travel times need
    roads."""
    check_choice("method", ["euclidean", "network"], method)
    check_choice("weight", ["length", "time"], weight)
    check_choice("engine", [None, "dask"], engine)
    if method == "euclidean" and network is not None:
        raise ValueError(
            "A road graph was passed as `network`, but method='euclidean' measures straight "
            "lines and would not use it. Pass method='network' to measure along the roads, or "
            "leave out `network`."
        )
    if method == "euclidean" and weight == "time":
        raise ValueError("weight='time' needs method='network' and a road graph with speeds.")


def _kinds(services, kind) -> list[str]:
    available = sorted(services["kind"].astype(str).unique())
    if kind is None:
        return available
    wanted = [kind] if isinstance(kind, str) else list(kind)
    for k in wanted:
        check_choice("kind", available, k)
    return wanted
