"""Loaders: one function per source, all built on the shared Swedish-file reader.

Each loader returns a tidy table (:mod:`ehalsa_analys.schemas`). The sources'
code sits in private modules (``_lika``, ``_socialstyrelsen``, ``_monitoring``,
``_roads``, ``_osm`` for OpenStreetMap extracts) and in ``rural``; the shared
reader's parts in ``reader``, ``numbers`` and ``personal``. Kolada has two verbs, so it is a module:
``load.kolada.read(path)`` reads saved pages, ``load.kolada.fetch(...)``
downloads them.
"""

from . import kolada
from ._broadband import (
    BroadbandInputs,
    broadband,
    broadband_folder,
    broadband_points,
    candidates,
)
from ._lika import LikaInstrumentWarning, lika, lika_instrument
from ._monitoring import (
    MonitoringMetricWarning,
    events,
    metric_catalogue,
    monitoring,
    parse_quarter,
)
from ._osm import OSM_SPEEDS, parse_maxspeed, read_osm
from ._roads import RoadGraph, roads
from ._socialstyrelsen import SurveyColumnWarning, indicator_catalogue, socialstyrelsen
from .kolada import KoladaError
from .personal import check_personal_numbers
from .reader import read_table
from .rural import parse_grid_id, pipos, population, services

__all__ = [
    # loaders, one per source
    "lika",
    "socialstyrelsen",
    "kolada",
    "monitoring",
    "population",
    "services",
    "pipos",
    "roads",
    "broadband",
    "broadband_points",
    "candidates",
    "broadband_folder",
    "BroadbandInputs",
    # catalogues and logs shipped with the package or kept beside the data
    "lika_instrument",
    "indicator_catalogue",
    "metric_catalogue",
    "events",
    # the shared reader and helpers for users' own files
    "read_table",
    "read_osm",
    "parse_maxspeed",
    "OSM_SPEEDS",
    "parse_quarter",
    "parse_grid_id",
    "check_personal_numbers",
    # types, warnings and errors
    "RoadGraph",
    "KoladaError",
    "LikaInstrumentWarning",
    "MonitoringMetricWarning",
    "SurveyColumnWarning",
]
