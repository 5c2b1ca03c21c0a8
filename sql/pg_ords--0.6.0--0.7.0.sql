-- pg_ords 0.6.0 -> 0.7.0: token validation at scale, continued (docs/upgrades.md#0.7.0).
-- The upgrade test compares the result with a fresh install.

SELECT ords_metadata.invalidate_caches();
