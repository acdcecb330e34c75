# DJR150 graphql-resolver-related-access: the sample after its fixes (DJREVIEW_UPDATE_SNAPSHOTS=1)
# --- app/schema.py ---
import graphene
import graphene_django_optimizer as gql_optimizer
from graphene_django import DjangoConnectionField, DjangoObjectType

from .models import Author, Book, Review, Tag


class AuthorType(DjangoObjectType):
    class Meta:
        model = Author
        fields = ("id", "name")

    book_count = graphene.Int()
    loaded_book_count = graphene.Int()

    def resolve_book_count(root, info):
        # ruleid: DJR150
        return Book.objects.filter(author=root).count()

    def resolve_loaded_book_count(root, info):
        # ok: DJR150
        return info.context.loaders.book_counts.load(root.pk)


class TagType(DjangoObjectType):
    class Meta:
        model = Tag
        fields = ("id", "name")


class BookType(DjangoObjectType):
    class Meta:
        model = Book
        # ruleid: DJR150
        fields = ("id", "title", "author", "tags")
        interfaces = (graphene.relay.Node,)

    author_name = graphene.String()
    review_count = graphene.Int()
    top_rating = graphene.Int()

    def resolve_author_name(root, info):
        # ruleid: DJR150
        return root.author.name

    def resolve_review_count(root, info):
        # ruleid: DJR150
        return root.reviews.count()

    @gql_optimizer.resolver_hints(prefetch_related=("reviews",))
    def resolve_top_rating(root, info):
        # ok: DJR150
        return max((r.rating for r in root.reviews.all()), default=0)


def resolve_reviewed_title(root, info):
    # ok: DJR150
    return root.book.title


class ReviewType(DjangoObjectType):
    class Meta:
        model = Review
        fields = ("id", "rating")

    reviewed_title = graphene.String(resolver=resolve_reviewed_title)


class Query(graphene.ObjectType):
    authors = graphene.List(AuthorType)
    books = graphene.List(BookType)
    book_connection = DjangoConnectionField(BookType)
    reviews = graphene.List(ReviewType)

    def resolve_authors(root, info):
        return Author.objects.all()

    def resolve_books(root, info):
        return (
            Book.objects.all()
            .select_related("author")
            .prefetch_related("reviews", "tags")
        )

    def resolve_book_connection(root, info, **kwargs):
        return Book.objects.select_related("author").prefetch_related("tags", "reviews")

    def resolve_reviews(root, info):
        return Review.objects.select_related("book")


schema = graphene.Schema(query=Query)

# --- app/strawberry_schema.py ---
import strawberry
import strawberry_django
from strawberry import auto

from .models import Author, Book, Tag


@strawberry_django.type(Author)
class AuthorNode:
    name: auto


@strawberry_django.type(Tag)
class TagNode:
    name: auto

    @strawberry_django.field
    def book_titles(self) -> list[str]:
        # ruleid: DJR150
        return [book.title for book in self.books.filter(title__startswith="A")]


@strawberry_django.type(Book)
class BookNode:
    title: auto
    # ruleid: DJR150
    author: AuthorNode


@strawberry.type
class Query:
    tags: list[TagNode] = strawberry_django.field()

    @strawberry_django.field
    def books(self) -> list[BookNode]:
        return Book.objects.all().select_related("author")


schema = strawberry.Schema(query=Query)
