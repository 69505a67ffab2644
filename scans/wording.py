"""Dutch wording shared by the profile, the advice and the sprint proposals: numbers with a
decimal comma, lists joined with "en", peer groups and size classes in words."""

from collections.abc import Sequence

from analysis.rounding import round_half_up


def score_nl(value: float) -> str:
    """A domain score with one decimal and a decimal comma: 1.04 -> "1,0", 2.6667 -> "2,7",
    2.25 -> "2,3" (halves away from zero, like every number in the reports)."""
    text = f"{round_half_up(value, 1):.1f}".replace(".", ",")
    return "0,0" if text == "-0,0" else text


def signed_score_nl(value: float) -> str:
    """A change in score with its sign: 0.6 -> "+0,6", -0.3 -> "-0,3"."""
    text = score_nl(value)
    return text if text.startswith("-") or text == "0,0" else f"+{text}"


def percentile_nl(value: float) -> str:
    """A percentile rank (0-100) as a percentage without decimals: 80.4 -> "80%" (shares of
    0-1 in the reports: `monitor.formatting.percent_nl`)."""
    return f"{round_half_up(value, 0):.0f}%"


def join_nl(parts: Sequence[str]) -> str:
    """Items of a list in a sentence: ["a", "b", "c"] -> "a, b en c"."""
    if len(parts) <= 1:
        return "".join(parts)
    return f"{', '.join(parts[:-1])} en {parts[-1]}"


def size_class_nl(size_class: str) -> str:
    """An FTE class in words: "10-49" -> "10-49 fte", "250+" -> "250 fte of meer"."""
    if size_class.endswith("+"):
        return f"{size_class[:-1]} fte of meer"
    return f"{size_class} fte"


def peer_group_nl(group: str, label: str) -> str:
    """Who a company is compared with, as benchmark's peer group and label say."""
    if group == "sector":
        return f"bedrijven in de sector {label}"
    if group == "size_class":
        return f"bedrijven met {size_class_nl(label)}"
    return "alle bedrijven die de scan in hetzelfde jaar invulden"
