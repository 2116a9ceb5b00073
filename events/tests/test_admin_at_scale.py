"""The event admin's costs that must not grow with the data: search and the event page."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from events.models import Artist, EventArtist
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
    # The page of events and its count (the date drill-down reads start times only).
    searches = [
        q["sql"]
        for q in queries
        if " LIKE " in q["sql"]
        and any(part in q["sql"].split(" FROM ")[0] for part in ("COUNT(", _quoted("title")))
    ]
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
