"""Independent verification of pg_ords's JWT access tokens with PyJWT, and forged tokens that
ords.authorize must refuse. Run by jwt_independent.sh, which starts the cluster and provisions
the schema; see there. Prints one line per result, tab-separated:
    CHECK <name> <expected> <actual>     (the shell counts them as ok/FAIL)
    NOTE  <text>                         (informational, not counted)
No token, secret or key is ever printed.
"""
import base64
import hashlib
import hmac
import json
import os
import secrets
import sys
import time

import jwt
import psycopg
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519

SUPER_DSN = os.environ["SUPER_DSN"]
SCHEMA_DSN = os.environ["SCHEMA_DSN"]
SCHEMA_ROLE = os.environ["SCHEMA_ROLE"]
ALIAS = os.environ["ALIAS"]
GOOD_ID, GOOD_SECRET = os.environ["GOOD_ID"], os.environ["GOOD_SECRET"]
OTHER_ID, OTHER_SECRET = os.environ["OTHER_ID"], os.environ["OTHER_SECRET"]
PATH = "/orders/1"
P256_N = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551


def check(name, expected, actual):
    print(f"CHECK\t{name}\t{expected}\t{actual}", flush=True)


def note(text):
    print(f"NOTE\t{text}", flush=True)


def b64u(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64u(s: str) -> bytes:
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


def part(token, i):
    return json.loads(unb64u(token.split(".")[i]))


def compact(header: dict, payload: dict, sign) -> str:
    """header.payload.signature with sign(signing_input) -> bytes (b'' for no signature)."""
    si = b64u(json.dumps(header, separators=(",", ":")).encode()) + "." + b64u(json.dumps(payload, separators=(",", ":")).encode())
    return si + "." + b64u(sign(si.encode()))


def hs256(key: bytes):
    return lambda data: hmac.new(key, data, hashlib.sha256).digest()


superc = psycopg.connect(SUPER_DSN, autocommit=True)


def authorize(token):
    """Outcome of ords.authorize for GET /orders/1 with 'Bearer <token>' (a fresh transaction)."""
    row = superc.execute("SELECT outcome FROM ords.authorize(%s, 'GET', %s, %s)", ("Bearer " + token, PATH, ALIAS)).fetchone()
    return row[0]


def issue(client_id, secret, algorithm, how):
    """Issue a token as the schema role with pg_ords.jwt_algorithm = algorithm, set `how`:
    'default' (nothing set), 'system' (ALTER SYSTEM + pg_reload_conf, then a new login of the
    schema role) or 'session' (SET as superuser in this session, then SET ROLE)."""
    if how == "system":
        superc.execute(f"ALTER SYSTEM SET pg_ords.jwt_algorithm = '{algorithm}'")
        superc.execute("SELECT pg_reload_conf()")
        time.sleep(0.3)
    if how in ("default", "system"):
        with psycopg.connect(SCHEMA_DSN, autocommit=True) as c:
            alg_setting = c.execute("SHOW pg_ords.jwt_algorithm").fetchone()[0]
            r = c.execute("SELECT access_token, expires_in FROM oauth.issue_token(%s, %s, 'client_credentials', %s)",
                          (client_id, secret, ALIAS)).fetchone()
    else:
        with psycopg.connect(SUPER_DSN, autocommit=True) as c:
            c.execute(f"SET pg_ords.jwt_algorithm = '{algorithm}'")
            c.execute(f"SET ROLE {SCHEMA_ROLE}")
            alg_setting = c.execute("SHOW pg_ords.jwt_algorithm").fetchone()[0]
            r = c.execute("SELECT access_token, expires_in FROM oauth.issue_token(%s, %s, 'client_credentials', %s)",
                          (client_id, secret, ALIAS)).fetchone()
    if how == "system":
        superc.execute("ALTER SYSTEM RESET pg_ords.jwt_algorithm")
        superc.execute("SELECT pg_reload_conf()")
        time.sleep(0.3)
    return r[0], r[1], alg_setting


def jwks():
    return superc.execute("SELECT ords.jwks()::text").fetchone()[0]


def hs256_secret():
    """The current HS256 secret, as PostgREST gets it: the oct key of pgrst.jwt_secret
    (ords.postgrest_pre_config in HS256 mode) whose kid is the current HS256 key's."""
    kid = superc.execute("SELECT kid FROM ords_metadata.sec_keys WHERE alg = 'HS256' AND retired_on IS NULL").fetchone()[0]
    keys = json.loads(pre_config("HS256"))["keys"]
    return unb64u(next(k["k"] for k in keys if k.get("kid") == kid)).decode()


def pre_config(algorithm):
    """pgrst.jwt_secret as ords.postgrest_pre_config() sets it under pg_ords.jwt_algorithm."""
    with psycopg.connect(SUPER_DSN, autocommit=True) as c:
        c.execute(f"SET pg_ords.jwt_algorithm = '{algorithm}'")
        with c.transaction():
            c.execute("SELECT ords.postgrest_pre_config()")
            return c.execute("SELECT current_setting('pgrst.jwt_secret')").fetchone()[0]


def postgrest_verify(jwt_secret, token, kid_rule=True):
    """What PostgREST (v13+) does with its jwt-secret: a JWKS, a single JWK, or else a plain
    string used as an HS256 key *without a kid* (Config.hs parseSecret); then the documented
    kid rule: a token with a kid is only tried against keys with that kid, and none is a 401."""
    try:
        doc = json.loads(jwt_secret)
    except ValueError:
        doc = None
    if isinstance(doc, dict) and isinstance(doc.get("keys"), list):
        keys = [(k.get("kid"), jwt.PyJWK(k)) for k in doc["keys"]]
    elif isinstance(doc, dict) and "kty" in doc:
        keys = [(doc.get("kid"), jwt.PyJWK(doc))]
    else:
        keys = [(None, jwt.PyJWK({"kty": "oct", "k": b64u(jwt_secret.encode()), "alg": "HS256"}))]
    kid = jwt.get_unverified_header(token).get("kid")
    if kid is not None and kid_rule:
        keys = [k for k in keys if k[0] == kid]
        if not keys:
            return "refused (no key with the token's kid)"
    for _, k in keys:
        try:
            jwt.decode(token, k.key, algorithms=[k.algorithm_name], options={"verify_aud": False})
            return "verified"
        except jwt.PyJWTError:
            pass
    return "refused (no key verifies it)"


# ---------------------------------------------------------------------------------------------
# 1. Tokens of each algorithm, verified by PyJWT alone
# ---------------------------------------------------------------------------------------------
tokens = {}
for algorithm, how in (("ES256", "default"), ("EdDSA", "system"), ("HS256", "session")):
    token, expires_in, setting = issue(GOOD_ID, GOOD_SECRET, algorithm, how)
    tokens[algorithm] = token
    check(f"{algorithm}: pg_ords.jwt_algorithm in the issuing session ({how})", algorithm, setting)
    header = jwt.get_unverified_header(token)
    check(f"{algorithm}: header alg", algorithm, header.get("alg"))
    check(f"{algorithm}: header kid names the algorithm", "True", str(str(header.get("kid", "")).startswith(algorithm.lower() + "-")))
    if algorithm == "HS256":
        key = hs256_secret()
        check("HS256: the secret in pgrst.jwt_secret is at least 32 characters", "True", str(len(key) >= 32))
        kid_published = any(k.get("kid") == header.get("kid") for k in json.loads(jwks())["keys"])
        check("HS256: its kid is not in ords.jwks() (no public part)", "False", str(kid_published))
    else:
        matching = [k for k in json.loads(jwks())["keys"] if k.get("kid") == header.get("kid")]
        check(f"{algorithm}: header kid is published in ords.jwks()", "1", str(len(matching)))
        if not matching:
            continue
        check(f"{algorithm}: published JWK has no private part", "False", str("d" in matching[0]))
        pyjwk = jwt.PyJWK(matching[0])
        check(f"{algorithm}: PyJWK reads the published JWK as", algorithm, pyjwk.algorithm_name)
        key = pyjwk.key
    try:
        claims = jwt.decode(token, key, algorithms=[algorithm], audience=ALIAS, issuer="pg_ords",
                            options={"require": ["exp", "iat", "iss", "aud", "sub", "jti"]})
        verified = "verified"
    except jwt.PyJWTError as e:
        claims, verified = {}, f"refused ({type(e).__name__})"
    check(f"{algorithm}: PyJWT verifies signature, exp, aud, iss", "verified", verified)
    now = int(time.time())
    check(f"{algorithm}: aud is the schema alias", ALIAS, claims.get("aud"))
    check(f"{algorithm}: iss", "pg_ords", claims.get("iss"))
    check(f"{algorithm}: sub is the client_id", "True", str(claims.get("sub") == GOOD_ID))
    check(f"{algorithm}: exp - iat = expires_in", str(expires_in), str(claims.get("exp", 0) - claims.get("iat", 0)))
    check(f"{algorithm}: iat is now", "True", str(abs(claims.get("iat", 0) - now) < 60))
    check(f"{algorithm}: jti is 256 random bits", "43", str(len(claims.get("jti", ""))))
    # Cross-check: another algorithm's key does not verify it.
    try:
        jwt.decode(token, "x" * 64, algorithms=["HS256"], options={"verify_aud": False})
        cross = "verified"
    except jwt.PyJWTError:
        cross = "refused"
    check(f"{algorithm}: PyJWT refuses it under a wrong HS256 key", "refused", cross)
    check(f"{algorithm}: ords.authorize allows it", "allowed", authorize(token))
    secret_text = pre_config(algorithm)
    seen = postgrest_verify(secret_text, token)
    check(f"{algorithm}: PostgREST (v13+ kid rule) with pgrst.jwt_secret from ords.postgrest_pre_config verifies it",
          "verified", seen)
    if algorithm == "HS256":
        # Why there is no plain-secret route (docs/postgrest.md, "HS256"): a plain jwt-secret
        # becomes a key without kid, and v13 tries only keys whose kid is the token's.
        check("HS256: a plain jwt-secret (no kid) is refused by PostgREST v13's kid rule",
              "refused (no key with the token's kid)", postgrest_verify(key, token))
    if algorithm == "ES256":
        s = int.from_bytes(unb64u(token.split(".")[2])[32:], "big")
        check("ES256: signature is low-s", "True", str(s <= P256_N // 2))

es_token, ed_token, hs_token = tokens["ES256"], tokens["EdDSA"], tokens["HS256"]
es_header, es_claims = part(es_token, 0), part(es_token, 1)
hs_header, hs_claims = part(hs_token, 0), part(hs_token, 1)
es_jwk = next(k for k in json.loads(jwks())["keys"] if k["kid"] == es_header["kid"])
secret_bytes = hs256_secret().encode()
other_token, _, _ = issue(OTHER_ID, OTHER_SECRET, "HS256", "session")
other_claims = part(other_token, 1)
check("control: the other client's token is forbidden (valid, no role)", "forbidden", authorize(other_token))

# ---------------------------------------------------------------------------------------------
# 2. Forged tokens: each must be refused (unauthorized)
# ---------------------------------------------------------------------------------------------
def forged(name, token, expected="unauthorized"):
    check(f"forged: {name}", expected, authorize(token))


h64, p64, s64 = es_token.split(".")
for label, change in (("sub of another client", {"sub": OTHER_ID}), ("role", {"role": "postgres"}),
                      ("exp pushed out", {"exp": es_claims["exp"] + 86400})):
    tampered = dict(es_claims, **change)
    forged(f"ES256 payload changed ({label}), signature kept",
           h64 + "." + b64u(json.dumps(tampered, separators=(",", ":")).encode()) + "." + s64)
hh, hp, hsig = hs_token.split(".")
forged("HS256 payload changed (sub of another client), signature kept",
       hh + "." + b64u(json.dumps(dict(hs_claims, sub=OTHER_ID), separators=(",", ":")).encode()) + "." + hsig)
forged("EdDSA signature moved onto the ES256 token", h64 + "." + p64 + "." + ed_token.split(".")[2])

# alg none, with an empty signature and with the original one; and header alg changed only.
for alg_value in ("none", "None", "NONE"):
    forged(f"alg {alg_value}, empty signature", compact(dict(es_header, alg=alg_value), es_claims, lambda _: b""))
forged("alg none, original signature kept", compact(dict(es_header, alg="none"), es_claims, lambda _: unb64u(s64)))
forged("ES256 header relabelled EdDSA (same kid)", compact(dict(es_header, alg="EdDSA"), es_claims, lambda _: unb64u(s64)))

# Algorithm confusion: HS256 with the ES256 kid, the HMAC key being the public key in every
# form an attacker can get from ords.jwks().
pub = jwt.PyJWK(es_jwk).key
confusion_keys = {
    "public key PEM": pub.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo),
    "public key DER": pub.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo),
    "uncompressed point": pub.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint),
    "x || y": unb64u(es_jwk["x"]) + unb64u(es_jwk["y"]),
    "JWK JSON (compact)": json.dumps(es_jwk, separators=(",", ":")).encode(),
    "JWK JSON (as ords.jwks() prints it)": json.dumps(es_jwk).encode(),
    "JWKS JSON text": jwks().encode(),
}
for label, key in confusion_keys.items():
    forged(f"alg confusion: HS256 with the ES256 kid, HMAC key = {label}",
           compact(dict(es_header, alg="HS256"), es_claims, hs256(key)))
