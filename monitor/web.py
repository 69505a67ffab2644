"""Wiring of the web layer: blueprints, the user loader, security headers, error pages."""

from pathlib import Path

from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFError
from jinja2 import BaseLoader, ChoiceLoader, FileSystemLoader
from werkzeug.routing import IntegerConverter

from monitor.formatting import register_filters
from surveys.db import MAX_DB_INT

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    # Nothing the application builds may be kept by a browser or proxy: pages show invitees,
    # organisations, accounts, the audit log, scans and answers. Static files set their own
    # `Cache-Control: no-cache` (send_file), so they stay cacheable with revalidation.
    "Cache-Control": "no-store",
}


#: starts on an open link (POST /a/<slug>) per client address
OPEN_START_LIMIT = "30 per minute; 300 per hour"


class DatabaseIntConverter(IntegerConverter):
    """`<int:...>` in URLs, but only numbers a database integer column can hold: a larger one
    simply matches no route (404) instead of overflowing in the query."""

    def __init__(self, map, *args, **kwargs) -> None:
        kwargs.setdefault("max", MAX_DB_INT)
        super().__init__(map, *args, **kwargs)


def _with_print_templates(app: Flask) -> BaseLoader:
    """The app's template loader, falling back to the print templates (``templates/reports/``)
    by their own names, as the PDF renderer finds them: a web page can extend a print template
    (the monitor's web page renders the PDF's chapters) and its imports (``_macros.html``)
    resolve. The web's own templates come first (``base.html`` is the web layout)."""
    reports = FileSystemLoader(str(Path(app.root_path, str(app.template_folder), "reports")))
    return ChoiceLoader([loader for loader in (app.jinja_loader, reports) if loader is not None])


def init_app(app: Flask) -> None:
    from monitor import auth, console, employer, health
    from monitor.accounts import User
    from monitor.extensions import limiter, login_manager
    from monitor.sessions import current_user_of
    from surveys import respond
    from surveys.db import db

    @login_manager.user_loader
    def load_user(session_id: str) -> User | None:
        return current_user_of(session_id)

    app.register_blueprint(health.bp)
    app.register_blueprint(auth.bp)
    app.register_blueprint(employer.bp)
    app.register_blueprint(console.bp)
    limiter.limit("120 per minute")(respond.bp)  # token guessing gets nowhere
    app.register_blueprint(respond.bp)
    # each start without a session makes a response row: enough for a class behind one address
    # (`surveys` cannot import the limiter, so the registered view is wrapped here)
    app.view_functions["respond.open_link"] = limiter.limit(
        OPEN_START_LIMIT, methods=["POST"], override_defaults=False
    )(respond.open_link)
    register_filters(app)
    app.jinja_loader = _with_print_templates(app)

    @app.before_request
    def refuse_nul_characters():
        """A NUL character is never valid input (and PostgreSQL cannot store it in text)."""
        values = [request.path, *request.args.values()]
        if request.method not in ("GET", "HEAD"):
            values += list(request.form.values())
        if any("\x00" in value for value in values):
            return error_page(400, "Ongeldige invoer", "De invoer bevat een ongeldig teken.")
        return None

    headers = dict(SECURITY_HEADERS)
    if app.config["SESSION_COOKIE_SECURE"]:
        headers["Strict-Transport-Security"] = "max-age=31536000"
    by_lower_name = {name.lower(): (name, value) for name, value in headers.items()}

    @app.after_request
    def security_headers(response):
        """Each header a view has not set itself (one pass over the response's headers: a
        `setdefault` per header costs twice as much on every request)."""
        present = {name.lower() for name, _value in response.headers}
        response.headers.extend(
            [header for lower, header in by_lower_name.items() if lower not in present]
        )
        return response

    def error_page(status: int, title: str, message: str):
        return render_template("error.html", title=title, message=message), status

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return error_page(
            400,
            "Formulier verlopen",
            "Het formulier is verlopen of ongeldig. Ga terug, vernieuw de pagina en probeer "
            "het opnieuw; uw eerder opgeslagen antwoorden blijven bewaard.",
        )

    @app.errorhandler(403)
    def forbidden(error):
        return error_page(403, "Geen toegang", "U heeft geen toegang tot deze pagina.")

    @app.errorhandler(404)
    def not_found(error):
        return error_page(404, "Niet gevonden", "Deze pagina bestaat niet (meer).")

    @app.errorhandler(413)
    def too_large(error):
        return error_page(413, "Bestand te groot", "Het bestand is groter dan 8 MB.")

    @app.errorhandler(429)
    def too_many(error):
        return error_page(
            429, "Te veel pogingen", "Te veel pogingen in korte tijd. Wacht een minuut."
        )

    @app.errorhandler(500)
    def server_error(error):
        db.session.rollback()
        return error_page(
            500, "Er ging iets mis", "Er ging aan onze kant iets mis. Probeer het later opnieuw."
        )
