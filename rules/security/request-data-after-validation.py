from .forms import OrderForm


def update_order(request, order):
    form = OrderForm(request.POST)
    if form.is_valid():
        # ruleid: DJR607
        order.quantity = request.POST["quantity"]
        # ruleid: DJR607
        order.note = request.POST.get("note", "")
        # ok: DJR607
        order.address = form.cleaned_data["address"]
        # ok: DJR607
        other = OrderForm(request.POST)
        order.save()
    # ok: DJR607
    step = request.POST.get("step")
    if not form.is_valid():
        # ok: DJR607
        return request.POST.get("quantity")
    return step, other


def login(request):
    form = OrderForm(data=request.POST)
    if form.is_valid():
        # ok: DJR607
        return request.GET.get("next")
