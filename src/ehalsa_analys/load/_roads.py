"""Road networks as a directed graph that :mod:`ehalsa_analys.access` searches.

:class:`RoadGraph` is the contract between the road loader and the
distance engine: node coordinates in EPSG:3006 and one sparse, directed
weight matrix per weight (metres; seconds when speeds are known). A two-way
road is stored in both directions; a one-way link only from its start.

Example
-------
>>> import numpy as np
>>> from scipy import sparse
>>> length = sparse.csr_array(([100.0, 100.0], ([0, 1], [1, 0])), shape=(2, 2))
>>> graph = RoadGraph(x=np.array([0.0, 100.0]), y=np.array([0.0, 0.0]), length=length)
>>> graph.n_nodes, graph.weights("length").sum()
(2, np.float64(200.0))
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

from ..errors import check_choice

__all__ = ["RoadGraph", "roads", "DEFAULT_SPEEDS", "DIRECTIONS"]


@dataclass(frozen=True)
class RoadGraph:
    """A directed road graph in EPSG:3006.

    Attributes
    ----------
    x, y : numpy.ndarray
        Node coordinates in metres (float64, one per node).
    length : scipy.sparse.csr_array
        ``length[i, j]`` is the length in metres of the link from node ``i`` to
        node ``j`` (n × n). Absent entries are no link.
    time : scipy.sparse.csr_array or None
        Travel time in seconds on the same links, when speeds are known.
    crs : str
        Always "EPSG:3006"; kept so that callers can check before mixing.
    straight_links : bool, default False
        True when every link is the straight segment between its two nodes,
        as :func:`roads` builds them (every vertex of a road is a node). Then
        :mod:`ehalsa_analys.access` snaps cells and services to the nearest
        point of the nearest link, splitting it there by a virtual node; a
        graph of links whose shape is unknown (False) snaps to the nearest
        node.

    Example
    -------
    >>> import numpy as np
    >>> from scipy import sparse
    >>> m = sparse.csr_array(([50.0], ([0], [1])), shape=(2, 2))
    >>> RoadGraph(x=np.zeros(2), y=np.arange(2.0), length=m).weights("length")[0, 1]
    np.float64(50.0)
    """

    x: np.ndarray
    y: np.ndarray
    length: sparse.csr_array
    time: sparse.csr_array | None = None
    crs: str = "EPSG:3006"
    straight_links: bool = False
    #: Derived search structures (segments, KD-trees, transposes) kept by the access engine:
    #: not an argument, never compared, and fresh in a copy made with dataclasses.replace.
    _cache: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        n = len(self.x)
        if len(self.y) != n:
            raise ValueError(f"`x` has {n} nodes but `y` has {len(self.y)}.")
        for name in ("length", "time"):
            matrix = getattr(self, name)
            if matrix is not None and matrix.shape != (n, n):
                raise ValueError(
                    f"`{name}` has shape {matrix.shape}; a graph of {n} nodes needs ({n}, {n})."
                )

    @property
    def n_nodes(self) -> int:
        """Number of nodes."""
        return len(self.x)

    def weights(self, weight: str = "length") -> sparse.csr_array:
        """The weight matrix for ``weight`` ("length" in metres or "time" in seconds)."""
        check_choice("weight", ["length", "time"], weight)
        if weight == "time" and self.time is None:
            raise ValueError(
                "`weight='time'` needs travel times, but this road graph has none. "
                "Load the roads with a speed or road-class column, or use weight='length'."
            )
        return self.length if weight == "length" else self.time


#: Default speeds (km/h) by Trafikverket's functional road class (funktionell vägklass 0–9),
#: used when a road has no speed of its own. Our choice, from typical speed limits.
DEFAULT_SPEEDS = {0: 100, 1: 90, 2: 80, 3: 70, 4: 70, 5: 60, 6: 50, 7: 40, 8: 30, 9: 20}
#: Spellings of the direction column: both ways, along the drawn line, against it. OSM's
#: oneway (yes/no/-1), ESRI's B/FT/TF and "med"/"mot" are read as well as 0/1/-1; lone
#: letters such as F or T are refused, since they may mean false/true or from/to.
DIRECTIONS = {
    0: ("0", "", "nej", "no", "false", "b", "båda", "both", "med och mot"),
    1: ("1", "ja", "yes", "true", "ft", "med", "forward"),
    -1: ("-1", "tf", "mot", "backward", "reverse"),
}
#: Spellings of NVDB's forbidden-direction flags (Förbjuden färdriktning).
_FORBIDDEN = {
    True: ("1", "-1", "ja", "yes", "true", "x", "förbjuden"),
    False: ("0", "", "nej", "no", "false"),
}
#: Column names read, ours first, then NVDB's: the short names of Trafikverket's road data
#: export (Lastkajen: F_/B_Hogst_225 speed limit along/against the link, Klass_181 functional
#: road class, F_/B_ForbjudenFardriktning forbidden direction) and the attribute names of the
#: NVDB specification, so an NVDB export loads without renaming.
_ROAD_ALIASES = {
    "speed": (
        "speed",
        "hastighet",
        "hastighetsgräns",
        "maxspeed",
        "kmh",
        "F_Hogst_225",
        "Högsta tillåtna hastighet",
        "Hogst_225",
    ),
    "speed_backward": ("speed_backward", "B_Hogst_225"),
    "road_class": (
        "road_class",
        "klass",
        "vägklass",
        "funktionell vägklass",
        "fclass",
        "Klass_181",
        "FunkVagklass",
    ),
    "oneway": ("oneway", "riktning", "direction", "enkelriktad"),
    "forbidden_forward": ("forbidden_forward", "F_ForbjudenFardriktning"),
    "forbidden_backward": ("forbidden_backward", "B_ForbjudenFardriktning"),
}
#: File endings read as OpenStreetMap extracts (pyosmium).
_OSM_SUFFIXES = (".pbf", ".osm", ".o5m", ".bz2", ".gz")


def _check_geometry(table, file) -> None:
    """Roads must be lines with finite vertices inside Sweden; an empty layer is no network."""
    import shapely

    from ..errors import InputFileError
    from .rural import check_extent

    rows = table["source_row"].to_numpy() if "source_row" in table else None

    def row(i):
        return None if rows is None else int(rows[i])

    if len(table) == 0:
        raise InputFileError(
            "The road file holds no roads", file=file, hint="check the layer (layer=) and filters"
        )
    kinds = table.geom_type.to_numpy(dtype=object)
    lines = np.isin(kinds, ["LineString", "MultiLineString"])
    if not lines.all():
        i = int(np.flatnonzero(~lines)[0])
        raise InputFileError(
            f"{int((~lines).sum())} feature(s) are not lines, the first a {kinds[i]}",
            file=file,
            row=row(i),
            column="geometry",
            hint="a road network is a layer of lines (LineString); export the roads, not points "
            "or areas",
        )
    coords, owner = shapely.get_coordinates(
        table.geometry.to_numpy(), include_z=False, return_index=True
    )
    bad = ~np.isfinite(coords).all(axis=1)
    if bad.any():
        i = int(owner[np.flatnonzero(bad)[0]])
        raise InputFileError(
            "A road has a vertex without coordinates (NaN)",
            file=file,
            row=row(i),
            column="geometry",
            hint="repair or drop the road (e.g. in QGIS: Vector > Geometry tools > Check validity)",
        )
    check_extent(
        table.to_crs("EPSG:3006").geometry.bounds.to_numpy(),
        file=file,
        rows=rows,
        what="road",
        declared=table.crs.to_string() if table.crs is not None else None,
    )


def roads(
    path,
    *,
    speed: str | None = None,
    road_class: str | None = None,
    oneway: str | None = None,
    crs=None,
    precision: float = 0.01,
    default_speed_kmh: float | None = None,
    node_crossings: bool = False,
    mode: str = "car",
    clip=None,
    clip_buffer_m: float = 20_000.0,
    urban=None,
) -> RoadGraph:
    """Read roads (OSM extract, NVDB export, any line layer) into a directed :class:`RoadGraph`.

    *Sources.* An OpenStreetMap extract (``.osm.pbf``) is read with
    pyosmium (:func:`ehalsa_analys.load.read_osm`): the car network by
    default, ``mode="walk"`` or ``"bicycle"``, speed from ``maxspeed`` or a
    default per highway type, one-way from ``oneway`` or implied by motorways
    and roundabouts; ``clip=`` (a county code or name, or a polygon in
    EPSG:3006) keeps the ways within ``clip_buffer_m`` of it. A line layer
    (GeoPackage, GeoParquet) is read with our column names or NVDB's
    (Trafikverket's road database: ``F_Hogst_225``/``B_Hogst_225`` speed
    limits along/against the link, ``Klass_181`` functional road class,
    ``F_``/``B_ForbjudenFardriktning`` forbidden directions), so an NVDB
    export loads without renaming.

    *Geometry.* Every vertex is a node, at its real coordinates; vertices
    within ``precision`` metres (on a grid of that size) are one node, so
    roads connect where they share a vertex. Crossings without a shared
    vertex (bridges, tunnels) do not connect, as in OSM and NVDB, where
    junctions are vertices; ``node_crossings=True`` splits the lines where
    they cross, for layers that were never noded (each piece keeps the
    attributes of its line). Each pair of consecutive vertices is a link
    with its length in metres, straight as drawn, so the graph has
    ``straight_links=True`` and :mod:`ehalsa_analys.access` snaps to the
    nearest point of a link.

    *Speeds and directions.* Travel time is length / speed, with the speed
    from the ``speed`` column (km/h) or, when missing, :data:`DEFAULT_SPEEDS`
    by ``road_class``, else ``default_speed_kmh``; when the file has speeds
    or classes, a road with neither (and no default) is an error rather than
    a graph without times. Speeds and classes are read as Swedish numbers
    ("70", "1 000" is not a speed); a speed ≤ 0 or a class outside 0–9 is an
    error naming the row. A direction column (``oneway``: 0 or blank both
    ways, 1 only in the line's drawn direction, -1 only against it;
    :data:`DIRECTIONS` lists the words read as each) or NVDB's forbidden
    directions make links one-way. Parallel links keep the shortest length
    and, separately, the shortest time.

    Example
    -------
    >>> import geopandas as gpd, shapely, tempfile, pathlib
    >>> lines = gpd.GeoDataFrame({"hastighet": [50, 90]}, geometry=[
    ...     shapely.LineString([(0, 0), (1000, 0)]), shapely.LineString([(1000, 0), (1000, 3000)])],
    ...     crs=3006)
    >>> lines = lines.set_geometry(lines.translate(500_000, 6_600_000))  # inside Sweden
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "v.gpkg"
    >>> lines.to_file(path)
    >>> g = roads(path)
    >>> g.n_nodes, float(g.length.sum()), round(float(g.time.sum()), 1), g.straight_links
    (3, 8000.0, 384.0, True)
    """
    from ..errors import check_choice

    check_choice("mode", ["car", "walk", "bicycle"], mode)
    if not precision > 0:
        raise ValueError(f"`precision` must be positive, but {precision!r} was passed.")
    name = str(path).casefold()
    if name.endswith(_OSM_SUFFIXES) and not name.endswith((".gpkg.gz", ".parquet.gz")):
        from ._osm import read_osm

        table = read_osm(path, mode=mode, clip=clip, clip_buffer_m=clip_buffer_m, urban=urban)
        _check_geometry(table, table.attrs.get("file"))
        kmh = table["speed"].to_numpy(float)
        direction = table["oneway"].to_numpy(int)
        return _graph(
            table,
            kmh,
            kmh,
            direction >= 0,
            direction <= 0,
            precision=precision,
            has_time=True,
            node_crossings=node_crossings,
        )
    if mode != "car":
        raise ValueError(
            f"`mode={mode!r}` chooses a network in an OpenStreetMap extract; a line file is "
            "one network already. Leave out `mode`, or pass an .osm.pbf file."
        )
    return _line_file(
        path,
        speed=speed,
        road_class=road_class,
        oneway=oneway,
        crs=crs,
        precision=precision,
        default_speed_kmh=default_speed_kmh,
        node_crossings=node_crossings,
        clip=clip,
        clip_buffer_m=clip_buffer_m,
    )


def _line_file(
    path,
    *,
    speed,
    road_class,
    oneway,
    crs,
    precision,
    default_speed_kmh,
    node_crossings,
    clip,
    clip_buffer_m,
) -> RoadGraph:
    import geopandas as gpd
    import shapely

    from ..errors import CRSError, InputFileError
    from .reader import column_numbers, column_words, read_table, where

    aliases = dict(_ROAD_ALIASES)
    for name, column in (("speed", speed), ("road_class", road_class), ("oneway", oneway)):
        if column:
            aliases[name] = (column,)
    table = read_table(path, aliases=aliases, resolve_codes=False)  # "namn" is a road name here
    file = table.attrs.get("file")
    if not isinstance(table, gpd.GeoDataFrame):
        raise InputFileError(
            "Road networks are read from GeoPackage or GeoParquet files with line geometries, "
            "or from OpenStreetMap extracts (.osm.pbf)",
            file=file,
            hint="export the roads as .gpkg",
        )
    if table.crs is None:
        if crs is None:
            raise CRSError("The road file has no CRS", file=file, hint="pass crs=")
        table = table.set_crs(crs)
    _check_geometry(table, file)
    if clip is not None:
        from ._osm import _clip_area

        area = _clip_area(clip, clip_buffer_m)
        inside = shapely.intersects(table.to_crs(3006).geometry.to_numpy(), area)
        table = table[inside]
        _check_geometry(table, file)

    def speeds(column):
        kmh = column_numbers(table, column)
        bad = np.flatnonzero(~(kmh > 0) & np.isfinite(kmh))
        if bad.size:
            raise InputFileError(
                f"Speed {kmh[bad[0]]:g} km/h is not positive ({bad.size} such roads)",
                **where(table, column, int(bad[0])),
                value=kmh[bad[0]],
                hint="leave the speed empty to use the road class, or drop the road",
            )
        return kmh

    kmh = speeds("speed") if "speed" in table else np.full(len(table), np.nan)
    if "road_class" in table:
        klass = column_numbers(table, "road_class")
        known = np.isin(klass, list(DEFAULT_SPEEDS)) | np.isnan(klass)
        if not known.all():
            i = int(np.flatnonzero(~known)[0])
            raise InputFileError(
                f"Road class {klass[i]:g} is not a functional road class 0–9",
                **where(table, "road_class", i),
                value=klass[i],
                hint="use Trafikverket's funktionell vägklass (0–9) or give a speed column",
            )
        lookup = np.array([DEFAULT_SPEEDS[c] for c in range(10)], float)
        by_class = np.where(np.isnan(klass), np.nan, lookup[np.nan_to_num(klass).astype(int)])
        kmh = np.where(np.isnan(kmh), by_class, kmh)
    if default_speed_kmh is not None:
        if not default_speed_kmh > 0:
            raise ValueError(
                f"`default_speed_kmh` must be positive, but {default_speed_kmh!r} was passed."
            )
        kmh = np.where(np.isnan(kmh), float(default_speed_kmh), kmh)
    has_speeds = "speed" in table or "road_class" in table or default_speed_kmh is not None
    unknown = np.flatnonzero(np.isnan(kmh))
    if has_speeds and unknown.size:
        raise InputFileError(
            f"{unknown.size} of {len(kmh)} roads have neither a speed nor a road class, so "
            "their travel time is unknown",
            **where(table, "speed" if "speed" in table else "road_class", int(unknown[0])),
            hint="fill them in, or pass default_speed_kmh= (e.g. 50) for the roads without",
        )
    kmh_back = kmh
    if "speed_backward" in table:  # NVDB: the limit against the link where it differs
        back = speeds("speed_backward")
        kmh_back = np.where(np.isnan(back), kmh, back)
    direction = np.zeros(len(table), int)
    if "oneway" in table:
        direction = column_words(
            table,
            "oneway",
            DIRECTIONS,
            blank=0,
            message="Direction {value!r} is not understood",
            hint="write 0 (both ways), 1 (the drawn direction only) or -1 (against it)",
        ).astype(int)
    forward, backward = direction >= 0, direction <= 0
    for column, allowed in (("forbidden_forward", forward), ("forbidden_backward", backward)):
        if column in table:
            allowed &= ~column_words(
                table,
                column,
                _FORBIDDEN,
                blank=False,
                message="Forbidden direction {value!r} is not understood",
                hint="leave it empty (allowed) or write 1 (forbidden), as NVDB exports do",
            ).astype(bool)
    return _graph(
        table,
        kmh,
        kmh_back,
        forward,
        backward,
        precision=precision,
        has_time=has_speeds and len(kmh) > 0,
        node_crossings=node_crossings,
    )


def _node_crossings(table):
    """The lines split where they cross or touch: each piece keeps its line's row, drawn along it.

    Where lines overlap, the piece goes to the first of them (in file order)."""
    import geopandas as gpd
    import shapely

    lines = table.geometry.to_numpy()
    pieces = shapely.get_parts(shapely.node(shapely.MultiLineString(list(lines))))
    middle = shapely.line_interpolate_point(pieces, 0.5, normalized=True)
    piece, line = shapely.STRtree(lines).query(middle, predicate="dwithin", distance=1e-6)
    order = np.lexsort((line, piece))
    piece, line = piece[order], line[order]
    first = np.r_[True, piece[1:] != piece[:-1]]
    owner = np.full(len(pieces), -1)
    owner[piece[first]] = line[first]
    keep = owner >= 0
    pieces, owner = pieces[keep], owner[keep]
    start = shapely.line_locate_point(lines[owner], shapely.get_point(pieces, 0))
    end = shapely.line_locate_point(lines[owner], shapely.get_point(pieces, -1))
    pieces = np.where(start > end, shapely.reverse(pieces), pieces)
    order = np.argsort(owner, kind="stable")  # file order, then along each line
    out = table.iloc[owner[order]].reset_index(drop=True)
    return gpd.GeoDataFrame(out, geometry=pieces[order], crs=table.crs)


def _graph(
    table,
    kmh,
    kmh_back,
    forward,
    backward,
    *,
    precision: float,
    has_time: bool,
    node_crossings: bool,
) -> RoadGraph:
    """The directed graph of road lines (any CRS) with per-road speeds and open directions."""
    import pandas as pd
    import shapely

    table = table.assign(_kmh=kmh, _back=kmh_back, _fwd=forward, _bwd=backward)
    table = table.to_crs("EPSG:3006").explode(index_parts=False).reset_index(drop=True)
    if node_crossings and len(table):
        table = _node_crossings(table)
    coords, line = shapely.get_coordinates(table.geometry.to_numpy(), return_index=True)
    same_line = line[1:] == line[:-1]
    keys = np.floor(coords / precision + 0.5).astype(np.int64)
    node_id, _ = pd.factorize(pd.MultiIndex.from_arrays([keys[:, 0], keys[:, 1]]))
    n = int(node_id.max()) + 1 if len(node_id) else 0
    # factorize numbers nodes in order of appearance: a node's first vertex raises the maximum
    running = np.maximum.accumulate(node_id) if n else node_id
    first = np.flatnonzero(np.r_[True, running[1:] > running[:-1]]) if n else node_id
    xy = coords[first] if n else np.zeros((0, 2))
    a, b = node_id[:-1][same_line], node_id[1:][same_line]
    seg_line = line[:-1][same_line]
    length = np.hypot(*(coords[1:][same_line] - coords[:-1][same_line]).T)
    fwd = table["_fwd"].to_numpy(bool)[seg_line]
    bwd = table["_bwd"].to_numpy(bool)[seg_line]
    src = np.concatenate([a[fwd], b[bwd]])
    dst = np.concatenate([b[fwd], a[bwd]])
    lengths = np.concatenate([length[fwd], length[bwd]])
    speed = np.concatenate(
        [
            table["_kmh"].to_numpy(float)[seg_line][fwd],
            table["_back"].to_numpy(float)[seg_line][bwd],
        ]
    )
    seconds = lengths / (speed / 3.6)
    links = pd.DataFrame({"src": src, "dst": dst, "length": lengths, "time": seconds})
    links = links[links["src"] != links["dst"]].groupby(["src", "dst"], as_index=False).min()
    shape = (n, n)

    def matrix(column):
        return sparse.csr_array(
            (links[column].to_numpy(), (links["src"].to_numpy(), links["dst"].to_numpy())),
            shape=shape,
        )

    return RoadGraph(
        x=np.ascontiguousarray(xy[:, 0]),
        y=np.ascontiguousarray(xy[:, 1]),
        length=matrix("length"),
        time=matrix("time") if has_time else None,
        straight_links=True,
    )
