from django.db import models


class Author(models.Model):
    # ruleid: DJR201 (views.reassigned_unserved filters on it; a join from books would not)
    name = models.CharField(max_length=100)
    # ruleid: DJR201
    email = models.EmailField()
    handle = models.CharField(max_length=30, unique=True)


class Book(models.Model):
    # ruleid: DJR201
    title = models.CharField(max_length=200)
    # ruleid: DJR201
    isbn = models.CharField(max_length=13)
    code = models.CharField(max_length=20, db_index=True)
    shelf = models.CharField(max_length=10)
    # ruleid: DJR201
    row = models.IntegerField(default=0)
    language = models.CharField(max_length=8)
    edition = models.IntegerField(default=1)
    barcode = models.CharField(max_length=32)
    # ruleid: DJR201
    legacy_ref = models.CharField(max_length=32)
    internal_ref = models.CharField(max_length=32)
    # ok: DJR201 (a flag before the indexed `code`: code's own index serves the query)
    in_print = models.BooleanField(default=True)
    published = models.DateField(null=True)
    # ruleid: DJR201 (a composite led by it: one author's books since a date)
    author = models.ForeignKey(Author, on_delete=models.CASCADE)
    # ok: DJR201 (only a numbered one-off job looks it up)
    batch_ref = models.CharField(max_length=32)
    # ok: DJR201 (only the test-data factory module looks it up)
    sample_tag = models.CharField(max_length=20)
    format = models.ForeignKey("Format", null=True, on_delete=models.SET_NULL)
    publisher = models.ForeignKey("Publisher", null=True, on_delete=models.SET_NULL)

    class Meta:
        indexes = [models.Index(fields=["shelf", "row"], name="library_book_shelf_row_idx")]
        unique_together = [("language", "edition")]
        constraints = [
            models.UniqueConstraint(fields=["barcode"], name="library_book_barcode_uniq"),
            models.UniqueConstraint(
                fields=["legacy_ref"], condition=models.Q(in_print=True), name="library_book_legacy_uniq"
            ),
        ]


class Licence(models.Model):
    code = models.CharField(max_length=20)


class Format(models.Model):
    """A reference table: no ForeignKey of its own, Book points to it, rows made by get_or_create."""

    # ok: DJR201 (a reference table: one row per distinct format)
    name = models.CharField(max_length=40)


class Publisher(models.Model):
    """Reference-shaped, but its rows record when they joined: an entity table, it grows."""

    # ruleid: DJR201
    name = models.CharField(max_length=80)
    joined = models.DateTimeField(auto_now_add=True)


SHARED_INDEXES: list = []


class Loan(models.Model):
    book = models.ForeignKey(Book, on_delete=models.CASCADE)
    # ok: DJR201 (the partial index below serves kind + ref__in, whose rows are not null)
    kind = models.CharField(max_length=20)
    ref = models.IntegerField(null=True)
    returned = models.BooleanField(default=False)
    # ok: DJR201 (unique_together (returned, ticket): the query pins both columns)
    ticket = models.CharField(max_length=20)

    class Meta:
        unique_together = [("returned", "ticket")]
        indexes = SHARED_INDEXES + [
            models.Index(
                fields=["kind", "ref"],
                condition=models.Q(ref__isnull=False),
                name="library_loan_kind_ref",
            )
        ]


class Hold(models.Model):
    book = models.ForeignKey(Book, on_delete=models.CASCADE)
    # ruleid: DJR201 (a range over a mostly-NULL timestamp: a partial index WHERE cancelled_at IS NOT NULL)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # ok: DJR201 (the same purge, served by the partial index below)
    expired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["expired_at"],
                condition=models.Q(expired_at__isnull=False),
                name="library_hold_expired",
            ),
        ]


class ReadingEvent(models.Model):
    """A public reading event: staff type its date into the admin; content, not a log."""

    # ok: DJR201 (named like an event but nothing stamps it: no size evidence)
    held_on = models.DateField()


class OpenLog(models.Model):
    """A log row written each time a book is opened in the reader."""

    # ruleid: DJR201 (an event row that stamps itself: it grows)
    opened_at = models.DateTimeField(auto_now_add=True)


class SiteSetting(models.Model):
    # ok: DJR201 (rows made only by get_or_create with a constant key: a fixed handful)
    key = models.CharField(max_length=40)


class Tag(models.Model):
    # ruleid: DJR201 (get_or_create from imported values: one row per distinct tag, many)
    label = models.CharField(max_length=40)


class Renewal(models.Model):
    book = models.ForeignKey(Book, on_delete=models.CASCADE)
    # ruleid: DJR201 (every OR branch of the purge ranges over it: its index serves them all)
    renewed_at = models.DateTimeField()
    # ok: DJR201 (the (channel, renewed_at) branch composite is named in the finding above)
    channel = models.CharField(max_length=20)


