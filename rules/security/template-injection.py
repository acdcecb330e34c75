from django.template import Context, Template, engines


def greet(request):
    name = request.GET["name"]
    # ruleid: DJR308
    page = Template("Hello " + name).render(Context())
    # ruleid: DJR308
    other = engines["django"].from_string(request.POST["body"])
    # ok: DJR308
    safe = Template("Hello {{ name }}").render(Context({"name": name}))
    # ok: DJR308
    fixed = engines["django"].from_string("<p>{{ body }}</p>")
    return page, other, safe, fixed
