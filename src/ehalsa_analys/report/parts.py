"""The report's sections: which notebook each runs, what data folder it reads, its titles.

Example
-------
>>> [part.key for part in PARTS]
['summary', 'lika', 'survey', 'access', 'monitoring']
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Part", "PARTS", "PART_INTROS", "RUN_ORDER", "county_argument"]


@dataclass(frozen=True)
class Part:
    """One section of the report: a notebook and the data folder it reads."""

    key: str
    notebook: str
    folder: str | None
    title_sv: str
    title_en: str
    intro_sv: str


#: The report's parts, in report order. ``folder`` None marks the summary.
PARTS = (
    Part(
        "summary",
        "05_regional_rapport.ipynb",
        None,
        "Sammanfattning",
        "Summary",
        "De viktigaste resultaten för länet.",
    ),
    Part(
        "lika",
        "01_lika_mognad.ipynb",
        "lika",
        "Digital mognad (LIKA)",
        "Digital maturity (LIKA)",
        "Kommunernas självskattning i LIKA Socialtjänst: var de står, hur långt från varandra "
        "de ligger och vilka gemensamma utvecklingsområden som framträder.",
    ),
    Part(
        "survey",
        "02_socialstyrelsen_jamforelse.ipynb",
        "socialstyrelsen",
        "E-hälsa i kommunerna (Socialstyrelsen)",
        "E-health in the municipalities (Socialstyrelsen)",
        "Socialstyrelsens årliga enkät: länets kommuner jämförda med länet, riket och "
        "liknande kommuner, och utvecklingen över tid.",
    ),
    Part(
        "access",
        "03_landsbygd_avstand.ipynb",
        "avstand",
        "Avstånd till service",
        "Distance to service",
        "Hur många som bor långt från service, och hur mycket resor digitala tjänster sparar.",
    ),
    Part(
        "monitoring",
        "04_effektuppfoljning.ipynb",
        "monitoring",
        "Effektuppföljning",
        "Effect monitoring",
        "Gör den införda välfärdstekniken det vi väntade oss? Serier per kvartal med "
        "styr- och seriediagram.",
    ),
)
#: Each part's introduction by language (the English report is wholly English).
PART_INTROS = {
    "sv": {part.key: part.intro_sv for part in PARTS},
    "en": {
        "summary": "The main results for the county.",
        "lika": "The municipalities' self-assessment in LIKA Socialtjänst: where they stand, how "
        "far apart they are and which common development areas emerge.",
        "survey": "Socialstyrelsen's yearly survey: the county's municipalities compared with the "
        "county, the nation and similar municipalities, and the development over time.",
        "access": "How many live far from service, and how much travel digital services save.",
        "monitoring": "Does the welfare technology introduced do what we expected? Quarterly "
        "series with control charts and run charts.",
    },
}
#: The order in which notebooks run (the summary last, after the parts it summarises).
RUN_ORDER = ("lika", "survey", "access", "monitoring", "summary")


def county_argument(value) -> str:
    """The county code of a command's ``--county`` (a code, as text or int, or a name).

    Example
    -------
    >>> county_argument(18), county_argument("Örebro län")
    ('18', '18')
    """
    from .. import reference
    from ..errors import EhalsaError, UnknownMunicipalityError

    try:
        return reference.resolve_county(value)
    except UnknownMunicipalityError as err:
        raise EhalsaError(
            f"Unknown county {value!r}",
            column="--county",
            value=value,
            hint="give a county code such as 18 (Örebro län) or the county's name",
        ) from err
