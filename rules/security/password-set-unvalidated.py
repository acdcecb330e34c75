from django.contrib.auth.password_validation import validate_password

from .models import User


def change_password(request):
    # ruleid: DJR610
    request.user.set_password(request.POST["password"])
    password = request.POST["new_password"]
    validate_password(password, request.user)
    # ok: DJR610
    request.user.set_password(password)


def invite(email):
    # ruleid: DJR610
    user = User.objects.create_user(email, email, password="")
    # ruleid: DJR610
    user.set_password("")
    # ok: DJR610
    user.set_unusable_password()
    # ok: DJR610
    other = User.objects.create_user(email, email)
    return user, other


def reset(request, form):
    if form.is_valid():
        # ok: DJR610
        form.user.set_password(form.cleaned_data["new_password1"])
