from django.utils import html
from django.utils.html import format_html
from django.utils.html import format_html as fh
from mylib import format_html as format_markup

LINK = "<a href='{}'>{}</a>"


def link(url, name, css):
    # ruleid: DJR312
    a = format_html(f"<a href='{url}'>{name}</a>")
    # ruleid: DJR312
    b = format_html("<span class='%s'>{}</span>" % css, name)
    # ruleid: DJR312
    c = html.format_html("<b>{}</b>".format(name))
    # ruleid: DJR312
    d = format_html("<i>" + name + "</i>")
    # ok: DJR312
    e = format_html("<a href='{}'>{}</a>", url, name)
    # ok: DJR312
    f = format_html(LINK, url, name)
    # ok: DJR312
    g = format_html("<span class='{}'>" "{}</span>", css, name)
    # ok: DJR312
    h = format_html("<b>" "{}" "</b>", name)
    # ok: DJR312
    i = format_html("<p>{}</p>", f"{name}!")
    # ok: DJR312
    j = format_markup(f"<b>{name}</b>")
    # ruleid: DJR312
    k = fh(f"<b>{name}</b>")
    # ok: DJR312
    m = fh("<b>{}</b>", name)
    return a, b, c, d, e, f, g, h, i, j, k, m


class SavedMessage:
    def extra_message(self, **kwargs):
        return ""

    def loud_message(self, obj):
        return f"<b>{obj.name}</b>"

    def saved(self, obj, msg):
        # ok: DJR312
        a = format_html("{} <a href='{}'>{}</a>" + self.extra_message(), msg, obj.url, obj)
        # ruleid: DJR312
        b = format_html("{} <a href='{}'>{}</a>" + self.loud_message(obj), msg, obj.url, obj)
        return a, b
