from pathlib import Path

import pytest

from monitor import create_app
from monitor.config import ConfigError, ensure_secret_files, load_config


def test_refuses_to_start_without_secret_key_outside_debug(tmp_path):
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        load_config(tmp_path, None, env={})


def test_reads_secrets_from_the_instance_folder(tmp_path):
    made = ensure_secret_files(tmp_path)
    assert {p.name for p in made} == {"secret_key", "panel_secret"}
    cfg = load_config(tmp_path, None, env={})
    assert cfg["SECRET_KEY"] == (tmp_path / "secret_key").read_text()
    assert len(cfg["SECRET_KEY"]) == 64
    assert ensure_secret_files(tmp_path) == []  # never overwritten


def test_environment_wins_over_instance_files(tmp_path):
    ensure_secret_files(tmp_path)
    cfg = load_config(tmp_path, None, env={"SECRET_KEY": "from-env", "PANEL_SECRET": "p"})
    assert cfg["SECRET_KEY"] == "from-env"


def test_default_database_is_a_sqlite_file_in_the_instance_folder(tmp_path):
    cfg = load_config(tmp_path, {"TESTING": True}, env={})
    assert cfg["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'monitor.sqlite'}"


@pytest.mark.parametrize("scheme", ["postgres://", "postgresql://"])
def test_postgres_urls_use_psycopg3(tmp_path, scheme):
    cfg = load_config(tmp_path, {"TESTING": True}, env={"DATABASE_URL": f"{scheme}u@h/db"})
    assert cfg["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@h/db"


def test_k_anonymity_is_configurable_and_checked(tmp_path):
    cfg = load_config(tmp_path, {"TESTING": True}, env={"MONITOR_K_ANONYMITY": "10"})
    assert cfg["MONITOR_K_ANONYMITY"] == 10
    for bad in ("1", "vijf", "101"):
        with pytest.raises(ConfigError, match="MONITOR_K_ANONYMITY must be a whole number from 2"):
            load_config(tmp_path, {"TESTING": True}, env={"MONITOR_K_ANONYMITY": bad})


def test_config_is_not_read_at_import(monkeypatch, tmp_path):
    monkeypatch.setenv("MONITOR_K_ANONYMITY", "7")
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db"})
    assert app.config["MONITOR_K_ANONYMITY"] == 7
    assert Path(app.instance_path).is_dir()


def test_reports_dir_queue_name_and_proxy_hops_come_from_the_environment(tmp_path):
    cfg = load_config(tmp_path, {"TESTING": True}, env={})
    assert cfg["REPORTS_DIR"] is None  # instance/reports
    assert cfg["HUEY_NAME"] == "monitor"
    assert cfg["MONITOR_PROXY_HOPS"] == 0
    env = {
        "REPORTS_DIR": "/srv/monitor-reports",
        "MONITOR_QUEUE_NAME": "monitor-acceptatie",
        "MONITOR_PROXY_HOPS": "1",
    }
    cfg = load_config(tmp_path, {"TESTING": True}, env=env)
    assert cfg["REPORTS_DIR"] == "/srv/monitor-reports"
    assert cfg["HUEY_NAME"] == "monitor-acceptatie"
    assert cfg["MONITOR_PROXY_HOPS"] == 1


@pytest.mark.parametrize("hops", ["-1", "een", "1.5"])
def test_proxy_hops_must_be_a_whole_number(tmp_path, hops):
    with pytest.raises(ConfigError, match="MONITOR_PROXY_HOPS"):
        load_config(tmp_path, {"TESTING": True}, env={"MONITOR_PROXY_HOPS": hops})


def test_reports_go_to_reports_dir(tmp_path, monkeypatch):
    from monitor.reports.bulk import jobs_dir, reports_dir

    monkeypatch.setenv("REPORTS_DIR", str(tmp_path / "gedeeld"))
    app = create_app(
        {"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://", "HUEY_IMMEDIATE": True}
    )
    with app.app_context():
        assert reports_dir(2025) == tmp_path / "gedeeld" / "company" / "2025"
        assert jobs_dir() == tmp_path / "gedeeld" / "jobs"
