from django.db import models


class Post(models.Model):
    title = models.CharField(max_length=100)
    word_count = models.IntegerField(default=0)
    body = models.TextField()
