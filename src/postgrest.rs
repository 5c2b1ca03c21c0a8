//! What the PostgREST pre-request needs to bind its decision to the token PostgREST verified
//! (docs/postgrest.md, "What the pre-request checks"): the jti of a live pg_ords JWT and the
//! Postgres role that token maps to now.
use ords_core::http;
use pgrx::prelude::*;

/// (jti, client_id, schema alias, role now) of a live JWT.
type Binding = (String, String, String, String);

fn binding(authorization: &str) -> Option<Binding> {
    let presented = crate::bearer::resolve_authorization(authorization)?;
    let (_, jti) = presented.jwt.clone()?; // only JWTs: PostgREST verifies nothing else
    let found = crate::bearer::lookup(&presented).filter(|f| f.live())?;
    // The role a token of this client would carry if issued now: the client's, else the
    // schema's, else the schema role; only a role the schema may name now (never a superuser,
    // never a role that is gone).
    let role = found.client.role_now.clone()?;
    Some((
        jti,
        found.session.client_id,
        found.client.alias.clone(),
        role,
    ))
}

#[pg_schema]
pub mod ords {
    use super::*;

    /// For ords.postgrest_pre_request: a live pg_ords JWT (a raw token or a whole
    /// `Bearer …` header value), verified (signature, kid, alg, exp, session), as its jti,
    /// client_id, schema alias and the Postgres role it maps to now. No row for anything else.
    /// Read-only: works in read-only transactions and on hot standbys. SECURITY DEFINER so
    /// that its SET log_min_error_statement = panic (below) applies for any caller.
    #[pg_extern(stable, security_definer)]
    #[search_path(pg_catalog, pg_temp)]
    pub fn postgrest_token_binding(
        p_token: Option<&str>,
    ) -> TableIterator<
        'static,
        (
            name!(jti, String),
            name!(client_id, String),
            name!(schema_alias, String),
            name!(jwt_role, String),
        ),
    > {
        match p_token
            .filter(|t| t.len() <= http::MAX_HEADER_LEN)
            .and_then(binding)
        {
            Some(b) => TableIterator::once(b),
            None => TableIterator::new(Vec::new()),
        }
    }
}

// A failing call logs neither the token nor its statement (see tokens.rs, tokens_hardening).
extension_sql!(
    "ALTER FUNCTION ords.postgrest_token_binding(text) SET log_min_error_statement = panic SET log_parameter_max_length_on_error = 0;",
    name = "postgrest_hardening",
    requires = [ords::postgrest_token_binding]
);
