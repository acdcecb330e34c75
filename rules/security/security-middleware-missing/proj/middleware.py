from django.middleware.csrf import CsrfViewMiddleware
from django.utils.deprecation import MiddlewareMixin


class ApiAwareCsrfMiddleware(CsrfViewMiddleware):
    """Skips the check for token-authenticated API calls, enforces it everywhere else."""


class AuditMiddleware(MiddlewareMixin):
    pass
