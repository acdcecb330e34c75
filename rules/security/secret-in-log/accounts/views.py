import logging

logger = logging.getLogger(__name__)


def login(request, username, password, user):
    # ruleid: DJR608
    logger.info("login attempt %s / %s", username, password)
    # ruleid: DJR608
    logging.warning(f"token refresh for {user.pk}: {user.auth_token}")
    # ruleid: DJR608
    print("posted", request.POST.get("password"))
    # ok: DJR608
    logger.info("login attempt for %s", username)
    # ok: DJR608
    logger.info("password reset link sent to %s", user.email)
    # ok: DJR608
    logger.debug("token count %s", len(user.tokens))
    # ok: DJR608
    logger.info("reset url %s", user.password_reset_url)


def checkout_log(checkout):
    # ok: DJR608
    logger.info("Checkout %s completed", checkout.token)


def new_key():
    import secrets
    import string

    alphabet = string.ascii_letters + string.digits
    password = "".join(secrets.choice(alphabet) for _ in range(50))
    # ok: DJR608
    print(password)
    # ruleid: DJR608
    logger.info("generated %s", password)


def echo_key(password):
    # ruleid: DJR608
    print(password)


def connect_mail(request):
    from accounts.mail_token import refresh

    return refresh(request.GET["code"])
