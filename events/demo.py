"""Demo data: a plausible fortnight at the Cave, for a newcomer's first look at the admin."""

from datetime import datetime, time, timedelta
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


@transaction.atomic
def load_demo_data(*, today=None) -> int:
    """Fill an empty database; return how many events were created (0 if it had events)."""
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
    return len(PROGRAMME)
