"""Personal link tokens and pseudonymous panel keys.

A personal token is HMAC-SHA256(secret, "invitation:<salt>") with a 128-bit random salt per
invitation: 256 bits, recomputable for a reminder mail only with the server's secret, and stored
in the database only as its sha256 hash.
"""

import base64
import hashlib
import hmac
import secrets


def new_salt() -> str:
    """128 random bits, hex."""
    return secrets.token_hex(16)


def _keyed_token(secret: str, message: str) -> str:
    """HMAC-SHA256 of `message` under `secret`, URL-safe (43 characters)."""
    digest = hmac.new(secret.encode(), message.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def invitation_token(secret: str, salt: str) -> str:
    """The personal link token of an invitation (URL-safe, 43 characters)."""
    return _keyed_token(secret, f"invitation:{salt}")


def open_start_token(secret: str, campaign_id: int, start_key: str) -> str:
    """The resume token of the response a browser session starts on an open link, derived from
    the session's random start key: a repeated start (a double click, a form sent again) finds
    the same response, even when both requests left the browser before the first answer came
    back; without the secret the token cannot be derived from the key."""
    return _keyed_token(secret, f"open-start:{campaign_id}:{start_key}")


def random_token() -> str:
    """A fresh random token of 256 bits (resume links of open surveys)."""
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    """What the database keeps of a token."""
    return hashlib.sha256(token.encode()).hexdigest()


def panel_key(secret: str, identifier: str) -> str:
    """Keyed hash of a stable identifier (e-mail, KvK number) linking answers across years.

    Without the secret, which lives outside the database, the key cannot be traced back.
    """
    normalised = identifier.strip().lower()
    return hmac.new(secret.encode(), f"panel:{normalised}".encode(), hashlib.sha256).hexdigest()
