"""One rounding rule for every printed number: halves away from zero, on the number as written.

Python's own rounding (``round``, ``f"{x:.1f}"``) rounds a half to the even neighbour and works on
the binary value: 2.25 became "2,2" while 1.75 became "1,8", and 0.35 (stored as 0.34999...)
became "0,3". Readers expect 2,3, 1,8 and 0,4. The rule here takes the shortest decimal that
reads back as the float (``repr``), then rounds halves away from zero. JSON keeps full precision;
this is for what is printed and for decisions that must agree with what is printed.
"""

import math
import numbers
from decimal import ROUND_HALF_UP, Decimal


def round_half_up(value: float, decimals: int = 1) -> float:
    """``value`` rounded to ``decimals`` places, halves away from zero: 2.25 -> 2.3, -0.35 ->
    -0.4, 1.75 -> 1.8. NaN and infinities come back unchanged."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"round_half_up: a number is needed, got {value!r}")
    number = float(value)
    if not math.isfinite(number):
        return number
    exponent = Decimal(1).scaleb(-decimals)
    return float(Decimal(repr(number)).quantize(exponent, rounding=ROUND_HALF_UP))


def compare_rounded(a: float, b: float, decimals: int = 1) -> int:
    """-1, 0 or 1 as ``a`` is below, equal to or above ``b`` once both are rounded as printed:
    a sentence saying "above the median" must agree with the two numbers it prints."""
    left, right = round_half_up(a, decimals), round_half_up(b, decimals)
    return (left > right) - (left < right)
