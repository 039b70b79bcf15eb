from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from frmr.nsi import oids
from frmr.nsi.models import DictionaryEntry


class DictionaryFilter(admin.SimpleListFilter):
    title = gettext_lazy("справочник")
    parameter_name = "dictionary"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        known = sorted(((oid, oids.title(oid)) for oid in oids.TITLES), key=lambda item: item[1])
        # Dictionaries imported from ФРНСИ that the register has no name for still need to be reachable.
        others = (
            DictionaryEntry.objects.exclude(dictionary__in=oids.TITLES)
            .order_by("dictionary")
            .values_list("dictionary", flat=True)
            .distinct()
        )
        return [*known, *((oid, oid) for oid in others)]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value()
        return queryset.filter(dictionary=value) if value else queryset


class ValidityFilter(admin.SimpleListFilter):
    title = gettext_lazy("действие")
    parameter_name = "in_force"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("yes", _("действующие сегодня")), ("no", _("недействующие"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        today = timezone.localdate()
        in_force = DictionaryEntry.objects.valid_on(today).values("pk")
        if self.value() == "yes":
            return queryset.filter(pk__in=in_force)
        if self.value() == "no":
            return queryset.exclude(pk__in=in_force)
        return queryset


@admin.register(DictionaryEntry)
class DictionaryEntryAdmin(admin.ModelAdmin[DictionaryEntry]):
    list_display = ["code", "name", "dictionary_title", "valid_from", "valid_to", "source"]
    list_display_links = ["code", "name"]
    list_filter = [DictionaryFilter, ValidityFilter, "source"]
    search_fields = ["code", "name"]
    list_select_related = ["parent"]
    raw_id_fields = ["parent"]
    list_per_page = 100
    actions = ["retire_today"]

    @admin.display(description=gettext_lazy("справочник"), ordering="dictionary")
    def dictionary_title(self, obj: DictionaryEntry) -> str:
        return oids.title(obj.dictionary)

    def get_readonly_fields(self, request: HttpRequest, obj: DictionaryEntry | None = None) -> list[str]:
        # Records refer to an entry by its dictionary and code; changing them would change what old
        # records mean.
        return ["dictionary", "code", "source"] if obj is not None else ["source"]

    def has_delete_permission(self, request: HttpRequest, obj: DictionaryEntry | None = None) -> bool:
        # Entries are retired (valid_to), never deleted: see docs/nsi.md.
        return False

    @admin.action(description=gettext_lazy("Вывести из действия с сегодняшнего дня"), permissions=["change"])
    def retire_today(self, request: HttpRequest, queryset: QuerySet[DictionaryEntry]) -> None:
        today = timezone.localdate()
        retired = 0
        for entry in queryset:
            if entry.valid_to is not None and entry.valid_to <= today:
                continue
            entry.valid_to = max(today, entry.valid_from) if entry.valid_from else today
            entry.save(update_fields=["valid_to"])
            retired += 1
        self.message_user(
            request, _("Выведено из действия записей: %(count)s.") % {"count": retired}, messages.SUCCESS
        )
