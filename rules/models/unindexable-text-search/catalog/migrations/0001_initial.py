from django.db import migrations


class Migration(migrations.Migration):
    initial = True
    dependencies = []
    operations = [
        migrations.RunSQL(
            "CREATE INDEX catalog_product_notes_trgm ON catalog_product USING gin (notes gin_trgm_ops)"
        ),
    ]
