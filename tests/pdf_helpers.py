"""Helpers for tests that read PDFs back or watch what the report renderer fetches."""

from __future__ import annotations

import http.server
import io
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from jinja2 import ChoiceLoader, DictLoader
from pypdf import PdfReader

from monitor import pdf


def page_texts(data: bytes) -> list[str]:
    """The text of each page of a PDF."""
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def pdf_text(data: bytes) -> str:
    """All text of a PDF, whitespace collapsed to single spaces."""
    return re.sub(r"\s+", " ", " ".join(page_texts(data)))


class FetchSpy:
    """Records every URL the report fetcher is asked for, and whether it served it."""

    def __init__(self, monkeypatch) -> None:
        self.calls: list[tuple[str, bool]] = []
        original = pdf.StaticOnlyFetcher.fetch

        def fetch(fetcher, url, headers=None):
            try:
                response = original(fetcher, url, headers)
            except pdf.RefusedURL:
                self.calls.append((url, False))
                raise
            self.calls.append((url, True))
            return response

        monkeypatch.setattr(pdf.StaticOnlyFetcher, "fetch", fetch)

    @property
    def served(self) -> list[str]:
        return [url for url, ok in self.calls if ok]

    @property
    def refused(self) -> list[str]:
        return [url for url, ok in self.calls if not ok]

    @property
    def not_static(self) -> list[str]:
        """URLs asked for that are not our own static files (there should be none)."""
        return [url for url, _ in self.calls if not url.startswith("static:")]


def add_templates(monkeypatch, templates: dict[str, str]) -> dict[str, str]:
    """Let a test render its own print templates next to templates/reports/ (they may extend
    base.html); returns the dict, to which more templates may be added."""
    monkeypatch.setattr(pdf._env, "loader", ChoiceLoader([DictLoader(templates), pdf._env.loader]))
    return templates


@contextmanager
def counting_http_server(
    body: bytes = b"body { display: none }",
) -> Iterator[tuple[str, list[str]]]:
    """A local HTTP server that records the paths it is asked for (a report must ask none);
    yields its base URL and that list."""
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", hits
    finally:
        server.shutdown()
        server.server_close()
