import ssl
import urllib.request

import httpx
import requests
from django.conf import settings


def push_invoice(invoice):
    # suite: positive
    return requests.post(settings.ERP_URL, json=invoice, verify=False, timeout=10)


def push_invoice_pinned(invoice):
    # suite: safe
    return requests.post(settings.ERP_URL, json=invoice, verify=settings.ERP_CA, timeout=10)


def legacy_feed():
    # suite: positive
    context = ssl._create_unverified_context()
    return urllib.request.urlopen(settings.FEED_URL, context=context).read()


def legacy_feed_verified():
    # suite: safe
    context = ssl.create_default_context(cafile=settings.FEED_CA)
    return urllib.request.urlopen(settings.FEED_URL, context=context).read()


def lax_context():
    context = ssl.create_default_context()
    # suite: positive
    context.check_hostname = False
    # suite: positive
    context.verify_mode = ssl.CERT_NONE
    return context


class Erp:
    def __init__(self):
        # suite: positive
        self.client = httpx.Client(base_url=settings.ERP_URL, verify=False)
        # suite: safe
        self.strict = httpx.Client(base_url=settings.ERP_URL)

    def orders(self):
        return self.client.get("/orders").json()


def is_lax(context):
    # suite: safe
    return context.verify_mode == ssl.CERT_NONE


def install_unverified_default():
    # suite: positive
    ssl._create_default_https_context = ssl._create_unverified_context


async def fetch_rates(session):
    import aiohttp

    # suite: positive
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(ssl=False)) as lax:
        return await lax.get(settings.RATES_URL)


def pooled():
    import urllib3

    # suite: positive
    return urllib3.PoolManager(cert_reqs="CERT_NONE")


def pooled_verified():
    import urllib3

    # suite: safe
    return urllib3.PoolManager(cert_reqs="CERT_REQUIRED", ca_certs=settings.CA_BUNDLE)


def session_for(name):
    session = requests.Session()
    # suite: safe
    session.verify = settings.CA_BUNDLES[name]
    return session
