"""The local demo superuser: its password is kept in the local settings file (`.env`, which
git ignores), so it survives restarts; `--reset` makes a new one. Development only."""

import re
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

KEY = "DEMO_ADMIN_PASSWORD"
LINE = re.compile(rf"^{KEY}=(.*)$", re.MULTILINE)


def kept_password(env_file: Path) -> str:
    if not env_file.is_file():
        return ""
    found = LINE.search(env_file.read_text())
    return found.group(1).strip() if found else ""


def keep_password(env_file: Path, password: str) -> None:
    """Write the password into the settings file, replacing an older one."""
    text = env_file.read_text() if env_file.is_file() else ""
    line = f"{KEY}={password}"
    if LINE.search(text):
        text = LINE.sub(line, text, count=1)
    else:
        text = f"{text}{'' if not text or text.endswith(chr(10)) else chr(10)}{line}\n"
    env_file.write_text(text)
    env_file.chmod(0o600)


class Command(BaseCommand):
    help = (
        "Create the local demo superuser and print its login; the password is kept in the "
        "local settings file (.env) across runs. --reset makes a new one. Development only."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")
        parser.add_argument(
            "--reset", action="store_true", help="Make a new password (and keep that one)."
        )

    def handle(self, *args, username, reset, **options):
        if not settings.DEBUG:
            # It sets the password of whoever is called `username`: never on a live site.
            raise CommandError(
                "demo_admin only runs with DEBUG on (development). On a live site use "
                "`manage.py createsuperuser` or `manage.py changepassword`."
            )
        env_file = Path(settings.ENV_FILE) if settings.ENV_FILE else None
        password = "" if reset or env_file is None else kept_password(env_file)
        if not password:
            password = secrets.token_urlsafe(12)
            if env_file is not None:
                keep_password(env_file, password)
        user_model = get_user_model()
        user, _ = user_model.objects.get_or_create(
            username=username, defaults={"email": f"{username}@example.org"}
        )
        user.is_staff = user.is_superuser = user.is_active = True
        if not user.check_password(password):
            user.set_password(password)
        user.save()
        self.stdout.write(
            self.style.SUCCESS(
                f"Admin login: {settings.SITE_URL}/admin/  user: {username}  password: {password}"
            )
        )
        if env_file is None:
            self.stdout.write(
                "(Not kept: no settings file is read, so the next run makes another.)"
            )
        else:
            self.stdout.write(
                f"(Kept in {env_file.name}; `manage.py demo_admin --reset` makes a new one.)"
            )
