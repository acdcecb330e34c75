from rest_framework import generics, viewsets
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny, IsAuthenticatedOrReadOnly
from rest_framework.views import APIView


class ProductViewSet(viewsets.ModelViewSet):
    # ruleid: DJR602
    permission_classes = [AllowAny]


class ReviewCreate(generics.CreateAPIView):
    # ruleid: DJR602
    permission_classes = (AllowAny,)


@api_view(["GET", "POST"])
# ruleid: DJR602
@permission_classes([AllowAny])
def comments(request):
    pass


class ProductList(generics.ListAPIView):
    # ok: DJR602
    permission_classes = [AllowAny]


class CartViewSet(viewsets.ModelViewSet):
    # ok: DJR602
    permission_classes = [IsAuthenticatedOrReadOnly]


class RegisterView(APIView):
    # ok: DJR602
    permission_classes = [AllowAny]

    def post(self, request):
        pass


@api_view(["GET"])
# ok: DJR602
@permission_classes([AllowAny])
def catalogue(request):
    pass
