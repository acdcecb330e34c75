from django.contrib import admin

from library.models import Notice, Wish

admin.site.register(Notice)
admin.site.register(Wish)
