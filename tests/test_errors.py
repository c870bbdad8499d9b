import pickle

import pytest

from ehalsa_analys import errors


def test_message_names_file_row_column_and_fix():
    err = errors.InputFileError(
        "Value '12,3,4' is not a number",
        file="data/raw/lika_2024.csv",
        row=17,
        column="Användning",
        value="12,3,4",
        hint="write one number per cell",
    )
    assert str(err) == (
        "Value '12,3,4' is not a number (file data/raw/lika_2024.csv, row 17, column Användning)."
        "\n  Fix: write one number per cell."
    )
    assert (err.file, err.row, err.column, err.value) == (
        "data/raw/lika_2024.csv",
        17,
        "Användning",
        "12,3,4",
    )


def test_message_without_location():
    assert str(errors.EhalsaError("Something is off")) == "Something is off."


@pytest.mark.parametrize(
    "cls",
    [
        errors.InputFileError,
        errors.UnknownMunicipalityError,
        errors.SchemaError,
        errors.PersonalDataError,
        errors.CRSError,
    ],
)
def test_hierarchy_and_pickling(cls):
    err = cls("Bad thing", file="a.csv", row=3, column="x", hint="fix it")
    assert isinstance(err, errors.EhalsaError)
    back = pickle.loads(pickle.dumps(err))
    assert type(back) is cls
    assert str(back) == str(err)


def test_personal_data_error_never_keeps_the_value():
    err = errors.PersonalDataError(
        "Column 'pnr' holds personal identity numbers", column="pnr", value="19121212-1212"
    )
    assert err.value is None
    assert "1212" not in str(err) and "1212" not in repr(err)


def test_no_error_ever_carries_a_personal_number():
    from ehalsa_analys.errors import InputFileError, UnknownMunicipalityError

    err = UnknownMunicipalityError(
        "Not a municipality: 'Örebro 19121212-1212'",
        file="/data/brukare_811228-9874.csv",
        row=3,
        column="Kommun 121212-1212",
        value="Örebro 19121212-1212",
        hint="not 19121212 1212",
    )
    text = str(err) + repr(err.args) + str(err.value) + str(err.file) + str(err.column)
    for digits in ("1212-1212", "1212 1212", "9874"):
        assert digits not in text
    assert "ÅÅÅÅMMDD-XXXX" in str(err) and err.row == 3
    assert InputFileError("x", column=7).column == 7  # non-text fields keep their type
