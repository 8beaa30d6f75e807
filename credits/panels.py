"""The credits app's dashboard panels (registered in ``AppConfig.ready``)."""


def _balance(user) -> int:
    """The balance both panels show, asked once per render of the dashboard."""
    from credits.selectors import balance_of
    from portal.dashboard import shared

    return shared(user, "credits.balance", lambda: balance_of(user))


def credits_panel(user):
    from portal.dashboard import Panel

    return Panel("credits/panel.html", {"balance": _balance(user)}, order=40)


def attention_items(user):
    """The credit balance, beside what is due: a fact to act on, never something due itself (no query of its own)."""
    from portal.attention import Item

    return [Item("credits/_attention_balance.html", {"balance": _balance(user)}, due=False, order=90)]
