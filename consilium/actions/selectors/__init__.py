"""Reads of actions, from the visible rows."""

from consilium.actions.selectors.actions import (
    ActionFilter,
    action_counts,
    action_detail,
    action_filtered,
    action_history,
    action_list,
    action_mine,
    action_of_institution,
    action_of_origin,
)

__all__ = [
    "ActionFilter",
    "action_counts",
    "action_detail",
    "action_filtered",
    "action_history",
    "action_list",
    "action_mine",
    "action_of_institution",
    "action_of_origin",
]
