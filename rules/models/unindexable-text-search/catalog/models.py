from django.db import models


class Product(models.Model):
    # ruleid: DJR202
    name = models.CharField(max_length=200)
    sku = models.CharField(max_length=32, unique=True)
    # ruleid: DJR202
    email = models.EmailField()
    description = models.TextField()
    # ruleid: DJR202 (DRF search_fields alone: one note for the model, colour in it)
    brand = models.CharField(max_length=80)
    # ok: DJR202 (grouped into the brand note)
    colour = models.CharField(max_length=30)
    # ok: DJR202 (migration 0001 gives it a GIN trigram index)
    notes = models.CharField(max_length=500)
    on_sale = models.BooleanField(default=False)
    # ok: DJR202 (a choices column: `startswith` picks whole groups of values)
    channel = models.CharField(
        max_length=20,
        choices=[
            ("web:shop", "Shop"),
            ("web:app", "App"),
            ("web:partner", "Partner"),
            ("store:north", "North"),
            ("store:south", "South"),
            ("store:east", "East"),
            ("phone:sales", "Sales"),
            ("phone:support", "Support"),
        ],
    )


class Review(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE)
    # ok: DJR202 (searched only within one product: the ForeignKey index narrows first)
    body = models.CharField(max_length=2000)
