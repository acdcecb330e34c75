# Written by hand: the index exists only in this migration, not in the model state.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("library", "0001_initial")]

    operations = [
        migrations.RunSQL(
            sql="CREATE INDEX library_book_internal_ref_idx ON library_book (internal_ref)",
            reverse_sql="DROP INDEX library_book_internal_ref_idx",
        ),
    ]
