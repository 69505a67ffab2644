"""Answers every visible question on a questionnaire page like a person would, by clicking and
typing, and returns what it answered (field name -> value or list of values)."""

import hashlib

VISIBLE_FIELDS = """() => {
  const seen = new Map();
  for (const el of document.querySelectorAll('form.questionnaire [name]')) {
    if (el.type === 'hidden' || el.closest('[hidden]')) continue;
    const entry = seen.get(el.name) || {type: el.type || el.tagName.toLowerCase(), values: []};
    if (el.type === 'radio' || el.type === 'checkbox') entry.values.push(el.value);
    entry.inputmode = el.getAttribute('inputmode');
    seen.set(el.name, entry);
  }
  return Object.fromEntries(seen);
}"""


#: number questions whose valid range excludes the default answer "3"
NUMBERS = {"afstudeerjaar": "2020"}


def _pick(name: str, options: list[str]) -> str:
    """A deterministic, varied choice per field."""
    substantive = [o for o in options if o not in ("weet_niet", "nvt", "anders")] or options
    return substantive[int(hashlib.sha256(name.encode()).hexdigest(), 16) % len(substantive)]


def fill_page(page, skip: set[str] = frozenset()) -> dict[str, object]:
    answered: dict[str, object] = {}
    for _ in range(3):  # answering may reveal questions (show_if): look again
        fields = page.evaluate(VISIBLE_FIELDS)
        new = {
            n: f for n, f in fields.items() if n not in answered and n not in skip and n != "nav"
        }
        if not new:
            break
        for name, field in new.items():
            if field["type"] == "radio":
                value = _pick(name, field["values"])
                page.check(f'input[name="{name}"][value="{value}"]')
                answered[name] = value
            elif field["type"] == "checkbox":
                value = _pick(name, field["values"])
                page.check(f'input[name="{name}"][value="{value}"]')
                answered[name] = [value]
            elif field["inputmode"] in ("numeric", "decimal"):
                number = NUMBERS.get(name, "3")
                page.fill(f'[name="{name}"]', number)
                answered[name] = number
            elif name.endswith("_other"):
                continue  # only asked for when "anders" is chosen
            else:
                text = f"Antwoord op {name}"
                page.fill(f'[name="{name}"]', text)
                answered[name] = text
    return answered


def go(page, selector: str) -> None:
    """Click a button or link that loads a new page, and wait for that page."""
    with page.expect_navigation():
        page.click(selector)
