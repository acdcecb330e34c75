from django.db import models


class Author(models.Model):
    name = models.CharField(max_length=100)
    email = models.EmailField()
    handle = models.CharField(max_length=30, unique=True)

    class Meta:
        # planted: missing-index — the listed Author is always sorted by the unindexed name [author_ordering]
        ordering = ["name"]


class Book(models.Model):
    title = models.CharField(max_length=200)
    isbn = models.CharField(max_length=13)
    shelf = models.CharField(max_length=10)
    row = models.IntegerField(default=0)
    language = models.CharField(max_length=8)
    edition = models.IntegerField(default=1)
    barcode = models.CharField(max_length=32)
    legacy_ref = models.CharField(max_length=32)
    internal_ref = models.CharField(max_length=32)
    in_print = models.BooleanField(default=True)
    published = models.DateField(null=True)
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="books")
    # NULL until the book is withdrawn / archived: most rows have neither.
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    archived_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["shelf", "row"], name="library_book_shelf_row_idx"),
            models.Index(
                fields=["archived_at"],
                condition=models.Q(archived_at__isnull=False),
                name="library_book_archived_idx",
            ),
        ]
        unique_together = [("language", "edition")]
        constraints = [
            models.UniqueConstraint(
                fields=["legacy_ref"], condition=models.Q(in_print=True), name="library_book_legacy_uniq"
            ),
        ]
