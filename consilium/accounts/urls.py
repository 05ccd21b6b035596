from django.urls import path

from consilium.accounts import security_views, views

app_name = "accounts"

urlpatterns = [
    path("sign-in/", security_views.sign_in, name="login"),
    path("sign-in/code/", security_views.sign_in_code, name="sign_in_code"),
    path("sign-up/", views.sign_up, name="sign_up"),
    path("sign-out/", views.sign_out, name="logout"),
    path("password/reset/", views.password_reset, name="password_reset"),
    path("password/reset/sent/", views.password_reset_done, name="password_reset_done"),
    path(
        "password/reset/<uidb64>/<token>/",
        views.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("password/reset/done/", views.password_reset_complete, name="password_reset_complete"),
    path("profile/", views.profile, name="profile"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("second-factor/", security_views.second_factor, name="second_factor"),
    path("second-factor/set-up/", security_views.second_factor_setup, name="second_factor_setup"),
    path(
        "second-factor/confirm/", security_views.second_factor_confirm, name="second_factor_confirm"
    ),
    path(
        "second-factor/recovery-codes/",
        security_views.recovery_codes_new,
        name="second_factor_recovery_codes",
    ),
    path("second-factor/off/", security_views.second_factor_disable, name="second_factor_disable"),
    path("security/settings/", security_views.security_settings, name="security_settings"),
    path("security/events/", security_views.security_events, name="security_events"),
    path(
        "security/events.csv", security_views.security_events_export, name="security_events_export"
    ),
]