forged("alg confusion: HS256 with the EdDSA kid, HMAC key = its x",
       compact({"alg": "HS256", "typ": "JWT", "kid": part(ed_token, 0)["kid"]}, es_claims,
               hs256(unb64u(next(k for k in json.loads(jwks())["keys"] if k["kid"] == part(ed_token, 0)["kid"])["x"]))))

# Unknown kids and foreign keys.
forged("unknown kid, signed with the real HS256 secret", compact(dict(hs_header, kid="hs256-unknown0000"), hs_claims, hs256(secret_bytes)))
forged("no kid, signed with the real HS256 secret", compact({"alg": "HS256", "typ": "JWT"}, hs_claims, hs256(secret_bytes)))
attacker_es = ec.generate_private_key(ec.SECP256R1())
forged("attacker's ES256 key, unknown kid", jwt.encode(es_claims, attacker_es, algorithm="ES256", headers={"kid": "es256-attacker0000"}))
forged("attacker's ES256 key, the real ES256 kid", jwt.encode(es_claims, attacker_es, algorithm="ES256", headers={"kid": es_header["kid"]}))
attacker_ed = ed25519.Ed25519PrivateKey.generate()
forged("attacker's Ed25519 key, the real EdDSA kid",
       jwt.encode(es_claims, attacker_ed, algorithm="EdDSA", headers={"kid": part(ed_token, 0)["kid"]}))
