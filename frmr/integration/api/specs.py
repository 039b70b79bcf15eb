"""The sections of the personal file as the real register names them, each described once.

A `SectionSpec` pairs a resource (`person/prof`) with its model, body schema and JSON name ↔ model field
pairs; reading the body, writing the answer and naming fields in error messages all follow from it.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ninja import Schema

from frmr.integration.api import schemas as s
from frmr.integration.api.mapping import (
    F,
    details_in,
    details_out,
    fields_in,
    fields_out,
    nested_in,
    nested_out,
)
from frmr.nsi import oids
from frmr.nsi.models import DictionaryEntry
from frmr.registry import models as m
from frmr.registry.catalogue import BY_API_RESOURCE, Section


@dataclass(frozen=True)
class Nested:
    """A list inside a record kept as JSON (`courses[]`): its JSON name, model field and item schema."""

    json: str
    model: str
    schema: type[Schema]


@dataclass(frozen=True)
class SectionSpec:
    # What the section is (model, links, names): frmr.registry.catalogue; the rest is the API's own.
    section: Section
    schema: type[Schema]
    fields: tuple[F, ...]
    # The record's identifier as the real register names it (`profId`, `certId`, the card's `id`, …).
    id_key: str
    # Keys of `person/full` that hold this section (the two real clients name some differently).
    full_keys: tuple[str, ...]
    # Fills what the real API does not send but the model needs (e.g. the year a diploma was finished).
    complete: Callable[[Any, dict[str, Any]], None] | None = None
    nested: tuple[Nested, ...] = ()
    # Real attributes the register applies no rule to, kept in the model's `details` as sent.
    details: tuple[str, ...] = ()
    # 0..1 per person (`person/common`, `person/militaryService`): GET answers the record, not a list.
    single: bool = False
    # Fills answer fields the register derives (postgraduate `beginYear` from the start date).
    finish: Callable[[Any, dict[str, Any]], None] | None = None
    json_names: dict[str, str] = field(default_factory=dict)

    @property
    def resource(self) -> str:
        return self.section.api_resource or ""

    @property
    def model(self) -> type[m.PersonSection]:
        return self.section.record_model

    @property
    def related(self) -> tuple[str, ...]:
        return self.section.relations

    @property
    def title(self) -> str:
        return self.section.record_title

    @property
    def attribute(self) -> str:
        """The attribute of registry.selectors.PersonFile holding the section's rows (person/full)."""
        return self.section.attribute or ""

    def __post_init__(self) -> None:
        self.json_names.update({f.model: f.json for f in self.fields})
        self.json_names.update({n.model: n.json for n in self.nested})

    def to_json(self, obj: m.PersonSection) -> dict[str, Any]:
        out = {self.id_key: str(obj.pk), **fields_out(obj, self.fields)}
        if self.id_key == "qualificationId":
            # One of the real clients spells it `qulificationId`; both read their own key.
            out["qulificationId"] = out["qualificationId"]
        for nested in self.nested:
            out[nested.json] = nested_out(getattr(obj, nested.model), nested.schema)
        if self.details:
            out.update(details_out(getattr(obj, "details", None), self.details))
        if self.finish:
            self.finish(obj, out)
        return out

    def from_body(self, body: Schema) -> dict[str, Any]:
        data = fields_in(body, self.fields)
        for nested in self.nested:
            data[nested.model] = nested_in(getattr(body, nested.json))
        if self.details:
            data["details"] = details_in(body, self.details)
        if self.complete:
            self.complete(body, data)
        return data

    def name(self, model_field: str) -> str:
        return self.json_names.get(model_field, model_field)


def _prof_complete(body: Any, data: dict[str, Any]) -> None:
    if data.get("end_year") is None and isinstance(body.docDate, datetime.date):
        data["end_year"] = body.docDate.year
    if data.get("level_education_code") is None and body.levelEducation is not None:
        data["level_education_code"] = body.levelEducation
    if not data.get("specialty_name") and data.get("specialty"):
        # A diploma given by `specId` alone is named by the dictionary, as the real register does.
        entry = DictionaryEntry.objects.filter(dictionary=oids.SPECIALTIES, code=data["specialty"]).first()
        if entry is not None:
            data["specialty_name"] = entry.name


def _postgraduate_finish(obj: Any, out: dict[str, Any]) -> None:
    out["beginYear"] = obj.begin_date.year
    if out.get("educPlace") is None:
        # The real register always writes it; not stated means education in Russia (0).
        out["educPlace"] = 0


def _postgraduate_complete(body: Any, data: dict[str, Any]) -> None:
    if data.get("begin_date") is None and body.beginYear is not None:
        data["begin_date"] = datetime.date(body.beginYear, 9, 1)


SPEC_ID = F("specId", "specialty", "dict", "specName")
INSTITUTION_ID = F("institutionId", "institution_code", "int")
TARGETED = tuple(name for name in s.TargetedIn.model_fields)

