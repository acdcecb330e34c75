from django.db import models


class Bid(models.Model):
    lot_id = models.IntegerField()
    amount = models.FloatField()

    @classmethod
    def minimum_for(cls, lot_id):
        return 1.0
