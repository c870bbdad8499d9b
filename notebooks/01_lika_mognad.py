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
county_code = "18"  # länskod, t.ex. "18" för Örebro län
data_dir = None  # mapp med LIKA-filer, utan mapp används syntetiska demodata
rounds = None  # värderingsomgångar (år), t.ex. [2018, 2022], utan lista alla i data
reference = "county"  # jämför med "county" (länet), "best" (bästa kommunen) eller "target"
target = 0.75  # målnivå 0–1, används med reference "target"
threshold = 0.5  # under denna poäng räknas en del som utvecklingsområde
figures_dir = None  # var figurerna sparas, utan mapp visas de bara
tables_dir = None  # var tabellerna sparas, annars i figures_dir
lang = "sv"  # "sv" eller "en"
seed = 20261123  # frö för bootstrap-intervallen
synthetic = None  # True när data_dir är demodata, utan värde gäller det när data_dir saknas

# %% [markdown]
# # LIKA Socialtjänst: digital mognad i länets kommuner
#
# Länets kommuner har gjort självskattningen LIKA (Ledning, Infrastruktur, Kompetens,
# Användning). Den här sammanställningen visar var varje kommun står, hur långt från
# varandra kommunerna ligger, hur de har förändrats mellan omgångarna och vilka
# gemensamma utvecklingsområden som framträder – underlaget för länets handlingsplan.
#
# **Poäng.** Varje indikator får en poäng efter sin status: Uppnådd 100, Nästan där 75,
# Påbörjad 50, Planerad 25, Ej planerad 0. *Ej relevant* och tomma svar räknas inte alls
# (de drar inte ner medelvärdet). Poängsättningen är ehalsa_analys val; LIKA publicerar
# ingen. Intervallen är 95 % bootstrap-intervall över indikatorerna.

# %%
import matplotlib.pyplot as plt

from ehalsa_analys import captions, load, maturity, notebook, plots

nb = notebook.setup(
    "lika",
    county_code=county_code,  # 18, "18" or "Örebro län" all work
    data_dir=data_dir,
    synthetic=synthetic,
    lang=lang,
    seed=seed,
    figures_dir=figures_dir,
    tables_dir=tables_dir,
)
responses = nb.in_county(load.lika(nb.data_dir))
instrument = load.lika_instrument(responses.attrs["instrument"])
assessed = notebook.assessment_rounds(responses, rounds=rounds)
print(captions.lika_intro(assessed.latest, years=assessed.years, instrument=instrument, lang=lang))

# %% [markdown]
# ## Översikt: mognad per kommun och del
#
# Varje rad är en kommun, sorterad efter mognadsindex (högst överst); varje kolumn en
# del av LIKA. Mörka rutor är låga poäng. Läs raden för att se en kommuns starka och
# svaga delar, och kolumnen för att se hur länet ligger till i en del.

# %%
scores = maturity.scores(assessed.latest, weights=instrument, seed=nb.seed)
index = maturity.maturity_index(assessed.latest, weights=instrument, seed=nb.seed)
order = notebook.index_order(index)
caption = captions.weakest_dimension(scores, year=assessed.rounds[-1], lang=lang)
with plots.house_style():
    fig = plots.maturity_heatmap_figure(
        scores, order=order, period=assessed.rounds[-1], lang=lang, source=nb.source
    )
    nb.outputs.figure(fig, "lika_heatmap", caption=caption, source=nb.source)
    plt.show()
print(caption)
nb.outputs.table(nb.with_names(index).round(3), "lika_mognadsindex")

# %% [markdown]
# ## Varje kommuns avstånd till jämförelsen
#
# Staplarna visar skillnaden mellan kommunens poäng och jämförelsen (som standard länets
# medelvärde) i varje del. Blå stapel: kommunen ligger över; orange: under. Strecket är
# kommunens osäkerhetsintervall – en skillnad vars intervall korsar noll är inte säker.

# %%
gaps = notebook.lika_gaps(scores, reference=reference, target=target)
caption = captions.text("lika_gap_per_kommun", lang)
with plots.house_style(context="paper"):
    fig = plots.gap_panels(
        gaps, order=order, period=assessed.rounds[-1], lang=lang, source=nb.source
    )
    nb.outputs.figure(fig, "lika_gap_per_kommun", caption=caption, source=nb.source)
    plt.show()
nb.outputs.table(nb.with_names(gaps).round(3), "lika_gap")

