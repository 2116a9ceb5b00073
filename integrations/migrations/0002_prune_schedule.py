"""Schedule the daily pruning of the external-call log with the django-q2 worker.

Idempotent: re-running (or a schedule created by hand under the same name) leaves one row.
"""

from django.db import migrations

from events.schedules import schedule_operation

SCHEDULE_NAME = "Prune the external-call log"  # integrations.tasks.PRUNE_SCHEDULE_NAME
FUNC = "integrations.tasks.prune_integration_log"


class Migration(migrations.Migration):
    dependencies = [
        ("integrations", "0001_initial"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [schedule_operation(name=SCHEDULE_NAME, func=FUNC, schedule_type="D")]
