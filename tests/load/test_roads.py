"""load.roads from the sources people have: OSM extracts (written here with pyosmium) and NVDB."""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pyproj
import pytest
import shapely
from hypothesis import given
from hypothesis import strategies as st

from ehalsa_analys import access, load
from ehalsa_analys.errors import InputFileError
from ehalsa_analys.load import OSM_SPEEDS, parse_maxspeed, read_osm
from ehalsa_analys.load._osm import write_pbf

#: Örebro, inside county 18; Malmö, in county 12.
LON, LAT = 15.20, 59.27
FAR = (13.00, 55.60)
TO_3006 = pyproj.Transformer.from_crs(4326, 3006, always_xy=True)


def _grid_nodes():
    """Nodes 1..9 on a 3 x 3 lattice about 570 m x 555 m apart, plus 20-21 far away."""
    nodes = {}
    for i in range(3):
        for j in range(3):
            nodes[1 + 3 * j + i] = (LON + 0.01 * i, LAT + 0.005 * j)
    nodes[20], nodes[21] = FAR, (FAR[0] + 0.01, FAR[1])
    return nodes


def _pbf(tmp_path, ways, nodes=None):
    return write_pbf(tmp_path / "extract.osm.pbf", nodes=nodes or _grid_nodes(), ways=ways)


def _metres(nodes, a, b):
    x, y = TO_3006.transform(*zip(nodes[a], nodes[b], strict=True))
    return math.hypot(x[1] - x[0], y[1] - y[0])


def _link(graph, nodes, a, b, matrix="length"):
    """The value of the link from OSM node a to b (0 when absent)."""
    xy = np.column_stack([graph.x, graph.y])
    idx = [int(np.argmin(np.hypot(*(xy - TO_3006.transform(*nodes[n])).T))) for n in (a, b)]
    return getattr(graph, matrix)[idx[0], idx[1]]


def test_osm_car_network__speeds_directions_and_lengths(tmp_path):
    ways = {
        100: ([1, 2, 3], {"highway": "primary", "maxspeed": "70"}),
        101: ([4, 5], {"highway": "residential"}),  # no maxspeed: residential default, inside
        102: ([5, 6], {"highway": "motorway"}),  # implied one-way
        103: ([7, 8], {"highway": "tertiary", "oneway": "-1", "maxspeed": "SE:rural"}),
        104: ([8, 9], {"highway": "secondary", "junction": "roundabout"}),  # implied one-way
        105: ([1, 4], {"highway": "unclassified", "oneway": "no", "maxspeed": "30 mph"}),
        106: ([2, 5], {"highway": "footway"}),  # not for cars
        107: ([3, 6], {"highway": "service", "access": "private"}),  # closed
        108: ([4, 7], {"building": "yes"}),  # not a road
    }
    path = _pbf(tmp_path, ways)
    nodes = _grid_nodes()
    graph = load.roads(path)
    assert isinstance(graph, load.RoadGraph) and graph.straight_links
    assert graph.n_nodes == 9  # the footway, private road and building add no nodes
    assert _link(graph, nodes, 1, 2) == pytest.approx(_metres(nodes, 1, 2), rel=1e-9)
    assert _link(graph, nodes, 2, 1) == _link(graph, nodes, 1, 2)
    assert _link(graph, nodes, 1, 2, "time") == pytest.approx(_metres(nodes, 1, 2) / (70 / 3.6))
    assert _link(graph, nodes, 4, 5, "time") == pytest.approx(
        _metres(nodes, 4, 5) / (OSM_SPEEDS["residential"][1] / 3.6)
    )
    assert _link(graph, nodes, 5, 6) > 0 and _link(graph, nodes, 6, 5) == 0  # motorway
    assert _link(graph, nodes, 7, 8) == 0 and _link(graph, nodes, 8, 7) > 0  # oneway=-1
    assert _link(graph, nodes, 8, 7, "time") == pytest.approx(_metres(nodes, 7, 8) / (70 / 3.6))
    assert _link(graph, nodes, 8, 9) > 0 and _link(graph, nodes, 9, 8) == 0  # roundabout
    assert _link(graph, nodes, 4, 1, "time") == pytest.approx(
        _metres(nodes, 1, 4) / (30 * 1.609344 / 3.6)
    )
    assert _link(graph, nodes, 2, 5) == 0 and _link(graph, nodes, 3, 6) == 0


