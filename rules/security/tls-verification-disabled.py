import ssl
import urllib.request

import requests as http
from django.conf import settings
from mylib import get


def charge(order):
    # ruleid: DJR323
    http.post(settings.PAYMENT_URL, json=order, verify=False)
    # ok: DJR323
    http.post(settings.PAYMENT_URL, json=order, verify=settings.PAYMENT_CA_BUNDLE)
    # ruleid: DJR323
    context = ssl._create_unverified_context()
    # ok: DJR323
    safe_context = ssl.create_default_context()
    # ruleid: DJR323
    safe_context.verify_mode = ssl.CERT_NONE
    # ok: DJR323
    strict = safe_context.verify_mode == ssl.CERT_NONE
    # ruleid: DJR323
    safe_context.check_hostname = False
    # ok: DJR323
    safe_context.check_hostname = True
    # ok: DJR323
    get(settings.PAYMENT_URL, verify=False)
    return urllib.request.urlopen(settings.PAYMENT_URL, context=context), strict


def fetch(url):
    from httpx import Client as HttpClient

    # ruleid: DJR323
    with HttpClient(verify=False) as client:
        return client.get(url)


class Gateway:
    def __init__(self):
        self.session = http.Session()
        # ruleid: DJR323
        self.session.verify = False

    def status(self):
        # ruleid: DJR323
        return self.session.get(settings.STATUS_URL, timeout=5, verify=False)

    def ping(self):
        # ok: DJR323
        return self.session.get(settings.STATUS_URL, timeout=5, verify=True)

    def quiet(self):
        # ok: DJR323
        self.session.verify = settings.CA_BUNDLE
