from django.conf import settings


def remember(response, product, options):
    # ruleid: DJR317
    response.set_cookie("last_viewed", product.slug)
    # ruleid: DJR317
    response.set_cookie("theme", "dark", secure=True, httponly=True)
    # ruleid: DJR317
    response.set_signed_cookie("cart", "1", httponly=True, samesite="Lax")
    # ok: DJR317
    response.set_cookie("compare", product.slug, secure=True, httponly=True, samesite="Lax")
    # ok: DJR317
    response.set_cookie(
        "csrftoken_js", "x", secure=settings.SESSION_COOKIE_SECURE, httponly=False, samesite="Strict"
    )
    # ok: DJR317
    response.set_cookie("opts", "1", **options)
    # ok: DJR317
    response.delete_cookie("last_viewed")
    return response


def enketo_csrf(request, response):
    from django.middleware.csrf import get_token

    token = get_token(request)
    # ok: DJR317
    response.set_cookie("enketo_csrftoken", token, secure=settings.SESSION_COOKIE_SECURE)
    # ruleid: DJR317
    response.set_cookie("enketo_csrftoken_plain", token)
    # ruleid: DJR317
    response.set_cookie("enketo_user", request.user.username, secure=True)
    return response
