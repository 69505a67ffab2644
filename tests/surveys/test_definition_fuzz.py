"""Property tests: no YAML text or structure makes the loader crash; only clean problem lists."""

import copy
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from surveys.definition import (
    DefinitionError,
    Problem,
    load_definition,
    load_definition_text,
    page_values,
    validate_definition,
)
from tests.surveys.test_definition_example import example_definition, example_yaml

# Derandomized so the suite is reproducible for everyone; explore further locally with more
# examples and derandomize=False.
FUZZ = settings(
    max_examples=300,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)

scalars = (
    st.none()
    | st.booleans()
    | st.integers(-(10**6), 10**6)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12)
    | st.sampled_from(
        ["likert5", "matrix", "nl", "en", "sector", "equals", "in", "all", "any", "key", "ja"]
    )
)
field_names = st.sampled_from(
    [
        "key",
        "type",
        "text",
        "items",
        "sections",
        "choices",
        "rows",
        "show_if",
        "item",
        "op",
        "value",
        "all",
        "any",
        "domain",
        "min",
        "max",
        "nl",
        "en",
        "languages",
        "scale",
        "missing",
        "other",
    ]
) | st.text(max_size=8)
structures = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(field_names, children, max_size=5)
    ),
    max_leaves=30,
)


def assert_clean(problems: Any) -> None:
    assert isinstance(problems, list)
    for problem in problems:
        assert isinstance(problem, Problem)
        assert isinstance(problem.path, str) and problem.path
        assert isinstance(problem.message, str) and problem.message
        assert str(problem).startswith("x.yaml: ")


@FUZZ
@given(st.text(max_size=300))
def test_random_text_gives_a_definition_or_a_definition_error(text):
    try:
        load_definition_text(text, "x.yaml")
    except DefinitionError as error:
        assert_clean(error.problems)
        assert error.problems


@FUZZ
@given(structures)
def test_random_structures_give_a_list_of_problems(data):
    assert_clean(validate_definition(data, "x.yaml"))


@FUZZ
@given(structures)
def test_random_structures_dumped_as_yaml_load_cleanly(data):
    try:
        text = yaml.safe_dump(data, allow_unicode=True)
    except yaml.YAMLError:
        return
    try:
        load_definition_text(text, "x.yaml")
    except DefinitionError as error:
        assert_clean(error.problems)


def _paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    found = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _paths(value, (*prefix, index))
    return found


EXAMPLE_PATHS = _paths(example_definition())[1:]


@st.composite
def mutated_examples(draw) -> dict[str, Any]:
    """The documented example with one to three nodes replaced, deleted or duplicated."""
    definition = example_definition()
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(EXAMPLE_PATHS))
        parent: Any = definition
        try:
            for step in path[:-1]:
                parent = parent[step]
            current = parent[path[-1]]
        except (KeyError, IndexError, TypeError):
            continue
        action = draw(st.sampled_from(["replace", "delete", "copy"]))
        if action == "replace":
            parent[path[-1]] = draw(structures)
        elif action == "delete":
            del parent[path[-1]]
        elif isinstance(parent, list):
            parent.append(copy.deepcopy(current))
        else:
            parent[draw(field_names)] = copy.deepcopy(current)
    return definition


@FUZZ
@given(mutated_examples())
def test_mutated_definitions_give_problems_or_a_working_questionnaire(definition):
    problems = validate_definition(definition, "x.yaml")
    assert_clean(problems)
    if problems:
        return
    loaded = load_definition(definition, "x.yaml")
    for index in range(len(loaded["sections"])):
        result = page_values(loaded, index, MultiDict())
        assert result.ok or all(isinstance(m, str) for ms in result.errors.values() for m in ms)


@FUZZ
@given(st.data())
def test_random_edits_of_the_example_yaml_text_load_cleanly(data):
    text = example_yaml()
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, min(len(text), start + 20)))
    edited = text[:start] + data.draw(st.text(max_size=10)) + text[end:]
    try:
        load_definition_text(edited, "x.yaml")
    except DefinitionError as error:
        assert_clean(error.problems)
