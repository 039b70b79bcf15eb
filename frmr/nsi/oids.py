"""Identifiers of the reference dictionaries the register uses.

Official ФРНСИ OIDs where the research found them (docs/nsi.md lists sources). Dictionaries for which no
official OID is known get an OID in the project's own arc `1.2.643.5.1.13.13.99.9.<n>`, clearly not
official, so that an operator can later map them to an official export with `import_frnsi`.
"""

SPECIALTIES = "1.2.643.5.1.13.13.11.1066"  # Номенклатура специальностей
POSITIONS = "1.2.643.5.1.13.13.11.1102"  # ФРМР. Должности медицинского персонала
EDUCATION_LEVELS = "1.2.643.5.1.13.13.99.9.1"  # уровень образования (высшее, среднее профессиональное, …)
EDUCATION_TYPES = "1.2.643.5.1.13.13.99.2.193"  # Тип образования мед. работников
SPECIALTY_KINDS = (
    "1.2.643.5.1.13.13.99.9.2"  # вид специальности (врачебная, сестринская, фармацевтическая, …)
)
POSTGRADUATE_STAGES = "1.2.643.5.1.13.13.99.2.104"  # Программы послевузовского профессионального образования
ADDITIONAL_EDUCATION_KINDS = "1.2.643.5.1.13.13.99.9.3"  # повышение квалификации / профпереподготовка
IDENTITY_DOCUMENT_TYPES = "1.2.643.5.1.13.13.99.2.48"  # Документы, удостоверяющие личность
ACCREDITATION_KINDS = "1.2.643.5.1.13.13.99.2.295"  # Вид аккредитации
POSITION_TYPES = "1.2.643.5.1.13.2.1.1.209"  # тип занятости (1–4)
QUALIFICATION_CATEGORIES = "1.2.643.5.1.13.13.11.1494"  # Квалификационные категории
CITIZENSHIP = "1.2.643.5.1.13.13.99.2.315"  # Категории гражданства
ADDRESS_TYPES = "1.2.643.5.1.13.13.99.2.296"  # ФРМР. Тип адреса медицинского работника
DISMISSAL_REASONS = "1.2.643.5.1.13.13.99.2.196"  # Основание прекращения работы
REGIONS = "1.2.643.5.1.13.13.99.2.186"  # Субъекты РФ
ABSENCE_REASONS = "1.2.643.5.1.13.13.99.9.4"  # причины временного отсутствия (декрет, …)
AWARD_KINDS = "1.2.643.5.1.13.13.99.9.5"  # виды наград
