"""Words Django's admin shows that its own Italian catalogue (Django 5.2) leaves in English: the
headings of the app list's columns, read aloud by screen readers; and the app list's names of
installed apps that have no Italian catalogue. Marked here, they reach our catalogue, which
Django reads before its own. Once Django translates a word, drop it here (the catalogue test
points out any word whose Italian then differs from Django's).
"""

from django.utils.translation import gettext_noop

MESSAGES = [
    gettext_noop("Model name"),
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
    # The task queue's (django-q2) and the sign-in lockout's (django-axes) lists in the admin's
    # app list: neither app has an Italian catalogue.
    gettext_noop("Successful tasks"),
    gettext_noop("Failed tasks"),
    gettext_noop("Scheduled tasks"),
    gettext_noop("Queued tasks"),
    gettext_noop("access attempts"),
    gettext_noop("access failures"),
    gettext_noop("access logs"),
]
