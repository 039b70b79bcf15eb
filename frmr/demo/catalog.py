"""The fictional organizations of the demo stand and the job profiles its people are built from.

All names, numbers and people are invented; the organizations only look like typical Russian
hospitals of three regions so that the demo reads naturally.
"""

from __future__ import annotations

from dataclasses import dataclass

from frmr.demo import ids

ORG_OID_ROOT = "1.2.643.5.1.13.13.12.2"
# The ЕСИА emulator's password of every demo account (its users.json and data/esia_users.json).
ESIA_DEMO_PASSWORD = "demo12345"  # noqa: S105
# The PIN of every demo account's test signature (esia_emulator/data/users.json, "pin").
ESIA_DEMO_SIGNATURE_PIN = "12345678"


@dataclass(frozen=True)
class DemoOrganization:
    key: str  # "A", "B", "C": how the data file refers to it
    region: str
    number: int  # the last arc of the OID
    name_full: str
    name_short: str
    ogrn_base: str
    inn_base: str
    kpp: str
    address: str
    phone: str
    email: str
    departments: tuple[str, ...]

    @property
    def oid(self) -> str:
        return f"{ORG_OID_ROOT}.{self.region}.{self.number}"

    @property
    def ogrn(self) -> str:
        return ids.ogrn(self.ogrn_base)

    @property
    def inn(self) -> str:
        return ids.organization_inn(self.inn_base)

    def department_oid(self, index: int) -> str:
        return f"{self.oid}.0.{index + 1}"


ORGANIZATIONS: tuple[DemoOrganization, ...] = (
    DemoOrganization(
        key="A",
        region="77",
        number=90101,
        name_full="Государственное бюджетное учреждение здравоохранения города Москвы "
        "«Городская клиническая больница № 112 Департамента здравоохранения города Москвы»",
        name_short="ГБУЗ «ГКБ № 112 ДЗМ»",
        ogrn_base="102773901120",
        inn_base="772811201",
        kpp="772801001",
        address="117485, г. Москва, ул. Профсоюзная, д. 112",
        phone="+74950001120",
        email="gkb112@example.ru",
        departments=(
            "Поликлиническое отделение № 1",
            "Терапевтическое отделение",
            "Хирургическое отделение",
            "Кардиологическое отделение",
            "Отделение анестезиологии-реанимации",
        ),
    ),
    DemoOrganization(
        key="B",
        region="54",
        number=90202,
        name_full="Государственное бюджетное учреждение здравоохранения Новосибирской области "
        "«Новосибирская областная клиническая больница № 3»",
        name_short="ГБУЗ НСО «НОКБ № 3»",
        ogrn_base="103540500303",
        inn_base="540500303",
        kpp="540501001",
        address="630087, г. Новосибирск, ул. Немировича-Данченко, д. 203",
        phone="+73830002033",
        email="nokb3@example.ru",
        departments=(
            "Приёмное отделение",
            "Терапевтическое отделение",
            "Хирургическое отделение",
            "Неврологическое отделение",
            "Отделение анестезиологии-реанимации",
            "Аптека",
        ),
    ),
    DemoOrganization(
        key="C",
        region="16",
        number=90303,
        name_full="Государственное автономное учреждение здравоохранения "
        "«Республиканская клиническая больница № 4» Министерства здравоохранения Республики Татарстан",
        name_short="ГАУЗ «РКБ № 4» МЗ РТ",
        ogrn_base="102160270404",
        inn_base="166004044",
        kpp="166001001",
        address="420064, г. Казань, ул. Оренбургский тракт, д. 404",
        phone="+78430004044",
        email="rkb4@example.ru",
        departments=(
            "Консультативная поликлиника",
            "Педиатрическое отделение",
            "Терапевтическое отделение",
            "Неврологическое отделение",
            "Акушерско-гинекологическое отделение",
        ),
    ),
)
ORGANIZATIONS_BY_KEY = {org.key: org for org in ORGANIZATIONS}


@dataclass(frozen=True)
class Profile:
    """A kind of job: the position, the specialty it needs and the education that leads to it."""

    key: str
    position: str  # name in ФРМР «Должности медицинского персонала» (1102)
    specialty: str  # accreditation specialty, name in «Номенклатура специальностей» (1066)
    higher: bool  # ВО (True) or СПО (False)
    diploma: str  # specialty written in the diploma
    qualification: str
    residency: bool  # ординатура/интернатура in `specialty` after the diploma
    retraining: bool  # профессиональная переподготовка in `specialty` after the diploma
    departments: tuple[str, ...]
    female_share: float

    @property
    def doctor(self) -> bool:
        return self.higher and self.residency


