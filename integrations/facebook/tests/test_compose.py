from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from events.models import Event
from integrations.facebook import compose
from integrations.facebook.models import PostTemplate

UTC = ZoneInfo("UTC")


def announcement(event):
    return compose.render(compose.template_for(event).text, event)


@pytest.mark.parametrize(
    ("event_type", "first_line", "closing"),
    [
        ("live_singer", "Live Music at The Dreamer's Cave!", "You Can See The Music!"),
        ("dj_set", "DJ Set at The Dreamer's Cave!", "Where: Main Stage"),
        ("tribute_concert", "Tribute Concert!", "You Can See The Music!"),
        ("special", "Coming up at The Dreamer's Cave!", "Where: Main Stage"),
    ],
)
def test_each_seeded_template_renders_the_event_in_slt(
    make_event, facebook, event_type, first_line, closing
):
    event = make_event(title="Starlight", event_type=event_type, artists=["Ada", "Bruno"])
    text = announcement(event)  # 2026-12-05 20:00 UTC = 12:00 PST = 21:00 in Rome
    assert text.startswith(first_line)
    assert "\n\nStarlight\n\nAda, Bruno\n\n" in text
    assert "When: Saturday, December 5, 2026 at 12:00 SLT\nWhere: Main Stage" in text
    assert closing in text
    assert text.endswith(f"https://tdc.example.org/events/{event.pk}/")


def test_seeded_templates_cover_the_seed_types_and_a_default(db):
    assert set(PostTemplate.objects.values_list("event_type", flat=True)) == {
        "live_singer",
        "dj_set",
        "tribute_concert",
        "default",
    }


@pytest.mark.parametrize(
    ("start_utc", "slt_text", "venue_text"),
    [
        # Europe leaves summer time on 25 Oct 2026, the US on 1 Nov: SLT follows the US.
        ("2026-10-24T20:00", "Saturday, October 24, 2026 at 13:00", "22:00 CEST"),
        ("2026-10-28T20:00", "Wednesday, October 28, 2026 at 13:00", "21:00 CET"),
        ("2026-11-02T20:00", "Monday, November 2, 2026 at 12:00", "21:00 CET"),
        ("2027-03-16T20:00", "Tuesday, March 16, 2027 at 13:00", "21:00 CET"),
    ],
)
def test_times_are_real_slt_across_daylight_saving_changes(
    make_event, facebook, start_utc, slt_text, venue_text
):
    start = datetime.fromisoformat(start_utc).replace(tzinfo=UTC)
    event = make_event(start_time=start)
    PostTemplate.objects.filter(event_type="live_singer").update(
        text="When: {date} at {time} SLT ({venue_time} in Italy)"
    )
    assert announcement(event) == f"When: {slt_text} SLT ({venue_text} in Italy)"


@pytest.mark.parametrize("event_type", ["live_singer", "dj_set", "tribute_concert", "special"])
def test_each_seeded_template_follows_slt_over_the_us_dst_change(make_event, facebook, event_type):
    # Same 20:00 UTC start on both sides of 1 Nov 2026: 13:00 PDT before, 12:00 PST after.
    before, after = (
        make_event(event_type=event_type, start_time=datetime(2026, 10, 31, 20, tzinfo=UTC)),
        make_event(event_type=event_type, start_time=datetime(2026, 11, 2, 20, tzinfo=UTC)),
    )
    assert "When: Saturday, October 31, 2026 at 13:00 SLT" in announcement(before)
    assert "When: Monday, November 2, 2026 at 12:00 SLT" in announcement(after)


def test_the_slt_day_is_used_when_it_differs_from_the_utc_day(make_event, facebook):
    # 03:00 UTC on Sunday is still Saturday evening in Second Life.
    event = make_event(start_time=datetime(2026, 12, 6, 3, 0, tzinfo=UTC))
    values = compose.placeholder_values(event)
    assert values["date"] == "Saturday, December 5, 2026"
    assert values["time"] == "19:00"
    assert values["time_12h"] == "7:00 PM"
    assert values["end_time"] == "20:30"


def test_italian_template_uses_italian_title_day_names_and_accents(make_event, facebook):
    event = make_event(
        title="Cello Night",
        title_it="Notte di violoncello — così è",
        description_it="Un'ora di musica più unica che rara.",
    )
    PostTemplate.objects.filter(event_type="live_singer").update(
        text="🎻 {title_it}\n{date_it}, ore {time} SLT ({venue_time} in Italia)\n{description_it}"
    )
    assert announcement(event) == (
        "🎻 Notte di violoncello — così è\nsabato 5 dicembre 2026, ore 12:00 SLT "
        "(21:00 CET in Italia)\nUn'ora di musica più unica che rara."
    )


def test_english_text_fills_in_for_missing_italian(make_event, facebook):
    event = make_event(title="Cello Night", description="An hour of cello.")
    values = compose.placeholder_values(event)
    assert values["title_it"] == "Cello Night"
    assert values["description_it"] == "An hour of cello."


def test_artists_are_tba_when_there_are_none(make_event, facebook):
    event = make_event(artists=[])
    assert "\n\nTBA\n\n" in announcement(event)


def test_an_event_without_location_names_the_venue(make_event, facebook):
    event = make_event(location=None)
    assert "Where: The Dreamer's Cave" in announcement(event)


def test_a_type_without_its_own_template_uses_the_default(make_event, facebook):
    PostTemplate.objects.filter(event_type="dj_set").delete()
    event = make_event(event_type=Event.EventType.DJ_SET)
    assert compose.template_for(event).event_type == "default"


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("Hello {titel}", "Unknown placeholder {titel}"),
        ("Hello {title", "braces do not match"),
        ("Hello title}", "braces do not match"),
        ("Hello {}", "empty or numbered placeholder"),
        ("Hello {0}", "empty or numbered placeholder"),
        ("Hello {title.__class__}", "Unknown placeholder {title.__class__}"),
        ("Hello {title[0]}", "Unknown placeholder {title[0]}"),
        ("Hello {title!r}", "without a format or conversion"),
        ("Hello {title:>20}", "without a format or conversion"),
    ],
)
def test_bad_templates_are_described(text, fragment):
    errors = compose.template_errors(text)
    assert errors
    assert fragment in " ".join(errors)


def test_literal_braces_and_every_known_placeholder_are_fine():
    text = "{{not a placeholder}} " + " ".join(f"{{{name}}}" for name in compose.PLACEHOLDERS)
    assert compose.template_errors(text) == []


def test_rendering_a_bad_template_raises_a_clear_value_error(make_event, facebook):
    with pytest.raises(ValueError, match="Unknown placeholder"):
        compose.render("{nope}", make_event())