class Genre(models.Model):
    # ok: DJR201 (only an admin import action creates genres, in a ModelAdmin outside admin.py)
    label = models.CharField(max_length=40)


class Notice(models.Model):
    """A notice staff post in the admin; `creator` records who typed it in."""

    # ok: DJR201 (only the admin writes notices: a nullable audit user column is no owner)
    headline = models.CharField(max_length=100)
    creator = models.ForeignKey("auth.User", null=True, blank=True, on_delete=models.SET_NULL)


class Wish(models.Model):
    """A reader's wish for a book: every row belongs to a reader and hangs off a book."""

    # ruleid: DJR201 (rows owned by a user, one per book a reader wishes for: books grow)
    title = models.CharField(max_length=100)
    reader = models.ForeignKey("auth.User", on_delete=models.CASCADE)
    book = models.ForeignKey(Book, null=True, on_delete=models.SET_NULL)


class Badge(models.Model):
    """A badge staff award a reader now and then; nothing in the code creates one."""

    # ok: DJR201 (only a user key: who owns the rows, not how many)
    label = models.CharField(max_length=40)
    reader = models.ForeignKey("auth.User", on_delete=models.CASCADE)


class Branch(models.Model):
    # ok: DJR201 (created only through a staff-only endpoint: the admin by another name)
    code = models.CharField(max_length=10)


class Shift(models.Model):
    """A desk shift at one of the few branches: found by branch and desk."""

    # ok: DJR201 (an equality within one branch says nothing of how many shifts a branch has)
    branch = models.ForeignKey(Branch, on_delete=models.CASCADE)
    desk = models.CharField(max_length=10)


class Opening(models.Model):
    """A branch opening, read as a time window per branch: they pile up per branch."""

    # ruleid: DJR201 (a time window over one branch's rows: they accumulate, (branch, opened))
    branch = models.ForeignKey(Branch, on_delete=models.CASCADE)
    opened = models.DateTimeField()


class Request(models.Model):
    # ruleid: DJR201 (any signed-in reader creates requests through the API)
    code = models.CharField(max_length=10)


class Review(models.Model):
    # ruleid: DJR201 (the (book, stars) index is pinned by book= but scans that book's reviews for the date range)
    book = models.ForeignKey(Book, on_delete=models.CASCADE)
    stars = models.IntegerField(default=0)
    posted = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["book", "stars"], name="library_review_book_stars")]


class Quote(models.Model):
    # ok: DJR201 (the (book, posted) index goes on with the range column: it serves the query)
    book = models.ForeignKey(Book, on_delete=models.CASCADE)
    stars = models.IntegerField(default=0)
    posted = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["book", "posted"], name="library_quote_book_posted")]


class Mention(models.Model):
    """Where a book is mentioned: any object, by content type and id."""

    # ruleid: DJR201 (one object's mentions: the content type's own index leaves every object of that type)
    target_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE)
    target_id = models.PositiveIntegerField()


class Citation(models.Model):
    # ok: DJR201 (the object id has its own index: the content type adds little to it)
    source_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE)
    source_id = models.PositiveIntegerField(db_index=True)


class Stamped(models.Model):
    created = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        abstract = True
        ordering = ["created"]


class ScanLog(Stamped):
    """A line each time a copy of a book is scanned at a desk: it piles up per book."""

    # ruleid: DJR201 (one book's scan log in its inherited default order: `created`'s own index walks every book's lines)
    book = models.ForeignKey(Book, related_name="scan_logs", on_delete=models.CASCADE)


class Chapter(models.Model):
    # ok: DJR201 (one book's chapters in their default order: a handful of rows per book)
    book = models.ForeignKey(Book, related_name="chapters", on_delete=models.CASCADE)
    number = models.IntegerField(default=1)

    class Meta:
        ordering = ["number"]


class Borrowing(models.Model):
    # ruleid: DJR201 (a reader's borrowings since a date, through `self.reader.borrowing_set` of an untyped owner)
    reader = models.ForeignKey("auth.User", on_delete=models.CASCADE)
    borrowed_at = models.DateTimeField()


class Copy(models.Model):
    book = models.ForeignKey(Book, related_name="copies", on_delete=models.CASCADE)
    # ruleid: DJR201 (books found through a copy's barcode tag: the join starts from the copies)
    tag = models.CharField(max_length=20)
    # ok: DJR201 (a copy's state through the same join: a number, not an identifier the join starts from)
    state = models.IntegerField(default=0)


class Volume(models.Model):
    """A bound volume of a periodical series; its copies are lent out."""

    # ruleid: DJR201 (a series' volumes with a worn copy: the copies' condition, a choice, only checks what the series finds)
    series = models.CharField(max_length=20)
    # ok: DJR201 (a shelf mark's volumes a reader holds a copy of: the join may start from the reader's copies)
    shelf_mark = models.CharField(max_length=20)


