"""What the report's own text and tables read: each source's tidy results for one county.

The notebooks draw the figures; the front page, the findings, the tables, the action plan and
the municipality profiles need the numbers behind them. :func:`collect` computes them once from
the same data folder with the same library calls as the notebooks (so text and figures agree),
already through the suppression every output goes through
(:func:`ehalsa_analys.compare.publishable`,
:func:`ehalsa_analys.access.publishable_summary`/``publishable_classes``,
:func:`ehalsa_analys.monitoring.quarter_table`/``target_attainments``). A source without data for
the county is None.

Example
-------
>>> c = collect("tests/fixtures", county_code="18")
>>> c.county, c.lika is not None, c.access is None
('Örebro län', True, True)
>>> c.lika.rounds, sorted(c.names)[:2]
((2022,), ['1814', '1860'])
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from .. import reference
from ..errors import EhalsaError, NoDataError

__all__ = [
    "Collected",
    "LikaResults",
    "SurveyResults",
    "AccessResults",
    "MonitoringResults",
    "collect",
]

#: The LIKA threshold of the report: below it a part is a development area (as notebook 01).
THRESHOLD = 0.5
#: Travel-time classes of the profiles and the distance chapter (Pipos' classes, minutes).
SERVICE_ORDER = ("dagligvaror", "apotek", "vårdcentral", "hemtjänst", "drivmedel")
#: Digital reach as notebook 03: the service whose trip an e-service would replace, the
#: distance from which a square is far (minutes, or km by straight line), the speed that counts
#: as connected.
REACH_KIND = "vårdcentral"
REACH_THRESHOLD = 10.0
REACH_SPEED_MBIT = 100
THRESHOLDS_KM = [2, 5, 10, 20, 25, 30]
THRESHOLDS_MIN = [5, 10, 30]


@dataclass(frozen=True)
class LikaResults:
    """LIKA: scores per municipality and dimension (0–1), index, peers, development areas."""

    rounds: tuple[int, ...]
    assessed_on: pd.Timestamp | None
    scores: pd.DataFrame
    index: pd.DataFrame
    first_index: pd.DataFrame | None
    peers: pd.DataFrame
    peer_profiles: pd.DataFrame
    areas: pd.DataFrame
    weakest: pd.DataFrame


@dataclass(frozen=True)
class SurveyResults:
    """Socialstyrelsen's survey, small counts masked: the county's answers and the levels."""

    first_year: int
    year: int
    catalogue: pd.DataFrame
    indicators: list[str]
    county_obs: pd.DataFrame  # the county's municipalities, the year compared, with rank colours
    levels: pd.DataFrame  # compare.reference_levels: county and nation, every year


@dataclass(frozen=True)
class AccessResults:
    """Travel time to the nearest service: the published summary and classes (all and 70+)."""

    kinds: list[str]
    map_kind: str
    by_time: bool
    summary: pd.DataFrame
    classes: pd.DataFrame  # municipality_code, kind, group ("all"/"70+"), lower, upper, …
    #: Digital reach (issue 17): :func:`~ehalsa_analys.access.publishable_reach` of the reach
    #: kind (all thresholds), None without broadband data beside the distance data.
    reach: pd.DataFrame | None = None
    reach_kind: str | None = None
    reach_threshold: float = REACH_THRESHOLD
    #: The population grid's year (from its file name), None when it does not say.
    population_year: int | None = None
    #: The latest year of PTS' broadband shares the reach uses, None without them.
    broadband_year: int | None = None


@dataclass(frozen=True)
class MonitoringResults:
    """Effect monitoring: the quarter table and the targets, small counts hidden."""

    first_quarter: pd.Period
    quarter: pd.Period
    catalogue: pd.DataFrame
    table: pd.DataFrame
    targets: pd.DataFrame
    summary: pd.DataFrame


@dataclass(frozen=True)
class Collected:
    """Everything the report's text and tables read, for one county."""

    county_code: str
    county: str
    names: dict[str, str]
    lika: LikaResults | None = None
    survey: SurveyResults | None = None
    access: AccessResults | None = None
    monitoring: MonitoringResults | None = None
    notes: dict[str, str] = field(default_factory=dict)

    @property
    def codes(self) -> list[str]:
        """The county's municipality codes, in code order."""
        return sorted(self.names)


