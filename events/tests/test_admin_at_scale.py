"""The event admin's costs that must not grow with the data: the list, its search and date
drill-down, and the event page."""

import html
import re
from datetime import UTC, datetime, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from events.models import Artist, Event, EventArtist
from integrations.facebook.models import FacebookPost

CHANGELIST = "admin:events_event_changelist"


def _titles(response) -> set[str]:
    return {event.title for event in response.context["cl"].result_list}


def test_search_finds_an_event_by_an_artist_of_its_line_up(staff_client, make_event):
    make_event(title="Friday night", artists=["Luna Sparrow", "Dario Stone"])
    make_event(title="Saturday night", artists=["Vera Bloom"])
    response = staff_client.get(reverse(CHANGELIST), {"q": "stone"})
    assert _titles(response) == {"Friday night"}


def test_search_words_may_each_match_a_different_field(staff_client, make_event):
    make_event(title="Friday night", artists=["Dario Stone"])
    make_event(title="Saturday night", artists=["Dario Stone"])
    make_event(title="Friday matinee", artists=["Vera Bloom"])
    response = staff_client.get(reverse(CHANGELIST), {"q": "friday stone"})
    assert _titles(response) == {"Friday night"}


def test_an_event_with_several_matching_artists_is_listed_once(staff_client, make_event):
    make_event(title="Stone night", artists=["Dario Stone", "Ugo Stone", "Mia Stone"])
    response = staff_client.get(reverse(CHANGELIST), {"q": "stone"})
    assert [event.title for event in response.context["cl"].result_list] == ["Stone night"]
    assert response.context["cl"].result_count == 1


def test_search_joins_no_line_up_and_needs_no_distinct(staff_client, make_event):
    make_event(title="Friday night", artists=["Dario Stone", "Ugo Stone"])
    with CaptureQueriesContext(connection) as queries:
        staff_client.get(reverse(CHANGELIST), {"q": "stone"})
    # The page of events and its count; the date drill-down does not search again.
    searches = [q["sql"] for q in queries if " LIKE " in q["sql"]]
    assert len(searches) == 2
    line_up = _quoted(EventArtist._meta.db_table)
    for sql in searches:
        assert "DISTINCT" not in sql
        assert f"JOIN {line_up}" not in sql
        assert "EXISTS" in sql


def _quoted(name: str) -> str:
    return connection.ops.quote_name(name)


def _event_page_queries(client, event) -> int:
    url = reverse("admin:events_event_change", args=[event.pk])
    client.get(url)  # sessions, content types and permissions are cached from here on
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _add_posts(event, user, count: int) -> None:
    for n in range(count):
        FacebookPost.objects.create(
            event=event,
            event_title=event.title,
            target=FacebookPost.Target.PAGE,
            message=f"Post {n}",
            status=FacebookPost.Status.POSTED,
            created_by=user,
            posted_at=timezone.now(),
        )


def test_the_event_page_costs_the_same_whatever_its_line_up_and_posts(
    staff_client, staff_user, make_event
):
    small = make_event(title="Small night", artists=["Luna Sparrow"])
    _add_posts(small, staff_user, 1)
    big = make_event(
        title="Big night", artists=["Dario Stone", "Vera Bloom", "Mia Frost", "Ugo Lane", "Zoe Sky"]
    )
    _add_posts(big, staff_user, 6)
    assert _event_page_queries(staff_client, small) == _event_page_queries(staff_client, big)


def test_the_event_page_shows_each_artist_of_the_line_up_selected(staff_client, make_event):
    event = make_event(artists=["Dario Stone", "Vera Bloom"])
    page = staff_client.get(reverse("admin:events_event_change", args=[event.pk]))
    html = page.content.decode()
    for artist in Artist.objects.filter(name__in=["Dario Stone", "Vera Bloom"]):
        assert re.search(rf'<option value="{artist.pk}" selected>{artist.name}</option>', html)


def _list_queries(client, **query) -> list[str]:
    client.get(reverse(CHANGELIST), query)  # sessions and permissions are cached from here on
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse(CHANGELIST), query).status_code == 200
    return [q["sql"] for q in queries]


def _events_every_few_days(make_event, count: int, *, first: datetime, **fields) -> None:
    for n in range(count):
        make_event(title=f"Night {n}", start_time=first + timedelta(days=3 * n), **fields)


VIEWS = [
    {},
    {"when": "past"},
    {"audience__exact": "staff"},
    {"event_type__exact": "dj_set"},
    {"q": "night"},
    {"start_time__year": "2025"},
]


def test_the_list_costs_the_same_queries_with_more_events(staff_client, make_event):
    soon = timezone.now() + timedelta(days=1)
    long_ago = datetime(2025, 3, 1, 20, 0, tzinfo=UTC)
    # A row on each view of the list, so each already shows rows with their columns.
    for first in (soon, long_ago):
        make_event(
            title="First night",
            start_time=first,
            audience=Event.Audience.STAFF,
            event_type="dj_set",
        )
    few = {str(view): len(_list_queries(staff_client, **view)) for view in VIEWS}
    for first in (soon, long_ago, datetime(2022, 1, 1, tzinfo=UTC)):
        _events_every_few_days(make_event, 12, first=first, audience=Event.Audience.STAFF)
        _events_every_few_days(make_event, 12, first=first, event_type="dj_set")
    assert {str(view): len(_list_queries(staff_client, **view)) for view in VIEWS} == few


def _drill_down(response) -> list[str]:
    page = response.content.decode()
    toplinks = re.search(r'<nav class="toplinks">(.*?)</nav>', page, re.S).group(1)
    titles = [html.unescape(title) for title in re.findall(r">([^<]+)</a>", toplinks)]
    return [title.lstrip("\u2039").strip() for title in titles]  # the back link's arrow left out


def test_the_drill_down_offers_every_year_of_the_programme(staff_client, make_event):
    for year in (2022, 2024):
        make_event(title=f"Night of {year}", start_time=datetime(year, 6, 1, 20, 0, tzinfo=UTC))
    make_event(title="Coming soon", start_time=timezone.now() + timedelta(days=2))
    this_year = timezone.localtime().year
    response = staff_client.get(reverse(CHANGELIST))  # upcoming events only, by default
    assert _drill_down(response) == [str(year) for year in range(2022, this_year + 1)]


def test_the_drill_down_reads_its_years_without_reading_every_event(staff_client, make_event):
    make_event(start_time=datetime(2022, 6, 1, 20, 0, tzinfo=UTC), artists=["Dario Stone"])
    make_event(start_time=timezone.now() + timedelta(days=2))
    for view in ({}, {"when": "all"}, {"q": "stone"}):
        for sql in _list_queries(staff_client, **view):
            assert "DISTINCT" not in sql
            assert "MIN(" not in sql and "MAX(" not in sql


def test_a_year_offers_its_months_and_a_month_its_days(staff_client, make_event):
    for day in (datetime(2024, 3, 8, 20), datetime(2024, 3, 22, 20), datetime(2024, 7, 5, 20)):
        make_event(start_time=day.replace(tzinfo=UTC))
    make_event(start_time=datetime(2023, 5, 1, 20, tzinfo=UTC))
    year = staff_client.get(reverse(CHANGELIST), {"start_time__year": "2024"})
    assert _drill_down(year) == ["All dates", "March 2024", "July 2024"]
    assert year.context["cl"].result_count == 3
    month = staff_client.get(
        reverse(CHANGELIST), {"start_time__year": "2024", "start_time__month": "3"}
    )
    assert _drill_down(month) == ["2024", "March 8", "March 22"]
    assert month.context["cl"].result_count == 2
