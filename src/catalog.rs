//! Everything Rust reads or writes in the catalog (ords_metadata), through SPI.
//! Read paths use `Spi::connect` + `select` (read-only: they run on hot standbys and inside
//! read-only transactions); only token issuance, revocation and purging write.
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use ords_core::decision::Rule;
use pgrx::pg_sys;
use pgrx::prelude::*;
use pgrx::spi::{OwnedPreparedStatement, SpiClient, SpiResult};

use crate::errors::spi_failed;
use crate::identity::as_owner;

thread_local! {
    static PLANS: RefCell<HashMap<&'static str, Rc<OwnedPreparedStatement>>> = RefCell::new(HashMap::new());
}

/// The plan of `sql` (named `name`), prepared once per backend and kept (SPI_keepplan), so a
/// catalog read on a cache miss pays no parse and no planning. Postgres re-plans a kept plan
/// itself when a table it reads changes (ALTER EXTENSION UPDATE, DROP and CREATE EXTENSION)
/// and whenever it runs under another search_path: call it inside `as_owner`, which always
/// sets the same one.
pub fn plan(
    c: &SpiClient<'_>,
    name: &'static str,
    sql: impl FnOnce() -> String,
    types: &[PgOid],
) -> SpiResult<Rc<OwnedPreparedStatement>> {
    if let Some(p) = PLANS.with(|m| m.borrow().get(name).cloned()) {
        return Ok(p);
    }
    let p = Rc::new(c.prepare(sql().as_str(), types)?.keep());
    PLANS.with(|m| m.borrow_mut().insert(name, p.clone()));
    Ok(p)
}

const TEXT: PgOid = PgOid::BuiltIn(PgBuiltInOids::TEXTOID);
const INT8: PgOid = PgOid::BuiltIn(PgBuiltInOids::INT8OID);
const TEXT_ARRAY: PgOid = PgOid::BuiltIn(PgBuiltInOids::TEXTARRAYOID);
/// Argument types of the kept plans.
pub mod types {
    use super::*;
    pub const ALIAS: [PgOid; 1] = [TEXT];
    pub const SCHEMA_ID: [PgOid; 1] = [INT8];
    pub const SCHEMA_RULES_FOR_PATH: [PgOid; 2] = [INT8, TEXT_ARRAY];
    pub const CLIENT_PK: [PgOid; 1] = [INT8];
    pub const ROLE_CLAIM: [PgOid; 2] = [TEXT, TEXT];
}

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

/// A REST-enabled schema's id and whether it is enabled, by alias.
pub fn load_schema(alias: &str) -> Option<(i64, bool)> {
    let r: SpiResult<Option<(i64, bool)>> = as_owner(|| {
        with_fresh_snapshot(|| {
            Spi::connect(|c| {
                let head = plan(
                    c,
                    "schema_by_alias",
                    || {
                        "SELECT id, status = 'ENABLED' FROM ords_metadata.ords_schemas WHERE pattern = $1".into()
                    },
                    &types::ALIAS,
                )?;
                let head = c.select(&*head, Some(1), &[alias.into()])?;
                if head.is_empty() {
                    return Ok(None);
                }
                let head = head.first();
                Ok(Some((
                    head.get(1)?.unwrap_or_default(),
                    head.get(2)?.unwrap_or(false),
                )))
            })
        })
    });
    r.unwrap_or_else(|e| spi_failed("read a REST-enabled schema", e))
}

