"""The repeat rules a series can have, kept as RFC 5545 RRULE values and computed by dateutil.

Only what staff can choose in the admin is accepted: weekly on chosen weekdays (every N weeks),
or monthly on the n-th (or last) weekday. Anything else is refused with a plain message, so a
rule written by a script is never silently read as something it does not say.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime, time

from dateutil import rrule
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy

WEEKLY = "WEEKLY"
MONTHLY = "MONTHLY"
DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")  # index = date.weekday()
MAX_WEEK_INTERVAL = 52
ORDINALS = (1, 2, 3, 4, -1)

WEEKDAY_NAMES = (
    gettext_lazy("Monday"),
    gettext_lazy("Tuesday"),
    gettext_lazy("Wednesday"),
    gettext_lazy("Thursday"),
    gettext_lazy("Friday"),
    gettext_lazy("Saturday"),
    gettext_lazy("Sunday"),
)
# The same names inside a sentence ("Every week on Friday"): Italian writes them in lower case.
WEEKDAY_NAMES_IN_SENTENCE = (
    pgettext_lazy("in a sentence", "Monday"),
    pgettext_lazy("in a sentence", "Tuesday"),
    pgettext_lazy("in a sentence", "Wednesday"),
    pgettext_lazy("in a sentence", "Thursday"),
    pgettext_lazy("in a sentence", "Friday"),
    pgettext_lazy("in a sentence", "Saturday"),
    pgettext_lazy("in a sentence", "Sunday"),
)
ORDINAL_NAMES = {
    1: gettext_lazy("first"),
    2: gettext_lazy("second"),
    3: gettext_lazy("third"),
    4: gettext_lazy("fourth"),
    -1: gettext_lazy("last"),
}

# Italian (and other languages) agree the ordinal with the weekday: "prima domenica", "primo
# sabato". Sunday's get a context of their own so translators can say it.
SUNDAY = 6
ORDINAL_NAMES_BEFORE_SUNDAY = {
    1: pgettext_lazy("before Sunday", "first"),
    2: pgettext_lazy("before Sunday", "second"),
    3: pgettext_lazy("before Sunday", "third"),
    4: pgettext_lazy("before Sunday", "fourth"),
    -1: pgettext_lazy("before Sunday", "last"),
}

_MONTHLY_DAY = re.compile(r"^(-1|[1-4])(MO|TU|WE|TH|FR|SA|SU)$")


class RuleError(ValidationError):
    """A rule the series cannot use; the message says why in staff's words."""


@dataclass(frozen=True)
class SeriesRule:
    frequency: str  # WEEKLY or MONTHLY
    weekdays: tuple[int, ...]  # 0 = Monday; one day for MONTHLY
    interval: int = 1  # weeks between nights (WEEKLY only)
    ordinal: int | None = None  # 1..4 or -1 = last (MONTHLY only)

    def __post_init__(self):
        if self.frequency == WEEKLY:
            if not self.weekdays:
                raise RuleError(_("Choose at least one weekday."))
            if not 1 <= self.interval <= MAX_WEEK_INTERVAL:
                raise RuleError(_("Repeat every 1 to %(max)s weeks.") % {"max": MAX_WEEK_INTERVAL})
        elif self.frequency == MONTHLY:
            if len(self.weekdays) != 1 or self.ordinal not in ORDINALS:
                raise RuleError(_("A monthly series needs one weekday and which one of the month."))
        else:
            raise RuleError(_("A series repeats weekly or monthly."))

    @property
    def text(self) -> str:
        """The canonical RRULE value, e.g. FREQ=WEEKLY;INTERVAL=2;BYDAY=SU."""
        if self.frequency == MONTHLY:
            return f"FREQ=MONTHLY;BYDAY={self.ordinal}{DAY_CODES[self.weekdays[0]]}"
        days = ",".join(DAY_CODES[day] for day in sorted(self.weekdays))
        interval = f";INTERVAL={self.interval}" if self.interval != 1 else ""
        return f"FREQ=WEEKLY{interval};BYDAY={days}"

    def describe(self) -> str:
        if self.frequency == MONTHLY:
            weekday = self.weekdays[0]
            ordinals = ORDINAL_NAMES_BEFORE_SUNDAY if weekday == SUNDAY else ORDINAL_NAMES
            return _("Every %(ordinal)s %(weekday)s of the month") % {
                "ordinal": ordinals[self.ordinal],
                "weekday": WEEKDAY_NAMES_IN_SENTENCE[weekday],
            }
        days = ", ".join(str(WEEKDAY_NAMES_IN_SENTENCE[day]) for day in sorted(self.weekdays))
        if self.interval == 1:
            return _("Every week on %(days)s") % {"days": days}
        return ngettext(
            "Every %(count)s week on %(days)s",
            "Every %(count)s weeks on %(days)s",
            self.interval,
        ) % {"count": self.interval, "days": days}

    def dates(self, *, first: date, last: date) -> list[date]:
        """The nights from `first` to `last` (both included), computed by dateutil's rrule."""
        if last < first:
            return []
        if self.frequency == MONTHLY:
            frequency = rrule.MONTHLY
            weekdays = [rrule.weekday(self.weekdays[0], self.ordinal)]
        else:
            frequency = rrule.WEEKLY
            weekdays = [rrule.weekday(day) for day in self.weekdays]
        occurrences = rrule.rrule(
            frequency,
            dtstart=datetime.combine(first, time.min),
            until=datetime.combine(last, time.min),
            interval=self.interval,
            byweekday=weekdays,
            wkst=rrule.MO,
        )
        return [moment.date() for moment in occurrences]


def parse_rule(value: str) -> SeriesRule:
    """The rule an RRULE value describes, or RuleError for one the series cannot use."""
    parts: dict[str, str] = {}
    text = (value or "").strip()
    if text.upper().startswith("RRULE:"):
        text = text[len("RRULE:") :]
    for part in filter(None, text.upper().split(";")):
        key, sep, part_value = part.partition("=")
        if not sep or not part_value or key in parts:
            raise RuleError(_("“%(value)s” is not a repeat rule.") % {"value": value})
        parts[key] = part_value
    frequency = parts.pop("FREQ", "")
    by_day = parts.pop("BYDAY", "")
    interval_text = parts.pop("INTERVAL", "1")
    if parts:
        raise RuleError(
            _("The rule uses %(parts)s, which a series cannot describe.")
            % {"parts": ", ".join(sorted(parts))}
        )
    if not interval_text.isdigit():
        raise RuleError(_("The interval must be a whole number of weeks."))
    interval = int(interval_text)
    days = by_day.split(",") if by_day else []
    if frequency == WEEKLY:
        if any(day not in DAY_CODES for day in days) or len(set(days)) != len(days):
            raise RuleError(_("Weekly rules name each weekday once, e.g. BYDAY=MO,FR."))
        return SeriesRule(
            frequency=WEEKLY,
            weekdays=tuple(sorted(DAY_CODES.index(day) for day in days)),
            interval=interval,
        )
    if frequency == MONTHLY:
        match = _MONTHLY_DAY.match(days[0]) if len(days) == 1 else None
        if match is None or interval != 1:
            raise RuleError(
                _(
                    "Monthly rules name one weekday of the month, "
                    "e.g. BYDAY=1SA (the first Saturday)."
                )
            )
        return SeriesRule(
            frequency=MONTHLY,
            weekdays=(DAY_CODES.index(match.group(2)),),
            ordinal=int(match.group(1)),
        )
    raise RuleError(_("A series repeats weekly or monthly (FREQ=WEEKLY or FREQ=MONTHLY)."))


def validate_rule(value: str) -> None:
    parse_rule(value)
