//! Everything Rust reads or writes in the catalog (ords_metadata). What a decision reads on a
//! cache miss (schema, rules of a path, token, client) is read with direct index scans
//! (src/direct.rs, and `load_token` here), falling back to SPI on a catalog without the
//! expected indexes; the other reads use SPI (`Spi::connect` + `select`). All reads are
//! read-only (they run on hot standbys and inside read-only transactions); only token
//! issuance, revocation and purging write.
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use ords_core::decision::Rule;
use pgrx::pg_sys;
use pgrx::prelude::*;
use pgrx::spi::{OwnedPreparedStatement, SpiClient, SpiResult};

use crate::direct::{Key, Snapshot, with_table};
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
const BYTEA: PgOid = PgOid::BuiltIn(PgBuiltInOids::BYTEAOID);
const FLOAT8: PgOid = PgOid::BuiltIn(PgBuiltInOids::FLOAT8OID);
/// Argument types of the kept plans.
pub mod types {
    use super::*;
    pub const ALIAS: [PgOid; 1] = [TEXT];
    pub const SCHEMA_ID: [PgOid; 1] = [INT8];
    pub const SCHEMA_RULES_FOR_PATH: [PgOid; 2] = [INT8, TEXT_ARRAY];
    pub const CLIENT_PK: [PgOid; 1] = [INT8];
    pub const CLIENT_ID: [PgOid; 1] = [TEXT];
    pub const SESSION: [PgOid; 3] = [BYTEA, INT8, FLOAT8];
    pub const JWT_SESSION: [PgOid; 4] = [BYTEA, INT8, FLOAT8, TEXT];
    pub const JWT_SESSION_DIGEST: [PgOid; 5] = [BYTEA, INT8, FLOAT8, TEXT, BYTEA];
}

