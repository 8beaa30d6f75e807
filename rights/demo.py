"""Demo life: the demo customer's data export, ready to download ("my data")."""

from portal import demo
from rights.models import DataExport
from rights.services import export_build, export_request


def life(*, customer, staff, stdout, options) -> None:
    if customer is None or DataExport.objects.filter(user=customer).exists():
        return
    export = export_request(user=customer)
    export_build(export_id=str(export.pk))  # what the worker's task does; it finds the export built already
    stdout.write("  rights: one data export ready to download")


demo.register_life(life, order=90)
