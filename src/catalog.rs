//! Everything Rust reads or writes in the catalog (ords_metadata), through SPI.
//! Read paths use `Spi::connect` + `select` (read-only: they run on hot standbys and inside
//! read-only transactions); only token issuance, revocation and purging write.
use ords_core::decision::{Rule, RuleSet, Schema};
use pgrx::pg_sys;
use pgrx::prelude::*;
use pgrx::spi::SpiResult;

use crate::errors::spi_failed;
use crate::identity::as_owner;

/// The relation whose relcache invalidations mean "pg_ords catalog changed".
pub fn marker_relation() -> pg_sys::Oid {
    let r: SpiResult<Option<pg_sys::Oid>> = as_owner(|| {
        Spi::connect(|c| {
            c.select(
                "SELECT 'ords_metadata.oauth_sessions'::regclass::oid",
                None,
                &[],
            )?
            .first()
            .get_one()
        })
    });
    match r {
        Ok(Some(oid)) => oid,
        Ok(None) => spi_failed(
            "find ords_metadata.oauth_sessions",
            pgrx::spi::Error::NoTupleTable,
        ),
        Err(e) => spi_failed("find ords_metadata.oauth_sessions", e),
    }
}

/// Run `f` (read-only SPI) under the latest snapshot: every change committed so far, whatever
/// the caller's isolation level (docs/security.md, "Decisions see every committed change").
/// A STABLE function's read-only query would otherwise reuse the calling statement's
/// snapshot, and in REPEATABLE READ or SERIALIZABLE the transaction's, which may predate a
/// revocation whose invalidation this backend has already processed.
pub fn with_fresh_snapshot<R>(f: impl FnOnce() -> R) -> R {
    unsafe {
        pg_sys::PushActiveSnapshot(pg_sys::GetLatestSnapshot());
        let r = f();
        pg_sys::PopActiveSnapshot();
        r
    }
}

/// SQL: may schema role `$schema` (an expression) hand out role `$role` as a JWT role claim?
/// Only a non-superuser role the schema role is a member of (itself included); checked when a
/// token is issued and at every use (docs/security.md). Inlined SQL rather than a catalog
/// function, so that an old catalog served by this library before ALTER EXTENSION UPDATE
/// still works. Its own table aliases (usable_role, usable_schema) must not be used by the
/// expressions passed in.
pub fn jwt_role_usable_sql(schema: &str, role: &str) -> String {
    format!(
        "coalesce((SELECT NOT usable_role.rolsuper AND pg_catalog.pg_has_role(usable_schema.oid, usable_role.oid, 'MEMBER')
                     FROM pg_catalog.pg_roles usable_role, pg_catalog.pg_roles usable_schema
                    WHERE usable_role.rolname OPERATOR(pg_catalog.=) ({role})
                      AND usable_schema.rolname OPERATOR(pg_catalog.=) ({schema})), false)"
    )
}

