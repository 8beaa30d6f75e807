"""Finance looks after the catalogue and reads orders, invoices and shipments; support reads them."""

from django.db import migrations

from portal.roles import FINANCE, SUPPORT, grant


def grant_roles(apps, schema_editor):
    grant(
        apps,
        schema_editor,
        "orders",
        {
            FINANCE: ["view_order", "view_orderline", "view_shipment", "view_product", "add_product",
                      "change_product", "view_invoicecounter"],
            SUPPORT: ["view_order", "view_orderline", "view_shipment", "view_product"],
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0001_initial"),
        ("accounts", "0002_staff_roles"),
    ]

    operations = [migrations.RunPython(grant_roles, migrations.RunPython.noop)]
