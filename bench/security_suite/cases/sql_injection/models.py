from django.db import models


class Invoice(models.Model):
    note = models.TextField()
    status = models.CharField(max_length=20)
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    created = models.DateTimeField(auto_now_add=True)
