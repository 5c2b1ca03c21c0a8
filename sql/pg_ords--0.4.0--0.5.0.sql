-- pg_ords 0.4.0 -> 0.5.0: the ORDS calls a DBA's scripts use, verbatim (docs/ords-compatibility.md).
-- Each area keeps its own section; the upgrade test compares the result with a fresh install.

-- == REST definitions: ORDS and ORDS_ADMIN (parameters, services, modules, url mappings) ==

-- == end of REST definitions ==


-- == clients: OAUTH, OAUTH_ADMIN, ORDS_SECURITY, ORDS_SECURITY_ADMIN, ORDS_TYPES ==

-- == end of clients ==


-- == stored secrets ==

-- == end of stored secrets ==


-- Caches loaded before the update hold rows of the old shape.
SELECT ords_metadata.invalidate_caches();