def test_osm_walk_and_bicycle_networks(tmp_path):
    ways = {
        100: ([1, 2], {"highway": "primary", "oneway": "yes"}),
        101: ([2, 5], {"highway": "footway"}),
        102: ([5, 6], {"highway": "motorway"}),
        103: ([1, 4], {"highway": "cycleway", "foot": "no"}),
    }
    path = _pbf(tmp_path, ways)
    nodes = _grid_nodes()
    walk = load.roads(path, mode="walk")
    assert _link(walk, nodes, 2, 1) > 0  # walking ignores oneway
    assert _link(walk, nodes, 2, 5, "time") == pytest.approx(_metres(nodes, 2, 5) / (5 / 3.6))
    assert _link(walk, nodes, 5, 6) == 0 and _link(walk, nodes, 1, 4) == 0
    bike = load.roads(path, mode="bicycle")
    assert _link(bike, nodes, 2, 1) == 0 and _link(bike, nodes, 1, 4) > 0
    assert _link(bike, nodes, 2, 5) == 0  # a footway without bicycle=yes
    with pytest.raises(ValueError, match="`mode` must be one of"):
        load.roads(path, mode="boat")


def test_osm_clip_to_a_county_keeps_its_buffer(tmp_path):
    ways = {
        100: ([1, 2], {"highway": "primary"}),
        101: ([20, 21], {"highway": "primary"}),  # in Skåne
    }
    path = _pbf(tmp_path, ways)
    whole = load.roads(path)
    assert whole.n_nodes == 4
    county = load.roads(path, clip="18")
    assert county.n_nodes == 2 and (county.y > 6_500_000).all()
    # A polygon 5 km east of the Örebro road: outside, unless the buffer reaches it.
    x, y = TO_3006.transform(LON + 0.02, LAT)
    square = shapely.box(x + 5000, y - 500, x + 6000, y + 500)
    assert load.roads(path, clip=square, clip_buffer_m=7000).n_nodes == 2
    with pytest.raises(InputFileError, match="holds no roads"):
        load.roads(path, clip=square, clip_buffer_m=1000)


def test_osm_bridge_without_a_shared_node_is_not_a_junction(tmp_path):
    nodes = {1: (LON, LAT), 2: (LON + 0.02, LAT), 3: (LON + 0.01, LAT - 0.005)}
    nodes[4] = (LON + 0.01, LAT + 0.005)
    ways = {
        100: ([1, 2], {"highway": "primary"}),
        101: ([3, 4], {"highway": "primary", "bridge": "yes", "layer": "1"}),
    }
    graph = load.roads(_pbf(tmp_path, ways, nodes))
    assert graph.n_nodes == 4 and graph.length.nnz == 4


def test_osm_and_route_through_the_engine(tmp_path):
    # A cell and a service on the primary road: the route is the road between them.
    ways = {100: ([1, 2, 3], {"highway": "primary", "maxspeed": "90"})}
    path = _pbf(tmp_path, ways)
    graph = load.roads(path)
    nodes = _grid_nodes()
    x, y = TO_3006.transform(*zip(nodes[1], nodes[3], strict=True))
    cells = gpd.GeoDataFrame(
        {"cell_id": [1], "population": [3.0]},
        geometry=[shapely.Point(x[0] + 0.25 * (x[1] - x[0]), y[0] + 0.25 * (y[1] - y[0]))],
        crs=3006,
    )
    services = gpd.GeoDataFrame(
        {"service_id": ["s"], "kind": ["apotek"]}, geometry=[shapely.Point(x[1], y[1])], crs=3006
    )
    out = access.nearest(cells, services, method="network", network=graph)
    # Oracle: shapely on the road as drawn in EPSG:3006 (a parallel is not straight there).
    road = shapely.LineString(
        np.column_stack(TO_3006.transform(*np.array([nodes[n] for n in (1, 2, 3)]).T))
    )
    point = cells.geometry.iloc[0]
    expected = road.distance(point) + road.length - road.project(point)
    assert out["distance"].iloc[0] == pytest.approx(expected, abs=1e-6)
    assert out["snap_m"].iloc[0] == pytest.approx(road.distance(point), abs=1e-6)


