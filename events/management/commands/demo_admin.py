import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Create (or reset) the local demo superuser and print its login. Development only."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")

    def handle(self, *args, username, **options):
        if not settings.DEBUG:
            # It resets the password of whoever is called `username`: never on a live site.
            raise CommandError(
                "demo_admin only runs with DEBUG on (development). On a live site use "
                "`manage.py createsuperuser` or `manage.py changepassword`."
            )
        user_model = get_user_model()
        user, _ = user_model.objects.get_or_create(
            username=username, defaults={"email": f"{username}@example.org"}
        )
        password = secrets.token_urlsafe(12)
        user.is_staff = user.is_superuser = user.is_active = True
        user.set_password(password)
        user.save()
        self.stdout.write(
            self.style.SUCCESS(
                f"Admin login: {settings.SITE_URL}/admin/  user: {username}  password: {password}"
            )
        )
