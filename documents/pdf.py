"""HTML templates to PDF with WeasyPrint. Only ever called from Celery tasks.

The renderer fetches nothing from the network or the disk: documents are built
from the database alone (charts are inline SVG data URIs), so a user's text can
never make the worker read a file or call a URL.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass

from django.template.loader import render_to_string

# WeasyPrint reports every layout step at INFO; the worker's log keeps its warnings.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


@dataclass
class Rendered:
    pdf: bytes
    pages: int

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.pdf).hexdigest()


def render_pdf(template_name: str, context: dict) -> Rendered:
    # Imported here: web processes load this module but never render.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    html = render_to_string(template_name, context)
    document = HTML(string=html, url_fetcher=URLFetcher(allowed_protocols={"data"})).render()
    return Rendered(pdf=document.write_pdf(), pages=len(document.pages))