forged("attacker's HS256 secret, the real HS256 kid", jwt.encode(hs_claims, secrets.token_urlsafe(48), algorithm="HS256", headers={"kid": hs_header["kid"]}))

# The high-s twin of a real ES256 signature: valid ECDSA (PyJWT accepts it), but pg_ords accepts
# low-s signatures only, so every token has one encoding.
r_bytes, s_int = unb64u(s64)[:32], int.from_bytes(unb64u(s64)[32:], "big")
twin = h64 + "." + p64 + "." + b64u(r_bytes + (P256_N - s_int).to_bytes(32, "big"))
try:
    jwt.decode(twin, pub, algorithms=["ES256"], audience=ALIAS)
    twin_pyjwt = "verified"
except jwt.PyJWTError:
    twin_pyjwt = "refused"
check("high-s twin of a real ES256 signature: PyJWT (plain ECDSA) accepts it", "verified", twin_pyjwt)
forged("high-s twin of a real ES256 signature", twin)

# Signed with the real HS256 secret (what a leaked secret allows): expiry and jti still rule.
now = int(time.time())
def with_secret(claims):
    return jwt.encode(claims, secret_bytes, algorithm="HS256", headers={"kid": hs_header["kid"]})
control = with_secret(dict(hs_claims, iat=now - 10, exp=now + 600))
check("control: re-signed with the real HS256 secret, real jti, exp ahead: allowed", "allowed", authorize(control))
forged("expired: real HS256 secret, real jti, exp in the past", with_secret(dict(hs_claims, iat=now - 7200, exp=now - 3600)))
forged("expired: real HS256 secret, real jti, exp = now - 1", with_secret(dict(hs_claims, iat=now - 60, exp=now - 1)))
forged("no exp: real HS256 secret, real jti", with_secret({k: v for k, v in hs_claims.items() if k != "exp"}))
forged("iat in the future: real HS256 secret, real jti", with_secret(dict(hs_claims, iat=now + 3600, exp=now + 7200)))
forged("nbf in the future: real HS256 secret, real jti", with_secret(dict(hs_claims, nbf=now + 3600)))
forged("exp as a string: real HS256 secret, real jti", with_secret(dict(hs_claims, exp=str(now + 600))))
forged("jti not issued by pg_ords: real HS256 secret", with_secret(dict(hs_claims, jti=secrets.token_urlsafe(32))))
forged("no jti: real HS256 secret", with_secret({k: v for k, v in hs_claims.items() if k != "jti"}))
forged("real jti, sub of another client: real HS256 secret", with_secret(dict(hs_claims, sub=OTHER_ID)))
forged("other client's jti with the privileged sub: real HS256 secret", with_secret(dict(hs_claims, jti=other_claims["jti"])))
# A revoked session stays dead even when re-signed.
with psycopg.connect(SCHEMA_DSN, autocommit=True) as c:
    revoked = c.execute("SELECT oauth.revoke_token(%s)", (hs_token,)).fetchone()[0]
