"""The accreditation application, its documents, its history and the registration number counters."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Case, F, Q, When
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from frmr.accreditation.requirements import DocType, parse_row_key
from frmr.nsi import oids
from frmr.registry.models import dict_fk


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", gettext_lazy("Черновик")
    SUBMITTED = "submitted", gettext_lazy("Отправлено — ожидает проверки")
    REGISTERED = "registered", gettext_lazy("Зарегистрировано — документы проверяются")
    RETURNED = "returned", gettext_lazy("На доработке")
    REFUSED_REGISTRATION = "refused_registration", gettext_lazy("Отказано в регистрации")
    WITHDRAWN = "withdrawn", gettext_lazy("Отозвано")
    AT_COMMISSION = "at_commission", gettext_lazy("Передано в аккредитационную комиссию")
    ACCREDITED = "accredited", gettext_lazy("Аккредитован")
    NOT_ACCREDITED = "not_accredited", gettext_lazy("Не аккредитован")


# While an application is in one of these, another one for the same person and specialty is refused.
IN_PROGRESS = [
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.REGISTERED,
    ApplicationStatus.RETURNED,
    ApplicationStatus.AT_COMMISSION,
]
# What the worker may still edit (documents, contacts): a draft, or the rows returned for revision.
EDITABLE = [ApplicationStatus.DRAFT, ApplicationStatus.RETURNED]
# What the worker may withdraw at any time; a returned one only while it has no registration number.
WITHDRAWABLE = [ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED]
FINAL = [
    ApplicationStatus.REFUSED_REGISTRATION,
    ApplicationStatus.WITHDRAWN,
    ApplicationStatus.ACCREDITED,
    ApplicationStatus.NOT_ACCREDITED,
]
# What the centre's queue shows by default: sent and waiting for the centre or the commission.
IN_WORK = [ApplicationStatus.SUBMITTED, ApplicationStatus.REGISTERED, ApplicationStatus.AT_COMMISSION]


class Application(models.Model):
    """A worker's application for accreditation in one specialty (statuses: docs/accreditation.md)."""

    person = models.ForeignKey(
        "registry.Person",
        verbose_name=gettext_lazy("работник"),
        on_delete=models.PROTECT,
        related_name="accreditation_applications",
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("заявитель (пользователь)"),
        on_delete=models.PROTECT,
        related_name="accreditation_applications",
    )
    contact_phone = models.CharField(gettext_lazy("контактный телефон"), max_length=32, blank=True)
    contact_email = models.EmailField(gettext_lazy("электронная почта"), blank=True)
    # dict_fk takes its label as `str`; Django renders a lazy label late either way.
    education_level = dict_fk(oids.EDUCATION_LEVELS, gettext_lazy("уровень образования"), required=False)
    specialty_kind = dict_fk(oids.SPECIALTY_KINDS, gettext_lazy("вид специальности"), required=False)
    specialty = dict_fk(oids.SPECIALTIES, gettext_lazy("специальность"), required=False)
    accreditation_kind = dict_fk(oids.ACCREDITATION_KINDS, gettext_lazy("вид аккредитации"), required=False)
    comment = models.TextField(gettext_lazy("комментарий"), blank=True)
    consent = models.BooleanField(gettext_lazy("согласие на обработку персональных данных"), default=False)
    consent_at = models.DateTimeField(gettext_lazy("согласие дано"), null=True, blank=True)

    status = models.CharField(
        gettext_lazy("статус"),
        max_length=24,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.DRAFT,
    )
    # The reason of the last refusal, return or negative decision, shown to the worker beside the status.
    status_reason = models.TextField(gettext_lazy("причина"), blank=True)
    # Row keys (`passport:0`, or a bare type for all its rows) the centre asked to replace.
    rows_to_fix = models.JSONField(gettext_lazy("строки для исправления"), default=list, blank=True)
    registration_number = models.CharField(
        gettext_lazy("регистрационный номер"), max_length=32, unique=True, null=True, blank=True
    )
    submitted_at = models.DateTimeField(gettext_lazy("отправлено"), null=True, blank=True)
    registered_at = models.DateTimeField(gettext_lazy("зарегистрировано"), null=True, blank=True)
    returned_at = models.DateTimeField(gettext_lazy("возвращено на доработку"), null=True, blank=True)
    passed_to_commission_at = models.DateTimeField(gettext_lazy("передано в комиссию"), null=True, blank=True)
    decided_at = models.DateTimeField(gettext_lazy("решение внесено"), null=True, blank=True)
    check_deadline = models.DateField(gettext_lazy("срок проверки центром"), null=True, blank=True)
    commission_deadline = models.DateField(gettext_lazy("срок рассмотрения комиссией"), null=True, blank=True)
    protocol_number = models.CharField(gettext_lazy("номер протокола"), max_length=40, blank=True)
    protocol_date = models.DateField(gettext_lazy("дата протокола"), null=True, blank=True)
    accreditation_record = models.OneToOneField(
        "registry.AccreditationRecord",
        verbose_name=gettext_lazy("запись об аккредитации"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="application",
    )
    created_at = models.DateTimeField(gettext_lazy("создано"), auto_now_add=True)
    updated_at = models.DateTimeField(gettext_lazy("изменено"), auto_now=True)
    # When the owner of a draft was last reminded that it will be deleted (frmr/accreditation/retention.py);
    # a change after that (a newer `updated_at`) starts a new idle period, with a reminder of its own.
    draft_reminded_at = models.DateTimeField(gettext_lazy("напоминание о черновике"), null=True, blank=True)

    # The applicant as the application was sent (or sent again): what the centre's queue shows and
    # searches, without reading the register (`frmr/accreditation/queue/snapshot.py`, docs/accreditation.md
    # «The centre's queue at national volume»).
    applicant_name = models.CharField(
        gettext_lazy("ФИО заявителя при отправке"), max_length=310, blank=True, default=""
    )
    applicant_snils = models.CharField(
        gettext_lazy("СНИЛС заявителя при отправке"), max_length=11, blank=True, default=""
    )
    # The words of `applicant_name` in search form (frmr.core.names.normalize_name).
    name_words = models.JSONField(gettext_lazy("слова ФИО для поиска"), default=list, blank=True)
    region = dict_fk(
        oids.REGIONS,
        gettext_lazy("регион (работодателя, иначе адреса регистрации)"),
        required=False,
        db_index=False,
    )
    # The deadline that runs now (the commission's once passed to it, the centre's before), kept by the
    # database itself so that the queue's deadline filter is an index range.
    deadline = models.GeneratedField(
        expression=Case(
            When(status=ApplicationStatus.AT_COMMISSION, then=F("commission_deadline")),
            When(
                status__in=[ApplicationStatus.SUBMITTED, ApplicationStatus.REGISTERED],
                then=F("check_deadline"),
            ),
            default=None,
        ),
        output_field=models.DateField(null=True, blank=True),
        db_persist=True,
        verbose_name=gettext_lazy("текущий срок"),
    )

    class Meta:
        verbose_name = gettext_lazy("заявление на аккредитацию")
        verbose_name_plural = gettext_lazy("заявления на аккредитацию")
        ordering = ["-created_at", "-id"]
        # The queue is read in (submitted_at, id) order with keyset pages: every filter has an index
        # that yields rows in that order (frmr/accreditation/queue/, docs/accreditation.md).
        indexes = [
            # The filter columns ride along (PostgreSQL INCLUDE) so that the capped count and a filtered
            # page read the index alone, not thousands of table pages.
            models.Index(
                fields=["submitted_at", "id"],
                include=["specialty", "region", "accreditation_kind", "deadline"],
                condition=Q(status__in=IN_WORK),
                name="application_in_work",
            ),
            models.Index(
                fields=["submitted_at", "id"],
                include=["specialty", "region", "accreditation_kind", "status"],
                condition=Q(submitted_at__isnull=False),
                name="application_sent",
            ),
            models.Index(fields=["status", "submitted_at", "id"], name="application_status_queue"),
            models.Index(
                fields=["deadline", "submitted_at", "id"],
                condition=Q(status__in=IN_WORK),
                name="application_deadline",
            ),
            models.Index(fields=["specialty", "submitted_at", "id"], name="application_specialty_queue"),
            models.Index(fields=["region", "submitted_at", "id"], name="application_region_queue"),
            models.Index(fields=["applicant_snils"], name="application_applicant_snils"),
            models.Index(fields=["applicant", "-created_at"], name="application_applicant"),
            # The drafts' clean-up reads the oldest drafts at every sweep: a few rows of a small index.
            models.Index(
                fields=["updated_at"],
                condition=Q(status=ApplicationStatus.DRAFT),
                name="application_draft_idle",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "specialty"],
                condition=Q(status__in=IN_PROGRESS),
                name="application_one_in_progress_per_specialty",
                violation_error_message=(
                    gettext_lazy(
                        "Заявление по этой специальности уже отправлено и рассматривается — "
                        "отправлять его повторно не нужно."
                    )
                ),
            ),
            models.CheckConstraint(
                # A draft withdrawn before it was ever sent may stay as unfinished as it was.
                condition=Q(status=ApplicationStatus.DRAFT)
                | Q(status=ApplicationStatus.WITHDRAWN, submitted_at__isnull=True)
                | (Q(consent=True) & Q(specialty__isnull=False) & Q(accreditation_kind__isnull=False)),
                name="application_sent_is_complete",
                violation_error_message=(
                    gettext_lazy("Отправленное заявление должно содержать специальность, вид и согласие.")
                ),
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[ApplicationStatus.AT_COMMISSION, ApplicationStatus.ACCREDITED])
                | Q(registration_number__isnull=False),
                name="application_commission_needs_number",
                violation_error_message=gettext_lazy(
                    "В комиссию передаётся только зарегистрированное заявление."
                ),
            ),
        ]

    def __str__(self) -> str:
        if self.registration_number:
            return _("Заявление № %(number)s") % {"number": self.registration_number}
        if self.is_draft:
            return _("Заявление (черновик № %(number)s)") % {"number": self.pk}
        return _("Заявление № %(number)s") % {"number": self.pk}

    @property
    def is_draft(self) -> bool:
        return self.status == ApplicationStatus.DRAFT

    @property
    def is_in_progress(self) -> bool:
        return self.status in IN_PROGRESS

    @property
    def kind_code(self) -> str | None:
        return self.accreditation_kind.code if self.accreditation_kind_id else None

    # The rules below are asked by the pages (to offer an action) and by the services (to refuse it)
    # alike, so the button and the refusal cannot disagree.

    def can_withdraw(self) -> bool:
        """Before the centre registers it: a draft, a sent one, or one returned before registration."""
        if self.status in WITHDRAWABLE:
            return True
        return self.status == ApplicationStatus.RETURNED and not self.registration_number

    def row_to_fix(self, doc_type: str, row: int) -> bool:
        """Whether the centre asked to replace this row (`passport:0`, or a bare type for all its rows)."""
        for key in self.rows_to_fix:
            asked_type, asked_row = parse_row_key(key)
            if asked_type == doc_type and asked_row in (None, row):
                return True
        return False

    def row_editable(self, doc_type: str, row: int) -> bool:
        """Whether the worker may put or remove a file in this row: any row of a draft, only the rows
        the centre asked for in an application returned for revision, none otherwise."""
        if self.status == ApplicationStatus.DRAFT:
            return True
        return self.status == ApplicationStatus.RETURNED and self.row_to_fix(doc_type, row)


