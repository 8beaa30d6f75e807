"""The domain products sold so far get the extension they register, read from their code or title.

"domain-com" or ".com-domeinnaam (1 jaar)" sells ".com"; a product whose extension cannot be read is
left without one (it sells any extension, as before) for staff to set.
"""

import re

from django.db import migrations

SLUG = re.compile(r"^domain-([a-z0-9-]{2,63})$")
TITLE = re.compile(r"^\s*(\.[a-z0-9]{2,63})(?![a-z0-9])", re.IGNORECASE)


def extension_of(slug: str, title: str) -> str:
    if match := SLUG.match(slug):
        return f".{match.group(1)}"
    if match := TITLE.match(title):
        return match.group(1).lower()
    return ""


def forwards(apps, schema_editor):
    Product = apps.get_model("orders", "Product")
    for product in Product.objects.filter(kind="domain", extensions=""):
        extension = extension_of(product.slug, product.title)
        if extension:
            product.extensions = extension
            product.save(update_fields=["extensions"])


class Migration(migrations.Migration):
    dependencies = [("orders", "0005_cart_and_product_targets")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
