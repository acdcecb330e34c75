from django.db import models


class Author(models.Model):
    name = models.CharField(max_length=100)
    mentor = models.ForeignKey("self", null=True, on_delete=models.SET_NULL)


class Profile(models.Model):
    author = models.OneToOneField(Author, on_delete=models.CASCADE, related_name="profile")
    avatar = models.CharField(max_length=200)


class ShelfQuerySet(models.QuerySet):
    def on_shelf(self):
        return self.filter(title__startswith="S")


class ShelfManager(models.Manager):
    def get_queryset(self):
        return ShelfQuerySet(self.model, using=self._db)


class Book(models.Model):
    title = models.CharField(max_length=100)
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="books")
    editor = models.ForeignKey(Author, null=True, on_delete=models.SET_NULL, related_name="edited")

    objects = models.Manager()
    shelved = ShelfManager()

    @property
    def byline(self):
        return f"{self.title} by {self.author.name}"

    def __str__(self):
        return self.title

    def archive(self):
        self.title = f"[{self.author.name}] {self.title}"
        self.save()


class AbstractSeries(models.Model):
    name = models.CharField(max_length=100)

    class Meta:
        abstract = True

    def editor_names(self):
        # `self` is a row of the one concrete model built on this base (Series).
        # ruleid: DJR101
        return [volume.editor.name for volume in self.volumes.all()]

    def editor_names_joined(self):
        # ok: DJR101
        return [volume.editor.name for volume in self.volumes.select_related("editor")]


class Series(AbstractSeries):
    def first_authors(self):
        # ruleid: DJR101
        return [volume.editor.mentor for volume in self.volumes.select_related("editor")]


class Volume(models.Model):
    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="volumes")
    editor = models.ForeignKey(Author, on_delete=models.CASCADE)
