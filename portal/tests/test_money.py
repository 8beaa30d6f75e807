from decimal import Decimal

from django.template import Context, Template
from django.utils import translation

from portal.money import cents, money


def test_amounts_are_written_the_dutch_way_in_dutch_and_the_english_way_in_english():
    with translation.override("nl"):
        assert money(Decimal("1341")) == "€\N{NO-BREAK SPACE}1.341,00"
        assert money(Decimal("-9.95")) == "-€\N{NO-BREAK SPACE}9,95"
    with translation.override("en"):
        assert money(Decimal("1341")) == "€1,341.00"
        assert money("9.95") == "€9.95"


def test_the_template_filter_is_the_same_function():
    with translation.override("nl"):
        rendered = Template("{% load money %}{{ amount|money }}").render(Context({"amount": Decimal("1234.5")}))
    assert rendered == "€\N{NO-BREAK SPACE}1.234,50"


def test_cents_are_exact():
    assert cents(Decimal("19.99")) == 1999
    assert money(None) == ""
