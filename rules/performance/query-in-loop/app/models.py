from django.db import models


class Post(models.Model):
    title = models.CharField(max_length=100)


class Comment(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments")
    is_approved = models.BooleanField(default=False)
