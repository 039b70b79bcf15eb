"""The applicants' lexicon of name words without a unique key (frmr.core.names.lexicon_add_sql says
why): the table is made anew and filled from the sent applications' `name_words`."""

from django.db import migrations, models

FILL = {
    "postgresql": "INSERT INTO accreditation_applicantnameword (word) SELECT DISTINCT w FROM ("
    "SELECT jsonb_array_elements_text(name_words) AS w FROM accreditation_application "
    "WHERE submitted_at IS NOT NULL) n WHERE w <> '' AND length(w) <= 100",
    "sqlite": "INSERT INTO accreditation_applicantnameword (word) SELECT DISTINCT j.value "
    "FROM accreditation_application a, json_each(a.name_words) j "
    "WHERE a.submitted_at IS NOT NULL AND j.value <> '' AND length(j.value) <= 100",
}


def refill(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX applicant_word_trgm ON accreditation_applicantnameword USING gin (word gin_trgm_ops)"
        )
    if vendor in FILL:
        schema_editor.execute(FILL[vendor])


class Migration(migrations.Migration):
    dependencies = [("accreditation", "0002_queue_at_national_volume")]

    operations = [
        migrations.DeleteModel(name="ApplicantNameWord"),
        migrations.CreateModel(
            name="ApplicantNameWord",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("word", models.CharField(max_length=100, verbose_name="слово")),
            ],
            options={
                "verbose_name": "слово ФИО заявителей",
                "verbose_name_plural": "слова ФИО заявителей",
                "indexes": [models.Index(fields=["word"], name="applicant_word")],
            },
        ),
        migrations.RunPython(refill, migrations.RunPython.noop),
    ]
