//! `#[pg_test]`s: behaviour that needs a running backend (identity under SET ROLE and SECURITY
//! DEFINER, cache invalidation inside a transaction, the per-transaction current client, the
//! shared-memory throttle). Compiled in under the `pg_test` feature; run by `cargo pgrx test`.
//! The DBA-visible behaviour is specified by the pg_regress suites in tests/pg_regress.
use pgrx::prelude::*;

#[pg_schema]
mod tests {
    use pgrx::prelude::*;

    fn run(sql: &str) {
        if let Err(e) = Spi::run(sql) {
            panic!("{sql}: {e}");
        }
    }

    fn text(sql: &str) -> Option<String> {
        Spi::get_one::<String>(sql).unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    /// A schema role `t_page` with alias `page`, module `customers` protected by `license_priv`
    /// (role `license_role`), and client `c` holding the role; returns (client_id, secret).
    fn provision() -> (String, String) {
        run("CREATE ROLE t_page");
        run("SET ROLE t_page");
        run("SELECT ords.enable_schema(p_url_mapping_pattern => 'page')");
        run("SELECT ords.define_module('customers', 'customers/')");
        run("SELECT ords.create_role('license_role')");
        run("SELECT ords.create_privilege('license_priv', 'license_role')");
        run("SELECT ords.set_module_privilege('customers', 'license_priv')");
        let (id, secret) = Spi::get_two::<String, String>(
            "SELECT client_id, client_secret FROM oauth.create_client(p_name => 'c', p_grant_type => 'client_credentials')",
        )
        .unwrap();
        run("SELECT oauth.grant_client_role('c', 'license_role')");
        (id.unwrap(), secret.unwrap())
    }

    fn token(id: &str, secret: &str) -> String {
        text(&format!(
            "SELECT access_token FROM oauth.issue_token('{id}', '{secret}')"
        ))
        .unwrap()
    }

    fn outcome(tok: &str, path: &str) -> String {
        text(&format!(
            "SELECT outcome FROM ords.authorize('{tok}', 'GET', '{path}', 'page')"
        ))
        .unwrap()
    }

    /// pg_ords acts for current_user at the call site (docs/ownership.md): the role set with
    /// SET ROLE at top level, even though every entry point is SECURITY DEFINER (where
    /// current_user is the extension owner); the owner inside another role's SECURITY DEFINER
    /// function, for functions and user_ords_* views alike.
    #[pg_test]
    fn invoker_is_current_user_at_the_call_site() {
        run("CREATE ROLE t_owner");
        run("CREATE ROLE t_definer");
        run("CREATE SCHEMA t_code AUTHORIZATION t_definer");
        run("GRANT USAGE ON SCHEMA t_code TO PUBLIC");
        run("SET ROLE t_definer");
        run("SELECT ords.enable_schema()");
        run(
            "CREATE FUNCTION t_code.whoami() RETURNS text LANGUAGE sql SECURITY DEFINER AS 'SELECT parsing_schema FROM user_ords_schemas'",
        );
        run(
            "CREATE FUNCTION t_code.make_role(p text) RETURNS void LANGUAGE sql SECURITY DEFINER AS 'SELECT ords.create_role(p)'",
        );
        run("RESET ROLE");
        run("SET ROLE t_owner");
        run("SELECT ords.enable_schema()");
        run("SELECT ords.create_role('r1')");
        assert_eq!(
            text("SELECT parsing_schema FROM user_ords_schemas").as_deref(),
            Some("t_owner")
        );
        assert_eq!(text("SELECT t_code.whoami()").as_deref(), Some("t_definer"));
        run("SELECT t_code.make_role('r2')");
        run("RESET ROLE");
        assert_eq!(
            text("SELECT string_agg(r.name || '=' || s.parsing_schema, ',' ORDER BY r.name) FROM ords_metadata.sec_roles r
                    JOIN ords_metadata.ords_schemas s ON s.id = r.schema_id WHERE r.name IN ('r1', 'r2')").as_deref(),
            Some("r1=t_owner,r2=t_definer")
        );
    }

    /// Catalog changes reach the backend's caches within the transaction that makes them
    /// (relcache invalidation at command end), in both directions.
    #[pg_test]
    fn cached_decisions_follow_catalog_changes() {
        let (id, secret) = provision();
        let tok = token(&id, &secret);
        assert_eq!(outcome(&tok, "/customers/1"), "allowed");
        assert_eq!(outcome(&tok, "/customers/1"), "allowed"); // served from the cache
        run("SELECT oauth.revoke_client_role('c', 'license_role')");
        assert_eq!(outcome(&tok, "/customers/1"), "forbidden");
        run("SELECT oauth.grant_client_role('c', 'license_role')");
        assert_eq!(outcome(&tok, "/customers/1"), "allowed");
        assert_eq!(outcome(&tok, "/orders/1"), "public");
        run("SELECT ords.create_role('orders_role')");
        run("SELECT ords.create_privilege('orders_priv', 'orders_role')");
        run("SELECT ords.create_privilege_mapping('orders_priv', '/orders/*')");
        assert_eq!(outcome(&tok, "/orders/1"), "forbidden");
        run("SELECT oauth.revoke_token('{tok}')"
            .replace("{tok}", &tok)
            .as_str());
        assert_eq!(outcome(&tok, "/customers/1"), "unauthorized");
    }

    /// With the cache switched off the decisions are the same (the cache is an optimisation).
    #[pg_test]
    fn decisions_without_cache() {
        let (id, secret) = provision();
        let tok = token(&id, &secret);
        run("RESET ROLE");
        run("SET pg_ords.token_cache = off");
        run("SET ROLE t_page");
        assert_eq!(outcome(&tok, "/customers/1"), "allowed");
        run("SELECT oauth.delete_client('c')");
        assert_eq!(outcome(&tok, "/customers/1"), "unauthorized");
    }

    /// ords.current_client_id() names the client of the last allowed decision, for the rest of
    /// the transaction, and is cleared by any other outcome.
    #[pg_test]
    fn current_client_follows_last_decision() {
        let (id, secret) = provision();
        let tok = token(&id, &secret);
        assert_eq!(text("SELECT ords.current_client_id()"), None);
        outcome(&tok, "/customers/1");
        assert_eq!(text("SELECT ords.current_client_id()"), Some(id.clone()));
        assert_eq!(
            text("SELECT ords.current_client_name()").as_deref(),
            Some("c")
        );
        outcome("no-such-token", "/customers/1");
        assert_eq!(text("SELECT ords.current_client_id()"), None);
    }

    /// Only the SHA-256 of a token is stored, never the token.
    #[pg_test]
    fn tokens_are_stored_hashed() {
        let (id, secret) = provision();
        let tok = token(&id, &secret);
        run("RESET ROLE");
        let n = Spi::get_one::<i64>(&format!(
            "SELECT count(*) FROM ords_metadata.oauth_sessions WHERE token_hash = sha256(convert_to('{tok}', 'UTF8'))"
        ))
        .unwrap();
        assert_eq!(n, Some(1));
        let leaked = Spi::get_one::<i64>(&format!(
            "SELECT count(*) FROM ords_metadata.oauth_sessions WHERE encode(token_hash, 'escape') LIKE '%{tok}%'"
        ))
        .unwrap();
        assert_eq!(leaked, Some(0));
    }

    /// After pg_ords.failed_attempts_allowed failures, a client_id is locked (53400) even for
    /// the right secret; unknown client ids are throttled the same way. Failures are counted in
    /// shared memory, so they survive the rollback of the failing statement.
    #[pg_test]
    fn failed_attempts_are_throttled() {
        let (id, secret) = provision();
        run("RESET ROLE");
        run(
            "CREATE FUNCTION pg_temp.try_issue(p_id text, p_secret text) RETURNS text LANGUAGE plpgsql AS $$
             BEGIN
                 PERFORM oauth.issue_token(p_id, p_secret);
                 RETURN 'ok';
             EXCEPTION WHEN OTHERS THEN
                 RETURN SQLSTATE;
             END $$",
        );
        run("SET pg_ords.failed_attempts_allowed = 3");
        let attempt = |s: &str| text(&format!("SELECT pg_temp.try_issue('{id}', '{s}')")).unwrap();
        assert_eq!(attempt(&secret), "ok");
        for _ in 0..3 {
            assert_eq!(attempt("wrong-secret"), "28P01");
        }
        assert_eq!(attempt(&secret), "53400");
        let unknown =
            |s: &str| text(&format!("SELECT pg_temp.try_issue('unknown-{id}', '{s}')")).unwrap();
        for _ in 0..3 {
            assert_eq!(unknown("x"), "28P01");
        }
        assert_eq!(unknown("x"), "53400");
    }

    /// Pure logic is reachable from SQL exactly as the unit tests describe it.
    #[pg_test]
    fn basic_authorization_matches_curl() {
        assert_eq!(
            text("SELECT oauth.basic_authorization('id..', 'se:cret')").as_deref(),
            Some("Basic aWQuLjpzZTpjcmV0")
        );
    }
}
