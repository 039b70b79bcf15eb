"""Plain labels for the person fields an employer's HR officer fills in; names only, no change to the table."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('registry', '0010_roster_facets'),
    ]

    operations = [
        migrations.AlterField(
            model_name='person',
            name='disabled_group',
            field=models.IntegerField(blank=True, null=True, verbose_name='группа инвалидности'),
        ),
        migrations.AlterField(
            model_name='person',
            name='disabled_group_name',
            field=models.CharField(blank=True, db_default='', default='', max_length=20, verbose_name='группа инвалидности, как в справке'),
        ),
        migrations.AlterField(
            model_name='person',
            name='military_relation',
            field=models.IntegerField(blank=True, null=True, verbose_name='отношение к военной службе'),
        ),
        migrations.AlterField(
            model_name='person',
            name='mr',
            field=models.BooleanField(blank=True, null=True, verbose_name='работник внесён в ФРМР'),
        ),
    ]
