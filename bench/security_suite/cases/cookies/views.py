from django.http import HttpResponse


def remember_choice(request):
    response = HttpResponse("ok", content_type="text/plain")
    # suite: positive
    response.set_cookie("plan", request.GET.get("plan", "free"))
    # suite: safe
    response.set_cookie("plan_v2", "free", secure=True, httponly=True, samesite="Lax")
    # suite: positive
    response.set_signed_cookie("seen_tour", "1", secure=True)
    return response


def legacy_cookie(request):
    response = HttpResponse("ok", content_type="text/plain")
    # suite: positive
    response.cookies["legacy_session"] = request.session.session_key
    return response
