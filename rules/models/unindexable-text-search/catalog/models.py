from django.db import models


class Product(models.Model):
    # ruleid: DJR202
    name = models.CharField(max_length=200)
    sku = models.CharField(max_length=32, unique=True)
    # ruleid: DJR202
    email = models.EmailField()
    description = models.TextField()
    on_sale = models.BooleanField(default=False)
