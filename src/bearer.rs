//! The one bearer resolver (docs/tokens.md): from the text a caller presents, an opaque token
//! or a pg_ords JWT, to its session in ords_metadata.oauth_sessions, and what that session
//! is worth now. ords.authorize, oauth.validate_token, oauth.revoke_token and
//! ords.postgrest_token_binding all resolve tokens here, so a token means the same to each.
use std::rc::Rc;

use ords_core::decision::Session;
use ords_core::http::{self, Credentials};

use crate::cache;
use crate::catalog::{self, Client};

/// A presented token, resolved to the key of its session row.
pub struct Presented {
    /// The sessions-table key: SHA-256 of an opaque token, or of a JWT's `jti:` + jti (so a
    /// leaked jti is not usable as an opaque token).
    pub key: [u8; 32],
    /// For a JWT: its verified subject (the client_id its session must belong to) and jti.
    pub jwt: Option<(String, String)>,
    /// For a JWT verified by a retired key: the end of that key's window (Unix microseconds);
    /// its session is worth nothing after it.
    pub key_until_us: Option<i64>,
}

/// Resolve a bare token: an opaque token by its hash; a JWT only when its signature, kid, alg
/// and time claims verify (src/jwt_keys.rs). None for a JWT that does not verify.
pub fn resolve(token: &str) -> Option<Presented> {
    resolve_with(token, || ords_core::secrets::token_hash(token))
}

/// `resolve`, given how to get an opaque token's hash (a caller that already has it passes it).
fn resolve_with(token: &str, opaque_key: impl FnOnce() -> [u8; 32]) -> Option<Presented> {
    if ords_core::jwt::looks_like_jwt(token) {
        let (sub, jti, key_until_us) = crate::jwt_keys::verify(token)?;
        Some(Presented {
            key: crate::jwt_keys::session_key(&jti),
            jwt: Some((sub, jti)),
            key_until_us,
        })
    } else {
        Some(Presented {
            key: opaque_key(),
            jwt: None,
            key_until_us: None,
        })
    }
}

/// Resolve an Authorization value (`Bearer <token>`) or a bare token. None for anything else
/// (no credentials, HTTP Basic, malformed).
pub fn resolve_authorization(value: &str) -> Option<Presented> {
    match http::parse_authorization(Some(value)) {
        Ok(Credentials::Bearer(token)) => resolve(&token),
        _ => None,
    }
}

/// The session of a JWT presented to ords.authorize, whose text has SHA-256 `digest`. Every
/// check of `resolve` but the signature runs first (the kid a published key with the token's
/// alg, a retired key's window, the time claims, the lifetime cap), then the row of its jti is
/// probed. The signature
/// is skipped only when that row's token_digest is `digest`: the text is then exactly one
/// pg_ords signed at issuance, with a key still published. Otherwise (a row from before 0.8.0
/// without a digest, or another text reusing a real jti) the signature is checked as `resolve`
/// does, and the same row decides. docs/tokens.md, "Verifying a JWT". Nothing else trusts the
/// unsigned claims: `resolve` (revocation, oauth.validate_token, PostgREST) stays verified.
fn jwt_session(token: &str, digest: &[u8; 32]) -> Option<Found> {
    let (sub, jti, key_until_us) = crate::jwt_keys::verify_without_signature(token)?;
    let key = crate::jwt_keys::session_key(&jti);
    let row = catalog::load_token(&key);
    let known_text = row
        .as_ref()
        .and_then(|r| r.token_digest)
        .is_some_and(|d| ords_core::secrets::constant_time_eq(&d, digest));
    // Without a row the signature is checked too, before refusing: how long a refusal takes
    // does not tell whether a jti has a session (only the exact text issued is answered
    // without the check).
    if !known_text && crate::jwt_keys::verify(token)? != (sub.clone(), jti.clone(), key_until_us) {
        // Cannot happen (the same text, read the same way), but decide nothing from it.
        return None;
    }
    found(
        &Presented {
            key,
            jwt: Some((sub, jti)),
            key_until_us,
        },
        row?,
    )
}

/// A token's session with what the catalog says about its client.
pub struct Found {
    /// What a decision needs (client, schema, roles, expiry).
    pub session: Session,
    /// The client and its schema (shared by every token of the client; cached).
    pub client: Rc<Client>,
    /// Expiry as a timestamp (for oauth.validate_token).
    pub expires_at: pgrx::datum::TimestampWithTimeZone,
}

impl Found {
    /// Not expired (by the clock, not the transaction start) and its schema is enabled.
    pub fn live(&self) -> bool {
        self.client.schema_enabled && self.session.expires_at_us > crate::authorize::now_us()
    }
}

/// The session of a presented token, if the catalog has one that belongs to it: a JWT's
/// subject must be the session's client, and a JWT's role claim must still be one its schema
/// may name (docs/postgrest.md; a superuser now, or a role the schema role is no longer a
/// member of, makes the token worth nothing). Expiry and the schema's status are left to the
/// caller. One index probe of oauth_sessions; the client's facts come from the backend cache
/// (src/cache.rs, same invalidation as every cache).
pub fn lookup(presented: &Presented) -> Option<Found> {
    found(presented, catalog::load_token(&presented.key)?)
}

/// `lookup`, given the row of `presented.key`.
fn found(presented: &Presented, token: catalog::TokenRow) -> Option<Found> {
    let client = cache::client(token.client_pk, || catalog::load_client(token.client_pk))?;
    if let Some((sub, _)) = &presented.jwt
        && *sub != client.client_id
    {
        return None;
    }
    if let Some(role) = &token.jwt_role
        && !cache::role_claim(&client.schema, role, || {
            catalog::role_claim_usable(&client.schema, role)
        })
    {
        return None;
    }
    Some(Found {
        session: Session {
            client_id: client.client_id.clone(),
            client_name: client.name.clone(),
            schema_id: client.schema_id,
            role_ids: client.role_ids.clone(),
            // A JWT's session ends with its signing key's window too, if that comes first.
            expires_at_us: presented
                .key_until_us
                .map_or(token.expires_at_us, |until| until.min(token.expires_at_us)),
        },
        client,
        expires_at: token.expires_at,
    })
}

/// The session of the token presented to ords.authorize, from the backend cache (keyed by the
/// SHA-256 of the text presented) or resolved and looked up on a miss.
pub fn session(token: &str) -> Option<Rc<Session>> {
    // The cache key is the SHA-256 of the text presented, which for an opaque token is also its
    // session key: hashed once.
    // For a JWT the same hash is its text's digest (jwt_session).
    let key = ords_core::secrets::token_hash(token);
    cache::session(&key, || {
        // Opaque tokens only in the shared tier: a JWT is verified (its keys, its time claims)
        // by each backend that meets it first.
        if ords_core::jwt::looks_like_jwt(token) {
            Some(jwt_session(token, &key)?.session)
        } else {
            crate::shared::session(&key, || {
                Some(lookup(&resolve_with(token, || key)?)?.session)
            })
        }
    })
}
