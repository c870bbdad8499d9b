"""The report's front page: region, county, each source's period, dates, owner and contact.

The run's date comes from :func:`ehalsa_analys.clock.run_date` (``SOURCE_DATE_EPOCH`` when set,
so two runs give the same bytes); owner and contact from an optional ``rapport.toml`` in the
data folder or data/raw::

    agare = "Region Örebro län, Regional utveckling"    # or owner =
    kontakt = "e-halsa@regionorebrolan.se"               # or contact =

Example
-------
>>> from ehalsa_analys.report.collect import Collected
>>> page = front_page(Collected("18", "Örebro län", {}), lang="sv", synthetic=True)
>>> page.region, page.synthetic
('Region Örebro län', True)
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputFileError
from ..formatting import quarter_label
from ..privacy import is_personal_number
from .collect import Collected

__all__ = ["FrontPage", "front_page", "read_settings", "SETTINGS_FILE"]

#: The optional settings file of the report, in the data folder or data/raw.
SETTINGS_FILE = "rapport.toml"
_KEYS = {"owner": ("agare", "ägare", "owner"), "contact": ("kontakt", "contact")}
#: Region names that are not "Region <county>" (Gotland is a municipality with regional tasks).
_REGION = {"09": "Region Gotland", "14": "Västra Götalandsregionen", "12": "Region Skåne"}


@dataclass(frozen=True)
class FrontPage:
    """What the first page says; ``periods`` pairs a source's name with its period."""

    region: str
    county: str
    periods: tuple[tuple[str, str], ...]
    data_date: str
    run_date: str
    owner: str
    contact: str
    synthetic: bool


def read_settings(*folders: str | os.PathLike) -> dict[str, str]:
    """Owner and contact from the first ``rapport.toml`` found in ``folders`` ({} if none).

    Raises
    ------
    InputFileError
        The file is not valid TOML, a value is not text, or a value holds a personal identity
        number; the message names the file and the key.

    Example
    -------
    >>> read_settings("/nonexistent")
    {}
    """
    for folder in folders:
        path = Path(folder) / SETTINGS_FILE
        if not path.is_file():
            continue
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
            raise InputFileError(
                f"{SETTINGS_FILE} cannot be read ({err})",
                file=str(path),
                hint='write it as TOML, e.g. agare = "Region X" and kontakt = "namn@region.se"',
            ) from None
        out = {}
        for key, names in _KEYS.items():
            for name in names:
                if name not in raw:
                    continue
                value = raw[name]
                if not isinstance(value, str):
                    raise InputFileError(
                        f"{name} in {SETTINGS_FILE} is not text",
                        file=str(path),
                        column=name,
                        hint="put the value in quotes",
                    )
                if is_personal_number(value) or any(
                    is_personal_number(word) for word in value.split()
                ):
                    raise InputFileError(
                        f"{name} in {SETTINGS_FILE} holds a personal identity number",
                        file=str(path),
                        column=name,
                        hint="give a function or a shared address as contact, not a person's "
                        "identity number",
                    )
                out[key] = value.strip()
                break
        return out
    return {}


_TEXT = {
    "sv": {
        "lika": "LIKA Socialtjänst",
        "survey": "Socialstyrelsens enkät",
        "access": "Avstånd till service",
        "monitoring": "Effektuppföljning",
        "rounds": "värderingar {rounds}",
        "and": " och ",
        "years": "{first}–{last} (jämförelseår {last})",
        "quarters": "{first}–{last} (senaste kvartal {last})",
        "grid": "befolkningsrutor, servicepunkter och vägnät i underlaget",
        "grid_year": "befolkning {year}; servicepunkter och vägnät i underlaget",
        "broadband": "; bredband (PTS) {year}",
        "none": "ingen uppgift",
    },
    "en": {
        "lika": "LIKA Socialtjänst",
        "survey": "Socialstyrelsen's survey",
        "access": "Distance to service",
        "monitoring": "Effect monitoring",
        "rounds": "assessments {rounds}",
        "and": " and ",
        "years": "{first}–{last} (compared year {last})",
        "quarters": "{first}–{last} (latest quarter {last})",
        "grid": "population grid, service points and road network of the data",
        "grid_year": "population {year}; service points and road network of the data",
        "broadband": "; broadband (PTS) {year}",
        "none": "not given",
    },
}


def front_page(
    c: Collected,
    *,
    lang: str = "sv",
    synthetic: bool = False,
    settings: dict[str, str] | None = None,
) -> FrontPage:
    """The front page of ``c``'s report, in ``lang``."""
    from ..clock import run_date
    from ..notebook import access_year

    text = _TEXT[lang]
    periods = []
    latest = []
    if c.lika is not None:
        rounds = [str(r) for r in c.lika.rounds]
        joined = (
            text["and"].join([", ".join(rounds[:-1]), rounds[-1]]) if len(rounds) > 1 else rounds[0]
        )
        periods.append((text["lika"], text["rounds"].format(rounds=joined)))
        if c.lika.assessed_on is not None:
            latest.append(c.lika.assessed_on.date().isoformat())
    if c.survey is not None:
        periods.append(
            (text["survey"], text["years"].format(first=c.survey.first_year, last=c.survey.year))
        )
        latest.append(f"{c.survey.year}-12-31")
    if c.monitoring is not None:
        first = quarter_label(c.monitoring.first_quarter, lang)
        last = quarter_label(c.monitoring.quarter, lang)
        periods.append((text["monitoring"], text["quarters"].format(first=first, last=last)))
        latest.append(c.monitoring.quarter.end_time.date().isoformat())
    if c.access is not None:
        year = c.access.population_year or access_year(None, synthetic=synthetic)
        shown = text["grid_year"].format(year=year) if year else text["grid"]
        if c.access.broadband_year is not None and c.access.reach is not None:
            shown += text["broadband"].format(year=c.access.broadband_year)
        periods.append((text["access"], shown))
    settings = settings or {}
    region = _REGION.get(c.county_code, f"Region {c.county}")
    return FrontPage(
        region=region,
        county=c.county,
        periods=tuple(periods),
        data_date=max(latest) if latest else text["none"],
        run_date=run_date().isoformat(),
        owner=settings.get("owner", ""),
        contact=settings.get("contact", ""),
        synthetic=synthetic,
    )
