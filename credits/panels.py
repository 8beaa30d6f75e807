"""The credits app's dashboard panels (registered in ``AppConfig.ready``)."""


def credits_panel(user):
    from credits.selectors import balance_of
    from portal.dashboard import Panel

    return Panel("credits/panel.html", {"balance": balance_of(user)}, order=40)
