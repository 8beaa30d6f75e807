"""The accounts app's dashboard panels (registered in ``AppConfig.ready``)."""


def activity_panel(user):
    """The customer's latest entries of the activity log, last on the dashboard (one query)."""
    from accounts.selectors import activity_recent
    from portal.dashboard import Panel

    return Panel("accounts/_activity_panel.html", {"recent_activity": activity_recent(user=user)}, order=1000)
