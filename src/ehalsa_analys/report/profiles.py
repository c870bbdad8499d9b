"""One profile per municipality (kommunprofil): its LIKA profile, survey, travel time, monitoring.

A profile is a list of sections (:data:`PROFILE_SECTIONS`), each a title and a builder that
returns the section's charts and tables for one municipality (nothing when its source is
missing). A new table in every profile — e.g. issue 17's digital-reach classes — is one more
:class:`ProfileSection` (or one more table in a builder); the HTML pages, report.html and the
PDFs all render whatever the sections return.

The LIKA profile is drawn (:func:`lika_profile_chart`: the municipality's score per dimension
against the county's mean and its peer group's) above the same numbers as a table.

Example
-------
>>> [s.key for s in PROFILE_SECTIONS]
['lika', 'survey', 'access', 'monitoring']
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from ..safe import slug
from . import tables
from .collect import THRESHOLD, Collected

__all__ = [
    "Chart",
    "ProfileSection",
    "PROFILE_SECTIONS",
    "Profile",
    "profile",
    "profile_filename",
    "lika_profile_chart",
]


@dataclass(frozen=True)
class Chart:
    """A chart of a profile: SVG for the page, PNG for the PDF, and its text alternative."""

    key: str
    title: str
    alt: str
    svg: bytes
    png: bytes


@dataclass(frozen=True)
class ProfileSection:
    """A section of every profile: ``build(collected, code, lang)`` gives charts and tables."""

    key: str
    title_sv: str
    title_en: str
    build: Callable[[Collected, str, str], tuple[list[Chart], list[tables.Table]]]

    def title(self, lang: str) -> str:
        return self.title_sv if lang == "sv" else self.title_en


@dataclass(frozen=True)
class Profile:
    """One municipality's profile: its sections with their charts and tables."""

    code: str
    name: str
    anchor: str
    filename: str
    sections: list[dict] = field(default_factory=list)


def profile_filename(code: str, name: str) -> str:
    """``<kod>_<namn>`` through :func:`ehalsa_analys.safe.slug` (no suffix).

    Example
    -------
    >>> profile_filename("1880", "Örebro"), profile_filename("0180", "../Stockholm")
    ('1880_Orebro', '0180_Stockholm')
    """
    return slug(f"{code}_{name}")


_CHART_TEXT = {
    "sv": {
        "title": "{name}: LIKA {year}, poäng per del",
        "own": "{name}",
        "county": "Länets medelvärde",
        "peer": "Jämförelsegrupp {group} ({n} kommuner)",
        "threshold": "Tröskel {t}",
        "x": "Poäng (0–100)",
        "alt": "Poäng i LIKA {year} för {name}: {values}.",
    },
    "en": {
        "title": "{name}: LIKA {year}, score per dimension",
        "own": "{name}",
        "county": "County mean",
        "peer": "Peer group {group} ({n} municipalities)",
        "threshold": "Threshold {t}",
        "x": "Score (0–100)",
        "alt": "{name}'s scores in LIKA {year}: {values}.",
    },
}


def _deterministic_svg(data: bytes) -> bytes:
    """Drop matplotlib's date comment and random ids' dependence on the run (ids are hashes)."""
    return re.sub(rb"<dc:date>[^<]*</dc:date>", b"", data)


