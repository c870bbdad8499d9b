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
broadband_dir = None  # PTS bredbandskartläggning, utan mapp bredband/ bredvid data_dir
reach_kind = "vårdcentral"  # servicetyp för digital räckvidd, servicepunkter och nedläggning
reach_threshold = 10  # långt bort: minst så många minuter (km med fågelvägen), en av gränserna ovan
speed_mbit = 100  # hastighet som räknas som uppkopplad (1000 för 1 Gbit/s)
sites_k = 10  # pröva 1 till så många digitala servicepunkter
sites_within = 20  # en servicepunkt når dem som har högst så många minuter (km) dit
closed_services = None  # service_id som läggs ned, utan lista den vars invånare bor längst bort

# %% [markdown]
# # Avstånd till service på landsbygden
#
# Hur många i länet bor långt från dagligvaror, apotek, vårdcentral och hemtjänstens
# utgångspunkter – och hur mycket resande sparar digitala tjänster? Avstånden räknas längs
# vägnätet från varje befolkningsruta till närmaste servicepunkt (som Pipos), i restid med
# bil. Rutor som inte nås via vägnätet (öar utan färja) redovisas för sig.

# %%
import matplotlib.pyplot as plt

from ehalsa_analys import access, captions, notebook, plots

nb = notebook.setup(
    "avstand",
    county_code=county_code,  # 18, "18" or "Örebro län" all work
    data_dir=data_dir,
    synthetic=synthetic,
    lang=lang,
    seed=seed,
    figures_dir=figures_dir,
    tables_dir=tables_dir,
)
inputs = notebook.access_inputs(nb.data_dir, method=method)  # grid, services, roads
cells = nb.in_county(inputs.cells)
services = inputs.services
kinds = notebook.service_kinds(services, kinds=kinds)
period = notebook.access_period(nb.data_dir, synthetic=nb.synthetic, lang=lang)
print(captions.access_intro(cells, services, county=nb.county, method=method, lang=lang))

# %% [markdown]
# ## Vägnätet ur OpenStreetMap
#
# Vägnätet kan också läsas direkt ur en OpenStreetMap-fil (.osm.pbf, t.ex. Sverige från
# Geofabrik) eller ur en NVDB-export från Trafikverket: `load.roads(fil, clip=län)` tar
# bilvägnätet inom länet med 20 km marginal, så att vägar nära länsgränsen räknas rätt.
# Demodata har en liten syntetisk OSM-fil med samma vägar som linjefilen ovan.

# %%
from pathlib import Path

from ehalsa_analys import load
from ehalsa_analys.formatting import format_number

osm_files = sorted(Path(nb.data_dir).glob("*.osm.pbf"))  # the first OSM extract, if any
if osm_files:
    osm_roads = load.roads(osm_files[0], clip=nb.county_code)  # bilvägnätet, länet + 20 km
    osm_kind = notebook.map_kind(kinds)
    osm_times = access.nearest(
        cells,
        services,
        kind=osm_kind,
        method="network",
        network=osm_roads,
        weight="time",
        snap_speed_kmh=snap_speed_kmh,
    )
    text = {
        "sv": "{file}: {nodes} noder; median restid till {kind}: {minutes} min",
        "en": "{file}: {nodes} nodes; median travel time to {kind}: {minutes} min",
    }[lang]
    print(
        text.format(
            file=osm_files[0].name,
            nodes=format_number(osm_roads.n_nodes, lang=lang),
            kind=osm_kind,
            minutes=format_number(osm_times["distance"].median() / 60, decimals=1, lang=lang),
        )
    )

# %%
distances = access.nearest(
    cells,
    services,
    kind=kinds,
    method=method,
    network=inputs.roads,
    weight=inputs.weight,
    snap_speed_kmh=snap_speed_kmh,
)
summary = access.summarise(distances, thresholds_km=thresholds_km, thresholds_min=thresholds_min)
published = access.publishable_summary(summary)  # small counts and what gives them back masked
nb.outputs.table(published.round(4), "avstand_sammanfattning")
print(captions.unreachable(distances, lang=lang))
published.head()

