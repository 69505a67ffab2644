"""Every form of the coordinator console speaks Dutch, WTForms' own messages included."""

import importlib
import inspect
import pkgutil

from flask_wtf import FlaskForm

import monitor.console
from monitor.console.forms import DutchForm


def test_every_console_form_is_a_dutch_form():
    forms = {
        f"{module.name}.{name}": form
        for module in pkgutil.iter_modules(monitor.console.__path__, "monitor.console.")
        for name, form in inspect.getmembers(importlib.import_module(module.name), inspect.isclass)
        if issubclass(form, FlaskForm) and form.__module__ == module.name
    }
    assert len(forms) > 10
    assert sorted(name for name, form in forms.items() if not issubclass(form, DutchForm)) == []


def test_a_dutch_form_translates_the_messages_of_wtforms(app):
    from wtforms import IntegerField

    class YearForm(DutchForm):
        year = IntegerField("Jaar")

    with app.test_request_context(method="POST", data={"year": "twintig"}):
        form = YearForm(meta={"csrf": False})
        assert not form.validate()
        assert form.year.errors == ["Ongeldig getal."]


def test_a_report_build_for_a_year_beyond_the_years_of_a_round_is_refused(coordinator):
    """Checked by the form (surveys.campaigns.YEARS), before a query: a number beyond a database
    integer would otherwise reach PostgreSQL."""
    for year in ("1999", "2101", "99999999999"):
        response = coordinator.post("/coordinator/reports/build", data={"year": year})
        assert response.status_code == 400, year
