-- authorize_new_backends: a new backend decides from the shared tier (src/shared.rs) only what
-- is still current: every committed catalog change is seen by the next new backend, a
-- transaction that writes neither fills the tier (a rollback sends no invalidation) nor reads
-- it (it must see its own changes). Each \c starts a new backend with empty caches.
--
-- Fixture (fixtures/tokens.sql): a fresh pg_ords; schema role tok_a (alias tok_a) protects
-- /customer/* with customer_priv (role customer_role); main_client holds customer_role (psql
-- variable main_token). The session is SET ROLE tok_a.
\getenv fixtures PG_ABS_SRCDIR
\set f :fixtures '/sql/fixtures/tokens.sql'
\i :f
\set decide 'SELECT outcome, privilege_name FROM ords.authorize(:''main_token'', ''GET'', ''/customer/1'', ''tok_a'')'

-- A first backend decides (and fills the tier), a second one decides alike.
:decide;
\c
:decide;

-- A revocation committed since: the next new backend is forbidden, then allowed again.
SET ROLE tok_a;
SELECT oauth.revoke_client_role(p_client_name => 'main_client', p_role_name => 'customer_role');
\c
:decide;
SET ROLE tok_a;
SELECT oauth.grant_client_role(p_client_name => 'main_client', p_role_name => 'customer_role');
\c
:decide;
\c
:decide;

-- A writing transaction does not fill the tier: its revocation is rolled back, so the next
-- new backend is allowed. (A change committed first, so that the tier has nothing current.)
SET ROLE tok_a;
SELECT ords.create_role(p_role_name => 'unrelated_role');
BEGIN;
SELECT oauth.revoke_client_role(p_client_name => 'main_client', p_role_name => 'customer_role');
:decide;
ROLLBACK;
\c
:decide;

-- Nor does it read the tier: the previous backend filled it with "allowed", this one revokes
-- in its transaction and must see its own change.
\c
SET ROLE tok_a;
BEGIN;
SELECT oauth.revoke_client_role(p_client_name => 'main_client', p_role_name => 'customer_role');
:decide;
ROLLBACK;

-- Rules: a path found public by one backend is protected for the next once a mapping is
-- committed, and public again once it is deleted.
\set anon 'SELECT outcome FROM ords.authorize(NULL, ''GET'', ''/admin/users'', ''tok_a'')'
\c
:anon;
\c
:anon;
SET ROLE tok_a;
SELECT ords.create_role(p_role_name => 'admin_role');
SELECT ords.create_privilege(p_name => 'admin_priv', p_role_name => 'admin_role');
SELECT ords.create_privilege_mapping(p_privilege_name => 'admin_priv', p_pattern => '/admin/*');
\c
:anon;
\c
:anon;
SET ROLE tok_a;
SELECT ords.delete_privilege_mapping(p_privilege_name => 'admin_priv', p_pattern => '/admin/*');
\c
:anon;

-- A revoked token: unauthorized in the next new backend.
\c
:decide;
SET ROLE tok_a;
SELECT oauth.revoke_token(:'main_token');
\c
:decide;

-- The schema: disabled, the next new backend answers 42704; enabled again, it decides.
SET ROLE tok_a;
SELECT ords.enable_schema(p_enabled => false);
\c
\set VERBOSITY sqlstate
:anon;
\set VERBOSITY default
SET ROLE tok_a;
SELECT ords.enable_schema(p_enabled => true);
\c
:anon;

-- Clean up
RESET ROLE;
DROP EXTENSION pg_ords CASCADE;
DROP ROLE tok_a;
DROP ROLE tok_b;
