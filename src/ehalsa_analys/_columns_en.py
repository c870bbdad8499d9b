"""English headings and descriptions of report tables' columns (for reports with lang="en").

The English counterparts of the Swedish texts in :mod:`ehalsa_analys.store`: plain data, no
logic. :data:`REPORT_COLUMNS_EN` mirrors ``store.REPORT_COLUMNS``, :data:`PER_TABLE_EN` mirrors
``store._PER_TABLE`` and :data:`TRAVEL_TEXT_EN` mirrors ``store._TRAVEL_TEXT``, each with the same
keys and (heading, description) per column; the kind (share, score, count, number, text) is
not repeated here, it stays in ``store``. :data:`CLOSURE_TEXT_EN` gives the words that
``store._column_meta`` puts into the headings it composes for a closure's columns (its
``_COMPOSED`` table holds those headings in both languages).
"""

from __future__ import annotations

#: Column id -> (English heading, English description); same keys as ``store.REPORT_COLUMNS``.
#: Codes and values the data hold (all, urban, primary, near, …) are kept as they are.
REPORT_COLUMNS_EN: dict[str, tuple[str, str]] = {
    "municipality_code": ("Municipality code", "The municipality's code (four characters)"),
    "kommun": ("Municipality", "The municipality's name"),
    "municipality": ("Municipality", "The municipality's name"),
    "mått": ("Metric", "The metric's name"),
    "metric": ("Metric", "The metric's name"),
    "metric_id": ("Metric id", "The metric's id in the catalogue"),
    "indicator_id": ("Key figure id", "The id of the key figure or indicator"),
    "indicator": ("Indicator", "The indicator's text"),
    "kind": ("Service type", "Type of service"),
    "group": (
        "Population group",
        "all = everyone, urban/rural = urban areas/rural areas, 70+ = aged 70 and over",
    ),
    "population": ("Residents", "Number of residents (hidden if 1–4)"),
    "unreachable": (
        "Off the road network",
        "Residents in grid squares with no road to the service",
    ),
    "mean_km": ("Mean distance, km", "Population-weighted mean distance"),
    "median_km": ("Median distance, km", "The distance within which half of the residents live"),
    "p90_km": ("90th percentile, km", "The distance within which 90% of the residents live"),
    "mean_min": ("Mean travel time, min", "Population-weighted mean travel time by car"),
    "median_min": (
        "Median travel time, min",
        "The travel time within which half of the residents live",
    ),
    "p90_min": ("90th percentile, min", "The travel time within which 90% of the residents live"),
    "suppressed": ("Hidden columns", "Columns hidden to protect small counts"),
    "status": ("Status", "suppressed = hidden to protect small counts; missing = not available"),
    "suppression": (
        "Disclosure control",
        "primary = small count, secondary = hidden to protect another",
    ),
    "lower": ("From", "The class's lower bound (included)"),
    "upper": ("To", "The class's upper bound (not included)"),
    "unit": ("Unit", "Unit"),
    "threshold": ("Threshold", "Far away: at least this far, in the column Unit"),
    "class": (
        "Class",
        "Digital reach: near = near, far_connected = far away and connected, "
        "far_unconnected = far away and not connected, unknown = far away, connection unknown",
    ),
    "people": (
        "Residents",
        "Number of residents in the class, rounded (expected number where the municipality's "
        "share of households with broadband is used)",
    ),
    "total": ("Residents in total", "Number of residents in the group, all classes"),
    "lost_route": (
        "No route after",
        "Residents who had a route to the service before the closure and none after",
    ),
    "share": ("Share, %", "Share in percent"),
    "period": ("Year", "Year or quarter"),
    "quarter": ("Quarter", "The quarter"),
    "level": ("Level", "county = county, nation = the whole country, group = size group"),
    "key": ("Key", "County code, 0000 for the whole country, or the group's name"),
    "binary": ("Yes/No question", "True for Yes/No key figures"),
    "n": ("Number of municipalities", "Municipalities that answered"),
    "n_missing": ("Number not answering", "Municipalities that did not answer"),
    "mean": ("Mean", "Mean of the municipalities"),
    "median": ("Median", "Median of the municipalities"),
    "weighted": ("Population-weighted", "True when the level is weighted by number of residents"),
    "index": ("Maturity index (0–100)", "LIKA maturity index"),
    "score": ("Score (0–100)", "LIKA score"),
    "ci_low": ("Interval, lower", "95% bootstrap interval, lower bound"),
    "ci_high": ("Interval, upper", "95% bootstrap interval, upper bound"),
    "n_scored": ("Answered indicators", "Indicators with a score"),
    "n_unscored": ("Not scored", "Not relevant or blank"),
    "dimension": ("Dimension", "LIKA dimension"),
    "area": ("Area", "LIKA area"),
    "reference": ("Comparison", "What the municipality is compared with"),
    "reference_value": ("Comparison value (0–100)", "The comparison's score"),
    "gap": ("Difference (points)", "The municipality minus the comparison"),
    "gap_low": ("Difference, lower", "The interval's lower bound"),
    "gap_high": ("Difference, upper", "The interval's upper bound"),
    "score_t0": ("Score, first round", "LIKA score 0–100"),
    "score_t1": ("Score, latest round", "LIKA score 0–100"),
    "change": ("Change", "Latest minus first"),
    "exceeds_interval": ("Larger than the uncertainty", "The interval excludes zero"),
    "direction": ("Direction", "The direction of the change"),
    "n_scored_t0": ("Answered, first", "Indicators with a score"),
    "n_scored_t1": ("Answered, latest", "Indicators with a score"),
    "peer_group": ("Peer group", "Group of municipalities with a similar profile"),
    "narmaste": ("Nearest municipalities", "The three most similar municipalities"),
    "priority": ("Priority", "1 = most municipalities below the threshold"),
    "mean_score": ("Mean score (0–100)", "The county's mean score"),
    "n_below": (
        "Municipalities below the threshold",
        "Number of municipalities below the threshold",
    ),
    "n_municipalities": ("Number of municipalities", "Municipalities with an assessment"),
    "weakest_indicator_ids": ("Weakest indicators (id)", "Id"),
    "weakest_indicators": ("Weakest indicators", "The county's weakest indicators"),
    "suggested_activities": ("Suggested activities", "The instrument's suggestions"),
    "suggested_activity": ("Suggested activity", "The instrument's suggestion"),
    "n_indicators": ("Number of key figures", "Key figures in the index"),
    "coverage": ("Coverage, %", "Share of the key figures with a value"),
    "first_year": ("First year", "First year with a value"),
    "last_year": ("Latest year", "Latest year with a value"),
    "n_years": ("Number of years", "Years with a value"),
    "first": ("First value", "The value in the first year"),
    "last": ("Latest value", "The value in the latest year"),
    "adopted": ("Introduced", "True when the answer has gone from No to Yes"),
    "adopted_in": ("Year introduced", "First year with Yes after No"),
    "dropped": ("Discontinued", "True when the answer has gone from Yes to No"),
    "latest_period": ("Latest quarter", "The quarter of the latest value"),
    "latest": ("Latest value", "The metric's latest value (x = hidden)"),
    "baseline": ("Baseline", "The baseline's median"),
    "target": ("Target", "The target value"),
    "share_of_way": ("Share of the way to the target, %", "0 at the baseline, 100 at the target"),
    "met": ("Target met", "True when the latest value reaches the target"),
    "first_met": ("First met", "First quarter that reached the target"),
    "signal": ("Signal", "Improvement or deterioration according to the control chart"),
    "note": ("Note", "New signal this quarter"),
    "value": ("Value", "The value as in the chart (shares 0–1, unrounded)"),
    "term": ("Term", "The regression's term"),
    "estimate": ("Estimate", "Estimated value"),
    "p_value": ("p-value", "p-value"),
    "clients": ("Clients", "Estimated home-care clients"),
    "visits": ("Visits per month", "Home-care visits"),
    "digital_visits": ("Digital visits per month", "Visits that become digital"),
    "km_saved": ("km saved per month", "Trips saved"),
    "hours_saved": ("Hours saved per month", "Time saved"),
    "digital_share": ("Share of digital visits, %", "The scenario's share"),
    "method": ("Method", "network = the road network, euclidean = as the crow flies"),
    "weight": ("Weight", "Travel time or distance"),
    "speed_kmh": ("Speed, km/h", "Assumed speed"),
    "round_trip": ("Round trip", "True when the trip is counted both ways"),
    "detour_factor": ("Detour factor", "Factor applied to the distance"),
    "minutes_saved_per_visit": ("Minutes saved per visit", "Assumption"),
    "staff_per_visit": ("Staff per visit", "Assumption"),
}

