from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("library", "0002_internal_ref_index")]

    operations = [
        migrations.AddField(
            model_name="book",
            name="withdrawn_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="book",
            name="archived_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddIndex(
            model_name="book",
            index=models.Index(
                condition=models.Q(archived_at__isnull=False),
                fields=["archived_at"],
                name="library_book_archived_idx",
            ),
        ),
    ]
