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
# länets gemensamma utvecklingsområden, utbredningen av e-hälsotjänster jämfört med riket
# och läget i effektuppföljningen. Varje del visas bara när det finns data för den. Figurerna
# här är egna sammanfattningar; de fullständiga analyserna finns i rapportens övriga delar.

# %%
import matplotlib.pyplot as plt

from ehalsa_analys import captions, compare, load, maturity, monitoring, notebook, plots

nb = notebook.setup(
    None,  # one subfolder per source: lika, socialstyrelsen, avstand, monitoring
    county_code=county_code,  # 18, "18" or "Örebro län" all work
    data_dir=data_dir,
    synthetic=synthetic,
    lang=lang,
    seed=seed,
    figures_dir=figures_dir,
    tables_dir=tables_dir,
)
print(captions.text("underlag", lang, county=nb.county, folder=nb.data_dir))

# %% [markdown]
# ## Digital mognad
#
# Kommunernas mognadsindex (0–100) i den senaste värderingen, den mest mogna kommunen överst,
# med länets medelvärde. Färgerna är desamma som i LIKA-delens översikt och karta. Texten
# under figuren säger vilken del som oftast är kommunernas svagaste.

# %%
responses = nb.read("lika", load.lika)  # None when there are no assessments for the county
if responses is not None:
    source = nb.source_of("lika")
    instrument = load.lika_instrument(responses.attrs["instrument"])
    assessed = notebook.assessment_rounds(responses)
    scores = maturity.scores(assessed.latest, weights=instrument, seed=nb.seed)
    index = maturity.maturity_index(assessed.latest, weights=instrument, seed=nb.seed)
    caption = " ".join(
        [
            captions.index_range(index, lang=lang),
            captions.weakest_dimension(scores, year=assessed.rounds[-1], lang=lang),
        ]
    )
    with plots.house_style():
        fig, ax = plt.subplots(figsize=(7, 0.32 * len(index) + 1.6))
        plots.index_bars(index, period=assessed.rounds[-1], lang=lang, ax=ax, source=source)
        nb.outputs.figure(fig, "sammanfattning_mognad", caption=caption, source=source)
        plt.show()
    print(caption)
else:
    print(captions.text("lika_utgar", lang))

# %% [markdown]
# ## Gemensamma utvecklingsområden
#
# Hur många kommuner som ligger under 50 poäng i varje del av LIKA, den del där flest
# ligger under överst. Länets svagaste indikatorer och förslag på aktiviteter finns i
# LIKA-delens tabell över utvecklingsområden.

# %%
if responses is not None:
    areas = maturity.development_areas(assessed.latest, instrument=instrument, threshold=0.5)
    caption = captions.first_development_area(areas, threshold=0.5, lang=lang)
    with plots.house_style():
        fig, ax = plt.subplots(figsize=(7, 0.45 * len(areas) + 1.6))
        plots.threshold_bars(
            areas, threshold=0.5, period=assessed.rounds[-1], lang=lang, ax=ax, source=source
        )
        nb.outputs.figure(fig, "sammanfattning_utvecklingsomraden", caption=caption, source=source)
        plt.show()
    print(caption)

# %% [markdown]
# ## E-hälsa jämfört med riket
#
# Andelen av länets kommuner som svarat Ja på vart och ett av enkätens Ja/Nej-nyckeltal det
# senaste året (blå prick), mot andelen i riket (ring). Utvecklingen år för år finns i
# enkätdelen.

# %%
obs = nb.read("socialstyrelsen", load.socialstyrelsen, county=False)  # the whole country
if obs is not None:
    source = nb.source_of("socialstyrelsen")
    titles = notebook.titles(load.indicator_catalogue(), key="indicator_id", lang=lang)
    levels = compare.reference_levels(obs, by=("county", "nation"))
    latest = int(obs["period"].max())
    caption = " ".join(
        [
            captions.county_vs_nation(levels, county_code=nb.county_code, year=latest, lang=lang),
            captions.adoption(
                levels,
                indicator="digital_nattillsyn",
                county_code=nb.county_code,
                title=titles["digital_nattillsyn"],
                lang=lang,
            ),
        ]
    )
    with plots.house_style():
        fig, ax = plt.subplots(figsize=(8, 6))
        plots.county_vs_nation(
            levels,
            county_code=nb.county_code,
            year=latest,
            titles=titles.to_dict(),
            lang=lang,
            ax=ax,
            source=source,
        )
        nb.outputs.figure(fig, "sammanfattning_enkat", caption=caption, source=source)
        plt.show()
    print(caption)
else:
    print(captions.text("enkat_utgar", lang))

# %% [markdown]
# ## Effektuppföljning
#
# Hur många kommuner som visar en signal om förbättring eller försämring i det senaste
# kvartalet, mått för mått (styrdiagrammens regler). Styrdiagrammen per kommun finns i
# effektuppföljningens del. Texten säger hur många kommuner som förbättrar sig i måttet med
# mål.

# %%
catalogue = load.metric_catalogue()
data = nb.read("monitoring", load.monitoring, catalogue=catalogue)  # None: nothing for the county
if data is not None:
    source = nb.source_of("monitoring")
    charts = monitoring.charts_for(data, catalogue)
    metric = monitoring.metric_with_target(charts, catalogue)
    if metric is not None:
        titles = notebook.titles(catalogue, key="metric_id", lang=lang)
        shown = monitoring.hide_small_counts(charts, data=data, catalogue=catalogue)
        summary = monitoring.quarter_summary(shown)  # a figure: only rows past the guard
        caption = " ".join(
            [
                captions.signal_counts(summary, lang=lang),
                captions.improvements(summary, metric_id=metric, title=titles[metric], lang=lang),
            ]
        )
        with plots.house_style():
            fig, ax = plt.subplots(figsize=(8, 0.5 * summary["metric_id"].nunique() + 2))
            plots.signal_bars(
                summary,
                titles=titles.to_dict(),
                lang=lang,
                ax=ax,
                source=source,
            )
            nb.outputs.figure(fig, "sammanfattning_uppfoljning", caption=caption, source=source)
            plt.show()
        print(caption)
else:
    print(captions.text("uppfoljning_utgar", lang))
