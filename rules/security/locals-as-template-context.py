from django.shortcuts import render
from django.template import Context
from django.template.loader import render_to_string


def invoice(request, pk):
    api_token = "x"
    # ruleid: DJR606
    page = render(request, "invoice.html", locals())
    # ruleid: DJR606
    text = render_to_string("invoice.txt", context=locals())
    # ruleid: DJR606
    ctx = Context(globals())
    # ok: DJR606
    ok_page = render(request, "invoice.html", {"pk": pk})
    # ok: DJR606
    names = sorted(locals())
    # ok: DJR606
    ok_text = render_to_string("invoice.txt", {"token_set": bool(api_token)})
    return page, text, ctx, ok_page, names, ok_text
