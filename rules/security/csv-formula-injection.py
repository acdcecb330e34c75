import csv

from django.http import HttpResponse


def sanitise_cell(value):
    if value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def export(request):
    response = HttpResponse(content_type="text/csv")
    writer = csv.writer(response)
    name = request.GET.get("name", "")
    # ruleid: DJR319
    writer.writerow(["Report for", name])
    # ruleid: DJR319
    writer.writerows([[request.GET["comment"]]])
    # ok: DJR319
    writer.writerow(["Report for", int(request.GET["year"])])
    # ok: DJR319
    writer.writerow(["Generated", "today"])
    # ok: DJR319
    writer.writerow(["Report for", sanitise_cell(name)])
    return response
