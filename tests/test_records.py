"""nexus.records.built_fast: a frozen record built faster is the same record, still frozen."""
import dataclasses
from datetime import date
from decimal import Decimal

import pytest

from nexus.errors import Location
from nexus.records import built_fast
from nexus.orders import Order


@dataclasses.dataclass(frozen=True)
class _Plain:
    a: str
    b: int = 2
    c: tuple = ()


Fast = built_fast(dataclasses.dataclass(frozen=True)(type("Fast", (), {
    "__annotations__": {"a": "str", "b": "int", "c": "tuple"}, "b": 2, "c": ()})))


def test_the_record_built_fast_has_the_fields_and_defaults_the_dataclass_gives():
    assert vars(Fast("x")) == vars(_Plain("x")) == {"a": "x", "b": 2, "c": ()}
    assert vars(Fast("x", c=(1,), b=5)) == {"a": "x", "b": 5, "c": (1,)}
    assert Fast("x") == Fast("x") and hash(Fast("x")) == hash(Fast("x")) and Fast("x") != Fast("y")
    assert dataclasses.replace(Fast("x"), b=7) == Fast("x", 7)
    with pytest.raises(TypeError):
        Fast()  # the field without a default is still required
    with pytest.raises(TypeError):
        Fast("x", 2, (), 4)


def test_the_record_built_fast_still_refuses_assignment():
    record = Fast("x")
    with pytest.raises(dataclasses.FrozenInstanceError):
        record.a = "y"


def test_an_order_and_a_location_are_built_as_their_fields_say():
    where = Location("orders.csv", 3)
    assert (where.file, where.line, where.column, where.value) == ("orders.csv", 3, None, None)
    order = Order("#1001", date(2025, 1, 2), "US-CA", Decimal("10.00"), "USD", "direct", "sale", "no", "goods", where,
                  tax=Decimal("0.73"), id_column="Name")
    assert order.shipping == Decimal(0) and order.tax == Decimal("0.73") and order.rows == 1 and order.parts == ()
    assert order.id_column == "Name" and order.category_source == "column" and order.location is where
    with pytest.raises(dataclasses.FrozenInstanceError):
        order.amount = Decimal(1)


def test_a_record_whose_init_would_skip_something_is_refused():
    @dataclasses.dataclass(frozen=True)
    class Factory:
        a: list = dataclasses.field(default_factory=list)

    @dataclasses.dataclass(frozen=True)
    class Checked:
        a: int

        def __post_init__(self) -> None:
            assert self.a > 0

    @dataclasses.dataclass
    class Mutable:
        a: int

    for cls in (Factory, Checked, Mutable):
        with pytest.raises(TypeError):
            built_fast(cls)
