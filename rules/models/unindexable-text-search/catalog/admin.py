from django.contrib import admin

from .models import Product


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    # ruleid: DJR202
    search_fields = ["description"]
