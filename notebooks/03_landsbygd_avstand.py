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
county_code = "22"  # länskod, demodata finns för 22 (Västernorrland) och 18 (Örebro län)
data_dir = None  # mapp med befolkning, service, vägar, utan mapp används syntetiska demodata
kinds = None  # servicetyper, t.ex. ["dagligvaror", "apotek"], utan lista alla i data
method = "network"  # "network" (vägnätet) eller "euclidean" (fågelvägen)
thresholds_km = [2, 5, 10, 20, 25, 30]  # avståndsgränser i km
thresholds_min = [5, 10, 30]  # restidsgränser i minuter
snap_speed_kmh = 40  # hastighet från rutan till närmaste väg i nätet
catchment_km = 20  # upptagningsområde för 2SFCA
digital_share = 0.10  # andel hemtjänstbesök som blir digitala i scenariot
figures_dir = None  # var figurerna sparas, utan mapp visas de bara
tables_dir = None  # var tabellerna sparas, annars i figures_dir
lang = "sv"  # "sv" eller "en"
seed = 20261123  # frö för demodata
synthetic = None  # True när data_dir är demodata, utan värde gäller det när data_dir saknas

# %% [markdown]
# # Avstånd till service på landsbygden
#
# Hur många i länet bor långt från dagligvaror, apotek, vårdcentral och hemtjänstens
# utgångspunkter – och hur mycket resande sparar digitala tjänster? Avstånden räknas längs
# vägnätet från varje befolkningsruta till närmaste servicepunkt (som Pipos), i restid med
# bil. Rutor som inte nås via vägnätet (öar utan färja) redovisas för sig.

# %%
from pathlib import Path

import matplotlib.pyplot as plt

from ehalsa_analys import access, demo, load, plots
from ehalsa_analys import reference as ref
from ehalsa_analys.errors import NoDataError
from ehalsa_analys.store import Outputs

county_code = ref.resolve_county(county_code)  # 18, "18" or "Örebro län" all work
out = Outputs(figures_dir, tables_dir)
synthetic = data_dir is None if synthetic is None else synthetic
folder = Path(data_dir) if data_dir else demo.path("avstand", seed=seed)
SOURCE = {
    ("sv", True): "Befolkning, service och vägar – SYNTETISKA DEMODATA från ehalsa_analys, "
    "inte statistik",
    ("en", True): "Population, services and roads – SYNTHETIC DEMO DATA from ehalsa_analys, "
    "not statistics",
    ("sv", False): "Befolkningsrutor, servicepunkter och vägnät",
    ("en", False): "Population grid, service points and road network",
}[lang, bool(synthetic)]
grid_file = sorted(folder.glob("befolkning_*"))[0]
cells = load.population(grid_file, cell_size=250 if "250m" in grid_file.name else 1000)
cells = cells[cells["municipality_code"].str[:2] == county_code].reset_index(drop=True)
if cells.empty:
    raise NoDataError(f"Inga befolkningsrutor för län {county_code}", file=str(grid_file))
services = load.services(sorted(folder.glob("service*"))[0])
graph = load.roads(sorted(folder.glob("vagar*"))[0]) if method == "network" else None
kinds = kinds or sorted(services["kind"].unique())
county = ref.counties().set_index("county_code").loc[county_code, "county"]
print(
    f"{county}: {len(cells)} befolkade rutor, {int(cells['population'].sum())} invånare, "
    f"{len(services)} servicepunkter, metod {method}."
)

# %%
distances = access.nearest(
    cells,
    services,
    kind=kinds,
    method=method,
    network=graph,
    weight="time" if method == "network" else "length",
    snap_speed_kmh=snap_speed_kmh,
)
summary = access.summarise(distances, thresholds_km=thresholds_km, thresholds_min=thresholds_min)
out.table(summary.round(4), "avstand_sammanfattning")
unreachable = distances.attrs["unreachable"]
print("Rutor som inte nås via vägnätet:", unreachable)
summary.head()

# %% [markdown]
# ## Karta: restid till närmaste dagligvarubutik
#
# Varje prick är en befolkad ruta, mörkare ju längre restiden är; trianglarna är butikerna.
# Grå kryss nås inte via vägnätet.

# %%
kind = "dagligvaror" if "dagligvaror" in kinds else kinds[0]
shown = distances[distances["kind"] == kind]
scale = 60.0 if shown["unit"].iloc[0] == "s" else 1000.0
far = summary[(summary["kind"] == kind) & (summary["group"] == "all")]
share = far[[c for c in far if c.startswith("beyond_")][-1]].sum() / far["population"].sum()
caption = (
    f"{plots.format_number(share * 100, decimals=1, percent=True)} av invånarna i {county} "
    f"har mer än {thresholds_min[-1] if scale == 60 else thresholds_km[-1]} "
    f"{'minuter' if scale == 60 else 'km'} till närmaste {kind}."
)
with plots.house_style():
    fig, ax = plt.subplots(figsize=plots.map_figsize(county_code))
    plots.cell_map(
        shown,
        cells=cells,
        services=services,
        kind=kind,
        county_code=county_code,
        lang=lang,
        ax=ax,
        source=SOURCE,
    )
    out.figure(fig, "avstand_karta", caption=caption, source=SOURCE)
    plt.show()
