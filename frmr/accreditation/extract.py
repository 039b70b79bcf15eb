"""The extract (выписка) about an accreditation record: a one-page PDF with a QR code to /check/<number>.

Fonts: DejaVu Sans from Debian's fonts-dejavu-core (FRMR_PDF_FONT_DIR to point elsewhere); when the
system has none, the copy of DejaVu Sans shipped in fonts/ (reportlab's own fonts have no Cyrillic).
Every string is drawn in the embedded font, so the page looks the same in every viewer; the registry
number is also in the document's keywords and subject, where programs read it as plain text.
"""

from __future__ import annotations

import datetime
import io
from functools import cache
from pathlib import Path

import qrcode
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from frmr.registry.models import AccreditationRecord

SYSTEM_FONT_DIR = "/usr/share/fonts/truetype/dejavu"
BUNDLED_FONT_DIR = Path(__file__).resolve().parent / "fonts"
REGULAR = "FRMR-Sans"
BOLD = "FRMR-Sans-Bold"


@cache
def register_fonts() -> tuple[str, str]:
    """Register the Cyrillic fonts once per process; returns the names (regular, bold)."""
    directories = [settings.PDF_FONT_DIR, SYSTEM_FONT_DIR, str(BUNDLED_FONT_DIR)]
    regular_path = next(
        (Path(d) / "DejaVuSans.ttf" for d in directories if d and (Path(d) / "DejaVuSans.ttf").exists()), None
    )
    if regular_path is None:  # pragma: no cover - the bundled copy is always there
        raise RuntimeError("No Cyrillic font found for the extract PDF (DejaVuSans.ttf).")
    bold_path = regular_path.with_name("DejaVuSans-Bold.ttf")
    pdfmetrics.registerFont(TTFont(REGULAR, str(regular_path)))
    pdfmetrics.registerFont(TTFont(BOLD, str(bold_path if bold_path.exists() else regular_path)))
    return REGULAR, BOLD


def check_url(registry_number: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}/check/{registry_number}"


def format_snils(snils: str) -> str:
    if len(snils) != 11:
        return snils
    return f"{snils[0:3]}-{snils[3:6]}-{snils[6:9]} {snils[9:11]}"


def extract_pdf(*, record: AccreditationRecord, issued_at: datetime.datetime | None = None) -> bytes:
    """Build the extract of one accreditation record of a person's file."""
    regular, bold = register_fonts()
    issued = timezone.localtime(issued_at or timezone.now())
    person = record.person
    url = check_url(record.registry_number)

    buffer = io.BytesIO()
    # The initial font too: otherwise reportlab puts a Helvetica into every page.
    canvas = Canvas(
        buffer,
        pagesize=A4,
        pageCompression=1,
        # types-reportlab annotates the font's name as a number; reportlab itself takes the name.
        initialFontName=regular,  # type: ignore[arg-type]
        initialFontSize=10,
    )
    canvas.setTitle(_("Выписка об аккредитации № %(number)s") % {"number": record.registry_number})
    canvas.setAuthor(_("Федеральный регистр медицинских работников"))
    canvas.setSubject(_("Реестровая запись %(number)s") % {"number": record.registry_number})
    canvas.setKeywords(record.registry_number)
    width, height = A4
    left = 20 * mm
    y = height - 25 * mm

    canvas.setFont(regular, 10)
    canvas.drawString(left, y, _("Федеральный регистр медицинских работников (ФРМР)"))
    y -= 14 * mm
    canvas.setFont(bold, 15)
    canvas.drawString(left, y, _("Выписка о прохождении аккредитации специалиста"))
    y -= 8 * mm
    label = _("Номер реестровой записи:")
    canvas.setFont(regular, 11)
    canvas.drawString(left, y, label)
    canvas.setFont(bold, 12)
    # Placed after the label's measured width, so that neither runs into the other.
    canvas.drawString(left + pdfmetrics.stringWidth(label, regular, 11) + 3 * mm, y, record.registry_number)
    y -= 12 * mm

    valid_today = record.passed and record.pass_date <= issued.date() <= record.end_date
    rows = [
        (_("Фамилия, имя, отчество"), person.full_name),
        (_("СНИЛС"), format_snils(person.snils)),
        (_("Вид аккредитации"), record.kind.name),
        (_("Специальность"), record.specialty.name),
        (_("Дата прохождения"), f"{record.pass_date:%d.%m.%Y}"),
        (_("Действительна до"), f"{record.end_date:%d.%m.%Y}"),
        (
            _("Протокол"),
            _("№ %(number)s от %(date)s")
            % {"number": record.protocol_number, "date": f"{record.protocol_date:%d.%m.%Y}"},
        ),
    ]
    # Entries loaded from elsewhere may lack the issuer; the configured commission issues ours.
    rows.append((_("Кем проведена"), record.institution_name or settings.ACCREDITATION_COMMISSION_NAME))
    rows.append((_("Статус на дату выписки"), _("действительна") if valid_today else _("не действительна")))
    for label, value in rows:
        canvas.setFont(regular, 10)
        canvas.setFillGray(0.35)
        canvas.drawString(left, y, label)
        canvas.setFillGray(0)
        canvas.setFont(bold, 11)
        for line in _wrap(value, bold, 11, width - 2 * left - 60 * mm):
            canvas.drawString(left + 60 * mm, y, line)
            y -= 6 * mm
        y -= 2 * mm

    y -= 6 * mm
    qr_size = 38 * mm
    canvas.drawImage(_qr_image(url), left, y - qr_size, qr_size, qr_size)
    canvas.linkURL(url, (left, y - qr_size, left + qr_size, y), relative=0)
    canvas.setFont(regular, 10)
    text_left = left + qr_size + 6 * mm
    canvas.drawString(text_left, y - 8 * mm, _("Проверить действительность аккредитации:"))
    canvas.drawString(text_left, y - 14 * mm, _("наведите камеру на QR-код или откройте адрес"))
    canvas.setFont(regular, 9)
    canvas.drawString(text_left, y - 20 * mm, url)
    canvas.linkURL(url, (text_left, y - 22 * mm, width - left, y - 17 * mm), relative=0)

    canvas.setFont(regular, 9)
    canvas.setFillGray(0.35)
    canvas.drawString(
        left,
        20 * mm,
        _("Выписка сформирована %(date)s в %(time)s (время московское).")
        % {"date": f"{issued:%d.%m.%Y}", "time": f"{issued:%H:%M}"},
    )
    canvas.drawString(left, 15 * mm, _("Сведения актуальны на момент формирования выписки."))
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _qr_image(url: str) -> ImageReader:
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2, box_size=8)
    code.add_data(url)
    code.make(fit=True)
    image = code.make_image(fill_color="black", back_color="white").get_image()
    return ImageReader(image)


def _wrap(text: str, font: str, size: float, max_width: float) -> list[str]:
    words = text.split()
    lines: list[str] = []
    current = ""
    for word in words:
        candidate = f"{current} {word}".strip()
        if current and pdfmetrics.stringWidth(candidate, font, size) > max_width:
            lines.append(current)
            current = word
        else:
            current = candidate
    return [*lines, current] if current else lines or [""]
