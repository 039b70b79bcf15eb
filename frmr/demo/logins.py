"""var/demo-logins.txt: who to log in as on the demo stand; `make run` prints it."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from frmr.core.text import format_phone
from frmr.core.validators import format_snils
from frmr.demo.accounts import ADMIN_PASSWORD_ENV, ADMIN_USERNAME, NAMED_ACCOUNTS, admin_dev_password
from frmr.demo.catalog import ESIA_DEMO_PASSWORD, ESIA_DEMO_SIGNATURE_PIN, ORGANIZATIONS_BY_KEY


def _table(rows: list[tuple[str, ...]]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in rows]


def logins_text() -> str:
    rows: list[tuple[str, ...]] = [("Роль", "ФИО", "СНИЛС", "Телефон", "Электронная почта")]
    for a in NAMED_ACCOUNTS:
        rows.append(
            (
                a.label,
                f"{a.last_name} {a.first_name} {a.patronymic}",
                format_snils(a.snils),
                format_phone(a.mobile),
                a.email,
            )
        )
    if settings.DEMO_ADMIN_PASSWORD:
        admin_password = f"из переменной {ADMIN_PASSWORD_ENV}"
    else:
        admin_password = admin_dev_password()
    orgs = "; ".join(f"МО {o.key} — {o.name_short}" for o in ORGANIZATIONS_BY_KEY.values())
    lines = [
        "Демонстрационные данные (все люди и организации вымышлены)",
        f"Организации: {orgs}",
        "",
        "Вход через эмулятор ЕСИА: логин — СНИЛС, телефон или электронная почта;",
        f"пароль всех демонстрационных учётных записей: {ESIA_DEMO_PASSWORD}",
        f"PIN-код тестовой электронной подписи (вход «Электронная подпись»): {ESIA_DEMO_SIGNATURE_PIN}",
        "",
        *_table(rows),
        "",
        "Ещё 50 работников с учётными записями ЕСИА (тот же пароль): frmr/demo/data/esia_users.json",
        f"Администрирование Django (/admin/): логин {ADMIN_USERNAME}, пароль {admin_password}",
    ]
    return "\n".join(lines) + "\n"


def write_logins_file() -> Path:
    path = Path(settings.VAR_DIR) / "demo-logins.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    text = logins_text()
    # Rewritten only when different, so that a repeated load leaves the file as it was.
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
    return path