print(caption)

# %% [markdown]
# ## Andel av befolkningen per avståndsklass
#
# Pipos klasser för restid med bil: under 5, 5–10, 10–30 och över 30 minuter. Kommunerna
# är sorterade så att den med störst andel långt bort står överst. Finns en Pipos-tabell
# i underlaget jämförs den med vår beräkning.

# %%
classes = access.distance_classes(shown)
with plots.house_style():
    fig, ax = plt.subplots(figsize=(8, 0.35 * classes["municipality_code"].nunique() + 1.5))
    plots.class_bars(classes, lang=lang, ax=ax, source=SOURCE)
    out.figure(
        fig,
        "avstand_klasser",
        caption=f"Befolkning per restidsklass till {kind}, per kommun.",
        source=SOURCE,
    )
    plt.show()
out.table(classes.round(4), "avstand_klasser")
pipos_files = sorted(folder.glob("pipos_*"))
if pipos_files:
    pipos = load.pipos(pipos_files[0])
    compare = classes.merge(
        pipos, on=["municipality_code", "kind", "lower", "unit"], suffixes=("", "_pipos")
    )
    print(
        "Största skillnad mot Pipos-tabellen (invånare):",
        int((compare["population"] - compare["population_pipos"]).abs().max()),
    )

# %% [markdown]
# ## Hur många bor inom ett visst avstånd
#
# Kurvorna visar andelen av kommunens invånare som har högst så lång restid. En kurva som
# planar ut sent betyder en lång landsbygdssvans.

# %%
with plots.house_style():
    fig, ax = plt.subplots(figsize=(8, 5))
    plots.cumulative_curves(shown, lang=lang, ax=ax, source=SOURCE)
    out.figure(
        fig,
        "avstand_kurvor",
        caption=f"Andel av invånarna inom en given restid till {kind}, per kommun.",
        source=SOURCE,
    )
    plt.show()

# %% [markdown]
# ## Tillgänglighet till hemtjänst (2SFCA)
#
# Hemtjänstens kapacitet (personal) delas på befolkningen inom upptagningsområdet (längs
# vägnätet när metoden är "network"), med en avtagande vikt med avståndet (tvåstegsmetoden
# med Gauss-avklingning). Högre värde betyder
# mer personal per invånare inom räckhåll.

# %%
if "hemtjänst" in set(services["kind"]):
    home_care = services[services["kind"] == "hemtjänst"]
    reach = access.costs(
        cells,
        home_care,
        method=method,
        network=graph,
        max_cost_m=catchment_km * 1000,
        snap_speed_kmh=snap_speed_kmh,
    )
    per_cell, per_area = access.two_step_fca(
        cells, home_care, reach, max_cost_m=catchment_km * 1000
    )
    best = per_area.sort_values("score").iloc[-1]
    names = ref.municipalities().set_index("municipality_code")["municipality"]
    caption = f"Högst tillgänglighet till hemtjänst har {names[best['municipality_code']]}."
    with plots.house_style():
        fig, ax = plt.subplots(figsize=plots.map_figsize(county_code))
        plots.score_map(
            per_cell,
            cells=cells,
            services=services[services["kind"] == "hemtjänst"],
            county_code=county_code,
            lang=lang,
            ax=ax,
            source=SOURCE,
        )
        out.figure(fig, "avstand_2sfca", caption=caption, source=SOURCE)
        plt.show()
    out.table(per_area.round(6), "avstand_2sfca")
    print(caption)

# %% [markdown]
# ## Scenario: 10 % digitala hemtjänstbesök
#
# Om en andel av hemtjänstens besök görs digitalt (nattillsyn med kamera, videobesök) sparas
# resor från utgångspunkten till brukaren och tillbaka, längs vägnätet med restiden därifrån
# när metoden är "network". Antagandena – besök per månad,
# andel digitala besök, hastighet – är parametrar. Här antas varje invånare 80 år och äldre
# motsvara en brukare med 30 besök i månaden, uppskattat som en tiondel av rutans 70+.

# %%
if "hemtjänst" in set(services["kind"]):
    clients = cells.assign(
        population=cells.get("population_70plus", cells["population"]) / 10,
        visits_per_month=30.0,
    )
    trips = access.nearest(
        clients,
        services[services["kind"] == "hemtjänst"],
        method=method,
        network=graph,
        weight="time" if method == "network" else "length",
        snap_speed_kmh=snap_speed_kmh,
    )
    savings = access.travel_savings(clients, trips, digital_share=digital_share)
    total_km = savings["km_saved"].sum()
    caption = (
        f"Med {plots.format_number(digital_share * 100, percent=True)} digitala besök sparas "
        f"omkring {plots.format_number(total_km, decimals=0)} km och "
        f"{plots.format_number(savings['hours_saved'].sum(), decimals=0)} timmar i månaden i länet."
    )
    with plots.house_style():
        fig, ax = plt.subplots(figsize=(8, 0.35 * len(savings) + 1.5))
        plots.savings_bars(savings, lang=lang, ax=ax, source=SOURCE)
        out.figure(fig, "avstand_besparing", caption=caption, source=SOURCE)
        plt.show()
    out.table(savings.round(2), "avstand_besparing")
    print(caption)
