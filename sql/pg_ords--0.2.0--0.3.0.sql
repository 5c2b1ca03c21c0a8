-- pg_ords 0.2.0 -> 0.3.0: hardening (gateway and PostgREST isolation, authentication).
-- Each section names the area it belongs to; the last statement empties every backend's caches.

SELECT ords_metadata.invalidate_caches();
