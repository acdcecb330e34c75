from rest_framework import permissions, viewsets

from library.models import Branch, Request


class BranchViewSet(viewsets.ModelViewSet):
    queryset = Branch.objects.all()
    permission_classes = (permissions.IsAdminUser,)


class RequestViewSet(viewsets.ModelViewSet):
    queryset = Request.objects.all()
    permission_classes = (permissions.IsAuthenticated,)


def branch(request, code):
    return Branch.objects.get(code=code)


def request_by_code(request, code):
    return Request.objects.get(code=code)
