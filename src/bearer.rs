//! The one bearer resolver (docs/tokens.md): from the text a caller presents, an opaque token
//! or a pg_ords JWT, to its session in ords_metadata.oauth_sessions, and what that session
//! is worth now. ords.authorize, oauth.validate_token, oauth.revoke_token and
//! ords.postgrest_token_binding all resolve tokens here, so a token means the same to each.
use ords_core::decision::Session;
use ords_core::http::{self, Credentials};
use pgrx::prelude::*;
use pgrx::spi::SpiResult;

use crate::errors::spi_failed;
use crate::identity::as_owner;

/// A presented token, resolved to the key of its session row.
pub struct Presented {
    /// The sessions-table key: SHA-256 of an opaque token, or of a JWT's `jti:` + jti (so a
    /// leaked jti is not usable as an opaque token).
    pub key: [u8; 32],
    /// For a JWT: its verified subject (the client_id its session must belong to) and jti.
    pub jwt: Option<(String, String)>,
}

/// Resolve a bare token: an opaque token by its hash; a JWT only when its signature, kid, alg
/// and time claims verify (src/jwt_keys.rs). None for a JWT that does not verify.
pub fn resolve(token: &str) -> Option<Presented> {
    if ords_core::jwt::looks_like_jwt(token) {
        let (sub, jti) = crate::jwt_keys::verify(token)?;
        Some(Presented {
            key: crate::jwt_keys::session_key(&jti),
            jwt: Some((sub, jti)),
        })
    } else {
        Some(Presented {
            key: ords_core::secrets::token_hash(token),
            jwt: None,
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

/// Everything the catalog says about a token's session, read in one query.
pub struct Found {
    /// What a decision needs (client, schema, roles, expiry).
    pub session: Session,
    /// The schema's role and alias, and whether the schema is enabled.
    pub schema: String,
    pub alias: String,
    pub schema_enabled: bool,
    /// The client's ORDS roles by name, sorted.
    pub role_names: Vec<String>,
    /// Expiry as a timestamp (for oauth.validate_token).
    pub expires_at: pgrx::datum::TimestampWithTimeZone,
    /// False when a JWT carries a role claim its schema may no longer name (a superuser now,
    /// or a role the schema role is no longer a member of): the token is worth nothing.
    pub role_claim_usable: bool,
    /// The Postgres role a JWT of this client maps to now (the client's, else the schema's,
    /// else the schema role), when the schema may still name it.
    pub role_now: Option<String>,
}

impl Found {
    /// Is this the session of `presented`, still worth something: a JWT's subject is the
    /// session's client, and its role claim is still one the schema may name?
    fn belongs_to(&self, presented: &Presented) -> bool {
        self.role_claim_usable
            && presented
                .jwt
                .as_ref()
                .is_none_or(|(sub, _)| *sub == self.session.client_id)
    }

    /// Not expired (by the clock, not the transaction start) and its schema is enabled.
    pub fn live(&self) -> bool {
        self.schema_enabled && self.session.expires_at_us > crate::authorize::now_us()
    }
}

/// What a lookup reads besides the decision's needs (client, schema, roles, expiry).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    /// Only what a decision needs (ords.authorize, on a cache miss): the names of the client's
    /// roles and the role its JWTs map to now are not read (empty and None).
    Decision,
    /// Everything (oauth.validate_token, ords.postgrest_token_binding).
    Full,
}

/// The session of a presented token, if the catalog has one that belongs to it (see
/// `Found::belongs_to`); expiry and the schema's status are left to the caller.
pub fn lookup(presented: &Presented, detail: Detail) -> Option<Found> {
    load(&presented.key, detail).filter(|f| f.belongs_to(presented))
}

fn load(key: &[u8; 32], detail: Detail) -> Option<Found> {
    let r: SpiResult<Option<Found>> = as_owner(|| {
        // The latest snapshot, whatever the caller's isolation level (docs/decision.md).
        crate::catalog::with_fresh_snapshot(|| {
            Spi::connect(|c| {
                let t = c.select(
                    // A JWT's role claim must be one the schema may name now (docs/postgrest.md):
                    // a non-superuser role the schema role is a member of. Read through to_jsonb
                    // so an older catalog (0.1.0 has no jwt_role columns at all) still decides
                    // until ALTER EXTENSION pg_ords UPDATE.
                    &format!(
                        "SELECT c.client_id, c.name, c.schema_id,
                                (extract(epoch FROM t.expires_on) * 1000000)::int8,
                                ARRAY(SELECT cr.role_id FROM ords_metadata.oauth_client_roles cr
                                       WHERE cr.client_id = c.id),
                                CASE WHEN to_jsonb(t)->>'jwt_role' IS NULL THEN true ELSE {claim_usable} END,
                                s.parsing_schema, s.pattern, s.status = 'ENABLED',
                                CASE WHEN $2 THEN ARRAY(SELECT r.name FROM ords_metadata.oauth_client_roles cr
                                        JOIN ords_metadata.sec_roles r ON r.id = cr.role_id
                                       WHERE cr.client_id = c.id ORDER BY r.name) END,
                                t.expires_on,
                                CASE WHEN $2 THEN (SELECT r.rolname::text FROM pg_catalog.pg_roles r
                                  WHERE r.rolname = coalesce(to_jsonb(c)->>'jwt_role', to_jsonb(s)->>'jwt_role', s.parsing_schema)
                                    AND {role_now_usable}) END
                           FROM ords_metadata.oauth_sessions t
                           JOIN ords_metadata.oauth_clients c ON c.id = t.client_id
                           JOIN ords_metadata.ords_schemas s ON s.id = c.schema_id
                          WHERE t.token_hash = $1",
                        claim_usable = crate::catalog::jwt_role_usable_sql(
                            "s.parsing_schema",
                            "to_jsonb(t)->>'jwt_role'"
                        ),
                        role_now_usable =
                            crate::catalog::jwt_role_usable_sql("s.parsing_schema", "r.rolname"),
                    ),
                    Some(1),
                    &[key.as_slice().into(), (detail == Detail::Full).into()],
                )?;
                if t.is_empty() {
                    return Ok(None);
                }
                let row = t.first();
                let Some(expires_at) = row.get(11)? else {
                    return Ok(None);
                };
                Ok(Some(Found {
                    session: Session {
                        client_id: row.get(1)?.unwrap_or_default(),
                        client_name: row.get(2)?.unwrap_or_default(),
                        schema_id: row.get(3)?.unwrap_or_default(),
                        expires_at_us: row.get(4)?.unwrap_or_default(),
                        role_ids: row.get::<Vec<i64>>(5)?.unwrap_or_default(),
                    },
                    role_claim_usable: row.get(6)?.unwrap_or(false),
                    schema: row.get(7)?.unwrap_or_default(),
                    alias: row.get(8)?.unwrap_or_default(),
                    schema_enabled: row.get(9)?.unwrap_or(false),
                    role_names: row.get::<Vec<String>>(10)?.unwrap_or_default(),
                    expires_at,
                    role_now: row.get(12)?,
                }))
            })
        })
    });
    r.unwrap_or_else(|e| spi_failed("read an access token", e))
}
