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

# Django's Italian writes these with a masculine article and agreement ("Il {name} … è stato
# aggiunto"), wrong for our names ("Il evento", "Il serie"): ours say the same without them.
# The catalogue test lets these, and only these, differ from Django's Italian.
ARTICLE_FREE = [
    gettext_noop("The {name} “{obj}” was added successfully."),
    gettext_noop("The {name} “{obj}” was added successfully. You may add another {name} below."),
    gettext_noop("The {name} “{obj}” was added successfully. You may edit it again below."),
    gettext_noop("The {name} “{obj}” was changed successfully."),
    gettext_noop("The {name} “{obj}” was changed successfully. You may edit it again below."),
    gettext_noop("The {name} “{obj}” was changed successfully. You may add another {name} below."),
    gettext_noop("The %(name)s “%(obj)s” was deleted successfully."),
]
