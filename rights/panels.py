"""The rights app's dashboard panel (registered in ``AppConfig.ready``)."""

from django.urls import reverse

from portal.dashboard import Panel
from rights.models import DataExport


def dashboard_panel(user) -> Panel:
    export = DataExport.objects.filter(user=user).order_by("-created_at").first()
    return Panel(
        "rights/_panel.html",
        {"export": export, "my_data_url": reverse("rights:my_data"), "rights_url": reverse("rights:rights")},
        order=80,
    )
