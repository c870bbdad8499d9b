"""Loaders: one module per source, all built on the shared Swedish-file reader."""

from .lika import LIKA_STATUSES as LIKA_STATUSES
from .lika import LikaInstrumentWarning as LikaInstrumentWarning
from .lika import lika as lika
from .lika import lika_instrument as lika_instrument
from .monitoring import MonitoringMetricWarning as MonitoringMetricWarning
from .monitoring import events as events
from .monitoring import metric_catalogue as metric_catalogue
from .monitoring import monitoring as monitoring
from .monitoring import parse_quarter as parse_quarter
from .numbers import MISSING_MARKERS as MISSING_MARKERS
from .numbers import SUPPRESSED_MARKERS as SUPPRESSED_MARKERS
from .numbers import marker_status as marker_status
from .numbers import parse_numbers as parse_numbers
from .personal import check_personal_numbers as check_personal_numbers
from .personal import holds_personal_numbers as holds_personal_numbers
from .personal import is_personal_number as is_personal_number
from .personal import personal_number_mask as personal_number_mask
from .reader import ALIASES as ALIASES
from .reader import FOOTNOTE_PATTERN as FOOTNOTE_PATTERN
from .reader import KEY_COLUMNS as KEY_COLUMNS
from .reader import NATIONAL_NAMES as NATIONAL_NAMES
from .reader import SUPPORTED_SUFFIXES as SUPPORTED_SUFFIXES
from .reader import column_key as column_key
from .reader import read_table as read_table
