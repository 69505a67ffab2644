"""Page forms are Flask-WTF forms: with CSRF enabled, a post without a valid token fails."""

import pytest
from werkzeug.datastructures import MultiDict

from surveys.definition import build_form
from tests.surveys.test_definition_example import example_definition


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": True}


def test_a_page_posted_without_csrf_token_is_refused(app):
    data = MultiDict({"sector": "zorg", "medewerkers": "40"})

    with app.test_request_context("/s/token", method="POST", data=data):
        form = build_form(example_definition(), 0)
        valid = form.validate_on_submit()

    assert not valid
    assert "csrf_token" in form.errors
    assert "sector" not in form.errors


def test_the_page_form_renders_a_csrf_token(app):
    with app.test_request_context("/s/token"):
        form = build_form(example_definition(), 0)
        hidden = str(form.hidden_tag())

    assert 'name="csrf_token"' in hidden
