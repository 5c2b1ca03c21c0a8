-- Privileges, applied last (after every object exists).
-- Nothing in ords_metadata is for PUBLIC: not the tables, not the internal functions.
REVOKE ALL ON ALL TABLES IN SCHEMA ords_metadata FROM PUBLIC;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA ords_metadata FROM PUBLIC;
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA ords_metadata FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ords_metadata.invoker() TO PUBLIC;  -- used by the user_ords_* views
GRANT EXECUTE ON FUNCTION ords_metadata.secret_seen(text[]) TO PUBLIC;  -- used by the client views
GRANT EXECUTE ON FUNCTION ords_metadata.client_stored_secret(bigint) TO PUBLIC;  -- the client views (owner only)
