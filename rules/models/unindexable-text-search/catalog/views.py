from .models import Product, Review


def search(request, q):
    # flagged: DJR202, reported at the model field
    return Product.objects.filter(name__icontains=q)


def by_email(request, email):
    # flagged: DJR202, reported at the model field
    return Product.objects.filter(email__iexact=email)


def by_sku(request, sku):
    # ok: DJR202
    return Product.objects.filter(sku=sku)


def by_pk_text(request, pk):
    # ok: DJR202
    return Product.objects.filter(pk__in=[pk])


def on_sale(request):
    # ok: DJR202
    return Product.objects.filter(on_sale=True)


def web_products(request):
    return Product.objects.filter(channel__startswith="web:")


def reviews_of(request, product_id, q):
    return Review.objects.filter(product_id=product_id, body__icontains=q)


def by_notes(request, q):
    return Product.objects.filter(notes__icontains=q)
