"""Italian formats as the venue's staff write them: the English layout with Italian names,
24-hour clock, no seconds ("Sab 5 Dic 2026, 21:00", "05/12/2026 21:00").

Django's Italian formats supply the rest (separators, the other input spellings).
"""

from django.conf.locale.it import formats as django_italian

DATE_FORMAT = "D j M Y"
DATETIME_FORMAT = "D j M Y, H:i"
TIME_FORMAT = "H:i"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
# The first input format is also how a form shows a value: the admin's time box shows "21:00",
# not "21:00:00". Seconds are still accepted.
TIME_INPUT_FORMATS = ["%H:%M", "%H:%M:%S", "%H:%M:%S.%f"]
DATETIME_INPUT_FORMATS = [
    "%d/%m/%Y %H:%M",
    *(f for f in django_italian.DATETIME_INPUT_FORMATS if f != "%d/%m/%Y %H:%M"),
]
