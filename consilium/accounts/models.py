from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **extra: object) -> "User":
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: object) -> "User":
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> "User":
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create(email, password, **extra)

    def get_by_natural_key(self, username: str | None) -> "User":
        return self.get(email__iexact=username or "")


class User(AbstractBaseUser, PermissionsMixin):
    """A person: signs in with an e-mail address; roles come from memberships."""

    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200)
    language = models.CharField(
        _("interface language"), max_length=8, choices=settings.LANGUAGES, blank=True
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("staff"), default=False)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["full_name", "email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 is stored; the token is shown once."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=16)
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class SecondFactor(models.Model):
    """A person's authenticator app (TOTP, RFC 6238): the shared secret, encrypted with a key
    derived from ``SECRET_KEY`` (``services``), and the last step used, so that no code is
    accepted twice. Turned on once a first code confirms it (``confirmed_at``)."""

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="second_factor", verbose_name=_("user")
    )
    secret_encrypted = models.BinaryField(_("encrypted secret"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("turned on at"), null=True, blank=True)
    last_step = models.BigIntegerField(_("last step used"), default=0)

    class Meta:
        verbose_name = _("second factor")
        verbose_name_plural = _("second factors")

    def __str__(self) -> str:
        return str(self.user)

    @property
    def is_on(self) -> bool:
        return self.confirmed_at is not None


class RecoveryCode(models.Model):
    """A one-time code for when the authenticator app is lost: only its hash is kept, and it
    works once (``used_at``)."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="recovery_codes", verbose_name=_("user")
    )
    code_hash = models.CharField(_("code hash"), max_length=64)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("recovery code")
        verbose_name_plural = _("recovery codes")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "code_hash"], name="accounts_recoverycode_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({'used' if self.used_at else 'unused'})"


class SecuritySettings(models.Model):
    """The network's security settings: one row (pk 1), changed by network administrators."""

    require_second_factor = models.BooleanField(
        _("administrators must use a second factor"), default=False
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("security settings")
        verbose_name_plural = _("security settings")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)


class EventKind(models.TextChoices):
    SIGNIN = "signin", _("Signed in")
    SIGNIN_FAILED = "signin_failed", _("Failed sign-in")
    SIGNIN_THROTTLED = "signin_throttled", _("Sign-in refused by the throttle")
    SECOND_FACTOR_ON = "second_factor_on", _("Second factor turned on")
    SECOND_FACTOR_OFF = "second_factor_off", _("Second factor turned off")
    SECOND_FACTOR_FAILED = "second_factor_failed", _("Wrong second-factor code")
    RECOVERY_CODE_USED = "recovery_code_used", _("Recovery code used")
    RECOVERY_CODES_NEW = "recovery_codes_new", _("New recovery codes")
    SECOND_FACTOR_REQUIRED = "second_factor_required", _("Second factor requirement changed")
    PASSWORD_RESET = "password_reset", _("Password reset")
    TOKEN_CREATED = "token_created", _("API token created")
    TOKEN_REVOKED = "token_revoked", _("API token revoked")
    ROLE_GIVEN = "role_given", _("Role given")
    ROLE_CHANGED = "role_changed", _("Role changed")
    MEMBERSHIP_REMOVED = "membership_removed", _("Membership removed")
    CERTIFICATE_REVOKED = "certificate_revoked", _("Certificate revoked")
    SIGNING_KEY_USED = "signing_key_used", _("Signing key used")


class SecurityEvent(models.Model):
    """One line of the security audit log (``services.security_event_record``). The actor and
    the institution are kept as text and ids too, so the line outlives them."""

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    kind = models.CharField(_("kind"), max_length=32, choices=EventKind.choices, db_index=True)
    actor = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    actor_email = models.CharField(_("actor's e-mail address"), max_length=254, blank=True)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    institution_id = models.PositiveIntegerField(_("institution"), null=True, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("security event")
        verbose_name_plural = _("security events")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["actor_email", "at"], name="accounts_event_actor_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind} {self.actor_email}"
