from decimal import Decimal

import pytest
from hypothesis import given, strategies as st

from nexus.errors import BadAmount, UnknownCode
from nexus.money import currency, format_amount, minor_units, parse_amount, quantize, to_money


@pytest.mark.parametrize("text, expected", [
    ("1234.56", Decimal("1234.56")), ("-1234.56", Decimal("-1234.56")), ("1,234.56", Decimal("1234.56")),
    ("(1,234.56)", Decimal("-1234.56")), (" 12 ", Decimal("12")), ("+3.5", Decimal("3.5")),
    ("1,000,000", Decimal("1000000")), (0.1, Decimal("0.1")), (7, Decimal(7)),
])
def test_parse_amount_reads_accounting_forms(text, expected):
    assert parse_amount(text) == expected


@pytest.mark.parametrize("text", ["", "abc", "1,23", "1.234,56", "12-", "(-5)", "1e5", "NaN", True, None,
                                  float("nan"), "€5", "1,2345"])
def test_parse_amount_refuses_everything_else(text):
    with pytest.raises(BadAmount):
        parse_amount(text)


def test_decimal_comma_gets_a_hint():
    with pytest.raises(BadAmount, match="decimal"):
        parse_amount("1.234,56")


def test_minor_units_follow_iso():
    assert (minor_units("JPY"), minor_units("USD"), minor_units("BHD")) == (0, 2, 3)


def test_rounding_is_half_up_in_the_currency_minor_unit():
    assert quantize(Decimal("2.665"), "USD") == Decimal("2.67")
    assert quantize(Decimal("1234.5"), "JPY") == Decimal("1235")
    assert quantize(Decimal("1.0005"), "BHD") == Decimal("1.001")
    assert format_amount(Decimal("1234567.5"), "JPY") == "1,234,568"
    assert to_money(Decimal("10.005"), "USD").amount == Decimal("10.01")


def test_unknown_currency_is_refused():
    with pytest.raises(UnknownCode):
        currency("ABC")
    assert currency(" usd ").code == "USD"


@given(st.decimals(min_value=-10**9, max_value=10**9, places=2, allow_nan=False, allow_infinity=False))
def test_parse_amount_round_trips_text(value):
    assert parse_amount(str(value)) == value
    assert parse_amount(f"{value:,}") == value
