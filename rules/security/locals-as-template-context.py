from django.conf import settings
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


def jump_links(request, template_id):
    # The locals are the request, a number and text made for the template.
    count = int(request.GET.get("count", 0))
    links = "\n".join(f"#{n}" for n in range(count))
    # ok: DJR606
    return render_to_string("jumplinks.txt", context=locals())


def sign_up(request):
    count = int(request.GET.get("count", 0))
    values = {"secret": settings.RECAPTCHA_SECRET_KEY, "response": request.POST.get("r")}
    # ruleid: DJR606
    return render(request, "create_account.html", locals())


def change_password(request):
    new = request.POST["new_password"]
    # ruleid: DJR606
    return render(request, "changed.html", locals())


def home(request):
    from django.conf import settings as conf

    # ruleid: DJR606
    return render(request, "index.html", locals())


def counted(request, token_count):
    # ok: DJR606
    return render(request, "counted.html", locals())


def confirm(request):
    password_reset_url = "/reset/"
    valid = request.user.check_password(request.POST.get("current", ""))
    # ok: DJR606
    return render(request, "confirm.html", vars())
