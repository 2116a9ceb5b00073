"""Old external-call log rows leave on a schedule; recent ones stay."""

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_q.models import Schedule

from integrations.log_retention import prune_call_log
from integrations.models import IntegrationLog
from integrations.tasks import PRUNE_SCHEDULE_NAME, prune_integration_log

pytestmark = pytest.mark.django_db


def log_row(*, age: timedelta, service: str = "facebook") -> IntegrationLog:
    row = IntegrationLog.objects.create(
        service=service, operation="page_post", outcome=IntegrationLog.Outcome.OK
    )
    # created_at is auto_now_add: set the age afterwards, as the clock would have.
    IntegrationLog.objects.filter(pk=row.pk).update(created_at=timezone.now() - age)
    return row


def test_rows_older_than_the_retention_are_deleted_and_newer_ones_kept(settings):
    settings.INTEGRATION_LOG_RETENTION_DAYS = 30
    old = log_row(age=timedelta(days=30, minutes=1))
    ancient = log_row(age=timedelta(days=400))
    recent = log_row(age=timedelta(days=29, hours=23))

    assert prune_call_log() == 2

    remaining = set(IntegrationLog.objects.values_list("pk", flat=True))
    assert remaining == {recent.pk}
    assert old.pk not in remaining and ancient.pk not in remaining


def test_pruning_works_through_many_rows_in_batches(settings):
    settings.INTEGRATION_LOG_RETENTION_DAYS = 7
    for _ in range(7):
        log_row(age=timedelta(days=8))
    keep = log_row(age=timedelta(days=1))

    assert prune_call_log(batch_size=3) == 7
    assert list(IntegrationLog.objects.values_list("pk", flat=True)) == [keep.pk]


def test_pruning_an_empty_log_deletes_nothing():
    assert prune_call_log() == 0


def test_a_retention_below_one_day_is_refused_and_deletes_nothing(settings):
    settings.INTEGRATION_LOG_RETENTION_DAYS = 0
    log_row(age=timedelta(days=3))
    with pytest.raises(ValueError, match="at least 1 day"):
        prune_call_log()
    assert IntegrationLog.objects.count() == 1


def test_the_task_prunes_with_the_retention_setting(settings):
    settings.INTEGRATION_LOG_RETENTION_DAYS = 10
    log_row(age=timedelta(days=11))
    log_row(age=timedelta(days=9))
    assert prune_integration_log() == 1
    assert IntegrationLog.objects.count() == 1


def test_the_command_prunes_and_says_how_many(settings, capsys):
    settings.INTEGRATION_LOG_RETENTION_DAYS = 30
    log_row(age=timedelta(days=31))
    log_row(age=timedelta(days=1))
    call_command("prune_integration_log")
    assert "Deleted 1 log rows" in capsys.readouterr().out
    assert IntegrationLog.objects.count() == 1


def test_the_command_dry_run_deletes_nothing(capsys):
    log_row(age=timedelta(days=45))
    call_command("prune_integration_log", "--dry-run", "--days", "40")
    assert "Would delete 1 log rows" in capsys.readouterr().out
    assert IntegrationLog.objects.count() == 1


def test_the_command_refuses_a_retention_of_zero_days():
    log_row(age=timedelta(days=2))
    with pytest.raises(CommandError, match="at least 1 day"):
        call_command("prune_integration_log", "--days", "0")
    assert IntegrationLog.objects.count() == 1


def test_migrations_schedule_the_pruning_daily_exactly_once():
    [schedule] = Schedule.objects.filter(name=PRUNE_SCHEDULE_NAME)
    assert schedule.func == "integrations.tasks.prune_integration_log"
    assert schedule.schedule_type == Schedule.DAILY
    assert schedule.repeats == -1


def test_creating_the_schedule_again_keeps_one_row():
    from importlib import import_module

    from django.apps import apps as global_apps
    from django.db import connection

    migration = import_module("integrations.migrations.0002_prune_schedule")
    create = migration.Migration.operations[0].code
    create(global_apps, connection.schema_editor())
    create(global_apps, connection.schema_editor())
    assert Schedule.objects.filter(name=PRUNE_SCHEDULE_NAME).count() == 1
