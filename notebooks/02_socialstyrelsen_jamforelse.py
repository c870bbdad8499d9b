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
data_dir = None  # mapp med Socialstyrelsens filer, utan mapp används syntetiska demodata
year = None  # året som jämförs, annars det senaste i data
indicators = None  # nyckeltal (id i katalogen), utan lista alla Ja/Nej-nyckeltal
main_indicator = "digital_nattillsyn"  # nyckeltalet i tidsserie, karta och lutningsdiagram
weighted = False  # True ger nivåer vägda med invånarantal
figures_dir = None  # var figurerna sparas, utan mapp visas de bara
tables_dir = None  # var tabellerna sparas, annars i figures_dir
lang = "sv"  # "sv" eller "en"
seed = 20261123  # frö för demodata
synthetic = None  # True när data_dir är demodata, utan värde gäller det när data_dir saknas

# %% [markdown]
# # E-hälsa och välfärdsteknik i länets kommuner
#
# Socialstyrelsens årliga enkät till alla kommuner: vilka tjänster och vilken styrning
# kommunerna har. Här jämförs länets kommuner med länet, riket och kommuner av samma
# storlek (Socialstyrelsens fem storleksgrupper), och utvecklingen följs år för år. Nivåerna
# är andelen kommuner som svarat Ja, som ett ovägt medelvärde av kommunerna (som Kolada)
# om inget annat sägs.

# %%
import matplotlib.pyplot as plt

from ehalsa_analys import captions, compare, load, notebook, plots

nb = notebook.setup(
    "socialstyrelsen",
    county_code=county_code,  # 18, "18" or "Örebro län" all work
    data_dir=data_dir,
    synthetic=synthetic,
    lang=lang,
    seed=seed,
    figures_dir=figures_dir,
    tables_dir=tables_dir,
)
catalogue = load.indicator_catalogue()
obs = load.socialstyrelsen(nb.data_dir, catalogue=catalogue)  # every survey file in the folder
obs = compare.publishable(obs, catalogue=catalogue)  # counts of 1-4 people masked, levels too
county_obs = nb.in_county(obs)
first_year, year = notebook.survey_years(obs, year=year)
titles = notebook.titles(catalogue, key="indicator_id", lang=lang)
indicators = notebook.survey_indicators(obs, catalogue, indicators=indicators)
levels = notebook.survey_levels(obs, weighted=weighted)
nb.outputs.table(levels.round(4), "enkat_nivaer")
print(captions.survey_intro(obs, year=year, lang=lang))

# %% [markdown]
# ## Länet mot riket över tid
#
# Andelen kommuner som erbjuder tjänsten, år för år: riket (streckad), länet och kommuner
# i samma storleksgrupp som länets största kommun.

# %%
caption = captions.adoption(
    levels,
    indicator=main_indicator,
    county_code=nb.county_code,
    title=titles[main_indicator],
    year=year,
    lang=lang,
)
with plots.house_style():
    fig, ax = plt.subplots(figsize=(8, 4.5))
    plots.adoption_curves(
        levels,
        indicator=main_indicator,
        county_code=nb.county_code,
        group=notebook.largest_size_group(nb.county_code),
        title=titles[main_indicator],
        lang=lang,
        ax=ax,
        source=nb.source,
    )
    nb.outputs.figure(fig, "enkat_spridning", caption=caption, source=nb.source)
    plt.show()
print(caption)

# %% [markdown]
# ## Kommunerna jämförda
#
# Varje ruta är en kommun och ett nyckeltal i det senaste året: grön = Ja (eller bästa
# fjärdedelen för tal), röd = Nej (sämsta fjärdedelen), gul = mittersta hälften, grå = uppgift
# saknas.

# %%
chosen = nb.in_county(obs, period=[year], indicator_id=indicators)
colours = compare.rank_colour(chosen, catalogue=catalogue)
caption = captions.most_green(colours, year=year, lang=lang)
with plots.house_style(context="paper"):
    fig, ax = plt.subplots(figsize=(10, 0.35 * colours["municipality_code"].nunique() + 3))
    plots.tile_chart(colours, titles=titles.to_dict(), lang=lang, ax=ax, source=nb.source)
    nb.outputs.figure(fig, "enkat_rutor", caption=caption, source=nb.source)
    plt.show()
print(caption)

# %% [markdown]
# ## Kommunerna över tid
#
# Varje kommuns svar år för år: grön ruta Ja, röd Nej, grå uppgift saknas. Översta raden är
# andelen kommuner i riket som svarat Ja, i procent.

# %%
caption = captions.text("enkat_kommuner", lang, title=titles[main_indicator])
with plots.house_style(context="paper"):
    fig = plots.survey_small_multiples(
        obs,
        levels,
        indicator=main_indicator,
        county_code=nb.county_code,
        title=titles[main_indicator],
        lang=lang,
        source=nb.source,
    )
    nb.outputs.figure(fig, "enkat_kommuner", caption=caption, source=nb.source)
    plt.show()
trends = compare.trend(county_obs)
nb.outputs.table(trends, "enkat_trender")
trends[trends["indicator_id"] == main_indicator][["municipality_code", "adopted_in", "dropped"]]

# %% [markdown]
# ## Karta och förändring
#
# Kartan visar hela landet med länet inringat; lutningsdiagrammet visar andelen brukare
# med digitalt trygghetslarm första och sista året i varje kommun i länet.

# %%
caption = captions.text("enkat_karta", lang, title=titles[main_indicator], year=year)
with plots.house_style():
    fig, ax = plt.subplots(figsize=(6, 9))
    plots.survey_map(
        obs,
        indicator=main_indicator,
        year=year,
        county_code=nb.county_code,
        title=f"{titles[main_indicator]} {year}",
        lang=lang,
        ax=ax,
        source=nb.source,
    )
    nb.outputs.figure(fig, "enkat_karta", caption=caption, source=nb.source)
    plt.show()
numeric = notebook.indicator_in(obs, "digitala_trygghetslarm_andel")
if numeric is not None:
    caption = captions.text(
        "enkat_forandring", lang, title=titles[numeric], first=first_year, last=year
    )
    with plots.house_style():
        fig, ax = plt.subplots(figsize=(6, 5))
        plots.slope_chart(
            county_obs,
            indicator=numeric,
            first=first_year,
            last=year,
            levels=levels,
            title=titles[numeric],
            lang=lang,
            ax=ax,
            source=nb.source,
        )
        nb.outputs.figure(fig, "enkat_forandring", caption=caption, source=nb.source)
        plt.show()
index = compare.composite(obs[obs["period"] == year], indicators=indicators, catalogue=catalogue)
nb.outputs.table(index.round(4), "enkat_index")
