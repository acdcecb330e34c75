from django.contrib import admin

from library.models import Checkout, Notice, Wish

admin.site.register(Notice)
admin.site.register(Wish)


@admin.register(Checkout)
class CheckoutAdmin(admin.ModelAdmin):
    list_filter = ["due"]
