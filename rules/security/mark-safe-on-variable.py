from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils import safestring


def badge(user, request):
    # ruleid: DJR301
    a = mark_safe(f"<b>{user.first_name}</b>")
    # ruleid: DJR301
    b = mark_safe(request.GET["html"])
    # ruleid: DJR301
    c = safestring.mark_safe("<i>" + user.bio + "</i>")
    # ruleid: DJR301
    d = SafeString(user.signature)
    # ok: DJR301
    e = mark_safe("<br>")
    # ok: DJR301
    f = format_html("<b>{}</b>", user.first_name)
    # ok: DJR301
    g = mark_safe(format_html("<b>{}</b>", user.first_name))
    # ok: DJR301
    h = mark_safe(escape(user.bio))
    # ok: DJR301
    i = mark_safe("<hr>" "<br>")
    return a, b, c, d, e, f, g, h, i
