"""`manage.py create_api_token --organization <OID> --name "МИС"`: issue a token without the cabinet."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from frmr.audit.actors import SYSTEM
from frmr.integration.services import api_token_create
from frmr.registry.models import Organization


class Command(BaseCommand):
    help = "Выпустить токен интеграционного API для организации (токен печатается один раз)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organization", required=True, help="OID организации в ФРМО")
        parser.add_argument("--name", required=True, help="название токена, например «МИС поликлиники»")
        parser.add_argument(
            "--valid-until",
            type=datetime.date.fromisoformat,
            default=None,
            help="последний день действия, ГГГГ-ММ-ДД (по умолчанию — бессрочный)",
        )
        parser.add_argument("--quiet-token", action="store_true", help="печатать только токен (для скриптов)")

    def handle(self, *args: Any, **options: Any) -> None:
        organization = Organization.objects.filter(oid=options["organization"]).first()
        if organization is None:
            raise CommandError(f"Организации с OID {options['organization']} в регистре нет.")
        try:
            token, raw = api_token_create(
                organization=organization,
                actor=SYSTEM,
                name=options["name"],
                valid_until=options["valid_until"],
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        if options["quiet_token"]:
            self.stdout.write(raw)
            return
        self.stdout.write(f"Токен «{token.name}» организации «{organization}» (начало {token.prefix}):")
        self.stdout.write(raw)
        self.stdout.write(
            "Сохраните его сейчас: в регистре хранится только хеш, показать токен снова нельзя."
        )
