from django.db import models


class Product(models.Model):
    name = models.CharField(max_length=200)
    sku = models.CharField(max_length=32, unique=True)
    email = models.EmailField()
    description = models.TextField()
    on_sale = models.BooleanField(default=False)