/// A schema's protection rules (privilege mappings, and protected modules as `<base path>*`):
/// all of them, or (`prefixes` given) only those whose literal prefix is one of `prefixes`,
/// the rules that can govern one path (ords_core::decision::path_prefixes; the mappings'
/// literal prefixes are indexed, sql/catalog.sql).
pub fn load_rules(schema_id: i64, prefixes: Option<&[&str]>) -> Vec<Rule> {
    let r: SpiResult<Vec<Rule>> = as_owner(|| {
        with_fresh_snapshot(|| {
            Spi::connect(|c| {
                let rows = match prefixes {
                    None => {
                        let all = plan(
                            c,
                            "schema_rules",
                            || {
                                // Each privilege's roles aggregated once (a hash join), not two
                                // subqueries per rule.
                                "WITH privilege AS (
                                     SELECT p.id, p.name,
                                            coalesce(array_agg(r.id) FILTER (WHERE r.id IS NOT NULL), '{}') AS role_ids,
                                            coalesce(array_agg(r.name) FILTER (WHERE r.id IS NOT NULL), '{}') AS role_names
                                       FROM ords_metadata.sec_privileges p
                                       LEFT JOIN ords_metadata.sec_privilege_roles pr ON pr.privilege_id = p.id
                                       LEFT JOIN ords_metadata.sec_roles r ON r.id = pr.role_id
                                      WHERE p.schema_id = $1
                                      GROUP BY p.id, p.name)
                                 SELECT m.pattern, false, p.name, p.role_ids, p.role_names
                                   FROM ords_metadata.sec_privilege_mappings m JOIN privilege p ON p.id = m.privilege_id
                                  WHERE m.schema_id = $1
                                 UNION ALL
                                 SELECT mo.uri_prefix || '*', true, p.name, p.role_ids, p.role_names
                                   FROM ords_metadata.sec_privilege_modules pm
                                   JOIN ords_metadata.ords_modules mo ON mo.id = pm.module_id
                                   JOIN privilege p ON p.id = pm.privilege_id
                                  WHERE mo.schema_id = $1".into()
                            },
                            &types::SCHEMA_ID,
                        )?;
                        c.select(&*all, None, &[schema_id.into()])?
                    }
                    Some(prefixes) => {
                        let some = plan(
                            c,
                            "schema_rules_for_path",
                            || {
                                "SELECT m.pattern, false, p.name,
                                        ARRAY(SELECT pr.role_id FROM ords_metadata.sec_privilege_roles pr WHERE pr.privilege_id = p.id),
                                        ARRAY(SELECT r.name FROM ords_metadata.sec_privilege_roles pr
                                                JOIN ords_metadata.sec_roles r ON r.id = pr.role_id WHERE pr.privilege_id = p.id)
                                   FROM ords_metadata.sec_privilege_mappings m
                                   JOIN ords_metadata.sec_privileges p ON p.id = m.privilege_id
                                  WHERE m.schema_id = $1 AND split_part(m.pattern, '*', 1) = ANY ($2)
                                 UNION ALL
                                 SELECT mo.uri_prefix || '*', true, p.name,
                                        ARRAY(SELECT pr.role_id FROM ords_metadata.sec_privilege_roles pr WHERE pr.privilege_id = p.id),
                                        ARRAY(SELECT r.name FROM ords_metadata.sec_privilege_roles pr
                                                JOIN ords_metadata.sec_roles r ON r.id = pr.role_id WHERE pr.privilege_id = p.id)
                                   FROM ords_metadata.sec_privilege_modules pm
                                   JOIN ords_metadata.ords_modules mo ON mo.id = pm.module_id
                                   JOIN ords_metadata.sec_privileges p ON p.id = pm.privilege_id
                                  WHERE mo.schema_id = $1 AND split_part(mo.uri_prefix || '*', '*', 1) = ANY ($2)".into()
                            },
                            &types::SCHEMA_RULES_FOR_PATH,
                        )?;
                        let prefixes: Vec<String> =
                            prefixes.iter().map(|p| p.to_string()).collect();
                        c.select(&*some, None, &[schema_id.into(), prefixes.into()])?
                    }
                };
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
                Ok(rules)
            })
        })
    });
    r.unwrap_or_else(|e| spi_failed("read the privilege rules", e))
}