def _has_files(folder: Path) -> bool:
    return folder.is_dir() and any(
        p.is_file() and not p.name.startswith(".") for p in folder.rglob("*")
    )


def _in_county(data: pd.DataFrame, county_code: str) -> pd.DataFrame:
    out = data[data["municipality_code"].astype(str).str[:2] == county_code].reset_index(drop=True)
    out.attrs = dict(data.attrs)
    if out.empty:
        raise NoDataError(f"No rows for county {county_code}")
    return out


def _lika(folder: Path, county_code: str, seed: int) -> LikaResults:
    from .. import load, maturity, notebook

    responses = _in_county(load.lika(folder), county_code)
    instrument = load.lika_instrument(responses.attrs["instrument"])
    assessed = notebook.assessment_rounds(responses)
    latest = assessed.latest
    scores = maturity.scores(latest, weights=instrument, seed=seed)
    index = maturity.maturity_index(latest, weights=instrument, seed=seed)
    first = (
        maturity.maturity_index(assessed.first, weights=instrument, seed=seed)
        if assessed.several
        else None
    )
    try:
        peers = maturity.peer_groups(scores, seed=seed)
    except ValueError:  # fewer than three municipalities: one group, the county itself
        codes = sorted(scores["municipality_code"].unique())
        peers = pd.DataFrame({"municipality_code": codes, "peer_group": 1})
    dates = (
        pd.to_datetime(latest["assessed_on"], errors="coerce") if "assessed_on" in latest else None
    )
    return LikaResults(
        rounds=tuple(int(r) for r in assessed.rounds),
        assessed_on=None if dates is None or dates.isna().all() else dates.max(),
        scores=scores,
        index=index,
        first_index=first,
        peers=peers,
        peer_profiles=maturity.peer_profiles(scores, peers),
        areas=maturity.development_areas(latest, instrument=instrument, threshold=THRESHOLD),
        weakest=maturity.weakest_indicators(latest, instrument=instrument, threshold=THRESHOLD),
    )


def _survey(folder: Path, county_code: str, year: int | None) -> SurveyResults:
    from .. import compare, load, notebook

    catalogue = load.indicator_catalogue()
    obs = compare.publishable(
        load.socialstyrelsen(folder, catalogue=catalogue), catalogue=catalogue
    )
    county = _in_county(obs, county_code)
    first_year, year = notebook.survey_years(obs, year=year)
    indicators = notebook.survey_indicators(obs, catalogue)
    numeric = [
        i
        for i in catalogue["indicator_id"]
        if i not in indicators and i in set(obs["indicator_id"])
    ]
    shown = county[(county["period"] == year) & county["indicator_id"].isin(indicators + numeric)]
    coloured = compare.rank_colour(shown, catalogue=catalogue)
    return SurveyResults(
        first_year=int(first_year),
        year=int(year),
        catalogue=catalogue,
        indicators=indicators + numeric,
        county_obs=coloured,
        levels=compare.reference_levels(obs, by=("county", "nation")),
    )


def _access(folder: Path, county_code: str) -> AccessResults:
    from .. import access, notebook

    inputs = notebook.access_inputs(folder, method="network")
    cells = _in_county(inputs.cells, county_code)
    kinds = notebook.service_kinds(inputs.services)
    distances = access.nearest(
        cells,
        inputs.services,
        kind=kinds,
        method="network",
        network=inputs.roads,
        weight=inputs.weight,
        snap_speed_kmh=40,
    )
    summary = access.publishable_summary(
        access.summarise(distances, thresholds_km=THRESHOLDS_KM, thresholds_min=THRESHOLDS_MIN)
    )
    parts = []
    for group, weight in (("all", "population"), ("70+", "population_70plus")):
        if weight not in distances:
            continue
        raw = access.distance_classes(distances, weight=weight)
        shown = summary[summary["group"] == group].assign(group="all")  # its masks, as "all"
        parts.append(access.publishable_classes(raw, summary=shown).assign(group=group))
    order = [k for k in SERVICE_ORDER if k in kinds] + [k for k in kinds if k not in SERVICE_ORDER]
    return AccessResults(
        kinds=order,
        map_kind=notebook.map_kind(kinds),
        by_time=inputs.by_time,
        summary=summary,
        classes=pd.concat(parts, ignore_index=True),
        population_year=notebook.access_year(folder),
        **_reach(folder.parent / "bredband", distances, kinds, cells),
    )


