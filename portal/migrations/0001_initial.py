"""Activity moves here from the accounts app by state alone: its table keeps its name (no live rename)."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("accounts", "0002_staff_roles"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Activity',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('action', models.CharField(db_index=True, max_length=40, verbose_name='action')),
                        ('detail', models.JSONField(blank=True, default=dict, verbose_name='detail')),
                        ('ip_address', models.GenericIPAddressField(blank=True, null=True, verbose_name='IP address')),
                        ('created_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='when')),
                        ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='done by staff member')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='activities', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'activity',
                        'verbose_name_plural': 'activity log',
                        'ordering': ['-created_at', '-id'],
                        'db_table': 'accounts_activity',
                        'indexes': [models.Index(fields=['user', '-created_at'], name='activity_user_recent')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
