import csv

from django.http import HttpResponse

from .models import Report


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


def narrowed(queryset, params):
    return queryset.filter(name=params.get("name", "")).order_by("-total")


def export_rows(request):
    response = HttpResponse(content_type="text/csv")
    writer = csv.writer(response)
    for row in narrowed(Report.objects.all(), request.GET).values_list("name", "total"):
        # ok: DJR319 -- database rows: the request only chose which ones
        writer.writerow(row)
    # ruleid: DJR319
    writer.writerow(["Filtered by", request.GET.get("name", "")])
    return response
