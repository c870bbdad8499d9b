"""Demo distance-to-service data: Västernorrland and Örebro län (SYNTHETIC).

Written under ``avstand/``:

``befolkning_1km.csv`` (``befolkning_250m.csv`` with ``scale="250m"``)
    Population per grid square in the shape of a Swedish export (cp1252,
    ``;``): Rutid (13-digit SWEREF 99 TM lower-left id), Befolkning, 70+,
    Tätort (ja/nej). Squares lie inside the real municipality polygons and
    cluster around each municipality's town and villages, with long rural
    tails; older people are a larger share in the countryside.
``service.csv``
    Service points: Namn, Typ, X, Y, Kapacitet. In towns as many of each kind
    as :data:`TOWN_PEOPLE_PER_SERVICE` gives for the municipality's
    population, spread over the town; grocery stores in most villages,
    home-care bases (hemtjänst, capacity = staff) in towns and some villages,
    a few village pharmacies and fuel stations.
``vagar.parquet``
    Roads (GeoParquet, so the bytes are deterministic; GeoPackage files carry
    a write time) with vertices every 500 m and speeds: town-to-town links
    (90 km/h), village roads (70 km/h) and a jittered 2.5 km lattice of local
    roads (50 km/h) joined to every place, so squares snap to a road within
    about a kilometre; one village in Örnsköldsvik is an **island** whose
    roads do not connect to the rest (the lattice leaves a 7 km hole around
    it), so its squares are unreachable by road.
``pipos_dagligvaror.csv``
    A Pipos-style table (population per municipality by minutes by car to
    the nearest grocery store: under 5, 5–10, 10–30, over 30), computed from
    these synthetic data.
``vagar_syntetisk.osm.pbf``
    The same roads as a small OpenStreetMap extract (SYNTHETIC, said in the
    file's header and in every way's ``note``): junctions are shared nodes,
    town links ``highway=primary`` with ``maxspeed=90``, village roads
    ``secondary``/70, the lattice ``unclassified``/50, so notebook 03 can
    show the OSM path (``load.roads(path, clip=county)``).

``national(seed)`` builds a Sweden-wide grid of about 600 000 cells, about
6 000 services of 5 kinds and a road graph of over a million nodes in memory,
for benchmarks (not written by default).

Example
-------
>>> import tempfile, pathlib
>>> [p.name for p in write(pathlib.Path(tempfile.mkdtemp()), seed=1)][2:]
['service.csv', 'vagar.parquet', 'pipos_dagligvaror.csv', 'vagar_syntetisk.osm.pbf']
"""

from __future__ import annotations

import io
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy import sparse
from scipy.spatial import cKDTree

from .. import reference
from .._atomic import write_bytes
from ..load import RoadGraph

__all__ = [
    "REVISION",
    "COUNTIES",
    "ISLAND_MUNICIPALITY",
    "SNAP_SPEED_KMH",
    "towns",
    "write",
    "osm_extract",
    "national",
]

#: Revision of what :func:`write` writes, raised whenever its output changes, so that
#: a demo folder written by an older version is rewritten (2: a local road lattice;
#: 3: exact snapping changes the Pipos-style table, and the roads as an OSM extract)
REVISION = 3

COUNTIES = ("22", "18")
#: Speed from a square to the nearest node of the synthetic network, which leaves out
#: the smallest roads and driveways: people drive that stretch too.
SNAP_SPEED_KMH = 40.0
#: The municipality whose village is an island without a road link.
ISLAND_MUNICIPALITY = "2284"

_NOTICE = """\
SYNTETISKA DEMODATA – avstånd till service
Befolkningsrutor, servicepunkter, vägar och Pipos-tabell i den här mappen är påhittade av
ehalsa_analys (ehalsa_analys.demo.access) inom de verkliga kommungränserna. De beskriver
inte var människor bor eller var service finns och får aldrig redovisas som statistik.

SYNTHETIC DEMO DATA – made up by ehalsa_analys; not real population or services.
"""


def _inside(polygon, n: int, rng: np.random.Generator) -> np.ndarray:
    minx, miny, maxx, maxy = polygon.bounds
    out = np.zeros((0, 2))
    while len(out) < n:
        pts = rng.uniform([minx, miny], [maxx, maxy], (4 * n + 16, 2))
        out = np.vstack([out, pts[shapely.contains_xy(polygon, pts[:, 0], pts[:, 1])]])
    return out[:n]


