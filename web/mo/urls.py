from django.urls import path

from web.mo.views import cards, corrections, employees, imports, organization, person, tokens, webhooks

app_name = "mo"

urlpatterns = [
    path("", employees.home, name="home"),
    path("switch/", employees.switch, name="switch"),
    path("employees/add/", employees.add, name="add"),
    path("employees/add/found/", employees.found, name="found"),
    path("employees/add/new/", employees.person_new, name="person_new"),
    path("employees/<str:oid>/", person.person, name="person"),
    path("employees/<str:oid>/personal/", person.personal_edit, name="personal"),
    path("employees/<str:oid>/history/", person.history, name="history"),
    path("employees/<str:oid>/hire/", cards.hire, name="hire"),
    path("employees/<str:oid>/<slug:slug>/add/", person.section_form, name="section_add"),
    path("employees/<str:oid>/<slug:slug>/<int:pk>/", person.section_form, name="section_edit"),
    path("employees/<str:oid>/<slug:slug>/<int:pk>/delete/", person.section_remove, name="section_delete"),
    path("cards/<int:card_id>/edit/", cards.card_edit, name="card_edit"),
    path("cards/<int:card_id>/transfer/", cards.transfer, name="transfer"),
    path("cards/<int:card_id>/dismiss/", cards.dismiss, name="dismiss"),
    path("cards/<int:card_id>/absences/add/", cards.absence_new, name="absence_add"),
    path("absences/<int:absence_id>/delete/", cards.absence_remove, name="absence_delete"),
    path("organization/", organization.organization, name="organization"),
    path("organization/departments/<int:department_id>/", organization.department_edit, name="department"),
    path("corrections/", corrections.inbox, name="corrections"),
    path("corrections/<int:request_id>/", corrections.detail, name="correction"),
    path("corrections/<int:request_id>/close/", corrections.close, name="correction_close"),
    path("corrections/<int:request_id>/proof/", corrections.proof, name="correction_proof"),
    path("import/", imports.upload, name="import"),
    path("import/template.<str:fmt>", imports.template, name="import_template"),
    path("import/<uuid:job_id>/", imports.job, name="import_job"),
    path("import/<uuid:job_id>/status.json", imports.job_status, name="import_status"),
    path("import/<uuid:job_id>/apply/", imports.job_apply, name="import_apply"),
    path("tokens/", tokens.tokens, name="tokens"),
    path("tokens/<int:token_id>/revoke/", tokens.revoke, name="token_revoke"),
    path("webhooks/", webhooks.webhooks, name="webhooks"),
    path("webhooks/<int:endpoint_id>/", webhooks.webhook, name="webhook"),
    path("webhooks/<int:endpoint_id>/active/", webhooks.set_active, name="webhook_active"),
    path(
        "webhooks/<int:endpoint_id>/deliveries/<int:delivery_id>/replay/",
        webhooks.replay,
        name="webhook_replay",
    ),
]