SECTIONS: dict[str, SectionSpec] = {
    spec.resource: spec
    for spec in (
        SectionSpec(
            BY_API_RESOURCE["common"],
            s.CommonIn,
            (
                F("institution", "institution"),
                F("docSerial", "doc_series"),
                F("docNumber", "doc_number"),
                F("docDate", "doc_date", "date"),
            ),
            "commonId",
            ("educationCommon",),
            nested=(Nested("profCourseSet", "prof_courses", s.ProfCourseIn),),
            single=True,
        ),
        SectionSpec(
            BY_API_RESOURCE["prof"],
            s.ProfIn,
            (
                F("educationTypeId", "education_type", "dictobj"),
                INSTITUTION_ID,
                F("institutionName", "institution_name"),
                F("beginYear", "begin_year", "int"),
                F("endYear", "end_year", "int"),
                F("enrollmentDate", "enrollment_date", "date"),
                F("docSerial", "doc_series"),
                F("docNumber", "doc_number"),
                F("docDate", "doc_date", "date"),
                F("levelEducationId", "level_education_code", "int"),
                F("specName", "specialty_name"),
                F("specId", "specialty", "dict"),
                F("qualificationId", "qualification_code", "int"),
                F("qualificationName", "qualification_name"),
            ),
            "profId",
            ("educationProf",),
            complete=_prof_complete,
            nested=(Nested("courses", "courses", s.CourseIn),),
            details=(
                "isStudentEducation",
                "hasForeignProfEducation",
                "hasDiploma",
                "formEducation",
                "educationProgramDurationYears",
                "educationProgramDurationMonths",
                "budget",
                *TARGETED,
            ),
        ),
        SectionSpec(
            BY_API_RESOURCE["postgraduate"],
            s.PostgraduateIn,
            (
                F("educationStageId", "stage", "dict", "educationStageName"),
                INSTITUTION_ID,
                F("institutionName", "institution_name"),
                F("beginDate", "begin_date", "date"),
                F("endDate", "end_date", "date"),
                F("docSerial", "doc_series"),
                F("docNumber", "doc_number"),
                F("docDate", "doc_date", "date"),
                SPEC_ID,
            ),
            "postgraduateId",
            ("personPostgraduate", "educationPostgraduate"),
            complete=_postgraduate_complete,
            finish=_postgraduate_finish,
            details=(
                "isStudying",
                "academicDegreeId",
                "academicDegreeName",
                "scienceBranchId",
                "scienceBranchName",
                "doctSpecId",
                "doctSpecName",
                "additionSpecId",
                "additionSpecName",
                *TARGETED,
            ),
        ),
        SectionSpec(
            BY_API_RESOURCE["ext"],
            s.ExtIn,
            (
                F("profEducationKindId", "kind", "dict", "profEducationKindName"),
                INSTITUTION_ID,
                F("institutionName", "institution_name"),
                F("hoursCount", "hours", "int"),
                F("theme", "theme"),
                F("docSerial", "doc_series"),
                F("docNumber", "doc_number"),
                F("docDate", "doc_date", "date"),
                SPEC_ID,
            ),
            "extId",
            ("personExt", "educationExt"),
        ),
        SectionSpec(
            BY_API_RESOURCE["cert"],
            s.CertIn,
            (
                INSTITUTION_ID,
                F("institutionName", "institution_name"),
                F("certSerial", "series"),
                F("certNumber", "number"),
                F("examDate", "exam_date", "date"),
                F("passDate", "pass_date", "date"),
                F("endDate", "end_date", "date"),
                SPEC_ID,
                F("endDateExtension", "end_date_extension", "bool"),
            ),
            "certId",
            ("educationCert",),
        ),
        SectionSpec(
            BY_API_RESOURCE["qualification"],
            s.QualificationIn,
            (
                F("qualifyCategoryId", "category", "dict", "qualifyCategoryName"),
                F("beginDate", "begin_date", "date"),
                F("endDate", "end_date", "date"),
                SPEC_ID,
                F("fedPostId", "fed_post_code", "int"),
                F("fedPostName", "fed_post_name"),
                F("postId", "post_code", "int"),
                F("postName", "post_name"),
                F("orderNumber", "order_number"),
                F("endDateExtension", "end_date_extension", "bool"),
            ),
            "qualificationId",
            ("personQualification",),
        ),
        SectionSpec(
            BY_API_RESOURCE["nomination"],
            s.NominationIn,
            (
                F("nominationId", "kind", "dict", "nominationName"),
                F("nomNumber", "number"),
                F("nomDate", "award_date", "date"),
            ),
            # `nominationId` is the kind of award (a code); the record itself is `entityId`.
            "entityId",
            ("personNomination",),
        ),
        SectionSpec(
            BY_API_RESOURCE["organization"],
            s.OrganizationIn,
            (
                F("organizationId", "organization_ref", "code"),
                F("beginDate", "begin_date", "date"),
                F("endDate", "end_date", "date"),
            ),
            # `organizationId` names the organization; the record itself is `entityId`.
            "entityId",
            ("personOrganization",),
        ),
        SectionSpec(
            BY_API_RESOURCE["militaryService"],
            s.MilitaryServiceIn,
            (
                F("militaryService", "served", "bool"),
                F("beginDate", "begin_date", "date"),
                F("endDate", "end_date", "date"),
            ),
            "id",
            # Not part of the real `person/full`.
            (),
            single=True,
        ),
    )
}
