"""One exception hierarchy for everything the package refuses.

Every error carries *where* (file, row, column), *what* (the offending value, when it is safe to
show) and *what to do* (a hint), and ``str()`` turns them into one message a user can act on.
Rows are numbered as a person sees the file: its first line, or a sheet's first row, is row 1.

Example
-------
>>> err = InputFileError("Value '12,3,4' is not a number", file="lika.csv", row=17,
...                      column="Användning", hint="write one number per cell")
>>> print(err)
Value '12,3,4' is not a number (file lika.csv, row 17, column Användning).
  Fix: write one number per cell.
"""

from __future__ import annotations

from os import PathLike
from typing import Any

__all__ = [
    "EhalsaError",
    "InputFileError",
    "UnknownMunicipalityError",
    "SchemaError",
    "PersonalDataError",
    "CRSError",
    "NoDataError",
    "check_choice",
]


class EhalsaError(Exception):
    """Base class of every error this package raises on purpose.

    Parameters
    ----------
    message : str
        What is wrong, in one sentence without a trailing full stop.
    file, row, column : optional
        Where it is wrong. ``file`` is shown as given (a path or a name).
    value : optional
        The offending value. Shown in the message unless the subclass hides it.
    hint : str, optional
        What the user should do about it.
    """

    show_value = True

    def __init__(
        self,
        message: str,
        *,
        file: str | PathLike | None = None,
        row: int | None = None,
        column: str | None = None,
        value: Any = None,
        hint: str | None = None,
    ) -> None:
        # No error ever carries a personal identity number: whatever text reaches here
        # (a cell, a header, a path) is masked once, in this one place.
        from .privacy import mask_personal_numbers as mask

        message = mask(message)
        super().__init__(message)
        self.message = message
        self.file = None if file is None else mask(str(file))
        self.row = row
        self.column = mask(column) if isinstance(column, str) else column
        value = value if self.show_value else None
        self.value = mask(value) if isinstance(value, str) else value
        self.hint = None if hint is None else mask(hint)

    def __str__(self) -> str:
        where = ", ".join(
            f"{key} {getattr(self, key)}"
            for key in ("file", "row", "column")
            if getattr(self, key) is not None
        )
        text = self.message.rstrip(".")
        if where:
            text += f" ({where})"
        text += "."
        if self.hint:
            text += f"\n  Fix: {self.hint.rstrip('.')}."
        return text

    def __reduce__(self):  # keep the fields through pickling (multiprocessing, papermill)
        return (
            _rebuild,
            (type(self), self.message, self.file, self.row, self.column, self.value, self.hint),
        )


def _rebuild(cls, message, file, row, column, value, hint):
    return cls(message, file=file, row=row, column=column, value=value, hint=hint)


class InputFileError(EhalsaError):
    """An input file cannot be read as it is: layout, encoding or a cell's value."""


class UnknownMunicipalityError(EhalsaError, KeyError):
    """A code or name does not resolve to exactly one of Sweden's 290 municipalities."""

    # KeyError.__str__ would quote the message; keep ours.
    __str__ = EhalsaError.__str__


class SchemaError(EhalsaError):
    """A tidy table breaks its schema (see :mod:`ehalsa_analys.schemas`)."""


class PersonalDataError(EhalsaError):
    """Person-level data (Swedish personal identity numbers) was found and refused.

    The offending values are never stored on the exception nor shown.
    """

    show_value = False


class CRSError(EhalsaError):
    """Geometries are in a coordinate reference system the computation cannot use."""


class NoDataError(EhalsaError):
    """The data hold nothing for the county or selection asked for.

    A notebook raises it when its source has no rows for the county; the report then leaves that
    part out with the message instead of failing.
    """


def check_choice(name: str, allowed: Any, value: Any) -> None:
    """Raise ValueError unless ``value`` is one of ``allowed``, naming the argument.

    Example
    -------
    >>> check_choice("lang", ["sv", "en"], "de")
    Traceback (most recent call last):
    ...
    ValueError: The value for `lang` must be one of ['sv', 'en'], but 'de' was passed.
    """
    allowed = list(allowed)
    if value is None and None in allowed:
        return
    if not isinstance(value, str) or value not in allowed:
        raise ValueError(
            f"The value for `{name}` must be one of {allowed}, but {value!r} was passed."
        )
