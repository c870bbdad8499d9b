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
    #: Derived search structures (segments, KD-trees) kept by the access engine; never compared.
    _cache: dict = field(default_factory=dict, repr=False, compare=False)

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
_ROAD_ALIASES = {
    "speed": ("speed", "hastighet", "hastighetsgräns", "maxspeed", "kmh"),
    "road_class": ("road_class", "klass", "vägklass", "funktionell vägklass", "fclass"),
    "oneway": ("oneway", "riktning", "direction", "enkelriktad"),
}


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
) -> RoadGraph:
    """Read road lines (GeoPackage, GeoParquet) into a directed :class:`RoadGraph`.

    Nodes are the lines' vertices, merged when they lie within ``precision``
    metres of each other, so roads connect where they share an end point or
    a vertex; crossings without a shared vertex (bridges, tunnels) do not
    connect, as in NVDB where junctions are vertices. Each pair of
    consecutive vertices is a link with its length in metres. Travel time is
    length / speed, with the speed from the ``speed`` column (km/h) or, when
    missing, :data:`DEFAULT_SPEEDS` by ``road_class``, else
    ``default_speed_kmh``; when the file has speeds or classes, a road with
    neither (and no default) is an error rather than a graph without times.
    Speeds and classes are read as Swedish numbers ("70", "1 000" is not a
    speed); a speed ≤ 0 or a class outside 0–9 is an error naming the row. A
    direction column (``oneway``: 0 or blank both ways, 1 only in the line's
    drawn direction, -1 only against it; :data:`DIRECTIONS` lists the words
    read as each) makes links one-way. Parallel links keep the shortest
    length and, separately, the shortest time.

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
    >>> g.n_nodes, float(g.length.sum()), round(float(g.time.sum()), 1)
    (3, 8000.0, 384.0)
    """
    import geopandas as gpd
    import pandas as pd
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
            "Road networks are read from GeoPackage or GeoParquet files with line geometries",
            file=file,
            hint="export the roads as .gpkg",
        )
    if table.crs is None:
        if crs is None:
            raise CRSError("The road file has no CRS", file=file, hint="pass crs=")
        table = table.set_crs(crs)
    _check_geometry(table, file)
    kmh = np.full(len(table), np.nan)
    if "speed" in table:
        kmh = column_numbers(table, "speed")
        bad = np.flatnonzero(~(kmh > 0) & np.isfinite(kmh))
        if bad.size:
            raise InputFileError(
                f"Speed {kmh[bad[0]]:g} km/h is not positive ({bad.size} such roads)",
                **where(table, "speed", int(bad[0])),
                value=kmh[bad[0]],
                hint="leave the speed empty to use the road class, or drop the road",
            )
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
    has_time = has_speeds and len(kmh) > 0
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
    table = table.assign(_kmh=kmh, _direction=direction)  # per road, before multi-lines split
    table = table.to_crs("EPSG:3006").explode(index_parts=False).reset_index(drop=True)
    coords, line = shapely.get_coordinates(table.geometry.to_numpy(), return_index=True)
    same_line = line[1:] == line[:-1]
    keys = np.round(coords / precision).astype(np.int64)
    node_id, uniques = pd.factorize(pd.MultiIndex.from_arrays([keys[:, 0], keys[:, 1]]))
    a, b = node_id[:-1][same_line], node_id[1:][same_line]
    seg_line = line[:-1][same_line]
    length = np.hypot(*(coords[1:][same_line] - coords[:-1][same_line]).T)
    kmh = table["_kmh"].to_numpy(float)
    direction = table["_direction"].to_numpy(int)
    d = direction[seg_line]
    forward = d >= 0
    backward = d <= 0
    src = np.concatenate([a[forward], b[backward]])
    dst = np.concatenate([b[forward], a[backward]])
    lengths = np.concatenate([length[forward], length[backward]])
    seconds = lengths / (np.concatenate([kmh[seg_line][forward], kmh[seg_line][backward]]) / 3.6)
    links = pd.DataFrame({"src": src, "dst": dst, "length": lengths, "time": seconds})
    links = links[links["src"] != links["dst"]].groupby(["src", "dst"], as_index=False).min()
    n = len(uniques)
    shape = (n, n)

    def matrix(column):
        return sparse.csr_array(
            (links[column].to_numpy(), (links["src"].to_numpy(), links["dst"].to_numpy())),
            shape=shape,
        )

    xy = np.array([*uniques], dtype=float) * precision if n else np.zeros((0, 2))
    return RoadGraph(
        x=xy[:, 0],
        y=xy[:, 1],
        length=matrix("length"),
        time=matrix("time") if has_time else None,
    )