/// A schema's id, status and protection rules (privilege mappings, and protected modules as
/// `<base path>*`), by alias.
pub fn load_schema(alias: &str) -> Option<Schema> {
    let r: SpiResult<Option<Schema>> = as_owner(|| {
        with_fresh_snapshot(|| {
            Spi::connect(|c| {
                let head = c.select(
            "SELECT id, status = 'ENABLED' FROM ords_metadata.ords_schemas WHERE pattern = $1",
            Some(1),
            &[alias.into()],
        )?;
                if head.is_empty() {
                    return Ok(None);
                }
                let head = head.first();
                let id: i64 = head.get(1)?.unwrap_or_default();
                let enabled: bool = head.get(2)?.unwrap_or(false);
                let rows = c.select(
            "SELECT m.pattern, false, p.name,
                    ARRAY(SELECT pr.role_id FROM ords_metadata.sec_privilege_roles pr WHERE pr.privilege_id = p.id),
                    ARRAY(SELECT r.name FROM ords_metadata.sec_privilege_roles pr JOIN ords_metadata.sec_roles r ON r.id = pr.role_id
                           WHERE pr.privilege_id = p.id)
               FROM ords_metadata.sec_privilege_mappings m
               JOIN ords_metadata.sec_privileges p ON p.id = m.privilege_id
              WHERE m.schema_id = $1
             UNION ALL
             SELECT mo.uri_prefix || '*', true, p.name,
                    ARRAY(SELECT pr.role_id FROM ords_metadata.sec_privilege_roles pr WHERE pr.privilege_id = p.id),
                    ARRAY(SELECT r.name FROM ords_metadata.sec_privilege_roles pr JOIN ords_metadata.sec_roles r ON r.id = pr.role_id
                           WHERE pr.privilege_id = p.id)
               FROM ords_metadata.sec_privilege_modules pm
               JOIN ords_metadata.ords_modules mo ON mo.id = pm.module_id
               JOIN ords_metadata.sec_privileges p ON p.id = pm.privilege_id
              WHERE mo.schema_id = $1",
            None,
            &[id.into()],
        )?;
                let mut rules = Vec::with_capacity(rows.len());
                for row in rows {
                    rules.push(Rule::new(
                        row.get(1)?.unwrap_or_default(),
                        row.get(2)?.unwrap_or(false),
                        row.get(3)?.unwrap_or_default(),
                        row.get::<Vec<i64>>(4)?.unwrap_or_default(),
                        row.get::<Vec<String>>(5)?.unwrap_or_default(),
                    ));
                }
                Ok(Some(Schema {
                    id,
                    enabled,
                    rules: RuleSet::new(rules),
                }))
            })
        })
    });
    r.unwrap_or_else(|e| spi_failed("read the privilege rules", e))
}

/// What token issuance needs to know about a client.
pub struct IssueClient {
    pub pk: i64,
    pub client_id: String,
    /// 'opaque' or 'jwt' chosen by the schema, else None (the setting decides).
    pub token_format: Option<String>,
    /// The Postgres role for PostgREST: the client's, else the schema's, else the schema role.
    pub jwt_role: String,
    /// The client's privilege names, space-separated (the JWT scope).
    pub scope: String,
    /// May the schema name jwt_role now (a non-superuser role the schema role is a member of)?
    pub jwt_role_ok: bool,
    pub grant_type: String,
    pub token_duration: Option<i32>,
    pub alias: String,
    pub enabled: bool,
    pub secret_hashes: Vec<String>,
}

/// (The 0.2.0 columns are read through to_jsonb, so a 0.2.0 library still issues tokens for a
/// catalog that is not yet updated from 0.1.0.)
pub fn client_for_issue(client_id: &str) -> Option<IssueClient> {
    // The latest snapshot: a secret rotated or a client deleted after a REPEATABLE READ
    // transaction began is not the one checked.
    let r: SpiResult<Option<IssueClient>> = with_fresh_snapshot(|| {
        Spi::connect(|c| {
            let t = c.select(
            &format!(
                "SELECT c.id, c.grant_type, c.token_duration, s.pattern, s.status = 'ENABLED',
                    ARRAY(SELECT x.secret_hash FROM ords_metadata.oauth_client_secrets x WHERE x.client_id = c.id ORDER BY x.slot),
                    c.client_id, to_jsonb(s)->>'token_format',
                    coalesce(to_jsonb(c)->>'jwt_role', to_jsonb(s)->>'jwt_role', s.parsing_schema),
                    coalesce((SELECT string_agg(p.name, ' ' ORDER BY p.name) FROM ords_metadata.oauth_client_privileges cp
                               JOIN ords_metadata.sec_privileges p ON p.id = cp.privilege_id WHERE cp.client_id = c.id), ''),
                    {usable}
               FROM ords_metadata.oauth_clients c
               JOIN ords_metadata.ords_schemas s ON s.id = c.schema_id
              WHERE c.client_id = $1",
                usable = jwt_role_usable_sql("s.parsing_schema", "coalesce(to_jsonb(c)->>'jwt_role', to_jsonb(s)->>'jwt_role', s.parsing_schema)")
            ),
            Some(1),
            &[client_id.into()],
        )?;
            if t.is_empty() {
                return Ok(None);
            }
            let row = t.first();
            Ok(Some(IssueClient {
                pk: row.get(1)?.unwrap_or_default(),
                grant_type: row.get(2)?.unwrap_or_default(),
                token_duration: row.get(3)?,
                alias: row.get(4)?.unwrap_or_default(),
                enabled: row.get(5)?.unwrap_or(false),
                secret_hashes: row.get::<Vec<String>>(6)?.unwrap_or_default(),
                client_id: row.get(7)?.unwrap_or_default(),
                token_format: row.get(8)?,
                jwt_role: row.get(9)?.unwrap_or_default(),
                scope: row.get(10)?.unwrap_or_default(),
                jwt_role_ok: row.get(11)?.unwrap_or(false),
            }))
        })
    });
    r.unwrap_or_else(|e| spi_failed("read an OAuth client", e))
}

