//! Client-credentials token issuance (RFC 6749 §4.4), the token endpoint as a function,
//! validation, revocation (RFC 7009) and purging. Schema `oauth`.
use ords_core::http::{self, Credentials};
use ords_core::secrets;
use pgrx::pg_sys;
use pgrx::prelude::*;
use serde_json::{Value, json};

use crate::catalog;
use crate::errors::raise;
use crate::throttle;

/// Why a token request failed. Each maps to one SQLSTATE (issue_token) and one RFC 6749 §5.2
/// answer (token_endpoint).
#[derive(Debug, PartialEq, Eq)]
pub enum IssueError {
    InvalidRequest(String),
    UnsupportedGrantType,
    /// Unknown client_id or wrong secret: one error for both, so ids cannot be probed.
    InvalidClient,
    /// The client's credentials were right, but it has no secret / belongs to another schema.
    NoSecret,
    WrongSchema,
    SchemaDisabled,
    UnauthorizedClient,
    /// The JWT role of the client (or its schema) is one the schema may no longer name.
    JwtRoleNotAllowed,
    Throttled(i64),
    ReadOnly,
}

impl IssueError {
    fn sqlstate(&self) -> PgSqlErrorCode {
        use PgSqlErrorCode::*;
        match self {
            IssueError::InvalidRequest(_) => ERRCODE_INVALID_PARAMETER_VALUE,
            IssueError::UnsupportedGrantType => ERRCODE_FEATURE_NOT_SUPPORTED,
            IssueError::InvalidClient => ERRCODE_INVALID_PASSWORD,
            IssueError::NoSecret => ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE,
            IssueError::WrongSchema | IssueError::SchemaDisabled => {
                ERRCODE_INVALID_AUTHORIZATION_SPECIFICATION
            }
            IssueError::UnauthorizedClient | IssueError::JwtRoleNotAllowed => {
                ERRCODE_INSUFFICIENT_PRIVILEGE
            }
            IssueError::Throttled(_) => ERRCODE_CONFIGURATION_LIMIT_EXCEEDED,
            IssueError::ReadOnly => ERRCODE_READ_ONLY_SQL_TRANSACTION,
        }
    }

    fn message(&self) -> (String, &'static str) {
        match self {
            IssueError::InvalidRequest(m) => (m.clone(), "Pass p_client_id and p_client_secret."),
            IssueError::UnsupportedGrantType => (
                "unsupported grant type: only client_credentials is supported".into(),
                "Pass p_grant_type => 'client_credentials'.",
            ),
            IssueError::InvalidClient => (
                "invalid client credentials".into(),
                "Check the client_id and client_secret (both end in \"..\" when pg_ords generated them).",
            ),
            IssueError::NoSecret => (
                "the OAuth client has no secret".into(),
                "Give it one with oauth.rotate_client_secret or ords_security.register_client_secret.",
            ),
            IssueError::WrongSchema => (
                "the OAuth client does not belong to this REST-enabled schema".into(),
                "Request the token at the schema alias the client was created in.",
            ),
            IssueError::SchemaDisabled => (
                "the OAuth client's REST-enabled schema is disabled".into(),
                "Enable it again with ords.enable_schema(p_enabled => true).",
            ),
            IssueError::UnauthorizedClient => (
                "the OAuth client is not registered for the client_credentials grant".into(),
                "Create a client with p_grant_type => 'client_credentials' for machine-to-machine access.",
            ),
            IssueError::JwtRoleNotAllowed => (
                "the JWT role of this OAuth client may not be used by its schema".into(),
                "The role must be a non-superuser role the schema role is a member of: GRANT it to the schema role, or choose another with oauth.set_client_jwt_role / ords.set_token_format.",
            ),
            IssueError::Throttled(s) => (
                format!(
                    "too many failed authentication attempts for this client_id; retry in {s} seconds"
                ),
                "The wait grows with each failure; see pg_ords.failed_attempts_allowed.",
            ),
            IssueError::ReadOnly => (
                "tokens cannot be issued or revoked in a read-only transaction or on a hot standby"
                    .into(),
                "Issue and revoke tokens on the primary, in a read-write transaction; validation works anywhere.",
            ),
        }
    }

