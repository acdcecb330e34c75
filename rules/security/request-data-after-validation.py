from django import forms
from django.views import View

from .forms import OrderForm
from .models import Company, Contact, Issue, Link
from .serializers import IssueSerializer
from .tasks import notify


def update_order(request, order):
    form = OrderForm(request.POST)
    if form.is_valid():
        # ruleid: DJR607
        order.customer_id = request.POST["customer"]
        # ruleid: DJR607
        order.role = request.POST.get("role", "")
        # ok: DJR607
        order.quantity = request.POST["quantity"]
        # ok: DJR607
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


def create_issue(request, project):
    serializer = IssueSerializer(data=request.data)
    if serializer.is_valid():
        # ok: DJR607
        if request.data.get("external_id") and Issue.objects.filter(
            # ok: DJR607
            external_id=request.data.get("external_id"),
        ).exists():
            return None
        issue = serializer.save()
        # ruleid: DJR607
        issue.created_by_id = request.data.get("created_by", request.user.id)
        Link.objects.create(
            # ruleid: DJR607
            issue=issue, cycle_id=request.data.get("cycle_id"),
        )
        # ok: DJR607
        notify.delay(request.data.get("description_html"))
    return None


class MergeDuplicate(View):
    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.field = kwargs["field"]
        self.form_class = self.get_form_class()

    def get_form_class(self):
        class SelectOriginalForm(forms.ModelForm):
            class Meta:
                model = Contact
                fields = [self.field]

        return SelectOriginalForm

    def post(self, request, *args, **kwargs):
        form = self.form_class(request.POST)
        if form.is_valid():
            # ok: DJR607
            self.original_id = request.POST.get(self.field)
            # ruleid: DJR607
            self.owner_id = request.POST.get("owner")
        return None


class ReassignForm(forms.Form):
    company = forms.ModelChoiceField(queryset=Company.objects.all())
    contact = forms.ModelChoiceField(queryset=Contact.objects.all())

    def clean_contact(self):
        return self.cleaned_data["contact"] or self.cleaned_data["company"].contacts.first()


def reassign(request, deal):
    form = ReassignForm(request.POST)
    if form.is_valid():
        # ok: DJR607
        deal.company_id = request.POST["company"]
        # ruleid: DJR607
        deal.contact_id = request.POST["contact"]
        deal.save()
