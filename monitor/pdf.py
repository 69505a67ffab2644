"""PDF rendering: a Jinja print template from `templates/reports/` plus plain values -> PDF bytes.

The glue between the report builders and WeasyPrint, with the safety rules of DESIGN.md section 5:

- **Only our own static files are fetched.** `StaticOnlyFetcher` serves `static:<path>` URLs from
  `monitor/static/` (fonts, CSS, images) and small `data:` raster images; it refuses everything
  else (`file:`, `http:`, `https:`, `ftp:`, SVG or CSS `data:` URLs, relative URLs). A refused URL
  does not stop the render: the resource simply does not load and a warning is logged.
- **A time limit per render.** The render runs in a worker thread; when it exceeds `timeout` the
  thread is interrupted and `ReportTimeout` is raised in the caller.
- **Everything user-written is escaped.** The Jinja environment autoescapes every template; the only
  markup that passes unescaped is ours (`Markup`, such as a chart's SVG).

Parsed print CSS and the font configuration are cached at module level (one `FontConfiguration`,
one `CSS`), so a warm render only lays out the document. Renders share that cache and are therefore
serialised by a lock; WeasyPrint is CPU-bound Python, so under the GIL this costs no throughput.
Run many reports in parallel with processes (the task queue's workers), not threads.
"""

from __future__ import annotations

import base64
import binascii
import ctypes
import dataclasses
import logging
import re
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import unquote, unquote_to_bytes, urlsplit

import weasyprint
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from monitor.formatting import FILTERS

__all__ = [
    "REPORTS_DIR",
    "STATIC_DIR",
    "RefusedURL",
    "ReportTimeout",
    "StaticOnlyFetcher",
    "html_to_pdf",
    "render_html",
    "render_pdf",
    "reset_cache",
]

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
REPORTS_DIR = ROOT / "templates" / "reports"
STATIC_DIR = Path(__file__).resolve().parent / "static"
PRINT_CSS = REPORTS_DIR / "print.css"

#: what `static:` URLs may point to, with the content type served
STATIC_TYPES = {
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".css": "text/css",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}
MAX_STATIC_BYTES = 4 * 1024 * 1024
#: `data:` URLs are allowed for small raster images only (a logo a builder embeds); not for SVG or
#: CSS, which could pull in further resources or restyle the report
DATA_IMAGE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif"})
MAX_DATA_BYTES = 256 * 1024

#: after the time limit, how long to keep interrupting a render before giving up on it
_STOP_GRACE = 5.0
_INTERRUPT_EVERY = 0.05


class ReportTimeout(Exception):
    """A render took longer than its time limit and was stopped."""


class RefusedURL(ValueError):
    """The report fetcher does not serve this URL (it is not one of our static files)."""


class _Interrupted(BaseException):
    """Raised inside the render thread to stop it.

    A BaseException so that the `except Exception` blocks in WeasyPrint and Jinja do not swallow
    it; it never leaves the render thread (the caller sees ReportTimeout).
    """


# -- the URL fetcher -------------------------------------------------------------------------------


class StaticOnlyFetcher(URLFetcher):
    """Serves `static:<path>` from `monitor/static/` and small data: images; refuses the rest.

    WeasyPrint catches the RefusedURL a refusal raises and renders without the resource.
    """

    def __init__(self, static_dir: Path = STATIC_DIR) -> None:
        super().__init__(timeout=1, allowed_protocols=(), allow_redirects=False)
        self.static_dir = Path(static_dir).resolve()

    def fetch(self, url: str, headers: Mapping[str, str] | None = None) -> URLFetcherResponse:
        """The response for an allowed URL; RefusedURL for anything else (never the network)."""
        scheme = url.split(":", 1)[0].lower() if ":" in url else ""
        try:
            if scheme == "static":
                path = self.static_path(url)
                content_type = STATIC_TYPES[path.suffix.lower()]
                return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})
            if scheme == "data":
                content_type, body = _decode_data_url(url)
                return URLFetcherResponse(url, body, {"Content-Type": content_type})
            raise RefusedURL(f"only static: URLs are served, not {scheme or 'relative'} URLs")
        except RefusedURL as exc:
            log.warning("report fetcher refused a %s URL: %s", scheme or "relative", exc)
            raise

    def static_path(self, url: str) -> Path:
        """The file a `static:` URL names, if it is one we serve; else RefusedURL."""
        rest = url.split(":", 1)[1].split("?", 1)[0].split("#", 1)[0]
        rel = unquote(rest).lstrip("/")
        parts = rel.split("/")
        if not rel or "\\" in rel or "\x00" in rel or any(p in ("", ".", "..") for p in parts):
            raise RefusedURL("malformed static path")
        path = (self.static_dir / rel).resolve()
        if not path.is_relative_to(self.static_dir) or not path.is_file():
            raise RefusedURL("no such static file")
        if path.suffix.lower() not in STATIC_TYPES:
            raise RefusedURL(f"static files of type {path.suffix or '(none)'} are not served")
        if path.stat().st_size > MAX_STATIC_BYTES:
            raise RefusedURL("static file too large")
        return path


