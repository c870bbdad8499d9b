# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% tags=["parameters"]
# Parametrar (papermill ersätter den här cellen när rapporten körs)
county_code = "18"  # länskod
data_dir = None  # mapp med kvartalsfiler, utan mapp används syntetiska demodata
municipalities = None  # kommunkoder, t.ex. ["1880", "1883"], utan lista alla i data
metrics = None  # mått-id, utan lista alla i data
quarter = None  # kvartalet som sammanfattas, t.ex. "2026Q3", annars det senaste
figures_dir = None  # var figurerna sparas, utan mapp visas de bara
tables_dir = None  # var tabellerna sparas, annars i figures_dir
lang = "sv"  # "sv" eller "en"
seed = 20261123  # frö för demodata
synthetic = None  # True när data_dir är demodata, utan värde gäller det när data_dir saknas

# %% [markdown]
# # Effektuppföljning av välfärdsteknik
#
# Gör det vi har infört det vi förväntade oss? Varje kvartal läggs nya mätvärden till och
# serierna läses med **styrdiagram**: mittlinjen är baslinjens medelvärde, de streckade
# linjerna är styrgränserna (3 sigma). Punkter utanför gränserna eller i ovanligt långa
# serier på samma sida om mittlinjen (Anhøjs regler) är **signaler** om en verklig
# förändring – blå när förändringen går åt rätt håll, orange när den går åt fel håll. Det
# grå fältet är baslinjen, den prickade gröna linjen målet och de numrerade trianglarna
# händelser ur kommunernas logg (events.csv). Små antal (under 5) visas inte i tabellerna.

# %%
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

from ehalsa_analys import demo, disclosure, load, monitoring, plots
from ehalsa_analys import reference as ref
from ehalsa_analys.errors import NoDataError
from ehalsa_analys.store import Outputs

county_code = ref.resolve_county(county_code)  # 18, "18" or "Örebro län" all work
out = Outputs(figures_dir, tables_dir)
synthetic = data_dir is None if synthetic is None else synthetic
source_dir = Path(data_dir) if data_dir else demo.path("monitoring", seed=seed)
SOURCE = (
    "Kommunernas uppföljning – SYNTETISKA DEMODATA från ehalsa_analys, inte verkliga mätvärden"
    if synthetic
    else "Kommunernas effektuppföljning"
)
catalogue = load.metric_catalogue()
data = load.monitoring(source_dir, catalogue=catalogue)
data = data[data["municipality_code"].str[:2] == county_code]
if municipalities:
    data = data[data["municipality_code"].isin(municipalities)]
if metrics:
    data = data[data["metric_id"].isin(metrics)]
if data.empty:
    raise NoDataError(f"Inga mätvärden för län {county_code}", file=str(source_dir))
names = ref.municipalities().set_index("municipality_code")["municipality"]
titles = catalogue.set_index("metric_id")["title_sv"]
charts = monitoring.charts_for(data, catalogue)
log = source_dir / "events.csv"
events = load.events(log) if log.is_file() else None
quarter = pd.Period(quarter, "Q") if quarter else data["period"].max()
print(
    f"{data['municipality_code'].nunique()} kommuner, {data['metric_id'].nunique()} mått, "
    f"{data['period'].min()}–{data['period'].max()}; sammanfattat kvartal {quarter}."
)

# %% [markdown]
# ## Styrdiagram per kommun
#
# Ett diagram per kommun och mått, med samma skala så att kommunerna kan jämföras. Andelar
# visas med Laneys p′-diagram, eftersom kvartalens nämnare är stora; antal med c-diagram
# och mätvärden (som insatstid) med I-diagram.

# %%
figure_names = {
    "digital_besok_andel": "monitor_digitala_besok",
    "nattillsyn_brukare": "monitor_nattillsyn",
    "larm_insatstid": "monitor_insatstid",
    "lakemedel_avvikelser": "monitor_lakemedel",
}
for metric, group in charts.groupby("metric_id", sort=True):
    first = group.iloc[0]
    signals = group[(group["x"] == quarter) & (group["sigma_signal"] | group["shift_point"])]
    caption = (
        f"{titles.get(metric, metric)}: {len(signals)} av {group['municipality_code'].nunique()} "
        f"kommuner visar en signal {plots.quarter_label(quarter)}."
    )
    with plots.house_style(context="paper"):
        fig = plots.spc_small_multiples(
            group,
            target=first["target"] if pd.notna(first["target"]) else None,
            higher_is_better=bool(first["higher_is_better"]),
            percent=first["chart"] in ("pp", "p"),
            lang=lang,
            source=SOURCE,
            events=events,
        )
        fig.suptitle(titles.get(metric, metric), x=0.01, ha="left", fontweight="bold")
        fig.tight_layout(rect=(0, 0.03, 1, 0.97))
        name = figure_names.get(metric, f"monitor_{metric}")
        out.figure(fig, name, caption=caption, source=SOURCE)
        plt.show()
    print(caption)

