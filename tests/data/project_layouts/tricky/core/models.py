from django.db import models


class TimeStamped(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    # A relative string target in an abstract base resolves in the child's app.
    owner = models.ForeignKey("accounts.Member", on_delete=models.CASCADE, related_name="%(app_label)s_%(class)s_owned")
    parent = models.ForeignKey("self", null=True, on_delete=models.CASCADE, related_name="+")

    class Meta:
        abstract = True
        ordering = ["-created_at"]


class Named:
    """A plain mixin: its methods are inherited, it adds no fields."""

    def display(self):
        return str(self)
