"""Looking up dictionary entries for generated data, with an error that names what is missing."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured

from frmr.nsi import codes, oids
from frmr.nsi.models import DictionaryEntry


class MissingDictionaryEntry(ImproperlyConfigured):
    """The dictionaries lack an entry the demo data refers to: they are not loaded or have changed."""


class Dictionaries:
    """Entries of the dictionaries, each dictionary read once and kept for the whole load."""

    def __init__(self) -> None:
        self._by_code: dict[str, dict[str, DictionaryEntry]] = {}
        self._by_name: dict[str, dict[str, list[DictionaryEntry]]] = {}

    def _load(self, oid: str) -> None:
        if oid in self._by_code:
            return
        codes: dict[str, DictionaryEntry] = {}
        names: dict[str, list[DictionaryEntry]] = {}
        for entry in DictionaryEntry.objects.of(oid).order_by("sort_order", "code"):
            codes[entry.code] = entry
            names.setdefault(entry.name, []).append(entry)
        self._by_code[oid] = codes
        self._by_name[oid] = names

    def _missing(self, oid: str, what: str) -> MissingDictionaryEntry:
        title = oids.title(oid)
        loaded = len(self._by_code.get(oid, {}))
        hint = "Загрузите справочники: manage.py load_dictionaries." if not loaded else ""
        return MissingDictionaryEntry(
            f"В справочнике «{title}» (OID {oid}, записей: {loaded}) нет записи {what}. {hint}".strip()
        )

    def code(self, oid: str, code: str) -> DictionaryEntry:
        self._load(oid)
        try:
            return self._by_code[oid][code]
        except KeyError:
            raise self._missing(oid, f"с кодом «{code}»") from None

    def name(self, oid: str, name: str) -> DictionaryEntry:
        """The entry with exactly this name; when a name repeats, the first by order and code."""
        self._load(oid)
        found = self._by_name[oid].get(name)
        if not found:
            raise self._missing(oid, f"«{name}»")
        return found[0]

    def has_name(self, oid: str, name: str) -> bool:
        self._load(oid)
        return name in self._by_name[oid]

    def specialty(self, name: str, *, higher: bool) -> DictionaryEntry:
        """A specialty of the nomenclature; some names («Фармация», «Лечебное дело») exist for both
        higher and secondary education, told apart by the entry's `education_level`."""
        self._load(oids.SPECIALTIES)
        level = codes.EDUCATION_LEVEL_HIGHER if higher else codes.EDUCATION_LEVEL_SECONDARY
        found = self._by_name[oids.SPECIALTIES].get(name, [])
        matching = [e for e in found if e.attrs.get("education_level") in (level, None)]
        if not matching:
            kind = "высшего" if higher else "среднего профессионального"
            raise self._missing(oids.SPECIALTIES, f"«{name}» для {kind} образования")
        return matching[0]

    def institution(self, name: str) -> int | None:
        """The code of an educational institution (ФРНСИ 1124) by its exact name; None for one the
        dictionary does not list (the record then keeps only its name, as a hand-typed one does)."""
        self._load(oids.INSTITUTIONS)
        found = self._by_name[oids.INSTITUTIONS].get(name)
        return int(found[0].code) if found and found[0].code.isdigit() else None

    def position(self, name: str) -> DictionaryEntry:
        return self.name(oids.POSITIONS, name)

    def region(self, code: str) -> DictionaryEntry:
        return self.code(oids.REGIONS, code)
