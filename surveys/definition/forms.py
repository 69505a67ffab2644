"""Forms for the respondent pages: one Flask-WTF form per section (page), built from the definition.

Use::

    form = build_form(definition, section, lang, wave, answers)   # answers: stored, key -> text
    if form.validate_on_submit():
        for key, value in form.values_to_store().items():
            ...  # value None: delete any stored answer for key; else store it

The respondent pages keep a `PageForms(definition)` per published version and call its `build`
(same arguments but the definition), so that a page's form class is built once per process.

Field names are item keys (a matrix: one field per row key; multiple choice: one repeated field;
"anders, namelijk": `<key>_other`). Items hidden by `show_if` are neither validated nor stored,
also when the condition depends on an answer given earlier on the same page: the form decides
that on submit, in page order.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import Form

from surveys.definition.conditions import evaluate, references
from surveys.definition.itemtypes import REGISTRY, FormOptions, item_text
from surveys.definition.messages import translate
from surveys.definition.structure import (
    Definition,
    condition_answers,
    get_section,
    item_index,
    iter_items,
    sections,
)

#: Public attribute names of the built forms: item keys must not shadow them.
RESERVED_KEYS = frozenset(
    name for base in (FlaskForm, Form) for name in dir(base) if not name.startswith("_")
) | {
    "csrf_token",
    "entries",
    "form_errors",
    "hidden_keys",
    "meta",
    "submit",
    "values_to_store",
}


@dataclass(frozen=True)
class FormEntry:
    """One item of a page as the template shows it: its wording and its bound field(s)."""

    key: str
    type: str
    text: str
    help: str
    fields: list[Any]
    #: False for a note (text only); True for a matrix (its rows' fields under one legend)
    answerable: bool
    composite: bool
    #: the item's condition, for showing/hiding it in the browser as answers change
    show_if: Mapping[str, Any] | None
    #: whether the item is shown given the answers known when the page was built
    shown: bool


class _PageMixin:
    """What every page form does; `PageForms` makes a subclass per page."""

    _definition: Definition = {}
    _index: Mapping[str, Mapping[str, Any]] = {}
    _section: Mapping[str, Any] = {}
    _layout: tuple[tuple[dict[str, Any], tuple[str, ...]], ...] = ()
    _lang: str = "nl"
    _wave: int = 0

    def __init__(self, *args: Any, stored: Mapping[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._stored: dict[str, str] = dict(stored or {})
        self._hidden: set[str] | None = None

    @property
    def entries(self) -> list[FormEntry]:
        """The page's items in order (notes included, items left out of the form excluded)."""
        known = condition_answers(self._definition, self._stored, self._index)
        return [
            FormEntry(
                key=item["key"],
                type=item["type"],
                text=item_text(item, self._lang, self._wave),
                answerable=REGISTRY[item["type"]].answerable,
                composite=REGISTRY[item["type"]].composite,
                help=translate(item.get("help"), self._lang),
                fields=[self._fields[name] for name in names],
                show_if=item.get("show_if"),
                shown=evaluate(item.get("show_if"), known),
            )
            for item, names in self._layout
        ]

    @property
    def hidden_keys(self) -> set[str]:
        """Item keys on this page hidden by show_if at the last validation."""
        return set(self._hidden or ())

    def validate(self, extra_validators: Mapping[str, Any] | None = None) -> bool:
        """Validate the shown items only, deciding show_if in page order with the new answers."""
        extra = dict(extra_validators or {})
        success = True
        item_fields = {name for _, names in self._layout for name in names}
        for name, field in self._fields.items():  # the CSRF token and anything else not an item
            if name not in item_fields and not field.validate(self, extra.get(name, ())):
                success = False
        running = dict(self._stored)
        self._hidden = set()
        for item, names in self._layout:
            item_type = REGISTRY[item["type"]]
            if not item_type.answerable:
                continue
            condition = item.get("show_if")
            if condition is not None and not evaluate(
                condition, condition_answers(self._definition, running, self._index)
            ):
                self._hidden.add(item["key"])
                for name in names:
                    self._fields[name].errors = []
                for key in item_type.stored_keys(item):
                    running.pop(key, None)
                continue
            for name in names:
                if not self._fields[name].validate(self, extra.get(name, ())):
                    success = False
            for key, value in self._encode(item, names).items():
                if value is None:
                    running.pop(key, None)
                else:
                    running[key] = value
        return success

    def values_to_store(self) -> dict[str, str | None]:
        """Every answer key of this page with its value to store; None means store nothing
        (and delete what was stored): unanswered, hidden by show_if or left out of the form."""
        if self._hidden is None:
            self.validate()
        values: dict[str, str | None] = {}
        included = {item["key"]: names for item, names in self._layout}
        for item in self._section.get("items", []):
            item_type = REGISTRY[item["type"]]
            keys = item_type.stored_keys(item)
            names = included.get(item["key"])
            if names is None or item["key"] in (self._hidden or set()):
                values.update(dict.fromkeys(keys))
                continue
            values.update(self._encode(item, names))
        return values

    def _encode(self, item: Mapping[str, Any], names: tuple[str, ...]) -> dict[str, str | None]:
        return REGISTRY[item["type"]].encode(item, {n: self._fields[n].data for n in names})


