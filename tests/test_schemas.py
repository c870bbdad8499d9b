import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from ehalsa_analys import schemas
from ehalsa_analys.errors import CRSError, SchemaError


def observations(**changes):
    base = {
        "municipality_code": ["0180", "1880", "1885"],
        "period": [2023, 2024, 2024],
        "source": ["socialstyrelsen"] * 3,
        "indicator_id": ["night_camera"] * 3,
        "value": [1.0, np.nan, np.nan],
        "unit": ["ja/nej"] * 3,
        "status": ["", "missing", "suppressed"],
    }
    base.update(changes)
    return pd.DataFrame(base)


def monitoring(**changes):
    base = {
        "municipality_code": ["1980", "1980"],
        "period": pd.PeriodIndex(["2024Q1", "2024Q2"], freq="Q"),
        "metric_id": ["digital_share"] * 2,
        "numerator": [3.0, 4.0],
        "denominator": [40.0, 40.0],
        "value": [0.075, 0.1],
        "status": ["", ""],
    }
    base.update(changes)
    return pd.DataFrame(base)


def points(crs=3006, **changes):
    base = {"cell_id": ["a", "b"], "population": [3, 12], "municipality_code": ["0180", "0180"]}
    base.update(changes)
    return gpd.GeoDataFrame(
        base, geometry=gpd.points_from_xy([674_000, 675_000], [6_580_000, 6_581_000]), crs=crs
    )


def test_every_design_table_has_a_schema():
    assert set(schemas.SCHEMAS) == {
        "observations",
        "lika_responses",
        "monitoring",
        "population_cells",
        "services",
        "indicators",
    }


def test_valid_tables_pass():
    assert schemas.validate(observations(), "observations").shape == (3, 7)
    assert schemas.validate(monitoring(), "monitoring").shape == (2, 7)
    cells = schemas.validate(points(), "population_cells")
    assert cells["population"].dtype == float


def test_observations__code_with_stripped_zero_fails():
    with pytest.raises(SchemaError, match=r"index 0, column municipality_code: .*4 digits.*'180'"):
        schemas.validate(observations(municipality_code=["180", "1880", "1885"]), "observations")


def test_observations__status_must_explain_missing_value():
    bad = observations(status=["", "", "suppressed"])
    with pytest.raises(SchemaError, match="index 1, column \\(table\\): status must be empty"):
        schemas.validate(bad, "observations")


def test_observations__unknown_status():
    with pytest.raises(SchemaError, match="column status"):
        schemas.validate(observations(status=["", "saknas", "suppressed"]), "observations")


def test_observations__duplicate_keys():
    bad = observations(municipality_code=["0180", "0180", "0180"], period=[2024, 2024, 2024])
    with pytest.raises(SchemaError, match="breaks its schema"):
        schemas.validate(bad, "observations")


def test_monitoring__period_must_be_quarterly():
    bad = monitoring(period=pd.PeriodIndex(["2024-01", "2024-02"], freq="M"))
    with pytest.raises(SchemaError, match="column period"):
        schemas.validate(bad, "monitoring")


def test_lika__score_out_of_range_names_file_row():
    table = pd.DataFrame(
        {
            "municipality_code": ["0180", "0180"],
            "assessed_on": ["2024-03-01", "2024-03-01"],
            "area": ["Äldreomsorg", "Äldreomsorg"],
            "dimension": ["Ledning", "Kompetens"],
            "indicator_id": ["L1", "K1"],
            "indicator": ["Strategi", "Digital kompetens"],
            "response": ["Uppnådd", "Påbörjad"],
            "score": [1.0, 1.5],
            "source_row": [7, 8],
        }
    )
    with pytest.raises(SchemaError) as info:
        schemas.validate(table, "lika_responses", file="lika.xlsx")
    assert info.value.row == 8
    assert "row 8, column score: in_range(0.0, 1.0) (value 1.5)" in str(info.value)
    assert "(file lika.xlsx, row 8, column score)" in str(info.value)


def test_missing_column_lists_what_is_there():
    with pytest.raises(SchemaError, match=r"lacks the column\(s\) \['status'\]; it has"):
        schemas.validate(observations().drop(columns="status"), "observations")


def test_many_failures_are_summarised():
    bad = observations(municipality_code=["1", "2", "3"], status=["x", "y", "z"])
    with pytest.raises(SchemaError, match=r"and \d+ more"):
        schemas.validate(bad, "observations", max_rows=2)


def test_points__crs_checked():
    with pytest.raises(CRSError, match=r"EPSG:4326; distances need EPSG:3006"):
        schemas.validate(points(crs=4326), "population_cells")
    no_crs = points().set_crs(None, allow_override=True)
    with pytest.raises(CRSError, match="no coordinate reference system"):
        schemas.validate(no_crs, "population_cells")


def test_points__must_be_points_and_unique_ids():
    cells = points(cell_id=["a", "a"])
    with pytest.raises(SchemaError, match="cell_id"):
        schemas.validate(cells, "population_cells")
    polys = points()
    polys["geometry"] = polys.buffer(10)
    with pytest.raises(SchemaError, match="geometry must be points"):
        schemas.validate(polys, "population_cells")


def test_unknown_schema_name():
    with pytest.raises(ValueError, match="`schema` must be one of"):
        schemas.validate(observations(), "observation")
