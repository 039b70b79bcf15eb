"""Typed failures of the ЕСИА client, each with a Russian message a person can act on.

ЕСИА reports errors as `ESIA-NNNNNN: text`; the codes we explain are those of the research
(docs/esia.md, «Коды ошибок ЕСИА»). Unknown codes keep ЕСИА's own text.
"""

from __future__ import annotations

import re

_CODE_RE = re.compile(r"(ESIA-\d{6})")

# What the code means for the person in front of the screen, and what to do about it.
CODE_MESSAGES: dict[str, str] = {
    "ESIA-007002": "Сертификат информационной системы не соответствует её мнемонике в ЕСИА.",
    "ESIA-007003": "В запросе к Госуслугам не хватает параметра или он указан неверно.",
    "ESIA-007004": "Вход отменён: доступ к данным не был предоставлен.",
    "ESIA-007005": "Госуслуги не разрешили системе этот способ получения доступа.",
    "ESIA-007006": "Система запросила данные, на которые у неё нет разрешения в ЕСИА.",
    "ESIA-007008": "Госуслуги перегружены и не смогли обработать вход.",
    "ESIA-007009": "Госуслуги не поддерживают запрошенный способ получения доступа.",
    "ESIA-007011": "Код авторизации устарел или уже был использован.",
    "ESIA-007012": "Госуслуги не поддерживают запрошенный тип ответа.",
    "ESIA-007013": "В запросе к Госуслугам не указан состав запрашиваемых данных.",
    "ESIA-007014": "В запросе к Госуслугам нет обязательного параметра.",
    "ESIA-007015": "Время запроса не совпало со временем Госуслуг (проверьте часы сервера).",
    "ESIA-007019": "У системы нет разрешения на эту операцию в ЕСИА.",
    "ESIA-007023": "Адрес возврата системы не зарегистрирован в ЕСИА.",
    "ESIA-007053": "Подпись запроса или хэш сертификата системы не приняты Госуслугами.",
    "ESIA-007055": (
        "Учётная запись на Госуслугах не подтверждена: войти можно с подтверждённой учётной записью."
    ),
    "ESIA-007194": "Запрошены данные организации, сотрудником которой пользователь не является.",
    "ESIA-008010": "Госуслуги не смогли проверить подлинность системы.",
}

# Codes the person can resolve themselves; for the rest the portal's administrators must act.
USER_FIXABLE_CODES = frozenset({"ESIA-007004", "ESIA-007008", "ESIA-007011", "ESIA-007055"})


class EsiaError(Exception):
    """ЕСИА refused or the exchange with it failed; `code` is ЕСИА's code when it gave one."""

    default_message = "Не удалось выполнить вход через Госуслуги."

    def __init__(self, message: str | None = None, *, code: str | None = None, detail: str = "") -> None:
        self.code = code
        self.detail = detail
        self.message = message or (CODE_MESSAGES.get(code, "") if code else "") or self.default_message
        super().__init__(f"{code}: {self.message}" if code else self.message)

    @property
    def user_fixable(self) -> bool:
        return self.code in USER_FIXABLE_CODES


class EsiaUnavailable(EsiaError):
    """ЕСИА did not answer in time, refused the connection or answered with a server error."""

    default_message = "Госуслуги временно недоступны."


class EsiaStateMismatch(EsiaError):
    """The answer belongs to another login attempt (or to none): `state` does not match."""

    default_message = "Ответ Госуслуг не относится к этому входу."


class EsiaTokenInvalid(EsiaError):
    """A token from ЕСИА failed verification: signature, lifetime, issuer or audience."""

    default_message = "Госуслуги вернули недействительный ключ доступа."


class EsiaUserRefused(EsiaError):
    """The person cancelled the login or refused to share their data."""

    default_message = "Вход отменён на Госуслугах."


def error_code(text: str) -> str | None:
    match = _CODE_RE.search(text or "")
    return match.group(1) if match else None


def error_from_response(error: str, description: str) -> EsiaError:
    """Turns ЕСИА's `error`/`error_description` pair (callback or token answer) into an exception."""
    code = error_code(description) or error_code(error)
    if error == "access_denied" or code == "ESIA-007004":
        return EsiaUserRefused(code=code, detail=description)
    if code == "ESIA-007008":
        return EsiaUnavailable(code=code, detail=description)
    fallback = None if code in CODE_MESSAGES else _plain_description(description)
    return EsiaError(fallback, code=code, detail=description)


def _plain_description(description: str) -> str | None:
    text = _CODE_RE.sub("", description or "").strip(" :;-")
    return text or None