class ApplicantNameWord(models.Model):
    """Every word of the applicants' names in search form: where a misspelt query word finds its
    likely spellings (a trigram index on PostgreSQL). Tens of thousands of words against hundreds of
    thousands of applications; only ever added to (a word nobody has any more finds nothing), never
    unique (`frmr.core.names.lexicon_add_sql` says why)."""

    word = models.CharField(gettext_lazy("слово"), max_length=100)

    class Meta:
        verbose_name = gettext_lazy("слово ФИО заявителей")
        verbose_name_plural = gettext_lazy("слова ФИО заявителей")
        indexes = [models.Index(fields=["word"], name="applicant_word")]

    def __str__(self) -> str:
        return self.word


class ApplicationDocument(models.Model):
    """One file in one document row of an application (a repeatable type has rows 0, 1, 2, …)."""

    application = models.ForeignKey(
        Application,
        verbose_name=gettext_lazy("заявление"),
        on_delete=models.CASCADE,
        related_name="documents",
    )
    doc_type = models.CharField(gettext_lazy("вид документа"), max_length=32, choices=DocType.choices)
    row = models.PositiveSmallIntegerField(gettext_lazy("строка"), default=0)
    # The generated name in the document storage (settings.DOCUMENT_STORAGE_ALIAS, see frmr.documents);
    # nothing the user typed reaches the storage path.
    storage_name = models.CharField(gettext_lazy("файл в хранилище"), max_length=255, unique=True)
    original_name = models.CharField(gettext_lazy("имя файла у заявителя (очищенное)"), max_length=255)
    size = models.PositiveBigIntegerField(gettext_lazy("размер, байт"))
    sha256 = models.CharField("SHA-256", max_length=64)
    page_count = models.PositiveIntegerField(gettext_lazy("страниц"))
    uploaded_at = models.DateTimeField(gettext_lazy("загружен"), default=timezone.now)

    class Meta:
        verbose_name = gettext_lazy("документ заявления")
        verbose_name_plural = gettext_lazy("документы заявления")
        ordering = ["application", "doc_type", "row"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "doc_type", "row"],
                name="application_document_one_file_per_row",
                violation_error_message=gettext_lazy("В одной строке может быть только один файл."),
            ),
            models.CheckConstraint(
                condition=Q(page_count__gte=1),
                name="application_document_has_pages",
                violation_error_message=gettext_lazy("В документе нет ни одной страницы."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_doc_type_display()}: {self.original_name}"

    @property
    def row_key(self) -> str:
        return f"{self.doc_type}:{self.row}"


class ApplicationEvent(models.Model):
    """One step of an application's history, as the worker and the centre see it (who, when, why)."""

    application = models.ForeignKey(
        Application, verbose_name=gettext_lazy("заявление"), on_delete=models.CASCADE, related_name="events"
    )
    from_status = models.CharField(
        gettext_lazy("было"), max_length=24, choices=ApplicationStatus.choices, blank=True
    )
    to_status = models.CharField(gettext_lazy("стало"), max_length=24, choices=ApplicationStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("кто"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.TextField(gettext_lazy("причина"), blank=True)
    rows = models.JSONField(gettext_lazy("строки для исправления"), default=list, blank=True)
    at = models.DateTimeField(gettext_lazy("когда"), default=timezone.now)

    class Meta:
        verbose_name = gettext_lazy("событие заявления")
        verbose_name_plural = gettext_lazy("история заявлений")
        ordering = ["application", "at", "id"]

    def __str__(self) -> str:
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


class RegistrationCounter(models.Model):
    """The last number handed out in a series; the row is locked while a number is taken from it.

    `series` is an accreditation kind code for registration numbers, or "registry" for the numbers of
    register entries created by positive decisions.
    """

    year = models.PositiveSmallIntegerField(gettext_lazy("год"))
    series = models.CharField(gettext_lazy("серия"), max_length=16)
    last_number = models.PositiveIntegerField(gettext_lazy("последний номер"), default=0)

    class Meta:
        verbose_name = gettext_lazy("счётчик номеров")
        verbose_name_plural = gettext_lazy("счётчики номеров")
        constraints = [
            models.UniqueConstraint(fields=["year", "series"], name="registration_counter_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.year}/{self.series}: {self.last_number}"
