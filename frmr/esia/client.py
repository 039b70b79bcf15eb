"""The ЕСИА client: the current protocol (`/aas/oauth2/v2/ac`, `/aas/oauth2/v3/te`), the person API
and the logout address. HTTP goes through urllib with a timeout; signing through a pluggable `Signer`.

The functions at the bottom build a client from settings on each call, so tests can override them.
"""

from __future__ import annotations

import datetime
import functools
import json
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.translation import gettext as _

import gostkit
from frmr.esia.data import EsiaPerson, EsiaTokens, person_from_json
from frmr.esia.errors import (
    EsiaError,
    EsiaStateMismatch,
    EsiaTokenInvalid,
    EsiaUnavailable,
    error_from_response,
)
from frmr.esia.signers import Signer, load_signer

AUTHORIZE_PATH = "/aas/oauth2/v2/ac"
TOKEN_PATH = "/aas/oauth2/v3/te"  # noqa: S105 - a path, not a secret
PERSON_PATH = "/rs/prns/{oid}"
LOGOUT_PATH = "/idp/ext/Logout"
MAX_BODY = 1024 * 1024  # no answer of ЕСИА comes near this; a larger one is not ЕСИА talking


@dataclass(frozen=True)
class EsiaConfig:
    base_url: str
    client_id: str
    redirect_uri: str
    scope: str
    scope_org: str = ""
    timeout: float = 10.0
    leeway_seconds: int = 60
    issuer: str = "auto"  # "auto" (or empty): the host of base_url over http or https

    @classmethod
    def from_settings(cls) -> EsiaConfig:
        return cls(
            base_url=settings.ESIA_BASE_URL.rstrip("/"),
            client_id=settings.ESIA_CLIENT_ID,
            redirect_uri=settings.ESIA_REDIRECT_URI,
            scope=settings.ESIA_SCOPE,
            scope_org=settings.ESIA_SCOPE_ORG,
            timeout=float(settings.ESIA_TIMEOUT_SECONDS),
            leeway_seconds=int(settings.ESIA_TOKEN_LEEWAY_SECONDS),
            issuer=settings.ESIA_TOKEN_ISSUER,
        )


def build_logout_url(config: EsiaConfig, *, redirect_url: str) -> str:
    """ЕСИА's logout; note `redirect_url`, not `redirect_uri`. Needs no key material."""
    params = {"client_id": config.client_id, "redirect_url": redirect_url}
    return f"{config.base_url}{LOGOUT_PATH}?{urllib.parse.urlencode(params)}"


def esia_timestamp(moment: datetime.datetime) -> str:
    """`yyyy.MM.dd HH:mm:ss +hhmm` in the site's time zone (ЕСИА refuses a skewed one: ESIA-007015)."""
    return timezone.localtime(moment).strftime("%Y.%m.%d %H:%M:%S %z")


