"""LegalHold moves here from the retention app by state alone: its table keeps its name (no live rename)."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("retention", "0002_staff_roles"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='LegalHold',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('object_id', models.CharField(blank=True, max_length=64, verbose_name='record id')),
                        ('reason', models.TextField(help_text='The legal ground: a claim, an investigation, a court order.', verbose_name='reason')),
                        ('placed_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='placed at')),
                        ('released_at', models.DateTimeField(blank=True, db_index=True, null=True, verbose_name='released at')),
                        ('content_type', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, to='contenttypes.contenttype', verbose_name='record type')),
                        ('placed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='placed by')),
                        ('released_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='released by')),
                        ('user', models.ForeignKey(blank=True, help_text='Holds every record of this customer, including records found by their email address.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='person')),
                    ],
                    options={
                        'verbose_name': 'legal hold',
                        'verbose_name_plural': 'legal holds',
                        'ordering': ['-placed_at', '-id'],
                        'db_table': 'retention_legalhold',
                        'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('user__isnull', False), ('content_type__isnull', True), ('object_id', '')), models.Q(('user__isnull', True), ('content_type__isnull', False), models.Q(('object_id', ''), _negated=True)), _connector='OR'), name='legal_hold_person_or_record', violation_error_message='Hold either a person, or one record (its type and id), not both.')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
