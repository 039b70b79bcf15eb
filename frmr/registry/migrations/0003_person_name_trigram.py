"""A trigram index on the person's full name for the typo-tolerant employee search (PostgreSQL only).

The index is a database object only, not part of the model state: SQLite (`make run`) has neither
pg_trgm nor GIN, and the model must stay the same on both. The expression is
`frmr.registry.search.FULL_NAME`, built by Django so that queries and the index match exactly.
"""

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations
from django.db.models import Value
from django.db.models.functions import Concat, Upper

INDEX = GinIndex(
    OpClass(
        Upper(Concat("last_name", Value(" "), "first_name", Value(" "), "patronymic")),
        name="gin_trgm_ops",
    ),
    name="person_fullname_trgm",
)


class AddPostgresIndex(migrations.operations.base.Operation):
    """AddIndex that touches only a PostgreSQL database and leaves the migration state alone."""

    reduces_to_sql = True
    reversible = True

    def state_forwards(self, app_label, state):
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.add_index(to_state.apps.get_model(app_label, "Person"), INDEX)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.remove_index(from_state.apps.get_model(app_label, "Person"), INDEX)

    def describe(self):
        return "Trigram GIN index on the upper-cased full name of persons (PostgreSQL only)"


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0002_oid_counter"),
    ]

    operations = [
        TrigramExtension(),
        AddPostgresIndex(),
    ]
