"""Seed the post templates: the seed document's three texts, and a default for other types.

Existing rows are left alone, so staff edits survive re-running migrations elsewhere.
"""

from django.db import migrations

TEMPLATES = {
    "live_singer": (
        "Live Music at The Dreamer's Cave!\n\n{title}\n\n{artists}\n\n"
        "When: {date} at {time} SLT\nWhere: {location}\n\nYou Can See The Music!\n\n{url}"
    ),
    "dj_set": (
        "DJ Set at The Dreamer's Cave!\n\n{title}\n\n{artists}\n\n"
        "When: {date} at {time} SLT\nWhere: {location}\n\n{url}"
    ),
    "tribute_concert": (
        "Tribute Concert!\n\n{title}\n\n{artists}\n\n"
        "When: {date} at {time} SLT\nWhere: {location}\n\nYou Can See The Music!\n\n{url}"
    ),
    "default": (
        "Coming up at The Dreamer's Cave!\n\n{title}\n\n{artists}\n\n"
        "When: {date} at {time} SLT\nWhere: {location}\n\n{url}"
    ),
}


def seed(apps, schema_editor):
    PostTemplate = apps.get_model("facebook", "PostTemplate")
    for event_type, text in TEMPLATES.items():
        PostTemplate.objects.get_or_create(event_type=event_type, defaults={"text": text})


def unseed(apps, schema_editor):
    PostTemplate = apps.get_model("facebook", "PostTemplate")
    for event_type, text in TEMPLATES.items():
        PostTemplate.objects.filter(event_type=event_type, text=text).delete()


class Migration(migrations.Migration):
    dependencies = [("facebook", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
