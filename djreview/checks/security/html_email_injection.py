"""DJR318: request data in the HTML body of an e-mail."""

from __future__ import annotations

from djreview.checks.security._taint import TaintCheck


class HtmlEmailInjection(TaintCheck):
    """Request data is written unescaped into the HTML body of an e-mail.

    ## What it does
    Flags request data reaching `send_mail(html_message=...)`,
    `mail_admins` / `mail_managers(html_message=...)` or
    `EmailMultiAlternatives.attach_alternative(..., "text/html")` without
    `escape()` / `format_html()`; render the body from a template instead.

    ## Why is this bad?
    Mail clients render the HTML: a contact-form visitor can put links, fake
    login forms or tracking images into a message your domain sends (HTML
    injection, phishing from a trusted sender).

    ## Example
    ```python
    send_mail("Contact", text, FROM, [ADMIN], html_message=f"<p>{request.POST['message']}</p>")
    ```

    ## Use instead
    ```python
    html = render_to_string("contact_email.html", {"message": request.POST["message"]})
    send_mail("Contact", text, FROM, [ADMIN], html_message=html)
    ```

    ## References
    - https://docs.djangoproject.com/en/stable/topics/email/#send-mail
    - https://cwe.mitre.org/data/definitions/80.html
    """

    id = "DJR318"
    name = "html-email-injection"
    message = "Request data from {source} goes unescaped into the HTML e-mail body of {sink}"
    cwe = (80,)
    security_severity = 5.4
    tags = ("xss",)
    kinds = frozenset({"email_html"})
