from django.contrib import admin

from .models import Item, Note, Post


class NoteInline(admin.TabularInline):
    model = Note


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ("title", "owner__username", "author_email", "summary", "__str__")
    list_select_related = ("author",)
    search_fields = ["title"]
    inlines = [NoteInline]

    @admin.display(description="Author")
    def author_email(self, obj):
        return obj.author.email

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("owner")


admin.site.register([Item, Note])
