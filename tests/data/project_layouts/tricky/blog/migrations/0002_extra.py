from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("blog", "0001_initial")]

    operations = [
        migrations.AddIndex(model_name="post", index=models.Index(fields=["title"], name="post_title_idx")),
        migrations.RunSQL("CREATE INDEX CONCURRENTLY blog_post_status ON blog_post (status, created_at)"),
        migrations.AlterField(model_name="item", name="post", field=models.OneToOneField(db_index=True, on_delete=models.CASCADE, to="blog.post")),
    ]
