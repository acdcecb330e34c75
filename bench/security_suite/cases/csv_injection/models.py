from django.db import models


class Feedback(models.Model):
    text = models.TextField()
