-- Cache invalidation. ords.authorize keeps, per backend, the privilege patterns of each schema
-- and the tokens it has validated (see src/cache.rs). Any change that can narrow or widen access
-- (a role revoked, a client deleted, a secret rotated with p_revoke_sessions, a mapping added,
-- a token revoked, ...) must reach every backend before its next decision. These statement
-- triggers queue a relcache invalidation for ords_metadata.oauth_sessions; Postgres delivers it
-- to every backend at commit (and to hot standbys through the commit record), and each backend's
-- relcache callback then empties its pg_ords caches. Inserting a token invalidates nothing: a
-- token that is not in the cache is looked up.
CREATE FUNCTION ords_metadata.on_catalog_change() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM ords_metadata.invalidate_caches();
    RETURN NULL;
END
$$;

DO $$
DECLARE v_table text;
BEGIN
    FOREACH v_table IN ARRAY ARRAY['ords_schemas', 'sec_roles', 'sec_privileges', 'sec_privilege_roles',
                                   'sec_privilege_mappings', 'ords_modules', 'ords_templates', 'ords_handlers',
                                   'sec_privilege_modules', 'oauth_clients', 'oauth_client_secrets',
                                   'oauth_client_roles', 'oauth_client_privileges', 'sec_keys'] LOOP
        EXECUTE format('CREATE TRIGGER invalidate_caches AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ords_metadata.%I '
                       'FOR EACH STATEMENT EXECUTE FUNCTION ords_metadata.on_catalog_change()', v_table);
    END LOOP;
END
$$;
CREATE TRIGGER invalidate_caches AFTER UPDATE OR TRUNCATE ON ords_metadata.oauth_sessions
    FOR EACH STATEMENT EXECUTE FUNCTION ords_metadata.on_catalog_change();
-- Deleting tokens invalidates only when a live token went (a revocation, a deleted client, a
-- rotation with p_revoke_sessions): the purge of expired tokens that every issuance does, and
-- revoking an unknown token, leave every backend's caches alone (an expired token is refused by
-- its expiry anyway).
CREATE FUNCTION ords_metadata.on_sessions_delete() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF EXISTS (SELECT FROM gone WHERE expires_on >= now()) THEN
        PERFORM ords_metadata.invalidate_caches();
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER invalidate_caches_on_delete AFTER DELETE ON ords_metadata.oauth_sessions
    REFERENCING OLD TABLE AS gone
    FOR EACH STATEMENT EXECUTE FUNCTION ords_metadata.on_sessions_delete();

-- Nothing in ords_metadata is for PUBLIC: not the tables, not the internal functions.
REVOKE ALL ON ALL TABLES IN SCHEMA ords_metadata FROM PUBLIC;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA ords_metadata FROM PUBLIC;
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA ords_metadata FROM PUBLIC;
-- Invalidation also when rows arrive by logical replication or with
-- session_replication_role = replica.
DO $$
DECLARE r record;
BEGIN
    FOR r IN SELECT tgrelid::regclass AS rel, tgname FROM pg_catalog.pg_trigger
              WHERE tgname IN ('invalidate_caches', 'invalidate_caches_on_delete') AND NOT tgisinternal LOOP
        EXECUTE format('ALTER TABLE %s ENABLE ALWAYS TRIGGER %I', r.rel, r.tgname);
    END LOOP;
END
$$;

GRANT EXECUTE ON FUNCTION ords_metadata.invoker() TO PUBLIC;  -- used by the user_ords_* views

-- Secrets and tokens never reach the server log (CONTRACT §4): a failing call to a function
-- that takes one must not log its statement text, which may hold the value as a literal, nor
-- its bind parameters (log_parameter_max_length_on_error is a setting any session may raise).
-- (Values sent as bind parameters are not logged on error unless
-- log_parameter_max_length_on_error is raised; log_statement = all is the DBA's choice and
-- logs every statement before it runs. See README, "Secrets and logs".)
ALTER FUNCTION oauth.issue_token(text, text, text, text) SET log_min_error_statement = panic SET log_parameter_max_length_on_error = 0;
ALTER FUNCTION oauth.token_endpoint(text, text, text, text) SET log_min_error_statement = panic SET log_parameter_max_length_on_error = 0;
ALTER FUNCTION oauth.token_request(text, text, text, text, text) SET log_min_error_statement = panic SET log_parameter_max_length_on_error = 0;
ALTER FUNCTION oauth.validate_token(text) SET log_min_error_statement = panic SET log_parameter_max_length_on_error = 0;
ALTER FUNCTION oauth.revoke_token(text) SET log_min_error_statement = panic SET log_parameter_max_length_on_error = 0;
ALTER FUNCTION oauth.update_client_secret(text, text) SET log_min_error_statement = panic SET log_parameter_max_length_on_error = 0;
ALTER FUNCTION ords_security.register_client_secret(text, text, boolean, boolean) SET log_min_error_statement = panic SET log_parameter_max_length_on_error = 0;
ALTER FUNCTION ords_security.revoke_client_secret(text, text, boolean) SET log_min_error_statement = panic SET log_parameter_max_length_on_error = 0;
ALTER FUNCTION ords_security.register_client(text, text, text, text, text, text, text, text, text, integer, integer, integer, boolean)
    SET log_min_error_statement = panic SET log_parameter_max_length_on_error = 0;
