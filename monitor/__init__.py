"""The application: create_app, accounts, the console, the CLI, charts and reports."""

from pathlib import Path
from typing import Any

from flask import Flask

from monitor.config import load_config

ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the application; all configuration is read here, never at import."""
    from monitor import web

    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
    )
    app.url_map.converters["int"] = web.DatabaseIntConverter
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.from_mapping(load_config(Path(app.instance_path), test_config))
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config["REDIS_URL"] or "memory://")

    import monitor.models  # noqa: F401  (registers every model on the metadata)
    from monitor import commands, jobs
    from monitor.extensions import csrf, limiter, login_manager, migrate
    from monitor.reports import bulk
    from surveys.db import db

    db.init_app(app)
    migrate.init_app(
        app, db, directory=str(Path(__file__).parent / "migrations"), render_as_batch=True
    )
    csrf.init_app(app)
    login_manager.init_app(app)
    limiter.init_app(app)
    web.init_app(app)
    commands.register(app)
    hops = int(app.config.get("MONITOR_PROXY_HOPS") or 0)
    if hops:
        # behind nginx: take the client's address and scheme from the X-Forwarded-For and
        # -Proto entries the last `hops` proxies added (earlier entries are the client's own and
        # ignored), so the rate limits count per client. The Host header stays as the proxy
        # passes it (X-Forwarded-Host is not trusted: nginx passes a client's on unchanged).
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=0)
    jobs.init_app(
        app,
        tasks={
            bulk.JOB_KIND: jobs.Task(bulk.build_job, retries=2, retry_delay=30),
            bulk.ITEM_KIND: jobs.Task(bulk.build_report_job, retries=2, retry_delay=30),
        },
        periodic={bulk.WATCHDOG_KIND: jobs.Periodic(bulk.requeue_stalled_jobs)},
    )
    return app
