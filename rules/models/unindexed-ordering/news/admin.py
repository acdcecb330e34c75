from django.contrib import admin

from news.models import PressLog


class PressLogAdmin(admin.ModelAdmin):
    list_display = ["sent"]
    list_filter = ["sent"]


admin.site.register(PressLog, PressLogAdmin)