def _reach(folder: Path, distances: pd.DataFrame, kinds: list[str], cells) -> dict[str, Any]:
    """Digital reach of the reach kind, published; nothing without a broadband folder.

    As notebook 03 computes it: a square's own share is the mean over the points in it
    (:func:`access.broadband_per_cell`), so buildings as points count as their square.
    """
    from .. import access, load, notebook

    if not _has_files(folder):
        return {}
    broadband = load.broadband_folder(folder)
    if broadband.shares is None and broadband.points is None:
        return {}
    kind = notebook.map_kind(kinds, preferred=REACH_KIND)
    reach = access.digital_reach(
        distances,
        kind=kind,
        broadband=broadband.shares,
        cell_broadband=access.broadband_per_cell(broadband.points, cells),
        thresholds_min=THRESHOLDS_MIN,
        thresholds_km=THRESHOLDS_KM,
        speed_mbit=REACH_SPEED_MBIT,
    )
    return {
        "reach": access.publishable_reach(access.reach_counts(reach)),
        "reach_kind": kind,
        "broadband_year": notebook.broadband_year(broadband.shares),
    }


def _monitoring(folder: Path, county_code: str, quarter: Any) -> MonitoringResults:
    from .. import load, monitoring, notebook

    catalogue = load.metric_catalogue()
    data = _in_county(load.monitoring(folder, catalogue=catalogue), county_code)
    charts = monitoring.charts_for(data, catalogue)
    chosen = notebook.chosen_quarter(data, quarter=quarter)
    return MonitoringResults(
        first_quarter=data["period"].min(),
        quarter=chosen,
        catalogue=catalogue,
        table=monitoring.quarter_table(charts, data=data, catalogue=catalogue, quarter=chosen),
        targets=monitoring.target_attainments(data, catalogue),
        summary=monitoring.quarter_summary(charts, quarter=chosen),
    )


def collect(
    data_dir: str | os.PathLike,
    *,
    county_code: str,
    seed: int = 20261123,
    year: int | None = None,
    quarter: Any = None,
    parts: set[str] | None = None,
) -> Collected:
    """Compute what the report's text and tables show, from ``data_dir`` (a folder per source).

    Only the ``parts`` given (keys "lika", "survey", "access", "monitoring"; default all) are
    read. A source whose folder holds no file is None; one that cannot be read for the county
    (no rows, an :class:`~ehalsa_analys.errors.EhalsaError` or a ValueError, e.g. a baseline
    that the series does not reach) is None too, with the reason in
    :attr:`Collected.notes` (the report then shows its figures without text and tables).
    """
    county_code = reference.resolve_county(county_code)
    towns = reference.municipalities(county_code=county_code)
    names = dict(zip(towns["municipality_code"], towns["municipality"], strict=True))
    county = str(towns["county"].iloc[0]) if len(towns) else county_code
    data_dir = Path(data_dir)
    found: dict[str, Any] = {}
    notes: dict[str, str] = {}
    jobs = {
        "lika": ("lika", lambda f: _lika(f, county_code, seed)),
        "survey": ("socialstyrelsen", lambda f: _survey(f, county_code, year)),
        "access": ("avstand", lambda f: _access(f, county_code)),
        "monitoring": ("monitoring", lambda f: _monitoring(f, county_code, quarter)),
    }
    for key, (folder, job) in jobs.items():
        path = data_dir / folder
        if (parts is not None and key not in parts) or not _has_files(path):
            continue
        try:
            found[key] = job(path)
        except (EhalsaError, ValueError) as err:  # the notebook shows its figures; no text
            notes[key] = str(err).split("\n")[0]
    return Collected(county_code=county_code, county=county, names=names, notes=notes, **found)