class EsiaClient:
    def __init__(
        self,
        *,
        config: EsiaConfig,
        signer: Signer,
        verify_key: gostkit.PublicKey,
        now: Callable[[], datetime.datetime] = timezone.now,
    ) -> None:
        self.config = config
        self._signer = signer
        self._verify_key = verify_key
        self._now = now
        self.certificate_hash = gostkit.certificate_hash(signer.certificate_der())

    # --- the login -------------------------------------------------------------------------------

    def authorization_url(self, *, state: str) -> str:
        """Where to send the browser: ЕСИА's login page for this system, bound to `state`."""
        c = self.config
        timestamp = esia_timestamp(self._now())
        secret = self._client_secret(c.client_id, c.scope, c.scope_org, timestamp, state, c.redirect_uri)
        params = {
            "client_id": c.client_id,
            "client_secret": secret,
            "redirect_uri": c.redirect_uri,
            "scope": c.scope,
            **({"scope_org": c.scope_org} if c.scope_org else {}),
            "response_type": "code",
            "state": state,
            "timestamp": timestamp,
            "access_type": "online",
            "client_certificate_hash": self.certificate_hash,
        }
        return f"{c.base_url}{AUTHORIZE_PATH}?{urllib.parse.urlencode(params, quote_via=urllib.parse.quote)}"

    def exchange_code(self, *, code: str, state: str) -> EsiaTokens:
        """Trades the authorization code for tokens and verifies both of them.

        `state` is this request's own identifier (ЕСИА's peers send a fresh UUID); ЕСИА must echo it.
        """
        c = self.config
        timestamp = esia_timestamp(self._now())
        secret = self._client_secret(
            c.client_id, c.scope, c.scope_org, timestamp, state, c.redirect_uri, code
        )
        form = {
            "client_id": c.client_id,
            "code": code,
            "grant_type": "authorization_code",
            "client_certificate_hash": self.certificate_hash,
            "client_secret": secret,
            "state": state,
            "redirect_uri": c.redirect_uri,
            "scope": c.scope,
            **({"scope_org": c.scope_org} if c.scope_org else {}),
            "timestamp": timestamp,
            "token_type": "Bearer",
        }
        body = self._call("POST", c.base_url + TOKEN_PATH, form=form)
        if str(body.get("state", "")) != state:
            raise EsiaStateMismatch(_("Ответ Госуслуг на обмен кода не относится к этому запросу."))
        access_token, id_token = body.get("access_token"), body.get("id_token")
        if not isinstance(access_token, str) or not isinstance(id_token, str):
            raise EsiaTokenInvalid(_("Госуслуги не выдали ключи доступа."))
        access = self.verify_token(access_token)
        identity = self.verify_token(id_token)
        if str(access.get("client_id", "")) != c.client_id:
            raise EsiaTokenInvalid(_("Ключ доступа выдан другой системе."))
        audience = identity.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if c.client_id not in [str(a) for a in audiences]:
            raise EsiaTokenInvalid(_("Маркер идентификации выдан другой системе."))
        oid = self._subject(access, identity)
        try:
            expires_in = int(body.get("expires_in") or 0)
        except (TypeError, ValueError):
            expires_in = 0
        return EsiaTokens(
            access_token=access_token,
            id_token=id_token,
            oid=oid,
            expires_in=expires_in,
            refresh_token=str(body.get("refresh_token") or ""),
            access_claims=access,
            id_claims=identity,
        )

    def verify_token(self, token: str) -> dict[str, Any]:
        """Signature by ЕСИА's certificate, `exp`/`nbf` within the leeway, and `iss`."""
        try:
            claims = gostkit.jwt_decode(token, self._verify_key)
        except gostkit.InvalidSignature as exc:
            raise EsiaTokenInvalid(_("Подпись ключа доступа не прошла проверку."), detail=str(exc)) from exc
        except gostkit.MalformedToken as exc:
            raise EsiaTokenInvalid(
                _("Госуслуги вернули повреждённый ключ доступа."), detail=str(exc)
            ) from exc
        now = self._now().timestamp()
        leeway = self.config.leeway_seconds
        exp, nbf = claims.get("exp"), claims.get("nbf")
        if not isinstance(exp, int | float):
            raise EsiaTokenInvalid(_("У ключа доступа не указан срок действия."))
        if now > exp + leeway:
            raise EsiaTokenInvalid(_("Срок действия ключа доступа истёк."))
        if isinstance(nbf, int | float) and now + leeway < nbf:
            raise EsiaTokenInvalid(_("Ключ доступа ещё не действует (проверьте часы сервера)."))
        if not self._issuer_ok(str(claims.get("iss", ""))):
            raise EsiaTokenInvalid(_("Ключ доступа выдан не той ЕСИА, к которой подключена система."))
        return claims

    # --- the person ------------------------------------------------------------------------------

    def fetch_person(self, *, tokens: EsiaTokens) -> EsiaPerson:
        """ФИО, birth date, gender, СНИЛС, confirmation flag and contacts of the logged-in person."""
        base = f"{self.config.base_url}{PERSON_PATH.format(oid=urllib.parse.quote(tokens.oid))}"
        auth = {"Authorization": f"Bearer {tokens.access_token}"}
        embeds = ["contacts.elements"]
        if "usr_org" in self.config.scope.split():
            # The person's employers: shown to someone the register does not know yet («к кому обратиться»).
            embeds.append("organizations.elements")
        body = self._call("GET", f"{base}?embed=({','.join(embeds)})", headers=auth)
        contacts = body.get("contacts")
        elements = contacts.get("elements") if isinstance(contacts, dict) else None
        if not isinstance(elements, list) or not all(isinstance(e, dict) for e in elements):
            elements = self._contacts(base, auth)
        return person_from_json(tokens.oid, body, elements)

    def _contacts(self, base: str, auth: dict[str, str]) -> list[dict[str, Any]]:
        body = self._call("GET", base + "/ctts?embed=(elements)", headers=auth)
        found: list[dict[str, Any]] = []
        for element in body.get("elements") or []:
            if isinstance(element, dict):
                found.append(element)
            elif isinstance(element, str) and element.startswith(self.config.base_url + "/"):
                # Only links into ЕСИА itself: the bearer token must never travel elsewhere.
                found.append(self._call("GET", element, headers=auth))
        return found

    # --- logout ----------------------------------------------------------------------------------

    def logout_url(self, *, redirect_url: str) -> str:
        return build_logout_url(self.config, redirect_url=redirect_url)

    # --- plumbing --------------------------------------------------------------------------------

    def _client_secret(self, *parts: str) -> str:
        return gostkit.b64url_encode(self._signer.sign("".join(parts).encode("utf-8")))

    def _subject(self, access: dict[str, Any], identity: dict[str, Any]) -> str:
        sbj = identity.get("urn:esia:sbj")
        candidates = [
            access.get("urn:esia:sbj_id"),
            identity.get("sub"),
            sbj.get("urn:esia:sbj:oid") if isinstance(sbj, dict) else None,
        ]
        oids = {str(value) for value in candidates if value not in (None, "")}
        if len(oids) != 1:
            raise EsiaTokenInvalid(
                _("В ключах доступа не указан или не совпадает идентификатор пользователя.")
            )
        return oids.pop()

    def _issuer_ok(self, issuer: str) -> bool:
        if self.config.issuer not in ("", "auto"):
            return issuer.rstrip("/") == self.config.issuer.rstrip("/")
        # ЕСИА writes `http://<host>/` even though it is reached over https.
        expected = urllib.parse.urlsplit(self.config.base_url).netloc
        actual = urllib.parse.urlsplit(issuer)
        return actual.scheme in ("http", "https") and actual.netloc == expected

    def _call(
        self,
        method: str,
        url: str,
        *,
        form: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        data = urllib.parse.urlencode(form).encode("ascii") if form is not None else None
        # The URL is built from ESIA_BASE_URL (or a link inside it), never from user input.
        request = urllib.request.Request(  # noqa: S310
            url, data=data, method=method, headers={"Accept": "application/json"}
        )
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        if data is not None:
            request.add_header("Content-Type", "application/x-www-form-urlencoded")
        try:
            with urllib.request.urlopen(request, timeout=self.config.timeout) as response:  # noqa: S310
                raw = response.read(MAX_BODY)
        except urllib.error.HTTPError as exc:
            raise self._http_error(exc) from exc
        except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as exc:
            raise EsiaUnavailable(detail=f"{method} {url.split('?')[0]}: {exc}") from exc
        body = _json_object(raw)
        if body is None:
            raise EsiaError(
                _("Госуслуги вернули ответ, который не удалось разобрать."), detail=raw[:200].hex()
            )
        return body

    def _http_error(self, exc: urllib.error.HTTPError) -> EsiaError:
        try:
            body = _json_object(exc.read(MAX_BODY)) or {}
        except OSError:
            body = {}
        error = str(body.get("error") or "")
        description = str(body.get("error_description") or body.get("message") or "")
        if error or description:
            return error_from_response(error, description)
        if exc.code >= 500:
            return EsiaUnavailable(detail=f"HTTP {exc.code}")
        if exc.code in (401, 403):
            return EsiaTokenInvalid(_("Госуслуги не приняли ключ доступа."), detail=f"HTTP {exc.code}")
        return EsiaError(detail=f"HTTP {exc.code}")


def _json_object(raw: bytes) -> dict[str, Any] | None:
    try:
        value = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    return value if isinstance(value, dict) else None


@functools.lru_cache(maxsize=8)
def _crypto(*configuration: object) -> tuple[Signer, gostkit.PublicKey]:
    # `configuration` is only the cache key: the settings that decide the key material.
    verify_path = str(settings.ESIA_VERIFY_CERT_PATH)
    signer = load_signer()
    try:
        verify = gostkit.load_certificate_pem(Path(verify_path).read_bytes())
    except (OSError, gostkit.InvalidCertificate) as exc:
        raise ImproperlyConfigured(
            _("ESIA_VERIFY_CERT_PATH=%(verify_path)s: не удалось прочитать сертификат ЕСИА (%(exc)s).")
            % {"verify_path": verify_path, "exc": exc}
        ) from exc
    return signer, verify.public_key


def get_client(*, now: Callable[[], datetime.datetime] = timezone.now) -> EsiaClient:
    """A client configured from settings (key material is loaded once per configuration)."""
    signer, verify_key = _crypto(
        settings.ESIA_SIGNER,
        settings.ESIA_KEY_PATH,
        settings.ESIA_CERT_PATH,
        settings.ESIA_VERIFY_CERT_PATH,
        settings.ESIA_OPENSSL_BINARY,
        settings.ESIA_TIMEOUT_SECONDS,
    )
    return EsiaClient(config=EsiaConfig.from_settings(), signer=signer, verify_key=verify_key, now=now)


def new_state() -> str:
    return str(uuid.uuid4())


def authorization_url(*, state: str) -> str:
    return get_client().authorization_url(state=state)


def exchange_code(*, code: str, state: str) -> EsiaTokens:
    return get_client().exchange_code(code=code, state=state)


def fetch_person(*, tokens: EsiaTokens) -> EsiaPerson:
    return get_client().fetch_person(tokens=tokens)


def logout_url(*, redirect_url: str) -> str:
    return build_logout_url(EsiaConfig.from_settings(), redirect_url=redirect_url)
