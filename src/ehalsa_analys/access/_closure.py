"""What a closure costs: people beyond each threshold before and after services close.

Private; :func:`closure_impact` is public as ``access.closure_impact``. It runs
:func:`ehalsa_analys.access.nearest` without the closed services (reusing the
``before`` table when given) and only does arithmetic on the two tables.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..disclosure import SUPPRESSION_LIMIT
from ..errors import SchemaError
from ..load import RoadGraph
from ..schemas import require_columns
from ._costs import nearest
from ._summaries import THRESHOLDS_KM, THRESHOLDS_MIN, _label

__all__ = ["closure_impact", "publishable_closure", "served_by"]

_GROUPS = {"all": "population", "70+": "population_70plus"}


def closure_impact(
    cells,
    services,
    *,
    closed: str | Sequence,
    method: str = "euclidean",
    network: RoadGraph | None = None,
    weight: str = "length",
    snap_speed_kmh: float = 5.0,
    before: pd.DataFrame | None = None,
    thresholds_min: Sequence[float] = THRESHOLDS_MIN,
    thresholds_km: Sequence[float] = THRESHOLDS_KM,
    digital_share: float = 0.10,
    trips_per_person: float = 1.0,
    round_trip: bool = True,
    by: str | None = "municipality_code",
) -> pd.DataFrame:
    """People beyond each threshold before and after ``closed`` services close, and travel.

    Parameters
    ----------
    cells, services : GeoDataFrame
        As for :func:`nearest` (EPSG:3006).
    closed : service_id or list of them
        The services that close; their kinds are the ones measured.
    method, network, weight, snap_speed_kmh
        As for :func:`nearest`.
    before : DataFrame, optional
        :func:`nearest` of ``cells`` to ``services`` for these kinds, when
        already computed (saves one search).
    thresholds_min, thresholds_km : sequence of float
        "Beyond" is at or beyond the threshold (minutes for road times, km
        for distances).
    digital_share : float, default 0.10
        The share of trips to the service an e-service would replace.
    trips_per_person : float, default 1
        Trips per resident (per year, say) to the service.
    round_trip : bool, default True
        A trip is there and back.
    by : str or None, default "municipality_code"

    Returns
    -------
    DataFrame
        One row per *by, kind and group ("all"; "70+" when cells have
        population_70plus): population, for each threshold t
        ``beyond_before_<t><unit>``, ``beyond_after_<t><unit>`` and
        ``change_<t><unit>`` (people), ``lost_route`` (people with a route
        before and none after: the last service of the kind closed or an
        island), then the travel per ``trips_per_person``: ``added_<u>``
        (the extra travel the closure causes), ``saved_<u>`` (what the
        digital share of the affected people's trips would save afterwards),
        ``net_<u>`` (added − saved) and ``offset_share_<u>`` (the share of
        their trips that would have to be digital to save as much as the
        closure adds; NaN when no one is affected), with u "km" for
        distances and both "km" (from the route's length) and "min" for road
        times. ``attrs``: closed, kinds, digital_share, trips_per_person,
        round_trip.

    Notes
    -----
    Each square keeps its people; its cost to the nearest service of the
    kind is compared before and after. People without a route after the
    closure count as beyond every threshold (so a closure that leaves a
    kind without any service moves everyone beyond), and their travel is
    left out of the km and minutes (reported as ``lost_route``). Travel per
    square and trip is the cost (× 2 for a round trip); added travel is
    people × trips × (after − before); the digital saving counts the
    affected squares only (those whose nearest service moved farther):
    ``digital_share`` × people × trips × after, the trips an e-service would
    spare them once the service has closed; ``offset_share`` = added ÷
    (people × trips × after) over those squares. It is the arithmetic of
    :func:`travel_savings` for residents travelling themselves.

    Example
    -------
    >>> import geopandas as gpd
    >>> cells = gpd.GeoDataFrame({"cell_id": [1, 2], "population": [10.0, 5.0],
    ...     "municipality_code": "1880"},
    ...     geometry=gpd.points_from_xy([500000, 520000], [6600000, 6600000]), crs=3006)
    >>> services = gpd.GeoDataFrame({"service_id": ["a", "b"], "kind": "apotek"},
    ...     geometry=gpd.points_from_xy([500000, 520000], [6600000, 6600000]), crs=3006)
    >>> out = closure_impact(cells, services, closed="b", thresholds_km=[10])
    >>> out[["beyond_before_10km", "beyond_after_10km", "change_10km", "added_km"]]
       beyond_before_10km  beyond_after_10km  change_10km  added_km
    0                 0.0                5.0          5.0     200.0
    """
    wanted = [closed] if isinstance(closed, str) or not isinstance(closed, Sequence) else list(
        closed)
    require_columns(services, "services", ["service_id", "kind"])
    ids = services["service_id"]
    missing = [c for c in wanted if not (ids == c).any()]
    if missing:
        raise SchemaError(
            f"`closed` names {missing[0]!r}, which is no service_id of `services`",
            column="service_id", value=missing[0],
            hint="pass service_id values of `services`",
        )
    if not 0 <= digital_share <= 1:
        raise ValueError(f"`digital_share` must lie in 0–1, but {digital_share!r} was passed.")
    if not trips_per_person >= 0:
        raise ValueError(
            f"`trips_per_person` must be ≥ 0, but {trips_per_person!r} was passed.")
    shut = ids.isin(wanted).to_numpy()
    kinds = sorted(map(str, pd.unique(services.loc[shut, "kind"].astype(str))))
    options = {"method": method, "network": network, "weight": weight,
               "snap_speed_kmh": snap_speed_kmh}
    if before is None:
        before = nearest(cells, services, kind=kinds, **options)
    else:
        require_columns(before, "before", ["cell_id", "kind", "distance", "unit"],
                        hint="pass access.nearest(cells, services, kind=...) for these kinds")
        before = before[before["kind"].astype(str).isin(kinds).to_numpy()]
    left = services[~shut]
    frames = []
    for kind in kinds:
        b = before[(before["kind"].astype(str) == kind).to_numpy()].reset_index(drop=True)
        if len(b) != len(cells):
            raise SchemaError(
                f"`before` has {len(b)} rows of {kind!r} for {len(cells)} cells",
                column="kind", hint="pass access.nearest(cells, services) for every cell",
            )
        if (left["kind"].astype(str) == kind).any():
            a = nearest(cells, left, kind=kind, **options)
        else:  # the last service of the kind closed
            a = b.assign(distance=np.nan, length_m=np.nan) if "length_m" in b else b.assign(
                distance=np.nan)
        frames.append(_compare(b, a, cells, kind, thresholds_min, thresholds_km, digital_share,
                               trips_per_person * (2.0 if round_trip else 1.0), by))
    out = pd.concat(frames, ignore_index=True)
    out.attrs = {"closed": wanted, "kinds": kinds, "digital_share": digital_share,
                 "trips_per_person": trips_per_person, "round_trip": round_trip}
    return out


def _compare(before, after, cells, kind, thresholds_min, thresholds_km, share, trips, by):
    unit = "min" if str(before["unit"].iloc[0]) == "s" else "km"
    scale = 60.0 if unit == "min" else 1000.0
    edges = np.asarray(thresholds_min if unit == "min" else thresholds_km, float)
    v0 = before["distance"].to_numpy(float) / scale
    v1 = after["distance"].to_numpy(float) / scale
    measures = {unit: (v0, v1)}
    if unit == "min" and "length_m" in before and "length_m" in after:
        measures["km"] = (before["length_m"].to_numpy(float) / 1000.0,
                          after["length_m"].to_numpy(float) / 1000.0)
    key = cells[by].astype(str).to_numpy() if by is not None else np.full(len(cells), "all")
    rows = []
    for group, column in _GROUPS.items():
        if column not in cells:
            continue
        people = np.nan_to_num(pd.to_numeric(cells[column], errors="coerce").to_numpy(float))
        table = {"key": key, "population": people}
        for t in edges:
            label = f"{_label(t)}{unit}"
            out0 = people * ~(v0 < t)
            out1 = people * ~(v1 < t)
            table[f"beyond_before_{label}"] = out0
            table[f"beyond_after_{label}"] = out1
            table[f"change_{label}"] = out1 - out0
        table["lost_route"] = people * (np.isfinite(v0) & ~np.isfinite(v1))
        moved = ~(v1 == v0) & np.isfinite(v1)  # farther after the closure (with a route)
        for name, (m0, m1) in sorted(measures.items()):
            both = np.isfinite(m0) & np.isfinite(m1)
            table[f"added_{name}"] = np.where(both, people * trips * (m1 - m0), 0.0)
            table[f"_after_{name}"] = np.where(moved & np.isfinite(m1), people * trips * m1, 0.0)
            table[f"saved_{name}"] = share * table[f"_after_{name}"]
            table[f"net_{name}"] = table[f"added_{name}"] - table[f"saved_{name}"]
        summed = pd.DataFrame(table).groupby("key", sort=True).sum().reset_index()
        for name in sorted(measures):
            after = summed.pop(f"_after_{name}")
            with np.errstate(invalid="ignore", divide="ignore"):
                summed[f"offset_share_{name}"] = np.where(
                    after > 0, summed[f"added_{name}"] / after, np.nan)
        summed.insert(1, "kind", kind)
        summed.insert(2, "group", group)
        rows.append(summed)
    out = pd.concat(rows, ignore_index=True).rename(columns={"key": by or "area"})
    return out.sort_values([by or "area", "kind", "group"], key=_group_order,
                           ignore_index=True)


def _group_order(column: pd.Series) -> pd.Series:
    return column.map({"all": 0, "70+": 1}) if column.name == "group" else column


def _small(values, limit: int) -> np.ndarray:
    rounded = np.round(np.asarray(values, float), 6)
    with np.errstate(invalid="ignore"):
        return (rounded >= 1) & (rounded < limit)


def publishable_closure(impact: pd.DataFrame, *, limit: int = SUPPRESSION_LIMIT) -> pd.DataFrame:
    """The :func:`closure_impact` table rounded to whole people, small counts masked.

    Masked: a whole row whose population is 1 to ``limit − 1`` people; for
    each threshold, the three counts before, after and change together when
    any of them is small (any two give the third); ``lost_route`` when
    small; and in a "70+" row, a threshold's three counts when the people
    under 70 they imply (the "all" row minus this one) are a small count.
    Travel columns are kept unless the whole row is masked (they sum km or
    minutes, not people). Adds ``suppressed``: the masked columns, ";"-joined.

    Example
    -------
    >>> t = pd.DataFrame({"municipality_code": ["1880"], "kind": "apotek", "group": "all",
    ...     "population": [500.0], "beyond_before_10km": [40.0], "beyond_after_10km": [43.0],
    ...     "change_10km": [3.0], "lost_route": [0.0], "added_km": [120.5]})
    >>> publishable_closure(t)[["beyond_before_10km", "change_10km", "added_km"]]
       beyond_before_10km  change_10km  added_km
    0                 NaN          NaN     120.5
    """
    require_columns(impact, "impact", ["kind", "group", "population"],
                    hint="pass the output of access.closure_impact")
    out = impact.reset_index(drop=True).copy()
    labels = [c.removeprefix("change_") for c in out.columns if c.startswith("change_")]
    triples = {t: [f"beyond_before_{t}", f"beyond_after_{t}", f"change_{t}"] for t in labels}
    counts = ["population", "lost_route"] + [c for t in labels for c in triples[t]]
    out[counts] = out[counts].round(0)
    masked = pd.DataFrame(False, index=out.index, columns=counts)
    whole = _small(out["population"], limit)
    for columns in triples.values():
        hit = np.zeros(len(out), dtype=bool)
        for column in columns:
            hit |= _small(out[column], limit)
        masked.loc[hit, columns] = True
    if "lost_route" in out:
        masked.loc[_small(out["lost_route"], limit), "lost_route"] = True
    keys = [c for c in out.columns if c not in counts and c not in ("group",)
            and not c.startswith(("added_", "saved_", "net_"))]
    if {"all", "70+"} <= set(out["group"]):
        pair = out.groupby(keys, sort=False).ngroup().to_numpy()
        for label in np.unique(pair):
            rows = np.flatnonzero(pair == label)
            everyone = rows[out["group"].to_numpy()[rows] == "all"]
            old = rows[out["group"].to_numpy()[rows] == "70+"]
            if len(everyone) != 1 or len(old) != 1:
                continue
            for columns in triples.values():
                under = out.loc[everyone[0], columns].to_numpy(float) - out.loc[
                    old[0], columns].to_numpy(float)
                if _small(under, limit).any():
                    masked.loc[old[0], columns] = True
    masked.loc[whole, :] = True
    for column in counts:
        out.loc[masked[column].to_numpy(), column] = np.nan
    travel = [c for c in out.columns if c.startswith(("added_", "saved_", "net_"))]
    out.loc[whole, travel] = np.nan
    out["suppressed"] = [";".join(c for c in counts if row[c]) for _, row in masked.iterrows()]
    return out


def served_by(distances: pd.DataFrame, *, kind: str, order: str = "people") -> pd.DataFrame:
    """The services of a kind, the people for whom each is the nearest and how far they live.

    For choosing a closure scenario: the service that serves the fewest
    (``order="people"``) or whose people live farthest (``order="remote"``,
    the rural service a budget cut would look at first).

    Returns
    -------
    DataFrame
        service_id, people (and people_70plus when the table has it),
        mean_distance (people-weighted, in the table's unit: metres or
        seconds); fewest people first, or farthest first, then by id.

    Example
    -------
    >>> d = pd.DataFrame({"kind": "apotek", "service_id": ["a", "b", "a"],
    ...     "population": [10.0, 3.0, 5.0], "distance": [100.0, 4000.0, 400.0]})
    >>> served_by(d, kind="apotek").values.tolist()
    [['b', 3.0, 4000.0], ['a', 15.0, 200.0]]
    >>> served_by(d, kind="apotek", order="remote")["service_id"].tolist()
    ['b', 'a']
    """
    from ..errors import check_choice

    check_choice("order", ["people", "remote"], order)
    require_columns(distances, "distances", ["kind", "service_id", "population", "distance"],
                    hint="pass the output of access.nearest")
    rows = distances[(distances["kind"].astype(str) == kind).to_numpy()
                     & distances["service_id"].notna().to_numpy()]
    rows = rows.assign(_weighted=rows["population"] * rows["distance"])
    columns = {"population": "people", "population_70plus": "people_70plus"}
    present = [c for c in columns if c in rows]
    out = rows.groupby(rows["service_id"].astype(str))[[*present, "_weighted"]].sum()
    out = out.rename(columns=columns).reset_index().rename(columns={"index": "service_id"})
    with np.errstate(invalid="ignore", divide="ignore"):
        out["mean_distance"] = np.where(out["people"] > 0, out.pop("_weighted") / out["people"],
                                        np.nan)
    if order == "people":
        return out.sort_values(["people", "service_id"], ignore_index=True)
    return out.sort_values(["mean_distance", "service_id"], ascending=[False, True],
                           ignore_index=True)
