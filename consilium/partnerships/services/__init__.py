"""Writes about programmes and agreements. Keyword-only, atomic, validated, recorded.

One module per part, each service ``@service(bumps=[CONTENT])`` (helpers that only read are
``@read_only``): ``programmes`` (programmes, phases, priority areas, funders), ``agreements``
(proposing, editing and approving drafts), ``lifecycle`` (transitions, renewal), ``versions``
(a draft's content, hash and differences), ``recommendations`` (situation analyses,
recommendations, goals and results) and ``documents``; ``common`` holds what they share.
Callers use this package: ``services.agreement_create(...)``. Patch a name in the module that
looks it up (``services.documents.MAX_DOCUMENT_BYTES``), not here.
"""

from consilium.partnerships.approvals import current_version, missing_approvals
from consilium.partnerships.services.agreements import (
    ConflictError,
    FundingData,
    PartyData,
    agreement_approve,
    agreement_check_proposer,
    agreement_create,
    agreement_edit,
)
from consilium.partnerships.services.common import CONTENT, LANGS
from consilium.partnerships.services.documents import document_upload
from consilium.partnerships.services.lifecycle import agreement_renew, agreement_transition
from consilium.partnerships.services.programmes import (
    funder_add,
    phase_add,
    priority_area_add,
    programme_create,
    programme_update,
)
from consilium.partnerships.services.recommendations import (
    analysis_save,
    recommendation_add,
    recommendation_update,
    work_item_add,
)
from consilium.partnerships.services.versions import agreement_content, content_hash, version_diff

__all__ = [
    "CONTENT",
    "LANGS",
    "ConflictError",
    "FundingData",
    "PartyData",
    "agreement_approve",
    "agreement_check_proposer",
    "agreement_content",
    "agreement_create",
    "agreement_edit",
    "agreement_renew",
    "agreement_transition",
    "analysis_save",
    "content_hash",
    "current_version",
    "document_upload",
    "funder_add",
    "missing_approvals",
    "phase_add",
    "priority_area_add",
    "programme_create",
    "programme_update",
    "recommendation_add",
    "recommendation_update",
    "version_diff",
    "work_item_add",
]
