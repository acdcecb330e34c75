"""Security checks: injection, XSS, CSRF, redirects, files, settings, templates, auth."""
