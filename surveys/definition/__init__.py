"""The instrument definition engine: format, item types, conditions, validation, forms, versions.

Instruments are data (YAML, see docs/instruments.md). What other code calls:

- load / validate: `load_definition_file`, `load_definition_text`, `validate_definition`,
  `DefinitionError` (its `problems` print as `file: path.to.field: message`);
- respondent pages: `build_form`, `SectionForm.values_to_store`, `page_values`,
  `hidden_answer_keys`, `sections_for_group`;
- analysis: `scoring_spec`, `value_to_float`, `summarise`, `answer_items`;
- versions: `publish_definition`, `publish_file` (in `surveys.definition.publish`, which needs the
  database), `compare` (the change report), `content_hash`;
- XLSForm: `surveys.definition.xlsform.convert_xlsform`.
"""

from surveys.definition.changes import ChangeReport, compare
from surveys.definition.conditions import evaluate
from surveys.definition.errors import DefinitionError, Problem
from surveys.definition.forms import PageResult, build_form, hidden_answer_keys, page_values
from surveys.definition.itemtypes import (
    MISSING_CODES,
    REGISTRY,
    ItemSummary,
    ItemType,
    ScoredItem,
    get_type,
    register,
    value_to_float,
)
from surveys.definition.loader import (
    canonical_json,
    content_hash,
    load_definition,
    load_definition_file,
    load_definition_text,
    shipped_instrument_files,
)
from surveys.definition.scoring import min_answered, scoring_spec, summarise
from surveys.definition.structure import (
    answer_items,
    condition_answers,
    get_section,
    item_index,
    sections_for_group,
)
from surveys.definition.validate import validate_definition

__all__ = [
    "MISSING_CODES",
    "REGISTRY",
    "ChangeReport",
    "DefinitionError",
    "ItemSummary",
    "ItemType",
    "PageResult",
    "Problem",
    "ScoredItem",
    "answer_items",
    "build_form",
    "canonical_json",
    "compare",
    "condition_answers",
    "content_hash",
    "evaluate",
    "get_section",
    "get_type",
    "hidden_answer_keys",
    "item_index",
    "load_definition",
    "load_definition_file",
    "load_definition_text",
    "min_answered",
    "page_values",
    "register",
    "scoring_spec",
    "sections_for_group",
    "shipped_instrument_files",
    "summarise",
    "validate_definition",
    "value_to_float",
]
