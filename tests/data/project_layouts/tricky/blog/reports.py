from django.contrib.auth import get_user_model
from shop import models as shop_models
from shop.models import Item as ShopItem

from .models import Item

User = get_user_model()


def count_items():
    return ShopItem.objects.count() + Item.objects.count() + shop_models.Order.objects.count()
