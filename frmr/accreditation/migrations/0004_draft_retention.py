"""Drafts never sent are reminded about and then deleted (frmr/accreditation/retention.py): when the owner
was reminded, and an index of the drafts by their last change for the sweep."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accreditation", "0003_lexicon_never_unique"),
    ]

    operations = [
        migrations.AddField(
            model_name="application",
            name="draft_reminded_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="напоминание о черновике"),
        ),
        migrations.AddIndex(
            model_name="application",
            index=models.Index(
                condition=models.Q(("status", "draft")), fields=["updated_at"], name="application_draft_idle"
            ),
        ),
    ]
