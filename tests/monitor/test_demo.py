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
        assert client.get("/", follow_redirects=True).status_code == 200, email
        assert "Uitloggen" in client.get("/", follow_redirects=True).get_data(as_text=True)
        client.post("/logout")


def test_demo_command_refuses_to_overwrite_without_reset(runner):
    assert runner.invoke(args=["demo", "--seed", "3"]).exit_code == 0
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 1 and "--reset" in result.output
    result = runner.invoke(args=["demo", "--if-empty"])
    assert result.exit_code == 0 and "already holds data" in result.output
    assert "coordinator@example.org" in result.output


def test_demo_hr_scans_form_a_panel_that_improves_after_sprints(app):
    from surveys.frame import answer_frame

    counts = load_demo(seed=2025)
    assert counts["HR-scans 2023"] > 100 and counts["HR-scans 2025"] > counts["HR-scans 2023"]
    frame = answer_frame(instrument="hr_scan")
    per_year = frame.groupby("year")["panel_key"].unique().apply(set)
    assert len(per_year[2023] & per_year[2024]) > 50  # many companies rescan
    scored = frame[frame["item_key"].str.startswith("hr_")]
    assert not scored.empty
    means = frame.dropna(subset=["value"]).query("item_key != 'vacatures_open'")
    by_year = means.groupby("year")["value"].mean()
    assert by_year[2025] > by_year[2023]


def test_demo_rounds_cover_every_shipped_instrument(app):
    from surveys.frame import answer_frame

    load_demo(seed=3)
    for key in ("hr_scan", "cop", "alumni", "sprint_evaluatie", "klankbord"):
        assert not answer_frame(instrument=key).empty, key
    cop = answer_frame(instrument="cop")
    assert set(cop["wave"]) == {0, 1, 2}
    assert cop.groupby("respondent_group")["response_id"].nunique().min() >= 5
