"""The lexicon of name words without a unique key (frmr.core.names.lexicon_add_sql says why).

The table is derived data: it is made anew and filled from the roster, as `rebuild_roster` does.
"""

from django.db import migrations, models


def refill(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return  # the lexicon serves PostgreSQL's spelling lookup only
    schema_editor.execute("CREATE INDEX roster_word_trgm ON registry_rosterword USING gin (word gin_trgm_ops)")
    schema_editor.execute(
        "INSERT INTO registry_rosterword (word) SELECT DISTINCT w FROM ("
        "SELECT unnest(string_to_array(search_name, ' ')) AS w FROM registry_rosterentry) n "
        "WHERE w <> '' AND length(w) <= 100"
    )


class Migration(migrations.Migration):
    dependencies = [("registry", "0008_employer_roster")]

    operations = [
        migrations.DeleteModel(name="RosterWord"),
        migrations.CreateModel(
            name="RosterWord",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("word", models.CharField(max_length=100, verbose_name="слово")),
            ],
            options={
                "verbose_name": "слово ФИО",
                "verbose_name_plural": "слова ФИО",
                "indexes": [models.Index(fields=["word"], name="roster_word")],
            },
        ),
        migrations.RunPython(refill, migrations.RunPython.noop),
    ]
