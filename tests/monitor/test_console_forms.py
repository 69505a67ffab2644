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
