from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer

from consilium.accounts.services import api_token_authenticate


class TokenAuth(HttpBearer):
    """A personal API token; without a token the request goes on as anonymous.

    A token that is sent but is wrong, revoked or belongs to a deactivated person is refused
    with 401 rather than quietly treated as anonymous.
    """

    openapi_description = "Personal API token from the profile page: `Bearer cns_…`"

    def __call__(self, request: HttpRequest) -> Any:
        header = request.headers.get(self.header)
        if not header:
            request.user = AnonymousUser()
            return request.user
        return super().__call__(request)

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = api_token_authenticate(token)
        if user is None:
            raise AuthenticationError()
        request.user = user
        return user


token_auth = TokenAuth()
