import numpy as np
import pandas as pd
import pytest

from ehalsa_analys import reference
from ehalsa_analys.errors import EhalsaError, UnknownMunicipalityError

# --------------------------------------------------------------------------- tables


def test_municipalities__290_rows_with_string_codes():
    m = reference.municipalities()
    assert list(m.columns) == ["municipality_code", "municipality", "county_code", "county"]
    assert len(m) == 290
    assert m["municipality_code"].str.fullmatch(r"\d{4}").all()
    assert m["county_code"].str.fullmatch(r"\d{2}").all()
    assert (m["municipality_code"].str[:2] == m["county_code"]).all()
    assert m["municipality_code"].is_unique
    assert m["municipality"].is_unique
    assert m["municipality_code"].is_monotonic_increasing
    assert m.notna().all().all()


def test_municipalities__known_rows():
    m = reference.municipalities().set_index("municipality_code")
    assert m.loc["0180"].tolist() == ["Stockholm", "01", "Stockholms län"]
    assert m.loc["1880"].tolist() == ["Örebro", "18", "Örebro län"]
    assert m.loc["0980"].tolist() == ["Gotland", "09", "Gotlands län"]
    assert m.loc["2023", "municipality"] == "Malung-Sälen"


def test_municipalities__county_filter():
    orebro = reference.municipalities(county_code=18)
    assert len(orebro) == 12
    assert set(orebro["county"]) == {"Örebro län"}
    assert orebro.index.tolist() == list(range(12))


def test_municipalities__returns_a_copy():
    m = reference.municipalities()
    m.loc[0, "municipality"] = "changed"
    assert reference.municipalities().loc[0, "municipality"] == "Upplands Väsby"


def test_counties__21_rows_every_county_has_municipalities():
    c = reference.counties()
    assert list(c.columns) == ["county_code", "county"]
    assert len(c) == 21
    assert c["county_code"].is_unique and c["county"].is_unique
    per_county = reference.municipalities().groupby("county_code").size()
    assert set(per_county.index) == set(c["county_code"])
    # Counts from SCB's division: Stockholm 26, Skåne 33, Västra Götaland 49, Gotland 1.
    assert per_county["01"] == 26
    assert per_county["12"] == 33
    assert per_county["14"] == 49
    assert per_county["09"] == 1


def test_county_code__unknown_raises():
    with pytest.raises(UnknownMunicipalityError, match="'11' is not a county code"):
        reference.municipalities(county_code="11")


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (18, "18"),
        ("1", "01"),
        ("22.0", "22"),
        ("Västra Götalands län", "14"),
        ("västra götaland", "14"),
        ("Dalarna", "20"),
        ("STOCKHOLM", "01"),
        (" Örebro län ", "18"),
    ],
)
def test_resolve_county(value, code):
    assert reference.resolve_county(value) == code


def test_resolve_county__unknown_lists_the_counties():
    with pytest.raises(UnknownMunicipalityError, match="'Narnia' is not a county") as err:
        reference.resolve_county("Narnia")
    assert "18 Örebro län" in err.value.hint and err.value.column == "county_code"


@pytest.mark.parametrize("crs", [3006, 4326])
def test_geometries__municipality_level(crs):
    g = reference.geometries("municipality", crs=crs)
    assert g.crs.to_epsg() == crs
    assert len(g) == 290
    assert g.geometry.is_valid.all()
    assert not g.geometry.is_empty.any()
    assert (
        g["municipality_code"].tolist() == reference.municipalities()["municipality_code"].tolist()
    )
    if crs == 3006:
        # SWEREF 99 TM metres: Sweden spans roughly x 0.27-0.92 Mm, y 6.13-7.68 Mm.
        xmin, ymin, xmax, ymax = g.total_bounds
        assert 200_000 < xmin < 300_000 and 900_000 < xmax < 1_000_000
        assert 6_100_000 < ymin < 6_200_000 and 7_600_000 < ymax < 7_700_000


def test_geometries__county_level_and_filter():
    g = reference.geometries("county")
    assert len(g) == 21
    assert g.crs.to_epsg() == 3006
    assert g.geometry.is_valid.all()
    one = reference.geometries("municipality", county_code="18")
    assert len(one) == 12
    # Örebro municipality lies inside Örebro county.
    county = g.set_index("county_code").loc["18", "geometry"]
    assert county.buffer(1_000).contains(one.set_index("municipality_code").loc["1880", "geometry"])


def test_geometries__bad_level():
    with pytest.raises(ValueError, match=r"`level` must be one of \['municipality', 'county'\]"):
        reference.geometries("parish")


def test_groups_and_population_ship_with_the_package():
    groups = reference.municipality_groups()
    pop = reference.population()
    assert len(groups) == len(pop) == 290
    assert set(groups["municipality_code"]) == set(reference.municipalities()["municipality_code"])
    assert groups["group_code"].value_counts().to_dict() == {
        "B4": 63,
        "C7": 51,
        "A2": 43,
        "C8": 35,
        "C6": 27,
        "B5": 24,
        "B3": 23,
        "C9": 21,
        "A1": 3,
    }
    assert pop["population"].sum() == 10_605_520
    assert pop.set_index("municipality_code").loc["2425", "population"] == 2_241


