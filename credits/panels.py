"""The credits app's dashboard panels (registered in ``AppConfig.ready``)."""


def credits_panel(user):
    from credits.selectors import balance_of
    from portal.dashboard import Panel

    return Panel("credits/panel.html", {"balance": balance_of(user)}, order=40)


def attention_items(user):
    """The credit balance, beside what is due: a fact to act on, never something due itself (one query)."""
    from credits.selectors import balance_of
    from portal.attention import Item

    return [Item("credits/_attention_balance.html", {"balance": balance_of(user)}, due=False, order=90)]