class VolumeCopy(models.Model):
    volume = models.ForeignKey(Volume, related_name="volume_copies", on_delete=models.CASCADE)
    condition = models.CharField(max_length=10, choices=[("good", "Good"), ("worn", "Worn")])
    holder = models.ForeignKey("auth.User", null=True, on_delete=models.SET_NULL)


class SlipRenewal(models.Model):
    """A renewal at the desk, found by its number, its slip or the reader's card."""

    # ruleid: DJR201 (the `elif` branch is its own query: not ANDed with the `if` branch's unique `number`)
    slip = models.CharField(max_length=20)
    # ok: DJR201 (the `else` branch's query also pins the unique `number`: its index serves it)
    card = models.CharField(max_length=20)
    number = models.CharField(max_length=20, unique=True)


class Checkout(models.Model):
    reader = models.ForeignKey("auth.User", on_delete=models.CASCADE)
    # ok: DJR201 (a FilterSet's equality filter alone: a client's option, no hot query)
    desk = models.CharField(max_length=10)
    # ruleid: DJR201 (FilterSet time windows, an admin filter beside them: one note, no fix)
    due = models.DateTimeField()
    # ok: DJR201 (another window of the same FilterSet: named in the due note)
    returned = models.DateTimeField()


class Stocktake(models.Model):
    reader = models.ForeignKey("auth.User", on_delete=models.CASCADE)
    # ok: DJR201 (only a helper of the management package, which commands import, looks it up)
    counted_on = models.DateTimeField()


class Reservation(models.Model):
    reader = models.ForeignKey("auth.User", on_delete=models.CASCADE)
    # ruleid: DJR201 (found through `filter(**params)`, a dict literal of lookups on one branch)
    code = models.CharField(max_length=20)
    # ok: DJR201 (a window ANDed with `**extra`, a parameter: the query's columns are unknown)
    placed = models.DateTimeField()


class Fine(models.Model):
    """A late fee; the desk reads the table through FineRecord, a view of it."""

    # ruleid: DJR201 (looked up through FineRecord, an unmanaged model of this table: the index goes here)
    ref = models.CharField(max_length=20)


class ReadOnly(models.Model):
    class Meta:
        abstract = True
        managed = False


class FineRecord(ReadOnly):
    # ok: DJR201 (an unmanaged model of library_fine, inheriting `managed = False`: Fine owns the table)
    ref = models.CharField(max_length=20)

    class Meta(ReadOnly.Meta):
        db_table = "library_fine"


class Note(models.Model):
    # ruleid: DJR201 (a book's notes since a date, in a method whose queryset parameter its one caller passes)
    book = models.ForeignKey(Book, related_name="notes", on_delete=models.CASCADE)
    written = models.DateTimeField()
    hidden = models.BooleanField(default=False)


class Memo(models.Model):
    # ok: DJR201 (a helper's parameter one caller passes an unknown value for: the model is not known)
    written = models.DateTimeField()


class Display(models.Model):
    """A shelf display: staff put up a few, and only the demo-data command makes rows."""

    # ok: DJR201 (only a demo-data command creates displays: like a fixture, no evidence)
    theme = models.CharField(max_length=40)


class Poster(models.Model):
    """Posters of every publisher, loaded by an import command."""

    # ruleid: DJR201 (an import command loads posters from publishers' feeds: the table grows)
    theme = models.CharField(max_length=40)


class Pamphlet(models.Model):
    """Pamphlets the import command loads and the desk prints on request."""

    # ruleid: DJR201 (the message names the desk's creation, not the operator's command)
    theme = models.CharField(max_length=40)


class Shelf(models.Model):
    """A shelf of the reading room: librarians set up a few in the admin."""

    code = models.CharField(max_length=10)


class ShelfMove(models.Model):
    """A row per shelf code change, written by a pre_save receiver of Shelf."""

    # ok: DJR201 (written only for each saved Shelf, a table nothing says grows: a handful)
    old_code = models.CharField(max_length=10)
    shelf = models.ForeignKey(Shelf, on_delete=models.CASCADE)


class Receipt(models.Model):
    """A receipt per borrowing, written by a post_save receiver of Borrowing."""

    # ruleid: DJR201 (written for each saved Borrowing, a table readers fill: it grows)
    number = models.CharField(max_length=20)


class Flyer(models.Model):
    """Flyers staff print from the admin's changelist, an action at a time."""

    # ok: DJR201 (only an admin action, `(modeladmin, request, queryset)`, creates flyers)
    title = models.CharField(max_length=60)


class Sticker(models.Model):
    """Stickers staff print from a custom admin site's module."""

    # ok: DJR201 (only a module named for the admin, stickeradmin.py, creates stickers)
    title = models.CharField(max_length=60)


class Leaflet(models.Model):
    """A leaflet handed to every visitor who asks at the desk."""

    # ruleid: DJR201 (a desk helper creates a leaflet per visitor: the table grows)
    title = models.CharField(max_length=60)
