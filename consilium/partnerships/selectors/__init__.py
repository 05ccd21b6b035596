"""Reads of programmes and agreements, scoped by the access policy and joined.

``agreements`` (the list and its filter, shared by the page, its exports and the API; one
agreement; the network picture) and ``programmes`` (the list, one programme, the report).
Callers use this package: ``selectors.agreement_list(user, flt)``.
"""

from consilium.partnerships.selectors.agreements import (
    AgreementFilter,
    agreement_detail,
    agreement_list,
    agreement_list_of_institution,
    network_graph,
)
from consilium.partnerships.selectors.approvals import agreement_list_awaiting_approval
from consilium.partnerships.selectors.programmes import (
    programme_detail,
    programme_list,
    programme_report,
)

__all__ = [
    "AgreementFilter",
    "agreement_detail",
    "agreement_list",
    "agreement_list_awaiting_approval",
    "agreement_list_of_institution",
    "network_graph",
    "programme_detail",
    "programme_list",
    "programme_report",
]
