"""The report's key findings: five to seven sentences written from the data, each with its figure.

Each :class:`Finding` is one plain sentence with its numbers ("Kompetens är den svagaste delen i
11 av 12 kommuner (2022).") and the id of the figure that shows it (the report links to it).
The sentences come from :mod:`ehalsa_analys.captions` where a figure's caption already says it,
so text and figures agree, and from the suppressed tables only (a hidden count is never
written out).

Example
-------
>>> from ehalsa_analys.report.collect import collect
>>> [f.figure for f in findings(collect("tests/fixtures", county_code="18"))]
['lika_heatmap', 'lika_utvecklingsomraden', 'lika_karta']
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import captions
from ..errors import EhalsaError
from ..formatting import format_number, quarter_label
from .collect import REACH_SPEED_MBIT, THRESHOLD, Collected
from .tables import kind_label

__all__ = ["Finding", "findings", "MAX_FINDINGS"]

#: At most this many findings are shown.
MAX_FINDINGS = 7


@dataclass(frozen=True)
class Finding:
    """One key finding and the figure (its id in the report) that shows it."""

    text: str
    figure: str


def _pct(share: float, lang: str) -> str:
    return format_number(share * 100, decimals=0, lang=lang, percent=True)


def _lika(c: Collected, lang: str) -> list[Finding]:
    lika = c.lika
    out = [
        Finding(
            captions.weakest_dimension(lika.scores, year=lika.rounds[-1], lang=lang), "lika_heatmap"
        )
    ]
    if not lika.areas.empty:
        out.append(
            Finding(
                captions.first_development_area(lika.areas, threshold=THRESHOLD, lang=lang),
                "lika_utvecklingsomraden",
            )
        )
    index = lika.index.dropna(subset=["index"]).sort_values(["index", "municipality_code"])
    if len(index) >= 2:
        low, high = index.iloc[0], index.iloc[-1]
        pts = {
            k: format_number(v * 100, decimals=0, lang=lang)
            for k, v in (("lo", low["index"]), ("hi", high["index"]))
        }
        lo_name, hi_name = (
            c.names.get(low["municipality_code"]),
            c.names.get(high["municipality_code"]),
        )
        gap = round(high["index"] * 100) - round(low["index"] * 100)
        text = (
            f"Mognadsindex skiljer {gap} poäng mellan "
            f"högst, {hi_name} ({pts['hi']}), och lägst, {lo_name} ({pts['lo']})."
            if lang == "sv"
            else f"The maturity index differs by {gap} "
            f"points between the highest, {hi_name} ({pts['hi']}), and the lowest, {lo_name} "
            f"({pts['lo']})."
        )
        out.append(Finding(text, "lika_karta"))
    if lika.first_index is not None:
        both = lika.index.merge(lika.first_index, on="municipality_code", suffixes=("", "_first"))
        rose = int((both["index"] > both["index_first"]).sum())
        first, last = lika.rounds[0], lika.rounds[-1]
        text = (
            f"Mognadsindex steg i {rose} av {len(both)} kommuner mellan {first} och {last}."
            if lang == "sv"
            else f"The maturity index rose in {rose} of {len(both)} municipalities between "
            f"{first} and {last}."
        )
        out.append(Finding(text, "lika_forandring"))
    return out


def _survey(c: Collected, lang: str) -> list[Finding]:
    survey = c.survey
    indicator = "digital_nattillsyn"
    if indicator not in survey.indicators:
        return []
    cat = survey.catalogue.set_index("indicator_id")
    title = cat.loc[indicator, "title_sv" if lang == "sv" else "title_en"]
    try:
        text = captions.adoption(
            survey.levels,
            indicator=indicator,
            county_code=c.county_code,
            title=title,
            year=survey.year,
            lang=lang,
        )
    except (EhalsaError, KeyError):  # the county has no level that year: no finding
        return []
    return [Finding(text, "enkat_spridning")]


def _access(c: Collected, lang: str) -> list[Finding]:
    return _distance(c, lang) + _reach(c, lang)


def _distance(c: Collected, lang: str) -> list[Finding]:
    access = c.access
    kind = access.map_kind
    shown = access.classes[(access.classes["kind"] == kind) & (access.classes["group"] == "all")]
    far = shown[shown["lower"] >= 10].groupby("municipality_code")
    share = far["share"].sum(min_count=1)
    hidden = far["status"].apply(lambda s: (s == "suppressed").any())
    share = share[~hidden.reindex(share.index).fillna(True)].dropna()
    if share.empty:
        return []
    code = share.sort_values(kind="stable").index[-1]
    name = c.names.get(code, code)
    what = kind_label(kind, lang).lower()
    unit = "minuter" if lang == "sv" else "minutes"
    text = (
        f"Störst andel långt från {what} har {name}: {_pct(share[code], lang)} av invånarna har "
        f"10 {unit} eller mer med bil till närmaste butik."
        if lang == "sv" and kind == "dagligvaror"
        else f"Störst andel långt från {what} har {name}: {_pct(share[code], lang)} av invånarna "
        f"har 10 {unit} eller mer med bil."
        if lang == "sv"
        else f"{name} has the largest share far from {what}: {_pct(share[code], lang)} of the "
        f"inhabitants are 10 {unit} or more away by car."
    )
    return [Finding(text, "avstand_klasser")]


def _reach(c: Collected, lang: str) -> list[Finding]:
    """Digital reach: how many live far away and unconnected, and where most of them live."""
    from ..plots import reach_findings

    access = c.access
    if access.reach is None:
        return []
    found = reach_findings(
        access.reach,
        county_code=c.county_code,
        threshold=access.reach_threshold,
        speed_mbit=REACH_SPEED_MBIT,
        lang=lang,
    )
    return [Finding(found.text, "bredband_karta")]


def _monitoring(c: Collected, lang: str) -> list[Finding]:
    m = c.monitoring
    summary = m.summary
    metric = "digital_besok_andel"
    if metric not in set(summary["metric_id"]):
        return []
    now = summary[summary["metric_id"] == metric]
    better = int((now["signal"] == "improvement").sum())
    met = int(now["target_met"].fillna(False).astype(bool).sum())
    label = quarter_label(m.quarter, lang)
    target = now["target"].dropna()
    goal = _pct(float(target.iloc[0]), lang) if len(target) else ""
    text = (
        f"Andelen hemtjänstbesök som görs digitalt visar en förbättring i {better} av {len(now)} "
        f"kommuner {label}; {met} har nått målet {goal}."
        if lang == "sv"
        else f"The share of home-care visits made digitally shows an improvement in {better} of "
        f"{len(now)} municipalities in {label}; {met} have reached the target of {goal}."
    )
    return [Finding(text, "monitor_kvartal")]


def findings(c: Collected, *, lang: str = "sv", figures: set[str] | None = None) -> list[Finding]:
    """Up to :data:`MAX_FINDINGS` key findings of ``c``, in report order.

    With ``figures`` (the ids of the figures in the report), a finding whose figure is not
    in the report is left out.
    """
    out: list[Finding] = []
    for part, write in (
        ("lika", _lika),
        ("survey", _survey),
        ("access", _access),
        ("monitoring", _monitoring),
    ):
        if getattr(c, part) is not None:
            out += write(c, lang)
    if figures is not None:
        out = [f for f in out if f.figure in figures]
    # keep one finding per part first, then fill up to the maximum in report order
    return out[:MAX_FINDINGS] if len(out) <= MAX_FINDINGS else _balanced(out)


def _balanced(found: list[Finding]) -> list[Finding]:
    prefix = [f.figure.split("_")[0] for f in found]
    firsts = {p: i for i, p in reversed(list(enumerate(prefix)))}
    keep = set(firsts.values())
    for i in range(len(found)):
        if len(keep) >= MAX_FINDINGS:
            break
        keep.add(i)
    return [f for i, f in enumerate(found) if i in keep]
