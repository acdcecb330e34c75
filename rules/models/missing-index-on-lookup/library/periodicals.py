"""Periodicals: bound volumes of a series and the copies readers borrow."""

from library.models import SlipRenewal, Volume, VolumeCopy


def worn_volumes(request, series):
    return list(Volume.objects.filter(series=series, volume_copies__condition="worn"))


def held_volumes(request, mark):
    return list(Volume.objects.filter(shelf_mark=mark, volume_copies__holder=request.user))


def bind(request):
    volume = Volume.objects.create(series=request.series, shelf_mark=request.mark)
    VolumeCopy.objects.create(volume=volume, condition="good", holder=request.user)


def renewals(request, number, slip, card):
    renewals = SlipRenewal.objects.all()
    if number:
        renewals = renewals.filter(number=number)
    elif slip:
        renewals = renewals.filter(slip=slip)
    else:
        renewals = renewals.filter(card=card, number=request.number)
    return list(renewals)


def renew(request):
    SlipRenewal.objects.create(card=request.card, slip=request.slip, number=request.number)
