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


def storage():
    import boto3
    from elasticsearch import Elasticsearch

    # ruleid: DJR323
    s3 = boto3.client("s3", endpoint_url=settings.S3_URL, verify=False)
    # ok: DJR323
    s3_pinned = boto3.client("s3", endpoint_url=settings.S3_URL, verify=settings.S3_CA)
    # ruleid: DJR323
    search = Elasticsearch(settings.ES_URL, verify_certs=False)
    # ok: DJR323
    search_verified = Elasticsearch(settings.ES_URL, ca_certs=settings.ES_CA)
    return s3, s3_pinned, search, search_verified


import ldap

# ruleid: DJR323
AUTH_LDAP_GLOBAL_OPTIONS = {ldap.OPT_X_TLS_REQUIRE_CERT: ldap.OPT_X_TLS_NEVER}
# ok: DJR323
AUTH_LDAP_CONNECTION_OPTIONS = {ldap.OPT_X_TLS_REQUIRE_CERT: ldap.OPT_X_TLS_DEMAND}


def _send_pinned(url, address):
    import urllib3

    # ok: DJR323
    pool = urllib3.HTTPSConnectionPool(host=address, cert_reqs="CERT_NONE", server_hostname=url)
    return pool.urlopen("POST", "/")


def _send_unpinned(url, address):
    import urllib3

    # ruleid: DJR323
    pool = urllib3.HTTPSConnectionPool(host=address, cert_reqs="CERT_NONE", server_hostname=url)
    return pool.urlopen("POST", "/")


def deliver(hook, address):
    pinned = hook.url.startswith("https") and not hook.ssl_verification
    if pinned:
        return _send_pinned(hook.url, address)
    if not hook.is_active:
        return _send_unpinned(hook.url, address)
    with http.Session() as session:
        session.verify = hook.ssl_verification
        return session.post(hook.url)


def probe(hook):
    context = ssl.create_default_context()
    if not hook.ssl_verification:
        # ok: DJR323
        context.verify_mode = ssl.CERT_NONE
    if not hook.is_active:
        # ruleid: DJR323
        context.verify_mode = ssl.CERT_NONE
    return context


def remote_context(remote):
    context = ssl.create_default_context()
    if not remote.tls_validation:
        # ok: DJR323
        context.verify_mode = ssl.CERT_NONE
    if not remote.cache_enabled:
        # ruleid: DJR323
        context.check_hostname = False
    return context


import os

if os.environ.get("APP_LDAP_DISABLE_CERT_CHECK"):
    # ok: DJR323
    AUTH_LDAP_GLOBAL_OPTIONS = {ldap.OPT_X_TLS_REQUIRE_CERT: ldap.OPT_X_TLS_NEVER}
if os.environ.get("APP_LDAP_DEBUG"):
    # ruleid: DJR323
    AUTH_LDAP_GLOBAL_OPTIONS = {ldap.OPT_X_TLS_REQUIRE_CERT: ldap.OPT_X_TLS_NEVER}
