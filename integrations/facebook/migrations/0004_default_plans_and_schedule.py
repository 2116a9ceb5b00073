"""The default announcement plans of the four event types, and the every-minute run of the
task that publishes scheduled Page posts when their time comes.

Existing plans are left alone (staff edits survive); the schedule is kept if it exists.
"""

import datetime

from django.db import migrations

from events.schedules import schedule_operation

SCHEDULE_NAME = "Publish scheduled Facebook posts"
FUNC = "integrations.facebook.tasks.publish_due_posts"
ROME = "Europe/Rome"

WEEK_BEFORE = {"kind": "days_before", "days_before": 7, "at_time": datetime.time(19, 0)}
DAY_BEFORE = {"kind": "days_before", "days_before": 1, "at_time": datetime.time(19, 0)}
ON_THE_DAY = {"kind": "days_before", "days_before": 0, "at_time": datetime.time(12, 0)}
STARTING_SOON = {"kind": "minutes_before", "minutes_before": 15}

PLANS = {
    "live_singer": [WEEK_BEFORE, ON_THE_DAY, STARTING_SOON],
    "dj_set": [DAY_BEFORE, ON_THE_DAY, STARTING_SOON],
    "tribute_concert": [WEEK_BEFORE, DAY_BEFORE, ON_THE_DAY, STARTING_SOON],
    "special": [WEEK_BEFORE, DAY_BEFORE, ON_THE_DAY, STARTING_SOON],
}


def seed(apps, schema_editor):
    Moment = apps.get_model("facebook", "AnnouncementMoment")
    for event_type, moments in PLANS.items():
        if Moment.objects.filter(event_type=event_type).exists():
            continue
        for order, moment in enumerate(moments):
            Moment.objects.create(event_type=event_type, order=order, time_zone=ROME, **moment)


def unseed(apps, schema_editor):
    apps.get_model("facebook", "AnnouncementMoment").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("facebook", "0003_announcement_plans"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [
        migrations.RunPython(seed, unseed),
        # "I" (minutes) with no count runs every minute.
        schedule_operation(name=SCHEDULE_NAME, func=FUNC, schedule_type="I", minutes=1),
    ]
