"""The banks' loan products."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kechuang.errors import DomainError
from kechuang.permissions.pledge import BANK, access_product_by_id, can_manage_product, party_of
from kechuang.pledge import forms, services
from kechuang.pledge.models import CooperationModel, LoanProduct, PatentType
from kechuang.pledge.views.common import product_rows, reader_language, render_page, require_party
from kechuang.registry.models import Region


@login_required
def product_list(request):
    party = party_of(request.user)
    if party is None:
        raise PermissionDenied("pledge")
    products = product_rows(LoanProduct.objects.filter(is_active=True))
    return render_page(
        request, "pledge/product_list.html", {"products": products, "can_publish": party == BANK}
    )


@login_required
def product_new(request):
    require_party(request, BANK)
    cities = Region.objects.filter(level=Region.Level.CITY)
    form = forms.ProductForm(request.POST or None, cities=cities)
    if request.method == "POST" and form.is_valid():
        try:
            product = services.do_publish_product(acting_user=request.user, **form.service_fields())
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("贷款产品已发布。"))
            return redirect("pledge:product_detail", product_id=product.pk)
    return render_page(request, "pledge/product_form.html", {"form": form})


@login_required
def product_detail(request, product_id: int):
    if party_of(request.user) is None:
        raise PermissionDenied("pledge")
    product = access_product_by_id(request.user, product_id)
    can_manage = can_manage_product(request.user, product)
    product.display = product.text(reader_language())
    cities = dict(Region.objects.filter(code__in=product.regions).values_list("code", "name"))
    models, types = dict(CooperationModel.choices), dict(PatentType.choices)
    return render_page(
        request,
        "pledge/product_detail.html",
        {
            "product": product,
            "can_manage": can_manage,
            "texts": product.texts.all(),
            "model_labels": [models.get(m, m) for m in product.models_supported],
            "type_labels": [types.get(t, t) for t in product.patent_types],
            "city_names": [cities.get(c, c) for c in product.regions],
        },
    )


@login_required
def product_edit(request, product_id: int):
    product = access_product_by_id(request.user, product_id, manage=True)
    cities = Region.objects.filter(level=Region.Level.CITY)
    form = forms.ProductForm(
        request.POST or None, cities=cities, initial=forms.ProductForm.initial_for(product)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.do_update_product(product, acting_user=request.user, **form.service_fields())
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已保存。"))
            return redirect("pledge:product_detail", product_id=product.pk)
    return render_page(request, "pledge/product_form.html", {"form": form, "product": product})


@login_required
@require_POST
def product_toggle(request, product_id: int):
    product = access_product_by_id(request.user, product_id, manage=True)
    services.do_set_product_active(product, not product.is_active, acting_user=request.user)
    return redirect("pledge:product_detail", product_id=product.pk)