    fn raise(&self) -> ! {
        let (msg, hint) = self.message();
        raise(self.sqlstate(), msg, Some(hint))
    }
}

pub struct Issued {
    pub access_token: String,
    pub expires_in: i32,
}

fn read_only() -> bool {
    unsafe { pg_sys::RecoveryInProgress() || pg_sys::XactReadOnly }
}

/// Verify a client secret against every stored hash, without stopping at the first match, so
/// the cost depends on how many secrets the client has, not on which one (if any) matches. An
/// unknown client costs one verification, like a client with one secret.
fn verify_client_secret(
    client: Option<&catalog::IssueClient>,
    secret: &str,
) -> Result<(), IssueError> {
    let dummy = crate::settings::argon2_params(true);
    match client {
        None => {
            secrets::dummy_verify(dummy);
            Err(IssueError::InvalidClient)
        }
        Some(c) if c.secret_hashes.is_empty() => {
            secrets::dummy_verify(dummy);
            Err(IssueError::NoSecret)
        }
        Some(c) => {
            let mut ok = false;
            for h in &c.secret_hashes {
                ok |= secrets::verify_secret(secret, h);
            }
            if ok {
                Ok(())
            } else {
                Err(IssueError::InvalidClient)
            }
        }
    }
}

/// The one implementation behind oauth.issue_token and oauth.token_endpoint.
pub fn issue(
    client_id: &str,
    secret: &str,
    grant_type: &str,
    alias: Option<&str>,
) -> Result<Issued, IssueError> {
    if grant_type != "client_credentials" {
        return Err(IssueError::UnsupportedGrantType);
    }
    if client_id.is_empty() || client_id.len() > 255 || secret.len() > 1024 {
        return Err(IssueError::InvalidClient);
    }
    if read_only() {
        return Err(IssueError::ReadOnly);
    }
    // The attempt is reserved (counted as a failure) before the secret is checked, so
    // parallel guesses cannot all be evaluated (docs/authentication.md). Every failed check
    // counts, a client without a secret included.
    let client = catalog::client_for_issue(client_id);
    let reservation = throttle::reserve(throttle::Kind::Client, client_id, client.is_some())
        .map_err(IssueError::Throttled)?;
    match verify_client_secret(client.as_ref(), secret) {
        Ok(()) => reservation.succeeded(),
        Err(e) => {
            reservation.failed();
            return Err(e);
        }
    }
    let Some(client) = client else {
        return Err(IssueError::InvalidClient);
    };
    if let Some(a) = alias
        && a != client.alias
    {
        return Err(IssueError::WrongSchema);
    }
    if !client.enabled {
        return Err(IssueError::SchemaDisabled);
    }
    if client.grant_type != "client_credentials" {
        return Err(IssueError::UnauthorizedClient);
    }
    if !catalog::lock_client(client.pk) {
        return Err(IssueError::InvalidClient);
    }
    let expires_in = crate::settings::token_lifetime(client.token_duration);
    let format = client
        .token_format
        .clone()
        .or_else(|| crate::settings::string_setting(&crate::settings::TOKEN_FORMAT))
        .unwrap_or_else(|| "opaque".into());
    if format == "jwt" {
        if !client.jwt_role_ok {
            return Err(IssueError::JwtRoleNotAllowed);
        }
        let jti = secrets::random_token();
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| i64::try_from(d.as_secs()).unwrap_or(0))
            .unwrap_or(0);
        let claims = json!({
            "iss": crate::settings::string_setting(&crate::settings::JWT_ISSUER).unwrap_or_else(|| "pg_ords".into()),
            "sub": client.client_id,
            "aud": crate::settings::string_setting(&crate::settings::JWT_AUDIENCE).unwrap_or_else(|| client.alias.clone()),
            "iat": now,
            "exp": now + i64::from(expires_in),
            "jti": jti,
            "scope": client.scope,
            "role": client.jwt_role,
        });
        let access_token = crate::jwt_keys::sign(&claims);
        // The digest of the exact text returned: a decision on this text need not check its
        // signature again (docs/tokens.md, "Verifying a JWT"; src/bearer.rs, `session`).
        catalog::insert_session(
            &crate::jwt_keys::session_key(&jti),
            client.pk,
            expires_in,
            Some(catalog::JwtFacts {
                role: &client.jwt_role,
                digest: secrets::token_hash(&access_token),
            }),
        );
        return Ok(Issued {
            access_token,
            expires_in,
        });
    }
    let access_token = secrets::random_token();
    catalog::insert_session(
        &secrets::token_hash(&access_token),
        client.pk,
        expires_in,
        None,
    );
    Ok(Issued {
        access_token,
        expires_in,
    })
}

