from django.http import HttpResponse
from django.template import Context, Template, engines
from django.template.loader import render_to_string


def greeting(request):
    headline = request.GET.get("headline", "Welcome")
    # suite: positive
    page = Template("<h1>" + headline + "</h1>").render(Context({}))
    # suite: safe
    fixed = Template("<h1>{{ headline }}</h1>").render(Context({"headline": headline}))
    return HttpResponse(page + fixed)


def preview_email(request):
    # suite: positive
    body = engines["django"].from_string(request.POST["template"]).render({})
    # suite: safe
    stored = render_to_string("emails/preview.html", {"body": request.POST["template"]})
    return HttpResponse(body + stored)


def banner(request):
    from django.template import Template as Tpl

    text = request.GET.get("banner", "")
    # suite: positive
    return HttpResponse(Tpl(f"<div>{text}</div>").render(Context({})))
