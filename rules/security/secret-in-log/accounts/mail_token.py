"""Runs as a script, but the views import it: what it prints lands in the server's log."""

import sys

import requests


def refresh(code):
    response = requests.post("https://oauth2.example/token", data={"code": code}).json()
    # ruleid: DJR608
    print("Refresh Token: %s" % response["refresh_token"])
    return response


if __name__ == "__main__":
    refresh(sys.argv[1])
