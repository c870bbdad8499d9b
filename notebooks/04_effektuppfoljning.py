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
# händelser ur kommunernas logg (events.csv). Små antal (1–4) visas varken i tabellerna eller
# i styrdiagrammen, där en serie med dolda punkter också saknar mittlinje och gränser.

# %%
import matplotlib.pyplot as plt

from ehalsa_analys import captions, load, monitoring, notebook, plots

nb = notebook.setup(
    "monitoring",
    county_code=county_code,  # 18, "18" or "Örebro län" all work
    data_dir=data_dir,
    synthetic=synthetic,
    lang=lang,
    seed=seed,
    figures_dir=figures_dir,
    tables_dir=tables_dir,
)
catalogue = load.metric_catalogue()
data = nb.in_county(
    load.monitoring(nb.data_dir, catalogue=catalogue),
    municipality_code=municipalities,
    metric_id=metrics,
)
titles = notebook.titles(catalogue, key="metric_id", lang=lang)
units = notebook.units(catalogue, key="metric_id", lang=lang)
charts = monitoring.charts_for(data, catalogue)
events = notebook.events(nb.data_dir)
quarter = notebook.chosen_quarter(data, quarter=quarter)
print(captions.monitoring_intro(data, quarter=quarter, lang=lang))

# %% [markdown]
# ## Styrdiagram per kommun
#
# Ett diagram per kommun och mått. Andelar och mätvärden har samma skala i alla kommuner så
# att de kan jämföras; antal har en egen skala per kommun, eftersom kommunerna är olika stora
# (axelns text säger det). Andelar visas med Laneys p′-diagram, eftersom kvartalens nämnare är
# stora; antal med c-diagram och mätvärden (som insatstid) med I-diagram. Förklaringen under
# diagrammen visar vad linjerna, det grå fältet och prickarna betyder.

# %%
signals = captions.metric_signals(charts, quarter=quarter, titles=titles, lang=lang)
with plots.house_style(context="paper"):
    shown = monitoring.hide_small_counts(charts, data=data, catalogue=catalogue)
    figures = notebook.spc_figures(
        shown, titles=titles, units=units, events=events, lang=lang, source=nb.source
    )
    nb.save_figures(figures, names=notebook.monitor_figure_names(figures), captions=signals)
    plt.show()
print("\n".join(signals.values()))

# %% [markdown]
# ## Effekt av införandet (avbruten tidsserie)
#
# För kommunen med störst förändring av andelen digitala besök skattas nivåförändringen
# efter baslinjen med segmenterad regression (Newey–West-intervall, som tål att
# kvartalen hänger ihop). Den streckade linjen är hur det hade sett ut utan förändringen.

# %%
found = monitoring.largest_change_its(data, catalogue, metric_id="digital_besok_andel", lang=lang)
if found is not None:
    code, its = found
    title, caption = captions.its(
        code, its, metric_id="digital_besok_andel", catalogue=catalogue, lang=lang
    )
    with plots.house_style():
        fig, ax = plt.subplots(figsize=(8, 4))
        plots.its_chart(
            its,
            title=title,
            unit=units["digital_besok_andel"],
            lang=lang,
            ax=ax,
            source=nb.source,
        )
        nb.outputs.figure(fig, "monitor_its", caption=caption, source=nb.source)
        plt.show()
    print(its.sentence)
    nb.outputs.table(its.coefficients.round(4), "monitor_its_koefficienter")

# %% [markdown]
# ## Målet
#
# Hur långt varje kommun har kommit från baslinjen mot målet (andel av vägen: 0 vid
# baslinjen, 1 vid målet) och när målet nåddes första gången.

# %%
targets = nb.with_names(monitoring.target_attainments(data, catalogue), titles=titles)
nb.outputs.table(targets.round(3), "monitor_malupfyllelse")
targets

# %% [markdown]
# ## Kvartalet i korthet
#
# Senaste värde, mål och signal per kommun och mått. "x" betyder att värdet är dolt: antal
# under 5 visas inte, och inte heller det minsta övriga antalet när länets summa annars
# skulle avslöja det dolda.

# %%
summary = monitoring.quarter_summary(charts, quarter=quarter)
table = monitoring.quarter_table(
    charts,
    data=data,
    catalogue=catalogue,
    quarter=quarter,
    names=nb.names,
    titles=titles,
    lang=lang,
)  # the same table, with the same cells hidden, as `ehalsa monitor` writes
caption = captions.quarter(summary, lang=lang)
with plots.house_style(context="paper"):
    fig, ax = plt.subplots(figsize=(10, 0.3 * len(table) + 1))
    plots.summary_table(table, period=quarter, lang=lang, ax=ax, source=nb.source)
    nb.outputs.figure(fig, "monitor_kvartal", caption=caption, source=nb.source)
    plt.show()
nb.outputs.table(table, "monitor_kvartal")
print(caption)
