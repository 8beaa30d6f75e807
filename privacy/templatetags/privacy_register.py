"""Template tags that read the processing register, so no template or email states a period itself.

``{% load privacy_register %}`` then ``{% retention_period "order_completed" %}`` renders the rule's
period ("7 jaar" under Dutch, "7 years" under English), including a setting that tunes it;
``{% retention_period order.purpose_rule as period %}`` stores it for a ``blocktranslate``.
``{% purpose_name "P1" %}`` renders the purpose's name in the active language.
"""

from django import template

from privacy import register as processing_register

register = template.Library()


@register.simple_tag
def retention_period(rule_key: str) -> str:
    """The period of the register's retention rule ``rule_key``, in the active language."""
    return processing_register.rule(rule_key).period_text()


@register.simple_tag
def purpose_name(purpose_id: str) -> str:
    """The name of the register's purpose ``purpose_id`` ("P1"), in the active language."""
    return processing_register.purpose(purpose_id).name
