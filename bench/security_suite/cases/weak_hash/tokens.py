import hashlib
from hashlib import sha1

from django.conf import settings


def password_digest(password):
    # suite: positive
    return hashlib.md5(password.encode()).hexdigest()


def unsubscribe_token(user):
    # suite: positive
    return sha1(f"{user.pk}:{settings.SECRET_KEY}".encode()).hexdigest()


def api_key_fingerprint(api_key):
    # suite: positive
    digest = hashlib.new("md5", api_key.encode())
    return digest.hexdigest()


def template_cache_key(name, version):
    # suite: safe
    return hashlib.md5(f"{name}:{version}".encode()).hexdigest()


def gravatar(email):
    # suite: safe
    return "https://www.gravatar.com/avatar/" + hashlib.md5(email.lower().encode()).hexdigest()


def file_checksum(data):
    # suite: safe
    return hashlib.sha1(data).hexdigest()


def legacy_token(secret):
    # suite: safe
    return hashlib.md5(secret.encode(), usedforsecurity=False).hexdigest()


def strong_token(secret):
    # suite: safe
    return hashlib.sha256(secret.encode()).hexdigest()


def reset_code(user):
    # suite: positive
    digest = hashlib.sha1()
    digest.update(user.password.encode())
    return digest.hexdigest()[:8]


def etag_for(page):
    # suite: safe
    return hashlib.md5(page.render().encode()).hexdigest()
