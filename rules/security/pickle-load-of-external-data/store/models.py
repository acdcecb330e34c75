from django.db import models


class ServerConfig(models.Model):
    key = models.CharField(max_length=64)
    value = models.BinaryField()