# %% [markdown]
# ## Effekt av införandet (avbruten tidsserie)
#
# För kommunen med störst förändring av andelen digitala besök skattas nivåförändringen
# efter baslinjen med segmenterad regression (Newey–West-intervall, som tål att
# kvartalen hänger ihop). Den streckade linjen är hur det hade sett ut utan förändringen.

# %%
digital = data[data["metric_id"] == "digital_besok_andel"]
if digital["municipality_code"].nunique():
    end = catalogue.set_index("metric_id").loc["digital_besok_andel", "baseline_end"]
    wide = digital.pivot(index="period", columns="municipality_code", values="value")
    change = (wide[wide.index > end].mean() - wide[wide.index <= end].mean()).sort_values()
    code = change.index[-1]
    its = monitoring.interrupted_time_series(
        wide[code], intervention=end + 1, hac_lags=2, unit="procentenheter", lang=lang
    )
    with plots.house_style():
        fig, ax = plt.subplots(figsize=(8, 4))
        plots.its_chart(
            its, title=f"{names[code]}: andel digitala besök, %", lang=lang, ax=ax, source=SOURCE
        )
        out.figure(fig, "monitor_its", caption=f"{names[code]}: {its.sentence}", source=SOURCE)
        plt.show()
    print(its.sentence)
    out.table(its.coefficients.round(4), "monitor_its_koefficienter")

# %% [markdown]
# ## Målet
#
# Hur långt varje kommun har kommit från baslinjen mot målet (andel av vägen: 0 vid
# baslinjen, 1 vid målet) och när målet nåddes första gången.

# %%
rows = []
for (code, metric), group in data.groupby(["municipality_code", "metric_id"]):
    meta = catalogue.set_index("metric_id").loc[metric] if metric in titles else None
    if meta is None or pd.isna(meta["target"]):
        continue
    result = monitoring.target_attainment(
        group.set_index("period")["value"],
        meta["target"],
        baseline_end=meta["baseline_end"] if pd.notna(meta["baseline_end"]) else None,
        higher_is_better=bool(meta["higher_is_better"]),
    )
    rows.append({"kommun": names[code], "mått": titles[metric], **result.to_dict()})
targets = pd.DataFrame(rows)
out.table(targets.round(3), "monitor_malupfyllelse")
targets

# %% [markdown]
# ## Kvartalet i korthet
#
# Senaste värde, mål och signal per kommun och mått. "x" betyder att värdet är dolt: antal
# under 5 visas inte, och inte heller det minsta övriga antalet när länets summa annars
# skulle avslöja det dolda.

# %%
summary = monitoring.quarter_summary(charts, quarter=quarter)
counts = data[data["period"] == quarter].assign(
    antal=lambda d: d["numerator"].where(d["numerator"].notna(), d["value"])
)
count_metrics = catalogue.loc[catalogue["kind"] == "count", "metric_id"]
counts = counts[counts["metric_id"].isin(count_metrics) | counts["numerator"].notna()]
masked = disclosure.suppress(counts, counts=["antal"], groups=[["metric_id"]])
hidden = set(
    zip(
        masked.loc[masked["suppression"] != "", "municipality_code"],
        masked.loc[masked["suppression"] != "", "metric_id"],
        strict=True,
    )
)
signal_text = {"improvement": "Förbättring", "deterioration": "Försämring", "": ""}


def shown(row):
    if (row["municipality_code"], row["metric_id"]) in hidden:
        return "x"
    if row["chart"] in ("pp", "p"):
        return plots.format_number(row["value"] * 100, decimals=1, percent=True)
    return plots.format_number(row["value"], decimals=0 if row["chart"] == "c" else 1)


summary = summary.merge(
    charts[["municipality_code", "metric_id", "chart"]].drop_duplicates(),
    on=["municipality_code", "metric_id"],
)
table = pd.DataFrame(
    {
        "municipality": summary["municipality_code"].map(names),
        "metric": summary["metric_id"].map(titles).fillna(summary["metric_id"]),
        "latest": summary.apply(shown, axis=1),
        "target": [
            "–"
            if pd.isna(t)
            else plots.format_number(t * 100 if c in ("pp", "p") else t, percent=c in ("pp", "p"))
            for t, c in zip(summary["target"], summary["chart"], strict=True)
        ],
        "signal": summary["signal"].map(signal_text),
        "note": ["Ny signal" if n else "" for n in summary["new_signal"]],
    }
)
new = int(summary["new_signal"].sum())
against = int(summary["against_direction"].sum())
met = int(summary["target_met"].fillna(False).astype(bool).sum())
caption = (
    f"{plots.quarter_label(quarter)}: {new} nya signaler, {met} mål nådda, "
    f"{against} mått går åt fel håll."
)
with plots.house_style(context="paper"):
    fig, ax = plt.subplots(figsize=(10, 0.3 * len(table) + 1))
    plots.summary_table(table, lang=lang, ax=ax, source=SOURCE)
    out.figure(fig, "monitor_kvartal", caption=caption, source=SOURCE)
    plt.show()
out.table(table, "monitor_kvartal")
print(caption)
