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
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

from ehalsa_analys import compare, demo, load, plots
from ehalsa_analys import reference as ref
from ehalsa_analys.store import Outputs

county_code = ref.resolve_county(county_code)  # 18, "18" or "Örebro län" all work
out = Outputs(figures_dir, tables_dir)
synthetic = data_dir is None if synthetic is None else synthetic
folder = Path(data_dir) if data_dir else demo.path("socialstyrelsen", seed=seed)
SOURCE = (
    "Socialstyrelsens enkät – SYNTETISKA DEMODATA från ehalsa_analys, inte statistik"
    if synthetic
    else "Socialstyrelsen, E-hälsa och välfärdsteknik i kommunerna"
)
catalogue = load.indicator_catalogue()
files = sorted(p for p in folder.glob("*") if p.suffix.lower() in (".xlsx", ".csv"))
obs = pd.concat([load.socialstyrelsen(f, catalogue=catalogue) for f in files], ignore_index=True)
year = int(year or obs["period"].max())
titles = catalogue.set_index("indicator_id")["title_sv"].to_dict()
binary = catalogue.loc[catalogue["unit"] == "ja/nej", "indicator_id"].tolist()
indicators = [i for i in (indicators or binary) if i in set(obs["indicator_id"])]
county = ref.counties().set_index("county_code").loc[county_code, "county"]
sizes = compare.size_classes()
population = ref.population() if weighted else None
levels = compare.reference_levels(obs, groups=sizes, population=population)
out.table(levels.round(4), "enkat_nivaer")
print(
    f"{obs['municipality_code'].nunique()} kommuner, {obs['period'].min()}–{year}, "
    f"{obs['indicator_id'].nunique()} nyckeltal."
)

# %% [markdown]
# ## Länet mot riket över tid
#
# Andelen kommuner som erbjuder tjänsten, år för år: riket (streckad), länet och kommuner
# i samma storleksgrupp som länets största kommun.

# %%
biggest = (
    ref.population()
    .query("municipality_code.str[:2] == @county_code")
    .nlargest(1, "population")["municipality_code"]
    .iloc[0]
)
group = sizes.set_index("municipality_code").loc[biggest, "group"]
shown = levels[levels["indicator_id"] == main_indicator]
now = shown[shown["period"] == year]
county_share = now[(now["level"] == "county") & (now["key"] == county_code)]["share"].iloc[0]
nation_share = now[now["level"] == "nation"]["share"].iloc[0]
county_text = plots.format_number(county_share * 100, decimals=0, percent=True)
in_nation = plots.format_number(nation_share * 100, decimals=0, percent=True)
caption = f"{titles[main_indicator]} {year}: {county_text} i {county}, {in_nation} i riket."
with plots.house_style():
    fig, ax = plt.subplots(figsize=(8, 4.5))
    plots.adoption_curves(
        shown,
        county_code=county_code,
        group=str(group),
        title=titles[main_indicator],
        lang=lang,
        ax=ax,
        source=SOURCE,
    )
    out.figure(fig, "enkat_spridning", caption=caption, source=SOURCE)
    plt.show()
print(caption)

# %% [markdown]
# ## Kommunerna jämförda
#
# Varje ruta är en kommun och ett nyckeltal: grön = Ja (eller bästa fjärdedelen för tal),
# röd = Nej (sämsta fjärdedelen), gul = mittersta hälften, grå = uppgift saknas.

# %%
in_county = obs["municipality_code"].str[:2] == county_code
this_year = obs[(obs["period"] == year) & in_county]
chosen = this_year[this_year["indicator_id"].isin(indicators)]
colours = compare.rank_colour(chosen, catalogue=catalogue)
greens = (colours["colour"] == "green").groupby(colours["municipality_code"]).mean()
best = greens.idxmax()
names = ref.municipalities().set_index("municipality_code")["municipality"]
share = plots.format_number(greens.max() * 100, decimals=0, percent=True)
caption = f"{names[best]} har flest gröna rutor ({share} av nyckeltalen) {year}."
with plots.house_style(context="paper"):
    fig, ax = plt.subplots(figsize=(10, 0.35 * colours["municipality_code"].nunique() + 3))
    plots.tile_chart(colours, titles=titles, lang=lang, ax=ax, source=SOURCE)
    out.figure(fig, "enkat_rutor", caption=caption, source=SOURCE)
    plt.show()
print(caption)

# %% [markdown]
# ## Kommunerna över tid
#
# Varje kommuns svar år för år (blå) mot andelen i riket (grå, streckad).

# %%
with plots.house_style(context="paper"):
    fig = plots.survey_small_multiples(
        obs, levels, indicator=main_indicator, county_code=county_code, lang=lang, source=SOURCE
    )
    fig.suptitle(titles[main_indicator], x=0.01, ha="left", fontweight="bold")
    fig.tight_layout(rect=(0, 0.04, 1, 0.96))
    out.figure(
        fig, "enkat_kommuner", caption=f"{titles[main_indicator]} per kommun och år.", source=SOURCE
    )
    plt.show()
trends = compare.trend(obs[obs["municipality_code"].str[:2] == county_code])
adopted = trends[trends["indicator_id"] == main_indicator]
out.table(trends, "enkat_trender")
adopted[["municipality_code", "adopted_in", "dropped"]]

# %% [markdown]
# ## Karta och förändring
#
# Kartan visar hela landet med länet inringat; lutningsdiagrammet visar andelen brukare
# med digitalt trygghetslarm första och sista året i varje kommun i länet.

# %%
with plots.house_style():
    fig, ax = plt.subplots(figsize=(6, 9))
    plots.survey_map(
        obs,
        indicator=main_indicator,
        year=year,
        county_code=county_code,
        title=f"{titles[main_indicator]} {year}",
        lang=lang,
        ax=ax,
        source=SOURCE,
    )
    out.figure(
        fig, "enkat_karta", caption=f"{titles[main_indicator]} {year}, hela landet.", source=SOURCE
    )
    plt.show()
numeric = "digitala_trygghetslarm_andel"
if numeric in set(obs["indicator_id"]):
    first_year = int(obs["period"].min())
    county_obs = obs[obs["municipality_code"].str[:2] == county_code]
    with plots.house_style():
        fig, ax = plt.subplots(figsize=(6, 5))
        plots.slope_chart(
            county_obs,
            indicator=numeric,
            first=first_year,
            last=year,
            lang=lang,
            ax=ax,
            source=SOURCE,
        )
        out.figure(
            fig,
            "enkat_forandring",
            caption=f"{titles[numeric]}, {first_year} och {year}.",
            source=SOURCE,
        )
        plt.show()
index = compare.composite(obs[obs["period"] == year], indicators=indicators, catalogue=catalogue)
out.table(index.round(4), "enkat_index")