/// Lock the client row FOR KEY SHARE before its token is stored (after the secret was checked,
/// so the lock is not held during Argon2). False when the client was deleted meanwhile: a token
/// request racing with delete_client then answers invalid_client instead of failing on the
/// sessions foreign key.
pub fn lock_client(client_pk: i64) -> bool {
    let r: SpiResult<bool> = Spi::connect_mut(|c| {
        let t = c.update(
            "SELECT 1 FROM ords_metadata.oauth_clients WHERE id = $1 FOR KEY SHARE",
            Some(1),
            &[client_pk.into()],
        )?;
        Ok(!t.is_empty())
    });
    r.unwrap_or_else(|e| spi_failed("lock the OAuth client", e))
}

/// Store a new token's hash, and purge a few expired tokens on the way (at most 10 per issue,
/// skipping rows another session is purging), so the table stays bounded without a cron job.
pub fn insert_session(hash: &[u8; 32], client_pk: i64, duration_s: i32, jwt_role: Option<&str>) {
    let r: SpiResult<()> = Spi::connect_mut(|c| {
        match jwt_role {
            None => c.update(
                "INSERT INTO ords_metadata.oauth_sessions (token_hash, client_id, expires_on)
                 VALUES ($1, $2, clock_timestamp() + make_interval(secs => $3))",
                None,
                &[hash.as_slice().into(), client_pk.into(), f64::from(duration_s).into()],
            )?,
            Some(role) => c.update(
                "INSERT INTO ords_metadata.oauth_sessions (token_hash, client_id, expires_on, jwt_role)
                 VALUES ($1, $2, clock_timestamp() + make_interval(secs => $3), $4)",
                None,
                &[hash.as_slice().into(), client_pk.into(), f64::from(duration_s).into(), role.into()],
            )?,
        };
        // Probe first: the DELETE (and its statement trigger) runs only when there is work.
        let expired: Option<bool> = c
            .select(
                "SELECT EXISTS (SELECT FROM ords_metadata.oauth_sessions WHERE expires_on < now())",
                Some(1),
                &[],
            )?
            .first()
            .get_one()?;
        if expired == Some(true) {
            c.update(
                "DELETE FROM ords_metadata.oauth_sessions WHERE ctid = ANY (ARRAY(
                     SELECT ctid FROM ords_metadata.oauth_sessions WHERE expires_on < now()
                      LIMIT 10 FOR UPDATE SKIP LOCKED))",
                None,
                &[],
            )?;
        }
        Ok(())
    });
    r.unwrap_or_else(|e| spi_failed("store the access token", e))
}

pub fn delete_session(hash: &[u8; 32]) -> bool {
    let r: SpiResult<bool> = Spi::connect_mut(|c| {
        let t = c.update(
            "DELETE FROM ords_metadata.oauth_sessions WHERE token_hash = $1 RETURNING 1",
            None,
            &[hash.as_slice().into()],
        )?;
        Ok(!t.is_empty())
    });
    r.unwrap_or_else(|e| spi_failed("revoke the access token", e))
}

pub fn purge_expired() -> i64 {
    let r: SpiResult<Option<i64>> = Spi::connect_mut(|c| {
        c.update(
            "WITH gone AS (DELETE FROM ords_metadata.oauth_sessions WHERE expires_on < now() RETURNING 1)
             SELECT count(*) FROM gone",
            None,
            &[],
        )?
        .first()
        .get_one()
    });
    r.unwrap_or_else(|e| spi_failed("purge expired tokens", e))
        .unwrap_or(0)
}