/// The relation whose relcache invalidations mean "pg_ords catalog changed"
/// (ords_metadata.oauth_sessions), found through the syscache: no SPI, no privilege check.
pub fn marker_relation() -> pg_sys::Oid {
    let relid = unsafe {
        let nsp = pg_sys::get_namespace_oid(c"ords_metadata".as_ptr(), true);
        if nsp == pg_sys::InvalidOid {
            pg_sys::InvalidOid
        } else {
            pg_sys::get_relname_relid(c"oauth_sessions".as_ptr(), nsp)
        }
    };
    if relid == pg_sys::InvalidOid {
        spi_failed(
            "find ords_metadata.oauth_sessions",
            pgrx::spi::Error::NoTupleTable,
        );
    }
    relid
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

/// A REST-enabled schema's id and whether it is enabled, by alias: one probe of the alias's
/// unique index (src/direct.rs), else (a catalog without it) an SPI query.
pub fn load_schema(alias: &str) -> Option<(i64, bool)> {
    if let Some(found) = Snapshot::with(|snap| {
        with_table(c"ords_schemas", |t| {
            let (id, status, pattern) = (t.col("id")?, t.col("status")?, t.col("pattern")?);
            let mut found = None;
            t.scan(
                Some(c"ords_schemas_pattern_key"),
                &[Key::Text(pattern, alias)],
                snap,
                |row| {
                    // The index found it; the heap row must say the same.
                    if row.text(pattern).as_deref() == Some(alias) {
                        found = row
                            .int8(id)
                            .map(|id| (id, row.text(status).as_deref() == Some("ENABLED")));
                    }
                    found.is_none()
                },
            )?;
            Some(found)
        })
    }) {
        return found;
    }
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
    if let Some(prefixes) = prefixes
        && let Some(rules) = Snapshot::with(|snap| load_rules_direct(schema_id, prefixes, snap))
    {
        return rules;
    }
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

/// `load_rules` for the rules whose literal prefix is one of `prefixes`, by direct index scans
/// (src/direct.rs): the mappings through their literal-prefix index, the schema's modules
/// through (schema_id, uri_prefix), then each privilege, its roles and their names by key.
/// None when the catalog does not have the expected tables and indexes.
fn load_rules_direct(schema_id: i64, prefixes: &[&str], snap: &Snapshot) -> Option<Vec<Rule>> {
    let mut wanted: Vec<&str> = prefixes.to_vec();
    wanted.sort_unstable();
    wanted.dedup();
    let literal = |pattern: &str| pattern.split('*').next().unwrap_or("").to_string();
    // (pattern, from a module, privilege id)
    let mut found: Vec<(String, bool, i64)> = Vec::new();
    with_table(c"sec_privilege_mappings", |t| {
        let (schema_col, pattern_col, privilege_col) = (
            t.col("schema_id")?,
            t.col("pattern")?,
            t.col("privilege_id")?,
        );
        for prefix in &wanted {
            t.scan(
                Some(c"sec_privilege_mappings_literal_prefix"),
                &[Key::Int8(schema_col, schema_id), Key::Text(0, prefix)],
                snap,
                |row| {
                    if let (Some(pattern), Some(privilege)) =
                        (row.text(pattern_col), row.int8(privilege_col))
                        && literal(&pattern) == *prefix
                        && row.int8(schema_col) == Some(schema_id)
                    {
                        found.push((pattern, false, privilege));
                    }
                    true
                },
            )?;
        }
        Some(())
    })?;
    // Protected modules: `<uri_prefix>*`, governed by the module's privilege if it has one.
    let mut modules: Vec<(i64, String)> = Vec::new();
    with_table(c"ords_modules", |t| {
        let (id_col, schema_col, prefix_col) =
            (t.col("id")?, t.col("schema_id")?, t.col("uri_prefix")?);
        t.scan(
            Some(c"ords_modules_schema_id_uri_prefix_key"),
            &[Key::Int8(schema_col, schema_id)],
            snap,
            |row| {
                if let (Some(id), Some(prefix)) = (row.int8(id_col), row.text(prefix_col)) {
                    let pattern = format!("{prefix}*");
                    if wanted.binary_search(&literal(&pattern).as_str()).is_ok() {
                        modules.push((id, pattern));
                    }
                }
                true
            },
        )
    })?;
    if !modules.is_empty() {
        with_table(c"sec_privilege_modules", |t| {
            let (privilege_col, module_col) = (t.col("privilege_id")?, t.col("module_id")?);
            for (module, pattern) in &modules {
                t.scan(
                    Some(c"sec_privilege_modules_module_id_key"),
                    &[Key::Int8(module_col, *module)],
                    snap,
                    |row| {
                        if let Some(privilege) = row.int8(privilege_col) {
                            found.push((pattern.clone(), true, privilege));
                        }
                        true
                    },
                )?;
            }
            Some(())
        })?;
    }
    if found.is_empty() {
        return Some(Vec::new());
    }
    // Each privilege once: its name and its roles (ids, and names of the roles that exist).
    let mut privileges: Vec<i64> = found.iter().map(|f| f.2).collect();
    privileges.sort_unstable();
    privileges.dedup();
    let names = names_by_id(c"sec_privileges", privileges.iter().copied(), snap)?;
    let mut role_ids: HashMap<i64, Vec<i64>> = HashMap::new();
    with_table(c"sec_privilege_roles", |t| {
        let (privilege_col, role_col) = (t.col("privilege_id")?, t.col("role_id")?);
        for id in &privileges {
            let ids = role_ids.entry(*id).or_default();
            t.scan(None, &[Key::Int8(privilege_col, *id)], snap, |row| {
                if let Some(role) = row.int8(role_col) {
                    ids.push(role);
                }
                true
            })?;
        }
        Some(())
    })?;
    let role_names = role_names_by_id(role_ids.values().flatten().copied(), snap)?;
    let mut rules = Vec::with_capacity(found.len());
    for (pattern, from_module, privilege) in found {
        // JOIN sec_privileges: a privilege row that is gone (never, with the foreign keys)
        // governs nothing.
        let Some(name) = names.get(&privilege) else {
            continue;
        };
        let ids = role_ids.get(&privilege).cloned().unwrap_or_default();
        let role_names: Vec<String> = ids
            .iter()
            .filter_map(|id| role_names.get(id).cloned())
            .collect();
        rules.push(Rule::new(
            pattern,
            from_module,
            name.clone(),
            ids,
            role_names,
        ));
    }
    Some(rules)
}

/// The names of ORDS roles (sec_roles) by id; ids with no row are left out.
fn role_names_by_id(
    ids: impl Iterator<Item = i64>,
    snap: &Snapshot,
) -> Option<HashMap<i64, String>> {
    names_by_id(c"sec_roles", ids, snap)
}

/// The `name` of each row of `table` (an ords_metadata table with an `id` primary key) by id;
/// ids with no row are left out.
fn names_by_id(
    table: &std::ffi::CStr,
    ids: impl Iterator<Item = i64>,
    snap: &Snapshot,
) -> Option<HashMap<i64, String>> {
    let mut ids: Vec<i64> = ids.collect();
    ids.sort_unstable();
    ids.dedup();
    let mut names = HashMap::new();
    if ids.is_empty() {
        return Some(names);
    }
    with_table(table, |t| {
        let (id_col, name_col) = (t.col("id")?, t.col("name")?);
        for id in &ids {
            t.scan(None, &[Key::Int8(id_col, *id)], snap, |row| {
                if let Some(name) = row.text(name_col) {
                    names.insert(*id, name);
                }
                false
            })?;
        }
        Some(())
    })?;
    Some(names)
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
    /// SHA-256 of the exact JWT text issued (None: an opaque token, a JWT issued before 0.8.0,
    /// or a catalog without the column); docs/tokens.md, "Verifying a JWT".
    pub token_digest: Option<[u8; 32]>,
}

/// The row of a token by its key (SHA-256 of an opaque token, or of a JWT's `jti:` + jti):
/// one probe of the primary key index of ords_metadata.oauth_sessions under the latest
/// snapshot (docs/decision.md), read directly (no SPI, no executor), so a token seen for the
/// first time costs what its index probe costs. Columns are found by name, so an older
/// catalog (no jwt_role column before 0.3.0, no token_digest before 0.8.0) is read until
/// ALTER EXTENSION pg_ords UPDATE.
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
        let digest_col = attnum("token_digest");
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
            // Anything but 32 bytes (the column's CHECK forbids it) reads as no digest.
            let token_digest = digest_col.and_then(|c| {
                let (d, null) = get(c);
                <&[u8]>::from_datum(d, null).and_then(|b| <[u8; 32]>::try_from(b).ok())
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
                    token_digest,
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

/// `load_client` by direct index scans (src/direct.rs): the client and its schema by primary
/// key, the client's roles by the client's key, their names by id. The outer None when the
/// catalog does not have the expected tables and indexes. A jwt_role column that does not
/// exist yet (a 0.1.0 catalog) reads as NULL, as `to_jsonb(..)->>'jwt_role'` does.
fn load_client_direct(pk: i64, snap: &Snapshot) -> Option<Option<Client>> {
    struct Head {
        client_id: String,
        name: String,
        schema_id: i64,
        jwt_role: Option<String>,
    }
    let mut head: Option<Head> = None;
    with_table(c"oauth_clients", |t| {
        let (id_col, client_id_col, name_col, schema_col) = (
            t.col("id")?,
            t.col("client_id")?,
            t.col("name")?,
            t.col("schema_id")?,
        );
        let role_col = t.col("jwt_role");
        t.scan(None, &[Key::Int8(id_col, pk)], snap, |row| {
            if let Some(schema_id) = row.int8(schema_col) {
                head = Some(Head {
                    client_id: row.text(client_id_col).unwrap_or_default(),
                    name: row.text(name_col).unwrap_or_default(),
                    schema_id,
                    jwt_role: role_col.and_then(|c| row.text(c)),
                });
            }
            false
        })
    })?;
    let Some(head) = head else {
        return Some(None);
    };
    // (parsing_schema, pattern, enabled, jwt_role)
    let mut schema: Option<(String, String, bool, Option<String>)> = None;
    with_table(c"ords_schemas", |t| {
        let (id_col, parsing_col, pattern_col, status_col) = (
            t.col("id")?,
            t.col("parsing_schema")?,
            t.col("pattern")?,
            t.col("status")?,
        );
        let role_col = t.col("jwt_role");
        t.scan(None, &[Key::Int8(id_col, head.schema_id)], snap, |row| {
            schema = Some((
                row.text(parsing_col).unwrap_or_default(),
                row.text(pattern_col).unwrap_or_default(),
                row.text(status_col).as_deref() == Some("ENABLED"),
                role_col.and_then(|c| row.text(c)),
            ));
            false
        })
    })?;
    // JOIN ords_schemas: a client without its schema (never, with the foreign key) is none.
    let Some((parsing_schema, alias, schema_enabled, schema_role)) = schema else {
        return Some(None);
    };
    let mut role_ids: Vec<i64> = Vec::new();
    with_table(c"oauth_client_roles", |t| {
        let (client_col, role_col) = (t.col("client_id")?, t.col("role_id")?);
        t.scan(None, &[Key::Int8(client_col, pk)], snap, |row| {
            if let Some(id) = row.int8(role_col) {
                role_ids.push(id);
            }
            true
        })
    })?;
    let names = role_names_by_id(role_ids.iter().copied(), snap)?;
    let mut role_names: Vec<String> = role_ids
        .iter()
        .filter_map(|id| names.get(id).cloned())
        .collect();
    // ORDER BY r.name, under the column's collation.
    let collation = with_table(c"sec_roles", |t| Some(t.collation(t.col("name")?)))?;
    crate::direct::sort_collated(&mut role_names, collation);
    let wanted_role = head
        .jwt_role
        .or(schema_role)
        .unwrap_or_else(|| parsing_schema.clone());
    let role_now = crate::direct::role_usable(&parsing_schema, &wanted_role).then_some(wanted_role);
    Some(Some(Client {
        client_id: head.client_id,
        name: head.name,
        schema_id: head.schema_id,
        schema: parsing_schema,
        alias,
        schema_enabled,
        role_ids,
        role_names,
        role_now,
    }))
}

pub fn load_client(pk: i64) -> Option<Client> {
    if let Some(found) = Snapshot::with(|snap| load_client_direct(pk, snap)) {
        return found;
    }
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
    crate::direct::role_usable(schema, role)
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
            // A token request plans nothing: its queries are prepared once per backend (the
            // issue functions run with search_path = pg_catalog, pg_temp, like `as_owner`).
            let p = plan(
                c,
                "client_for_issue",
                || {
                    format!(
                "SELECT c.id, c.grant_type, c.token_duration, s.pattern, s.status = 'ENABLED',
                    ARRAY(SELECT x.secret_hash FROM ords_metadata.oauth_client_secrets x WHERE x.client_id = c.id ORDER BY x.slot),
                    c.client_id, o.token_format, o.jwt_role,
                    coalesce((SELECT string_agg(p.name, ' ' ORDER BY p.name) FROM ords_metadata.oauth_client_privileges cp
                               JOIN ords_metadata.sec_privileges p ON p.id = cp.privilege_id WHERE cp.client_id = c.id), ''),
                    {usable}
               FROM ords_metadata.oauth_clients c
               JOIN ords_metadata.ords_schemas s ON s.id = c.schema_id
               -- The optional columns, read once (OFFSET 0 keeps the planner from copying the
               -- expressions into the role check, where they ran once per pair of roles).
               CROSS JOIN LATERAL (SELECT to_jsonb(s)->>'token_format' AS token_format,
                                          coalesce(to_jsonb(c)->>'jwt_role', to_jsonb(s)->>'jwt_role', s.parsing_schema) AS jwt_role
                                   OFFSET 0) o
              WHERE c.client_id = $1",
                usable = jwt_role_usable_sql("s.parsing_schema", "o.jwt_role")
            )
                },
                &types::CLIENT_ID,
            )?;
            let t = c.select(&*p, Some(1), &[client_id.into()])?;
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
        let p = plan(
            c,
            "lock_client",
            || "SELECT 1 FROM ords_metadata.oauth_clients WHERE id = $1 FOR KEY SHARE".into(),
            &types::CLIENT_PK,
        )?;
        let t = c.update(&*p, Some(1), &[client_pk.into()])?;
        Ok(!t.is_empty())
    });
    r.unwrap_or_else(|e| spi_failed("lock the OAuth client", e))
}

/// A JWT's facts for its session row: its role claim, and SHA-256 of the exact text issued.
pub struct JwtFacts<'a> {
    pub role: &'a str,
    pub digest: [u8; 32],
}

/// Does ords_metadata.oauth_sessions have a token_digest column (0.8.0 on; an older catalog is
/// served until ALTER EXTENSION pg_ords UPDATE)? Two syscache lookups.
fn sessions_have_digest() -> bool {
    unsafe {
        let nsp = pg_sys::get_namespace_oid(c"ords_metadata".as_ptr(), true);
        if nsp == pg_sys::InvalidOid {
            return false;
        }
        let relid = pg_sys::get_relname_relid(c"oauth_sessions".as_ptr(), nsp);
        relid != pg_sys::InvalidOid
            && pg_sys::get_attnum(relid, c"token_digest".as_ptr())
                != pg_sys::InvalidAttrNumber as pg_sys::AttrNumber
    }
}

/// Store a new token's hash, and purge a few expired tokens on the way (at most 10 per issue,
/// skipping rows another session is purging), so the table stays bounded without a cron job.
pub fn insert_session(hash: &[u8; 32], client_pk: i64, duration_s: i32, jwt: Option<JwtFacts>) {
    let r: SpiResult<()> = Spi::connect_mut(|c| {
        // Columns an older catalog lacks are not named: without a JWT role (opaque tokens)
        // neither jwt_role (none before 0.3.0) nor token_digest; without the token_digest
        // column (before 0.8.0) a JWT's row has no digest and is always fully verified.
        let digest = jwt.is_some() && sessions_have_digest();
        let (name, sql, types): (&'static str, &'static str, &[PgOid]) = match (&jwt, digest) {
            (None, _) => (
                "insert_session",
                "INSERT INTO ords_metadata.oauth_sessions (token_hash, client_id, expires_on)
                 VALUES ($1, $2, clock_timestamp() + make_interval(secs => $3))",
                &types::SESSION,
            ),
            (Some(_), false) => (
                "insert_jwt_session",
                "INSERT INTO ords_metadata.oauth_sessions (token_hash, client_id, expires_on, jwt_role)
                 VALUES ($1, $2, clock_timestamp() + make_interval(secs => $3), $4)",
                &types::JWT_SESSION,
            ),
            (Some(_), true) => (
                "insert_jwt_session_digest",
                "INSERT INTO ords_metadata.oauth_sessions
                        (token_hash, client_id, expires_on, jwt_role, token_digest)
                 VALUES ($1, $2, clock_timestamp() + make_interval(secs => $3), $4, $5)",
                &types::JWT_SESSION_DIGEST,
            ),
        };
        let mut args = vec![
            hash.as_slice().into(),
            client_pk.into(),
            f64::from(duration_s).into(),
        ];
        if let Some(j) = &jwt {
            args.push(j.role.into());
            if digest {
                args.push(j.digest.as_slice().into());
            }
        }
        let insert = plan(c, name, || sql.into(), types)?;
        c.update(&*insert, None, &args)?;
        // Probe first: the DELETE (and its statement trigger) runs only when there is work.
        let probe = plan(
            c,
            "any_session_expired",
            || {
                "SELECT EXISTS (SELECT FROM ords_metadata.oauth_sessions WHERE expires_on < now())"
                    .into()
            },
            &[],
        )?;
        let expired: Option<bool> = c.select(&*probe, Some(1), &[])?.first().get_one()?;
        if expired == Some(true) {
            let purge = plan(
                c,
                "purge_some_expired",
                || {
                    "DELETE FROM ords_metadata.oauth_sessions WHERE ctid = ANY (ARRAY(
                         SELECT ctid FROM ords_metadata.oauth_sessions WHERE expires_on < now()
                          LIMIT 10 FOR UPDATE SKIP LOCKED))"
                        .into()
                },
                &[],
            )?;
            c.update(&*purge, None, &[])?;
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
