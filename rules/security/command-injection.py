import os
import shlex
import subprocess
import subprocess as sp
from os import system


def convert(request):
    name = request.GET["file"]
    # ruleid: DJR305
    os.system(f"convert {name} thumb.png")
    # ruleid: DJR305
    subprocess.run([request.GET["tool"], name], check=True)
    # ruleid: DJR305
    subprocess.run(f"convert {name} thumb.png", shell=True, check=True)
    # ok: DJR305
    subprocess.run(["convert", name, "thumb.png"], check=True)
    # ok: DJR305
    subprocess.run(["convert", "in.png", "thumb.png"], check=True)
    # ok: DJR305
    os.system("convert " + shlex.quote(name) + " thumb.png")


def backup(database):
    # ok: DJR305
    subprocess.run("pg_dump " + shlex.quote(database), shell=True)
    # ok: DJR305 -- no request data reaches it: DJR331's (audit)
    subprocess.check_call("pg_dump " + database, shell=True)
    # ok: DJR305
    subprocess.check_call(["pg_dump", database])
    # ok: DJR305
    os.system("make clean")


def convert_aliased(request):
    name = request.GET["file"]
    # ruleid: DJR305
    sp.run(f"convert {name} thumb.png", shell=True)
    # ok: DJR305
    sp.run(["convert", name, "thumb.png"])
    # ruleid: DJR305
    system("convert " + name)
    # ok: DJR305
    system("convert " + shlex.quote(name))