/// An access token's row in ords_metadata.oauth_sessions.
pub struct TokenRow {
    /// The client's key (oauth_clients.id).
    pub client_pk: i64,
    /// Unix time in microseconds.
    pub expires_at_us: i64,
    pub expires_at: pgrx::datum::TimestampWithTimeZone,
    /// A JWT's role claim (None: an opaque token, or a JWT issued before 0.3.0).
    pub jwt_role: Option<String>,
}

/// The row of a token by its key (SHA-256 of an opaque token, or of a JWT's `jti:` + jti):
/// one probe of the primary key index of ords_metadata.oauth_sessions under the latest
/// snapshot (docs/decision.md), read directly (no SPI, no executor), so a token seen for the
/// first time costs what its index probe costs. Columns are found by name, so an older
/// catalog (no jwt_role column before 0.3.0) is read until ALTER EXTENSION pg_ords UPDATE.
pub fn load_token(key: &[u8; 32]) -> Option<TokenRow> {
    // timestamptz counts microseconds from 2000-01-01; Unix time from 1970-01-01.
    const UNIX_TO_PG_US: i64 = 946_684_800_000_000;
    let lock = pg_sys::AccessShareLock as pg_sys::LOCKMODE;
    unsafe {
        let nsp = pg_sys::get_namespace_oid(c"ords_metadata".as_ptr(), false);
        let relid = pg_sys::get_relname_relid(c"oauth_sessions".as_ptr(), nsp);
        if relid == pg_sys::InvalidOid {
            spi_failed(
                "find ords_metadata.oauth_sessions",
                pgrx::spi::Error::NoTupleTable,
            );
        }
        let rel = pg_sys::table_open(relid, lock);
        let desc = (*rel).rd_att;
        let attnum = |name: &str| -> Option<i32> {
            (*desc)
                .attrs
                .as_slice((*desc).natts as usize)
                .iter()
                .position(|a| !a.attisdropped && pg_sys::name_data_to_str(&a.attname) == name)
                .map(|i| i as i32 + 1)
        };
        let (Some(client_col), Some(expires_col)) = (attnum("client_id"), attnum("expires_on"))
        else {
            spi_failed(
                "read ords_metadata.oauth_sessions",
                pgrx::spi::Error::NoTupleTable,
            );
        };
        let role_col = attnum("jwt_role");
        let index = pg_sys::RelationGetPrimaryKeyIndex(rel);
        let Some(key_datum) = key.as_slice().into_datum() else {
            spi_failed("probe an access token", pgrx::spi::Error::NoTupleTable);
        };
        let mut scan_key: pg_sys::ScanKeyData = std::mem::zeroed();
        pg_sys::ScanKeyInit(
            &mut scan_key,
            1,
            pg_sys::BTEqualStrategyNumber as pg_sys::StrategyNumber,
            pg_sys::Oid::from(pg_sys::F_BYTEAEQ),
            key_datum,
        );
        let snapshot = pg_sys::RegisterSnapshot(pg_sys::GetLatestSnapshot());
        let scan = pg_sys::systable_beginscan(rel, index, true, snapshot, 1, &mut scan_key);
        let tuple = pg_sys::systable_getnext(scan);
        let row = if tuple.is_null() {
            None
        } else {
            let get = |col: i32| {
                let mut isnull = false;
                let d = pg_sys::heap_getattr(tuple, col, desc, &mut isnull);
                (d, isnull)
            };
            let (pk, pk_null) = get(client_col);
            let (exp, exp_null) = get(expires_col);
            let jwt_role = role_col.and_then(|c| {
                let (d, null) = get(c);
                String::from_datum(d, null)
            });
            match (
                i64::from_datum(pk, pk_null),
                i64::from_datum(exp, exp_null),
                pgrx::datum::TimestampWithTimeZone::from_datum(exp, exp_null),
            ) {
                (Some(client_pk), Some(pg_us), Some(expires_at)) => Some(TokenRow {
                    client_pk,
                    expires_at_us: pg_us.saturating_add(UNIX_TO_PG_US),
                    expires_at,
                    jwt_role,
                }),
                _ => None,
            }
        };
        pg_sys::systable_endscan(scan);
        pg_sys::UnregisterSnapshot(snapshot);
        pg_sys::table_close(rel, lock);
        row
    }
}

