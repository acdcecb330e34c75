from django.conf import settings
from hashids import Hashids

# suite: positive
public_ids = Hashids(salt=settings.SECRET_KEY, min_length=10)
# suite: safe
order_ids = Hashids(salt=settings.ORDER_ID_SALT, min_length=10)
# suite: positive
invoice_ids = Hashids(settings.SECRET_KEY[:16])
