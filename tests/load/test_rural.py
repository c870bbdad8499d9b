"""Rural loaders: population grids, services, Pipos tables and roads."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from ehalsa_analys import load
from ehalsa_analys.errors import CRSError, InputFileError

FIX = "tests/fixtures/rural/"


def test_population_from_grid_ids_with_age_and_urban():
    cells = load.population(FIX + "population.csv")
    assert cells.crs.to_epsg() == 3006
    assert cells["municipality_code"].tolist() == ["1480", "1480", "1880", "2260"]
    assert cells.geometry.x.tolist()[0] == 318500 and cells.geometry.y.tolist()[0] == 6400500
    assert cells["population_70plus"].tolist() == [2, 1, 4, 3]
    assert cells["urban"].tolist() == [True, True, False, False]


@settings(max_examples=60, deadline=None)
@given(
    e=st.integers(200_000, 900_000),
    n=st.integers(6_100_000, 7_700_000),
    size=st.sampled_from([250, 1000]),
)
def test_grid_id_round_trip_property(e, n, size):
    e, n = e // size * size, n // size * size
    x, y = load.parse_grid_id([f"{e:06d}{n:07d}", f"{size}mN{n}E{e}"], cell_size=size)
    assert x.tolist() == [e + size / 2] * 2 and y.tolist() == [n + size / 2] * 2


def test_population_xy_degrees_need_crs_and_are_reprojected(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("x;y;befolkning\n15,2;59,27;10\n", encoding="utf-8")
    with pytest.raises(CRSError, match="look like degrees"):
        load.population(path)
    cells = load.population(path, crs="EPSG:4326")
    assert cells["municipality_code"].iloc[0] == "1880"  # Örebro
    assert 500_000 < cells.geometry.x.iloc[0] < 520_000


def test_population_bad_grid_id_and_outside_sweden(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("Rutid;Befolkning\n3180006400000;1\nruta7;2\n", encoding="utf-8")
    with pytest.raises(InputFileError, match=r"'ruta7' is not a grid-square id.*row 3"):
        load.population(bad)
    outside = tmp_path / "out.csv"
    outside.write_text("x;y;pop\n100000;6000000;3\n", encoding="utf-8")
    with pytest.raises(InputFileError, match="1 point\\(s\\) lie outside every Swedish"):
        load.population(outside)


def test_population_numbers_are_read_the_swedish_way(tmp_path):
    """Coordinates with spaces, 70+ with a thousands space and a marker, blank tätort."""
    path = tmp_path / "p.csv"
    path.write_bytes(
        "x;y;befolkning;70+;tätort\n"
        "515 500;6 566 500;1 250;1 020;ja\n"
        "515 500,0;6 567 500;40;..;\n"
        "516 500;6 566 500;7;2;Nej\n".encode("cp1252")
    )
    cells = load.population(path)
    assert cells.geometry.x.tolist() == [515500, 515500, 516500]
    assert cells["population"].tolist() == [1250, 40, 7]
    assert cells["population_70plus"].tolist()[0] == 1020
    assert np.isnan(cells["population_70plus"].iloc[1])
    assert cells["urban"].tolist() == [True, pd.NA, False]


def test_population_bad_70plus_and_urban_name_row_and_column(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("x;y;befolkning;70+\n515500;6566500;10;2\n515500;6567500;10;tio\n")
    with pytest.raises(InputFileError, match=r"'tio' is not a number.*row 3, column 70\+"):
        load.population(path)
    path.write_text("x;y;befolkning;Tätort\n515500;6566500;10;ja\n515500;6567500;10;kanske\n")
    with pytest.raises(InputFileError, match=r"'kanske' is not a tätort flag") as err:
        load.population(path)
    assert (err.value.row, err.value.column) == (3, "Tätort")


def test_population_geopackage_squares_become_centres(tmp_path):
    squares = gpd.GeoDataFrame(
        {"rutid": ["a"], "befolkning": [7.0]},
        geometry=[shapely.box(515000, 6566000, 516000, 6567000)],
        crs=3006,
    ).to_crs(3035)
    path = tmp_path / "grid.gpkg"
    squares.to_file(path)
    cells = load.population(path)
    assert cells.geometry.x.iloc[0] == pytest.approx(515500, abs=1)
    assert cells["municipality_code"].iloc[0] == "1880"


def test_population_and_services_from_geoparquet_in_another_crs(tmp_path):
    points = gpd.GeoDataFrame(
        {"befolkning": [7.0, 3.0], "kommun": ["1880", "1880"]},
        geometry=gpd.points_from_xy([515500, 516500], [6566500, 6566500]),
        crs=3006,
    ).to_crs(4326)
    path = tmp_path / "cells.parquet"
    points.to_parquet(path)
    cells = load.population(path)
    assert cells.crs.to_epsg() == 3006
    np.testing.assert_allclose(cells.geometry.x, [515500, 516500], atol=0.01)
    assert cells["municipality_code"].tolist() == ["1880", "1880"]
    assert cells["cell_id"].tolist() == ["515500_6566500", "516500_6566500"]
    services = points.assign(typ=["Apotek", "Vårdcentral"], kapacitet=[2.0, 5.0])
    services.drop(columns=["befolkning", "kommun"]).to_parquet(path)
    s = load.services(path)
    assert s["kind"].tolist() == ["apotek", "vårdcentral"] and s["capacity"].tolist() == [2, 5]
    np.testing.assert_allclose(s.geometry.y, [6566500, 6566500], atol=0.01)


def test_services_kinds_and_unknown_kind(tmp_path):
    s = load.services(FIX + "services.csv")
    assert s["kind"].tolist() == ["apotek", "hemtjänst", "dagligvaror"]
    assert np.isnan(s["capacity"].iloc[0]) and s["capacity"].iloc[1] == 12
    spaced = tmp_path / "spaced.csv"
    spaced.write_text("Typ;X;Y;Kapacitet\nHemtjänst;515 400;6 566 300;1 200,5\n")
    assert load.services(spaced)["capacity"].tolist() == [1200.5]
    spaced.write_text(
        "Typ;X;Y;Kapacitet\nHemtjänst;515400;6566300;12\nApotek;515400;6566400;tolv\n"
    )
    with pytest.raises(InputFileError, match=r"'tolv' is not a number.*row 3, column Kapacitet"):
        load.services(spaced)
    bad = tmp_path / "s.csv"
    bad.write_text("Typ;X;Y\nApotek;515400;6566300\nBank;515500;6566300\n", encoding="utf-8")
    with pytest.raises(InputFileError) as err:
        load.services(bad, crs="EPSG:3006")
    assert (
        "'Bank'" in str(err.value) and "row 3" in str(err.value) and "column Typ" in str(err.value)
    )


def test_pipos_classes():
    p = load.pipos(FIX + "pipos.csv")
    assert p["municipality_code"].tolist() == ["2260", "2260", "2260", "1880", "1880"]
    assert p[["lower", "upper"]].values.tolist()[2] == [30, np.inf]
    assert p[["lower", "upper", "unit"]].values.tolist()[3] == [0, 5, "min"]
    assert p[["lower", "upper", "unit"]].values.tolist()[4] == [10, 25, "km"]
    assert p["kind"].tolist()[3] == "apotek"


#: Where the hand-drawn road networks are placed: inside Sweden, as every road must be.
X0, Y0 = 500_000, 6_600_000


def test_roads_graph_from_a_hand_drawn_network(tmp_path):
    lines = gpd.GeoDataFrame(
        {"vägklass": [3, 3, 9], "riktning": [0, 1, 0], "hastighet": [np.nan, 30, np.nan]},
        geometry=[
            shapely.LineString([(0, 0), (1000, 0), (2000, 0)]),
            shapely.LineString([(2000, 0), (2000, 500)]),  # one-way north
            shapely.LineString([(2000, 500), (0, 500)]),
        ],
        crs=3006,
    )
    lines = lines.set_geometry(lines.translate(X0, Y0))  # a hand-drawn network, in Sweden
    path = tmp_path / "roads.gpkg"
    lines.to_file(path)
    g = load.roads(path)
    assert g.n_nodes == 5
    dense = g.length.toarray()
    node = {(x, y): i for i, (x, y) in enumerate(zip(g.x, g.y, strict=True))}
    a, b, c = node[(X0 + 2000, Y0 + 0)], node[(X0 + 2000, Y0 + 500)], node[(X0 + 0, Y0 + 500)]
    assert dense[a, b] == 500 and dense[b, a] == 0  # one-way
    assert dense[b, c] == 2000 and dense[c, b] == 2000
    time = g.time.toarray()
    assert time[node[(X0 + 0, Y0 + 0)], node[(X0 + 1000, Y0 + 0)]] == pytest.approx(
        1000 / (70 / 3.6)
    )  # class 3
    assert time[a, b] == pytest.approx(500 / (30 / 3.6))  # own speed
    assert time[b, c] == pytest.approx(2000 / (20 / 3.6))  # class 9
    with pytest.raises(InputFileError, match="GeoPackage or GeoParquet"):
        load.roads(FIX + "population.csv")


def _road_file(tmp_path, **columns):
    n = len(next(iter(columns.values())))
    lines = [shapely.LineString([(X0 + 1000 * i, Y0), (X0 + 1000 * (i + 1), Y0)]) for i in range(n)]
    path = tmp_path / "roads.gpkg"
    gpd.GeoDataFrame(columns, geometry=lines, crs=3006).to_file(path)
    return path


def test_roads_directions_in_words_and_osm_style(tmp_path):
    path = _road_file(tmp_path, oneway=["yes", "nej", "-1", None], hastighet=[50.0] * 4)
    g = load.roads(path)
    dense = g.length.toarray()
    node = {x - X0: i for i, x in enumerate(g.x)}
    assert dense[node[0], node[1000]] == 1000 and dense[node[1000], node[0]] == 0  # yes
    assert dense[node[1000], node[2000]] == dense[node[2000], node[1000]] == 1000  # nej
    assert dense[node[2000], node[3000]] == 0 and dense[node[3000], node[2000]] == 1000  # -1
    assert dense[node[4000], node[3000]] == 1000  # blank: both ways
    bad = _road_file(tmp_path, oneway=["1", "kanske"])
    with pytest.raises(InputFileError, match="Direction 'kanske' is not understood") as err:
        load.roads(bad)
    assert (err.value.row, err.value.column) == (2, "oneway")


def test_roads_speeds_classes_and_defaults(tmp_path):
    path = _road_file(tmp_path, vägklass=[3.0, np.nan], hastighet=[np.nan, np.nan])
    with pytest.raises(InputFileError, match="1 of 2 roads have neither a speed nor a road class"):
        load.roads(path)
    g = load.roads(path, default_speed_kmh=36)
    assert sorted(g.time.data.tolist()) == pytest.approx(
        sorted([1000 / (70 / 3.6)] * 2 + [100.0] * 2)
    )
    with pytest.raises(InputFileError, match="Road class 12 is not a functional road class") as err:
        load.roads(_road_file(tmp_path, vägklass=[3.0, 12.0]))
    assert err.value.row == 2 and err.value.column == "vägklass"
    with pytest.raises(InputFileError, match="Speed -30 km/h is not positive"):
        load.roads(_road_file(tmp_path, hastighet=[-30.0, 50.0]))
    with pytest.raises(InputFileError, match=r"'snabb' is not a number.*row 1, column hastighet"):
        load.roads(_road_file(tmp_path, hastighet=["snabb", "50"]))
    assert load.roads(_road_file(tmp_path, namn=["a", "b"])).time is None  # no speeds at all


def test_roads_and_engine_together(tmp_path):
    from ehalsa_analys import access

    lines = gpd.GeoDataFrame(
        {"hastighet": [60]},
        geometry=[shapely.LineString([(515000, 6566000), (525000, 6566000)])],
        crs=3006,
    )
    path = tmp_path / "r.gpkg"
    lines.to_file(path)
    graph = load.roads(path)
    cells = load.population(FIX + "population.csv")
    cells = cells[cells["municipality_code"] == "1880"]
    services = gpd.GeoDataFrame(
        {"service_id": ["x"], "kind": "apotek", "capacity": [1.0]},
        geometry=gpd.points_from_xy([525000], [6566000]),
        crs=3006,
    )
    d = access.nearest(cells, services, method="network", network=graph, weight="time")
    # the square's centre is 500 m off the road: snap 500 m at 5 km/h to the nearest point of
    # the road (not 707 m to its end), then the remaining 9.5 km at 60 km/h
    assert d["distance"].iloc[0] == pytest.approx(9_500 / (60 / 3.6) + 500 * 0.72, rel=1e-12)
    assert isinstance(pd.Series(d["service_id"]).iloc[0], str)


@pytest.mark.parametrize(
    ("lines", "reader", "row", "column", "what"),
    [
        (["Rutid;Befolkning", "3180006400000;1,234"], "population", 2, "Befolkning", "whole"),
        (["Rutid;Befolkning", "3180006400000;-4"], "population", 2, "Befolkning", "below 0"),
        (["Rutid;Befolkning;70+", "3180006400000;12;13"], "population", 2, "70+", "aged 70"),
        (["Rutid;Befolkning;70+", "3180006400000;12;2,5"], "population", 2, "70+", "whole"),
        (
            ["Namn;Typ;X;Y;Kapacitet", "Apotek A;Apotek;318500;6400500;-1"],
            "services",
            2,
            "Kapacitet",
            "below 0",
        ),
    ],
)
def test_counts_and_amounts_outside_their_domain_are_refused(
    tmp_path, lines, reader, row, column, what
):
    path = tmp_path / "in.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    read = load.population if reader == "population" else load.services
    options = {"crs": "EPSG:3006"} if reader == "services" else {}
    with pytest.raises(InputFileError, match=what) as err:
        read(path, **options)
    message = str(err.value)
    assert "in.csv" in message and f"row {row}" in message and f"column {column}" in message


@pytest.mark.parametrize(
    ("geometry", "crs", "error", "match"),
    [
        ([shapely.Point(500_000, 6_600_000)], 3006, InputFileError, "not lines, the first a Point"),
        ([shapely.LineString([(15.2, 59.3), (15.3, 59.4)])], 3006, CRSError, "outside Sweden"),
        (
            "nan",  # built in the test: shapely warns about a NaN vertex when it is made
            3006,
            InputFileError,
            "vertex without coordinates",
        ),
        ([], 3006, InputFileError, "holds no roads"),
    ],
)
@pytest.mark.filterwarnings("ignore:invalid value encountered:RuntimeWarning")  # the NaN vertex
def test_roads_that_are_not_a_swedish_line_network_are_refused(
    tmp_path, geometry, crs, error, match
):
    if geometry == "nan":
        geometry = [shapely.LineString([(500_000, 6_600_000), (np.nan, 6_600_100)])]
    path = tmp_path / "vagar.gpkg"
    gpd.GeoDataFrame({"hastighet": [50.0] * len(geometry)}, geometry=geometry, crs=crs).to_file(
        path
    )
    with pytest.raises(error, match=match) as err:
        load.roads(path)
    assert "vagar.gpkg" in str(err.value)
    if geometry:
        assert "row 1" in str(err.value)


def test_services_outside_sweden_or_without_a_kind_are_refused(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text("Namn;Typ;X;Y\nA;Apotek;515400;6566300\nB;Apotek;6566300;515400\n")
    with pytest.raises(CRSError, match="outside Sweden") as err:
        load.services(path, crs="EPSG:3006")  # x and y swapped in row 3
    assert "row 3" in str(err.value)
    path.write_text("Namn;Typ;X;Y\nA;;515400;6566300\n")
    with pytest.raises(InputFileError, match="kind of service is empty.*row 2, column Typ"):
        load.services(path, crs="EPSG:3006")


def test_kolada_missing_or_empty_sources_are_input_errors(tmp_path):
    with pytest.raises(InputFileError, match="No such file or folder"):
        load.kolada.read(tmp_path / "nope.json")
    with pytest.raises(InputFileError, match="no Kolada pages"):
        load.kolada.read(tmp_path)
    (tmp_path / "bad.json").write_bytes(b"\xff\xfe{")
    with pytest.raises(InputFileError, match="not UTF-8"):
        load.kolada.read(tmp_path / "bad.json")
