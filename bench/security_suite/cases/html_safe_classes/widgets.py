from django.utils.html import format_html, html_safe
from django.utils.safestring import SafeString


# suite: positive
@html_safe
class UserChip:
    def __init__(self, user):
        self.user = user

    def __str__(self):
        return f"<span class='chip'>{self.user.username}</span>"


class Chip:
    def __init__(self, user):
        self.user = user

    # suite: positive
    def __html__(self):
        return f"<span class='chip'>{self.user.username}</span>"

    # suite: safe
    def render(self):
        return format_html("<span class='chip'>{}</span>", self.user.username)


# suite: positive
class Markup(SafeString):
    pass


# suite: safe
class Label(str):
    pass
