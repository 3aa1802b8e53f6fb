"""Money as officers type it ("£4K", "4,000", "£12,527", "£1.3m") to whole pence, and back.

Amounts are kept as integer pence; parsing goes through Decimal so "£0.10" is 10p exactly.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from cspdesk.errors import CspdeskError


class MoneyError(CspdeskError, ValueError):
    """Text that is not an amount of money."""


_SUFFIX = {"": Decimal(1), "k": Decimal(1000), "m": Decimal(1_000_000)}
_MONEY = re.compile(
    r"""^\s*(?P<sign>[-−])?\s*£?\s*(?P<sign2>[-−])?\s*
    (?P<number>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)
    \s*(?P<suffix>k|m|mn|million|thousand)?\s*$""",
    re.IGNORECASE | re.VERBOSE,
)
_SUFFIX_ALIASES = {"mn": "m", "million": "m", "thousand": "k"}


def parse_money(text: str | int | float | Decimal) -> int:
    """Whole pence from an amount as typed; MoneyError if it is not one.

    Accepts "£4K", "4k", "4,000", "£12,527", "£6500", "£1.3m", "1,300.50", "-£200" and numbers
    from spreadsheet cells (pounds). Fractions of a penny are rounded half up.
    """
    if isinstance(text, bool):
        raise MoneyError(f"{text!r} is not an amount of money")
    if isinstance(text, int | float | Decimal):
        pounds = Decimal(str(text))
    else:
        match = _MONEY.match(str(text).replace("\u00a0", " "))
        if not match:
            raise MoneyError(f"{text!r} is not an amount of money (for example £4,000 or £4K)")
        suffix = (match.group("suffix") or "").lower()
        suffix = _SUFFIX_ALIASES.get(suffix, suffix)
        try:
            pounds = Decimal(match.group("number").replace(",", "")) * _SUFFIX[suffix]
        except InvalidOperation as error:  # pragma: no cover - the pattern admits only digits
            raise MoneyError(f"{text!r} is not an amount of money") from error
        if match.group("sign") or match.group("sign2"):
            pounds = -pounds
    if not pounds.is_finite():
        raise MoneyError(f"{text!r} is not an amount of money")
    return int((pounds * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def format_money(pence: int, *, pennies: bool | None = None) -> str:
    """ "£12,527", "£1,300.50", "-£200". ``pennies=None`` shows them only when not whole."""
    sign = "-" if pence < 0 else ""
    pounds, rest = divmod(abs(pence), 100)
    show = rest != 0 if pennies is None else pennies
    text = f"£{pounds:,}"
    if show:
        text += f".{rest:02d}"
    return sign + text


def pounds(pence: int) -> Decimal:
    """Pence as an exact Decimal of pounds (for spreadsheet cells)."""
    return Decimal(pence) / 100