# %% [markdown]
# ## Karta: restid till närmaste dagligvarubutik
#
# Varje fylld ruta är en befolkad ruta, mörkare ju längre restiden är; de orange trianglarna
# är butikerna. Grå rutor nås inte via vägnätet. Färgskalan slutar vid en jämn siffra strax
# över de flesta rutornas restid: rutor med längre restid har den mörkaste färgen, vilket
# triangeln i skalans topp och "≥" visar.

# %%
kind = notebook.map_kind(kinds)
shown = distances[distances["kind"] == kind]
top = plots.distance_scale(shown)  # one colour scale for the map and the class bars
caption = captions.far_from_service(
    summary, kind=kind, county=nb.county, time=inputs.by_time, lang=lang
)
with plots.house_style():
    fig, ax = plt.subplots(figsize=plots.map_figsize(nb.county_code))
    plots.cell_map(
        shown,
        cells=cells,
        services=services,
        kind=kind,
        county_code=nb.county_code,
        vmax=top,
        period=period,
        lang=lang,
        ax=ax,
        source=nb.source,
    )
    nb.outputs.figure(fig, "avstand_karta", caption=caption, source=nb.source)
    plt.show()
print(caption)

# %% [markdown]
# ## Andel av befolkningen per avståndsklass
#
# Pipos klasser för restid med bil: under 5, 5–10, 10–30 och över 30 minuter, i kartans
# färger för samma restid. Kommunerna är sorterade så att den med störst andel långt bort
# står överst. Finns en Pipos-tabell
# i underlaget jämförs den med vår beräkning.

# %%
classes = access.publishable_classes(access.distance_classes(shown), summary=published)
caption = captions.access_figure("avstand_klasser", kind=kind, time=inputs.by_time, lang=lang)
with plots.house_style():
    fig, ax = plt.subplots(figsize=(8, 0.35 * classes["municipality_code"].nunique() + 1.5))
    plots.class_bars(classes, period=period, vmax=top, lang=lang, ax=ax, source=nb.source)
    nb.outputs.figure(fig, "avstand_klasser", caption=caption, source=nb.source)
    plt.show()
nb.outputs.table(classes.round(4), "avstand_klasser")
pipos = notebook.pipos_comparison(classes, nb.data_dir)
if pipos is not None:
    print(captions.pipos_difference(pipos, lang=lang))

# %% [markdown]
# ## Hur många bor inom ett visst avstånd
#
# En ruta per kommun: den blå kurvan visar andelen av kommunens invånare som har högst så lång
# restid, den grå hela länets. En kurva som planar ut sent betyder en lång landsbygdssvans.

# %%
caption = captions.access_figure("avstand_kurvor", kind=kind, time=inputs.by_time, lang=lang)
with plots.house_style(context="paper"):
    fig = plots.cumulative_panels(shown, period=period, lang=lang, source=nb.source)
    nb.outputs.figure(fig, "avstand_kurvor", caption=caption, source=nb.source)
    plt.show()

# %% [markdown]
# ## Tillgänglighet till hemtjänst (2SFCA)
#
# Hemtjänstens kapacitet (personal) delas på befolkningen inom upptagningsområdet (längs
# vägnätet när metoden är "network"), med en avtagande vikt med avståndet (tvåstegsmetoden
# med Gauss-avklingning). Högre värde betyder
# mer personal per invånare inom räckhåll.

# %%
bases = notebook.home_care_bases(services)
if bases is not None:
    reach = access.costs(
        cells,
        bases,
        method=method,
        network=inputs.roads,
        max_cost_m=catchment_km * 1000,
        snap_speed_kmh=snap_speed_kmh,
    )
    per_cell, per_area = access.two_step_fca(cells, bases, reach, max_cost_m=catchment_km * 1000)
    caption = captions.best_access(per_area, lang=lang)
    with plots.house_style():
        fig, ax = plt.subplots(figsize=plots.map_figsize(nb.county_code))
        plots.score_map(
            per_cell,
            cells=cells,
            services=bases,
            county_code=nb.county_code,
            period=period,
            lang=lang,
            ax=ax,
            source=nb.source,
        )
        nb.outputs.figure(fig, "avstand_2sfca", caption=caption, source=nb.source)
        plt.show()
    nb.outputs.table(per_area.round(6), "avstand_2sfca")
    print(caption)

