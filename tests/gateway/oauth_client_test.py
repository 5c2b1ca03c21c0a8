#!/usr/bin/env python3
"""A third-party OAuth2 client library against the gateway: requests-oauthlib's
BackendApplicationClient (the client-credentials grant) fetches a token from
/ords/<alias>/oauth/token and calls the protected resource with the OAuth2Session.

Usage: oauth_client_test.py BASE_URL CLIENT_ID CLIENT_SECRET
Prints ok/FAIL lines and "N passed, M failed"; exits 1 on any failure."""
import sys

import requests
from oauthlib.oauth2 import BackendApplicationClient
from oauthlib.oauth2.rfc6749.errors import OAuth2Error
from requests_oauthlib import OAuth2Session

base, client_id, client_secret = sys.argv[1:4]
token_url = f"{base}/ords/page/oauth/token"
resource = f"{base}/ords/page/customers/validation/1"
passed = failed = 0


def check(name, expected, actual):
    global passed, failed
    if expected == actual:
        print(f"ok   - {name}")
        passed += 1
    else:
        print(f"FAIL - {name}: expected [{expected}], got [{actual}]")
        failed += 1


# 1. client_secret_basic (requests-oauthlib's default: HTTP Basic with id:secret)
session = OAuth2Session(client=BackendApplicationClient(client_id=client_id))
token = session.fetch_token(token_url=token_url, client_id=client_id, client_secret=client_secret)
check("requests-oauthlib: token fetched (Basic client auth)", True, bool(token.get("access_token")))
check("requests-oauthlib: token_type bearer", "bearer", token.get("token_type"))
check("requests-oauthlib: expires_in 3600", 3600, token.get("expires_in"))
r = session.get(resource)
check("requests-oauthlib: protected resource 200", 200, r.status_code)
check("requests-oauthlib: the license row", 1, r.json().get("id") if r.ok else None)
sent = r.request.headers.get("Authorization", "")
check("requests-oauthlib: sent as Bearer header", True, sent.startswith("Bearer "))

# 2. client_secret_post (client_id and client_secret as form fields)
session2 = OAuth2Session(client=BackendApplicationClient(client_id=client_id))
token2 = session2.fetch_token(token_url=token_url, client_id=client_id, client_secret=client_secret,
                              include_client_id=True)
check("requests-oauthlib: token fetched (client_secret_post)", True, bool(token2.get("access_token")))
check("requests-oauthlib: second token is a different token", True,
      token2.get("access_token") != token.get("access_token"))
check("requests-oauthlib: second token works", 200, session2.get(resource).status_code)

# 3. a wrong secret is refused by the token endpoint (RFC 6749 invalid_client)
try:
    OAuth2Session(client=BackendApplicationClient(client_id=client_id)).fetch_token(
        token_url=token_url, client_id=client_id, client_secret=client_secret + "x")
    check("requests-oauthlib: wrong secret refused", "invalid_client", "token issued")
except OAuth2Error as e:
    check("requests-oauthlib: wrong secret refused", "invalid_client", e.error)

# 4. a session without a token gets the ORDS 401
r = requests.get(resource)
check("requests: no token → 401", 401, r.status_code)
check("requests: ORDS error body", "Unauthorized", r.json().get("code"))

print(f"requests-oauthlib: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