/// RFC 6749 §5.1/§5.2 answer: (status, headers, body).
fn answer(
    status: i32,
    extra_headers: &[(&str, String)],
    body: Value,
) -> (i32, pgrx::JsonB, pgrx::JsonB) {
    let mut headers = serde_json::Map::new();
    headers.insert(
        "Content-Type".into(),
        json!("application/json;charset=UTF-8"),
    );
    headers.insert("Cache-Control".into(), json!("no-store"));
    headers.insert("Pragma".into(), json!("no-cache"));
    for (k, v) in extra_headers {
        headers.insert((*k).into(), json!(v));
    }
    (
        status,
        pgrx::JsonB(Value::Object(headers)),
        pgrx::JsonB(body),
    )
}

fn error_answer(
    status: i32,
    code: &str,
    description: &str,
    extra: &[(&str, String)],
) -> (i32, pgrx::JsonB, pgrx::JsonB) {
    answer(
        status,
        extra,
        json!({ "error": code, "error_description": description }),
    )
}

/// The token endpoint as a pure function of the request (no SQL error escapes for bad input).
pub fn token_endpoint(
    authorization: Option<&str>,
    content_type: Option<&str>,
    body: Option<&str>,
    alias: Option<&str>,
) -> (i32, pgrx::JsonB, pgrx::JsonB) {
    let invalid = |d: &str| error_answer(400, "invalid_request", d, &[]);
    let creds = match http::parse_authorization(authorization) {
        Ok(c) => c,
        Err(e) => return invalid(&format!("malformed Authorization header: {e}")),
    };
    if !http::media_type_is_form(content_type) {
        return invalid("the request body must be application/x-www-form-urlencoded");
    }
    let form = match http::parse_form(body.unwrap_or("")) {
        Ok(f) => f,
        Err(e) => return invalid(&format!("malformed request body: {e}")),
    };
    let field = |name: &str| {
        form.iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    respond(
        creds,
        field("grant_type"),
        field("client_id"),
        field("client_secret"),
        alias,
    )
}

/// The token endpoint once the request is parsed: the client authentication (Basic header or
/// form fields) and the grant type.
pub fn respond(
    creds: Credentials,
    grant_type: Option<&str>,
    form_client_id: Option<&str>,
    form_client_secret: Option<&str>,
    alias: Option<&str>,
) -> (i32, pgrx::JsonB, pgrx::JsonB) {
    let invalid = |d: &str| error_answer(400, "invalid_request", d, &[]);
    let field = |name: &str| match name {
        "client_id" => form_client_id,
        _ => form_client_secret,
    };
    let Some(grant_type) = grant_type else {
        return invalid("grant_type is missing");
    };
    if grant_type != "client_credentials" {
        return error_answer(
            400,
            "unsupported_grant_type",
            "only the client_credentials grant is supported",
            &[],
        );
    }
    let basic = matches!(creds, Credentials::Basic { .. });
    let challenge = [("WWW-Authenticate", "Basic realm=\"oauth\"".to_string())];
    let (client_id, secret) = match (&creds, field("client_id"), field("client_secret")) {
        (Credentials::Basic { .. }, Some(_), _) | (Credentials::Basic { .. }, _, Some(_)) => {
            return invalid(
                "use one client authentication method: HTTP Basic or client_id/client_secret in the body, not both",
            );
        }
        (Credentials::Basic { user, password }, None, None) => (user.clone(), password.clone()),
        (Credentials::None, Some(id), Some(s)) => (id.to_string(), s.to_string()),
        (Credentials::None, Some(_), None) => return invalid("client_secret is missing"),
        (Credentials::Bearer(_), _, _) | (Credentials::Unsupported, _, _) => {
            return error_answer(
                401,
                "invalid_client",
                "client authentication must use HTTP Basic",
                &challenge,
            );
        }
        (Credentials::None, None, _) => {
            return error_answer(
                401,
                "invalid_client",
                "client authentication is required",
                &challenge,
            );
        }
    };
    let challenge: &[(&str, String)] = if basic { &challenge } else { &[] };
    match issue(&client_id, &secret, grant_type, alias) {
        Ok(t) => answer(
            200,
            &[],
            json!({ "access_token": t.access_token, "token_type": "bearer", "expires_in": t.expires_in }),
        ),
        Err(IssueError::Throttled(s)) => error_answer(
            429,
            "invalid_client",
            "too many failed authentication attempts; retry later",
            &[("Retry-After", s.to_string())],
        ),
        Err(IssueError::JwtRoleNotAllowed) => error_answer(
            400,
            "unauthorized_client",
            "the client's JWT role may not be used by its schema",
            &[],
        ),
        Err(IssueError::UnauthorizedClient) => error_answer(
            400,
            "unauthorized_client",
            "the client is not registered for the client_credentials grant",
            &[],
        ),
        Err(IssueError::UnsupportedGrantType) => error_answer(
            400,
            "unsupported_grant_type",
            "only the client_credentials grant is supported",
            &[],
        ),
        Err(IssueError::ReadOnly) => error_answer(
            503,
            "temporarily_unavailable",
            "tokens cannot be issued here (read-only transaction or hot standby)",
            &[],
        ),
        Err(IssueError::InvalidRequest(m)) => invalid(&m),
        Err(
            IssueError::InvalidClient
            | IssueError::NoSecret
            | IssueError::WrongSchema
            | IssueError::SchemaDisabled,
        ) => error_answer(
            401,
            "invalid_client",
            "client authentication failed",
            challenge,
        ),
    }
}

#[pg_schema]
pub mod oauth {
    use super::*;

    /// Trade a client_id and secret for a bearer token (client-credentials grant).
    #[pg_extern(volatile, security_definer)]
    #[search_path(pg_catalog, pg_temp)]
    pub fn issue_token(
        p_client_id: Option<&str>,
        p_client_secret: Option<&str>,
        p_grant_type: default!(Option<&str>, "'client_credentials'"),
        p_schema_alias: default!(Option<&str>, "NULL"),
    ) -> TableIterator<
        'static,
        (
            name!(access_token, String),
            name!(token_type, String),
            name!(expires_in, i32),
        ),
    > {
        let (Some(id), Some(secret)) = (p_client_id, p_client_secret) else {
            IssueError::InvalidRequest("p_client_id and p_client_secret must not be NULL".into())
                .raise()
        };
        match issue(id, secret, p_grant_type.unwrap_or(""), p_schema_alias) {
            Ok(t) => TableIterator::once((t.access_token, "bearer".to_string(), t.expires_in)),
            Err(e) => e.raise(),
        }
    }

    /// The whole RFC 6749 token endpoint: copy the request in, the answer out.
    #[pg_extern(volatile, security_definer)]
    #[search_path(pg_catalog, pg_temp)]
    pub fn token_endpoint(
        p_authorization: Option<&str>,
        p_content_type: Option<&str>,
        p_body: Option<&str>,
        p_schema_alias: Option<&str>,
    ) -> TableIterator<
        'static,
        (
            name!(status, i32),
            name!(headers, pgrx::JsonB),
            name!(body, pgrx::JsonB),
        ),
    > {
        if p_authorization.is_some_and(|h| h.len() > http::MAX_HEADER_LEN)
            || p_body.is_some_and(|b| b.len() > http::MAX_BODY_LEN)
        {
            let (s, h, b) = error_answer(
                400,
                "invalid_request",
                "request header or body too long",
                &[],
            );
            return TableIterator::once((s, h, b));
        }
        TableIterator::once(super::token_endpoint(
            p_authorization,
            p_content_type,
            p_body,
            p_schema_alias,
        ))
    }

    /// The token endpoint for callers that have the fields already (PostgREST's /rpc/token):
    /// the Authorization header, and the grant_type, client_id and client_secret form fields.
    #[pg_extern(volatile, security_definer)]
    #[search_path(pg_catalog, pg_temp)]
    pub fn token_request(
        p_authorization: Option<&str>,
        p_grant_type: Option<&str>,
        p_client_id: Option<&str>,
        p_client_secret: Option<&str>,
        p_schema_alias: Option<&str>,
    ) -> TableIterator<
        'static,
        (
            name!(status, i32),
            name!(headers, pgrx::JsonB),
            name!(body, pgrx::JsonB),
        ),
    > {
        let creds = match http::parse_authorization(p_authorization) {
            Ok(c) => c,
            Err(e) => {
                return TableIterator::once(error_answer(
                    400,
                    "invalid_request",
                    &format!("malformed Authorization header: {e}"),
                    &[],
                ));
            }
        };
        TableIterator::once(super::respond(
            creds,
            p_grant_type,
            p_client_id,
            p_client_secret,
            p_schema_alias,
        ))
    }

    /// The token's client, schema, roles and expiry; no row for an unknown or expired token.
    /// Read-only: works on hot standbys.
    #[pg_extern(stable, security_definer)]
    #[search_path(pg_catalog, pg_temp)]
    pub fn validate_token(
        p_token: Option<&str>,
    ) -> TableIterator<
        'static,
        (
            name!(client_id, String),
            name!(client_name, String),
            name!(schema, String),
            name!(schema_alias, String),
            name!(roles, Vec<String>),
            name!(expires_at, pgrx::datum::TimestampWithTimeZone),
        ),
    > {
        let found = p_token
            .and_then(crate::bearer::resolve_authorization)
            .and_then(|p| crate::bearer::lookup(&p))
            .filter(|f| f.live());
        TableIterator::new(found.map(|f| {
            (
                f.session.client_id,
                f.session.client_name,
                f.client.schema.clone(),
                f.client.alias.clone(),
                f.client.role_names.clone(),
                f.expires_at,
            )
        }))
    }

    /// RFC 7009: revoke a token; unknown tokens are not an error. Returns whether one went.
    #[pg_extern(volatile, security_definer)]
    #[search_path(pg_catalog, pg_temp)]
    pub fn revoke_token(p_token: Option<&str>) -> bool {
        if read_only() {
            IssueError::ReadOnly.raise()
        }
        match p_token.and_then(crate::bearer::resolve_authorization) {
            Some(presented) => catalog::delete_session(&presented.key),
            None => false,
        }
    }

    /// `Basic base64(client_id:client_secret)`, the Authorization header curl's `--user id:secret`
    /// sends: for tests, demos and SQL clients of oauth.token_endpoint.
    #[pg_extern(immutable, parallel_safe)]
    pub fn basic_authorization(p_client_id: &str, p_client_secret: &str) -> String {
        http::basic_header(p_client_id, p_client_secret)
    }

    /// Delete expired tokens; returns how many went. Token issuance also purges up to 10
    /// expired tokens per call, so this is only needed to reclaim a backlog at once.
    #[pg_extern(volatile, security_definer)]
    #[search_path(pg_catalog, pg_temp)]
    pub fn purge_expired_tokens() -> i64 {
        if read_only() {
            IssueError::ReadOnly.raise()
        }
        catalog::purge_expired()
    }
}

// Secrets and tokens never reach the server log (docs/secrets.md#never-in-logs):
// a failing call must log neither its statement text (a literal secret or token) nor its bind
// parameters. tests/pg_regress/sql/function_hardening.sql checks that every function taking a
// secret, token or Authorization value carries these settings.
extension_sql!(
    r#"
ALTER FUNCTION oauth.issue_token(text, text, text, text) SET log_min_error_statement = panic SET log_parameter_max_length_on_error = 0;
ALTER FUNCTION oauth.token_endpoint(text, text, text, text) SET log_min_error_statement = panic SET log_parameter_max_length_on_error = 0;
ALTER FUNCTION oauth.token_request(text, text, text, text, text) SET log_min_error_statement = panic SET log_parameter_max_length_on_error = 0;
ALTER FUNCTION oauth.validate_token(text) SET log_min_error_statement = panic SET log_parameter_max_length_on_error = 0;
ALTER FUNCTION oauth.revoke_token(text) SET log_min_error_statement = panic SET log_parameter_max_length_on_error = 0;
"#,
    name = "tokens_hardening",
    requires = [
        oauth::issue_token,
        oauth::token_endpoint,
        oauth::token_request,
        oauth::validate_token,
        oauth::revoke_token
    ]
);
