"""The venue's own domain: events, the artists who play them and where they happen.

Knows no external system (see ARCHITECTURE.md: arrows point toward `events`).
"""

from urllib.parse import quote
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

DEFAULT_LANGUAGE = "en"


def validate_time_zone(value: str) -> None:
    if value not in _time_zone_names():
        raise ValidationError(
            "“%(value)s” is not a known time zone. Use an IANA name such as Europe/Rome.",
            params={"value": value},
            code="invalid_time_zone",
        )


def _time_zone_names() -> set[str]:
    global _TIME_ZONES
    if _TIME_ZONES is None:
        # "localtime" is whatever the server runs on and "Factory" means "no zone": neither is
        # a place, and calendars refuse them.
        _TIME_ZONES = available_timezones() - {"localtime", "Factory"}
    return _TIME_ZONES


_TIME_ZONES: set[str] | None = None


def default_time_zone() -> str:
    return settings.TIME_ZONE


def time_zone_or_none(name: str) -> ZoneInfo | None:
    """The zone for an IANA name, or None for anything else (no exception for bad input)."""
    if name not in _time_zone_names():
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


class Location(models.Model):
    name = models.CharField(max_length=120, unique=True)
    region = models.CharField("Second Life region", max_length=100)
    x = models.PositiveSmallIntegerField(default=128, validators=[MaxValueValidator(256)])
    y = models.PositiveSmallIntegerField(default=128, validators=[MaxValueValidator(256)])
    z = models.PositiveSmallIntegerField(default=25, validators=[MaxValueValidator(4096)])

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def slurl(self) -> str:
        # Region names may hold spaces, apostrophes and non-ASCII: escape every reserved char.
        region = quote(self.region, safe="")
        return f"https://maps.secondlife.com/secondlife/{region}/{self.x}/{self.y}/{self.z}"


class Artist(models.Model):
    name = models.CharField(max_length=120, unique=True)
    sl_avatar_name = models.CharField("Second Life avatar name", max_length=120, blank=True)
    link = models.URLField(blank=True, help_text="Website, SoundCloud, Flickr…")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Event(models.Model):
    class EventType(models.TextChoices):
        LIVE_SINGER = "live_singer", "Live singer"
        DJ_SET = "dj_set", "DJ set"
        TRIBUTE_CONCERT = "tribute_concert", "Tribute concert"
        SPECIAL = "special", "Special event"

    class Audience(models.TextChoices):
        PUBLIC = "public", "Public"
        STAFF = "staff", "Staff only"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SCHEDULED = "scheduled", "Scheduled"
        CANCELLED = "cancelled", "Cancelled"

    title = models.CharField("title (English)", max_length=200)
    title_it = models.CharField("title (Italian)", max_length=200, blank=True)
    description = models.TextField("description (English)", blank=True)
    description_it = models.TextField("description (Italian)", blank=True)
    event_type = models.CharField(
        max_length=20, choices=EventType.choices, default=EventType.LIVE_SINGER
    )
    start_time = models.DateTimeField()
    end_time = models.DateTimeField()
    timezone = models.CharField(
        "time zone",
        max_length=64,
        default=default_time_zone,
        validators=[validate_time_zone],
        help_text="IANA name; calendars show the event in this zone.",
    )
    location = models.ForeignKey(
        Location, on_delete=models.PROTECT, null=True, blank=True, related_name="events"
    )
    artists = models.ManyToManyField(
        Artist, through="EventArtist", related_name="events", blank=True
    )
    audience = models.CharField(max_length=10, choices=Audience.choices, default=Audience.PUBLIC)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    url = models.URLField("public URL", blank=True)
    poster = models.ImageField(upload_to="posters/%Y/%m/", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["start_time", "pk"]
        indexes = [
            models.Index(fields=["status", "end_time"], name="event_status_end"),
            models.Index(fields=["status", "start_time"], name="event_status_start"),
            # The panels' upcoming events: the public ones not ended yet, found from "now".
            models.Index(fields=["status", "audience", "end_time"], name="event_visible_end"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_time__gt=models.F("start_time")),
                name="event_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            raise ValidationError({"end_time": "The event must end after it starts."})

    # --- translations: the default language fills any gap ---------------------------------------
    def title_in(self, language: str) -> str:
        if language == "it" and self.title_it:
            return self.title_it
        return self.title

    def description_in(self, language: str) -> str:
        if language == "it" and self.description_it:
            return self.description_it
        return self.description

    @property
    def zone(self) -> ZoneInfo:
        return time_zone_or_none(self.timezone) or ZoneInfo(settings.TIME_ZONE)

    @property
    def ordered_artists(self) -> list[Artist]:
        # Reads the prefetch the selectors set up; falls back to one query otherwise.
        if "artist_links" in getattr(self, "_prefetched_objects_cache", {}):
            links = self.artist_links.all()
        else:
            links = self.artist_links.select_related("artist")
        return [link.artist for link in links]

    @property
    def artist_names(self) -> str:
        return ", ".join(artist.name for artist in self.ordered_artists)

    @property
    def is_public_and_scheduled(self) -> bool:
        return self.audience == self.Audience.PUBLIC and self.status == self.Status.SCHEDULED


class EventArtist(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="artist_links")
    artist = models.ForeignKey(Artist, on_delete=models.PROTECT, related_name="event_links")
    order = models.PositiveSmallIntegerField(default=0, validators=[MinValueValidator(0)])

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "artist"], name="event_artist_once"),
        ]
        verbose_name = "artist"
        verbose_name_plural = "artists (in billing order)"

    def __str__(self) -> str:
        return f"{self.artist} at {self.event}"
