"""The employer cabinet's roster (frmr/registry/roster.py, docs/roster.md).

Besides the model: on PostgreSQL, GIN indexes that combine the organization with the word search and
the department and position filters (btree_gin), a trigram index of the lexicon of name words, the
person table's trigram index dropped (nothing searches it now), and autovacuum settings for the hot
tables (docs/postgresql.md); on SQLite, an FTS5 `trigram` index of the search name kept in step by
triggers. Existing registers are filled by the same set-based rebuild as `manage.py rebuild_roster`.
"""

import django.db.models.deletion
from django.db import migrations, models

POSTGRESQL = [
    # Byte order for the search name whatever the database's locale: a name's prefix is then a range
    # of the (organization, search_name) index, which the fast name search reads (frmr/registry/search.py).
    'ALTER TABLE registry_rosterentry ALTER COLUMN search_name TYPE varchar(302) COLLATE "C"',
    "CREATE EXTENSION IF NOT EXISTS btree_gin",
    # The employee list no longer searches the person table: its trigram index (0003) only cost writes.
    "DROP INDEX IF EXISTS person_fullname_trgm",
    "CREATE INDEX roster_org_words ON registry_rosterentry "
    "USING gin (organization_id, to_tsvector('simple'::regconfig, search_name))",
    "CREATE INDEX roster_word_trgm ON registry_rosterword USING gin (word gin_trgm_ops)",
    "CREATE INDEX roster_org_departments ON registry_rosterentry "
    "USING gin (organization_id, department_ids jsonb_path_ops)",
    "CREATE INDEX roster_org_positions ON registry_rosterentry "
    "USING gin (organization_id, position_ids jsonb_path_ops)",
    # The hot tables: vacuum and analyze after 1-2 % of changes instead of 20 % / 10 %.
    *(
        f"ALTER TABLE {table} SET (autovacuum_vacuum_scale_factor = 0.02, "
        "autovacuum_analyze_scale_factor = 0.01, autovacuum_vacuum_insert_scale_factor = 0.02)"
        for table in ("registry_rosterentry", "registry_person", "registry_employmentcard")
    ),
]
POSTGRESQL_BACK = [
    "CREATE INDEX IF NOT EXISTS person_fullname_trgm ON registry_person USING gin "
    "((UPPER(((last_name)::text || ' ' || (first_name)::text || ' ' || (patronymic)::text))) gin_trgm_ops)",
    "DROP INDEX IF EXISTS roster_word_trgm",
    "DROP INDEX IF EXISTS roster_org_words",
    "DROP INDEX IF EXISTS roster_org_departments",
    "DROP INDEX IF EXISTS roster_org_positions",
    *(
        f"ALTER TABLE {table} RESET (autovacuum_vacuum_scale_factor, autovacuum_analyze_scale_factor, "
        "autovacuum_vacuum_insert_scale_factor)"
        for table in ("registry_person", "registry_employmentcard")
    ),
]
SQLITE = [
    "CREATE VIRTUAL TABLE registry_roster_fts USING fts5(search_name, content='registry_rosterentry', "
    "content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER registry_roster_fts_insert AFTER INSERT ON registry_rosterentry BEGIN "
    "INSERT INTO registry_roster_fts(rowid, search_name) VALUES (new.id, new.search_name); END",
    "CREATE TRIGGER registry_roster_fts_delete AFTER DELETE ON registry_rosterentry BEGIN "
    "INSERT INTO registry_roster_fts(registry_roster_fts, rowid, search_name) "
    "VALUES ('delete', old.id, old.search_name); END",
    "CREATE TRIGGER registry_roster_fts_update AFTER UPDATE ON registry_rosterentry BEGIN "
    "INSERT INTO registry_roster_fts(registry_roster_fts, rowid, search_name) "
    "VALUES ('delete', old.id, old.search_name); "
    "INSERT INTO registry_roster_fts(rowid, search_name) VALUES (new.id, new.search_name); END",
]
SQLITE_BACK = [
    "DROP TRIGGER IF EXISTS registry_roster_fts_insert",
    "DROP TRIGGER IF EXISTS registry_roster_fts_delete",
    "DROP TRIGGER IF EXISTS registry_roster_fts_update",
    "DROP TABLE IF EXISTS registry_roster_fts",
]


class VendorSQL(migrations.operations.base.Operation):
    """SQL for one database vendor only; the migration state is untouched."""

    reduces_to_sql = True
    reversible = True

    def __init__(self, vendor, forwards, backwards):
        self.vendor, self.forwards, self.backwards = vendor, forwards, backwards

    def state_forwards(self, app_label, state):
        pass

    def _run(self, schema_editor, statements):
        if schema_editor.connection.vendor == self.vendor:
            for statement in statements:
                schema_editor.execute(statement, params=None)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        self._run(schema_editor, self.forwards)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        self._run(schema_editor, self.backwards)

    def describe(self):
        return f"Roster indexes and settings ({self.vendor} only)"


def fill(apps, schema_editor):
    # An existing register's roster is built by 0010, whose schema the rebuild's code writes.
    pass



class Migration(migrations.Migration):

    dependencies = [
        ('registry', '0007_department_updated_at'),
    ]

    operations = [
        migrations.CreateModel(
            name='RosterEntry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('oid', models.CharField(max_length=16, verbose_name='OID в регистре')),
                ('name', models.CharField(max_length=302, verbose_name='ФИО')),
                ('search_name', models.CharField(max_length=302, verbose_name='ФИО для поиска')),
                ('snils', models.CharField(max_length=11, verbose_name='СНИЛС')),
                ('birth_date', models.DateField(verbose_name='дата рождения')),
                ('gender', models.PositiveSmallIntegerField(verbose_name='пол')),
                ('status', models.PositiveSmallIntegerField(choices=[(0, 'не принят на работу'), (1, 'работает'), (2, 'уволен')], verbose_name='состояние')),
                ('cards', models.JSONField(default=list, verbose_name='карточки')),
                ('department_ids', models.JSONField(default=list, verbose_name='подразделения')),
                ('position_ids', models.JSONField(default=list, verbose_name='должности')),
                ('organization', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='registry.organization', verbose_name='организация')),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='registry.person', verbose_name='работник')),
            ],
            options={
                'verbose_name': 'строка списка сотрудников',
                'verbose_name_plural': 'список сотрудников организаций',
                'indexes': [models.Index(fields=['organization', 'search_name', 'person'], name='roster_org_name'), models.Index(fields=['organization', 'status', 'search_name', 'person'], name='roster_org_status'), models.Index(fields=['organization', 'snils'], name='roster_org_snils'), models.Index(fields=['person'], name='roster_person')],
                'constraints': [models.UniqueConstraint(fields=('organization', 'person'), name='roster_unique_org_person')],
            },
        ),
        migrations.CreateModel(
            name="RosterWord",
            fields=[
                ("word", models.CharField(max_length=100, primary_key=True, serialize=False, verbose_name="слово")),
            ],
            options={"verbose_name": "слово ФИО", "verbose_name_plural": "слова ФИО"},
        ),
        migrations.AddIndex(
            model_name="employmentcard",
            index=models.Index(fields=["organization", "position"], name="card_org_position"),
        ),
        VendorSQL("postgresql", POSTGRESQL, POSTGRESQL_BACK),
        VendorSQL("sqlite", SQLITE, SQLITE_BACK),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