def towns(seed: int, counties: tuple[str, ...] = COUNTIES) -> pd.DataFrame:
    """Each municipality's town (its representative point) and 2–4 villages.

    Example
    -------
    >>> t = towns(1)
    >>> bool(t.groupby("municipality_code").size().between(3, 5).all()), int(t["town"].sum())
    (True, 19)
    """
    rng = np.random.default_rng([seed, 5])
    shapes = reference.geometries("municipality")
    shapes = shapes[shapes["county_code"].isin(counties)].sort_values("municipality_code")
    rows = []
    for code, polygon in zip(shapes["municipality_code"], shapes.geometry, strict=True):
        centre = polygon.representative_point()
        rows.append((code, f"{code}_T", centre.x, centre.y, True))
        for i, (x, y) in enumerate(_inside(polygon, int(rng.integers(2, 5)), rng)):
            rows.append((code, f"{code}_V{i}", x, y, False))
    return pd.DataFrame(rows, columns=["municipality_code", "place", "x", "y", "town"])


def _cells(places: pd.DataFrame, seed: int, size: float) -> pd.DataFrame:
    rng = np.random.default_rng([seed, 7, int(size)])
    shapes = reference.geometries("municipality").set_index("municipality_code")
    people = reference.population().set_index("municipality_code")["population"]
    frames = []
    for code, group in places.groupby("municipality_code", sort=True):
        polygon = shapes.loc[code, "geometry"]
        minx, miny, maxx, maxy = (np.array(polygon.bounds) // size) * size
        gx, gy = np.meshgrid(np.arange(minx, maxx + size, size), np.arange(miny, maxy + size, size))
        cx, cy = gx.ravel() + size / 2, gy.ravel() + size / 2
        inside = shapely.contains_xy(polygon, cx, cy)
        cx, cy = cx[inside], cy[inside]
        d, which = cKDTree(group[["x", "y"]].to_numpy()).query(np.column_stack([cx, cy]))
        is_town = group["town"].to_numpy()[which]
        weight = np.where(is_town, 60.0, 15.0) * np.exp(-d / 2500) + 0.4 * np.exp(-d / 20000)
        expected = weight / weight.sum() * people[code]
        pop = rng.poisson(expected)
        keep = pop > 0
        old_share = np.clip(0.16 + 0.1 * (d / 20000) + rng.normal(0, 0.03, d.size), 0.05, 0.5)
        frames.append(
            pd.DataFrame(
                {
                    "x": cx[keep] - size / 2,
                    "y": cy[keep] - size / 2,
                    "population": pop[keep],
                    "old": np.round(pop[keep] * old_share[keep]).astype(int),
                    "urban": (d[keep] < 2000) & is_town[keep],
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


#: Inhabitants per service point of each kind in a town (at least one of each, two
#: grocery stores), our round figures for a synthetic but plausible town.
TOWN_PEOPLE_PER_SERVICE = {
    "dagligvaror": 5_000,
    "apotek": 12_000,
    "vårdcentral": 12_000,
    "hemtjänst": 25_000,
    "drivmedel": 15_000,
}


def _in_town(place, polygon, rng: np.random.Generator) -> tuple[float, float]:
    """A point drawn like the town's people: distance Gamma(2, 2.5 km), inside the polygon.

    The squares' people thin out as exp(-d / 2 500 m) around the town (see
    :func:`_cells`), whose distances from the centre follow that Gamma law."""
    for _ in range(100):
        r, angle = rng.gamma(2.0, 2_500.0), rng.uniform(0, 2 * np.pi)
        x, y = place.x + r * np.cos(angle), place.y + r * np.sin(angle)
        if shapely.contains_xy(polygon, x, y):
            return x, y
    return place.x, place.y


def _services(places: pd.DataFrame, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng([seed, 8])
    people = reference.population().set_index("municipality_code")["population"]
    shapes = reference.geometries("municipality").set_index("municipality_code")["geometry"]
    rows = []
    for place in places.itertuples():
        if place.town:
            inhabitants = people[place.municipality_code]
            counts = {
                kind: max(2 if kind == "dagligvaror" else 1, round(inhabitants / per))
                for kind, per in TOWN_PEOPLE_PER_SERVICE.items()
            }
            staff = max(8, int(inhabitants / 2500 / counts["hemtjänst"]))
            kinds = [
                (kind, staff if kind == "hemtjänst" else None, i == 0)
                for kind, count in counts.items()
                for i in range(count)
            ]
        else:
            kinds = [("dagligvaror", None, True)] if rng.random() < 0.75 else []
            if rng.random() < 0.4:
                kinds.append(("hemtjänst", int(rng.integers(3, 8)), True))
            if rng.random() < 0.3:
                kinds.append(("drivmedel", None, True))
            if rng.random() < 0.15:
                kinds.append(("apotek", None, True))
        if place.place.startswith(ISLAND_MUNICIPALITY + "_V0"):
            kinds = []  # the island has no services
        for j, (kind, capacity, central) in enumerate(kinds):
            # The first of each kind near the centre, the others where the town's people live.
            if central:
                x, y = place.x + rng.normal(0, 150), place.y + rng.normal(0, 150)
            else:
                x, y = _in_town(place, shapes[place.municipality_code], rng)
            rows.append((f"{kind.capitalize()} {place.place}-{j + 1}", kind, x, y, capacity))
    return pd.DataFrame(rows, columns=["Namn", "Typ", "X", "Y", "Kapacitet"])


def _road(a, b, step: float = 500.0) -> shapely.LineString:
    n = max(2, int(np.hypot(b[0] - a[0], b[1] - a[1]) // step) + 1)
    t = np.linspace(0, 1, n)
    return shapely.LineString(np.column_stack([a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])]))


#: Spacing (m) of the synthetic local road lattice, its speed (km/h), and the radius (m)
#: around the island village that the lattice leaves out.
LOCAL_SPACING, LOCAL_SPEED_KMH, ISLAND_RADIUS = 2_500.0, 50, 7_000.0


def _local_roads(places: pd.DataFrame, seed: int, counties: tuple[str, ...] = COUNTIES):
    """A jittered lattice of local roads over the counties, joined to every place.

    Junctions every :data:`LOCAL_SPACING` metres inside the counties' land,
    moved up to a fifth of the spacing at random, each linked to its right
    and upper neighbour; every place but the island village is linked to its
    nearest junction. No junction lies within :data:`ISLAND_RADIUS` of the
    island village, so its squares stay unreachable."""
    rng = np.random.default_rng([seed, 9])
    shapes = reference.geometries("municipality")
    land = shapely.union_all(shapes[shapes["county_code"].isin(counties)].geometry.to_numpy())
    minx, miny, maxx, maxy = land.bounds
    gx, gy = np.meshgrid(
        np.arange(minx, maxx + LOCAL_SPACING, LOCAL_SPACING),
        np.arange(miny, maxy + LOCAL_SPACING, LOCAL_SPACING),
    )
    jitter = rng.uniform(-0.2, 0.2, (2, *gx.shape)) * LOCAL_SPACING
    jx, jy = gx + jitter[0], gy + jitter[1]
    island = places[places["place"] == f"{ISLAND_MUNICIPALITY}_V0"][["x", "y"]].to_numpy()
    keep = shapely.contains_xy(land, jx, jy)
    if len(island):
        keep &= np.hypot(jx - island[0, 0], jy - island[0, 1]) > ISLAND_RADIUS
    lines = []
    for dx, dy in ((1, 0), (0, 1)):
        both = keep[: keep.shape[0] - dy, : keep.shape[1] - dx] & keep[dy:, dx:]
        for i, j in zip(*np.nonzero(both), strict=True):
            lines.append(_road((jx[i, j], jy[i, j]), (jx[i + dy, j + dx], jy[i + dy, j + dx])))
    junctions = np.column_stack([jx[keep], jy[keep]])
    others = places[places["place"] != f"{ISLAND_MUNICIPALITY}_V0"]
    _, nearest = cKDTree(junctions).query(others[["x", "y"]].to_numpy())
    for (x, y), k in zip(others[["x", "y"]].to_numpy(), nearest, strict=True):
        lines.append(_road((x, y), tuple(junctions[k])))
    return lines


def _roads(places: pd.DataFrame, seed: int) -> gpd.GeoDataFrame:
    lines, speeds = [], []
    town = places[places["town"]].reset_index(drop=True)
    xy = town[["x", "y"]].to_numpy()
    # Towns: each to its two nearest towns (main roads, 90 km/h).
    _, near = cKDTree(xy).query(xy, k=min(3, len(xy)))
    for i, row in enumerate(near):
        for j in row[1:]:
            if i < j or i not in near[j][1:]:
                lines.append(_road(xy[i], xy[j]))
                speeds.append(90)
    # Villages: to their own town (70 km/h), except the island.
    for place in places[~places["town"]].itertuples():
        home = town[town["municipality_code"] == place.municipality_code].iloc[0]
        if place.place == f"{ISLAND_MUNICIPALITY}_V0":
            lines.append(_road((place.x - 2000, place.y), (place.x + 2000, place.y)))
        else:
            lines.append(_road((home.x, home.y), (place.x, place.y)))
        speeds.append(70)
    local = _local_roads(places, seed)
    lines += local
    speeds += [LOCAL_SPEED_KMH] * len(local)
    return _noded(lines, speeds)


def _noded(lines: list, speeds: list) -> gpd.GeoDataFrame:
    """The roads split where they cross, so crossings are junctions (as in NVDB).

    Each piece keeps the speed of the road it lies on; where two roads
    overlap, the faster. Pieces are sorted by position, so the file does not
    depend on GEOS' output order."""
    pieces = shapely.get_parts(shapely.node(shapely.MultiLineString(lines)))
    middle = shapely.line_interpolate_point(pieces, 0.5, normalized=True)
    tree = shapely.STRtree(lines)
    piece, road = tree.query(middle, predicate="dwithin", distance=0.01)
    speed = pd.Series(np.asarray(speeds, float)[road]).groupby(piece).max()
    start = shapely.get_coordinates(shapely.get_point(pieces, 0))
    order = np.lexsort((start[:, 0], start[:, 1]))
    return gpd.GeoDataFrame(
        {"hastighet": speed.reindex(range(len(pieces))).to_numpy()[order].astype(int)},
        geometry=pieces[order],
        crs=3006,
    )


#: OSM highway type of each demo road speed (km/h).
_OSM_HIGHWAY = {90: "primary", 70: "secondary", 50: "unclassified"}
#: What the demo OSM extract says about itself.
OSM_GENERATOR = "ehalsa_analys demo: SYNTETISKA DEMODATA (synthetic, not OpenStreetMap data)"


def osm_extract(roads: gpd.GeoDataFrame) -> bytes:
    """The demo roads as an .osm.pbf extract (bytes, deterministic), labelled synthetic.

    Vertices at the same place (to the centimetre) are one node, so the
    junctions of the noded roads are shared nodes, as in OpenStreetMap.

    Example
    -------
    >>> import shapely
    >>> roads = gpd.GeoDataFrame({"hastighet": [50]}, crs=3006,
    ...     geometry=[shapely.LineString([(500_000, 6_600_000), (501_000, 6_600_000)])])
    >>> osm_extract(roads)[:4] != b""
    True
    """
    import tempfile

    import pyproj

    from ..load._osm import write_pbf

    coords, line = shapely.get_coordinates(roads.geometry.to_numpy(), return_index=True)
    keys = np.round(coords * 100).astype(np.int64)
    _, index, inverse = np.unique(keys, axis=0, return_index=True, return_inverse=True)
    inverse = inverse.ravel()
    lon, lat = pyproj.Transformer.from_crs(3006, 4326, always_xy=True).transform(
        coords[index, 0], coords[index, 1]
    )
    nodes = {
        i + 1: (round(float(a), 7), round(float(b), 7))
        for i, (a, b) in enumerate(zip(lon, lat, strict=True))
    }
    ways = {}
    speeds = roads["hastighet"].to_numpy()
    starts = np.searchsorted(line, np.arange(len(roads)))
    ends = np.r_[starts[1:], len(line)]
    for k in range(len(roads)):
        refs = (inverse[starts[k] : ends[k]] + 1).tolist()
        refs = [r for i, r in enumerate(refs) if i == 0 or r != refs[i - 1]]
        if len(refs) < 2:
            continue
        speed = int(speeds[k])
        tags = {
            "highway": _OSM_HIGHWAY.get(speed, "unclassified"),
            "maxspeed": str(speed),
            "note": "SYNTETISKA DEMODATA",
        }
        ways[k + 1] = (refs, tags)
    with tempfile.TemporaryDirectory() as folder:
        path = write_pbf(
            Path(folder) / "demo.osm.pbf", nodes=nodes, ways=ways, generator=OSM_GENERATOR
        )
        return path.read_bytes()


def _csv(table: pd.DataFrame, title: str) -> bytes:
    lines = [title + ";" * (table.shape[1] - 1), ";".join(table.columns)]
    lines += [";".join(map(str, row)) for row in table.itertuples(index=False)]
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


def write(directory: Path, *, seed: int, scale: str = "1km") -> list[Path]:
    """Write the distance demo under ``directory / "avstand"``; return the paths."""
    from ..access import distance_classes, nearest
    from ..load import roads as read_roads
    from ..load import rural

    if scale not in ("1km", "250m"):
        raise ValueError(
            f"The value for `scale` must be one of ['1km', '250m'], but {scale!r} was passed."
            + (
                " The national scale is built in memory, not written: demo.access.national()."
                if scale == "national"
                else ""
            )
        )
    base = Path(directory) / "avstand"
    size = 1000.0 if scale == "1km" else 250.0
    places = towns(seed)
    cells = _cells(places, seed, size)
    grid = pd.DataFrame(
        {
            "Rutid": [
                f"{int(x):06d}{int(y):07d}" for x, y in zip(cells["x"], cells["y"], strict=True)
            ],
            "Befolkning": cells["population"],
            "70+": cells["old"],
            "Tätort": np.where(cells["urban"], "ja", "nej"),
        }
    )
    services = _services(places, seed)
    services["X"] = services["X"].round(0).astype(int)
    services["Y"] = services["Y"].round(0).astype(int)
    services["Kapacitet"] = services["Kapacitet"].map(lambda v: "" if pd.isna(v) else str(int(v)))
    road_lines = _roads(places, seed)
    road_buffer = io.BytesIO()
    road_lines.to_parquet(road_buffer, index=False, write_covering_bbox=False)
    written = [
        write_bytes(base / "LÄS_MIG.txt", _NOTICE.encode("utf-8"), allow_raw=True),
        write_bytes(
            base / f"befolkning_{scale}.csv",
            _csv(grid, "Befolkning per ruta – SYNTETISKA DEMODATA"),
            allow_raw=True,
        ),
        write_bytes(
            base / "service.csv",
            _csv(services, "Servicepunkter – SYNTETISKA DEMODATA"),
            allow_raw=True,
        ),
        write_bytes(base / "vagar.parquet", road_buffer.getvalue(), allow_raw=True),
    ]
    population = rural.population(written[1], cell_size=size)
    points = rural.services(written[2])
    graph = read_roads(written[3])
    grocery = nearest(
        population,
        points,
        kind="dagligvaror",
        method="network",
        network=graph,
        weight="time",
        snap_speed_kmh=SNAP_SPEED_KMH,
    )
    classes = distance_classes(grocery)
    minutes = {0: "<5 min", 5: "5–10 min", 10: "10–30 min", 30: ">30 min"}
    pipos_table = pd.DataFrame(
        {
            "Kommun": classes["municipality_code"],
            "Servicetyp": "Dagligvaror",
            "Avståndsklass": classes["lower"].map(lambda v: minutes[int(v)]),
            "Befolkning": classes["population"].round().astype(int),
        }
    )
    written.append(
        write_bytes(
            base / "pipos_dagligvaror.csv",
            _csv(pipos_table, "Pipos-liknande tabell – SYNTETISKA DEMODATA"),
            allow_raw=True,
        )
    )
    written.append(
        write_bytes(base / "vagar_syntetisk.osm.pbf", osm_extract(road_lines), allow_raw=True)
    )
    return written


#: The five kinds of :func:`national`.
NATIONAL_KINDS = ("dagligvaror", "apotek", "vårdcentral", "hemtjänst", "drivmedel")


def national(seed: int = 1, *, cells: int = 600_000, services: int = 6_000, side: int = 1_050):
    """Sweden-sized synthetic data in memory for benchmarks: (cells, services, RoadGraph).

    Cells are clustered around 2 000 places (Pareto sizes: a few large towns,
    many villages) over a 700 × 1 500 km box in SWEREF 99 TM, 80 % within a
    few km of their place and 20 % in a long rural tail, with
    municipality_code (290 synthetic codes), urban and population_70plus;
    services of :data:`NATIONAL_KINDS` are drawn near the places; the road
    graph is a jittered ``side × side`` grid (1 102 500 nodes by default)
    with 2 % of links removed, 1 % one-way and speeds of 50, 70 or 90 km/h.

    Example
    -------
    >>> c, s, g = national(cells=1000, services=50, side=30)
    >>> len(c), len(s), g.n_nodes
    (1000, 50, 900)
    """
    rng = np.random.default_rng([seed, 22])
    x0, y0, width, height = 250_000.0, 6_150_000.0, 700_000.0, 1_500_000.0
    places = rng.uniform([x0, y0], [x0 + width, y0 + height], (2_000, 2))
    size = rng.pareto(1.2, len(places)) + 1
    pick = rng.choice(len(places), cells, p=size / size.sum())
    spread = rng.choice([1_500.0, 15_000.0], (cells, 1), p=[0.8, 0.2])
    xy = places[pick] + rng.normal(0, 1, (cells, 2)) * spread
    xy = np.clip(xy, [x0, y0], [x0 + width, y0 + height])
    cell_frame = gpd.GeoDataFrame(
        {
            "cell_id": np.char.add("r", np.arange(cells).astype(str)),
            "population": rng.integers(1, 60, cells).astype(float),
            "municipality_code": np.char.zfill((pick % 290 + 114).astype(str), 4),
            "urban": spread[:, 0] < 10_000,
        },
        geometry=gpd.points_from_xy(xy[:, 0], xy[:, 1]),
        crs=3006,
    )
    cell_frame["population_70plus"] = np.floor(cell_frame["population"] * 0.2)
    sxy = places[rng.choice(len(places), services, p=size / size.sum())]
    sxy = sxy + rng.normal(0, 800, (services, 2))
    kinds = np.array(NATIONAL_KINDS)
    service_frame = gpd.GeoDataFrame(
        {
            "service_id": np.char.add("s", np.arange(services).astype(str)),
            "kind": kinds[rng.integers(0, len(kinds), services)],
            "capacity": rng.integers(1, 20, services).astype(float),
        },
        geometry=gpd.points_from_xy(sxy[:, 0], sxy[:, 1]),
        crs=3006,
    )
    gx, gy = np.meshgrid(np.linspace(x0, x0 + width, side), np.linspace(y0, y0 + height, side))
    node_x = gx.ravel() + rng.normal(0, 100, side * side)
    node_y = gy.ravel() + rng.normal(0, 100, side * side)
    ids = np.arange(side * side).reshape(side, side)
    a = np.concatenate([ids[:, :-1].ravel(), ids[:-1, :].ravel()])
    b = np.concatenate([ids[:, 1:].ravel(), ids[1:, :].ravel()])
    keep = rng.random(a.size) > 0.02
    a, b = a[keep], b[keep]
    metres = np.hypot(node_x[a] - node_x[b], node_y[a] - node_y[b])
    seconds = metres / (rng.choice([50.0, 70.0, 90.0], a.size) / 3.6)
    both = rng.random(a.size) > 0.01  # 1 % of the links are one-way (a -> b)
    rows, cols = np.concatenate([a, b[both]]), np.concatenate([b, a[both]])
    n = side * side
    graph = RoadGraph(
        x=node_x,
        y=node_y,
        length=sparse.csr_array((np.r_[metres, metres[both]], (rows, cols)), shape=(n, n)),
        time=sparse.csr_array((np.r_[seconds, seconds[both]], (rows, cols)), shape=(n, n)),
        straight_links=True,  # each link is the straight line between its nodes
    )
    return cell_frame, service_frame, graph
