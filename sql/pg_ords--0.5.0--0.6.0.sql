-- pg_ords 0.5.0 -> 0.6.0: the gateway serves a module handler in one round trip
-- (docs/gateway.md, "One round trip"). The upgrade test compares the result with a fresh install.

-- == gateway ==
CREATE FUNCTION ords.gateway_gate(p_token text, p_method text, p_path text, p_schema_alias text,
                                  p_handler_path text, p_route text)
RETURNS ords.decision LANGUAGE c VOLATILE AS 'MODULE_PATHNAME', 'ords_gateway_gate';
-- == end of gateway ==
