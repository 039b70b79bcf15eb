"""Typed failures of the ЕСИА client, each with a Russian message a person can act on.

ЕСИА reports errors as `error=<OAuth name>` plus `error_description=ESIA-NNNNNN: text`. The OAuth name
does not tell what happened: the real ЕСИА answers a wrong `client_secret` with `access_denied` too
(`ESIA-007053: OAuthErrorEnum.clientSecretWrong`), so the code decides, never the name. The codes are
those documented in the research (docs/esia.md, «Коды ошибок ЕСИА»). ЕСИА's own text is never shown:
on the callback it arrives in the address bar and anyone can write it there.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy
from django_stubs_ext import StrOrPromise

_CODE_RE = re.compile(r"(ESIA-\d{6})")

# What the code means for the person in front of the screen, and what to do about it.
CODE_MESSAGES: dict[str, StrOrPromise] = {
    "ESIA-007002": gettext_lazy(
        "Сертификат информационной системы не соответствует её мнемонике в ЕСИА "
        "или не зарегистрирован для неё."
    ),
    "ESIA-007003": gettext_lazy("В запросе к Госуслугам не хватает параметра или он указан неверно."),
    "ESIA-007004": gettext_lazy("Вход отменён: доступ к данным не был предоставлен."),
    "ESIA-007005": gettext_lazy("Госуслуги не разрешили системе этот способ получения доступа."),
    "ESIA-007006": gettext_lazy("Система запросила данные, на которые у неё нет разрешения в ЕСИА."),
    "ESIA-007007": gettext_lazy("В работе Госуслуг произошла непредвиденная ошибка."),
    "ESIA-007008": gettext_lazy("Госуслуги перегружены или на них идут технические работы."),
    "ESIA-007009": gettext_lazy("Госуслуги не поддерживают запрошенный способ получения доступа."),
    "ESIA-007011": gettext_lazy("Код авторизации устарел или уже был использован."),
    "ESIA-007012": gettext_lazy("Госуслуги не поддерживают запрошенный тип ответа."),
    "ESIA-007013": gettext_lazy("В запросе к Госуслугам не указан состав запрашиваемых данных."),
    "ESIA-007014": gettext_lazy("В запросе к Госуслугам нет обязательного параметра."),
    "ESIA-007015": gettext_lazy("Время запроса не совпало со временем Госуслуг (проверьте часы сервера)."),
    "ESIA-007019": gettext_lazy("У системы нет разрешения на эту операцию в ЕСИА."),
    "ESIA-007023": gettext_lazy("Адрес возврата системы не зарегистрирован в ЕСИА."),
    "ESIA-007038": gettext_lazy("Госуслуги не смогли прочитать параметры запроса."),
    "ESIA-007039": gettext_lazy("Проверочный код входа (PKCE) не был передан в начале входа."),
    "ESIA-007040": gettext_lazy("Проверочный код входа (PKCE) не совпал с переданным в начале входа."),
    "ESIA-007046": gettext_lazy(
        "Для входа нужна двухфакторная проверка, а она недоступна для этой учётной записи."
    ),
    "ESIA-007053": gettext_lazy("Подпись запроса или хэш сертификата системы не приняты Госуслугами."),
    "ESIA-007055": gettext_lazy(
        "Учётная запись на Госуслугах не подтверждена: войти можно с подтверждённой учётной записью."
    ),
    "ESIA-007060": gettext_lazy("Госуслуги не приняли список ролей в запросе."),
    "ESIA-007061": gettext_lazy("Госуслуги не приняли тип объекта в запросе."),
    "ESIA-007062": gettext_lazy("Госуслуги не приняли тип или роль пользователя в запросе."),
    "ESIA-007194": gettext_lazy(
        "Запрошены данные организации, сотрудником которой пользователь не является."
    ),
    "ESIA-008010": gettext_lazy("Госуслуги не смогли проверить подлинность системы."),
    # Consents of the digital profile: the register does not ask for them, but a misconfigured
    # scope may still bring one back.
    "ESIA-036700": gettext_lazy("В запросе согласия не указан его тип."),
    "ESIA-036701": gettext_lazy("Госуслуги не знают запрошенный тип согласия."),
    "ESIA-036702": gettext_lazy("Для типа согласия не указана обязательная область доступа."),
    "ESIA-036703": gettext_lazy("Запрошенные данные выходят за рамки типа согласия."),
    "ESIA-036704": gettext_lazy("Для этого типа согласия нельзя указывать области доступа."),
    "ESIA-036705": gettext_lazy("В запросе согласия не указано ни одного действия."),
    "ESIA-036706": gettext_lazy("Госуслуги не знают действие, указанное в согласии."),
    "ESIA-036707": gettext_lazy("В запросе согласия не указана его цель."),
    "ESIA-036716": gettext_lazy("В запросе согласия неверно указан срок его действия."),
    "ESIA-036726": gettext_lazy("Госуслуги не знают цель, указанную в согласии."),
    "ESIA-036727": gettext_lazy("В запросе согласия должна быть указана одна цель."),
}

# Codes the person can resolve themselves; for the rest the portal's administrators must act.
USER_FIXABLE_CODES = frozenset({"ESIA-007004", "ESIA-007011", "ESIA-007055"})
# ЕСИА itself is down or broken: the same page as an unreachable ЕСИА, "try again later".
UNAVAILABLE_CODES = frozenset({"ESIA-007007", "ESIA-007008"})
UNKNOWN_CODE_MESSAGE = gettext_lazy("Госуслуги отказали во входе по причине, которую портал не знает.")


class EsiaError(Exception):
    """ЕСИА refused or the exchange with it failed; `code` is ЕСИА's code when it gave one."""

    default_message = gettext_lazy("Не удалось выполнить вход через Госуслуги.")

    def __init__(
        self, message: StrOrPromise | None = None, *, code: str | None = None, detail: str = ""
    ) -> None:
        self.code = code
        self.detail = detail
        # Translated now, in the request's language: the message is shown and logged as plain text.
        self.message = str(message or (CODE_MESSAGES.get(code, "") if code else "") or self.default_message)
        super().__init__(f"{code}: {self.message}" if code else self.message)

    @property
    def user_fixable(self) -> bool:
        return self.code in USER_FIXABLE_CODES


