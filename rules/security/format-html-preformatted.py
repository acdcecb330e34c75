from django.utils import html
from django.utils.html import format_html

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
    return a, b, c, d, e, f, g, h, i
