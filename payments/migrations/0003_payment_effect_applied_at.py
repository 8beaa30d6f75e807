"""A payment's effect is applied once: record when.  Payments paid before this migration have had theirs."""

from django.db import migrations, models
from django.db.models.functions import Coalesce


def mark_applied(apps, schema_editor):
    Payment = apps.get_model("payments", "Payment")
    Payment.objects.filter(models.Q(status="paid") | models.Q(paid_at__isnull=False)).update(
        effect_applied_at=Coalesce("paid_at", "status_changed_at", "created_at")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("payments", "0002_staff_roles"),
    ]

    operations = [
        migrations.AddField(
            model_name="payment",
            name="effect_applied_at",
            field=models.DateTimeField(
                blank=True,
                help_text=(
                    "When the payment was first paid and its owner's handler applied it (order paid, period added, "
                    "credits granted); it is applied only once, whatever statuses Mollie reports later."
                ),
                null=True,
                verbose_name="effect applied at",
            ),
        ),
        migrations.RunPython(mark_applied, migrations.RunPython.noop),
    ]
