"""`python -m esia_emulator prepare` and `python -m esia_emulator serve [ADDR:PORT]`."""

from __future__ import annotations

import os
import sys

USAGE = "usage: python -m esia_emulator {prepare | serve [127.0.0.1:8001] | manage <django command…>}"


def _setup() -> None:
    # Forced, not defaulted: the register's own DJANGO_SETTINGS_MODULE is often set in the same shell.
    os.environ["DJANGO_SETTINGS_MODULE"] = "esia_emulator.settings"
    import django

    django.setup()


def prepare() -> int:
    _setup()
    from django.conf import settings
    from django.core.management import call_command

    from esia_emulator import seed

    db_name = str(settings.DATABASES["default"].get("NAME", ""))
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3") and db_name:
        os.makedirs(os.path.dirname(db_name) or ".", exist_ok=True)
    call_command("migrate", interactive=False, verbosity=0)
    made = seed.ensure_keys()
    for path in made:
        print(f"эмулятор ЕСИА: создан ключ и сертификат {path} (только для разработки)")
    clients = seed.seed_clients()
    created, updated = seed.seed_users()
    print(f"эмулятор ЕСИА: клиентов {clients}, пользователей добавлено {created}, обновлено {updated}")
    return 0


def serve(addr: str) -> int:
    _setup()
    from django.core.management import call_command

    # No autoreloader: the development stand supervises this process itself.
    call_command("runserver", addr, use_reloader=False, insecure_serving=True)
    return 0


def main(argv: list[str]) -> int:
    if not argv:
        print(USAGE, file=sys.stderr)
        return 2
    command, rest = argv[0], argv[1:]
    if command == "prepare":
        return prepare()
    if command == "serve":
        return serve(rest[0] if rest else "127.0.0.1:8001")
    if command == "manage":
        _setup()
        from django.core.management import execute_from_command_line

        execute_from_command_line(["esia_emulator", *rest])
        return 0
    print(USAGE, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
