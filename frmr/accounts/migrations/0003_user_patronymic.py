# The patronymic has one name across the register (Person.patronymic, the FRMR API); ЕСИА's `middleName`
# stays in the payload parser (frmr/esia/data.py). A rename: the column keeps its data.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_login_throttle"),
    ]

    operations = [
        migrations.RenameField(model_name="user", old_name="middle_name", new_name="patronymic"),
    ]
