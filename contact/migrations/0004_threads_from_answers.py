"""Each request's stored answer becomes the first staff message of its thread; the status follows the timestamps."""

from django.db import migrations


def forwards(apps, schema_editor):
    ContactRequest = apps.get_model("contact", "ContactRequest")
    ContactMessage = apps.get_model("contact", "ContactMessage")
    ContactRequest.objects.filter(satisfied_at__isnull=False).update(status="satisfied")
    ContactRequest.objects.filter(
        satisfied_at__isnull=True, answered_at__isnull=False, not_yet_at__isnull=True
    ).update(status="answered")
    batch = []
    answered = ContactRequest.objects.exclude(answer="").filter(answered_at__isnull=False)
    for row in answered.values("pk", "answer", "answered_at", "answered_by_id").iterator(chunk_size=1000):
        batch.append(
            ContactMessage(
                request_id=row["pk"],
                author="staff",
                staff_id=row["answered_by_id"],
                body=row["answer"],
                created_at=row["answered_at"],
            )
        )
        if len(batch) >= 1000:
            ContactMessage.objects.bulk_create(batch)
            batch = []
    ContactMessage.objects.bulk_create(batch)


def backwards(apps, schema_editor):
    """The latest staff message goes back into ``answer``; the replies cannot be kept in the old shape."""
    ContactRequest = apps.get_model("contact", "ContactRequest")
    ContactMessage = apps.get_model("contact", "ContactMessage")
    for message in ContactMessage.objects.filter(author="staff").order_by("created_at", "id").iterator():
        ContactRequest.objects.filter(pk=message.request_id).update(answer=message.body)


class Migration(migrations.Migration):
    dependencies = [("contact", "0003_thread_messages_and_status")]

    operations = [migrations.RunPython(forwards, backwards)]