class SectionForm(_PageMixin, FlaskForm):
    """A page form bound to the Flask request. Its CSRF token is the app's: the application's
    `CSRFProtect` checks every POST before the view runs, and the page template writes
    `csrf_token()`, so the form neither adds a token field nor checks the token a second time."""

    class Meta:
        csrf = False


class PlainSectionForm(_PageMixin, Form):
    """A page form without Flask: for validating given data, in tests or jobs."""


_AUTO = object()


class PageForms:
    """The page forms of one definition. The item index behind conditions and each page's form
    class are built once and kept, so that for an immutable definition (a published version, see
    `surveys.published`) a request only binds a form to its data. Holds no answers."""

    #: At most this many form classes are kept (pages x languages x waves x visible items).
    MAX_CLASSES = 256

    def __init__(self, definition: Definition) -> None:
        self.definition = definition
        self.index = item_index(definition)
        self._classes: dict[tuple[Any, ...], type] = {}

    def build(
        self,
        section: int | str | Mapping[str, Any],
        lang: str = "nl",
        wave: int = 0,
        answers: Mapping[str, str] | None = None,
        visible: Collection[str] | None = None,
        *,
        formdata: Any = _AUTO,
        base: type[Form] = SectionForm,
        **kwargs: Any,
    ) -> Any:
        """The bound form of one page of this definition (a section given as a mapping must be
        one of its own: the form class is kept by the section's key); see `build_form`."""
        page = get_section(self.definition, section)
        stored = {k: v for k, v in (answers or {}).items() if isinstance(v, str)}
        items = self._included(page, stored, visible)
        form_class = self._form_class(page, lang, wave, tuple(item["key"] for item in items), base)
        data: dict[str, Any] = {}
        for item in items:
            data.update(REGISTRY[item["type"]].decode(item, stored))
        if formdata is not _AUTO:
            kwargs["formdata"] = formdata
        return form_class(data=data, stored=stored, **kwargs)

    def _included(
        self, page: Mapping[str, Any], stored: Mapping[str, str], visible: Collection[str] | None
    ) -> list[dict[str, Any]]:
        """The page's items that go into the form (see `build_form`)."""
        items = page.get("items", [])
        if visible is not None:
            return [item for item in items if item["key"] in visible]
        on_page = {
            key
            for item in items
            for key in [item["key"], *REGISTRY[item["type"]].stored_keys(item)]
        }
        known: dict[str, Any] | None = None
        included = []
        for item in items:
            condition = item.get("show_if")
            if condition is not None and not set(references(condition)) & on_page:
                if known is None:
                    known = condition_answers(self.definition, stored, self.index)
                if not evaluate(condition, known):
                    continue
            included.append(item)
        return included

    def _form_class(
        self,
        page: Mapping[str, Any],
        lang: str,
        wave: int,
        included: tuple[str, ...],
        base: type[Form],
    ) -> type:
        key = (page.get("key"), lang, wave, included, base)
        form_class = self._classes.get(key)
        if form_class is None:
            if len(self._classes) >= self.MAX_CLASSES:
                self._classes.clear()
            form_class = self._classes[key] = self._make_class(page, lang, wave, included, base)
        return form_class

    def _make_class(
        self,
        page: Mapping[str, Any],
        lang: str,
        wave: int,
        included: tuple[str, ...],
        base: type[Form],
    ) -> type:
        attrs: dict[str, Any] = {}
        layout: list[tuple[dict[str, Any], tuple[str, ...]]] = []
        for item in page.get("items", []):
            if item["key"] not in included:
                continue
            options = FormOptions(lang=lang, wave=wave, conditional=item.get("show_if") is not None)
            fields = REGISTRY[item["type"]].form_fields(item, options)
            attrs.update(fields)
            layout.append((item, tuple(name for name, _ in fields)))
        if not issubclass(base, _PageMixin):
            base = type(base.__name__, (_PageMixin, base), {})
        attrs.update(
            _definition=self.definition,
            _index=self.index,
            _section=page,
            _layout=tuple(layout),
            _lang=lang,
            _wave=wave,
        )
        return type(f"SectionForm_{page.get('key', 'page')}", (base,), attrs)


