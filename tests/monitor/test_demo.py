from collections import Counter

from sqlalchemy import select

from monitor.demo import DEMO_LOGINS, load_demo
from surveys.db import db
from surveys.models import Organisation


def _organisations():
    return db.session.scalars(select(Organisation).order_by(Organisation.id)).all()


def test_demo_is_deterministic_for_a_seed(app):
    load_demo(seed=7)
    first = [(o.name, o.sector, o.region, o.size_class) for o in _organisations()]
    load_demo(seed=7, reset=True)
    assert [(o.name, o.sector, o.region, o.size_class) for o in _organisations()] == first
    load_demo(seed=8, reset=True)
    assert [(o.name, o.sector, o.region, o.size_class) for o in _organisations()] != first


def test_demo_has_250_employers_across_limburg_skewed_to_smes(app):
    load_demo(seed=1)
    employers = [o for o in _organisations() if o.kind == "werkgever"]
    assert len(employers) == 250
    assert {o.region for o in employers} == {"Noord-Limburg", "Midden-Limburg", "Zuid-Limburg"}
    sizes = Counter(o.size_class for o in employers)
    assert sizes["1-9"] + sizes["10-49"] > 0.6 * len(employers)
    assert len({o.name for o in employers}) == 250
    assert "VISTA college" in {o.name for o in _organisations()}


def test_demo_logins_work(app, client):
    load_demo(seed=1)
    for email, password in DEMO_LOGINS.values():
        client.post("/login", data={"email": email, "password": password})
        assert client.get("/").status_code == 200, email
        client.post("/logout")


def test_demo_command_refuses_to_overwrite_without_reset(runner):
    assert runner.invoke(args=["demo", "--seed", "3"]).exit_code == 0
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 1 and "--reset" in result.output
    result = runner.invoke(args=["demo", "--if-empty"])
    assert result.exit_code == 0 and "already holds data" in result.output
    assert "coordinator@example.org" in result.output
