"""The worker's notifications about their application: one per event (the dedup key), each saying what
happens next. Nothing is sent on submission: the first notice comes with the registration number."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse

from frmr.accreditation.models import Application, ApplicationEvent
from frmr.accreditation.requirements import parse_row_key, requirement_for
from frmr.notifications.services import notification_create

KIND = "accreditation"


def application_link(application: Application) -> str:
    # The worker's application page belongs to web/lk; until it exists the cabinet's list is enough.
    for name, kwargs in (("lk:application", {"pk": application.pk}), ("lk:applications", {})):
        try:
            return reverse(name, kwargs=kwargs)
        except NoReverseMatch:
            continue
    return "/lk/"


def _send(application: Application, event_key: str, title: str, body: str) -> None:
    notification_create(
        recipient=application.applicant,
        kind=KIND,
        title=title,
        body=body,
        link=application_link(application),
        dedup_key=f"application:{application.pk}:{event_key}",
        email_to=application.contact_email or None,
    )


def _specialty(application: Application) -> str:
    return application.specialty.name if application.specialty_id and application.specialty else ""


def registered(application: Application) -> None:
    _send(
        application,
        "registered",
        f"Заявление зарегистрировано, № {application.registration_number}",
        f"Ваше заявление на аккредитацию по специальности «{_specialty(application)}» зарегистрировано, "
        f"регистрационный номер {application.registration_number}. Аккредитационный центр проверит "
        f"документы до {application.check_deadline:%d.%m.%Y} и передаст их в аккредитационную комиссию. "
        "Ничего делать не нужно: о следующем шаге мы сообщим.",
    )


def refused(application: Application, event: ApplicationEvent) -> None:
    _send(
        application,
        f"refused:{event.pk}",
        "В регистрации заявления отказано",
        "Аккредитационный центр отказал в регистрации заявления по специальности "
        f"«{_specialty(application)}». "
        f"Причина: {event.reason}\n\nИсправьте причину отказа и подайте новое заявление в личном кабинете: "
        "специальность снова доступна для подачи.",
    )


def returned(application: Application, event: ApplicationEvent) -> None:
    rows = []
    for key in event.rows:
        doc_type, row = parse_row_key(key)
        requirement = requirement_for(application.kind_code, doc_type)
        label = requirement.label if requirement else doc_type
        rows.append(
            f"— {label}"
            + (f" (строка {row + 1})" if row is not None and requirement and requirement.repeatable else "")
        )
    _send(
        application,
        f"returned:{event.pk}",
        "Заявление возвращено на доработку",
        f"Аккредитационный центр вернул заявление{_number(application)} на доработку. "
        f"Что исправить: {event.reason}\n\nЗамените файлы:\n" + "\n".join(rows) + "\n\n"
        "Откройте заявление в личном кабинете, загрузите исправленные файлы в отмеченных строках "
        "и нажмите «Отправить повторно».",
    )


def at_commission(application: Application) -> None:
    _send(
        application,
        "at_commission",
        "Документы переданы в аккредитационную комиссию",
        f"Аккредитационный центр проверил документы заявления{_number(application)} и передал их "
        f"в аккредитационную комиссию. Комиссия рассмотрит их до {application.commission_deadline:%d.%m.%Y}. "
        "Ничего делать не нужно: о решении мы сообщим.",
    )


def decided(application: Application, event: ApplicationEvent) -> None:
    protocol = f"протокол № {application.protocol_number} от {application.protocol_date:%d.%m.%Y}"
    if application.accreditation_record_id:
        record = application.accreditation_record
        assert record is not None
        body = (
            f"Аккредитационная комиссия приняла решение: вы аккредитованы по специальности "
            f"«{_specialty(application)}» ({protocol}). Номер реестровой записи {record.registry_number}, "
            f"аккредитация действует до {record.end_date:%d.%m.%Y}. Выписку в формате PDF можно скачать "
            "в личном кабинете, в разделе об аккредитации."
        )
        title = "Вы аккредитованы"
    else:
        body = (
            f"Аккредитационная комиссия приняла решение: не аккредитован по специальности "
            f"«{_specialty(application)}» ({protocol}). Причина: {event.reason}\n\n"
            "Вы можете подать новое заявление по этой специальности в личном кабинете, "
            "устранив указанную причину."
        )
        title = "Решение комиссии: не аккредитован"
    _send(application, "decided", title, body)


def _number(application: Application) -> str:
    return f" № {application.registration_number}" if application.registration_number else ""