# %% [markdown]
# ## Spridning mellan kommunerna
#
# Varje prick är en kommun; det svarta strecket är länets medelvärde. Stor spridning i en
# del betyder att kommunerna har kommit olika långt och kan lära av varandra; liten
# spridning på låg nivå pekar på ett gemensamt utvecklingsbehov.

# %%
spread = maturity.dispersion(scores, by="dimension")
caption = captions.widest_spread(spread, lang=lang)
with plots.house_style():
    fig, ax = plt.subplots(figsize=(8, 4.5))
    plots.dispersion_strip(
        scores, period=assessed.rounds[-1], lang=lang, ax=ax, source=nb.source
    )
    nb.outputs.figure(fig, "lika_spridning", caption=caption, source=nb.source)
    plt.show()
print(caption)
spread.round(3)

# %% [markdown]
# ## Förändring mellan omgångarna
#
# Grå prick: första omgången; blå prick: senaste. En fylld prick betyder att förändringen
# är större än osäkerheten (intervallet utesluter noll); en ofylld att den ryms inom den.

# %%
if assessed.several:
    change = maturity.change(
        assessed.first, assessed.latest, by="municipality_code", weights=instrument, seed=nb.seed
    )
    caption = captions.maturity_change(change, rounds=assessed.rounds, lang=lang)
    with plots.house_style():
        fig, ax = plt.subplots(figsize=(7, 0.42 * len(change) + 1.8))
        plots.change_dumbbell(change, rounds=assessed.labels, lang=lang, ax=ax, source=nb.source)
        nb.outputs.figure(fig, "lika_forandring", caption=caption, source=nb.source)
        plt.show()
    print(caption)
    nb.outputs.table(nb.with_names(change).round(3), "lika_forandring")
else:
    print(captions.one_round(assessed.rounds[-1], lang=lang))

# %% [markdown]
# ## Jämförelsegrupper
#
# Kommuner med liknande profil över de fyra delarna grupperas (hierarkisk klustring).
# Grupp 1 har högst poäng. *Närmaste kommuner* är de tre med mest lik profil – de är
# naturliga att utbyta erfarenheter med.

# %%
peers = maturity.peer_groups(scores, seed=nb.seed)
profiles = maturity.peer_profiles(scores, peers)
nb.outputs.table(notebook.peer_table(peers, nb.names), "lika_jamforelsegrupper")
print(captions.peer_groups(peers, lang=lang))
profiles.round(2)

# %% [markdown]
# ## Gemensamma utvecklingsområden
#
# Delarna där flest kommuner ligger under tröskeln kommer först. För varje del visas de
# svagaste indikatorerna i länet och instrumentets förslag på aktiviteter – samma form
# som länets handlingsplan (område, målbild, förslag på aktiviteter).

# %%
areas = maturity.development_areas(assessed.latest, instrument=instrument, threshold=threshold)
caption = captions.first_development_area(areas, threshold=threshold, lang=lang)
with plots.house_style():
    fig, ax = plt.subplots(figsize=(11, 1.2 + 1.0 * len(areas)))
    plots.development_table(
        areas, period=assessed.rounds[-1], lang=lang, ax=ax, source=nb.source
    )
    nb.outputs.figure(fig, "lika_utvecklingsomraden", caption=caption, source=nb.source)
    plt.show()
print(caption)
nb.outputs.table(areas.round(3), "lika_utvecklingsomraden")
weak = maturity.weakest_indicators(assessed.latest, instrument=instrument, threshold=threshold)
nb.outputs.table(weak.round(3), "lika_svagaste_indikatorer")
weak.head(10)

# %% [markdown]
# ## Karta: mognadsindex
#
# Mognadsindex väger samman alla områden och delar (varje cell område × del lika
# mycket). Färgskalan är hela skalan 0–100 i samma färger som översikten ovan, så att en
# färg betyder samma poäng i båda. Kommuner utan värdering är streckade.

# %%
caption = captions.highest_index(index, lang=lang)
with plots.house_style():
    fig, ax = plt.subplots(figsize=(6.5, 7))
    plots.maturity_map(
        index,
        county_code=nb.county_code,
        period=assessed.rounds[-1],
        lang=lang,
        ax=ax,
        source=nb.source,
    )
    nb.outputs.figure(fig, "lika_karta", caption=caption, source=nb.source)
    plt.show()
print(caption)
