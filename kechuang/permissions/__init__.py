"""The one place that decides who may do what.

Capabilities are scoped strings ("registry.org:view_all") granted to roles; object-level rules (whose
organisation, which city) are functions here and in this package's per-domain modules. Every view and
API endpoint asks this package; none re-implements a check.
"""

from kechuang.permissions.core import (  # noqa: F401
    Cap,
    access_organisation_by_id,
    can_edit_organisation,
    can_view_organisation,
    grant,
    has_cap,
    is_official,
    require,
    require_cap,
    visible_organisations,
)
