"""The regional report and the quarterly monitoring rerun: notebooks in, figures and HTML out.

:mod:`.runner` runs the notebooks of :data:`PARTS` (:mod:`.parts`) with papermill and swaps the
results in (:func:`run`, behind ``ehalsa report``), :mod:`.render` writes report.html from a
Jinja2 template (:func:`write_html`), :mod:`.quarterly` is ``ehalsa monitor``
(:func:`monitor_quarter`), :mod:`.nation` is ``ehalsa report --county all`` (:func:`run_all`).
What the report says beyond its figures: :mod:`.collect` computes the numbers once (through the
same suppression as the figures), :mod:`.frontpage`, :mod:`.findings`, :mod:`.tables` (the
Kolada-style tables, :data:`~.tables.CHAPTER_TABLES`) and :mod:`.profiles` (one per
municipality, :data:`~.profiles.PROFILE_SECTIONS`) shape it, :mod:`.images` compresses the
figures and :mod:`.pdf` draws the PDFs. Everything public is re-exported here.

Example
-------
>>> from ehalsa_analys import report
>>> [part.notebook for part in report.PARTS][:2]
['05_regional_rapport.ipynb', '01_lika_mognad.ipynb']
"""

from .nation import run_all
from .parts import PARTS, RUN_ORDER, Part
from .quarterly import monitor_quarter
from .render import write_html
from .runner import ReportError, run

__all__ = [
    "Part",
    "PARTS",
    "RUN_ORDER",
    "ReportError",
    "run",
    "run_all",
    "write_html",
    "monitor_quarter",
]
