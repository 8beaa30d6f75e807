"""Products carry a title, not a "name": the name-like field made them look like personal data."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0002_staff_roles"),
    ]

    operations = [
        migrations.RenameField("product", "name", "title"),
        migrations.RenameField("product", "name_en", "title_en"),
        migrations.AlterField(
            model_name="product", name="title", field=models.CharField(max_length=120, verbose_name="title (Dutch)")
        ),
        migrations.AlterField(
            model_name="product", name="title_en",
            field=models.CharField(max_length=120, verbose_name="title (English)"),
        ),
    ]
