# DJR101 related-access-in-loop: the sample after its fixes (DJREVIEW_UPDATE_SNAPSHOTS=1)
# --- app/models.py ---
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
        return [volume.editor.name for volume in self.volumes.all().select_related("editor")]

    def editor_names_joined(self):
        # ok: DJR101
        return [volume.editor.name for volume in self.volumes.select_related("editor")]


class Series(AbstractSeries):
    def first_authors(self):
        # ruleid: DJR101
        return [volume.editor.mentor for volume in self.volumes.select_related("editor", "editor__mentor")]


class Volume(models.Model):
    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="volumes")
    editor = models.ForeignKey(Author, on_delete=models.CASCADE)

# --- app/views.py ---
from django.db.models import Prefetch
from django.views.generic import ListView
from .models import Author, Profile, Book


def published_books():
    return Book.objects.filter(title__startswith="A").select_related("author")


def titles_and_authors():
    books = Book.objects.filter(title__startswith="A").select_related("author")
    for book in books:
        # ruleid: DJR101
        print(book.title, book.author.name)


def nested_paths():
    # ruleid: DJR101
    return [book.author.profile.avatar for book in Book.objects.all().select_related("author__profile")]


def through_a_property():
    # ruleid: DJR101
    return [book.byline for book in Book.objects.order_by("title").select_related("author")]


def from_a_helper():
    for book in published_books():
        # ruleid: DJR101
        print(book.author.name)


def nullable_fk_with_bare_select_related():
    for book in Book.objects.select_related():
        # ruleid: DJR101
        print(book.editor.name)


class BookList(ListView):
    queryset = Book.objects.all().select_related("author")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # ruleid: DJR101
        context["names"] = [book.author.name for book in self.get_queryset()]
        return context


def covered():
    for book in Book.objects.select_related("author"):
        # ok: DJR101
        print(book.author.name)


def covered_nested():
    books = Book.objects.select_related("author__profile")
    # ok: DJR101
    return [book.author.profile.avatar for book in books]


def bare_select_related_follows_non_null_fks():
    for book in Book.objects.select_related():
        # ok: DJR101
        print(book.author.name)


def fk_id_and_plain_fields():
    for book in Book.objects.all():
        # ok: DJR101
        print(book.author_id, book.title, str(book))


def values_rows():
    for row in Book.objects.values("title", "author__name"):
        # ok: DJR101
        print(row["author__name"])


def read_once_outside_a_loop(pk):
    book = Book.objects.get(pk=pk)
    # ok: DJR101
    return book.author.name


def not_a_queryset(books):
    for book in books:
        # ok: DJR101
        print(book.author.name)


def prefetch_covers_a_forward_fk_too():
    for book in Book.objects.prefetch_related("author"):
        # ok: DJR101
        print(book.author.name)


def assigning_a_relation(author):
    for book in Book.objects.all():
        # ok: DJR101
        book.author = author


def an_action_method_is_a_write_path():
    for book in Book.objects.all():
        # ok: DJR101
        book.archive()


def mapped():
    # ruleid: DJR101
    return list(map(lambda book: book.author.name, Book.objects.all().select_related("author")))


def before_iterator():
    for book in (
        Book.objects.filter(title__startswith="A")
        .select_related("author")
        .iterator()
    ):
        # ruleid: DJR101
        print(book.author.name)


def prefetch_path_fetches_its_intermediate():
    books = Book.objects.prefetch_related(Prefetch("author__edited", to_attr="edits"))
    for book in books:
        # ok: DJR101
        print(book.author.name, len(book.author.edits))


def back_reference_filled_by_the_prefetch():
    for author in Author.objects.prefetch_related("books"):
        for book in author.books.all():
            # ok: DJR101
            print(book.author.name)


def back_reference_of_a_reverse_one_to_one():
    for author in Author.objects.select_related("profile"):
        # ok: DJR101
        print(author.profile.author.name)


def returns_on_the_first_row():
    for book in Book.objects.all():
        # ok: DJR101
        return book.author.name


def a_handful_of_rows():
    for book in Book.objects.order_by("title")[:3]:
        # ok: DJR101
        print(book.author.name)


def no_rows():
    for book in Book.objects.none():
        # ok: DJR101
        print(book.author.name)


def through_a_custom_manager():
    for book in Book.shelved.all().select_related("author"):
        # ruleid: DJR101
        print(book.author.name)


def through_a_custom_manager_joined():
    for book in Book.shelved.select_related("author"):
        # ok: DJR101
        print(book.author.name)


def _card(book):
    data = {"title": book.title}
    data.update({"author": book.author.name})  # a dict's update, not QuerySet.update()
    return data


def helper_with_a_dict_update():
    # ruleid: DJR101
    return [_card(book) for book in Book.objects.all().select_related("author")]


def helper_with_a_dict_update_joined():
    # ok: DJR101
    return [_card(book) for book in Book.objects.select_related("author")]


def _rename(book):
    Book.objects.filter(pk=book.pk).update(title=book.author.name)


def helper_that_updates_rows():
    for book in Book.objects.all():
        # ok: DJR101
        _rename(book)


def relation_set_from_memory(authors_by_id):
    for book in Book.objects.all():
        book.author = authors_by_id[book.author_id]
        # ok: DJR101
        print(book.author.name)


def relation_set_from_memory_on_one_branch(authors_by_id):
    for book in Book.objects.all().select_related("author"):
        if book.author_id in authors_by_id:
            book.author = authors_by_id[book.author_id]
        # ruleid: DJR101
        print(book.author.name)


def rows_of_an_earlier_loop():
    books = Book.objects.filter(title__startswith="B").select_related("author")
    for book in books:
        # ruleid: DJR101
        print(book.author.name)
    # ok: DJR101
    return [book.author.name for book in books]


def rows_of_an_earlier_loop_that_stops():
    books = Book.objects.filter(title__startswith="B").select_related("author")
    for book in books:
        # ruleid: DJR101
        if book.author.name == "stop":
            break
    # ruleid: DJR101
    return [book.author.name for book in books]