check("revoke the HS256 token", "True", str(revoked))
forged("revoked jti, re-signed with the real HS256 secret", with_secret(dict(hs_claims, iat=now - 10, exp=now + 600)))
forged("revoked token itself", hs_token)
check("ES256 token still allowed after all of the above", "allowed", authorize(es_token))

# ---------------------------------------------------------------------------------------------
# 3. HS256 and key rotation, as PostgREST would see it
# ---------------------------------------------------------------------------------------------
hs_before, _, _ = issue(GOOD_ID, GOOD_SECRET, "HS256", "session")
superc.execute("SELECT ords_admin.rotate_signing_keys()")
with psycopg.connect(SUPER_DSN, autocommit=True) as c:
    c.execute("SET pg_ords.jwt_algorithm = 'HS256'")
    with c.transaction():
        c.execute("SELECT ords.postgrest_pre_config()")
        jwt_secret = c.execute("SELECT current_setting('pgrst.jwt_secret')").fetchone()[0]
check("after rotation: HS256 token issued before rotation still allowed by ords.authorize", "allowed", authorize(hs_before))
check("after rotation: pgrst.jwt_secret (HS256 mode) still verifies the pre-rotation HS256 token (v13 kid rule)",
      "verified", postgrest_verify(jwt_secret, hs_before))