# %% [markdown]
# ## Scenario: 10 % digitala hemtjänstbesök
#
# Om en andel av hemtjänstens besök görs digitalt (nattillsyn med kamera, videobesök) sparas
# resor från utgångspunkten till brukaren och tillbaka, längs vägnätet med restiden därifrån
# när metoden är "network". Antagandena – besök per månad,
# andel digitala besök, hastighet – är parametrar. Här antas varje invånare 80 år och äldre
# motsvara en brukare med 30 besök i månaden, uppskattat som en tiondel av rutans 70+.
# Staplarna visar sparade kilometer och timmar per 1 000 invånare, så att kommuner av olika
# storlek kan jämföras; kommunernas summor står i tabellen.

# %%
if bases is not None:
    clients = notebook.home_care_clients(cells)
    trips = access.nearest(
        clients,
        bases,
        method=method,
        network=inputs.roads,
        weight=inputs.weight,
        snap_speed_kmh=snap_speed_kmh,
    )
    savings = access.travel_savings(clients, trips, digital_share=digital_share)
    caption = captions.travel_savings(savings, digital_share=digital_share, lang=lang)
    with plots.house_style():
        fig, ax = plt.subplots(figsize=(8, 0.35 * len(savings) + 1.5))
        plots.savings_bars(savings, per=1000, period=period, lang=lang, ax=ax, source=nb.source)
        nb.outputs.figure(fig, "avstand_besparing", caption=caption, source=nb.source)
        plt.show()
    nb.outputs.table(savings.round(2), "avstand_besparing")
    print(caption)

# %% [markdown]
# ## Bredband: var kan e-tjänster ersätta resan?
#
# Varje befolkningsruta delas i fyra klasser efter restiden till närmaste vårdcentral och
# tillgången till fast bredband (PTS bredbandskartläggning): nära; långt bort men uppkopplad
# (där en e-tjänst kan ersätta resan); långt bort och inte uppkopplad (risk för digitalt
# utanförskap); långt bort med okänd uppkoppling. Har rutan ingen egen uppgift används
# kommunens andel hushåll med bredband som sannolikhet, och antalen blir förväntade värden.
# Små antal döljs.

# %%
from ehalsa_analys import load
from ehalsa_analys.demo import broadband as demo_broadband

broadband = load.broadband_folder(
    demo_broadband.folder(
        nb.data_dir, broadband_dir=broadband_dir, synthetic=nb.synthetic, seed=seed
    )
)  # PTS per kommun, egna rutor (rutor/) och kandidater (kandidater/), None när de saknas
reach_kind = notebook.map_kind(kinds, preferred=reach_kind)
reach = access.digital_reach(
    distances,
    kind=reach_kind,
    broadband=broadband.shares,
    cell_broadband=access.broadband_per_cell(broadband.points, cells),
    thresholds_min=thresholds_min,
    thresholds_km=thresholds_km,
    speed_mbit=speed_mbit,
)
reach_published = access.publishable_reach(access.reach_counts(reach))
nb.outputs.table(reach_published, "bredband_klasser")
findings = plots.reach_findings(
    reach_published,
    county_code=nb.county_code,
    threshold=reach_threshold,
    speed_mbit=speed_mbit,
    lang=lang,
)
reach_source = plots.reach_source(nb.source, synthetic=nb.synthetic, lang=lang)
reach_period = notebook.broadband_period(period, broadband.shares, lang=lang)
with plots.house_style():
    fig, ax = plt.subplots(figsize=plots.map_figsize(nb.county_code))
    plots.reach_map(
        reach,
        cells=cells,
        threshold=reach_threshold,
        county_code=nb.county_code,
        period=reach_period,
        lang=lang,
        ax=ax,
        source=reach_source,
    )
    nb.outputs.figure(fig, "bredband_karta", caption=findings.text, source=reach_source)
    plt.show()
