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
from pathlib import Path

import matplotlib.pyplot as plt

from ehalsa_analys import demo, load, maturity, plots
from ehalsa_analys import reference as ref
from ehalsa_analys.errors import NoDataError
from ehalsa_analys.store import Outputs

county_code = ref.resolve_county(county_code)  # 18, "18" or "Örebro län" all work
out = Outputs(figures_dir, tables_dir)
synthetic = data_dir is None if synthetic is None else synthetic
source_dir = Path(data_dir) if data_dir else demo.path("lika", seed=seed)
SOURCE = (
    "LIKA Socialtjänst – SYNTETISKA DEMODATA från ehalsa_analys, inte verkliga värderingar"
    if synthetic
    else "LIKA Socialtjänst, kommunernas självskattningar"
)
all_responses = load.lika(source_dir)
instrument = load.lika_instrument(all_responses.attrs["instrument"])
responses = all_responses[all_responses["municipality_code"].str[:2] == county_code]
if responses.empty:
    raise NoDataError(f"Inga LIKA-värderingar för län {county_code}", file=str(source_dir))
years = sorted(responses["assessed_on"].dt.year.unique())
rounds = sorted(rounds) if rounds else years
first = responses[responses["assessed_on"].dt.year == rounds[0]]
latest = responses[responses["assessed_on"].dt.year == rounds[-1]]
names = ref.municipalities(county_code=county_code).set_index("municipality_code")["municipality"]
print(
    f"{latest['municipality_code'].nunique()} kommuner i senaste omgången ({rounds[-1]}), "
    f"omgångar i data: {years}, {len(instrument)} indikatorer i instrumentet."
)

# %% [markdown]
# ## Översikt: mognad per kommun och del
#
# Varje rad är en kommun, sorterad efter mognadsindex (högst överst); varje kolumn en
# del av LIKA. Mörka rutor är låga poäng. Läs raden för att se en kommuns starka och
# svaga delar, och kolumnen för att se hur länet ligger till i en del.

# %%
scores = maturity.scores(latest, weights=instrument, seed=seed)
index = maturity.maturity_index(latest, weights=instrument, seed=seed)
order = index.sort_values(["index", "municipality_code"], ascending=[False, True])
weakest = scores.loc[scores.groupby("municipality_code")["score"].idxmin(), "dimension"]
counts = weakest.value_counts()
caption = (
    f"{counts.index[0]} är den svagaste delen i {counts.iloc[0]} av "
    f"{scores['municipality_code'].nunique()} kommuner ({rounds[-1]})."
)
with plots.house_style():
    fig, ax = plt.subplots(figsize=(7.5, 0.42 * len(order) + 1.8))
    plots.maturity_heatmap(
        scores, order=order["municipality_code"], lang=lang, ax=ax, source=SOURCE
    )
    out.figure(fig, "lika_heatmap", caption=caption, source=SOURCE)
    plt.show()
print(caption)
out.table(index.assign(kommun=index["municipality_code"].map(names)).round(3), "lika_mognadsindex")

# %% [markdown]
# ## Varje kommuns avstånd till jämförelsen
#
# Staplarna visar skillnaden mellan kommunens poäng och jämförelsen (som standard länets
# medelvärde) i varje del. Blå stapel: kommunen ligger över; orange: under. Strecket är
# kommunens osäkerhetsintervall – en skillnad vars intervall korsar noll är inte säker.