es_jwks_after = json.loads(jwks())
check("after rotation: the pre-rotation ES256 kid is still published", "1",
      str(sum(1 for k in es_jwks_after["keys"] if k["kid"] == es_header["kid"])))
try:
    jwt.decode(es_token, jwt.PyJWKSet.from_dict(es_jwks_after)[es_header["kid"]].key, algorithms=["ES256"], audience=ALIAS)
    es_after = "verified"
except (jwt.PyJWTError, KeyError):
    es_after = "refused"
check("after rotation: PyJWT verifies the pre-rotation ES256 token with the published JWKS", "verified", es_after)
check("after rotation: pre-rotation ES256 token still allowed", "allowed", authorize(es_token))
new_es, _, _ = issue(GOOD_ID, GOOD_SECRET, "ES256", "default")
check("after rotation: new ES256 token has a new kid", "True", str(part(new_es, 0)["kid"] != es_header["kid"]))
check("after rotation: new ES256 token allowed", "allowed", authorize(new_es))
# ---------------------------------------------------------------------------------------------
# Creating keys tells PostgREST to reload its configuration (NOTIFY pgrst, 'reload config').
# ---------------------------------------------------------------------------------------------
with psycopg.connect(SUPER_DSN, autocommit=True) as listener:
    listener.execute("LISTEN pgrst")
    superc.execute("DELETE FROM ords_metadata.sec_keys")
    with psycopg.connect(SCHEMA_DSN, autocommit=True) as c:
        c.execute("SELECT ords.set_token_format(p_token_format => 'jwt', p_jwt_role => 'pgrst_web')")
    got = [n.payload for n in listener.notifies(timeout=2, stop_after=1)]
    check("set_token_format('jwt') remade the deleted keys", "3",
          str(superc.execute("SELECT count(*) FROM ords_metadata.sec_keys WHERE retired_on IS NULL").fetchone()[0]))
    check("making keys sends NOTIFY pgrst, 'reload config'", "['reload config']", str(got))
    superc.execute("SELECT ords_admin.rotate_signing_keys()")
    got = [n.payload for n in listener.notifies(timeout=2, stop_after=1)]
    check("rotate_signing_keys sends NOTIFY pgrst, 'reload config'", "['reload config']", str(got[:1]))
print("DONE", flush=True)
