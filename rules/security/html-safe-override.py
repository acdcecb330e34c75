from django.utils import safestring
from django.utils.html import format_html, html_safe
from django.utils.html import html_safe as trusted
from django.utils.safestring import SafeString
from mylib.markup import SafeData

from .wrappers import SafeStringWrapper


# ruleid: DJR313
@html_safe
class Badge:
    def __str__(self):
        return f"<b>{self.name}</b>"


class Link:
    # ruleid: DJR313
    def __html__(self):
        return format_html("<a href='{}'>{}</a>", self.url, self.text)

    # ok: DJR313
    def __str__(self):
        return self.text


# ok: DJR313
class Plain:
    def html(self):
        return "<p></p>"


# ok: DJR313
def __html__():
    return ""


# ruleid: DJR313
class Trusted(SafeString):
    pass


# ruleid: DJR313
class Legacy(safestring.SafeText):
    pass


# ok: DJR313
class Unsafe(str):
    pass


# ok: DJR313
class Wrapper(SafeStringWrapper):
    pass


# ruleid: DJR313
@trusted
class Chip:
    def __str__(self):
        return f"<span>{self.label}</span>"


# ok: DJR313
class Foreign(SafeData):
    pass