# --------------------------------------------------------------------------- resolution

RESOLUTION_CASES = [
    ("0180", "0180"),
    ("180", "0180"),
    (180, "0180"),
    (180.0, "0180"),
    (np.int64(180), "0180"),
    (np.float64(180.0), "0180"),
    ("180.0", "0180"),
    ("Stockholm", "0180"),
    ("stockholms kommun", "0180"),
    ("Stockholms stad", "0180"),
    ("0180 Stockholm", "0180"),
    ("Örebro kommun", "1880"),
    ("Lindesbergs kommun", "1885"),
    ("Region Gotland", "0980"),
    ("Gotlands kommun", "0980"),
    ("Orebro", "1880"),
    ("OREBRO", "1880"),
    ("Malung Sälen", "2023"),
    ("malung-salen", "2023"),
    ("Upplands Bro", "0139"),
    ("Upplands-Bro kommun", "0139"),
    ("  Västerås \u00a0", "1980"),
    ("Västerås stad", "1980"),
    ("Falu kommun", "2080"),
    ("Göteborgs stad", "1480"),
    ("1917", "0331"),  # Heby before 2007
    (1917, "0331"),
    ("Håbo", "0305"),
    ("Habo", "0643"),
    ("HÅBO", "0305"),
]


@pytest.mark.parametrize(("value", "expected"), RESOLUTION_CASES)
def test_resolve_municipality__scalar(value, expected):
    assert reference.resolve_municipality(value) == expected


def test_resolve_municipality__series_keeps_index_and_missing():
    values = pd.Series([v for v, _ in RESOLUTION_CASES] + [None, np.nan, ""], index=range(10, 43))
    out = reference.resolve_municipality(values)
    assert out.index.tolist() == list(range(10, 43))
    assert out.tolist() == [e for _, e in RESOLUTION_CASES] + [None, None, None]


def test_resolve_municipality__list_input():
    assert reference.resolve_municipality(["180", "Orebro"]).tolist() == ["0180", "1880"]


def test_resolve_municipality__every_official_name_and_code_round_trips():
    m = reference.municipalities()
    assert (
        reference.resolve_municipality(m["municipality"]).tolist()
        == m["municipality_code"].tolist()
    )
    as_int = m["municipality_code"].astype(int)
    assert reference.resolve_municipality(as_int).tolist() == m["municipality_code"].tolist()
    with_kommun = m["municipality"] + " kommun"
    assert reference.resolve_municipality(with_kommun).tolist() == m["municipality_code"].tolist()


def test_historical_codes__documented():
    hist = reference.historical_codes()
    assert list(hist.columns) == ["old_code", "new_code", "municipality", "valid_until", "reason"]
    assert hist["reason"].str.len().gt(20).all()
    current = set(reference.municipalities()["municipality_code"])
    assert set(hist["new_code"]) <= current
    assert not set(hist["old_code"]) & current


def test_resolve_municipality__unknown_name_lists_three_closest():
    with pytest.raises(UnknownMunicipalityError) as info:
        reference.resolve_municipality("Stokholm")
    message = str(info.value)
    assert "'Stokholm' is not a Swedish municipality" in message
    assert "Stockholm (0180)" in message
    assert message.split("closest names are ")[1].count("(") == 3


def test_resolve_municipality__unknown_name_with_affix_compares_the_name():
    with pytest.raises(UnknownMunicipalityError, match=r"closest names are Uppsala \(0380\)"):
        reference.resolve_municipality("Upsala kommun")


@pytest.mark.parametrize("value", ["9999", 9999, "0000", 12.5, True, "x"])
def test_resolve_municipality__unknown_codes_and_types(value):
    with pytest.raises(UnknownMunicipalityError):
        reference.resolve_municipality(value)


def test_resolve_municipality__ambiguous_without_diacritics():
    # "Hàbo" folds to "habo", which is both Håbo (0305) and Habo (0643).
    with pytest.raises(UnknownMunicipalityError, match="ambiguous.*0305 Håbo.*0643 Habo"):
        reference.resolve_municipality("Hàbo")


def test_resolve_municipality__code_and_name_disagree():
    with pytest.raises(UnknownMunicipalityError, match="names code 0180 .*Örebro"):
        reference.resolve_municipality("0180 Örebro")


def test_resolve_municipality__error_names_file_row_and_column():
    values = pd.Series(["0180", "1880", "Narnia"])
    with pytest.raises(UnknownMunicipalityError) as info:
        reference.resolve_municipality(values, file="lika.csv", column="Kommun", first_row=4)
    err = info.value
    assert (err.file, err.row, err.column, err.value) == ("lika.csv", 6, "Kommun", "Narnia")
    assert "(file lika.csv, row 6, column Kommun)" in str(err)
    assert isinstance(err, EhalsaError) and isinstance(err, KeyError)


def test_resolve_municipality__does_not_mutate_input():
    values = pd.Series(["180", "Orebro"])
    reference.resolve_municipality(values)
    assert values.tolist() == ["180", "Orebro"]
