"""Demo data: a plausible fortnight at the Cave, for a newcomer's first look at the admin.

The events come from here; each other app adds its own demo rows around them (supporters,
posts, calendar entries) from a `demo.py` of its own, registered in its AppConfig.ready() as
its status and checks are, so `events` need not know who is there. Demo rows never call out:
they are what staff would see once the calls had happened.
"""

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from events.models import Artist, Event, Location
from events.services import event_set_artists

LOCATIONS = [
    # name, region, x, y, z
    ("The Dreamer's Cave — Main Stage", "Dreamers Cave", 128, 128, 22),
    ("The Grotto Lounge", "Dreamers Cave", 64, 190, 30),
    ("Sala dell'Eco", "Isola dell'Eco", 101, 77, 41),
]

ARTISTS = [
    # name, avatar, link
    ("Luna Sparrow", "lunasparrow.resident", "https://example.org/luna"),
    ("DJ Nebbia", "nebbia.dj", ""),
    ("The Velvet Echoes", "", "https://example.org/velvet"),
    ("Marco Aurelio", "marcoaurelio.musica", ""),
    ("Sofia Lumière", "sofialumiere", ""),
    ("DJ Kairos", "kairos.beats", ""),
]

# day offset, SLT hour, minutes long, title, Italian title, type, audience, status, artists
PROGRAMME = [
    (
        -3,
        12,
        90,
        "Sunday Acoustic Session",
        "Sessione acustica della domenica",
        "live_singer",
        "public",
        "scheduled",
        [0],
    ),
    (-1, 14, 120, "Deep House Night", "Notte deep house", "dj_set", "public", "scheduled", [1]),
    (
        0,
        11,
        60,
        "Staff meeting before the weekend",
        "Riunione staff",
        "special",
        "staff",
        "scheduled",
        [],
    ),
    (
        0,
        13,
        90,
        "Luna Sparrow Live",
        "Luna Sparrow dal vivo",
        "live_singer",
        "public",
        "scheduled",
        [0],
    ),
    (
        1,
        12,
        120,
        "Pink Floyd Tribute",
        "Tributo ai Pink Floyd",
        "tribute_concert",
        "public",
        "scheduled",
        [2],
    ),
    (2, 13, 90, "Canzoni d'autore", "Canzoni d'autore", "live_singer", "public", "scheduled", [3]),
    (
        3,
        14,
        120,
        "Electro Swing Party",
        "Festa electro swing",
        "dj_set",
        "public",
        "cancelled",
        [5],
    ),
    (
        4,
        12,
        90,
        "Chanson française",
        "Chanson française",
        "live_singer",
        "public",
        "scheduled",
        [4],
    ),
    (
        5,
        15,
        120,
        "Rehearsal: Velvet Echoes",
        "Prove: Velvet Echoes",
        "tribute_concert",
        "staff",
        "scheduled",
        [2],
    ),
    (
        6,
        13,
        180,
        "Anniversary Night ✨",
        "Serata anniversario ✨",
        "special",
        "public",
        "scheduled",
        [0, 1, 3],
    ),
    (8, 12, 120, "Sunset DJ Set", "DJ set al tramonto", "dj_set", "public", "scheduled", [5]),
    (9, 14, 90, "Queen Tribute", "Tributo ai Queen", "tribute_concert", "public", "draft", [2]),
    (
        11,
        13,
        90,
        "Luna Sparrow Unplugged",
        "Luna Sparrow unplugged",
        "live_singer",
        "public",
        "scheduled",
        [0, 4],
    ),
]


# Marks rows whose text is free (names, errors, summaries) as made up, for anyone who wonders.
DEMO_MARK = "(demo)"

# Each app's `add_demo_rows(*, events, today)`, registered from its AppConfig.ready().
_contributors: list[Callable[..., None]] = []


def register_demo_rows(add_demo_rows: Callable[..., None]) -> None:
    """Let an app add its own demo rows once the demo events exist (each function once)."""
    if add_demo_rows not in _contributors:
        _contributors.append(add_demo_rows)


@transaction.atomic
def load_demo_data(*, today: date | None = None) -> int:
    """Fill an empty database; return how many events were created (0 if it had events).

    Each app's demo rows are added in the same transaction, so a failure leaves nothing.
    """
    if Event.objects.exists():
        return 0
    locations = [
        Location.objects.get_or_create(
            name=name, defaults={"region": region, "x": x, "y": y, "z": z}
        )[0]
        for name, region, x, y, z in LOCATIONS
    ]
    artists = [
        Artist.objects.get_or_create(name=name, defaults={"sl_avatar_name": avatar, "link": link})[
            0
        ]
        for name, avatar, link in ARTISTS
    ]
    slt = ZoneInfo(settings.SECOND_LIFE_TIME_ZONE)
    today = today or timezone.now().astimezone(slt).date()
    events = []
    for index, (
        offset,
        hour,
        minutes,
        title,
        title_it,
        kind,
        audience,
        status,
        lineup,
    ) in enumerate(PROGRAMME):
        start = datetime.combine(today + timedelta(days=offset), time(hour), tzinfo=slt)
        event = Event.objects.create(
            title=title,
            title_it=title_it,
            description=f"{title} at The Dreamer's Cave. Bring friends, dance, dream.",
            description_it=f"{title_it} al Dreamer's Cave. Porta gli amici, balla, sogna.",
            event_type=kind,
            start_time=start,
            end_time=start + timedelta(minutes=minutes),
            location=locations[index % len(locations)],
            audience=audience,
            status=status,
        )
        event_set_artists(event=event, artists=[artists[i] for i in lineup])
        events.append(event)
    for add_demo_rows in _contributors:
        add_demo_rows(events=events, today=today)
    return len(PROGRAMME)