_DATA_URL = re.compile(r"data:([^,;]*)((?:;[^,;]*)*),(.*)", re.DOTALL | re.IGNORECASE)


def _decode_data_url(url: str) -> tuple[str, bytes]:
    match = _DATA_URL.fullmatch(url)
    if not match:
        raise RefusedURL("malformed data URL")
    content_type = (match[1] or "text/plain").strip().lower()
    if content_type not in DATA_IMAGE_TYPES:
        raise RefusedURL(f"data URLs of type {content_type} are not served")
    payload = match[3]
    if len(payload) > MAX_DATA_BYTES * 2:
        raise RefusedURL("data URL too large")
    try:
        if ";base64" in match[2].lower():
            body = base64.b64decode(unquote(payload), validate=False)
        else:
            body = unquote_to_bytes(payload)
    except (binascii.Error, ValueError) as exc:
        raise RefusedURL("undecodable data URL") from exc
    if len(body) > MAX_DATA_BYTES:
        raise RefusedURL("data URL too large")
    return content_type, body


# -- templates -------------------------------------------------------------------------------------

_H2 = re.compile(r"<h2(?P<attrs>(?:\s[^>]*)?)>(?P<inner>.*?)</h2>", re.DOTALL | re.IGNORECASE)
_ID_ATTR = re.compile(r"""\sid\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")


@dataclasses.dataclass(frozen=True)
class OutlineEntry:
    id: str
    title: Markup


@dataclasses.dataclass(frozen=True)
class Outline:
    """The content with an id on every h2, and the h2s in order (for the table of contents)."""

    html: Markup
    entries: list[OutlineEntry]

    def __html__(self) -> str:
        return str(self.html)


def outline(html: str) -> Outline:
    """Give every `<h2>` in `html` an id and list them, so the template can print a TOC.

    An h2 with the class `no-toc` is left out. The input is our own rendered (escaped) template
    output, so the regular expressions see only tags we wrote.
    """
    entries: list[OutlineEntry] = []

    def add_id(match: re.Match[str]) -> str:
        attrs = match["attrs"] or ""
        if re.search(r"""class\s*=\s*["'][^"']*\bno-toc\b""", attrs):
            return match[0]
        found = _ID_ATTR.search(attrs)
        if found:
            ident = found[1] or found[2]
        else:
            ident = f"hoofdstuk-{len(entries) + 1}"
            attrs = f' id="{ident}"{attrs}'
        title = " ".join(_TAG.sub("", match["inner"]).split())
        entries.append(OutlineEntry(ident, Markup(title)))  # noqa: S704 (already escaped output)
        return f"<h2{attrs}>{match['inner']}</h2>"

    text = _H2.sub(add_id, str(html))
    return Outline(Markup(text), entries)  # noqa: S704 (our own rendered template)


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(REPORTS_DIR)),
        autoescape=True,  # every template, whatever its extension
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=True,
    )
    env.filters.update(FILTERS)
    env.filters["outline"] = outline
    return env


_env = _environment()


def render_html(template_name: str, context: Mapping[str, Any]) -> str:
    """The HTML of a print template; useful for tests and for looking at a report in a browser."""
    _check_plain(context)
    return _env.get_template(template_name).render(**context)


def _check_plain(value: Any, path: str = "context", depth: int = 0) -> None:
    """Refuse ORM objects in a report context (reports get plain values, DESIGN.md section 2)."""
    if depth > 12:
        return
    if hasattr(value, "_sa_instance_state"):
        raise TypeError(f"{path} is a database object ({type(value).__name__}); pass plain values")
    if isinstance(value, Mapping):
        for key, item in value.items():
            _check_plain(item, f"{path}[{key!r}]", depth + 1)
    elif isinstance(value, list | tuple | set | frozenset):
        for i, item in enumerate(value):
            _check_plain(item, f"{path}[{i}]", depth + 1)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            _check_plain(getattr(value, field.name), f"{path}.{field.name}", depth + 1)


# -- cached WeasyPrint resources -------------------------------------------------------------------


@dataclasses.dataclass
class _Resources:
    font_config: FontConfiguration
    css: weasyprint.CSS
    css_mtime: float


_resources: _Resources | None = None
_render_lock = threading.Lock()


def _get_resources() -> _Resources:
    """The parsed print CSS and its font configuration, built once (again if print.css changed).

    Called with the render lock held.
    """
    global _resources
    mtime = PRINT_CSS.stat().st_mtime
    if _resources is None or _resources.css_mtime != mtime:
        font_config = FontConfiguration()
        css = weasyprint.CSS(
            string=PRINT_CSS.read_text(encoding="utf-8"),
            font_config=font_config,
            url_fetcher=StaticOnlyFetcher(),
            media_type="print",
        )
        _resources = _Resources(font_config, css, mtime)
    return _resources