def build_form(
    definition: Definition,
    section: int | str | Mapping[str, Any],
    lang: str = "nl",
    wave: int = 0,
    answers: Mapping[str, str] | None = None,
    visible: Collection[str] | None = None,
    *,
    formdata: Any = _AUTO,
    base: type[Form] = SectionForm,
    **kwargs: Any,
) -> Any:
    """The form of one page (`section`: index, key or the section) in language `lang`.

    `answers` are the stored answers so far (item key -> stored text): they fill the fields in again
    and decide the show_if of items that depend on earlier pages. `visible`, when given, is the
    exact set of item keys to put in the form (the caller decided visibility); by default an item
    is left out when its condition on earlier answers is false. Items whose condition looks at
    answers on this same page are always included and decided on submit. Wave >= 1 uses each
    item's `text_followup` where it has one. `formdata` defaults to the request's form
    (Flask-WTF); pass a MultiDict to validate given data, None for an unsubmitted form.
    Pages of a definition that is used again and again: `PageForms(definition).build(...)`.
    """
    return PageForms(definition).build(
        section, lang, wave, answers, visible, formdata=formdata, base=base, **kwargs
    )


@dataclass(frozen=True)
class PageResult:
    """The outcome of a submitted page: values to store (None: delete) or errors per field."""

    values: dict[str, str | None]
    errors: dict[str, list[str]]

    @property
    def ok(self) -> bool:
        return not self.errors


def page_values(
    definition: Definition,
    section: int | str | Mapping[str, Any],
    formdata: Mapping[str, Any],
    answers: Mapping[str, str] | None = None,
    *,
    lang: str = "nl",
    wave: int = 0,
) -> PageResult:
    """Validate a page's submitted data (field name -> value or list) without Flask or CSRF.

    Honours show_if like the form does: hidden items are not validated and come back as None.
    """
    if not isinstance(formdata, MultiDict):
        pairs = [
            (name, v)
            for name, value in formdata.items()
            for v in (value if isinstance(value, list | tuple) else [value])
        ]
        formdata = MultiDict(pairs)
    form = build_form(
        definition, section, lang, wave, answers, formdata=formdata, base=PlainSectionForm
    )
    if form.validate():
        return PageResult(values=form.values_to_store(), errors={})
    return PageResult(values={}, errors={k: list(v) for k, v in form.errors.items()})


def hidden_answer_keys(
    definition: Definition, answers: Mapping[str, str], group: str | None = None
) -> set[str]:
    """Stored answer keys that should not be there: their item is hidden by show_if (decided in
    questionnaire order) or its section is not for respondent `group`. Delete them on submit."""
    running = {k: v for k, v in answers.items() if isinstance(v, str)}
    index = item_index(definition)
    allowed_sections = {
        s.get("key")
        for s in sections(definition)
        if not s.get("groups") or group is None or group in s.get("groups", [])
    }
    drop: set[str] = set()
    section_keys = [s.get("key") for s in sections(definition)]
    for i, _, item in iter_items(definition):
        item_type = REGISTRY[item["type"]]
        keys = item_type.stored_keys(item)
        condition = item.get("show_if")
        shown = section_keys[i] in allowed_sections and (
            condition is None or evaluate(condition, condition_answers(definition, running, index))
        )
        if not shown:
            for key in keys:
                if key in running:
                    drop.add(key)
                    running.pop(key)
    return drop


__all__ = [
    "RESERVED_KEYS",
    "FormEntry",
    "PageForms",
    "PageResult",
    "PlainSectionForm",
    "SectionForm",
    "build_form",
    "hidden_answer_keys",
    "page_values",
]
