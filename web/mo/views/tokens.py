"""API tokens of the organization: issue (the token is shown once), list, revoke."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from frmr.integration.models import ApiToken
from frmr.integration.selectors import api_token_get_for_organization, api_tokens_of_organization
from frmr.integration.services import api_token_create, api_token_revoke
from web.auth.access import AuthenticatedHttpRequest
from web.mo.access import Cabinet, operator_required
from web.mo.forms import TokenForm, apply_service_errors
from web.mo.views.common import page


@never_cache
@operator_required
def tokens(request: AuthenticatedHttpRequest, cabinet: Cabinet) -> HttpResponse:
    form = TokenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            token, raw = api_token_create(
                organization=cabinet.organization,
                actor=cabinet.user,
                name=form.cleaned_data["name"],
                valid_until=form.cleaned_data["valid_until"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            # Rendered in the answer to the POST itself: the raw token is never stored, so it cannot be
            # shown again after a redirect.
            return page(request, cabinet, "mo/token_created.html", {"token": token, "raw": raw})
    return page(
        request,
        cabinet,
        "mo/tokens.html",
        {"tokens": list(api_tokens_of_organization(organization=cabinet.organization)), "form": form},
    )


@operator_required
def revoke(request: AuthenticatedHttpRequest, cabinet: Cabinet, token_id: int) -> HttpResponseBase:
    try:
        token = api_token_get_for_organization(organization=cabinet.organization, token_id=token_id)
    except ApiToken.DoesNotExist:
        raise Http404(_("Такого токена у вашей организации нет.")) from None
    if request.method == "POST":
        try:
            api_token_revoke(token=token, actor=cabinet.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("Токен «%(name)s» отозван: запросы с ним больше не принимаются.") % {"name": token.name},
            )
        return redirect("mo:tokens")
    return page(request, cabinet, "mo/token_revoke.html", {"token": token})
