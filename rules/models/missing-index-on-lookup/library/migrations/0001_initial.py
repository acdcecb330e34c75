from django.db import migrations


class Migration(migrations.Migration):
    initial = True
    dependencies = []
    operations = [
        migrations.RunSQL("CREATE INDEX library_book_internal_ref ON library_book (internal_ref)"),
    ]
