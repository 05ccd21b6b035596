"""Writes of actions (every public function is ``@service`` or ``@read_only``)."""

from consilium.actions.services.actions import (
    CONTENT,
    action_create,
    action_judge,
    action_transition,
    action_update,
    evidence_upload,
    split_text,
    texts_in_language,
)

__all__ = [
    "CONTENT",
    "action_create",
    "action_judge",
    "action_transition",
    "action_update",
    "evidence_upload",
    "split_text",
    "texts_in_language",
]
