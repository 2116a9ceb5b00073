"""Schedule the daily `sync_patrons` reconciliation with the django-q2 worker.

Idempotent: re-running (or a schedule created by hand under the same name) leaves one row.
"""

from django.db import migrations

from events.schedules import schedule_operation

SCHEDULE_NAME = "Sync Patreon supporters"  # patreon_sync.tasks.SYNC_SCHEDULE_NAME
FUNC = "patreon_sync.tasks.sync_patrons"


class Migration(migrations.Migration):
    dependencies = [
        ("patreon_sync", "0001_initial"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [schedule_operation(name=SCHEDULE_NAME, func=FUNC, schedule_type="D")]
