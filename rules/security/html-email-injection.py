from django.core.mail import EmailMultiAlternatives, send_mail
from django.template.loader import render_to_string
from django.utils.html import escape


def contact(request):
    message = request.POST["message"]
    # ruleid: DJR318
    send_mail("Contact", message, "site@example.com", ["admin@example.com"], html_message=f"<p>{message}</p>")
    email = EmailMultiAlternatives("Contact", message, "site@example.com", ["admin@example.com"])
    # ruleid: DJR318
    email.attach_alternative("<p>" + message + "</p>", "text/html")
    # ok: DJR318
    send_mail("Contact", message, "site@example.com", ["admin@example.com"], html_message=f"<p>{escape(message)}</p>")
    # ok: DJR318
    email.attach_alternative(render_to_string("contact.html", {"message": message}), "text/html")
    # ok: DJR318
    send_mail("Contact", message, "site@example.com", ["admin@example.com"])