print(findings.text)

# %% [markdown]
# ### Klasserna per kommun
#
# Andel av invånarna i varje klass; kommunen med störst andel långt bort utan uppkoppling
# står överst. Dolda klasser (färre än 5 personer) ritas tillsammans i grått.

# %%
with plots.house_style():
    fig, ax = plt.subplots(figsize=(8, 0.35 * reach_published["municipality_code"].nunique() + 1.5))
    plots.reach_bars(
        reach_published,
        threshold=reach_threshold,
        period=reach_period,
        lang=lang,
        ax=ax,
        source=reach_source,
    )
    nb.outputs.figure(fig, "bredband_staplar", caption=findings.text, source=reach_source)
    plt.show()
plots.reach_table(reach_published, threshold=reach_threshold, lang=lang)

# %% [markdown]
# ## Digitala servicepunkter: var når de flest äldre?
#
# Bland kandidaterna – kommunhus, bibliotek och byar över en viss storlek – väljs 1, 2, …
# platser för ett rum med videolänk till vårdcentralen, så att så många invånare 70 år och
# äldre som möjligt har en servicepunkt eller en vårdcentral inom räckhåll (maximal
# täckning, PySAL spopt, på restiderna längs vägnätet). Kurvan visar hur nyttan avtar.

# %%
if broadband.candidates is not None:
    candidates = nb.in_county(broadband.candidates)
    site_reach = access.site_costs(
        cells,
        candidates,
        within_min=sites_within,
        within_km=sites_within,
        method=method,
        network=inputs.roads,
        weight=inputs.weight,
        snap_speed_kmh=snap_speed_kmh,
    )
    choice = access.choose_sites(
        cells,
        candidates,
        site_reach,
        k=range(1, sites_k + 1),
        existing=distances[distances["kind"] == reach_kind],
        weight="population_70plus",
    )
    caption = plots.sites_text(
        choice,
        threshold=sites_within,
        unit=reach.attrs["unit"],
        kind=reach_kind,
        weight="70+",
        lang=lang,
    )
    with plots.house_style():
        fig, ax = plt.subplots(figsize=(8, 5))
        plots.sites_curve(
            choice.curve,
            base=choice.base,
            threshold=sites_within,
            unit=reach.attrs["unit"],
            kind=reach_kind,
            weight="70+",
            period=period,
            lang=lang,
            ax=ax,
            source=reach_source,
        )
        nb.outputs.figure(fig, "bredband_servicepunkter", caption=caption, source=reach_source)
        plt.show()
    nb.outputs.table(choice.chosen, "bredband_servicepunkter")
    print(caption)

# %% [markdown]
# ## Vad kostar en nedläggning?
#
# Om en vårdcentral läggs ned (som standard den vars invånare har längst dit)
# får fler långt till närmaste vårdcentral. Tabellen visar per kommun hur många som hamnar
# bortom varje gräns, resandet som tillkommer och vad en digital andel av besöken
# (parametern digital_share) skulle spara efteråt.

# %%
closed = closed_services or [
    access.served_by(distances, kind=reach_kind, order="remote")["service_id"].iloc[0]
]  # default: the service whose people live farthest
impact = access.closure_impact(
    cells,
    services,
    closed=closed,
    before=distances,
    method=method,
    network=inputs.roads,
    weight=inputs.weight,
    snap_speed_kmh=snap_speed_kmh,
    thresholds_min=thresholds_min,
    thresholds_km=thresholds_km,
    digital_share=digital_share,
)
closure = access.publishable_closure(impact)
nb.outputs.table(closure.round(1), "bredband_nedlaggning")
print(
    plots.closure_text(
        closure, threshold=reach_threshold, unit=reach.attrs["unit"], services=closed, lang=lang
    )
)
closure.round(1)
