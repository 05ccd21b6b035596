"""Every schema of the actions API (component names are global: each is named after actions)."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Field, Schema

from consilium.core.api import Paging, Texts

MAX_ID = 2**63 - 1


class ActionQuery(Schema):
    """The filters of the network list, read by the same ``ActionFilter``."""

    kind: str = ""
    status: str = ""
    institution: int | None = Field(None, ge=1, le=MAX_ID)
    origin: str = Field("", description="The origin's kind, e.g. `partnerships.agreement`.")
    origin_id: int | None = Field(None, ge=1, le=MAX_ID)
    overdue: bool = False
    responsible: int | None = Field(None, ge=1, le=MAX_ID)


class ActionListQuery(ActionQuery, Paging):
    pass


class ActionOrigin(Schema):
    kind: str
    id: int


class ActionCheck(Schema):
    criterion: str
    due_on: date | None
    result: str
    note: str
    judged_by_id: int | None
    judged_on: date | None


class ActionOut(Schema):
    id: int
    kind: str
    title: Texts
    description: Texts
    institution_id: int
    responsible_id: int | None
    opened_on: date
    due_on: date | None
    status: str
    overdue: bool
    evidence: str
    done_on: date | None
    drop_reason: str
    origin: ActionOrigin | None
    topic: ActionOrigin | None
    check: ActionCheck
    follow_up_of_id: int | None
    created_at: datetime
    updated_at: datetime


class ActionIn(Schema):
    kind: str
    institution_id: int = Field(..., ge=1, le=MAX_ID)
    title: Texts
    description: Texts = Field(default_factory=Texts)
    responsible_id: int | None = Field(None, ge=1, le=MAX_ID)
    due_on: date | None = None
    origin: ActionOrigin | None = None
    check_criterion: str = ""
    check_due_on: date | None = None


class ActionPatch(Schema):
    title: Texts | None = None
    description: Texts | None = None
    responsible_id: int | None = Field(None, ge=1, le=MAX_ID)
    due_on: date | None = None
    evidence: str | None = None
    check_criterion: str | None = None
    check_due_on: date | None = None


class ActionTransitionIn(Schema):
    to: str
    evidence: str = ""
    drop_reason: str = Field("", description="Required to drop it.")


class ActionJudgeIn(Schema):
    result: str = Field(..., description="`effective` or `ineffective`.")
    note: str = Field("", description="Required when not effective.")
    follow_up_due_on: date | None = None


class ActionCount(Schema):
    institution_id: int
    institution: str
    total: int
    open: int
    overdue: int
