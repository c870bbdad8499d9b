"""Distance to service: the cost step once, then the measures that read it.

Two functions measure, by straight line or along a :class:`~ehalsa_analys.load.RoadGraph`
in metres or seconds, from population cells to services (the tidy tables of
:mod:`ehalsa_analys.schemas`, both in EPSG:3006): :func:`nearest` gives each
cell's cost to its nearest service of each kind, :func:`costs` the long
(origin, dest, cost) table of every pair within reach, as PySAL's access
does. The measures only read those tables: :func:`summarise` and
:func:`distance_classes` (Pipos' shape) and :func:`travel_savings` read the
nearest table, :func:`two_step_fca` the cost table, so imported travel
times can stand in for ours. Each method is described in its function's
Notes; :func:`publishable_summary` and :func:`publishable_classes` mask the
small counts of both tables before they are published; the search engine
(KD-trees, dask chunks, Dijkstra) is private.

Example
-------
>>> import geopandas as gpd
>>> cells = gpd.GeoDataFrame({"cell_id": [1, 2], "population": [10.0, 5.0],
...     "municipality_code": "1880"},
...     geometry=gpd.points_from_xy([515000, 518000], [6566000, 6570000]), crs=3006)
>>> services = gpd.GeoDataFrame({"service_id": ["s"], "kind": "apotek", "capacity": 1.0},
...     geometry=gpd.points_from_xy([515000], [6566000]), crs=3006)
>>> nearest(cells, services)[["cell_id", "kind", "distance", "service_id"]]
   cell_id    kind  distance service_id
0        1  apotek       0.0          s
1        2  apotek    5000.0          s
>>> reach = costs(cells, services, max_cost_m=10_000)
>>> two_step_fca(cells, services, reach, max_cost_m=10_000, decay=None)[0]["score"].round(4)
0    0.0667
1    0.0667
Name: score, dtype: float64
"""

from ._closure import closure_impact, publishable_closure, served_by
from ._costs import costs, nearest
from ._fca import two_step_fca
from ._published import publishable_classes, publishable_summary
from ._reach import (
    REACH_CLASSES,
    broadband_per_cell,
    broadband_probability,
    digital_reach,
    publishable_reach,
    reach_counts,
)
from ._savings import travel_savings
from ._sites import SiteChoice, choose_sites, site_costs
from ._summaries import (
    GROUPS,
    THRESHOLDS_KM,
    THRESHOLDS_MIN,
    TIME_CLASSES_MIN,
    distance_classes,
    summarise,
)

__all__ = [
    "nearest",
    "costs",
    "summarise",
    "distance_classes",
    "publishable_summary",
    "publishable_classes",
    "two_step_fca",
    "travel_savings",
    "TIME_CLASSES_MIN",
    "THRESHOLDS_KM",
    "THRESHOLDS_MIN",
    "GROUPS",
    "digital_reach",
    "reach_counts",
    "publishable_reach",
    "broadband_probability",
    "broadband_per_cell",
    "REACH_CLASSES",
    "closure_impact",
    "publishable_closure",
    "choose_sites",
    "SiteChoice",
    "site_costs",
    "served_by",
]
