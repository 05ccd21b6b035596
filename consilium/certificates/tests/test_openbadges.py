"""The Open Badges 3.0 course certificate: every field is signed, and it verifies."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from consilium.certificates.integrity import sign, verify
from consilium.certificates.jsonld import canonicalize
from consilium.certificates.multikey import did_key_verification_method, resolve_did_key
from consilium.certificates.openbadges import CourseCertificate, Party, open_badge_credential

from .test_integrity import independent_verify

OB = "https://purl.imsglobal.org/spec/vc/ob/vocab.html#"
FULL = CourseCertificate(
    credential_id="https://consilium.example/credentials/7f1c",
    issuer=Party("https://consilium.example/institutions/kaznmu", "Асфендияров атындағы ҚазҰМУ"),
    holder_name="Айгерим Нурлановна Сейтова",
    achievement_id="https://consilium.example/courses/research-methods",
    course_title="Методология научных исследований",
    description="Онлайн-курс банка курсов сети.",
    criteria="Все модули пройдены, итоговый тест сдан на 85 %.",
    language="ru",
    valid_from=datetime(2025, 6, 30, 9, 0, tzinfo=UTC),
    valid_until=datetime(2030, 6, 30, 9, 0, tzinfo=UTC),
    status_list_url="https://consilium.example/credentials/status/1",
    status_list_index=94567,
    hours=72,
    hours_label="Академические часы",
    credits=2.5,
    co_issuers=(Party("https://consilium.example/institutions/sechenov", "Sechenov University"),),
)


def test_every_field_is_in_the_canonical_form() -> None:
    nquads = canonicalize(open_badge_credential(FULL))
    credential = f"<{FULL.credential_id}>"
    achievement = f"<{FULL.achievement_id}>"
    for expected in (
        f"{credential} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{OB}OpenBadgeCredential>",
        f"{credential} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://www.w3.org/2018/credentials#VerifiableCredential>",
        f'{credential} <https://schema.org/name> "{FULL.course_title}"',
        f"{credential} <https://www.w3.org/2018/credentials#issuer> <{FULL.issuer.id}>",
        f'<{FULL.issuer.id}> <https://schema.org/name> "{FULL.issuer.name}"',
        f"<{FULL.issuer.id}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{OB}Profile>",
        '#validFrom> "2025-06-30T09:00:00Z"^^<http://www.w3.org/2001/XMLSchema#dateTime>',
        '#validUntil> "2030-06-30T09:00:00Z"^^<http://www.w3.org/2001/XMLSchema#dateTime>',
        f"<http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{OB}AchievementSubject>",
        f"<{OB}achievement> {achievement}",
        f'<{OB}identityHash> "{FULL.holder_name}"',
        f'<{OB}identityType> "name"',
        f'<{OB}hashed> "false"',
        f"{achievement} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{OB}Achievement>",
        f'{achievement} <{OB}achievementType> "Course"',
        f'{achievement} <https://schema.org/name> "{FULL.course_title}"',
        f'{achievement} <https://schema.org/description> "{FULL.description}"',
        f'{achievement} <https://schema.org/inLanguage> "ru"',
        f'<{OB}narrative> "{FULL.criteria}"',
        f"{achievement} <{OB}creator> <{FULL.issuer.id}>",
        f"{achievement} <{OB}creator> <{FULL.co_issuers[0].id}>",
        f'<{FULL.co_issuers[0].id}> <https://schema.org/name> "{FULL.co_issuers[0].name}"',
        f'{achievement} <{OB}creditsAvailable> "2.5E0"',
        f'<{OB}creditsEarned> "2.5E0"',
        f'<{OB}resultType> "ext:StudyHours"',
        f'<https://schema.org/name> "{FULL.hours_label}"',
        '<https://schema.org/value> "72"',
        f"<{OB}resultDescription> <{FULL.achievement_id}#hours>",
        f'<{OB}resultDescription> "{FULL.achievement_id}#hours"',
        f"{credential} <https://www.w3.org/2018/credentials#credentialStatus> <{FULL.status_list_url}#94567>",
        '<https://www.w3.org/ns/credentials/status#statusListIndex> "94567"',
        f"<https://www.w3.org/ns/credentials/status#statusListCredential> <{FULL.status_list_url}>",
    ):
        assert expected in nquads, expected


def test_optional_parts_are_left_out() -> None:
    minimal = dataclasses.replace(FULL, hours=None, credits=None, co_issuers=(), valid_until=None)
    credential = open_badge_credential(minimal)
    achievement = credential["credentialSubject"]["achievement"]
    assert "validUntil" not in credential
    assert "result" not in credential["credentialSubject"]
    assert "creditsAvailable" not in achievement and "resultDescription" not in achievement
    assert achievement["creator"] == credential["issuer"]
    assert "creditsEarned" not in canonicalize(credential)


def test_issuer_and_co_issuer_sign_a_proof_set_that_verifies(
    key: Ed25519PrivateKey, other_key: Ed25519PrivateKey
) -> None:
    credential = open_badge_credential(FULL)
    assert credential["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    signed = credential
    for signer in (key, other_key):
        signed = sign(
            signed,
            private_key=signer,
            verification_method=did_key_verification_method(signer.public_key()),
            created=FULL.valid_from,
        )
    assert verify(signed, resolve_key=resolve_did_key)
    assert independent_verify(signed)
