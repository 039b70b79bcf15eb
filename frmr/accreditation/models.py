"""The accreditation application, its documents, its history and the registration number counters."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Case, F, Q, When
from django.utils import timezone
from django.utils.translation import gettext_lazy

from frmr.accreditation.requirements import DocType, parse_row_key
from frmr.nsi import oids
from frmr.registry.models import dict_fk


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", "Черновик"
    SUBMITTED = "submitted", "Отправлено — ожидает проверки"
    REGISTERED = "registered", "Зарегистрировано — документы проверяются"
    RETURNED = "returned", "На доработке"
    REFUSED_REGISTRATION = "refused_registration", "Отказано в регистрации"
    WITHDRAWN = "withdrawn", "Отозвано"
    AT_COMMISSION = "at_commission", "Передано в аккредитационную комиссию"
    ACCREDITED = "accredited", "Аккредитован"
    NOT_ACCREDITED = "not_accredited", "Не аккредитован"


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
        verbose_name="работник",
        on_delete=models.PROTECT,
        related_name="accreditation_applications",
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="заявитель (пользователь)",
        on_delete=models.PROTECT,
        related_name="accreditation_applications",
    )
    contact_phone = models.CharField("контактный телефон", max_length=32, blank=True)
    contact_email = models.EmailField("электронная почта", blank=True)
    education_level = dict_fk(oids.EDUCATION_LEVELS, "уровень образования", required=False)
    specialty_kind = dict_fk(oids.SPECIALTY_KINDS, "вид специальности", required=False)
    specialty = dict_fk(oids.SPECIALTIES, "специальность", required=False)
    accreditation_kind = dict_fk(oids.ACCREDITATION_KINDS, "вид аккредитации", required=False)
    comment = models.TextField("комментарий", blank=True)
    consent = models.BooleanField("согласие на обработку персональных данных", default=False)
    consent_at = models.DateTimeField("согласие дано", null=True, blank=True)

    status = models.CharField(
        "статус", max_length=24, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT
    )
    # The reason of the last refusal, return or negative decision, shown to the worker beside the status.
    status_reason = models.TextField("причина", blank=True)
    # Row keys (`passport:0`, or a bare type for all its rows) the centre asked to replace.
    rows_to_fix = models.JSONField("строки для исправления", default=list, blank=True)
    registration_number = models.CharField(
        "регистрационный номер", max_length=32, unique=True, null=True, blank=True
    )
    submitted_at = models.DateTimeField("отправлено", null=True, blank=True)
    registered_at = models.DateTimeField("зарегистрировано", null=True, blank=True)
    returned_at = models.DateTimeField("возвращено на доработку", null=True, blank=True)
    passed_to_commission_at = models.DateTimeField("передано в комиссию", null=True, blank=True)
    decided_at = models.DateTimeField("решение внесено", null=True, blank=True)
    check_deadline = models.DateField("срок проверки центром", null=True, blank=True)
    commission_deadline = models.DateField("срок рассмотрения комиссией", null=True, blank=True)
    protocol_number = models.CharField("номер протокола", max_length=40, blank=True)
    protocol_date = models.DateField("дата протокола", null=True, blank=True)
    accreditation_record = models.OneToOneField(
        "registry.AccreditationRecord",
        verbose_name="запись об аккредитации",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="application",
    )
    created_at = models.DateTimeField("создано", auto_now_add=True)
    updated_at = models.DateTimeField("изменено", auto_now=True)
    # When the owner of a draft was last reminded that it will be deleted (frmr/accreditation/retention.py);
    # a change after that (a newer `updated_at`) starts a new idle period, with a reminder of its own.
    draft_reminded_at = models.DateTimeField(gettext_lazy("напоминание о черновике"), null=True, blank=True)

    # The applicant as the application was sent (or sent again): what the centre's queue shows and
    # searches, without reading the register (`frmr/accreditation/queue/snapshot.py`, docs/accreditation.md
    # «The centre's queue at national volume»).
    applicant_name = models.CharField("ФИО заявителя при отправке", max_length=310, blank=True, default="")
    applicant_snils = models.CharField("СНИЛС заявителя при отправке", max_length=11, blank=True, default="")
    # The words of `applicant_name` in search form (frmr.core.names.normalize_name).
    name_words = models.JSONField("слова ФИО для поиска", default=list, blank=True)
    region = dict_fk(
        oids.REGIONS, "регион (работодателя, иначе адреса регистрации)", required=False, db_index=False
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
        verbose_name="текущий срок",
    )

    class Meta:
        verbose_name = "заявление на аккредитацию"
        verbose_name_plural = "заявления на аккредитацию"
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
                    "Заявление по этой специальности уже отправлено и рассматривается — "
                    "отправлять его повторно не нужно."
                ),
            ),
            models.CheckConstraint(
                # A draft withdrawn before it was ever sent may stay as unfinished as it was.
                condition=Q(status=ApplicationStatus.DRAFT)
                | Q(status=ApplicationStatus.WITHDRAWN, submitted_at__isnull=True)
                | (Q(consent=True) & Q(specialty__isnull=False) & Q(accreditation_kind__isnull=False)),
                name="application_sent_is_complete",
                violation_error_message=(
                    "Отправленное заявление должно содержать специальность, вид и согласие."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[ApplicationStatus.AT_COMMISSION, ApplicationStatus.ACCREDITED])
                | Q(registration_number__isnull=False),
                name="application_commission_needs_number",
                violation_error_message="В комиссию передаётся только зарегистрированное заявление.",
            ),
        ]

    def __str__(self) -> str:
        if self.registration_number:
            return f"Заявление № {self.registration_number}"
        return f"Заявление (черновик № {self.pk})" if self.is_draft else f"Заявление № {self.pk}"

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

    word = models.CharField("слово", max_length=100)

    class Meta:
        verbose_name = "слово ФИО заявителей"
        verbose_name_plural = "слова ФИО заявителей"
        indexes = [models.Index(fields=["word"], name="applicant_word")]

    def __str__(self) -> str:
        return self.word


class ApplicationDocument(models.Model):
    """One file in one document row of an application (a repeatable type has rows 0, 1, 2, …)."""

    application = models.ForeignKey(
        Application, verbose_name="заявление", on_delete=models.CASCADE, related_name="documents"
    )
    doc_type = models.CharField("вид документа", max_length=32, choices=DocType.choices)
    row = models.PositiveSmallIntegerField("строка", default=0)
    # The generated name in the document storage (settings.DOCUMENT_STORAGE_ALIAS, see frmr.documents);
    # nothing the user typed reaches the storage path.
    storage_name = models.CharField("файл в хранилище", max_length=255, unique=True)
    original_name = models.CharField("имя файла у заявителя (очищенное)", max_length=255)
    size = models.PositiveBigIntegerField("размер, байт")
    sha256 = models.CharField("SHA-256", max_length=64)
    page_count = models.PositiveIntegerField("страниц")
    uploaded_at = models.DateTimeField("загружен", default=timezone.now)

    class Meta:
        verbose_name = "документ заявления"
        verbose_name_plural = "документы заявления"
        ordering = ["application", "doc_type", "row"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "doc_type", "row"],
                name="application_document_one_file_per_row",
                violation_error_message="В одной строке может быть только один файл.",
            ),
            models.CheckConstraint(
                condition=Q(page_count__gte=1),
                name="application_document_has_pages",
                violation_error_message="В документе нет ни одной страницы.",
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
        Application, verbose_name="заявление", on_delete=models.CASCADE, related_name="events"
    )
    from_status = models.CharField("было", max_length=24, choices=ApplicationStatus.choices, blank=True)
    to_status = models.CharField("стало", max_length=24, choices=ApplicationStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="кто",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.TextField("причина", blank=True)
    rows = models.JSONField("строки для исправления", default=list, blank=True)
    at = models.DateTimeField("когда", default=timezone.now)

    class Meta:
        verbose_name = "событие заявления"
        verbose_name_plural = "история заявлений"
        ordering = ["application", "at", "id"]

    def __str__(self) -> str:
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


class RegistrationCounter(models.Model):
    """The last number handed out in a series; the row is locked while a number is taken from it.

    `series` is an accreditation kind code for registration numbers, or "registry" for the numbers of
    register entries created by positive decisions.
    """

    year = models.PositiveSmallIntegerField("год")
    series = models.CharField("серия", max_length=16)
    last_number = models.PositiveIntegerField("последний номер", default=0)

    class Meta:
        verbose_name = "счётчик номеров"
        verbose_name_plural = "счётчики номеров"
        constraints = [
            models.UniqueConstraint(fields=["year", "series"], name="registration_counter_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.year}/{self.series}: {self.last_number}"
