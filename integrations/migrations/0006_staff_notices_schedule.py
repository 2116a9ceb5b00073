"""Schedule the staff-notice check every five minutes with the django-q2 worker.

Idempotent: re-running (or a schedule created by hand under the same name) leaves one row.
"""

from django.db import migrations

from events.schedules import schedule_operation

SCHEDULE_NAME = "Tell staff about integration problems"  # integrations.notices.tasks
FUNC = "integrations.notices.tasks.notify_staff"


class Migration(migrations.Migration):
    dependencies = [
        ("integrations", "0005_staff_notices"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [schedule_operation(name=SCHEDULE_NAME, func=FUNC, schedule_type="I", minutes=5)]
