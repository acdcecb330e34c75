import re

from django import template
from django.utils import safestring
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

ICON = "<i class='icon'></i>"


def badge(user, request, items):
    # ruleid: DJR301
    a = mark_safe(f"<b>{user.first_name}</b>")
    # ok: DJR301 -- request data reaching mark_safe is DJR311's (on by default)
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
    # ok: DJR301
    j = mark_safe(f"{ICON} {escape(user.first_name)}")
    # ok: DJR301
    k = mark_safe(_("Read the <a href='/terms/'>terms</a>"))
    return a, b, c, d, e, f, g, h, i, j, k


def listing(items):
    rows = []
    for item in items:
        rows.append(format_html("<li>{}</li>", item.name))
    # ok: DJR301
    html = mark_safe("".join(rows))
    label = escape(items[0].name)
    # ok: DJR301
    title = mark_safe("<h2>" + label + "</h2>")
    raw = items[0].description
    # ruleid: DJR301
    body = mark_safe(raw)
    return html, title, body


def render_message(value, instance):
    value = escape(value)
    # ok: DJR301
    message = mark_safe(f"<pre>{value}</pre>")
    url = instance.get_absolute_url()
    # ok: DJR301
    link = mark_safe(f'<a href="{url}">{escape(instance)}</a>')
    return message, link


def render_raw(value):
    # ruleid: DJR301
    return mark_safe(f"<pre>{value}</pre>")


def mangle_link(text):
    # ok: DJR301
    return mark_safe(escape(text).replace(".", "<span>.</span>"))


def render_markdown(value, markdown, clean_html):
    html = markdown(value)
    if html:
        html = f'<div class="rendered-markdown">{html}</div>'
    html = clean_html(html)
    # ok: DJR301
    return mark_safe(html)


def render_unclean(value, markdown):
    html = markdown(value)
    # ruleid: DJR301
    return mark_safe(html)


def aliased(user):
    from django.utils.safestring import mark_safe as ms

    # ruleid: DJR301
    return ms(user.bio)


def reexported(user):
    from django.utils.html import mark_safe as html_safe

    # ruleid: DJR301
    return html_safe(user.bio)


def look_alike(user):
    from pdfkit.markup import mark_safe as pdf_safe

    # ok: DJR301
    return pdf_safe(user.bio)


def nested(user):
    def inner():
        # ruleid: DJR301
        return mark_safe(user.bio)

    return inner


def redefined(user):
    def SafeText(text):  # a local helper named like Django's class
        return text

    # ok: DJR301
    return SafeText(user.bio)


def _device_link(device):
    return format_html('<a href="/devices/{}/">{}</a>', device.pk, device.name)


def _device_label(device):
    if device.active:
        return format_html("<b>{}</b>", device.name)
    return f"<i>{device.name}</i>"


def device_cell(device):
    # ok: DJR301
    return mark_safe(_device_link(device) + "<br>")


def device_label_cell(device):
    # ruleid: DJR301
    return mark_safe(_device_label(device))


class DeviceAdmin:
    def _row(self, device):
        return "<li>" + escape(device.name) + "</li>"

    def _raw_row(self, device):
        return "<li>" + device.name + "</li>"

    def devices(self, devices):
        # ok: DJR301
        return mark_safe("<ul>" + "".join(self._row(d) for d in devices) + "</ul>")

    def raw_devices(self, devices):
        # ruleid: DJR301
        return mark_safe("<ul>" + "".join(self._raw_row(d) for d in devices) + "</ul>")


def archived(count: int, url):
    message = "User archived." if count == 1 else "Users archived."
    message += f" {count} in the trash."
    # ok: DJR301
    return mark_safe(message)


def archived_named(count: str):
    message = f" {count} in the trash."
    # ruleid: DJR301
    return mark_safe(message)


def highlight(text, query):
    if isinstance(text, SafeString):
        escaped = str(text)
    else:
        escaped = escape(text)
    # ok: DJR301
    return mark_safe(re.sub(f"({re.escape(query)})", r"<mark>\1</mark>", escaped))


def highlight_raw(text, query):
    if isinstance(text, SafeString):
        escaped = str(text)
    else:
        escaped = text
    # ruleid: DJR301
    return mark_safe(re.sub(f"({re.escape(query)})", r"<mark>\1</mark>", escaped))


def terms_label(user):
    from django.conf import settings
    from django.utils.translation import gettext_lazy as t

    link = f'<a href="{settings.TERMS_URL}">{t("Terms of Service")}</a>'
    # ok: DJR301
    notice = mark_safe(t("I agree with the ##terms##").replace("##terms##", link))
    mine = f'<a href="{user.website}">{t("Terms of Service")}</a>'
    # ruleid: DJR301
    own = mark_safe(t("I agree with the ##terms##").replace("##terms##", mine))
    return notice, own


class DeviceActions:
    _messages = {"done": _("Done for %(devices)s."), "failed": _("Failed for %(devices)s.")}

    def _link(self, device):
        return format_html('<a href="/d/{}/">{}</a>', device.pk, device.name)

    def _report(self, devices, outcome):
        listed = ", ".join(devices)
        # ok: DJR301
        return mark_safe(self._messages[outcome] % {"devices": listed})

    def _report_raw(self, devices, outcome):
        listed = ", ".join(devices)
        # ruleid: DJR301
        return mark_safe(self._messages[outcome] % {"devices": listed})

    def run(self, queryset):
        done = [self._link(device) for device in queryset]
        names = [device.name for device in queryset]
        return self._report(done, "done"), self._report_raw(names, "failed")


def error_list(errors, limit):
    lines = [escape(error) for error in errors]
    lines = lines[:limit]
    html = "<br>".join(lines)
    if extra := format_html("<i>{}</i>", len(errors)):
        html += extra
    # ok: DJR301
    return mark_safe(html)


def error_list_raw(errors, limit):
    lines = [escape(error) for error in errors]
    lines = lines[:limit] + [errors[-1]]
    # ruleid: DJR301
    return mark_safe("<br>".join(lines))


def status_line(entry):
    # ok: DJR301
    return mark_safe("<b>" + entry.created.strftime("%b %d") + "</b>: " + str(len(entry.changes)))


def status_line_label(entry):
    # ruleid: DJR301
    return mark_safe("<b>" + entry.get_action_display() + "</b>")  # entry's model unknown


def status_line_raw(entry):
    # ruleid: DJR301
    return mark_safe("<b>" + entry.created.strftime("%b %d") + "</b>: " + entry.get_action())


register = template.Library()


@register.filter(is_safe=True)
def as_markdown(value):
    # ruleid: DJR301
    return mark_safe(markdown_to_html(value))


@register.filter(needs_autoescape=True)
def as_markdown_escaping(value, autoescape=True):
    # ok: DJR301
    return mark_safe(markdown_to_html(value))
