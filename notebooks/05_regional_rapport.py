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
data_dir = None  # mapp med en undermapp per källa (lika, socialstyrelsen, avstand, monitoring)
figures_dir = None  # var figurerna sparas, utan mapp visas de bara
tables_dir = None  # var tabellerna sparas, annars i figures_dir
lang = "sv"  # "sv" eller "en"
seed = 20261123  # frö för demodata och bootstrap-intervall
synthetic = None  # True när data_dir är demodata, utan värde gäller det när data_dir saknas

# %% [markdown]
# # Sammanfattning för länet
#
# De få figurer som en regional rapport inleds med: var kommunerna står i digital mognad,
# länets gemensamma utvecklingsområden, utbredningen av e-hälsotjänster jämfört med riket,
# avståndet till service och läget i effektuppföljningen. Varje del visas bara när det finns
# data för den; de fullständiga analyserna finns i rapportens övriga delar.

# %%
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

from ehalsa_analys import demo, load, maturity, plots
from ehalsa_analys import reference as ref
from ehalsa_analys.paths import demo_dir
from ehalsa_analys.store import Outputs

county_code = ref.resolve_county(county_code)  # 18, "18" or "Örebro län" all work
out = Outputs(figures_dir, tables_dir)
synthetic = data_dir is None if synthetic is None else synthetic
if data_dir is None:
    demo.ensure_demo(seed=seed)
root = Path(data_dir) if data_dir else demo_dir()
SYNTHETIC = " – SYNTETISKA DEMODATA från ehalsa_analys, inte statistik" if synthetic else ""
names = ref.municipalities(county_code=county_code).set_index("municipality_code")["municipality"]
county = ref.counties().set_index("county_code").loc[county_code, "county"]


def has_data(folder):
    path = root / folder
    return path.is_dir() and any(p.is_file() for p in path.rglob("*"))


print(f"{county}: underlag i {root}")

# %% [markdown]
# ## Digital mognad
#
# Kommunernas poäng (0–100) i LIKA:s fyra delar i den senaste värderingen, sorterade
# efter mognadsindex med den mest mogna kommunen överst. Texten under figuren säger vilken
# del som oftast är kommunernas svagaste.

# %%
lika = load.lika(root / "lika") if has_data("lika") else None
responses = None if lika is None else lika[lika["municipality_code"].str[:2] == county_code]
if responses is not None and len(responses):
    SOURCE = "LIKA Socialtjänst" + SYNTHETIC
    instrument = load.lika_instrument(lika.attrs["instrument"])
    latest_year = responses["assessed_on"].dt.year.max()
    latest = responses[responses["assessed_on"].dt.year == latest_year]
    scores = maturity.scores(latest, weights=instrument, seed=seed)
    index = maturity.maturity_index(latest, weights=instrument, seed=seed)
    weakest = scores.loc[scores.groupby("municipality_code")["score"].idxmin(), "dimension"]
    counts = weakest.value_counts()
    caption = (
        f"{counts.index[0]} är det svagaste området i {counts.iloc[0]} av "
        f"{scores['municipality_code'].nunique()} kommuner ({latest_year})."
    )
    order = index.sort_values(["index", "municipality_code"], ascending=[False, True])
    with plots.house_style():
        fig, ax = plt.subplots(figsize=(7.5, 0.42 * len(order) + 1.8))
        plots.maturity_heatmap(
            scores, order=order["municipality_code"], lang=lang, ax=ax, source=SOURCE
        )
        out.figure(fig, "sammanfattning_mognad", caption=caption, source=SOURCE)
        plt.show()
    print(caption)
else:
    print("Inga LIKA-värderingar för länet i underlaget: delen om digital mognad utgår.")

# %% [markdown]
# ## Gemensamma utvecklingsområden
#
# De delar av LIKA där flest kommuner ligger under 50 poäng, med länets svagaste
# indikatorer och instrumentets förslag på aktiviteter.

