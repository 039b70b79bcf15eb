"""The employee list's department and position filters read `RosterFacet` (docs/roster.md).

The roster's JSON arrays of departments and positions (and their GIN indexes) go; the facets' search
name sorts in byte order like the roster's, so that both give the same order. An existing register's
roster is rebuilt here — the last migration that changes its shape does it, with the code of its time.
"""

import django.db.models.deletion
from django.db import migrations, models


def collate(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            'ALTER TABLE registry_rosterfacet ALTER COLUMN search_name TYPE varchar(302) COLLATE "C"'
        )


def fill(apps, schema_editor):
    if apps.get_model("registry", "Person").objects.exists():
        from frmr.registry.roster import roster_rebuild

        roster_rebuild()


class Migration(migrations.Migration):

    dependencies = [
        ('registry', '0009_lexicon_never_unique'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='rosterentry',
            name='department_ids',
        ),
        migrations.RemoveField(
            model_name='rosterentry',
            name='position_ids',
        ),
        migrations.CreateModel(
            name='RosterFacet',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.PositiveSmallIntegerField(choices=[(1, 'подразделение'), (2, 'должность')], verbose_name='что')),
                ('value', models.BigIntegerField(verbose_name='подразделение или должность (id)')),
                ('search_name', models.CharField(max_length=302, verbose_name='ФИО для поиска')),
                ('status', models.PositiveSmallIntegerField(choices=[(0, 'не принят на работу'), (1, 'работает'), (2, 'уволен')], verbose_name='состояние')),
                ('entry', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='facets', to='registry.rosterentry')),
                ('organization', models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='registry.organization')),
                ('person', models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='registry.person')),
            ],
            options={
                'verbose_name': 'подразделение или должность в списке сотрудников',
                'verbose_name_plural': 'подразделения и должности в списке сотрудников',
                'indexes': [models.Index(fields=['organization', 'kind', 'value', 'search_name', 'person'], include=['status', 'entry'], name='roster_facet')],
            },
        ),
        migrations.RunPython(collate, migrations.RunPython.noop),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
