# DJR130 admin-list-display-related-access: the sample after its fixes (DJREVIEW_UPDATE_SNAPSHOTS=1)
# --- app/admin.py ---
from django.contrib import admin

from .models import Author, Note, Post


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ["title", "byline"]
    list_select_related = ["author"]

    @admin.display(description="Author")
    def byline(self, obj):
        # ruleid: DJR130
        return obj.author.name


@admin.register(Note)
class NoteAdmin(admin.ModelAdmin):
    # ruleid: DJR130
    list_display = ["text", "post__author__name"]
    list_select_related = ["post__author"]


class EditedAdmin(admin.ModelAdmin):
    # ruleid: DJR130
    list_display = ["title", "author", "editor"]


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    # ok: DJR130
    list_display = ["name", "__str__"]


class JoinedAdmin(admin.ModelAdmin):
    list_display = ["title", "byline"]
    list_select_related = ["author"]

    def byline(self, obj):
        # ok: DJR130
        return obj.author.name


class FkColumnAdmin(admin.ModelAdmin):
    # ok: DJR130
    list_display = ["title", "author", "__str__"]


# One model registered with several admins is not valid at runtime; the sample reads statically.
admin.site.register(Post, EditedAdmin)
admin.site.register(Post, JoinedAdmin)
admin.site.register(Post, FkColumnAdmin)
