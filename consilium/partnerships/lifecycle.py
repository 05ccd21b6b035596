"""The agreement lifecycle, declared once: which status may follow which.

Each allowed step is carried out by ``services.agreement_transition``, which checks the rules
of the target status (``RULES`` there) and records who and when.
"""

from consilium.partnerships.models import AgreementStatus as S

TRANSITIONS: dict[str, tuple[str, ...]] = {
    S.PROPOSED: (S.NEGOTIATING, S.TERMINATED),
    S.NEGOTIATING: (S.SIGNED, S.TERMINATED),
    S.SIGNED: (S.ACTIVE, S.TERMINATED),
    S.ACTIVE: (S.EXPIRED, S.TERMINATED, S.RENEWED),
    S.EXPIRED: (S.RENEWED,),
    S.TERMINATED: (),
    S.RENEWED: (),
}

# Statuses in which the parties may still edit the text (a draft).
DRAFT = frozenset({S.PROPOSED, S.NEGOTIATING})
# Statuses that count as "in force" for reminders and the network picture.
IN_FORCE = frozenset({S.SIGNED, S.ACTIVE})


def allowed(current: str) -> tuple[str, ...]:
    return TRANSITIONS.get(current, ())
