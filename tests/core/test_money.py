"""Money as typed in the seeds, to pence, and back."""

from __future__ import annotations

from decimal import Decimal

import pytest

from cspdesk.core.funding.money import MoneyError, format_money, parse_money

pytestmark = pytest.mark.both_engines


@pytest.mark.parametrize(
    ("typed", "pence"),
    [
        ("£4K", 400_000),
        ("4k", 400_000),
        ("4,000", 400_000),
        ("£12,527", 1_252_700),
        ("£6500", 650_000),
        ("£1,708", 170_800),
        ("£24,976", 2_497_600),
        (" £ 1.3m ", 130_000_000),
        ("£0.10", 10),
        ("1,300.50", 130_050),
        ("-£200", -20_000),
        ("£200,000", 20_000_000),
        (12527, 1_252_700),
        (Decimal("0.005"), 1),  # half up, not to even
        (0.1, 10),
    ],
)
def test_parse_money(typed: object, pence: int) -> None:
    assert parse_money(typed) == pence  # type: ignore[arg-type]


@pytest.mark.parametrize("typed", ["", "£", "four thousand", "4,00", "£4KK", "1.2.3", "£4 K 5"])
def test_parse_money_refuses(typed: str) -> None:
    with pytest.raises(MoneyError, match="not an amount"):
        parse_money(typed)


def test_seed_001_sum() -> None:
    # Seed 001: core funding £12,527 with £1,708 top-sliced (£14,235 in total).
    assert format_money(parse_money("£12,527") + parse_money("£1,708")) == "£14,235"


def test_format_money() -> None:
    assert format_money(1_252_700) == "£12,527"
    assert format_money(130_050) == "£1,300.50"
    assert format_money(-20_000) == "-£200"
    assert format_money(0) == "£0"
    assert format_money(400_000, pennies=True) == "£4,000.00"
