"""Every change of an application is one of these services (transitions: docs/accreditation.md)."""

from frmr.accreditation.services.centre import (
    accreditation_end_date,
    application_decision_check,
    application_pass_to_commission,
    application_record_decision,
    application_refuse_registration,
    application_register,
    application_register_check,
    application_return_for_revision,
)
from frmr.accreditation.services.documents import (
    application_document_attach,
    application_document_remove,
    application_document_upload,
)
from frmr.accreditation.services.worker import (
    MESSAGE_ALREADY_IN_PROGRESS,
    application_create_draft,
    application_resubmit,
    application_save_draft,
    application_send_check,
    application_submit,
    application_update_draft,
    application_withdraw,
    expected_check_deadline,
)

__all__ = [
    "MESSAGE_ALREADY_IN_PROGRESS",
    "accreditation_end_date",
    "application_create_draft",
    "application_decision_check",
    "application_document_attach",
    "application_document_remove",
    "application_document_upload",
    "application_pass_to_commission",
    "application_record_decision",
    "application_refuse_registration",
    "application_register",
    "application_register_check",
    "application_resubmit",
    "application_return_for_revision",
    "application_save_draft",
    "application_send_check",
    "application_submit",
    "application_update_draft",
    "application_withdraw",
    "expected_check_deadline",
]
