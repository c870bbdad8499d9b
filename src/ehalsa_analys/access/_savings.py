"""Travel saved by digital home visits, read from the nearest table (:func:`travel_savings`).

Private; public as ``access.travel_savings``. The trips come from
:func:`ehalsa_analys.access.nearest` (clients to their nearest base); this
module only does the arithmetic.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import SchemaError
from ..schemas import require_columns
from ._checks import _plain, _require_amounts, _unique_ids


def _per_row(frame, value, name: str) -> np.ndarray:
    if isinstance(value, str):
        require_columns(frame, "clients", [value])
        return _require_amounts(frame, "clients", value)
    if not (isinstance(value, int | float) and np.isfinite(value) and value >= 0):
        raise ValueError(
            f"`{name}` must be a column name or a number ≥ 0, but {value!r} was passed."
        )
    return np.full(len(frame), float(value))


def _trips(clients, distances) -> tuple[np.ndarray, np.ndarray | None, str, str]:
    """Per client: metres of the trip, seconds (road times) or None, method, weight."""
    require_columns(
        distances,
        "distances",
        ["cell_id", "kind", "distance", "unit"],
        hint="pass access.nearest(clients, bases, ...)",
    )
    kinds = sorted(map(str, pd.unique(distances["kind"].dropna())))
    if len(kinds) > 1:
        raise SchemaError(
            f"`distances` holds the kinds {kinds}; travel savings need the trips to one kind "
            "of base",
            column="kind",
            hint=f"pass distances[distances['kind'] == {kinds[0]!r}], or nearest(..., kind=...)",
        )
    units = set(map(str, pd.unique(distances["unit"].dropna())))
    if not units <= {"m", "s"} or len(units) > 1:
        raise SchemaError(
            f"`distances` has the unit(s) {sorted(units)}; expected one of 'm' and 's'",
            column="unit",
            hint="pass the output of access.nearest",
        )
    weight = "time" if units == {"s"} else "length"
    if weight == "time":
        require_columns(
            distances, "distances", ["length_m"], hint="road times need the route's length_m"
        )
    rows = _unique_ids(distances, "distances", "cell_id").get_indexer(clients["cell_id"])
    missing = np.flatnonzero(rows < 0)
    if missing.size:
        value = _plain(clients["cell_id"].iloc[missing[0]])
        raise SchemaError(
            f"`clients` has the cell_id {value!r}, which `distances` lacks "
            f"({missing.size} such clients)",
            column="cell_id",
            value=value,
            hint="pass access.nearest(clients, bases, ...) for these clients",
        )
    distance = distances["distance"].to_numpy(float)[rows]
    if weight == "time":
        return distances["length_m"].to_numpy(float)[rows], distance, "network", weight
    method = distances.attrs.get("method")
    if method is None:  # a filtered copy may lose attrs: only roads snap
        snapped = "snap_m" in distances and distances["snap_m"].notna().any()
        method = "network" if snapped else "euclidean"
    return distance, None, method, weight


def travel_savings(
    clients,
    distances: pd.DataFrame,
    *,
    visits_per_month: str | float = "visits_per_month",
    digital_share: float = 0.10,
    client_count: str | float | None = None,
    speed_kmh: float = 50.0,
    round_trip: bool = True,
    detour_factor: float = 1.0,
    minutes_saved_per_visit: float = 0.0,
    staff_per_visit: float = 1.0,
    by: str | None = "municipality_code",
) -> pd.DataFrame:
    """Km and staff hours per month saved when a share of home visits becomes digital.

    For home care (hemtjänst) or home health care: night supervision by
    camera or video visits replace a share of the visits, and each replaced
    visit saves the trip from the nearest base.

    Parameters
    ----------
    clients : DataFrame
        One row per client, or per cell of clients: cell_id, the visit and
        count columns named below, and ``by``.
    distances : DataFrame
        The trips: :func:`nearest` from ``clients`` to the bases (one kind),
        by straight line, road length or road time (``weight="time"``: km
        from the fastest route's ``length_m``, hours from its time).
    visits_per_month : str or float, default "visits_per_month"
        Visits per client and month: a column, or one number for all.
    digital_share : float, default 0.10
        Share of the visits made digital (0–1).
    client_count : str, float or None
        Clients per row: a column or a number; None takes the
        ``population`` column when there is one, else 1 per row.
    speed_kmh : float, default 50
        Average driving speed, for distances (not for road times).
    round_trip : bool, default True
        A trip is base → client → base; False: one way.
    detour_factor : float, default 1
        Multiplies the trip km (e.g. 1.3 to turn straight lines into roads).
    minutes_saved_per_visit : float, default 0
        Staff minutes at the door saved per digital visit, net of the time
        the digital visit itself takes.
    staff_per_visit : float, default 1
        Staff travelling together on a visit.
    by : str or None, default "municipality_code"
        Column of ``clients`` to sum by; None for one row "all".

    Returns
    -------
    DataFrame
        by, clients, visits, digital_visits, km_saved, hours_saved (per
        month), unreachable (clients without a route, left out of the
        savings), and the assumptions as columns (digital_share, method,
        weight, speed_kmh, round_trip, detour_factor,
        minutes_saved_per_visit, staff_per_visit).

    Raises
    ------
    SchemaError
        Missing columns, bad amounts, distances to several kinds, or a
        client without a row in ``distances``.

    Notes
    -----
    Each client is served from the nearest base. A visit is a round trip of
    twice the distance (``round_trip=False``: one way, closer to a route
    that chains visits). Per month: digital visits = clients × visits per
    client × digital share; km saved = trip km × detour factor × digital
    visits; staff hours saved = staff per visit × digital visits × (driving
    hours per trip + minutes saved at the door / 60), with the driving time
    from the route time (road times) or km / ``speed_kmh``. All assumptions
    are parameters and returned as columns.

    Example
    -------
    >>> import geopandas as gpd
    >>> from ehalsa_analys import access
    >>> c = gpd.GeoDataFrame({"cell_id": [1], "population": [1.0],
    ...     "municipality_code": ["1880"], "visits_per_month": [60.0]},
    ...     geometry=gpd.points_from_xy([505000], [6500000]), crs=3006)
    >>> b = gpd.GeoDataFrame({"service_id": ["h"], "kind": "hemtjänst"},
    ...     geometry=gpd.points_from_xy([500000], [6500000]), crs=3006)
    >>> out = travel_savings(c, access.nearest(c, b))  # 60 visits x 10 % x 2 x 5 km
    >>> out[["digital_visits", "km_saved", "hours_saved"]].round(6).iloc[0].tolist()
    [6.0, 60.0, 1.2]
    """
    if not 0 <= digital_share <= 1:
        raise ValueError(f"`digital_share` must lie in 0–1, but {digital_share!r} was passed.")
    for name, value in (
        ("speed_kmh", speed_kmh),
        ("detour_factor", detour_factor),
        ("staff_per_visit", staff_per_visit),
    ):
        if not value > 0:
            raise ValueError(f"`{name}` must be positive, but {value!r} was passed.")
    if not minutes_saved_per_visit >= 0:
        raise ValueError(
            f"`minutes_saved_per_visit` must be ≥ 0, but {minutes_saved_per_visit!r} was passed."
        )
    require_columns(clients, "clients", ["cell_id", *([by] if by is not None else [])])
    _unique_ids(clients, "clients", "cell_id")
    if client_count is None:
        client_count = "population" if "population" in clients else 1.0
    count = _per_row(clients, client_count, "client_count")
    visits = _per_row(clients, visits_per_month, "visits_per_month")
    metres, seconds, method, weight = _trips(clients, distances)
    trips = 2.0 if round_trip else 1.0
    trip_km = metres / 1000.0 * trips * detour_factor
    drive_hours = (
        seconds / 3600.0 * trips * detour_factor if seconds is not None else trip_km / speed_kmh
    )
    digital = count * visits * digital_share
    reach = np.isfinite(trip_km)
    out = pd.DataFrame(
        {
            "key": clients[by].to_numpy() if by is not None else "all",
            "clients": count,
            "visits": count * visits,
            "digital_visits": digital,
            "km_saved": np.where(reach, trip_km * digital, 0.0),
            "hours_saved": np.where(
                reach,
                staff_per_visit * digital * (drive_hours + minutes_saved_per_visit / 60.0),
                0.0,
            ),
            "unreachable": np.where(reach, 0.0, count),
        }
    )
    out = out.groupby("key", sort=True).sum().reset_index().rename(columns={"key": by or "area"})
    return out.assign(
        digital_share=digital_share,
        method=method,
        weight=weight,
        speed_kmh=speed_kmh if weight == "length" else np.nan,
        round_trip=round_trip,
        detour_factor=detour_factor,
        minutes_saved_per_visit=minutes_saved_per_visit,
        staff_per_visit=staff_per_visit,
    )
