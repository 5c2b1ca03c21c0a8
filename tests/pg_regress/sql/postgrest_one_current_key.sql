-- postgrest_one_current_key: one current key per algorithm, whatever order rows arrive in (as a restore loads them).
--
-- Fixture (fixtures/postgrest.sql): PostgREST's roles (pgrst_authenticator, pgrst_anon, pgrst_web,
-- pgrst_partner), the REST-enabled schema pgrst_shop (alias shop, JWT access tokens for role
-- pgrst_web) where /orders/* needs orders_role: clients good (holds it), nobody (does not) and
-- short_lived (holds it), their JWTs and claims in psql variables, and the helpers
-- pg_temp.pre_request / answer (one PostgREST request's pre-request) and jwt_part.
\getenv fixtures PG_ABS_SRCDIR
\set f :fixtures '/sql/fixtures/postgrest.sql'
\i :f
RESET ROLE;
-- =============================================================================================
-- One current key per algorithm, whatever order rows arrive in (a restore loads the dumped
-- keys after CREATE EXTENSION made new ones): the newer stays current, the older is retired as
-- of the newer's creation.
-- =============================================================================================
BEGIN;
SELECT kid AS es_kid, created_on AS es_created FROM ords_metadata.sec_keys WHERE alg = 'ES256' AND retired_on IS NULL \gset
-- An older current key arrives (the dumped one): it is stored retired.
INSERT INTO ords_metadata.sec_keys (kid, alg, private_key, created_on)
SELECT 'es256-from-dump', alg, private_key, created_on - interval '1 day' FROM ords_metadata.sec_keys WHERE kid = :'es_kid';
-- A newer current key arrives: the one that was current is retired.
INSERT INTO ords_metadata.sec_keys (kid, alg, private_key, created_on)
SELECT 'es256-newer', alg, private_key, created_on + interval '1 day' FROM ords_metadata.sec_keys WHERE kid = :'es_kid';
SELECT kid = :'es_kid' AS was_current, CASE WHEN kid = :'es_kid' THEN '(the current kid)' ELSE kid END AS kid, retired_on IS NULL AS current,
       retired_on = :'es_created'::timestamptz AS retired_when_the_newer_was_made,
       retired_on = :'es_created'::timestamptz + interval '1 day' AS retired_when_the_newest_was_made
  FROM ords_metadata.sec_keys WHERE kid IN (:'es_kid', 'es256-from-dump', 'es256-newer') ORDER BY created_on;
SELECT alg, count(*) AS current_keys FROM ords_metadata.sec_keys WHERE retired_on IS NULL GROUP BY alg ORDER BY alg COLLATE "C";
ROLLBACK;

RESET ROLE;
DROP EXTENSION pg_ords CASCADE;
DROP TABLE IF EXISTS public.partner_prices;
DROP ROLE IF EXISTS pgrst_authenticator, pgrst_anon, pgrst_web, pgrst_partner, pgrst_shop, pgrst_mall;