def reset_cache() -> None:
    """Drop the cached CSS and font configuration (rebuilt on the next render)."""
    global _resources
    with _render_lock:
        _resources = None


# -- rendering -------------------------------------------------------------------------------------


def render_pdf(template_name: str, context: dict[str, Any], *, timeout: float = 60) -> bytes:
    """Render `templates/reports/<template_name>` with `context` (plain values) to PDF bytes.

    Raises ReportTimeout when the whole render (template and layout) takes longer than `timeout`
    seconds, TypeError when the context holds database objects, and jinja2 errors for a missing
    template or an undefined variable.
    """
    _check_plain(context)
    template = _env.get_template(template_name)
    context = dict(context)

    def work(deadline: float) -> bytes:
        return _write_pdf(template.render(**context), deadline)

    return _with_time_limit(work, timeout, template_name)


def html_to_pdf(html: str, *, timeout: float = 60) -> bytes:
    """Render a complete HTML document (already escaped) to PDF with the report CSS and fetcher."""
    return _with_time_limit(lambda deadline: _write_pdf(html, deadline), timeout, "HTML document")


def _write_pdf(html: str, deadline: float) -> bytes:
    if not _render_lock.acquire(timeout=max(0.0, deadline - time.monotonic())):
        raise _Interrupted
    try:
        resources = _get_resources()
        document = weasyprint.HTML(
            string=html, base_url=None, url_fetcher=StaticOnlyFetcher(), media_type="print"
        )
        rendered = document.render(stylesheets=[resources.css], font_config=resources.font_config)
        for page in rendered.pages:  # only web and mail links become clickable in the PDF
            page.links = [link for link in page.links if _safe_link(link)]
        return rendered.write_pdf()
    finally:
        _render_lock.release()


#: link schemes a reader may click in a report
SAFE_LINK_SCHEMES = ("http", "https", "mailto")


def _safe_link(link: tuple) -> bool:
    """Internal links (table of contents) and web or mail addresses; never javascript: etc."""
    kind, target = link[0], link[1]
    return kind != "external" or urlsplit(str(target)).scheme.lower() in SAFE_LINK_SCHEMES


T = TypeVar("T")


def _with_time_limit(work: Callable[[float], T], timeout: float, what: str) -> T:
    """Run `work(deadline)` in a worker thread; stop it and raise ReportTimeout after `timeout`.

    The worker is interrupted with an asynchronous exception (`_Interrupted`), repeated until it
    stops, because WeasyPrint swallows exceptions while drawing SVG. Pure-Python work (layout)
    stops within milliseconds; a single long C call only stops when it returns.
    """
    if timeout <= 0:
        raise ValueError("timeout must be positive")
    deadline = time.monotonic() + timeout
    state = {"finished": False}
    box: dict[str, Any] = {}
    state_lock = threading.Lock()

    def target() -> None:
        try:
            try:
                box["value"] = work(deadline)
            except BaseException as exc:  # handed to the caller (or dropped after a timeout)
                box["error"] = exc
            finally:
                # An interrupt sent just before `finished` is set must surface here, in this
                # thread, not linger: so mark finished, then pass a checkpoint where a pending
                # interrupt is raised (a Python call), and repeat if one was.
                while True:
                    try:
                        with state_lock:
                            state["finished"] = True
                        _checkpoint()
                        break
                    except _Interrupted:
                        continue
        except _Interrupted:
            pass

    worker = threading.Thread(target=target, name=f"render {what}", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        give_up = time.monotonic() + _STOP_GRACE
        interrupted = False
        while True:
            with state_lock:
                if state["finished"]:
                    break
                _interrupt(worker.ident)
                interrupted = True
            worker.join(_INTERRUPT_EVERY)
            if not worker.is_alive():
                break
            if time.monotonic() > give_up:
                log.error(
                    "render of %s did not stop %.0f s after its time limit", what, _STOP_GRACE
                )
                break
        if interrupted:
            log.warning("render of %s stopped after its time limit of %g s", what, timeout)
            raise ReportTimeout(f"rendering {what} took longer than the limit of {timeout:g} s")
    error = box.get("error")
    if isinstance(error, _Interrupted):
        raise ReportTimeout(f"rendering {what} took longer than the limit of {timeout:g} s")
    if error is not None:
        raise error
    return box["value"]


def _checkpoint() -> None:
    """A Python call: the interpreter raises a pending asynchronous exception on entering it."""


def _interrupt(thread_id: int) -> None:
    """Raise `_Interrupted` in the thread `thread_id` at its next bytecode checkpoint.

    Never called with NULL to cancel: on Python 3.11 that leaves the interpreter's eval breaker
    set for good (every thread slows down, and a profiler or tracer then hangs).
    """
    ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(thread_id), ctypes.py_object(_Interrupted)
    )
