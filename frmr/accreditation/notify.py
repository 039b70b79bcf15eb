"""The worker's notifications about their application: one per event (the dedup key), each saying what
happens next. Nothing is sent on submission: the first notice comes with the registration number."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from frmr.accreditation.models import Application, ApplicationEvent
from frmr.accreditation.requirements import parse_row_key, requirement_for
from frmr.notifications.services import notification_create

KIND = "accreditation"


def application_link(application: Application) -> str:
    # The worker's application page belongs to web/lk; until it exists the cabinet's list is enough.
    for name, kwargs in (("lk:application_detail", {"pk": application.pk}), ("lk:application_list", {})):
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
        _("Заявление зарегистрировано, № %(number)s") % {"number": application.registration_number},
        _(
            "Ваше заявление на аккредитацию по специальности «%(specialty)s» зарегистрировано, "
            "регистрационный номер %(number)s. Аккредитационный центр проверит "
            "документы до %(deadline)s и передаст их в аккредитационную комиссию. "
            "Ничего делать не нужно: о следующем шаге мы сообщим."
        )
        % {
            "specialty": _specialty(application),
            "number": application.registration_number,
            "deadline": f"{application.check_deadline:%d.%m.%Y}",
        },
    )


def refused(application: Application, event: ApplicationEvent) -> None:
    _send(
        application,
        f"refused:{event.pk}",
        _("В регистрации заявления отказано"),
        _(
            "Аккредитационный центр отказал в регистрации заявления по специальности «%(specialty)s». "
            "Причина: %(reason)s\n\nИсправьте причину отказа и подайте новое заявление в личном кабинете: "
            "специальность снова доступна для подачи."
        )
        % {"specialty": _specialty(application), "reason": event.reason},
    )


def returned(application: Application, event: ApplicationEvent) -> None:
    rows = []
    for key in event.rows:
        doc_type, row = parse_row_key(key)
        requirement = requirement_for(application.kind_code, doc_type)
        label = requirement.label if requirement else doc_type
        if row is not None and requirement and requirement.repeatable:
            rows.append(_("— %(document)s (строка %(row)s)") % {"document": label, "row": row + 1})
        else:
            rows.append(f"— {label}")
    _send(
        application,
        f"returned:{event.pk}",
        _("Заявление возвращено на доработку"),
        _(
            "Аккредитационный центр вернул заявление%(number)s на доработку. "
            "Что исправить: %(reason)s\n\nЗамените файлы:\n%(rows)s\n\n"
            "Откройте заявление в личном кабинете, загрузите исправленные файлы в отмеченных строках "
            "и нажмите «Отправить повторно»."
        )
        % {"number": _number(application), "reason": event.reason, "rows": "\n".join(rows)},
    )


def at_commission(application: Application) -> None:
    _send(
        application,
        "at_commission",
        _("Документы переданы в аккредитационную комиссию"),
        _(
            "Аккредитационный центр проверил документы заявления%(number)s и передал их "
            "в аккредитационную комиссию. Комиссия рассмотрит их до %(deadline)s. "
            "Ничего делать не нужно: о решении мы сообщим."
        )
        % {"number": _number(application), "deadline": f"{application.commission_deadline:%d.%m.%Y}"},
    )


def decided(application: Application, event: ApplicationEvent) -> None:
    protocol = _("протокол № %(number)s от %(date)s") % {
        "number": application.protocol_number,
        "date": f"{application.protocol_date:%d.%m.%Y}",
    }
    if application.accreditation_record_id:
        record = application.accreditation_record
        assert record is not None
        body = _(
            "Аккредитационная комиссия приняла решение: вы аккредитованы по специальности "
            "«%(specialty)s» (%(protocol)s). Номер реестровой записи %(number)s, "
            "аккредитация действует до %(end)s. Выписку в формате PDF можно скачать "
            "в личном кабинете, в разделе об аккредитации."
        ) % {
            "specialty": _specialty(application),
            "protocol": protocol,
            "number": record.registry_number,
            "end": f"{record.end_date:%d.%m.%Y}",
        }
        title = _("Вы аккредитованы")
    else:
        body = _(
            "Аккредитационная комиссия приняла решение: не аккредитован по специальности "
            "«%(specialty)s» (%(protocol)s). Причина: %(reason)s\n\n"
            "Вы можете подать новое заявление по этой специальности в личном кабинете, "
            "устранив указанную причину."
        ) % {"specialty": _specialty(application), "protocol": protocol, "reason": event.reason}
        title = _("Решение комиссии: не аккредитован")
    _send(application, "decided", title, body)


def _number(application: Application) -> str:
    return f" № {application.registration_number}" if application.registration_number else ""
