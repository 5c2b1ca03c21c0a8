-- jwt_retired_key_by_clock: a retired signing key stops being accepted max_token_duration after
-- its retirement by the clock, in a backend that already holds the parsed keys too
-- (docs/postgrest.md, "Keys"). Nothing is written when the window ends, so no cache
-- invalidation announces it: a backend's parsed keys are kept only until the earliest end of
-- a retired key's window among them. Before the fix, this backend kept accepting the retired
-- key until the next catalog change anywhere (new backends refused it).
--
-- Fixture (fixtures/postgrest.sql): the REST-enabled schema pgrst_shop (alias shop, JWT access
-- tokens) where /orders/* needs orders_role, held by client good.
\getenv fixtures PG_ABS_SRCDIR
\set f :fixtures '/sql/fixtures/postgrest.sql'
\i :f
SET ROLE pgrst_shop;
SELECT access_token AS jwt FROM oauth.issue_token(:'good_id', :'good_secret', 'client_credentials', 'shop') \gset
RESET ROLE;
SELECT pg_temp.jwt_part(:'jwt', 1)->>'kid' AS kid \gset
SELECT ords_admin.rotate_signing_keys();
-- The key was retired so long ago that its window (86400 s, the default cap) ends in 2 s.
UPDATE ords_metadata.sec_keys SET retired_on = clock_timestamp() - interval '86398 s' WHERE kid = :'kid';
-- Still inside the window: accepted (and this backend now holds the parsed keys).
SELECT outcome AS inside_window FROM ords.authorize('Bearer ' || :'jwt', 'GET', '/orders/1', 'shop');
SELECT pg_sleep(3);
-- The window has ended, with no write since: refused in this backend, as in a new one.
SELECT count(*) AS published FROM jsonb_array_elements(ords.jwks()->'keys') k WHERE k->>'kid' = :'kid';
SELECT outcome AS after_window_same_backend FROM ords.authorize('Bearer ' || :'jwt', 'GET', '/orders/1', 'shop');
\c
SELECT outcome AS after_window_new_backend FROM ords.authorize('Bearer ' || :'jwt', 'GET', '/orders/1', 'shop');

-- A lower cap (pg_ords.max_token_duration, superuser; ALTER SYSTEM and a reload in production)
-- refuses a JWT issued for longer, also in a backend that has its session cached (before the
-- fix: allowed there until the next catalog change).
SET ROLE pgrst_shop;
SELECT access_token AS long_jwt FROM oauth.issue_token(:'good_id', :'good_secret', 'client_credentials', 'shop') \gset
RESET ROLE;
SELECT outcome AS before_lower_cap FROM ords.authorize('Bearer ' || :'long_jwt', 'GET', '/orders/1', 'shop');
SET pg_ords.max_token_duration = 60;
SELECT outcome AS after_lower_cap_same_backend FROM ords.authorize('Bearer ' || :'long_jwt', 'GET', '/orders/1', 'shop');
RESET pg_ords.max_token_duration;
SELECT outcome AS cap_restored FROM ords.authorize('Bearer ' || :'long_jwt', 'GET', '/orders/1', 'shop');

RESET ROLE;
DROP EXTENSION pg_ords CASCADE;
DROP TABLE IF EXISTS public.partner_prices;
DROP ROLE IF EXISTS pgrst_authenticator, pgrst_anon, pgrst_web, pgrst_partner, pgrst_shop, pgrst_mall;
