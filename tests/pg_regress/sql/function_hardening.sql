-- Every pg_ords function that takes a secret, a token or an Authorization value as input runs
-- with log_min_error_statement = panic and log_parameter_max_length_on_error = 0, so a failing
-- call never logs the value (docs/secrets.md#never-in-logs). A new such function
-- shows up here: with hardened = f until it carries both settings.
-- Three exceptions (hardened = f below):
--  * ords.authorize, the hot path: a SET clause would cost every decision a GUC save and
--    restore; send its token as a bind parameter (docs/secrets.md#never-in-logs);
--  * ords.gateway_gate, the gateway's hot path (the same reason; an ordinary caller could not
--    set these superuser-only settings in a SET clause anyway): its own errors hide their
--    statement themselves (docs/gateway.md, "One round trip");
--  * oauth.basic_authorization, which raises no error on any input, so it never has a
--    statement logged (and, not being SECURITY DEFINER, it could not set these superuser-only
--    settings for an ordinary caller).
CREATE EXTENSION pg_ords;
SELECT p.oid::regprocedure AS function,
       coalesce(p.proconfig @> ARRAY['log_min_error_statement=panic', 'log_parameter_max_length_on_error=0'], false) AS hardened
  FROM pg_catalog.pg_proc p
  JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
  JOIN pg_catalog.pg_extension e ON e.oid = d.refobjid AND e.extname = 'pg_ords'
 WHERE EXISTS (SELECT FROM unnest(p.proargnames, p.proargmodes) AS a(name, mode)
                WHERE coalesce(a.mode, 'i') IN ('i', 'b', 'v')   -- input arguments (no modes: all are)
                  AND a.name ~ '(secret|password|authorization|^p_token$|^p_body$|^token$)'
                  AND a.name <> 'p_generate_secret')   -- a boolean flag, not a secret
 ORDER BY 2, p.oid::regprocedure::text;
DROP EXTENSION pg_ords CASCADE;
