"""Settings for the test suite: the real settings, with test-only speed-ups."""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-not-a-secret")
os.environ.setdefault("ENV_FILE", "")  # a developer's .env does not reach the tests

from tdc.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
INTEGRATION_HTTP_BACKOFF = 0.0  # retries happen, without sleeping
INTEGRATION_HTTP_MAX_WAIT = 0.0
MEDIA_ROOT = VAR_DIR / "test-media"  # noqa: F405
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
Q_CLUSTER = {**Q_CLUSTER, "orm": "default"}  # noqa: F405
Q_CLUSTER.pop("redis", None)
# The test client and the live server speak plain HTTP; tests of the redirect turn it on.
SECURE_SSL_REDIRECT = False