/// What the catalog says about a client and its schema, for every token of the client.
pub struct Client {
    /// The OAuth client_id.
    pub client_id: String,
    pub name: String,
    pub schema_id: i64,
    /// The schema role, its alias, whether it is enabled.
    pub schema: String,
    pub alias: String,
    pub schema_enabled: bool,
    /// The client's ORDS roles: ids, and names sorted.
    pub role_ids: Vec<i64>,
    pub role_names: Vec<String>,
    /// The Postgres role a JWT of this client maps to now (the client's, else the schema's,
    /// else the schema role), when the schema may still name it (docs/postgrest.md).
    pub role_now: Option<String>,
}

pub fn load_client(pk: i64) -> Option<Client> {
    let r: SpiResult<Option<Client>> = as_owner(|| {
        with_fresh_snapshot(|| {
            Spi::connect(|c| {
                // to_jsonb: a 0.1.0 catalog (no jwt_role columns) still decides.
                let p = plan(
                    c,
                    "client_by_pk",
                    || {
                        format!(
                            "SELECT c.client_id, c.name, c.schema_id, s.parsing_schema, s.pattern, s.status = 'ENABLED',
                                    ARRAY(SELECT cr.role_id FROM ords_metadata.oauth_client_roles cr WHERE cr.client_id = c.id),
                                    ARRAY(SELECT r.name FROM ords_metadata.oauth_client_roles cr
                                            JOIN ords_metadata.sec_roles r ON r.id = cr.role_id
                                           WHERE cr.client_id = c.id ORDER BY r.name),
                                    (SELECT r.rolname::text FROM pg_catalog.pg_roles r
                                      WHERE r.rolname = coalesce(to_jsonb(c)->>'jwt_role', to_jsonb(s)->>'jwt_role', s.parsing_schema)
                                        AND {usable})
                               FROM ords_metadata.oauth_clients c
                               JOIN ords_metadata.ords_schemas s ON s.id = c.schema_id
                              WHERE c.id = $1",
                            usable = jwt_role_usable_sql("s.parsing_schema", "r.rolname")
                        )
                    },
                    &types::CLIENT_PK,
                )?;
                let t = c.select(&*p, Some(1), &[pk.into()])?;
                if t.is_empty() {
                    return Ok(None);
                }
                let row = t.first();
                Ok(Some(Client {
                    client_id: row.get(1)?.unwrap_or_default(),
                    name: row.get(2)?.unwrap_or_default(),
                    schema_id: row.get(3)?.unwrap_or_default(),
                    schema: row.get(4)?.unwrap_or_default(),
                    alias: row.get(5)?.unwrap_or_default(),
                    schema_enabled: row.get(6)?.unwrap_or(false),
                    role_ids: row.get::<Vec<i64>>(7)?.unwrap_or_default(),
                    role_names: row.get::<Vec<String>>(8)?.unwrap_or_default(),
                    role_now: row.get(9)?,
                }))
            })
        })
    });
    r.unwrap_or_else(|e| spi_failed("read an OAuth client", e))
}

/// May schema role `schema` still hand out `role` as a JWT role claim (see
/// `jwt_role_usable_sql`)?
pub fn role_claim_usable(schema: &str, role: &str) -> bool {
    let r: SpiResult<Option<bool>> = as_owner(|| {
        with_fresh_snapshot(|| {
            Spi::connect(|c| {
                let p = plan(
                    c,
                    "role_claim_usable",
                    || format!("SELECT {}", jwt_role_usable_sql("$1", "$2")),
                    &types::ROLE_CLAIM,
                )?;
                c.select(&*p, Some(1), &[schema.into(), role.into()])?
                    .first()
                    .get_one()
            })
        })
    });
    r.unwrap_or_else(|e| spi_failed("check a JWT role claim", e))
        .unwrap_or(false)
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
