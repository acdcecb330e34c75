import os
import shlex
import subprocess
import subprocess as sp


def backup(database, directory, count: int):
    # ruleid: DJR331
    subprocess.check_call("pg_dump " + database, shell=True)
    # ok: DJR331
    subprocess.check_call("pg_dump " + shlex.quote(database), shell=True)
    # ruleid: DJR331
    sp.run("cd %s && make translations" % directory, shell=True)
    # ok: DJR331
    sp.run(["make", "translations"], cwd=directory)
    # ruleid: DJR331
    os.system(f"rotate {directory}/*.log")
    # ok: DJR331
    os.system(f"rotate --keep {int(count)}")
    # ok: DJR331
    os.system("make clean")


def convert(request):
    # ok: DJR331 -- request data reaching the shell is DJR305's
    os.system(f"convert {request.GET['file']} thumb.png")
