from django.http import HttpResponse
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.safestring import mark_safe as trusted

from .models import Comment


def greet(request):
    name = request.GET.get("name", "")
    # suite: positive
    return HttpResponse(f"<h1>Hello {name}</h1>")


def greet_escaped(request):
    name = request.GET.get("name", "")
    # suite: safe
    return HttpResponse(f"<h1>Hello {escape(name)}</h1>")


def greet_plain(request):
    # suite: safe
    return HttpResponse(request.GET.get("name", ""), content_type="text/plain")


def comment_html(comment):
    # suite: positive
    return mark_safe(f"<p class='comment'>{comment.body}</p>")


def comment_html_fixed(comment):
    # suite: safe
    return format_html("<p class='comment'>{}</p>", comment.body)


def author_badge(comment):
    # suite: positive
    return trusted("<b>" + comment.author_name + "</b>")


def static_badge():
    # suite: safe
    return mark_safe("<b>staff</b>")


def preview(request):
    body = request.POST["body"]
    html = "<div>" + body + "</div>"
    # suite: positive
    return HttpResponse(html)


def comment_list(request):
    items = Comment.objects.all()
    parts = [format_html("<li>{}</li>", c.body) for c in items]
    # suite: safe
    return HttpResponse(mark_safe("".join(parts)))


def notice(level, text):
    # suite: positive
    return format_html(f"<div class='{level}'>{text}</div>")


def notice_fixed(level, text):
    # suite: safe
    return format_html("<div class='{}'>{}</div>", level, text)


def send_receipt(request):
    from django.core.mail import EmailMessage

    message = EmailMessage("Receipt", f"<p>Thanks {request.POST['name']}</p>", to=["a@b.c"])
    message.content_subtype = "html"
    # suite: positive
    message.send()
    return HttpResponse("sent", content_type="text/plain")


def send_receipt_escaped(request):
    from django.core.mail import EmailMessage

    message = EmailMessage("Receipt", f"<p>Thanks {escape(request.POST['name'])}</p>", to=["a@b.c"])
    message.content_subtype = "html"
    # suite: safe
    message.send()
    return HttpResponse("sent", content_type="text/plain")
