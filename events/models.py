"""The venue's own domain: events, the artists who play them and where they happen.

Knows no external system (docs/architecture.md: arrows point toward `events`).
"""

import hashlib
import secrets
from contextvars import ContextVar
from datetime import datetime, timedelta
from urllib.parse import quote
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from events.series_rules import parse_rule, validate_rule

DEFAULT_LANGUAGE = "en"

# True while a series writes to its own dates, so those writes are not taken for staff's edits.
SERIES_APPLYING: ContextVar[bool] = ContextVar("series_applying", default=False)
# True while several changes to a series are made together: its dates are brought in line once,
# by whoever holds it, afterwards (the admin saves the series, then its line-up).
SERIES_HELD: ContextVar[bool] = ContextVar("series_held", default=False)


def validate_time_zone(value: str) -> None:
    if value not in time_zone_names():
        raise ValidationError(
            _("“%(value)s” is not a known time zone. Use an IANA name such as Europe/Rome."),
            params={"value": value},
            code="invalid_time_zone",
        )


def time_zone_names() -> set[str]:
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
    if name not in time_zone_names():
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


class Location(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    region = models.CharField(_("Second Life region"), max_length=100)
    x = models.PositiveSmallIntegerField("x", default=128, validators=[MaxValueValidator(256)])
    y = models.PositiveSmallIntegerField("y", default=128, validators=[MaxValueValidator(256)])
    z = models.PositiveSmallIntegerField("z", default=25, validators=[MaxValueValidator(4096)])

    class Meta:
        ordering = ["name"]
        verbose_name = _("location")
        verbose_name_plural = _("locations")

    def __str__(self) -> str:
        return self.name

    @property
    def slurl(self) -> str:
        # Region names may hold spaces, apostrophes and non-ASCII: escape every reserved char.
        region = quote(self.region, safe="")
        return f"https://maps.secondlife.com/secondlife/{region}/{self.x}/{self.y}/{self.z}"


class Artist(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    sl_avatar_name = models.CharField(_("Second Life avatar name"), max_length=120, blank=True)
    link = models.URLField(_("link"), blank=True, help_text=_("Website, SoundCloud, Flickr…"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("artist")
        verbose_name_plural = _("artists")

    def __str__(self) -> str:
        return self.name


class Event(models.Model):
    class EventType(models.TextChoices):
        LIVE_SINGER = "live_singer", _("Live singer")
        DJ_SET = "dj_set", _("DJ set")
        TRIBUTE_CONCERT = "tribute_concert", _("Tribute concert")
        SPECIAL = "special", _("Special event")

    class Audience(models.TextChoices):
        PUBLIC = "public", _("Public")
        STAFF = "staff", _("Staff only")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Scheduled")
        CANCELLED = "cancelled", _("Cancelled")

    title = models.CharField(_("title (English)"), max_length=200)
    title_it = models.CharField(_("title (Italian)"), max_length=200, blank=True)
    description = models.TextField(_("description (English)"), blank=True)
    description_it = models.TextField(_("description (Italian)"), blank=True)
    event_type = models.CharField(
        _("event type"), max_length=20, choices=EventType.choices, default=EventType.LIVE_SINGER
    )
    start_time = models.DateTimeField(_("start"))
    end_time = models.DateTimeField(_("end"))
    timezone = models.CharField(
        _("time zone"),
        max_length=64,
        default=default_time_zone,
        validators=[validate_time_zone],
        help_text=_("IANA name; calendars show the event in this zone."),
    )
    location = models.ForeignKey(
        Location,
        verbose_name=_("location"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
    )
    artists = models.ManyToManyField(
        Artist,
        verbose_name=_("artists"),
        through="EventArtist",
        related_name="events",
        blank=True,
    )
    audience = models.CharField(
        _("audience"), max_length=10, choices=Audience.choices, default=Audience.PUBLIC
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    url = models.URLField(_("public URL"), blank=True)
    poster = models.ImageField(_("poster"), upload_to="posters/%Y/%m/", blank=True)
    series = models.ForeignKey(
        "Series",
        verbose_name=_("series"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="dates",
    )
    series_date = models.DateField(
        _("date in its series"),
        null=True,
        blank=True,
        help_text=_("The night of the series this event is, in the series' time zone."),
    )
    edited_on_its_own = models.BooleanField(
        _("edited on its own"),
        default=False,
        help_text=_(
            "A date of a series that staff changed by itself: series edits leave it alone."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    ical_sequence = models.PositiveIntegerField(
        _("calendar revision"),
        default=0,
        editable=False,
        help_text=_("Rises whenever what calendar subscribers see changes (iCalendar SEQUENCE)."),
    )

    # What a calendar subscriber sees of the event itself (the line-up is counted separately).
    SUBSCRIBER_VISIBLE_FIELDS = (
        "title",
        "title_it",
        "description",
        "description_it",
        "start_time",
        "end_time",
        "timezone",
        "location_id",
        "status",
        "audience",
        "url",
    )

    # What a series writes to its dates: a change to any of these by anyone else is an edit of
    # that date on its own.
    SERIES_FIELDS = (
        "title",
        "title_it",
        "description",
        "description_it",
        "event_type",
        "audience",
        "location_id",
        "timezone",
        "start_time",
        "end_time",
        "status",
    )

    class Meta:
        ordering = ["start_time", "pk"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [
            models.Index(fields=["status", "end_time"], name="event_status_end"),
            models.Index(fields=["status", "start_time"], name="event_status_start"),
            # The list's newest-first order, and the first and last events (its years).
            models.Index(fields=["start_time"], name="event_start"),
            # The panels' upcoming events: the public ones not ended yet, found from "now".
            models.Index(fields=["status", "audience", "end_time"], name="event_visible_end"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_time__gt=models.F("start_time")),
                name="event_end_after_start",
            ),
            # One event per night of a series, whoever creates it and however often.
            models.UniqueConstraint(
                fields=["series", "series_date"], name="event_series_date_once"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        also_saved = set()
        if self._is_edited_on_its_own_now():
            self.edited_on_its_own = True
            also_saved.add("edited_on_its_own")
        # Subscribers' calendar apps only replace their copy when SEQUENCE rises.
        seen = getattr(self, "_subscriber_loaded", None)
        if seen is not None and self.pk is not None and seen != self._subscriber_view():
            self.ical_sequence += 1
            also_saved.add("ical_sequence")
        if update_fields is not None and also_saved:
            kwargs["update_fields"] = {*update_fields, *also_saved}
        super().save(*args, **kwargs)
        self._remember_as_loaded()

    def refresh_from_db(self, *args, **kwargs):
        super().refresh_from_db(*args, **kwargs)
        self._remember_as_loaded()

    def _remember_as_loaded(self) -> None:
        self._as_loaded = self._series_values()
        self._subscriber_loaded = self._subscriber_view()

    @classmethod
    def from_db(cls, db, field_names, values):
        event = super().from_db(db, field_names, values)
        event._remember_as_loaded()
        return event

    def _subscriber_view(self) -> tuple | None:
        names = self.SUBSCRIBER_VISIBLE_FIELDS
        if any(name in self.get_deferred_fields() for name in names):
            return None  # partly loaded: nothing to compare against
        return tuple(getattr(self, name) for name in names)

    def _series_values(self) -> dict | None:
        if any(name not in self.__dict__ for name in self.SERIES_FIELDS):
            return None  # deferred fields: compare with the database when saving
        return {name: self.__dict__[name] for name in self.SERIES_FIELDS}

    def _is_edited_on_its_own_now(self) -> bool:
        if not self.series_id or self.pk is None or self.edited_on_its_own:
            return False
        if SERIES_APPLYING.get():
            return False
        before = getattr(self, "_as_loaded", None)
        if before is None:
            before = (
                Event.objects.filter(pk=self.pk, series_id=self.series_id)
                .values(*self.SERIES_FIELDS)
                .first()
            )
            if before is None:
                return False  # joining a series is not an edit of one of its dates
        return before != {name: getattr(self, name) for name in self.SERIES_FIELDS}

    def clean(self) -> None:
        super().clean()
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            raise ValidationError({"end_time": _("The event must end after it starts.")})

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
    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="artist_links"
    )
    artist = models.ForeignKey(
        Artist, verbose_name=_("artist"), on_delete=models.PROTECT, related_name="event_links"
    )
    order = models.PositiveSmallIntegerField(
        _("order"), default=0, validators=[MinValueValidator(0)]
    )

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "artist"], name="event_artist_once"),
        ]
        verbose_name = _("artist")
        verbose_name_plural = _("artists (in billing order)")

    def __str__(self) -> str:
        return gettext("%(artist)s at %(event)s") % {"artist": self.artist, "event": self.event}


class Series(models.Model):
    """A residency: nights on a repeat rule, each of them an ordinary Event (its `dates`)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    title = models.CharField(_("title (English)"), max_length=200)
    title_it = models.CharField(_("title (Italian)"), max_length=200, blank=True)
    description = models.TextField(_("description (English)"), blank=True)
    description_it = models.TextField(_("description (Italian)"), blank=True)
    event_type = models.CharField(
        _("event type"),
        max_length=20,
        choices=Event.EventType.choices,
        default=Event.EventType.LIVE_SINGER,
    )
    audience = models.CharField(
        _("audience"), max_length=10, choices=Event.Audience.choices, default=Event.Audience.PUBLIC
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=Status.choices,
        default=Status.DRAFT,
        help_text=_("A draft series makes draft dates; a published one makes scheduled dates."),
    )
    location = models.ForeignKey(
        Location,
        verbose_name=_("location"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="series",
    )
    artists = models.ManyToManyField(
        Artist, verbose_name=_("artists"), through="SeriesArtist", related_name="series", blank=True
    )
    rule = models.CharField(
        _("repeat rule"),
        max_length=200,
        validators=[validate_rule],
        help_text=_("An RFC 5545 RRULE value, e.g. FREQ=WEEKLY;BYDAY=FR."),
    )
    first_date = models.DateField(_("first date"))
    until = models.DateField(
        _("last date"), null=True, blank=True, help_text=_("Empty: the series goes on.")
    )
    start_time = models.TimeField(_("starts at"), help_text=_("Time of day in the series' zone."))
    duration = models.DurationField(_("duration"))
    timezone = models.CharField(
        _("time zone"),
        max_length=64,
        default=default_time_zone,
        validators=[validate_time_zone],
        help_text=_("IANA name; the start time is kept in this zone across daylight saving."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        ordering = ["title", "pk"]
        verbose_name = _("series")
        verbose_name_plural = _("series")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(duration__gt=timedelta(0)), name="series_duration_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(until__isnull=True)
                | models.Q(until__gte=models.F("first_date")),
                name="series_until_after_first_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        # Its dates are computed from the rule right after saving: a rule that cannot be read
        # is refused before anything is written.
        parse_rule(self.rule)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.duration is not None and self.duration <= timedelta(0):
            errors["duration"] = _("A night must last some time.")
        if self.duration is not None and self.duration > timedelta(days=1):
            errors["duration"] = _("A night of a series lasts at most 24 hours.")
        if self.until and self.first_date and self.until < self.first_date:
            errors["until"] = _("The last date cannot come before the first date.")
        if errors:
            raise ValidationError(errors)

    @property
    def zone(self) -> ZoneInfo:
        return time_zone_or_none(self.timezone) or ZoneInfo(settings.TIME_ZONE)

    @property
    def date_status(self) -> str:
        """The status its dates take: a draft series makes drafts, a published one schedules."""
        if self.status == self.Status.PUBLISHED:
            return Event.Status.SCHEDULED
        return Event.Status.DRAFT

    def starts_on(self, night) -> datetime:
        """The instant a night starts: the wall-clock time in the series' zone, whatever DST."""
        return datetime.combine(night, self.start_time, tzinfo=self.zone)

    @property
    def rule_text(self) -> str:
        try:
            return parse_rule(self.rule).describe()
        except ValidationError:
            return self.rule


class SeriesArtist(models.Model):
    series = models.ForeignKey(
        Series, verbose_name=_("series"), on_delete=models.CASCADE, related_name="artist_links"
    )
    artist = models.ForeignKey(
        Artist, verbose_name=_("artist"), on_delete=models.PROTECT, related_name="series_links"
    )
    order = models.PositiveSmallIntegerField(
        _("order"), default=0, validators=[MinValueValidator(0)]
    )

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["series", "artist"], name="series_artist_once"),
        ]
        verbose_name = _("artist")
        verbose_name_plural = _("artists (in billing order)")

    def __str__(self) -> str:
        return gettext("%(artist)s at %(series)s") % {"artist": self.artist, "series": self.series}


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class CalendarFeedToken(models.Model):
    """The secret in one staff member's private calendar feed URL.

    The token itself is kept (not only its hash) because the admin shows the URL again whenever
    staff need to re-subscribe; it grants read access to the programme and nothing else, and
    renewing it is one click. Lookups go through a digest so the comparison is not timing-leaky.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="calendar_feed_token",
    )
    token = models.CharField(_("token"), max_length=64, editable=False)
    digest = models.CharField(_("digest"), max_length=64, unique=True, editable=False)
    issued_at = models.DateTimeField(
        _("issued"), auto_now=True, help_text=_("When this address was made")
    )

    class Meta:
        verbose_name = _("staff calendar feed")
        verbose_name_plural = _("staff calendar feeds")

    def __str__(self) -> str:
        return gettext("Calendar feed of %(user)s") % {"user": self.user}

    @staticmethod
    def new_token() -> str:
        return secrets.token_urlsafe(32)

    @staticmethod
    def digest_of(token: str) -> str:
        return _token_digest(token)
