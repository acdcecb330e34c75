import hashlib
import hashlib as hl
import os
import time
from hashlib import md5
from random import randrange

from django.conf import settings
from mylib import sha1


def reset_token(user):
    # ruleid: DJR324
    return md5(f"{user.pk}{user.password}".encode()).hexdigest()


def reset_token_fixed(user):
    # ok: DJR324
    return hashlib.sha256(f"{user.pk}{user.password}".encode()).hexdigest()


def sign(payload):
    # ruleid: DJR324
    signature = hl.new("sha1", payload + settings.SECRET_KEY.encode()).hexdigest()
    # ok: DJR324
    legacy = hl.md5(payload, usedforsecurity=False).hexdigest()
    return signature, legacy


def api_key_digest(raw):
    # ruleid: DJR324
    h = hashlib.md5()
    h.update(raw.api_secret.encode())
    # ruleid: DJR324
    digest = hashlib.sha1(raw.token.encode()).hexdigest()
    return h.hexdigest(), digest


def series_signature(properties):
    # ok: DJR324
    signature_hash = hashlib.sha1(repr(sorted(properties)).encode()).hexdigest()
    return signature_hash


def avatar_url(user):
    # ok: DJR324
    email_hash = hashlib.md5(user.email.lower().encode()).hexdigest()
    return f"https://www.gravatar.com/avatar/{email_hash}"


def fragment_cache_key(name, token):
    # ok: DJR324
    return hashlib.md5(f"{name}:{token}".encode()).hexdigest()


def etag(request, page):
    # ok: DJR324
    return hashlib.md5(page.body.encode()).hexdigest()


def verify(password):
    # ok: DJR324
    return sha1(password)


def otp_seed(device):
    from Crypto.Hash import MD5

    # ruleid: DJR324
    return MD5.new(device.otp_secret.encode()).hexdigest()


def asset_version(path):
    from Crypto.Hash import SHA1

    # ok: DJR324
    return SHA1.new(path.read_bytes()).hexdigest()


def anonymous_id():
    # ok: DJR324
    digest = hashlib.md5()
    digest.update(f"{randrange(0, 2**63)}{os.getpid()}{time.time()}{settings.SECRET_KEY}".encode())
    return digest.hexdigest()


def anonymous_id_checked(presented):
    # ruleid: DJR324
    digest = hashlib.md5()
    digest.update(f"{randrange(0, 2**63)}{time.time()}{settings.SECRET_KEY}".encode())
    return digest.hexdigest() == presented
