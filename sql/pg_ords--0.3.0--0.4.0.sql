-- pg_ords 0.3.0 -> 0.4.0: secrets read back in the session that made them and stay out of the log; rules load by path.
ALTER FUNCTION ords_metadata.hash_secret(text, boolean) SET log_min_error_statement = panic SET log_parameter_max_length_on_error = 0;
ALTER FUNCTION ords_metadata.verify_secret(text, text) SET log_min_error_statement = panic SET log_parameter_max_length_on_error = 0;
ALTER FUNCTION ords_metadata.check_secret(text, text) SET log_min_error_statement = panic SET log_parameter_max_length_on_error = 0;
ALTER FUNCTION ords_metadata.client_add_secret(bigint, text, boolean, boolean) SET log_min_error_statement = panic SET log_parameter_max_length_on_error = 0;
ALTER FUNCTION ords_metadata.client_create(bigint, text, text, text, text, text, text, text, text, text, integer, integer, integer, text, text, text)
    SET log_min_error_statement = panic SET log_parameter_max_length_on_error = 0;
ALTER FUNCTION ords_metadata.client_rotate_secret(bigint, text, text, boolean, boolean) SET log_min_error_statement = panic SET log_parameter_max_length_on_error = 0;
ALTER FUNCTION ords_metadata.client_revoke_secret_value(bigint, text, text, boolean) SET log_min_error_statement = panic SET log_parameter_max_length_on_error = 0;

-- The session that created or rotated a secret reads it back from user_ords_clients (src/readback.rs).
CREATE FUNCTION ords_metadata."secret_seen"(
	"p_hashes" TEXT[] /* Vec < String > */
) RETURNS TEXT /* Option < String > */
STRICT STABLE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'secret_seen_wrapper';
REVOKE EXECUTE ON FUNCTION ords_metadata.secret_seen(text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ords_metadata.secret_seen(text[]) TO PUBLIC;
CREATE OR REPLACE VIEW ords_metadata.all_clients AS
SELECT c.id, c.name, c.description,
       CASE c.grant_type WHEN 'client_credentials' THEN 'CLIENT_CRED' WHEN 'authorization_code' THEN 'CODE' ELSE 'IMPLICIT' END AS auth_flow,
       CASE c.grant_type WHEN 'authorization_code' THEN 'CODE' ELSE 'TOKEN' END AS response_type,
       c.grant_type, c.client_id,
       CASE WHEN EXISTS (SELECT FROM ords_metadata.oauth_client_secrets s WHERE s.client_id = c.id)
            THEN coalesce(ords_metadata.secret_seen(ARRAY(SELECT s.secret_hash FROM ords_metadata.oauth_client_secrets s
                                                           WHERE s.client_id = c.id ORDER BY s.issued_on DESC, s.slot DESC)),
                          '********') END AS client_secret,
       c.redirect_uri, c.support_email, c.support_uri, c.origins_allowed AS allowed_origins, c.owner,
       c.token_duration, c.refresh_duration, c.code_duration,
       (SELECT s.issued_on FROM ords_metadata.oauth_client_secrets s WHERE s.client_id = c.id AND s.slot = 1) AS client_secret_issued_on,
       (SELECT s.issued_on FROM ords_metadata.oauth_client_secrets s WHERE s.client_id = c.id AND s.slot = 2) AS client_secret_2_issued_on,
       c.schema_id, c.created_by, c.created_on, c.updated_by, c.updated_on, sc.parsing_schema
  FROM ords_metadata.oauth_clients c JOIN ords_metadata.ords_schemas sc ON sc.id = c.schema_id;

-- A backend's first decisions read only the rules that can govern their path (src/cache.rs).
CREATE INDEX sec_privilege_mappings_literal_prefix
    ON ords_metadata.sec_privilege_mappings (schema_id, split_part(pattern, '*', 1));

SELECT ords_metadata.invalidate_caches();
