from django.db import models


class Comment(models.Model):
    body = models.TextField()
    author_name = models.CharField(max_length=80)
