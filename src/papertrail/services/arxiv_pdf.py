"""Downloading arXiv PDFs: `papertrail fetch --pdf`, `add ID --pdf`.

    GET {PAPERTRAIL_ARXIV_PDF}/{arxiv id}{vN}     e.g. https://export.arxiv.org/pdf/1510.00149v5

What arXiv sends and what each answer means here:
- 200, a body starting %PDF- (whatever the Content-Type says): the paper;
- 200 text/html "PDF for ID" with a 10 s refresh: arXiv is still making the PDF from the
  source. Never stored (a script that did not check committed fixture 11, such a page);
  `Retry`: that paper fails this time, the batch goes on;
- 403 or 429, or "Access Denied" (arXiv's robot detection): `Refused`, an ArxivUnavailable
  that stops the batch; asking again at once would only make it worse;
- 404: no PDF for that id or version (withdrawn, a version that does not exist);
- anything else that is not a PDF, or over the size cap: that paper fails, in one line.

arXiv's rules for programmatic access are kept as the API client keeps them: the same
HttpClient (services/http.py) with arXiv's spacing, at least 3 s between request starts
across processes (the same stamp file as the API), one connection, the identifying
User-Agent, export.arxiv.org (the host meant for programs). The body is capped (arXiv's
own submission limit is 50 MB) and given to the caller whole; the caller stores it
(files/store.py writes atomically) and records it at once, which is what lets a batch
resume where it stopped.
"""

from __future__ import annotations

from pathlib import Path
from types import TracebackType

import httpx

from papertrail.errors import ArxivUnavailable, PapertrailError
from papertrail.model.filetypes import SNIFF_BYTES, arxiv_html_stub_id, describe_non_pdf, is_pdf
from papertrail.services.http import HttpClient, Reply, Service

DEFAULT_PDF_BASE = "https://export.arxiv.org/pdf"
MAX_PDF_BYTES = 60_000_000


class PdfNotAvailable(PapertrailError):
    """No PDF for this paper now (404, not a PDF, too large); the batch goes on."""


class Retry(PdfNotAvailable):
    """arXiv is still making the PDF: try again later."""


class Refused(ArxivUnavailable):
    """arXiv refused us (robot detection, 403/429): the batch stops."""


def pdf_url(base: str, arxiv_id: str, version: int | None = None) -> str:
    """{base}/{id}{vN}: the version the library holds (the PDF then matches the stored
    metadata), else arXiv's latest."""
    return f"{base.rstrip('/')}/{arxiv_id}" + (f"v{version}" if version else "")


def check_reply(status: int, content_type: str, head: bytes) -> None:
    """Raise what a reply means when it is not a PDF to store (see the module)."""
    if status == 200 and is_pdf(head):
        return
    stub = arxiv_html_stub_id(head)
    if status == 200 and stub:
        raise Retry(f"arXiv is still making the PDF of {stub}; try again in a minute")
    if status in (403, 429) or b"Access Denied" in head[:SNIFF_BYTES]:
        raise Refused(f"arXiv refused the download (HTTP {status}); wait before trying again")
    if status == 404:
        raise PdfNotAvailable("arXiv has no PDF for it (HTTP 404)")
    if status != 200:
        raise PdfNotAvailable(f"arXiv answered HTTP {status}")
    kind = content_type.split(";")[0].strip() or "no content type"
    raise PdfNotAvailable(f"arXiv sent {describe_non_pdf(head)} ({kind}), not a PDF")


def _pdf_body(reply: Reply) -> bytes:
    check_reply(reply.status, reply.headers.get("content-type", ""), reply.body[:SNIFF_BYTES])
    return reply.body


class PdfTooLarge(PdfNotAvailable):
    """An answer over the cap: that paper fails, the batch goes on."""


class ArxivPdfClient:
    """One PDF at a time from arXiv's PDF service (see the module's docstring)."""

    def __init__(
        self,
        base: str = DEFAULT_PDF_BASE,
        delay: float = 3.0,
        *,
        timeout: float = 120.0,
        spacing_file: Path | None = None,
        offline: bool = False,
        max_bytes: int | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.base = base
        self.max_bytes = max_bytes or MAX_PDF_BYTES  # read here: a test may lower it
        service = Service(
            "arXiv",
            delay=delay,
            timeout=timeout,
            spacing_file=spacing_file,
            headers={"Accept": "application/pdf"},
            offline=offline,
            error=ArxivUnavailable,
            url_setting="PAPERTRAIL_ARXIV_PDF",
            too_large=PdfTooLarge,
        )
        self.http = HttpClient(service, transport=transport)

    def __enter__(self) -> ArxivPdfClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.http.close()

    def download(self, arxiv_id: str, version: int | None = None) -> bytes:
        """The PDF's bytes; PdfNotAvailable (Retry) for this paper, ArxivUnavailable
        (Refused) when arXiv cannot be asked any more now."""
        url = pdf_url(self.base, arxiv_id, version)
        return self.http.get(url, _pdf_body, max_bytes=self.max_bytes)
