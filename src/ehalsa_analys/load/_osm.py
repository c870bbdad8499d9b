"""OpenStreetMap extracts (.osm.pbf) as road lines for :func:`ehalsa_analys.load.roads`.

Read with pyosmium (the ``osmium`` package: Python bindings of libosmium,
the OSM community's C++ library): it streams the file with a node-location
index, so a county can be read from a Sweden extract without holding the
country's geometries, it installs from wheels, and it also *writes* PBF,
which the tests and the demo use to make small extracts. pyrosm reads only
and builds whole GeoDataFrames of every way first.

The reader keeps the ways of one network (car, walk or bicycle), gives
each a speed and a direction and returns lines in EPSG:3006; the graph is
built from them as from any line file.

Example
-------
>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "x.osm.pbf"
>>> _ = write_pbf(path, nodes={1: (15.00, 59.0), 2: (15.01, 59.0)},
...     ways={7: ([1, 2], {"highway": "primary", "maxspeed": "70"})})
>>> lines = read_osm(path)
>>> lines[["osm_id", "highway", "speed", "oneway"]].values.tolist()
[[7, 'primary', 70.0, 0]]
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np

__all__ = ["OSM_SPEEDS", "MODES", "read_osm", "write_pbf", "parse_maxspeed"]

#: Default speeds (km/h) by OSM ``highway`` type where a way has no usable
#: ``maxspeed``: (outside built-up areas, inside). Our choice, from Sweden's
#: default limits (70 km/h outside and 50 inside built-up areas, motorways
#: 110) and lower speeds on small roads, where people drive slower than the
#: limit. A way is "inside" when it lies in the ``urban=`` areas given to
#: :func:`read_osm`; residential streets and living streets always are.
OSM_SPEEDS = {
    "motorway": (110, 90),
    "motorway_link": (70, 50),
    "trunk": (90, 70),
    "trunk_link": (60, 50),
    "primary": (80, 50),
    "primary_link": (60, 40),
    "secondary": (70, 50),
    "secondary_link": (50, 40),
    "tertiary": (70, 50),
    "tertiary_link": (50, 40),
    "unclassified": (60, 40),
    "road": (50, 40),
    "residential": (50, 30),
    "living_street": (7, 7),
    "service": (30, 20),
    "track": (20, 20),
}
#: The highways both walkers and cyclists may use (motorways and trunk roads excluded).
_SLOW_WAYS = (
    "primary",
    "primary_link",
    "secondary",
    "secondary_link",
    "tertiary",
    "tertiary_link",
    "unclassified",
    "road",
    "residential",
    "living_street",
    "service",
    "track",
    "path",
    "cycleway",
)
#: Highway types each network uses and its speed (km/h) when not by car.
MODES = {
    "car": (tuple(OSM_SPEEDS), None),
    "walk": (_SLOW_WAYS + ("footway", "pedestrian", "steps", "bridleway"), 5.0),
    "bicycle": (_SLOW_WAYS, 15.0),
}
#: ``maxspeed`` words: Sweden's implicit limits.
_IMPLICIT = {"se:urban": 50.0, "se:rural": 70.0, "se:motorway": 110.0, "se:living_street": 7.0}
_ONEWAY = {"yes": 1, "true": 1, "1": 1, "-1": -1, "reverse": -1, "no": 0, "false": 0, "0": 0}
_CLOSED = ("no", "private")


def parse_maxspeed(value: str | None) -> float:
    """The speed in km/h of an OSM ``maxspeed`` value; NaN when it gives none.

    Numbers are km/h unless followed by "mph"; several limits ("70;50")
    give the lowest; Sweden's implicit limits ("SE:urban", "SE:rural") are
    read; "none", "signals", "walk" and the like give NaN (the default for
    the highway type applies).

    Example
    -------
    >>> [parse_maxspeed(v) for v in ("70", "30 mph", "70;50", "SE:urban")]
    [70.0, 48.28032, 50.0, 50.0]
    >>> math.isnan(parse_maxspeed("signals"))
    True
    """
    if not value:
        return math.nan
    speeds = []
    for part in str(value).split(";"):
        text = part.strip().casefold()
        if text in _IMPLICIT:
            speeds.append(_IMPLICIT[text])
            continue
        match = re.fullmatch(r"(\d+(?:\.\d+)?)\s*(mph|km/h|kmh)?", text)
        if match:
            speed = float(match.group(1)) * (1.609344 if match.group(2) == "mph" else 1.0)
            if speed > 0:
                speeds.append(speed)
    return min(speeds) if speeds else math.nan


def _oneway(tags, mode: str) -> int:
    if mode == "walk":
        return _ONEWAY.get(tags.get("oneway:foot", "no"), 0)
    value = tags.get("oneway")
    if mode == "bicycle" and tags.get("oneway:bicycle") is not None:
        value = tags.get("oneway:bicycle")
    if value is not None and value in _ONEWAY:
        return _ONEWAY[value]
    implied = tags.get("highway") in ("motorway", "motorway_link") or tags.get("junction") in (
        "roundabout",
        "circular",
    )
    return 1 if implied else 0


def _allowed(tags, mode: str, kinds) -> bool:
    highway = tags.get("highway")
    if highway not in kinds or tags.get("area") == "yes":
        return False
    if tags.get("access") in _CLOSED and tags.get(
        {"car": "motor_vehicle", "walk": "foot", "bicycle": "bicycle"}[mode]
    ) not in ("yes", "designated", "permissive"):
        return False
    if mode == "car":
        return tags.get("motor_vehicle") not in _CLOSED and tags.get("motorcar") not in _CLOSED
    if mode == "walk":
        return tags.get("foot") not in _CLOSED and tags.get("motorroad") != "yes"
    if highway == "path" and tags.get("bicycle") not in ("yes", "designated"):
        return False
    return tags.get("bicycle") not in _CLOSED and tags.get("motorroad") != "yes"


def _clip_area(clip, buffer_m: float):
    """The clip polygon in EPSG:3006 with its buffer (county code or name, or a geometry)."""
    import shapely

    from ..reference import geometries

    if clip is None:
        return None
    if isinstance(clip, shapely.Geometry):
        area = clip
    elif hasattr(clip, "geometry") and hasattr(clip, "crs"):  # a GeoSeries or GeoDataFrame
        area = shapely.union_all(clip.to_crs(3006).geometry.to_numpy())
    else:
        area = shapely.union_all(geometries("county", county_code=clip).geometry.to_numpy())
    return area.buffer(buffer_m) if buffer_m else area


def read_osm(
    path,
    *,
    mode: str = "car",
    clip=None,
    clip_buffer_m: float = 20_000.0,
    urban=None,
):
    """Ways of one network from an OSM extract as lines in EPSG:3006.

    Parameters
    ----------
    path : str or Path
        An .osm.pbf file (any format libosmium reads: .osm, .osm.bz2, .o5m).
    mode : {"car", "walk", "bicycle"}
        The network: highway types in :data:`MODES` open to that mode
        (``access``, ``motor_vehicle``, ``foot``, ``bicycle`` = no/private
        close a way; walking and cycling leave out motor roads).
    clip : county code or name, or a polygon in EPSG:3006, optional
        Keep the ways that reach into this area grown by ``clip_buffer_m``;
        whole ways are kept, so routes near the border stay right.
    clip_buffer_m : float, default 20 000
    urban : polygon(s) in EPSG:3006, optional
        Built-up areas (SCB's tätorter, say): ways there take the inside
        default speed of :data:`OSM_SPEEDS`.

    Returns
    -------
    GeoDataFrame
        osm_id, highway, speed (km/h), oneway (1 along the way, -1 against,
        0 both), source_row (the way's position in the file, from 1) and
        LineString geometry in EPSG:3006, in file order. Speed is
        ``maxspeed`` (:func:`parse_maxspeed`) or the default for the highway
        type; walking and cycling use the mode's speed. ``oneway`` is read
        from the tag (yes/true/1, -1/reverse, no) or implied by motorways and
        roundabouts; walking ignores it.
    """
    import geopandas as gpd
    import osmium
    import pyproj
    import shapely

    from ..errors import InputFileError, check_choice

    check_choice("mode", list(MODES), mode)
    kinds, mode_speed = MODES[mode]
    kinds = set(kinds)
    area = _clip_area(clip, clip_buffer_m)
    to_wgs = pyproj.Transformer.from_crs(3006, 4326, always_xy=True)
    box = None
    if area is not None:
        x0, y0, x1, y1 = area.bounds
        lon, lat = to_wgs.transform([x0, x0, x1, x1], [y0, y1, y0, y1])
        box = (min(lon), min(lat), max(lon), max(lat))
    ids, highways, speeds, oneways, rows, offsets, lons, lats = [], [], [], [], [], [0], [], []
    row = 0
    try:
        processor = (
            osmium.FileProcessor(str(path), osmium.osm.NODE | osmium.osm.WAY)
            .with_locations()
            .with_filter(osmium.filter.KeyFilter("highway"))
            .with_filter(osmium.filter.EntityFilter(osmium.osm.WAY))
        )
        for way in processor:
            row += 1
            tags = way.tags
            if not _allowed(tags, mode, kinds):
                continue
            try:
                points = [(n.lon, n.lat) for n in way.nodes]
            except osmium.InvalidLocationError:
                continue  # a way whose nodes are outside the extract
            if len(points) < 2:
                continue
            if box is not None:
                xs = [p[0] for p in points]
                ys = [p[1] for p in points]
                if max(xs) < box[0] or min(xs) > box[2] or max(ys) < box[1] or min(ys) > box[3]:
                    continue
            highway = tags.get("highway")
            if mode_speed is None:
                speed = parse_maxspeed(tags.get("maxspeed"))
            else:
                speed = mode_speed
            ids.append(way.id)
            highways.append(highway)
            speeds.append(speed)
            oneways.append(_oneway(tags, mode))
            rows.append(row)
            for lon, lat in points:
                lons.append(lon)
                lats.append(lat)
            offsets.append(len(lons))
    except RuntimeError as err:
        raise InputFileError(
            f"The OSM file could not be read: {err}",
            file=Path(path).name,
            hint="check that it is an .osm.pbf extract (e.g. from Geofabrik)",
        ) from err
    x, y = pyproj.Transformer.from_crs(4326, 3006, always_xy=True).transform(
        np.asarray(lons, float), np.asarray(lats, float)
    )
    offsets = np.asarray(offsets)
    counts = np.diff(offsets)
    lines = (
        shapely.linestrings(
            np.column_stack([x, y]), indices=np.repeat(np.arange(len(counts)), counts)
        )
        if len(counts)
        else np.array([], dtype=object)
    )
    table = gpd.GeoDataFrame(
        {
            "osm_id": np.asarray(ids, np.int64),
            "highway": np.asarray(highways, dtype=object),
            "speed": np.asarray(speeds, float),
            "oneway": np.asarray(oneways, np.int64),
            "source_row": np.asarray(rows, np.int64),
        },
        geometry=lines,
        crs=3006,
    )
    if area is not None and len(table):
        table = table[shapely.intersects(table.geometry.to_numpy(), area)].reset_index(drop=True)
    if mode_speed is None and len(table):
        inside = table["highway"].isin(["residential", "living_street"]).to_numpy()
        if urban is not None:
            zone = (
                urban
                if isinstance(urban, shapely.Geometry)
                else shapely.union_all(urban.to_crs(3006).geometry.to_numpy())
            )
            middle = shapely.line_interpolate_point(table.geometry.to_numpy(), 0.5, normalized=True)
            inside = inside | shapely.within(middle, zone)
        default = np.array(
            [OSM_SPEEDS[h][int(i)] for h, i in zip(table["highway"], inside, strict=True)], float
        )
        table["speed"] = np.where(np.isnan(table["speed"]), default, table["speed"])
    table.attrs["file"] = Path(path).name
    return table


def write_pbf(path, *, nodes: dict, ways: dict, generator: str | None = None) -> Path:
    """Write a small OSM extract: ``nodes`` {id: (lon, lat)}, ``ways`` {id: (node ids, tags)}.

    For tests and the demo; objects are written sorted by id, as OSM files are,
    and the same input gives the same bytes. ``generator`` goes in the file's
    header (the demo's says SYNTHETIC there).
    """
    import osmium
    from osmium.osm.mutable import Node, Way

    path = Path(path)
    if path.exists():
        path.unlink()
    header = osmium.io.Header()
    header.set("generator", generator or "ehalsa_analys")
    with osmium.SimpleWriter(str(path), 4 * 2**20, header) as writer:
        for node_id in sorted(nodes):
            lon, lat = nodes[node_id]
            writer.add_node(Node(id=int(node_id), location=(float(lon), float(lat))))
        for way_id in sorted(ways):
            refs, tags = ways[way_id]
            writer.add_way(Way(id=int(way_id), nodes=[int(r) for r in refs], tags=dict(tags)))
    return path
