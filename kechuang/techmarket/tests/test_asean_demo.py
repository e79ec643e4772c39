"""The demo's ASEAN organisations: registered by their own numbers, with accounts and listings in their languages."""

from kechuang.registry.models import Organisation
from kechuang.techmarket.demo import ASEAN_ACCOUNTS, seed_asean
from kechuang.techmarket.models import Listing


def test_demo_has_a_vietnamese_sme_a_thai_university_and_an_indonesian_broker(reviewer):
    assert seed_asean(reviewer) == ["vn_sme", "th_university", "id_broker"]
    orgs = {o.country: o for o in Organisation.objects.exclude(country="CN")}
    assert {c: (o.kind, o.registration_type) for c, o in orgs.items()} == {
        "VN": ("enterprise", "vn_msdn"),
        "TH": ("university", "th_juristic"),
        "ID": ("tech_transfer", "id_nib"),
    }
    listings = Listing.objects.filter(owner__in=orgs.values())
    assert {(lst.owner.country, lst.original_language, lst.country, lst.status) for lst in listings} == {
        ("VN", "vi", "VN", "published"),
        ("TH", "th", "TH", "published"),
        ("ID", "id", "ID", "published"),
    }
    seed_asean(reviewer)  # running the demo again adds nothing
    assert Organisation.objects.exclude(country="CN").count() == len(ASEAN_ACCOUNTS)
    assert listings.count() == 3
