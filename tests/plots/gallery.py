"""A gallery of every figure function, drawn from small, seeded data of county 18.

``FIGURES`` maps a name to a builder ``build(lang) -> Figure``; ``test_figures_readable``
draws each in both languages and measures its text. Run this module to write the gallery as
PNG files for a look: ``python -m tests.plots.gallery /tmp/gallery``.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path

import geopandas as gpd
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from ehalsa_analys import access, compare, monitoring, notebook, plots, reference
from ehalsa_analys.load import metric_catalogue
from ehalsa_analys.schemas import DIMENSIONS

SOURCE = {"sv": "Testdata", "en": "Test data"}
COUNTY = "18"


@functools.cache
def _codes() -> list[str]:
    table = reference.municipalities()
    return sorted(table.loc[table["municipality_code"].str[:2] == COUNTY, "municipality_code"])


# --------------------------------------------------------------------------- LIKA


@functools.cache
def _scores() -> pd.DataFrame:
    rng = np.random.default_rng(1)
    rows = [
        (code, dim, float(np.clip(rng.normal(0.5, 0.15), 0.05, 0.95)))
        for code in _codes()
        for dim in DIMENSIONS
    ]
    return pd.DataFrame(rows, columns=["municipality_code", "dimension", "score"])


def _index() -> pd.DataFrame:
    return (
        _scores()
        .groupby("municipality_code", as_index=False)["score"]
        .mean()
        .rename(columns={"score": "index"})
    )


def _gaps() -> pd.DataFrame:
    scores = _scores()
    mean = scores.groupby("dimension")["score"].transform("mean")
    gap = scores["score"] - mean
    return scores.assign(gap=gap, gap_low=gap - 0.08, gap_high=gap + 0.08, reference="county")


def lika_heatmap(lang):
    return plots.maturity_heatmap_figure(
        _scores(), order=list(_index().sort_values("index")["municipality_code"])[::-1],
        period=2022, lang=lang, source=SOURCE[lang],
    )  # fmt: skip


def lika_gap_panels(lang):
    return plots.gap_panels(_gaps(), period=2022, lang=lang, source=SOURCE[lang])


def lika_gap_bars(lang):
    fig, ax = plt.subplots(figsize=(6, 3.5))
    one = _gaps()[_gaps()["municipality_code"] == "1880"]
    plots.gap_bars(one, period=2022, lang=lang, ax=ax, source=SOURCE[lang])
    return fig


def lika_dispersion(lang):
    fig, ax = plt.subplots(figsize=(8, 4.5))
    plots.dispersion_strip(
        _scores(), highlight="1880", period=2022, lang=lang, ax=ax, source=SOURCE[lang]
    )
    return fig


def lika_change(lang):
    index = _index()
    rng = np.random.default_rng(2)
    change = index.assign(
        score_t0=index["index"] - rng.uniform(-0.05, 0.2, len(index)),
        score_t1=index["index"],
        exceeds_interval=rng.random(len(index)) > 0.4,
    )
    fig, ax = plt.subplots(figsize=(7, 0.42 * len(change) + 1.8))
    plots.change_dumbbell(change, rounds=("2018", "2022"), lang=lang, ax=ax, source=SOURCE[lang])
    return fig


def lika_table(lang):
    areas = pd.DataFrame(
        {
            "priority": [1, 2],
            "dimension": ["Kompetens", "Användning"],
            "n_below": [11, 4],
            "n_municipalities": [12, 12],
            "weakest_indicators": [
                ("Biståndshandläggarna kan bedöma och bevilja insatser med välfärdsteknik",
                 "Medarbetarna känner till regelverket för digital dokumentation"),
                ("Socialtjänstens vanligaste ärenden kan startas via e-tjänster",),
            ],
            "suggested_activities": [
                ("Utbilda biståndshandläggare i att bevilja välfärdsteknik",
                 "Utbildning i regelverket för dokumentation"),
                ("Inventera ärenden som kan bli e-tjänster",),
            ],
        }
    )  # fmt: skip
    fig, ax = plt.subplots(figsize=(11, 3.2))
    plots.development_table(areas, period=2022, lang=lang, ax=ax, source=SOURCE[lang])
    return fig


def lika_map(lang):
    fig, ax = plt.subplots(figsize=(6.5, 7))
    plots.maturity_map(
        _index(), county_code=COUNTY, period=2022, lang=lang, ax=ax, source=SOURCE[lang]
    )
    return fig


# --------------------------------------------------------------------------- survey


@functools.cache
def _obs() -> pd.DataFrame:
    rng = np.random.default_rng(3)
    codes = reference.municipalities()["municipality_code"].tolist()
    rows = []
    for year in range(2016, 2025):
        p = 0.2 + 0.07 * (year - 2016)
        for code in codes:
            rows.append((code, year, "nattillsyn", float(rng.random() < p), "ja/nej", ""))
            rows.append((code, year, "larm", float(rng.uniform(0, 100) * p), "%", ""))
    obs = pd.DataFrame(
        rows, columns=["municipality_code", "period", "indicator_id", "value", "unit", "status"]
    )
    hidden = (obs["municipality_code"] == "1814") & (obs["period"] == 2019)
    return obs.assign(
        value=obs["value"].mask(hidden), status=obs["status"].mask(hidden, "suppressed")
    )


@functools.cache
def _levels() -> pd.DataFrame:
    return compare.reference_levels(_obs(), groups=compare.size_classes())


def survey_adoption(lang):
    fig, ax = plt.subplots(figsize=(8, 4.5))
    plots.adoption_curves(
        _levels(), indicator="nattillsyn", county_code=COUNTY, group="över 100 000",
        title="Nattillsyn", lang=lang, ax=ax, source=SOURCE[lang],
    )  # fmt: skip
    return fig


def survey_tiles(lang):
    year = _obs()[_obs()["period"] == 2024]
    county = year[year["municipality_code"].str[:2] == COUNTY]
    colours = compare.rank_colour(county)
    fig, ax = plt.subplots(figsize=(8, 0.35 * county["municipality_code"].nunique() + 3))
    plots.tile_chart(
        colours, titles={"nattillsyn": "Digital nattillsyn", "larm": "Digitala larm, andel"},
        lang=lang, ax=ax, source=SOURCE[lang],
    )  # fmt: skip
    return fig


def survey_yes_no_years(lang):
    return plots.survey_small_multiples(
        _obs(), _levels(), indicator="nattillsyn", county_code=COUNTY, title="Nattillsyn",
        lang=lang, source=SOURCE[lang],
    )  # fmt: skip


def survey_numeric_years(lang):
    return plots.survey_small_multiples(
        _obs(), _levels(), indicator="larm", county_code=COUNTY, title="Digitala larm",
        lang=lang, source=SOURCE[lang],
    )  # fmt: skip


def survey_slope(lang):
    county = _obs()[_obs()["municipality_code"].str[:2] == COUNTY]
    fig, ax = plt.subplots(figsize=(6, 5))
    plots.slope_chart(
        county, indicator="larm", first=2016, last=2024, levels=_levels(), title="Digitala larm",
        lang=lang, ax=ax, source=SOURCE[lang],
    )  # fmt: skip
    return fig


def survey_map_yes_no(lang):
    fig, ax = plt.subplots(figsize=(6, 9))
    plots.survey_map(
        _obs(), indicator="nattillsyn", year=2024, county_code=COUNTY, title="Nattillsyn 2024",
        lang=lang, ax=ax, source=SOURCE[lang],
    )  # fmt: skip
    return fig


# --------------------------------------------------------------------------- distances


@functools.cache
def _cells() -> gpd.GeoDataFrame:
    shapes = reference.geometries("municipality", county_code=COUNTY)
    minx, miny, maxx, maxy = shapes.total_bounds
    xs, ys = np.meshgrid(np.arange(minx, maxx, 4000.0), np.arange(miny, maxy, 4000.0))
    points = gpd.GeoDataFrame(geometry=gpd.points_from_xy(xs.ravel(), ys.ravel()), crs=3006)
    cells = gpd.sjoin(points, shapes[["municipality_code", "geometry"]], predicate="within")
    rng = np.random.default_rng(4)
    return gpd.GeoDataFrame(
        {
            "cell_id": [f"c{i}" for i in range(len(cells))],
            "population": rng.integers(1, 400, len(cells)).astype(float),
            "population_70plus": rng.integers(0, 80, len(cells)).astype(float),
            "municipality_code": cells["municipality_code"].to_numpy(),
        },
        geometry=cells.geometry.to_numpy(),
        crs=3006,
    )


@functools.cache
def _services() -> gpd.GeoDataFrame:
    cells = _cells()
    rng = np.random.default_rng(5)
    pick = rng.choice(len(cells), 30, replace=False)
    return gpd.GeoDataFrame(
        {
            "service_id": [f"s{i}" for i in range(30)],
            "kind": ["dagligvaror"] * 20 + ["hemtjänst"] * 10,
            "capacity": 10.0,
        },
        geometry=cells.geometry.iloc[pick].to_numpy(),
        crs=3006,
    )


@functools.cache
def _nearest() -> pd.DataFrame:
    shops = _services()[_services()["kind"] == "dagligvaror"]
    return access.nearest(_cells(), shops)


def access_map(lang):
    fig, ax = plt.subplots(figsize=plots.map_figsize(COUNTY))
    plots.cell_map(
        _nearest(), cells=_cells(), services=_services(), kind="dagligvaror", county_code=COUNTY,
        vmax=20_000 / 1000, period="2025", lang=lang, ax=ax, source=SOURCE[lang],
    )  # fmt: skip
    return fig


def access_score_map(lang):
    bases = _services()[_services()["kind"] == "hemtjänst"]
    reach = access.costs(_cells(), bases, max_cost_m=20_000)
    per_cell, _ = access.two_step_fca(_cells(), bases, reach, max_cost_m=20_000)
    fig, ax = plt.subplots(figsize=plots.map_figsize(COUNTY))
    plots.score_map(
        per_cell, cells=_cells(), services=bases, county_code=COUNTY, period="2025", lang=lang,
        ax=ax, source=SOURCE[lang],
    )  # fmt: skip
    return fig


def access_classes(lang):
    nearest = _nearest()
    classes = access.distance_classes(nearest)
    published = access.publishable_classes(
        classes, summary=access.publishable_summary(access.summarise(nearest))
    )
    fig, ax = plt.subplots(figsize=(8, 0.35 * published["municipality_code"].nunique() + 1.5))
    plots.class_bars(published, period="2025", lang=lang, ax=ax, source=SOURCE[lang])
    return fig


def access_panels(lang):
    return plots.cumulative_panels(_nearest(), period="2025", lang=lang, source=SOURCE[lang])


def access_curves(lang):
    few = _nearest()[_nearest()["municipality_code"].isin(_codes()[:4])]
    fig, ax = plt.subplots(figsize=(8, 5))
    plots.cumulative_curves(few, period="2025", lang=lang, ax=ax, source=SOURCE[lang])
    return fig


def access_savings(lang):
    bases = _services()[_services()["kind"] == "hemtjänst"]
    clients = notebook.home_care_clients(_cells())
    savings = access.travel_savings(clients, access.nearest(clients, bases), digital_share=0.1)
    fig, ax = plt.subplots(figsize=(8, 0.35 * len(savings) + 1.5))
    plots.savings_bars(savings, per=1000, period="2025", lang=lang, ax=ax, source=SOURCE[lang])
    return fig


# --------------------------------------------------------------------------- monitoring


@functools.cache
def _monitoring():
    rng = np.random.default_rng(6)
    quarters = pd.period_range("2022Q1", periods=16, freq="Q")
    rows = []
    for k, code in enumerate(_codes()[:5]):
        size = 40.0 * (k + 1) ** 2
        for i, q in enumerate(quarters):
            lift = 0.05 if (k % 2 and i >= 9) else 0.0
            den = 1000.0 * (k + 1)
            num = float(rng.binomial(int(den), 0.03 + lift))
            rows.append((code, q, "digital_besok_andel", num, den, num / den * 100))
            count = float(rng.poisson(size * (1.6 if lift else 1.0)))
            rows.append((code, q, "nattillsyn_brukare", np.nan, np.nan, count))
    data = pd.DataFrame(
        rows,
        columns=["municipality_code", "period", "metric_id", "numerator", "denominator", "value"],
    )
    catalogue = metric_catalogue()
    charts = monitoring.charts_for(data, catalogue)
    return data, catalogue, monitoring.hide_small_counts(charts, data=data, catalogue=catalogue)


def _events():
    return pd.DataFrame(
        {
            "municipality_code": [_codes()[1]],
            "period": [pd.Period("2024Q2", freq="Q")],
            "text": ["Digitala besök införs"],
        }
    )


def monitoring_share(lang):
    _data, catalogue, charts = _monitoring()
    return notebook.spc_figure(
        charts, metric_id="digital_besok_andel", title="Digitala besök",
        unit=notebook.units(catalogue, key="metric_id", lang=lang)["digital_besok_andel"],
        events=_events(), lang=lang, source=SOURCE[lang],
    )  # fmt: skip


def monitoring_count(lang):
    _data, catalogue, charts = _monitoring()
    return notebook.spc_figure(
        charts, metric_id="nattillsyn_brukare", title="Brukare med nattillsyn",
        unit=notebook.units(catalogue, key="metric_id", lang=lang)["nattillsyn_brukare"],
        lang=lang, source=SOURCE[lang],
    )  # fmt: skip


def monitoring_its(lang):
    rng = np.random.default_rng(7)
    quarters = pd.period_range("2022Q1", periods=16, freq="Q")
    y = pd.Series(np.r_[np.full(8, 2.0), np.full(8, 6.0)] + rng.normal(0, 0.3, 16), index=quarters)
    result = monitoring.interrupted_time_series(y, intervention="2024Q1")
    fig, ax = plt.subplots(figsize=(8, 4))
    plots.its_chart(
        result, title="Örebro: digitala besök, %", lang=lang, ax=ax, source=SOURCE[lang]
    )
    return fig


def monitoring_table(lang):
    table = pd.DataFrame(
        {
            "municipality": ["Örebro", "Kumla"],
            "metric": ["Andel hemtjänstbesök som görs digitalt", "Brukare med digital nattillsyn"],
            "latest": ["7,6 %", "x"],
            "target": ["10 %", "–"],
            "signal": ["Förbättring", ""],
            "note": ["", ""],
        }
    )
    fig, ax = plt.subplots(figsize=(10, 1.6))
    plots.summary_table(table, lang=lang, ax=ax, source=SOURCE[lang])
    return fig


# --------------------------------------------------------------------------- summary (notebook 05)


def summary_index(lang):
    fig, ax = plt.subplots(figsize=(7, 0.32 * len(_codes()) + 1.6))
    plots.index_bars(_index(), period=2022, lang=lang, ax=ax, source=SOURCE[lang])
    return fig


def summary_threshold(lang):
    areas = pd.DataFrame(
        {
            "priority": [1, 2, 3, 4],
            "dimension": ["Kompetens", "Användning", "Infrastruktur", "Ledning"],
            "n_below": [11, 4, 2, 2],
            "n_municipalities": 12,
        }
    )
    fig, ax = plt.subplots(figsize=(7, 0.45 * len(areas) + 1.6))
    plots.threshold_bars(areas, threshold=0.5, period=2022, lang=lang, ax=ax, source=SOURCE[lang])
    return fig


def summary_county_vs_nation(lang):
    levels = compare.reference_levels(_obs(), by=("county", "nation"))
    fig, ax = plt.subplots(figsize=(8, 3))
    plots.county_vs_nation(
        levels, county_code=COUNTY, year=2024, titles={"nattillsyn": "Digital nattillsyn"},
        lang=lang, ax=ax, source=SOURCE[lang],
    )  # fmt: skip
    return fig


def summary_signals(lang):
    _data, catalogue, charts = _monitoring()
    titles = notebook.titles(catalogue, key="metric_id", lang=lang).to_dict()
    fig, ax = plt.subplots(figsize=(8, 3))
    plots.signal_bars(
        monitoring.quarter_summary(charts), titles=titles, lang=lang, ax=ax, source=SOURCE[lang]
    )
    return fig


# --------------------------------------------------------------------------- maps


def municipality_outline(lang):
    fig, ax = plt.subplots(figsize=(5, 6))
    plots.municipality_map(county_code=COUNTY, lang=lang, ax=ax, source=SOURCE[lang])
    return fig


FIGURES = {
    name: function
    for name, function in list(globals().items())
    if callable(function)
    and not name.startswith("_")
    and getattr(function, "__module__", None) == __name__
    and name != "main"
}


def main(folder: str) -> None:
    """Write every gallery figure in both languages as PNG into ``folder``."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    for name, build in FIGURES.items():
        for lang in ("sv", "en"):
            with plots.house_style():
                fig = build(lang)
                plots.save(fig, out / f"{name}_{lang}", formats=("png",), dpi=80)
            plt.close(fig)


if __name__ == "__main__":
    import matplotlib

    matplotlib.use("Agg")
    main(sys.argv[1] if len(sys.argv) > 1 else "gallery")
