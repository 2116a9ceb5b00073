"""Recurring django-q2 tasks, created by data migrations so `migrate` is all a deploy needs.

It lives in `events`, the app every other one may import (and which imports none of them), so
the events app's own migrations and every integration's use the one helper.
"""

from django.db import migrations


def schedule_operation(
    *, name: str, func: str, schedule_type: str, minutes: int | None = None
) -> migrations.RunPython:
    """A migration operation that keeps exactly one schedule `name` running `func`.

    Idempotent: an existing schedule of that name keeps its interval (staff may have changed
    it in the admin); only a stale `func` is corrected. Reversing removes it.
    """

    def create(apps, schema_editor):
        schedules = apps.get_model("django_q", "Schedule").objects
        schedule = schedules.filter(name=name).order_by("pk").first()
        if schedule is None:
            schedules.create(
                name=name, func=func, schedule_type=schedule_type, minutes=minutes, repeats=-1
            )
        elif schedule.func != func:
            schedule.func = func
            schedule.save(update_fields=["func"])

    def remove(apps, schema_editor):
        apps.get_model("django_q", "Schedule").objects.filter(name=name).delete()

    return migrations.RunPython(create, remove)
