from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("contact", "0004_threads_from_answers")]

    operations = [migrations.RemoveField(model_name="contactrequest", name="answer")]
