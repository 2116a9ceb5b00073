"""Schedule the hourly calendar reconcile with the django-q2 worker: the repair that catches
whatever a task missed (a failed push, an event deleted while the worker was down).

Idempotent: an existing schedule under the same name (staff may have changed its interval) is
kept; without the Google settings the task records a skip.
"""

from django.db import migrations

from events.schedules import schedule_operation

SCHEDULE_NAME = "Reconcile the Google Calendars"
FUNC = "integrations.google_calendar.tasks.reconcile_calendars"


class Migration(migrations.Migration):
    dependencies = [
        ("google_calendar", "0001_initial"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [schedule_operation(name=SCHEDULE_NAME, func=FUNC, schedule_type="H")]
