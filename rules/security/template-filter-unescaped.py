from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter(needs_autoescape=True)
# ruleid: DJR322
def initial_letter(text, autoescape=True):
    return mark_safe(f"<strong>{text[0]}</strong>{text[1:]}")


@register.filter(needs_autoescape=True)
# ok: DJR322
def initial_letter_escaped(text, autoescape=True):
    esc = conditional_escape if autoescape else (lambda x: x)
    return mark_safe(f"<strong>{esc(text[0])}</strong>{esc(text[1:])}")


@register.filter(needs_autoescape=True)
# ok: DJR322
def import_history(entries, autoescape=True):
    html = ""
    for entry in entries:
        html += "<b>" + entry.created.strftime("%b %d") + "</b>: " + str(len(entry.changes))
    return mark_safe(f"<span>{html}</span>")


@register.filter(needs_autoescape=True)
# ruleid: DJR322
def import_history_names(entries, autoescape=True):
    html = ""
    for entry in entries:
        html += "<b>" + entry.created.strftime("%b %d") + "</b>: " + entry.user.name
    return mark_safe(f"<span>{html}</span>")


@register.filter(is_safe=True)
def wrap(value):
    # ok: DJR322
    return mark_safe(f"<span>{value}</span>")


@register.filter(is_safe=True)
def wrap_with(value, label):
    # ruleid: DJR322
    return f"{value} <span>{label}</span>"


@register.filter(is_safe=True)
def wrap_with_escaped(value, label):
    # ok: DJR322
    return f"{value} <span>{conditional_escape(label)}</span>"


@register.filter(is_safe=True)
def wrap_escaped(value):
    # ok: DJR322
    return mark_safe(format_html("<span>{}</span>", value))


@register.filter(is_safe=True)
# ok: DJR322
def add_suffix(value):
    return f"{value}!"


@register.filter(is_safe=True)
def equals(value, arg):
    # ok: DJR322
    return value == arg


@register.filter(is_safe=True)
def pick(value, arg):
    # ok: DJR322
    return value[arg]


@register.filter(is_safe=True)
def equals_or_label(value, arg):
    # ruleid: DJR322
    return value == arg or f"<span>{arg[1:]}</span>"