def lika_profile_chart(c: Collected, code: str, lang: str = "sv") -> Chart | None:
    """The municipality's LIKA profile (dots) against the county's mean and its peer group's."""
    if c.lika is None or code not in set(c.lika.scores["municipality_code"]):
        return None
    import matplotlib.pyplot as plt

    from .. import plots
    from ..formatting import format_number

    text = _CHART_TEXT[lang]
    source = tables.lika_profile_frame(c, code)
    frame = source * 100
    group, (_n_code, _n_county, n_group) = source.attrs["peer_group"], source.attrs["n"]
    name = c.names.get(code, code)
    year = c.lika.rounds[-1]
    labels = [tables.dimension_label(d, lang) for d in frame.index]
    y = list(range(len(labels)))[::-1]
    with plots.house_style(), plt.rc_context({"svg.fonttype": "none", "svg.hashsalt": "ehalsa"}):
        fig, ax = plt.subplots(figsize=(6.4, 2.9))
        ax.axvline(THRESHOLD * 100, color="#999999", lw=1, ls=":", zorder=1)
        for yi, row in zip(y, frame.itertuples(), strict=True):
            ax.plot([min(row[1:]), max(row[1:])], [yi, yi], color="#cccccc", lw=2, zorder=1)
        ax.scatter(
            frame["county"],
            y,
            marker="|",
            s=260,
            lw=2.5,
            color="#555555",
            zorder=2,
            label=text["county"],
        )
        ax.scatter(
            frame["peer"],
            y,
            marker="D",
            s=40,
            facecolor="white",
            edgecolor="#1b6ca8",
            lw=1.5,
            zorder=3,
            label=text["peer"].format(group=group, n=n_group),
        )
        ax.scatter(
            frame["municipality"],
            y,
            marker="o",
            s=70,
            color="#0b3d66",
            zorder=4,
            label=text["own"].format(name=name),
        )
        for yi, value in zip(y, frame["municipality"], strict=True):
            ax.annotate(
                format_number(value, decimals=0, lang=lang),
                (value, yi),
                xytext=(0, 7),
                textcoords="offset points",
                ha="center",
                fontsize=8,
                color="#0b3d66",
            )
        ax.set_yticks(y, labels)
        ax.set_xlim(0, 100)
        ax.set_ylim(-0.7, len(labels) - 0.3)
        ax.set_xlabel(text["x"])
        ax.set_title(text["title"].format(name=name, year=year), loc="left", fontsize=10)
        ax.text(
            THRESHOLD * 100,
            len(labels) - 0.45,
            text["threshold"].format(t=format_number(THRESHOLD * 100, lang=lang)),
            fontsize=7,
            color="#666666",
            ha="left",
            va="bottom",
        )
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.3), ncol=3, frameon=False, fontsize=8)
        ax.grid(axis="x", color="#eeeeee")
        ax.set_axisbelow(True)
        fig.tight_layout()
        svg, png = io.BytesIO(), io.BytesIO()
        fig.savefig(svg, format="svg", metadata={"Date": None})
        fig.savefig(png, format="png", dpi=110, metadata={"Software": None})
        plt.close(fig)
    values = ", ".join(
        f"{label} {format_number(v, decimals=0, lang=lang)}"
        for label, v in zip(labels, frame["municipality"], strict=True)
    )
    return Chart(
        key="lika_profil_figur",
        title=text["title"].format(name=name, year=year),
        alt=text["alt"].format(name=name, year=year, values=values),
        svg=_deterministic_svg(svg.getvalue()),
        png=png.getvalue(),
    )


def _lika(c: Collected, code: str, lang: str):
    chart = lika_profile_chart(c, code, lang)
    table = tables.lika_profile_table(c, code, lang)
    return ([chart] if chart else []), ([table] if table else [])


def _survey(c: Collected, code: str, lang: str):
    return [], tables.survey_tables(c, code, lang)


def _access(c: Collected, code: str, lang: str):
    found = [tables.access_table(c, code, lang), tables.reach_profile_table(c, code, lang)]
    return [], [table for table in found if table is not None]


def _monitoring(c: Collected, code: str, lang: str):
    table = tables.monitoring_table(c, code, lang)
    return [], ([table] if table else [])


#: The sections of every profile, in order.
PROFILE_SECTIONS: list[ProfileSection] = [
    ProfileSection("lika", "Digital mognad (LIKA)", "Digital maturity (LIKA)", _lika),
    ProfileSection(
        "survey",
        "E-hälsa enligt Socialstyrelsens enkät",
        "E-health in Socialstyrelsen's survey",
        _survey,
    ),
    ProfileSection(
        "access",
        "Befolkningen efter restid till service",
        "Population by travel time to service",
        _access,
    ),
    ProfileSection("monitoring", "Effektuppföljning", "Effect monitoring", _monitoring),
]


def profile(c: Collected, code: str, lang: str = "sv") -> Profile:
    """The profile of the municipality ``code``: every section with something to show."""
    name = c.names.get(code, code)
    sections = []
    for section in PROFILE_SECTIONS:
        charts, found = section.build(c, code, lang)
        if charts or found:
            sections.append(
                {
                    "key": section.key,
                    "title": section.title(lang),
                    "charts": charts,
                    "tables": found,
                }
            )
    filename = profile_filename(code, name)
    return Profile(
        code=code, name=name, anchor=f"kommun-{filename}", filename=filename, sections=sections
    )