# %%
gaps = maturity.gaps(scores, reference=reference, target=target if reference == "target" else None)
codes = list(order["municipality_code"])
ncols = 3
nrows = -(-len(codes) // ncols)
with plots.house_style(context="paper"):
    fig, axes = plt.subplots(nrows, ncols, figsize=(11, 2.4 * nrows), sharex=True, squeeze=False)
    for ax, code in zip(axes.flat, codes, strict=False):
        plots.gap_bars(gaps[gaps["municipality_code"] == code], lang=lang, ax=ax)
        ax.set_title(names.get(code, code))
        ax.get_legend().remove()
        ax.set_xlabel("")
    for ax in axes.flat[len(codes) :]:
        ax.set_axis_off()
    fig.supxlabel("Skillnad i poäng (0–100)" if lang == "sv" else "Difference in points (0–100)")
    fig.tight_layout(rect=(0, 0.04, 1, 1))  # room for the source line
    plots.add_source(fig, SOURCE, lang=lang)
    out.figure(
        fig,
        "lika_gap_per_kommun",
        caption="Skillnad mot jämförelsen per kommun och del, med osäkerhetsintervall.",
        source=SOURCE,
    )
    plt.show()
out.table(gaps.assign(kommun=gaps["municipality_code"].map(names)).round(3), "lika_gap")

# %% [markdown]
# ## Spridning mellan kommunerna
#
# Varje prick är en kommun; det svarta strecket är länets medelvärde. Stor spridning i en
# del betyder att kommunerna har kommit olika långt och kan lära av varandra; liten
# spridning på låg nivå pekar på ett gemensamt utvecklingsbehov.

# %%
spread = maturity.dispersion(scores, by="dimension")
widest = spread.sort_values("range", ascending=False).iloc[0]
caption = (
    f"Störst spridning i {widest['dimension']}: från "
    f"{plots.format_number(widest['min'] * 100, decimals=0)} till "
    f"{plots.format_number(widest['max'] * 100, decimals=0)} poäng."
)
with plots.house_style():
    fig, ax = plt.subplots(figsize=(8, 4.5))
    plots.dispersion_strip(scores, lang=lang, ax=ax, source=SOURCE)
    out.figure(fig, "lika_spridning", caption=caption, source=SOURCE)
    plt.show()
print(caption)
spread.round(3)

# %% [markdown]
# ## Förändring mellan omgångarna
#
# Grå prick: första omgången; blå prick: senaste. En fylld prick betyder att förändringen
# är större än osäkerheten (intervallet utesluter noll); en ofylld att den ryms inom den.

# %%
if len(rounds) >= 2:
    change = maturity.change(first, latest, by="municipality_code", weights=instrument, seed=seed)
    up = int((change["direction"] == "up").sum())
    caption = (
        f"{up} av {len(change)} kommuner har ökat sin mognad säkert mellan "
        f"{rounds[0]} och {rounds[-1]}."
    )
    with plots.house_style():
        fig, ax = plt.subplots(figsize=(7, 0.42 * len(change) + 1.8))
        plots.change_dumbbell(
            change, rounds=(str(rounds[0]), str(rounds[-1])), lang=lang, ax=ax, source=SOURCE
        )
        out.figure(fig, "lika_forandring", caption=caption, source=SOURCE)
        plt.show()
    print(caption)
    out.table(
        change.assign(kommun=change["municipality_code"].map(names)).round(3), "lika_forandring"
    )
else:
    print(f"Bara en omgång ({rounds[0]}) i data: ingen förändring att visa.")

# %% [markdown]
# ## Jämförelsegrupper
#
# Kommuner med liknande profil över de fyra delarna grupperas (hierarkisk klustring).
# Grupp 1 har högst poäng. *Närmaste kommuner* är de tre med mest lik profil – de är
# naturliga att utbyta erfarenheter med.

# %%
peers = maturity.peer_groups(scores, seed=seed)
profiles = maturity.peer_profiles(scores, peers)
table = peers.assign(
    kommun=peers["municipality_code"].map(names),
    narmaste=peers["nearest_peers"].map(lambda codes: ", ".join(names.get(c, c) for c in codes)),
)[["peer_group", "kommun", "narmaste"]].sort_values(["peer_group", "kommun"])
out.table(table, "lika_jamforelsegrupper")
print(f"{peers.attrs['k']} grupper (vald efter högst silhuettvärde).")
profiles.round(2)

# %% [markdown]
# ## Gemensamma utvecklingsområden
#
# Delarna där flest kommuner ligger under tröskeln kommer först. För varje del visas de
# svagaste indikatorerna i länet och instrumentets förslag på aktiviteter – samma form
# som länets handlingsplan (område, målbild, förslag på aktiviteter).

# %%
areas = maturity.development_areas(latest, instrument=instrument, threshold=threshold)
top = areas.iloc[0]
caption = (
    f"{top['dimension']} är länets första utvecklingsområde: {top['n_below']} av "
    f"{top['n_municipalities']} kommuner ligger under {threshold * 100:.0f} poäng."
)
with plots.house_style():
    fig, ax = plt.subplots(figsize=(11, 1.2 + 1.0 * len(areas)))
    plots.development_table(areas, lang=lang, ax=ax, source=SOURCE)
    out.figure(fig, "lika_utvecklingsomraden", caption=caption, source=SOURCE)
    plt.show()
print(caption)
out.table(areas.round(3), "lika_utvecklingsomraden")
weak = maturity.weakest_indicators(latest, instrument=instrument, threshold=threshold)
out.table(weak.round(3), "lika_svagaste_indikatorer")
weak.head(10)

# %% [markdown]
# ## Karta: mognadsindex
#
# Mognadsindex väger samman alla områden och delar (varje cell område × del lika
# mycket). Kommuner utan värdering är streckade.

# %%
best = order.iloc[0]
caption = (
    f"Högst mognadsindex har {names.get(best['municipality_code'])} "
    f"({best['index'] * 100:.0f} poäng)."
)
with plots.house_style():
    fig, ax = plt.subplots(figsize=(6.5, 7))
    plots.maturity_map(index, county_code=county_code, lang=lang, ax=ax, source=SOURCE)
    out.figure(fig, "lika_karta", caption=caption, source=SOURCE)
    plt.show()
print(caption)
