"""Schedule the daily pruning of old Patreon webhook deliveries with the django-q2 worker.

Idempotent: re-running (or a schedule created by hand under the same name) leaves one row.
"""

from django.db import migrations

SCHEDULE_NAME = "Prune old Patreon webhook deliveries"  # patreon_sync.tasks.PRUNE_SCHEDULE_NAME
FUNC = "patreon_sync.tasks.prune_webhook_deliveries"


def create_schedule(apps, schema_editor):
    Schedule = apps.get_model("django_q", "Schedule")
    schedule = Schedule.objects.filter(name=SCHEDULE_NAME).order_by("pk").first()
    if schedule is None:
        Schedule.objects.create(name=SCHEDULE_NAME, func=FUNC, schedule_type="D", repeats=-1)
    elif schedule.func != FUNC:
        schedule.func = FUNC
        schedule.save(update_fields=["func"])


def remove_schedule(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(name=SCHEDULE_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("patreon_sync", "0004_tier_url"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