def test_osm_file_that_is_not_osm_is_refused(tmp_path):
    path = tmp_path / "trasig.osm.pbf"
    path.write_bytes(b"not a protocol buffer at all")
    with pytest.raises(InputFileError, match="could not be read") as err:
        load.roads(path)
    assert "trasig.osm.pbf" in str(err.value)


def test_read_osm_lists_the_ways_with_their_rows(tmp_path):
    ways = {100: ([1, 2], {"highway": "primary"}), 101: ([2, 3], {"highway": "cycleway"})}
    lines = read_osm(_pbf(tmp_path, ways))
    assert lines["osm_id"].tolist() == [100] and lines["source_row"].tolist() == [1]
    assert lines.crs.to_epsg() == 3006


@given(st.integers(1, 300))
def test_parse_maxspeed__numbers_and_units(speed):
    assert parse_maxspeed(str(speed)) == speed
    assert parse_maxspeed(f"{speed} mph") == pytest.approx(speed * 1.609344)
    assert parse_maxspeed(f"{speed};{speed + 10}") == speed


@given(st.text(max_size=12))
def test_parse_maxspeed__any_text_is_a_speed_or_nan(text):
    value = parse_maxspeed(text)
    assert math.isnan(value) or value > 0


# --------------------------------------------------------------------------- NVDB


X0, Y0 = 500_000.0, 6_600_000.0


def test_nvdb_export_loads_without_renaming(tmp_path):
    # Trafikverket's short names: speed along (F_) and against (B_) the link, functional road
    # class, forbidden directions. Road 0: 70 along, 50 against; road 1: forward forbidden
    # (drive against the drawn line only); road 2: class 5 (60 km/h), backward forbidden.
    lines = [
        shapely.LineString([(X0, Y0), (X0 + 1000, Y0)]),
        shapely.LineString([(X0 + 1000, Y0), (X0 + 2000, Y0)]),
        shapely.LineString([(X0 + 2000, Y0), (X0 + 3000, Y0)]),
    ]
    frame = gpd.GeoDataFrame(
        {
            "F_Hogst_225": [70.0, 50.0, np.nan],
            "B_Hogst_225": [50.0, np.nan, np.nan],
            "Klass_181": [3, 4, 5],
            "F_ForbjudenFardriktning": [None, "1", None],
            "B_ForbjudenFardriktning": [None, None, "1"],
        },
        geometry=lines,
        crs=3006,
    )
    path = tmp_path / "nvdb.gpkg"
    frame.to_file(path)
    graph = load.roads(path)
    assert isinstance(graph, load.RoadGraph) and graph.straight_links
    node = {round(x - X0): i for i, x in enumerate(graph.x)}
    time, length = graph.time.toarray(), graph.length.toarray()
    assert time[node[0], node[1000]] == pytest.approx(1000 / (70 / 3.6))
    assert time[node[1000], node[0]] == pytest.approx(1000 / (50 / 3.6))
    assert length[node[1000], node[2000]] == 0 and length[node[2000], node[1000]] == 1000
    assert time[node[2000], node[3000]] == pytest.approx(1000 / (60 / 3.6))
    assert length[node[3000], node[2000]] == 0
    frame["F_ForbjudenFardriktning"] = [None, "kanske", None]
    frame.to_file(path)
    with pytest.raises(InputFileError, match="Forbidden direction 'kanske'") as err:
        load.roads(path)
    assert (err.value.row, err.value.column) == (2, "F_ForbjudenFardriktning")


