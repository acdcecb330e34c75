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
        return Book.objects.all()


schema = strawberry.Schema(query=Query)
