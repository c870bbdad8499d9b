"""Figures: tidy frames in, Axes out, Swedish by default.

One module per domain (``maps``, ``maturity``, ``survey``, ``access``,
``monitoring``; ``summary`` for the county summary) over a shared ``style``;
everything public is re-exported here, so ``plots.heatmap`` and ``plots.save``
are all a notebook needs.

The shared rules (theme, colour-blind safe palettes, Swedish numbers, source
line, deterministic saving) are described in :mod:`.style`; the Swedish
number and quarter text (``format_number``, ``quarter_label``) comes from
:mod:`ehalsa_analys.formatting` and is re-exported here.

Example
-------
>>> import matplotlib.pyplot as plt
>>> with house_style():
...     fig, ax = plt.subplots()
...     ax = municipality_map(county_code="18", ax=ax)
>>> format_number(12345.6, decimals=1)
'12\\xa0345,6'
"""

from ..formatting import format_number, quarter_label
from .access import (
    cell_map,
    class_bars,
    cumulative_curves,
    cumulative_panels,
    label_municipalities,
    savings_bars,
    score_map,
)
from .maps import choropleth, map_figsize, municipality_map
from .maturity import (
    change_dumbbell,
    development_table,
    dispersion_strip,
    gap_bars,
    gap_panels,
    lika_label,
    maturity_heatmap,
    maturity_heatmap_figure,
    maturity_map,
)
from .monitoring import (
    its_chart,
    spc_chart,
    spc_small_multiples,
    summary_table,
)
from .reach import (
    REACH_COLOURS,
    ReachFindings,
    closure_text,
    reach_bars,
    reach_findings,
    reach_map,
    reach_source,
    reach_table,
    sites_curve,
    sites_text,
)
from .style import (
    LABELS,
    PALETTE,
    RANK_COLOURS,
    SEQUENTIAL,
    add_source,
    colour_bar,
    figure_legend,
    house_style,
    number_formatter,
    place_source,
    save,
)
from .summary import county_vs_nation, index_bars, signal_bars, threshold_bars
from .survey import (
    adoption_curves,
    slope_chart,
    survey_map,
    survey_small_multiples,
    tile_chart,
)

__all__ = [
    "PALETTE",
    "SEQUENTIAL",
    "RANK_COLOURS",
    "LABELS",
    "house_style",
    "format_number",
    "number_formatter",
    "add_source",
    "choropleth",
    "municipality_map",
    "map_figsize",
    "maturity_heatmap",
    "maturity_heatmap_figure",
    "gap_bars",
    "gap_panels",
    "lika_label",
    "dispersion_strip",
    "change_dumbbell",
    "development_table",
    "maturity_map",
    "quarter_label",
    "spc_chart",
    "spc_small_multiples",
    "its_chart",
    "summary_table",
    "save",
    "cell_map",
    "class_bars",
    "cumulative_curves",
    "cumulative_panels",
    "label_municipalities",
    "savings_bars",
    "score_map",
    "adoption_curves",
    "tile_chart",
    "survey_small_multiples",
    "slope_chart",
    "survey_map",
    "index_bars",
    "threshold_bars",
    "county_vs_nation",
    "signal_bars",
    "colour_bar",
    "figure_legend",
    "place_source",
    "reach_map",
    "reach_bars",
    "sites_curve",
    "reach_table",
    "reach_findings",
    "ReachFindings",
    "REACH_COLOURS",
    "closure_text",
    "sites_text",
    "reach_source",
]
