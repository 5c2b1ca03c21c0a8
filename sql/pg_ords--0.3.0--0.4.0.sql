-- pg_ords 0.3.0 -> 0.4.0: the internal functions that take a secret keep it out of the server log too.
ALTER FUNCTION ords_metadata.hash_secret(text, boolean) SET log_min_error_statement = panic SET log_parameter_max_length_on_error = 0;
ALTER FUNCTION ords_metadata.verify_secret(text, text) SET log_min_error_statement = panic SET log_parameter_max_length_on_error = 0;
ALTER FUNCTION ords_metadata.check_secret(text, text) SET log_min_error_statement = panic SET log_parameter_max_length_on_error = 0;
ALTER FUNCTION ords_metadata.client_add_secret(bigint, text, boolean, boolean) SET log_min_error_statement = panic SET log_parameter_max_length_on_error = 0;
ALTER FUNCTION ords_metadata.client_create(bigint, text, text, text, text, text, text, text, text, text, integer, integer, integer, text, text, text)
    SET log_min_error_statement = panic SET log_parameter_max_length_on_error = 0;
ALTER FUNCTION ords_metadata.client_rotate_secret(bigint, text, text, boolean, boolean) SET log_min_error_statement = panic SET log_parameter_max_length_on_error = 0;
ALTER FUNCTION ords_metadata.client_revoke_secret_value(bigint, text, text, boolean) SET log_min_error_statement = panic SET log_parameter_max_length_on_error = 0;
SELECT ords_metadata.invalidate_caches();
