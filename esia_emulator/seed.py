"""`prepare`: keys, then users and clients from the data files. Safe to repeat."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import transaction

from esia_emulator import keystore
from esia_emulator.clients import register_client
from esia_emulator.conf import conf
from esia_emulator.identifiers import normalize_phone, snils_is_valid
from esia_emulator.models import LEVEL_ORDER, Account

ESIA_CERT_DAYS = 3650
CLIENT_CERT_DAYS = 3650


def ensure_keys() -> list[str]:
    made = []
    if keystore.ensure_key_pair(
        keystore.esia_key_path(),
        keystore.esia_cert_path(),
        "Эмулятор ЕСИА (подпись маркеров)",
        ESIA_CERT_DAYS,
    ):
        made.append(str(keystore.esia_cert_path()))
    if keystore.ensure_key_pair(
        keystore.client_key_path(), keystore.client_cert_path(), "ФРМР FRMR01 (тестовая ИС)", CLIENT_CERT_DAYS
    ):
        made.append(str(keystore.client_cert_path()))
    return made


def _load_json(name: str, key: str) -> list[dict[str, Any]]:
    path = keystore.data_dir() / name
    items = json.loads(path.read_text(encoding="utf-8")).get(key, [])
    if not isinstance(items, list):
        raise ValidationError(f"{path}: '{key}' must be a list")
    return items


def _digest(record: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(record, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def validate_user(record: dict[str, Any]) -> None:
    oid = record.get("oid")
    where = f"users.json, oid {oid!r}"
    if not isinstance(oid, int) or oid <= 0:
        raise ValidationError(f"{where}: oid must be a positive integer")
    for field in ("last_name", "first_name", "gender", "birth_date", "password"):
        if not record.get(field):
            raise ValidationError(f"{where}: '{field}' is required")
    snils = "".join(ch for ch in str(record.get("snils", "")) if ch.isdigit())
    if record.get("snils") and not snils_is_valid(snils):
        raise ValidationError(f"{where}: СНИЛС {record['snils']!r} has a wrong checksum")
    if record.get("mobile") and normalize_phone(str(record["mobile"])) is None:
        raise ValidationError(f"{where}: mobile must be a Russian +7 number")
    if record.get("level", "confirmed") not in LEVEL_ORDER:
        raise ValidationError(f"{where}: level must be one of {', '.join(LEVEL_ORDER)}")
    if record["gender"] not in ("M", "F"):
        raise ValidationError(f"{where}: gender must be M or F")


@transaction.atomic
def seed_users() -> tuple[int, int]:
    created = updated = 0
    for record in _load_json("users.json", "users"):
        validate_user(record)
        digest = _digest(record)
        account = Account.objects.filter(oid=record["oid"]).first()
        if account is not None and account.source_digest == digest:
            continue
        snils = "".join(ch for ch in str(record.get("snils", "")) if ch.isdigit())
        stored = {k: v for k, v in record.items() if k != "password"}
        fields = {
            "snils": snils,
            "phone": normalize_phone(str(record.get("mobile", ""))) or "",
            "email": str(record.get("email", "")).strip().lower(),
            "level": record.get("level", "confirmed"),
            "password_hash": make_password(record["password"]),
            "data": stored,
            "source_digest": digest,
        }
        if account is None:
            Account.objects.create(oid=record["oid"], **fields)
            created += 1
        else:
            Account.objects.filter(oid=account.oid).update(**fields)
            updated += 1
    return created, updated


def with_register_origin(prefixes: list[str]) -> list[str]:
    """The listed prefixes, plus the register's address on this stand (FRMR_SITE_URL / FRMR_RUN_ADDR)."""
    own = f"{conf.REGISTER_ORIGIN}/"
    return prefixes if own in prefixes or own == "/" else [*prefixes, own]


@transaction.atomic
def seed_clients() -> int:
    count = 0
    for record in _load_json("clients.json", "clients"):
        certificates = {
            f"clients.json, {record.get('client_id')}, {name}": (keystore.data_dir() / name).read_text(
                encoding="ascii"
            )
            for name in record.get("certificates", [])
        }
        register_client(
            client_id=str(record.get("client_id", "")),
            name=record.get("name", ""),
            certificates=certificates,
            redirect_uri_prefixes=with_register_origin(record.get("redirect_uri_prefixes", [])),
            scopes=record.get("scopes", ["openid"]),
            min_level=record.get("min_level", "simplified"),
        )
        count += 1
    return count
