from django.contrib import admin

from .models import Product


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    # ok: DJR202 (an admin search alone is a staff page: weak evidence)
    search_fields = ["description"]