class EsiaUnavailable(EsiaError):
    """ЕСИА did not answer in time, refused the connection or answered with a server error."""

    default_message = gettext_lazy("Госуслуги временно недоступны.")


class EsiaStateMismatch(EsiaError):
    """The answer belongs to another login attempt (or to none): `state` does not match."""

    default_message = gettext_lazy("Ответ Госуслуг не относится к этому входу.")


class EsiaTokenInvalid(EsiaError):
    """A token from ЕСИА failed verification: signature, lifetime, issuer or audience."""

    default_message = gettext_lazy("Госуслуги вернули недействительный ключ доступа.")


class EsiaUserRefused(EsiaError):
    """The person cancelled the login or refused to share their data."""

    default_message = gettext_lazy("Вход отменён на Госуслугах.")


def error_code(text: str) -> str | None:
    match = _CODE_RE.search(text or "")
    return match.group(1) if match else None


def error_from_response(error: str, description: str) -> EsiaError:
    """Turns ЕСИА's `error`/`error_description` pair (callback or token answer) into an exception.

    ЕСИА's text goes to `detail` (for the log) only; the message is always ours.
    """
    code = error_code(description) or error_code(error)
    if code == "ESIA-007004" or (error == "access_denied" and code is None):
        return EsiaUserRefused(code=code, detail=description)
    if code in UNAVAILABLE_CODES:
        return EsiaUnavailable(code=code, detail=description)
    if code is not None and code not in CODE_MESSAGES:
        return EsiaError(UNKNOWN_CODE_MESSAGE, code=code, detail=description)
    return EsiaError(code=code, detail=description)