def test_node_crossings_splits_a_layer_that_was_never_noded(tmp_path):
    # A hash sign: two east-west roads at 50 and 70 km/h crossed by a north-south one, drawn
    # without shared vertices. Split, the cross road is three links and the roads six.
    lines = [
        shapely.LineString([(X0, Y0), (X0 + 3000, Y0)]),
        shapely.LineString([(X0, Y0 + 1000), (X0 + 3000, Y0 + 1000)]),
        shapely.LineString([(X0 + 1000, Y0 + 2000), (X0 + 1000, Y0 - 1000)]),  # drawn south
    ]
    frame = gpd.GeoDataFrame(
        {"hastighet": [50.0, 70.0, 30.0], "riktning": [0, 0, 1]}, geometry=lines, crs=3006
    )
    path = tmp_path / "lager.gpkg"
    frame.to_file(path)
    plain = load.roads(path)
    assert plain.n_nodes == 6
    noded = load.roads(path, node_crossings=True)
    assert noded.n_nodes == 8
    node = {
        (round(x - X0), round(y - Y0)): i
        for i, (x, y) in enumerate(zip(noded.x, noded.y, strict=True))
    }
    time = noded.time.toarray()
    # The cross road stays one-way south and keeps its speed; the crossings are junctions.
    assert time[node[1000, 1000], node[1000, 0]] == pytest.approx(1000 / (30 / 3.6))
    assert time[node[1000, 0], node[1000, 1000]] == 0
    assert time[node[1000, 0], node[0, 0]] == pytest.approx(1000 / (50 / 3.6))
    assert time[node[1000, 1000], node[3000, 1000]] == pytest.approx(2000 / (70 / 3.6))


def test_mode_is_for_osm_extracts_only(tmp_path):
    path = tmp_path / "v.gpkg"
    gpd.GeoDataFrame(
        {"hastighet": [50.0]},
        geometry=[shapely.LineString([(X0, Y0), (X0 + 10, Y0)])],
        crs=3006,
    ).to_file(path)
    with pytest.raises(ValueError, match="chooses a network in an OpenStreetMap extract"):
        load.roads(path, mode="walk")


# --------------------------------------------------------------------------- the demo extract


def test_demo_osm_extract_is_synthetic_and_routes_like_the_line_file(tmp_path):
    import osmium

    from ehalsa_analys.demo import access as demo_access

    paths = demo_access.write(tmp_path, seed=5)
    pbf = paths[-1]
    assert pbf.name == "vagar_syntetisk.osm.pbf"
    reader = osmium.io.Reader(str(pbf))
    assert "SYNTETISKA DEMODATA" in reader.header().get("generator")
    reader.close()
    assert demo_access.osm_extract(gpd.read_parquet(paths[3])) == pbf.read_bytes()  # stable
    cells = load.population(paths[1])
    cells = cells[cells["municipality_code"].str.startswith("18")]
    services = load.services(paths[2])
    osm = load.roads(pbf, clip="18")
    lines = load.roads(paths[3])
    assert isinstance(osm, type(lines)) and osm.straight_links and lines.straight_links
    assert osm.n_nodes < lines.n_nodes  # clipped to Örebro län and its 20 km margin
    options = {"kind": "dagligvaror", "method": "network", "weight": "time"}
    by_osm = access.nearest(cells, services, network=osm, **options)
    by_lines = access.nearest(cells, services, network=lines, **options)
    # The same roads, the OSM copy's nodes rounded to 1e-7 degrees (about a centimetre).
    np.testing.assert_allclose(by_osm["distance"], by_lines["distance"], atol=0.05)


def test_osm_urban_areas_take_the_inside_default_speed(tmp_path):
    ways = {100: ([1, 2], {"highway": "tertiary"}), 101: ([7, 8], {"highway": "tertiary"})}
    path = _pbf(tmp_path, ways)
    nodes = _grid_nodes()
    x, y = TO_3006.transform(*nodes[1])
    town = shapely.box(x - 100, y - 100, x + 2000, y + 100)  # around the first road only
    graph = load.roads(path, urban=town)
    outside, inside = OSM_SPEEDS["tertiary"]
    assert _link(graph, nodes, 1, 2, "time") == pytest.approx(_metres(nodes, 1, 2) / (inside / 3.6))
    assert _link(graph, nodes, 7, 8, "time") == pytest.approx(
        _metres(nodes, 7, 8) / (outside / 3.6)
    )


def test_line_file_clipped_to_a_county(tmp_path):
    lines = [
        shapely.LineString([(515_000, 6_566_000), (516_000, 6_566_000)]),  # Örebro
        shapely.LineString([(374_000, 6_164_000), (375_000, 6_164_000)]),  # Malmö
    ]
    path = tmp_path / "vagar.gpkg"
    gpd.GeoDataFrame({"hastighet": [50.0, 70.0]}, geometry=lines, crs=3006).to_file(path)
    assert load.roads(path).n_nodes == 4
    county = load.roads(path, clip="Örebro län")
    assert county.n_nodes == 2 and county.time.data.tolist() == [72.0, 72.0]
