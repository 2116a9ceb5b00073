"""Series (residencies): dates are ordinary events, created ahead and kept in line with the
series, except the ones staff changed on their own. The clock is passed in as `now`."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from events.models import Artist, Event, Series, SeriesArtist
from events.series import (
    SeriesError,
    _create_date,
    series_adopt_event,
    series_date_move,
    series_date_skip,
    series_end,
    series_extend_all,
    series_held,
    series_sync,
)
from events.series_rules import parse_rule
from events.services import event_set_artists

ROME = ZoneInfo("Europe/Rome")


@pytest.fixture
def make_series(db, location):
    """A series saved without syncing, so each test syncs it with its own clock."""

    def make(**fields):
        artists = fields.pop("artists", ["DJ Kairos"])
        values = {
            "title": "Friday Deep House",
            "event_type": Event.EventType.DJ_SET,
            "audience": Event.Audience.PUBLIC,
            "status": Series.Status.PUBLISHED,
            "location": location,
            "rule": "FREQ=WEEKLY;BYDAY=FR",
            "first_date": date(2027, 3, 5),
            "start_time": time(22, 0),
            "duration": timedelta(hours=2),
            "timezone": "Europe/Rome",
            **fields,
        }
        with series_held():
            series = Series.objects.create(**values)
            for order, name in enumerate(artists):
                SeriesArtist.objects.create(
                    series=series, artist=Artist.objects.get_or_create(name=name)[0], order=order
                )
        return series

    return make


def _dates(series):
    return list(Event.objects.filter(series=series).order_by("series_date"))


def _local(event):
    return event.start_time.astimezone(ZoneInfo(event.timezone))


def _edit_series(series, now, **changes):
    for name, value in changes.items():
        setattr(series, name, value)
    with series_held():
        series.save()
    return series_sync(series=series, now=now)


# --- generation across DST ---------------------------------------------------------------------


def test_weekly_dates_keep_their_wall_clock_time_across_the_spring_dst_change(make_series):
    series = make_series()
    series_sync(series=series, now=datetime(2027, 3, 1, 12, tzinfo=UTC))

    dates = _dates(series)
    assert [event.series_date for event in dates] == [
        date(2027, 3, 5),
        date(2027, 3, 12),
        date(2027, 3, 19),
        date(2027, 3, 26),
        date(2027, 4, 2),
        date(2027, 4, 9),
        date(2027, 4, 16),
        date(2027, 4, 23),
    ]
    assert {_local(event).time() for event in dates} == {time(22, 0)}
    # Rome is UTC+1 before 28 March 2027 and UTC+2 after: the UTC hour moves, the night does not.
    assert dates[3].start_time == datetime(2027, 3, 26, 21, 0, tzinfo=UTC)
    assert dates[4].start_time == datetime(2027, 4, 2, 20, 0, tzinfo=UTC)
    assert all(event.end_time - event.start_time == timedelta(hours=2) for event in dates)


def test_every_other_sunday_lands_on_the_dst_day_at_the_same_local_time(make_series):
    series = make_series(
        rule="FREQ=WEEKLY;INTERVAL=2;BYDAY=SU", first_date=date(2027, 3, 14), start_time=time(18)
    )
    series_sync(series=series, now=datetime(2027, 3, 10, tzinfo=UTC))

    dates = _dates(series)
    assert [event.series_date for event in dates] == [
        date(2027, 3, 14),
        date(2027, 3, 28),
        date(2027, 4, 11),
        date(2027, 4, 25),
    ]
    assert dates[0].start_time == datetime(2027, 3, 14, 17, 0, tzinfo=UTC)
    assert dates[1].start_time == datetime(2027, 3, 28, 16, 0, tzinfo=UTC)  # the DST day itself
    assert {_local(event).time() for event in dates} == {time(18, 0)}


def test_monthly_first_saturday_across_the_us_dst_change(make_series, settings):
    settings.SERIES_HORIZON_WEEKS = 20
    series = make_series(
        rule="FREQ=MONTHLY;BYDAY=1SA",
        first_date=date(2027, 1, 1),
        start_time=time(12, 0),
        timezone="America/Los_Angeles",
    )
    series_sync(series=series, now=datetime(2026, 12, 31, tzinfo=UTC))

    dates = _dates(series)
    assert [event.series_date for event in dates] == [
        date(2027, 1, 2),
        date(2027, 2, 6),
        date(2027, 3, 6),
        date(2027, 4, 3),
        date(2027, 5, 1),
    ]
    assert dates[2].start_time == datetime(2027, 3, 6, 20, 0, tzinfo=UTC)  # PST, UTC-8
    assert dates[3].start_time == datetime(2027, 4, 3, 19, 0, tzinfo=UTC)  # PDT, UTC-7
    assert {_local(event).time() for event in dates} == {time(12, 0)}


def test_the_last_weekday_of_the_month(make_series, settings):
    settings.SERIES_HORIZON_WEEKS = 13  # to 1 April
    series = make_series(rule="FREQ=MONTHLY;BYDAY=-1FR", first_date=date(2027, 1, 1))
    series_sync(series=series, now=datetime(2026, 12, 31, tzinfo=UTC))

    assert [event.series_date for event in _dates(series)] == [
        date(2027, 1, 29),
        date(2027, 2, 26),
        date(2027, 3, 26),
    ]


def test_dates_copy_the_series_texts_line_up_and_place(make_series, location):
    series = make_series(
        title_it="Venerdì deep house",
        description="Four to the floor.",
        artists=["DJ Kairos", "MC Echo"],
        audience=Event.Audience.STAFF,
    )
    series_sync(series=series, now=datetime(2027, 3, 1, tzinfo=UTC))

    event = _dates(series)[0]
    assert (event.title, event.title_it, event.description) == (
        "Friday Deep House",
        "Venerdì deep house",
        "Four to the floor.",
    )
    assert event.event_type == Event.EventType.DJ_SET
    assert event.audience == Event.Audience.STAFF
    assert event.location == location
    assert event.artist_names == "DJ Kairos, MC Echo"
    assert event.edited_on_its_own is False


def test_a_draft_series_makes_drafts_and_publishing_schedules_them(make_series):
    now = datetime(2027, 3, 1, tzinfo=UTC)
    series = make_series(status=Series.Status.DRAFT)
    series_sync(series=series, now=now)
    assert {event.status for event in _dates(series)} == {Event.Status.DRAFT}

    _edit_series(series, now, status=Series.Status.PUBLISHED)
    assert {event.status for event in _dates(series)} == {Event.Status.SCHEDULED}


def test_nights_already_gone_are_not_created(make_series):
    series = make_series(first_date=date(2027, 1, 1))
    # Friday 5 March, 22:30 in Rome: that night has started; the next one is the first made.
    series_sync(series=series, now=datetime(2027, 3, 5, 21, 30, tzinfo=UTC))
    assert _dates(series)[0].series_date == date(2027, 3, 12)


def test_the_last_date_ends_generation(make_series):
    series = make_series(until=date(2027, 3, 19))
    series_sync(series=series, now=datetime(2027, 3, 1, tzinfo=UTC))
    assert [event.series_date for event in _dates(series)] == [
        date(2027, 3, 5),
        date(2027, 3, 12),
        date(2027, 3, 19),
    ]


# --- horizon and idempotency -------------------------------------------------------------------


def test_the_daily_task_moves_the_horizon_on(make_series, settings):
    settings.SERIES_HORIZON_WEEKS = 2
    series = make_series()
    first = series_extend_all(now=datetime(2027, 3, 1, tzinfo=UTC))
    assert [event.series_date for event in first.created] == [date(2027, 3, 5), date(2027, 3, 12)]

    a_week_later = series_extend_all(now=datetime(2027, 3, 8, tzinfo=UTC))
    assert [event.series_date for event in a_week_later.created] == [date(2027, 3, 19)]
    assert len(_dates(series)) == 3


def test_a_repeated_task_makes_no_second_event_for_a_night(make_series):
    series = make_series()
    now = datetime(2027, 3, 1, tzinfo=UTC)
    assert len(series_sync(series=series, now=now).created) == 8

    again = series_sync(series=series, now=now)
    assert (again.created, again.updated, again.cancelled) == ([], [], [])
    assert Event.objects.filter(series=series).count() == 8


def test_the_database_refuses_a_second_event_for_the_same_night(make_series):
    series = make_series()
    series_sync(series=series, now=datetime(2027, 3, 1, tzinfo=UTC))
    night = _dates(series)[0]
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.create(
            series=series,
            series_date=night.series_date,
            title="Doubled",
            start_time=night.start_time,
            end_time=night.end_time,
        )
    assert Event.objects.filter(series=series, series_date=night.series_date).count() == 1


def test_a_night_another_worker_created_first_is_left_to_it(make_series):
    series = make_series()
    series_sync(series=series, now=datetime(2027, 3, 1, tzinfo=UTC))
    night = date(2027, 3, 5)

    assert _create_date(series=series, night=night, line_up=[]) is None
    assert Event.objects.filter(series=series, series_date=night).count() == 1


def test_created_dates_reach_the_calendar_sync_one_task_each(
    make_series, django_capture_on_commit_callbacks
):
    from integrations.google_calendar.queue import SYNC_TASK
    from integrations.queueing import OnCommit

    series = make_series()
    with django_capture_on_commit_callbacks() as callbacks:
        created = series_sync(series=series, now=datetime(2027, 3, 1, tzinfo=UTC)).created
    queued = [
        callback.key[1]
        for callback in callbacks
        if isinstance(callback, OnCommit) and callback.key[0] == SYNC_TASK
    ]
    assert sorted(queued) == sorted(event.pk for event in created)


def test_extend_series_command_runs_the_task_now(make_series):
    from io import StringIO

    from django.core.management import call_command

    tomorrow = timezone.now().astimezone(ROME).date() + timedelta(days=1)
    series = make_series(first_date=tomorrow, rule="FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA,SU")
    out = StringIO()
    call_command("extend_series", stdout=out)
    # Every night from tomorrow to eight weeks from today.
    assert Event.objects.filter(series=series).count() == 56
    assert out.getvalue().startswith("56 dates created")


# --- editing the series against dates edited on their own -------------------------------------

NOW = datetime(2027, 3, 15, 12, tzinfo=UTC)  # Monday: 5 and 12 March are past


@pytest.fixture
def residency(make_series):
    series = make_series()
    series_sync(series=series, now=datetime(2027, 3, 1, tzinfo=UTC))
    return series


def _night(series, month, day):
    return Event.objects.get(series=series, series_date=date(2027, month, day))


def test_a_series_edit_updates_future_dates_but_never_past_ones(residency):
    result = _edit_series(
        residency,
        NOW,
        title="Friday Techno",
        description="Harder.",
        start_time=time(23, 0),
        duration=timedelta(hours=3),
    )

    past = _night(residency, 3, 12)
    assert (past.title, _local(past).time()) == ("Friday Deep House", time(22, 0))
    future = _night(residency, 3, 19)
    assert (future.title, future.description) == ("Friday Techno", "Harder.")
    assert _local(future).time() == time(23, 0)
    assert future.end_time - future.start_time == timedelta(hours=3)
    assert future.edited_on_its_own is False
    assert len(result.updated) == 6  # 19, 26 March and 2, 9, 16, 23 April


def test_a_date_edited_on_its_own_keeps_its_changes_when_the_series_is_edited(residency):
    special = _night(residency, 3, 26)
    special.title = "Friday Deep House: Closing Party"
    special.save()
    assert special.edited_on_its_own is True

    _edit_series(residency, NOW, title="Friday Techno", location=None)

    special.refresh_from_db()
    assert special.title == "Friday Deep House: Closing Party"
    assert special.location is not None
    assert _night(residency, 3, 19).title == "Friday Techno"


def test_changing_a_date_line_up_on_its_own_marks_it_edited(residency):
    night = _night(residency, 3, 19)
    event_set_artists(event=night, artists=[Artist.objects.create(name="Guest DJ")])
    night.refresh_from_db()
    assert night.edited_on_its_own is True

    SeriesArtist.objects.filter(series=residency).delete()
    with series_held():
        SeriesArtist.objects.create(
            series=residency, artist=Artist.objects.create(name="DJ Nova"), order=0
        )
    series_sync(series=residency, now=NOW)

    assert night.artist_names == "Guest DJ"
    assert _night(residency, 3, 26).artist_names == "DJ Nova"


def test_a_redundant_save_of_a_date_is_not_an_edit(residency):
    night = _night(residency, 3, 19)
    night.save()
    night.refresh_from_db()
    assert night.edited_on_its_own is False


def test_saving_a_date_refreshed_after_a_series_edit_is_not_an_edit(residency):
    night = _night(residency, 3, 19)
    _edit_series(residency, NOW, title="Friday Techno")
    night.refresh_from_db()
    night.save()
    night.refresh_from_db()
    assert (night.title, night.edited_on_its_own) == ("Friday Techno", False)


def test_an_edit_through_a_queryset_loaded_without_a_snapshot_is_still_noticed(residency):
    night = Event.objects.only("pk", "series", "title").get(
        series=residency, series_date=date(2027, 3, 19)
    )
    night.title = "Changed by a script"
    night.save()
    night.refresh_from_db()
    assert night.edited_on_its_own is True


# --- exceptions: skip, move, end ---------------------------------------------------------------


def test_a_skipped_date_stays_cancelled_whatever_the_series_does_later(residency):
    skipped = series_date_skip(event=_night(residency, 3, 26))
    assert skipped.status == Event.Status.CANCELLED

    _edit_series(residency, NOW, title="Friday Techno", start_time=time(21, 0))
    _edit_series(residency, NOW, rule="FREQ=WEEKLY;BYDAY=FR,SA")

    skipped.refresh_from_db()
    assert skipped.status == Event.Status.CANCELLED
    assert skipped.title == "Friday Deep House"
    assert Event.objects.get(pk=skipped.pk)  # cancelled, not deleted


def test_a_moved_date_stays_where_staff_put_it(residency):
    night = _night(residency, 3, 19)
    moved_start = datetime(2027, 3, 20, 21, 0, tzinfo=UTC)
    series_date_move(event=night, start_time=moved_start, end_time=moved_start + timedelta(hours=2))

    _edit_series(residency, NOW, start_time=time(20, 0))

    night.refresh_from_db()
    assert night.start_time == moved_start
    assert night.edited_on_its_own is True
    assert night.series_date == date(2027, 3, 19)  # still that night of the series


def test_moving_a_date_to_end_before_it_starts_is_refused(residency):
    night = _night(residency, 3, 19)
    with pytest.raises(SeriesError):
        series_date_move(event=night, start_time=night.end_time, end_time=night.start_time)
    night.refresh_from_db()
    assert night.edited_on_its_own is False


def test_ending_a_series_cancels_every_later_date_and_makes_no_more(residency):
    edited = _night(residency, 4, 9)
    edited.title = "Special guest"
    edited.save()

    series_end(series=residency, last_date=date(2027, 3, 26), now=NOW)

    states = {event.series_date: event.status for event in _dates(residency)}
    assert states[date(2027, 3, 26)] == Event.Status.SCHEDULED
    assert {states[night] for night in states if night > date(2027, 3, 26)} == {
        Event.Status.CANCELLED
    }
    assert len(states) == 8  # cancelled, not deleted
    residency.refresh_from_db()
    assert residency.until == date(2027, 3, 26)
    assert series_extend_all(now=datetime(2027, 4, 20, tzinfo=UTC)).created == []


# --- rule changes ------------------------------------------------------------------------------


def test_a_rule_change_adds_new_nights_and_cancels_the_ones_it_no_longer_yields(residency):
    edited = _night(residency, 4, 2)
    edited.title = "Good Friday special"
    edited.save()

    result = _edit_series(residency, NOW, rule="FREQ=WEEKLY;BYDAY=SA")

    dates = {event.series_date: event for event in _dates(residency)}
    fridays = [night for night in dates if night.weekday() == 4]
    saturdays = sorted(night for night in dates if night.weekday() == 5)
    assert saturdays[0] == date(2027, 3, 20)
    assert all(dates[night].status == Event.Status.SCHEDULED for night in saturdays)
    assert len(result.created) == len(saturdays)
    # Past Fridays untouched, future ones cancelled (not deleted) unless staff edited them.
    assert dates[date(2027, 3, 12)].status == Event.Status.SCHEDULED
    assert dates[date(2027, 4, 2)].status == Event.Status.SCHEDULED
    cancelled = {night for night in fridays if dates[night].status == Event.Status.CANCELLED}
    assert cancelled == {
        date(2027, 3, 19),
        date(2027, 3, 26),
        date(2027, 4, 9),
        date(2027, 4, 16),
        date(2027, 4, 23),
    }

    # Back to Fridays: the nights the rule cancelled come back; the Saturdays go.
    _edit_series(residency, NOW, rule="FREQ=WEEKLY;BYDAY=FR")
    states = {event.series_date: event.status for event in _dates(residency)}
    assert all(states[night] == Event.Status.SCHEDULED for night in fridays)
    assert {states[night] for night in saturdays} == {Event.Status.CANCELLED}


# --- through the models' own save() (scripts, the shell) ---------------------------------------


def test_saving_a_series_in_the_shell_creates_and_updates_its_dates(location):
    tomorrow = timezone.now().astimezone(ROME).date() + timedelta(days=1)
    series = Series.objects.create(
        title="Sunday Acoustic",
        rule=f"FREQ=WEEKLY;BYDAY={('MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU')[tomorrow.weekday()]}",
        first_date=tomorrow,
        start_time=time(18, 0),
        duration=timedelta(hours=1),
        location=location,
        status=Series.Status.PUBLISHED,
    )
    assert Event.objects.filter(series=series).count() == 8

    SeriesArtist.objects.create(series=series, artist=Artist.objects.create(name="Mia"))
    series.title = "Sunday Acoustic Session"
    series.save()

    events = Event.objects.filter(series=series)
    assert {event.title for event in events} == {"Sunday Acoustic Session"}
    assert {event.artist_names for event in events} == {"Mia"}
    assert not any(event.edited_on_its_own for event in events)


# --- making a series from an event -------------------------------------------------------------


def test_an_existing_event_becomes_the_first_night_of_its_series(make_event, make_series):
    event = make_event(start_time=datetime(2027, 3, 5, 21, 0, tzinfo=UTC))
    series = make_series(first_date=date(2027, 3, 5))

    assert series_adopt_event(series=series, event=event) is True
    series_sync(series=series, now=datetime(2027, 3, 1, tzinfo=UTC))

    event.refresh_from_db()
    assert (event.series, event.series_date) == (series, date(2027, 3, 5))
    assert Event.objects.filter(series=series, series_date=date(2027, 3, 5)).count() == 1
    assert event.edited_on_its_own is False


def test_an_event_on_a_night_the_rule_does_not_yield_is_not_adopted(make_event, make_series):
    event = make_event(start_time=datetime(2027, 3, 6, 21, 0, tzinfo=UTC))  # a Saturday
    series = make_series(first_date=date(2027, 3, 5))
    assert series_adopt_event(series=series, event=event) is False
    event.refresh_from_db()
    assert event.series is None


def test_a_series_with_an_unreadable_rule_is_refused_before_anything_is_saved(location):
    with pytest.raises(ValidationError, match="cannot describe"):
        Series.objects.create(
            title="Bad",
            rule="FREQ=WEEKLY;BYDAY=FR;COUNT=3",
            first_date=date(2027, 3, 5),
            start_time=time(22),
            duration=timedelta(hours=1),
        )
    assert not Series.objects.exists()


def test_one_unreadable_rule_does_not_stop_the_daily_task_for_the_others(make_series, caplog):
    broken = make_series(title="Broken")
    Series.objects.filter(pk=broken.pk).update(rule="FREQ=DAILY")  # as a script might
    fine = make_series(title="Fine")

    result = series_extend_all(now=datetime(2027, 3, 1, tzinfo=UTC))

    assert {event.series_id for event in result.created} == {fine.pk}
    assert not Event.objects.filter(series=broken).exists()
    assert "FREQ=DAILY" in caplog.text


def test_deleting_a_series_keeps_its_dates_as_ordinary_events(residency):
    ids = list(Event.objects.filter(series=residency).values_list("pk", flat=True))
    residency.delete()
    kept = Event.objects.filter(pk__in=ids)
    assert kept.count() == 8
    assert set(kept.values_list("series", flat=True)) == {None}


# --- the rule ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "text"),
    [
        ("FREQ=WEEKLY;BYDAY=FR", "Every week on Friday"),
        ("RRULE:freq=weekly;byday=su,fr;interval=2", "Every 2 weeks on Friday, Sunday"),
        ("FREQ=MONTHLY;BYDAY=1SA", "Every first Saturday of the month"),
        ("FREQ=MONTHLY;BYDAY=-1FR", "Every last Friday of the month"),
    ],
)
def test_rules_staff_can_choose_are_read_and_described(rule, text):
    assert parse_rule(rule).describe() == text
    assert parse_rule(parse_rule(rule).text) == parse_rule(rule)


@pytest.mark.parametrize(
    ("rule", "text"),
    [
        ("FREQ=WEEKLY;BYDAY=MO,FR", "Ogni settimana: lunedì, venerdì"),
        ("FREQ=WEEKLY;INTERVAL=2;BYDAY=SU", "Ogni 2 settimane: domenica"),
        ("FREQ=MONTHLY;BYDAY=1SA", "Ogni primo sabato del mese"),
        ("FREQ=MONTHLY;BYDAY=1SU", "Ogni prima domenica del mese"),  # domenica is feminine
        ("FREQ=MONTHLY;BYDAY=-1SU", "Ogni ultima domenica del mese"),
    ],
)
def test_in_italian_a_rule_is_described_with_weekdays_in_lower_case_and_agreeing(rule, text):
    with translation.override("it"):
        assert parse_rule(rule).describe() == text


@pytest.mark.parametrize(
    "rule",
    [
        "",
        "FREQ=DAILY",
        "FREQ=WEEKLY",
        "FREQ=WEEKLY;BYDAY=XX",
        "FREQ=WEEKLY;BYDAY=FR;COUNT=10",
        "FREQ=WEEKLY;BYDAY=FR;UNTIL=20270101",
        "FREQ=WEEKLY;INTERVAL=0;BYDAY=FR",
        "FREQ=WEEKLY;INTERVAL=x;BYDAY=FR",
        "FREQ=MONTHLY;BYDAY=5SA",
        "FREQ=MONTHLY;BYDAY=1SA,1SU",
        "FREQ=MONTHLY;INTERVAL=2;BYDAY=1SA",
        "FREQ=WEEKLY;FREQ=MONTHLY;BYDAY=FR",
        "not a rule",
        "FREQ=WEEKLY;BYDAY=FR;BYHOUR=20",
    ],
)
def test_a_rule_a_series_cannot_describe_is_refused(make_series, rule):
    series = make_series()
    series.rule = rule
    with pytest.raises(ValidationError) as error:
        series.full_clean()
    assert "rule" in error.value.message_dict


@pytest.mark.django_db(transaction=True)
def test_two_workers_extending_at_once_make_each_night_once(make_series):
    import threading

    from django.db import connection

    if connection.vendor == "sqlite":
        # The in-memory, shared-cache test database fails a locked table at once instead of
        # waiting (the live SQLite file, in WAL mode, waits); MariaDB runs this for real.
        pytest.skip("concurrent writers need a database that waits for locks")
    series = make_series()
    now = datetime(2027, 3, 1, tzinfo=UTC)
    start = threading.Barrier(2)
    errors = []

    def worker():
        try:
            start.wait()
            series_extend_all(now=now)
        except Exception as error:  # reported below, with the other worker's outcome
            errors.append(error)
        finally:
            connection.close()

    workers = [threading.Thread(target=worker) for _ in range(2)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()

    assert errors == []
    assert Event.objects.filter(series=series).count() == 8
    assert Event.objects.filter(series=series).values("series_date").distinct().count() == 8


def test_migrate_schedules_the_daily_extension_once(db):
    from django_q.models import Schedule

    from events.tasks import EXTEND_SERIES_SCHEDULE_NAME

    schedule = Schedule.objects.get(name=EXTEND_SERIES_SCHEDULE_NAME)
    assert (schedule.func, schedule.schedule_type, schedule.repeats) == (
        "events.tasks.extend_series",
        Schedule.DAILY,
        -1,
    )


def test_the_daily_task_extends_every_series(make_series):
    from events.tasks import extend_series

    tomorrow = timezone.now().astimezone(ROME).date() + timedelta(days=1)
    series = make_series(first_date=tomorrow)
    assert extend_series() == Event.objects.filter(series=series).count() == 8