# %%
if responses is not None and len(responses):
    areas = maturity.development_areas(latest, instrument=instrument, threshold=0.5)
    top = areas.iloc[0]
    caption = (
        f"Första utvecklingsområde: {top['dimension']}, där {top['n_below']} av "
        f"{top['n_municipalities']} kommuner ligger under 50 poäng."
    )
    with plots.house_style():
        fig, ax = plt.subplots(figsize=(11, 1.2 + 1.0 * min(3, len(areas))))
        plots.development_table(areas, max_rows=3, lang=lang, ax=ax, source=SOURCE)
        out.figure(fig, "sammanfattning_utvecklingsomraden", caption=caption, source=SOURCE)
        plt.show()
    print(caption)

# %% [markdown]
# ## E-hälsa jämfört med riket
#
# Andelen av länets kommuner som erbjuder digital nattillsyn, år för år, mot riket
# (Socialstyrelsens enkät).

# %%
if has_data("socialstyrelsen"):
    from ehalsa_analys import compare

    SOURCE = "Socialstyrelsens enkät" + SYNTHETIC
    catalogue = load.indicator_catalogue()
    folder = root / "socialstyrelsen"
    files = sorted(p for p in folder.glob("*") if p.suffix in (".xlsx", ".csv"))
    obs = pd.concat([load.socialstyrelsen(f, catalogue=catalogue) for f in files])
    indicator = "digital_nattillsyn"
    shown = obs[obs["indicator_id"] == indicator]
    levels = compare.reference_levels(shown, by=("county", "nation"))
    last = levels["period"].max()
    now = levels[levels["period"] == last].set_index(["level", "key"])["share"]
    here = plots.format_number(now[("county", county_code)] * 100, decimals=0, percent=True)
    there = plots.format_number(now[("nation", "0000")] * 100, decimals=0, percent=True)
    caption = f"Digital nattillsyn {last}: {here} av kommunerna i {county}, {there} i riket."
    with plots.house_style():
        fig, ax = plt.subplots(figsize=(8, 4.5))
        plots.adoption_curves(
            levels,
            county_code=county_code,
            title="Digital nattillsyn",
            lang=lang,
            ax=ax,
            source=SOURCE,
        )
        out.figure(fig, "sammanfattning_enkat", caption=caption, source=SOURCE)
        plt.show()
    print(caption)
else:
    print("Inga enkätdata i underlaget: jämförelsen med riket utgår.")

# %% [markdown]
# ## Effektuppföljning
#
# Läget i det senaste kvartalet för det mått som har ett mål: andel hemtjänstbesök som görs
# digitalt, per kommun, med styrgränser från baslinjen. Texten säger hur många kommuner som
# visar en förbättring.

# %%
data = None
if has_data("monitoring"):
    catalogue = load.metric_catalogue()
    data = load.monitoring(root / "monitoring", catalogue=catalogue)
    data = data[data["municipality_code"].str[:2] == county_code]
if data is not None and len(data):
    from ehalsa_analys import monitoring

    SOURCE = "Kommunernas effektuppföljning" + SYNTHETIC
    charts = monitoring.charts_for(data, catalogue)
    summary = monitoring.quarter_summary(charts)
    with_target = catalogue.dropna(subset=["target"])["metric_id"]
    metric = next((m for m in with_target if m in set(charts["metric_id"])), None)
    if metric is not None:
        shown = charts[charts["metric_id"] == metric]
        first = shown.iloc[0]
        now = summary[summary["metric_id"] == metric]
        better = int((now["signal"] == "improvement").sum())
        title = catalogue.set_index("metric_id").loc[metric, "title_sv"]
        caption = (
            f"{title}: {better} av {len(now)} kommuner visar en förbättring "
            f"{plots.quarter_label(now['quarter'].iloc[0])}."
        )
        with plots.house_style(context="paper"):
            fig = plots.spc_small_multiples(
                shown,
                target=first["target"],
                higher_is_better=bool(first["higher_is_better"]),
                percent=first["chart"] in ("p", "pp"),
                lang=lang,
                source=SOURCE,
            )
            out.figure(fig, "sammanfattning_uppfoljning", caption=caption, source=SOURCE)
            plt.show()
        print(caption)
else:
    print("Inga uppföljningsdata för länet i underlaget: delen om effektuppföljning utgår.")