#: Table name -> column id -> (English heading, English description); mirrors
#: ``store._PER_TABLE`` (overrides for a column that means something else in one table).
PER_TABLE_EN: dict[str, dict[str, tuple[str, str]]] = {
    "avstand_2sfca": {
        "score": ("Accessibility (2SFCA)", "Home-care staff per resident within reach"),
    },
    "monitor_kvartal": {
        "value": (
            "Value",
            "The latest value as a number, as in Latest value: shares in percent, rounded",
        ),
    },
    "monitor_its_koefficienter": {
        "ci_low": ("Interval, lower", "95% Newey–West interval"),
        "ci_high": ("Interval, upper", "95% Newey–West interval"),
    },
    "lika_jamforelsegrupper": {},
    "bredband_servicepunkter": {
        "k": ("Number of service points", "Number of digital service points chosen"),
        "site_id": ("Site", "Chosen site for a digital service point"),
        "population": ("Residents at the site", "Residents in the site's grid square or village"),
        "x": ("X (SWEREF 99 TM)", "Easting, metres"),
        "y": ("Y (SWEREF 99 TM)", "Northing, metres"),
    },
}

#: Prefix of a ``_TRAVEL`` column (added_km, net_min, …) -> (English name, English text);
#: mirrors ``store._TRAVEL_TEXT``. ``store._column_meta`` adds the unit.
TRAVEL_TEXT_EN: dict[str, tuple[str, str]] = {
    "added": ("Added travel", "Travel that the closure adds, per trip and resident"),
    "saved": ("Saved digitally", "What the digital share of the affected residents' trips saves"),
    "net": ("Net", "Added travel minus saved digitally"),
    "offset_share": (
        "Offsetting digital share",
        "Share of the affected residents' trips that must become digital to save as much",
    ),
}

# --- Words of the headings store._column_meta composes ----------------------------------------

#: ``_CLOSURE`` columns (beyond_before_10min, beyond_after_5km, change_10min): "before",
#: "after" or "change" -> (short, long); mirrors ``store._CLOSURE_TEXT``.
CLOSURE_TEXT_EN: dict[str, tuple[str, str]] = {
    "before": ("before", "before the closure"),
    "after": ("after", "after the closure"),
    "change": ("change", "(change due to the closure)"),
}
