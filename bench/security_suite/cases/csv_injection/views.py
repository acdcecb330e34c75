import csv

from django.http import HttpResponse

from .models import Feedback


def export_feedback(request):
    response = HttpResponse(content_type="text/csv")
    writer = csv.writer(response)
    # suite: positive
    writer.writerow(["Search", request.GET["q"]])
    # suite: safe
    writer.writerow(["Year", int(request.GET["year"])])
    # suite: safe
    writer.writerow(["Exported by", "admin"])
    return response


def export_rows(request):
    response = HttpResponse(content_type="text/csv")
    out = csv.DictWriter(response, fieldnames=["name", "note"])
    for item in Feedback.objects.all():
        # suite: positive
        out.writerow({"name": "row", "note": item.text})
    return response
