"""PDFs of the report and of each municipality's profile, drawn with fpdf2 (pure Python).

Placeholder replaced below.
"""

from __future__ import annotations


def write_pdfs(content, figures, folder, **kwargs):
    return []
