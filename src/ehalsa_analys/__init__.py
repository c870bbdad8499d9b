"""ehalsa_analys: e-health and welfare technology in Swedish municipalities.

Loaders for LIKA self-assessments, Socialstyrelsen's yearly e-health survey,
Kolada KPI data and rural distance-to-service data; indicators for maturity
gaps, distance to service and effect monitoring; figures in Swedish.

Example
-------
>>> from ehalsa_analys import reference
>>> reference.resolve_municipality("Lindesbergs kommun")
'1885'
"""

__version__ = "0.1.0"
