"""Create the bench's worker, a periodic draft and a logged-in session; print them as JSON.

Run by run.py with the bench's environment (its own SQLite database and media directory).
"""

from __future__ import annotations

import datetime
import json
import os
import sys

sys.path.insert(0, os.getcwd())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.middleware.csrf import _get_new_csrf_string  # noqa: E402

from frmr.accounts.models import User  # noqa: E402
from frmr.accreditation.services.worker import application_create_draft  # noqa: E402
from frmr.nsi import oids  # noqa: E402
from frmr.nsi.services import dictionaries_load  # noqa: E402
from frmr.registry.models import Gender, Person  # noqa: E402

dictionaries_load(only=[oids.ACCREDITATION_KINDS])
person, _ = Person.objects.get_or_create(
    snils="11223344595",
    defaults={
        "oid": "2026.0000001",
        "last_name": "Нагрузкина",
        "first_name": "Вера",
        "gender": Gender.FEMALE,
        "birth_date": datetime.date(1980, 1, 1),
    },
)
user, _ = User.objects.get_or_create(username="bench", defaults={"person": person, "snils": person.snils})
application = application_create_draft(actor=user, kind_code="3")

session = SessionStore()
session[SESSION_KEY] = str(user.pk)
session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
session[HASH_SESSION_KEY] = user.get_session_auth_hash()
session.set_expiry(24 * 3600)
session.save()
print(
    json.dumps(
        {
            "application": application.pk,
            "cookies": {
                settings.SESSION_COOKIE_NAME: session.session_key,
                settings.CSRF_COOKIE_NAME: (csrf := _get_new_csrf_string()),
            },
            "csrf": csrf,
            "max_bytes": settings.DOCUMENT_MAX_BYTES,
        }
    )
)
