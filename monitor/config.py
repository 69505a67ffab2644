"""Configuration, read from the environment inside `create_app` (never at import)."""

import os
import secrets
from pathlib import Path
from typing import Any


class ConfigError(RuntimeError):
    """The application cannot start with this configuration."""


def _secret(name: str, instance: Path, env: dict[str, str]) -> str | None:
    """A secret from the environment, else from the file `instance/<name lower>`."""
    if env.get(name):
        return env[name]
    path = instance / name.lower()
    return path.read_text().strip() if path.exists() else None


def _whole_number(env: dict[str, str], name: str, default: int, low: int, high: int) -> int:
    """A whole number from `low` to `high` from the environment (`default` when unset)."""
    raw = env.get(name, "").strip() or str(default)
    try:
        value = int(raw)
    except ValueError:
        value = low - 1
    if not low <= value <= high:
        raise ConfigError(f"{name} must be a whole number from {low} to {high}, not {raw!r}")
    return value


def engine_url(url: str) -> str:
    """A database URL as SQLAlchemy takes it: PostgreSQL through psycopg 3 (`postgres://` and
    `postgresql://` as hosting providers write them); other URLs unchanged."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    return url.replace("postgresql://", "postgresql+psycopg://", 1)


def ensure_secret_files(instance: Path) -> list[Path]:
    """Create missing secret files in the instance folder (used by `make run`)."""
    instance.mkdir(parents=True, exist_ok=True)
    made = []
    for name in ("secret_key", "panel_secret"):
        path = instance / name
        if not path.exists():
            path.write_text(secrets.token_hex(32))
            path.chmod(0o600)
            made.append(path)
    return made


def load_config(
    instance: Path, test_config: dict[str, Any] | None, env: dict[str, str] | None = None
) -> dict[str, Any]:
    """Build the Flask config from the environment, the instance folder and `test_config`."""
    env = dict(os.environ if env is None else env)
    test_config = test_config or {}
    testing = bool(test_config.get("TESTING"))
    debug = env.get("FLASK_DEBUG") in {"1", "true"} or bool(test_config.get("DEBUG"))
    cfg: dict[str, Any] = {
        "SQLALCHEMY_DATABASE_URI": env.get("DATABASE_URL")
        or f"sqlite:///{instance / 'monitor.sqlite'}",
        "SECRET_KEY": _secret("SECRET_KEY", instance, env),
        "PANEL_SECRET": _secret("PANEL_SECRET", instance, env),
        "MAIL_URL": env.get("MAIL_URL"),
        "MAIL_FROM": env.get("MAIL_FROM", "monitor@localhost"),
        "REDIS_URL": env.get("REDIS_URL"),
        #: the task queue's name (Redis keys huey.redis.<name>): installations sharing one Redis
        #: need different names
        "HUEY_NAME": env.get("MONITOR_QUEUE_NAME") or "monitor",
        #: where built reports go (PDFs, job zips); default instance/reports. A directory shared
        #: by every app and report machine when consumers run on several machines
        "REPORTS_DIR": env.get("REPORTS_DIR") or None,
        #: reverse proxies in front of the app that add to X-Forwarded-For and set
        #: X-Forwarded-Proto (0: none, the connection's address is the client's); the rate
        #: limits key on the client address
        "MONITOR_PROXY_HOPS": _whole_number(env, "MONITOR_PROXY_HOPS", 0, 0, 10),
        #: base of the links in invitation mails
        "PUBLIC_URL": env.get("PUBLIC_URL", "http://127.0.0.1:5000").rstrip("/"),
        "MONITOR_K_ANONYMITY": _whole_number(env, "MONITOR_K_ANONYMITY", 5, 2, 100),
        #: a login ends after this many minutes without a request, and this many hours after
        #: it began, whatever happens (monitor/sessions.py)
        "MONITOR_SESSION_IDLE_MINUTES": _whole_number(
            env, "MONITOR_SESSION_IDLE_MINUTES", 60, 1, 24 * 60
        ),
        "MONITOR_SESSION_HOURS": _whole_number(env, "MONITOR_SESSION_HOURS", 12, 1, 24 * 31),
        #: per-IP limits on login and token routes; off only for load tests from one address
        "RATELIMIT_ENABLED": env.get("MONITOR_RATE_LIMITS", "1") != "0",
        #: company reports one account may have built (not served from the kept PDF) a minute
        "MONITOR_REPORT_BUILDS": "10 per minute",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": env.get("MONITOR_HTTPS", "0") == "1",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "WTF_CSRF_TIME_LIMIT": None,
        "MAX_CONTENT_LENGTH": 8 * 1024 * 1024,
    }
    cfg.update(test_config)
    cfg["SQLALCHEMY_DATABASE_URI"] = engine_url(cfg["SQLALCHEMY_DATABASE_URI"])
    if not cfg["SECRET_KEY"] or not cfg["PANEL_SECRET"]:
        if not (testing or debug):
            missing = [k for k in ("SECRET_KEY", "PANEL_SECRET") if not cfg[k]]
            raise ConfigError(
                f"{' and '.join(missing)} not set: set the environment variable(s) or write "
                f"a random value to {instance}/<name in lower case> (`make run` does this)"
            )
        cfg["SECRET_KEY"] = cfg["SECRET_KEY"] or secrets.token_hex(32)
        cfg["PANEL_SECRET"] = cfg["PANEL_SECRET"] or secrets.token_hex(32)
    return cfg
