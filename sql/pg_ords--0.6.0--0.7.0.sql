-- pg_ords 0.6.0 -> 0.7.0: the gateway resets a handler connection in one call (ords.gateway_reset).
-- The upgrade test compares the result with a fresh install.

-- == gateway ==
-- What the gateway runs on a handler connection after every request, once its transaction has
-- ended (docs/gateway.md, "Nothing survives between requests"): in one call, what DISCARD ALL
-- does except dropping the session's prepared statements and plans (CLOSE ALL, SET SESSION
-- AUTHORIZATION DEFAULT, RESET ALL, UNLISTEN *, the session's advisory locks, DISCARD TEMP,
-- DISCARD SEQUENCES). Returns whether the prepared statements left are exactly the gateway's:
-- none made with SQL PREPARE and p_statements made at protocol level (otherwise the gateway
-- runs DISCARD ALL). Raises 25001 inside a transaction block. It acts on the caller's own
-- session only: callable by PUBLIC. No SET clause: one would be restored after RESET ALL.
CREATE FUNCTION ords.gateway_reset(p_statements integer)
RETURNS boolean LANGUAGE c VOLATILE AS 'MODULE_PATHNAME', 'ords_gateway_reset';
-- == end of gateway ==

SELECT ords_metadata.invalidate_caches();