_WARDS: tuple[str, ...] = (
    "Терапевтическое отделение",
    "Хирургическое отделение",
    "Кардиологическое отделение",
    "Неврологическое отделение",
    "Педиатрическое отделение",
)
_OUTPATIENT = ("Поликлиническое отделение № 1", "Консультативная поликлиника")

SENIOR_NURSE = "Старшая медицинская сестра (старшая акушерка, старший фельдшер)"

PROFILES: tuple[Profile, ...] = (
    Profile("therapist", "Врач-терапевт", "Терапия", True, "Лечебное дело", "Врач-лечебник", True, False,
            ("Терапевтическое отделение",), 0.7),
    Profile("district_therapist", "Врач-терапевт участковый", "Терапия", True, "Лечебное дело",
            "Врач-лечебник", True, False, _OUTPATIENT, 0.75),
    Profile("surgeon", "Врач-хирург", "Хирургия", True, "Лечебное дело", "Врач-лечебник", True, False,
            ("Хирургическое отделение",), 0.2),
    Profile("district_pediatrician", "Врач-педиатр участковый", "Педиатрия", True, "Педиатрия",
            "Врач-педиатр", True, False, ("Консультативная поликлиника", "Педиатрическое отделение"), 0.9),
    Profile("cardiologist", "Врач-кардиолог", "Кардиология", True, "Лечебное дело", "Врач-лечебник", True,
            False, ("Кардиологическое отделение",), 0.6),
    Profile("neurologist", "Врач-невролог", "Неврология", True, "Лечебное дело", "Врач-лечебник", True,
            False, ("Неврологическое отделение",), 0.6),
    Profile("anesthesiologist", "Врач-анестезиолог-реаниматолог", "Анестезиология-реаниматология", True,
            "Лечебное дело", "Врач-лечебник", True, False, ("Отделение анестезиологии-реанимации",), 0.35),
    Profile("obgyn", "Врач-акушер-гинеколог", "Акушерство и гинекология", True, "Лечебное дело",
            "Врач-лечебник", True, False, ("Акушерско-гинекологическое отделение",), 0.85),
    Profile("ward_nurse", "Медицинская сестра палатная (постовая)", "Сестринское дело", False,
            "Сестринское дело", "Медицинская сестра", False, False, _WARDS, 0.95),
    Profile("procedure_nurse", "Медицинская сестра процедурной", "Сестринское дело", False,
            "Сестринское дело", "Медицинская сестра", False, False, _WARDS, 0.97),
    Profile("district_nurse", "Медицинская сестра участковая", "Сестринское дело", False,
            "Сестринское дело", "Медицинская сестра", False, False, _OUTPATIENT, 0.97),
    Profile("senior_nurse", SENIOR_NURSE, "Сестринское дело", False, "Сестринское дело",
            "Медицинская сестра", False, False, _WARDS, 1.0),
    Profile("nurse_anesthetist", "Медицинская сестра-анестезист", "Анестезиология и реаниматология", False,
            "Сестринское дело", "Медицинская сестра", False, True, ("Отделение анестезиологии-реанимации",),
            0.9),
    Profile("operating_nurse", "Операционная медицинская сестра", "Операционное дело", False,
            "Сестринское дело", "Медицинская сестра", False, True, ("Хирургическое отделение",), 0.95),
    Profile("feldsher", "Фельдшер", "Лечебное дело", False, "Лечебное дело", "Фельдшер", False, False,
            ("Приёмное отделение", *_OUTPATIENT), 0.6),
    Profile("midwife", "Акушерка", "Акушерское дело", False, "Акушерское дело", "Акушерка", False, False,
            ("Акушерско-гинекологическое отделение",), 1.0),
    Profile("provisor", "Провизор", "Фармация", True, "Фармация", "Провизор", False, False, ("Аптека",),
            0.85),
    Profile("pharmacist", "Фармацевт", "Фармация", False, "Фармация", "Фармацевт", False, False, ("Аптека",),
            0.9),
)  # fmt: skip
PROFILES_BY_KEY = {profile.key: profile for profile in PROFILES}
