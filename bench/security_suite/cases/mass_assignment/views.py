from django.http import JsonResponse

from .forms import ProfileForm
from .models import Profile


def update_profile(request):
    profile = Profile.objects.get(user=request.user)
    for field, value in request.POST.items():
        # suite: positive
        setattr(profile, field, value)
    profile.save()
    return JsonResponse({"ok": True})


def create_profile(request):
    # suite: positive
    profile = Profile.objects.create(user=request.user, **request.POST.dict())
    return JsonResponse({"pk": profile.pk})


def create_profile_form(request):
    form = ProfileForm(request.POST)
    if form.is_valid():
        # suite: safe
        profile = Profile.objects.create(user=request.user, **form.cleaned_data)
        return JsonResponse({"pk": profile.pk})
    return JsonResponse(form.errors, status=400)


def update_bio(request):
    profile = Profile.objects.get(user=request.user)
    # suite: safe
    Profile.objects.filter(pk=profile.pk).update(**{"bio": request.POST["bio"]})
    return JsonResponse({"ok": True})
