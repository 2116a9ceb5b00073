"""Words Django's admin shows that its own Italian catalogue (Django 5.2) leaves in English: the
headings of the app list's columns, read aloud by screen readers. Marked here, they reach our
catalogue, which Django reads before its own. Once Django translates a word, drop it here (the
catalogue test points out any word whose Italian then differs from Django's).
"""

from django.utils.translation import gettext_noop

MESSAGES = [
    gettext_noop("Model name"),
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
]
