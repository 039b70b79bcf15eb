"""Access and ID tokens shaped like ЕСИА's (research §1.5), signed with the emulator's GOST key."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

import gostkit
from esia_emulator import keystore
from esia_emulator.conf import conf
from esia_emulator.models import LEVEL_CONFIRMED, Account, AuthorizationCode, Client, RefreshToken
from esia_emulator.protocol import EsiaError

# ЕСИА's subject levels: "PR" is a confirmed person, "P" any other person account ("KD" is a child's).
SUBJECT_LEVEL = {"simplified": "P", "standard": "P", LEVEL_CONFIRMED: "PR"}


@dataclass(frozen=True)
class Grant:
    client: Client
    account: Account
    scopes: list[str]
    sid: str
    amr: str
    auth_time: datetime


def new_sid() -> str:
    return str(uuid.uuid4())


def bound_scope(scopes: list[str], oid: int) -> str:
    """Each granted scope but openid names its subject: `fullname?oid=1000000001`."""
    return " ".join(s if s == "openid" else f"{s}?oid={oid}" for s in scopes)


def create_code(
    client: Client, account: Account, scopes: list[str], redirect_uri: str, access_type: str, *, sid: str,
    amr: str, auth_time: datetime,
) -> str:  # fmt: skip
    code = secrets.token_urlsafe(48)
    AuthorizationCode.objects.create(
        code=code,
        client=client,
        account=account,
        scope=" ".join(scopes),
        redirect_uri=redirect_uri,
        access_type=access_type,
        sid=sid,
        amr=amr,
        auth_time=auth_time,
    )
    return code


def redeem_code(client: Client, code: str, redirect_uri: str, scopes: list[str]) -> tuple[Grant, str]:
    now = timezone.now()
    with transaction.atomic():
        row = AuthorizationCode.objects.select_related("account").filter(code=code, client=client).first()
        if row is None:
            raise EsiaError("007011", "Авторизационный код недействителен")
        # The code is spent by the first attempt whatever its outcome, as one-time codes should be.
        spent = AuthorizationCode.objects.filter(pk=row.pk, used_at__isnull=True).update(used_at=now)
    if not spent:
        raise EsiaError("007011", "Авторизационный код уже использован")
    if now - row.created_at > timedelta(seconds=conf.CODE_TTL_SECONDS):
        raise EsiaError("007011", "Срок действия авторизационного кода истёк")
    if redirect_uri != row.redirect_uri:
        raise EsiaError("007011", "redirect_uri не совпадает с указанным при получении кода")
    granted = row.scope.split()
    extra = [s for s in scopes if s not in granted]
    if extra:
        raise EsiaError("007006", f"Области доступа не были разрешены при получении кода: {' '.join(extra)}")
    grant = Grant(client, row.account, scopes, row.sid, row.amr, row.auth_time)
    return grant, row.access_type


def redeem_refresh_token(client: Client, token: str, scopes: list[str]) -> Grant:
    now = timezone.now()
    row = RefreshToken.objects.select_related("account").filter(token=token, client=client).first()
    ttl = timedelta(seconds=conf.REFRESH_TOKEN_TTL_SECONDS)
    if row is None or now - row.created_at > ttl:
        raise EsiaError("007011", "Маркер обновления недействителен или истёк")
    # Rotation: a refresh token works once; the answer carries its successor.
    if not RefreshToken.objects.filter(pk=row.pk, used_at__isnull=True).update(used_at=now):
        raise EsiaError("007011", "Маркер обновления уже использован")
    granted = row.scope.split()
    extra = [s for s in scopes if s not in granted]
    if extra:
        raise EsiaError("007006", f"Области доступа не были разрешены ранее: {' '.join(extra)}")
    return Grant(client, row.account, scopes, row.sid, row.amr, row.auth_time)


def issuer_for(request: HttpRequest) -> str:
    """`iss` of the tokens: the configured one, or the address this emulator is served on, written as
    ЕСИА writes its own (`http://esia.gosuslugi.ru/`, trailing slash)."""
    return conf.ISSUER or request.build_absolute_uri("/")


def issue(grant: Grant, *, state: str, with_refresh: bool, issuer: str) -> dict[str, Any]:
    now = int(timezone.now().timestamp())
    ttl = conf.ACCESS_TOKEN_TTL_SECONDS
    oid = grant.account.oid
    key = keystore.signing_key()
    access = {
        "nbf": now,
        "scope": bound_scope(grant.scopes, oid),
        "iss": issuer,
        "urn:esia:sid": grant.sid,
        "urn:esia:sbj_id": oid,
        "exp": now + ttl,
        "iat": now,
        "client_id": grant.client.client_id,
    }
    subject: dict[str, Any] = {
        "urn:esia:sbj:typ": "P",
        "urn:esia:sbj:oid": oid,
        "urn:esia:sbj:nam": f"OID.{oid}",
        "urn:esia:sbj:lvl": SUBJECT_LEVEL.get(grant.account.level, "P"),
    }
    if grant.account.level == LEVEL_CONFIRMED:
        subject["urn:esia:sbj:is_tru"] = True
    id_claims = {
        "aud": grant.client.client_id,
        "sub": oid,
        "nbf": now,
        "amr": grant.amr,
        "urn:esia:amd": grant.amr,
        "auth_time": int(grant.auth_time.timestamp()),
        "iss": issuer,
        "urn:esia:sid": grant.sid,
        "urn:esia:sbj": subject,
        "exp": now + ttl,
        "iat": now,
    }
    answer: dict[str, Any] = {
        "access_token": gostkit.jwt_encode(access, key, header_extra={"sbt": "access"}),
        "id_token": gostkit.jwt_encode(id_claims, key, header_extra={"sbt": "id"}),
        "state": state,
        "token_type": "Bearer",
        "expires_in": ttl,
    }
    if with_refresh:
        refresh = str(uuid.uuid4())
        RefreshToken.objects.create(
            token=refresh,
            client=grant.client,
            account=grant.account,
            scope=" ".join(grant.scopes),
            sid=grant.sid,
            amr=grant.amr,
            auth_time=grant.auth_time,
        )
        answer["refresh_token"] = refresh
    return answer


class TokenRefused(Exception):
    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description


@dataclass(frozen=True)
class AccessToken:
    oid: int
    scopes: frozenset[str]
    client_id: str


def check_access_token(authorization: str, *, issuer: str) -> AccessToken:
    """Bearer token at the person API: signature, kind, issuer and lifetime; scopes are the caller's."""
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise TokenRefused(401, "Нужен заголовок Authorization: Bearer <маркер доступа>")
    try:
        header = gostkit.jwt_unverified_header(token)
        claims = gostkit.jwt_decode(token, keystore.signing_certificate().public_key)
    except (gostkit.InvalidSignature, gostkit.MalformedToken):
        raise TokenRefused(401, "Маркер доступа недействителен: подпись не проверяется") from None
    if header.get("sbt") != "access":
        raise TokenRefused(401, "Это не маркер доступа")
    now = timezone.now().timestamp()
    if claims.get("iss") != issuer:
        raise TokenRefused(401, "Маркер доступа выпущен другим издателем")
    if not isinstance(claims.get("exp"), int) or claims["exp"] <= now:
        raise TokenRefused(401, "Срок действия маркера доступа истёк")
    if isinstance(claims.get("nbf"), int) and claims["nbf"] > now + 60:
        raise TokenRefused(401, "Маркер доступа ещё не действует")
    oid = claims.get("urn:esia:sbj_id")
    if not isinstance(oid, int):
        raise TokenRefused(401, "В маркере доступа нет urn:esia:sbj_id")
    scopes = set()
    for item in str(claims.get("scope", "")).split():
        name, _, bound = item.partition("?oid=")
        if not bound or bound == str(oid):
            scopes.add(name)
    return AccessToken(oid=oid, scopes=frozenset(scopes), client_id=str(claims.get("client_id", "")))
