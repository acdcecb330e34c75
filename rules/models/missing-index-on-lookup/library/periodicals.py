"""Periodicals: bound volumes of a series and the copies readers borrow."""

from library.models import Volume, VolumeCopy


def worn_volumes(request, series):
    return list(Volume.objects.filter(series=series, volume_copies__condition="worn"))


def held_volumes(request, mark):
    return list(Volume.objects.filter(shelf_mark=mark, volume_copies__holder=request.user))


def bind(request):
    volume = Volume.objects.create(series=request.series, shelf_mark=request.mark)
    VolumeCopy.objects.create(volume=volume, condition="good", holder=request.user)
