import os
import subprocess
import subprocess as sp

from django.http import HttpResponse


def ping(request):
    host = request.GET["host"]
    # suite: positive
    output = subprocess.check_output(f"ping -c 1 {host}", shell=True)
    # suite: safe
    listed = subprocess.check_output(["ping", "-c", "1", host])
    return HttpResponse(output + listed, content_type="text/plain")


def convert(request):
    name = request.POST["name"]
    # suite: positive
    os.system("convert uploads/" + name + " out.png")
    # suite: safe
    os.system("convert uploads/latest.png out.png")
    return HttpResponse("ok", content_type="text/plain")


def lookup(request):
    domain = request.GET.get("domain", "")
    # suite: positive
    result = sp.run("whois " + domain, shell=True, capture_output=True)
    # suite: safe
    clean = sp.run(["whois", domain], capture_output=True)
    return HttpResponse(result.stdout + clean.stdout, content_type="text/plain")


def archive(request):
    cmd = "tar czf /tmp/export.tgz " + request.GET["folder"]
    # suite: positive
    os.popen(cmd)
    # suite: safe
    subprocess.run(["tar", "czf", "/tmp/export.tgz", "media"], check=True)
    return HttpResponse("ok", content_type="text/plain")
