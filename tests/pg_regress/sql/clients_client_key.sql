-- clients_client_key: ORDS_SECURITY's p_client_key overloads and ords_types records
-- (docs/clients.md). A key (id, name or client_id) is resolved in the caller's schema only: a
-- key naming another schema's client is "does not exist" (42704) and nothing of that client
-- changes; the function form of register_client takes an ords_types.t_client_secret and returns
-- ords_types.t_client_credentials; secrets never appear in a message.
--
-- Fixture (fixtures/schema_isolation.sql): schema roles iso_a and iso_b, each with a role, a
-- privilege and a client (a_client / b_client); iso_admin (ords_administrator_role);
-- pg_temp.try(sql). Nothing here prints a client_id, secret, token, id or timestamp.
\getenv fixtures PG_ABS_SRCDIR
\set f :fixtures '/sql/fixtures/schema_isolation.sql'
\i :f
-- msg_has(sql, needle): the SQLSTATE of sql, and whether needle appears in its message, detail
-- or hint (the context would quote sql itself).
CREATE FUNCTION pg_temp.msg_has(p_sql text, p_needle text, OUT error_sqlstate text, OUT mentions boolean)
LANGUAGE plpgsql AS $$
DECLARE v_m text; v_d text; v_h text;
BEGIN
    EXECUTE p_sql;
    error_sqlstate := 'ok'; mentions := false;
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS v_m = MESSAGE_TEXT, v_d = PG_EXCEPTION_DETAIL, v_h = PG_EXCEPTION_HINT;
    error_sqlstate := SQLSTATE;
    mentions := strpos(concat_ws(' ', v_m, v_d, v_h), p_needle) > 0;
END
$$;
SET client_min_messages = notice;
SELECT id AS a_id FROM dba_ords_clients WHERE name = 'a_client' \gset
SELECT id AS b_id FROM dba_ords_clients WHERE name = 'b_client' \gset

-- =============================================================================================
-- Attack: iso_a names iso_b's client by id, by name, by client_id, and by a mix of its own id
-- and iso_b's name. Every call that needs the client answers 42704; delete_client and
-- revoke_client_role (which do nothing on a missing client, docs/clients.md#missing) answer ok
-- and do nothing.
-- =============================================================================================
SET ROLE iso_a;
CREATE TEMP TABLE keys AS
SELECT * FROM (VALUES
    ('by id',        format('ords_types.oauth_client_key(p_id => %s)', :b_id)),
    ('by name',      $$ords_types.oauth_client_key(p_name => 'b_client')$$),
    ('by client_id', format('ords_types.oauth_client_key(p_client_id => %L)', :'b_client_id')),
    ('own id, b''s name', format($$ords_types.oauth_client_key(p_id => %s, p_name => 'b_client')$$, :a_id))
) AS k(how, key);
CREATE TEMP TABLE calls(call) AS VALUES
    ('SELECT ords_security.rotate_client_secret(p_client_key => %s)'),
    ('SELECT ords_security.rotate_client_secret(p_client_key => %s, p_revoke_existing => true, p_revoke_sessions => true)'),
    ('SELECT ords_security.register_client_secret(p_client_key => %s, p_client_secret => ''planted-secret-0123456789'')'),
    ('SELECT ords_security.register_client_secret(p_client_key => %s, p_client_secret => ords_types.oauth_client_secret())'),
    ('SELECT ords_security.revoke_client_secrets(p_client_key => %s)'),
    ('SELECT ords_security.revoke_client_secrets(p_client_key => %s, p_filter => ROW(NULL, NULL, NULL, 3)::ords_types.t_client_secret, p_revoke_sessions => true)'),
    ('SELECT ords_security.grant_client_role(p_client_key => %s, p_role_name => ''a_role'')'),
    ('SELECT ords_security.revoke_client_role(p_client_key => %s, p_role_name => ''b_role'')'),
    ('SELECT ords_security.update_client(p_client_key => %s, p_new_name => ''planted'', p_description => ''planted'')'),
    ('SELECT ords_security.update_client_privileges(p_client_key => %s, p_privilege_names => '''')'),
    ('SELECT ords_security.update_client_token_duration(p_client_key => %s, p_token_duration => 1)'),
    ('SELECT ords_security.rename_client(p_client_key => %s, p_new_name => ''planted'')'),
    ('SELECT ords_security.update_client_logo(p_client_key => %s, p_content_type => ''image/png'', p_logo => NULL)'),
    ('SELECT ords_security.delete_client(p_client_key => %s)');
SET client_min_messages = warning;
SELECT split_part(c.call, '(', 1) AS function, k.how, pg_temp.try(format(c.call, k.key)) AS sqlstate
  FROM calls c CROSS JOIN keys k ORDER BY 1, 2, c.call;
SET client_min_messages = notice;
-- The same for the administrator's twins: a key is resolved in p_schema only.
RESET ROLE;
SET ROLE iso_admin;
SELECT pg_temp.try(format('SELECT ords_security_admin.rotate_client_secret(p_schema => ''iso_a'', p_client_key => ords_types.oauth_client_key(p_id => %s))', :b_id)) AS admin_key_of_other_schema;
SELECT pg_temp.try(format('SELECT ords_security_admin.delete_client(p_schema => ''iso_a'', p_client_key => ords_types.oauth_client_key(p_id => %s))', :b_id)) AS admin_delete_other_schema;
RESET ROLE;
-- Nothing of iso_b's client changed: name, description, one secret (the fixture's, which still
-- works), its role, its privilege, never updated by anyone else.
SELECT name, description, token_duration, updated_by, client_secret_2_issued_on IS NULL AS one_secret
  FROM dba_ords_clients WHERE parsing_schema = 'iso_b';
SELECT client_name, role_name FROM dba_ords_client_roles WHERE parsing_schema = 'iso_b';
SELECT client_name, name FROM dba_ords_client_privileges WHERE parsing_schema = 'iso_b';
SELECT access_token IS NOT NULL AS b_secret_works FROM oauth.issue_token(:'b_client_id', :'b_secret');
-- A secret given with another schema's key is not in the error.
SET ROLE iso_a;
SELECT * FROM pg_temp.msg_has(format($$SELECT ords_security.register_client_secret(p_client_key => ords_types.oauth_client_key(p_id => %s),
                                        p_client_secret => 'planted-secret-0123456789')$$, :b_id), 'planted-secret');

-- =============================================================================================
-- Keys and secrets: constructors and constants.
-- =============================================================================================
SELECT ords_types.oauth_client_key(p_name => 'k') AS key_by_name;
SELECT (ords_types.oauth_client_key(p_id => 7)).id AS key_by_id;
SELECT ords_types.oauth_client_key();
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT ords_constants.oauth_client_secret_skip() AS skip, ords_constants.oauth_client_secret_default() AS default_secret,
       ords_types.oauth_client_secret() AS generate, ords_types.oauth_client_secret(p_stored => true) AS generate_stored;
-- A chosen secret is checked by the constructor, and never repeated in a message.
SELECT * FROM pg_temp.msg_has($$SELECT ords_types.oauth_client_secret(p_secret => 'too-short')$$, 'too-short');
SELECT * FROM pg_temp.msg_has($$SELECT ords_types.oauth_client_secret(p_secret => E'a-long-enough-secret\nwith-a-newline')$$, 'long-enough');
-- issued_on is pg_ords's, a new secret's slot is 1 or 2.
SELECT * FROM pg_temp.msg_has($$SELECT ords_security.register_client(p_name => 'x', p_grant_type => 'client_credentials',
        p_client_secret => ROW('a-chosen-secret-0123456789', now(), false, NULL)::ords_types.t_client_secret)$$, 'a-chosen-secret');
SELECT * FROM pg_temp.msg_has($$SELECT ords_security.register_client(p_name => 'x', p_grant_type => 'client_credentials',
        p_client_secret => ROW('a-chosen-secret-0123456789', NULL, false, 3)::ords_types.t_client_secret)$$, 'a-chosen-secret');
SELECT count(*) AS no_client_x FROM user_ords_clients WHERE name = 'x';

-- =============================================================================================
-- register_client, function form: p_client_secret => ords_types.oauth_client_secret() generates
-- a secret and returns it once, with its slot and issue time.
-- =============================================================================================
SELECT (c).client_key.name, (c).client_key.id IS NOT NULL AS has_id, (c).client_key.client_id LIKE '%..' AS client_id_dots,
       length((c).client_secret.secret) AS secret_length, (c).client_secret.issued_on IS NOT NULL AS issued,
       (c).client_secret.stored, (c).client_secret.slot
  FROM ords_security.register_client(p_name => 'k1', p_grant_type => 'client_credentials',
                                     p_client_secret => ords_types.oauth_client_secret()) AS c \gset k1_
SELECT :'k1_name' AS name, :'k1_has_id' AS has_id, :'k1_client_id_dots' AS client_id_dots, :'k1_secret_length' AS secret_length,
       :'k1_issued' AS issued, :'k1_stored' AS stored, :'k1_slot' AS slot;
SELECT (c).client_key.client_id AS k1_client_id FROM (SELECT ords_security.rotate_client_secret(p_client_key => ords_types.oauth_client_key(p_name => 'k1')) AS c) s \gset
-- The PL/SQL way, in a DO block: l_creds := ords_security.register_client(...).
DO $$
DECLARE l_creds ords_types.t_client_credentials;
BEGIN
    l_creds := ords_security.register_client(p_name => 'k2', p_grant_type => 'client_credentials', p_description => 'd',
                                             p_client_secret => ords_constants.oauth_client_secret_default());
    RAISE NOTICE 'registered %, secret of % characters in slot %', (l_creds.client_key).name,
        length((l_creds.client_secret).secret), (l_creds.client_secret).slot;
END
$$;
-- ords_constants.oauth_client_secret_skip(): no secret; a chosen secret: that one.
SELECT (c).client_key.name, (c).client_secret IS NULL AS no_secret
  FROM ords_security.register_client(p_name => 'k3', p_grant_type => 'client_credentials',
                                     p_client_secret => ords_constants.oauth_client_secret_skip()) AS c;
SELECT (c).client_key.client_id AS k4_client_id, (c).client_secret.secret = 'k4-chosen-secret-0123456789' AS returns_chosen
  FROM ords_security.register_client(p_name => 'k4', p_grant_type => 'client_credentials',
                                     p_client_secret => ords_types.oauth_client_secret(p_secret => 'k4-chosen-secret-0123456789')) AS c \gset
SELECT :'returns_chosen' AS returns_chosen;
SELECT name, client_secret IS NOT NULL AS has_secret FROM user_ords_clients WHERE name LIKE 'k_' ORDER BY name;
-- The 0.4.0 forms still resolve, by name and by position: no secret, a text secret, p_generate_secret.
SELECT name, client_secret IS NULL AS no_secret FROM ords_security.register_client(p_name => 'old1', p_grant_type => 'client_credentials');
SELECT name, client_secret IS NULL AS no_secret FROM ords_security.register_client('old2', 'client_credentials');
SELECT name, client_secret = 'old3-chosen-secret-0123456789' AS returns_chosen
  FROM ords_security.register_client(p_name => 'old3', p_grant_type => 'client_credentials', p_client_secret => 'old3-chosen-secret-0123456789');
SELECT name, length(client_secret) AS secret_length
  FROM ords_security.register_client(p_name => 'old4', p_grant_type => 'client_credentials', p_generate_secret => true);
-- By position, the record goes third (it has no default, so it precedes p_description); in
-- ORDS's fourth position no function matches (docs/clients.md#register-client).
SELECT (ords_security.register_client('new5', 'client_credentials', ords_types.oauth_client_secret(), 'desc')).client_key.name;
SELECT ords_security.register_client('new6', 'client_credentials', 'desc', ords_types.oauth_client_secret());
\echo SQLSTATE :LAST_ERROR_SQLSTATE

-- =============================================================================================
-- Secrets by key: rotate (the free slot, then the older), register a chosen one, revoke by filter.
-- =============================================================================================
SELECT (c).client_secret.slot AS rotated_into, length((c).client_secret.secret) AS secret_length
  FROM (SELECT ords_security.rotate_client_secret(p_client_key => ords_types.oauth_client_key(p_client_id => :'k4_client_id')) AS c) s;
RESET ROLE;
SELECT access_token IS NOT NULL AS k4_chosen_works FROM oauth.issue_token(:'k4_client_id', 'k4-chosen-secret-0123456789');
SET ROLE iso_a;
-- The default filter revokes the older secret (the chosen one, slot 1).
SELECT (c).client_key.name, (c).client_secret.slot AS revoked, (c).client_secret.secret IS NULL AS no_value
  FROM (SELECT ords_security.revoke_client_secrets(p_client_key => ords_types.oauth_client_key(p_name => 'k4')) AS c) s;
RESET ROLE;
SELECT access_token IS NOT NULL AS k4_chosen_works FROM oauth.issue_token(:'k4_client_id', 'k4-chosen-secret-0123456789');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SET ROLE iso_a;
-- A chosen secret into slot 1 (text form), then revoke by value: that slot only.
SELECT (c).client_secret.slot, (c).client_secret.secret = 'k4-second-secret-0123456789' AS returns_chosen
  FROM (SELECT ords_security.register_client_secret(p_client_key => ords_types.oauth_client_key(p_name => 'k4'),
                                                    p_client_secret => 'k4-second-secret-0123456789') AS c) s;
SELECT (c).client_secret.slot AS revoked
  FROM (SELECT ords_security.revoke_client_secrets(p_client_key => ords_types.oauth_client_key(p_name => 'k4'),
          p_filter => ords_types.oauth_client_secret(p_secret => 'k4-second-secret-0123456789')) AS c) s;
SELECT client_secret_issued_on IS NOT NULL AS slot1, client_secret_2_issued_on IS NOT NULL AS slot2 FROM user_ords_clients WHERE name = 'k4';
-- A record into a chosen slot (2 is taken: it is replaced), then skip revokes nothing, 3 both.
SELECT (c).client_secret.slot FROM (SELECT ords_security.register_client_secret(p_client_key => ords_types.oauth_client_key(p_name => 'k4'),
          p_client_secret => ROW(NULL, NULL, false, 1)::ords_types.t_client_secret) AS c) s;
SELECT (c).client_secret.slot AS revoked_none FROM (SELECT ords_security.revoke_client_secrets(p_client_key => ords_types.oauth_client_key(p_name => 'k4'),
          p_filter => ords_constants.oauth_client_secret_skip()) AS c) s;
SELECT (c).client_secret.slot AS revoked_both FROM (SELECT ords_security.revoke_client_secrets(p_client_key => ords_types.oauth_client_key(p_name => 'k4'),
          p_filter => ROW(NULL, NULL, NULL, 3)::ords_types.t_client_secret, p_revoke_sessions => true) AS c) s;
SELECT client_secret IS NULL AS no_secret FROM user_ords_clients WHERE name = 'k4';
SELECT ords_security.revoke_client_secrets(p_client_key => ords_types.oauth_client_key(p_name => 'k4'),
          p_filter => ROW(NULL, NULL, NULL, 4)::ords_types.t_client_secret);
\echo SQLSTATE :LAST_ERROR_SQLSTATE

-- =============================================================================================
-- Updating by key: update_client (returns the key), rename_client, privileges, durations,
-- grant/revoke a role, delete.
-- =============================================================================================
SELECT (k).name, (k).client_id = :'k1_client_id' AS same_client_id
  FROM (SELECT ords_security.update_client(p_client_key => ords_types.oauth_client_key(p_client_id => :'k1_client_id'),
          p_new_name => 'k1b', p_description => 'renamed by key', p_origins_allowed => 'https://app.example') AS k) s;
SELECT (ords_security.rename_client(p_client_key => ords_types.oauth_client_key(p_name => 'k1b'), p_new_name => 'k1c')).name;
SELECT ords_security.update_client_privileges(p_client_key => ords_types.oauth_client_key(p_name => 'k1c'), p_privilege_names => 'a_priv');
SELECT ords_security.update_client_token_duration(p_client_key => ords_types.oauth_client_key(p_name => 'k1c'), p_token_duration => 60);
SELECT ords_security.grant_client_role(p_client_key => ords_types.oauth_client_key(p_name => 'k1c'), p_role_name => 'a_role');
SELECT ords_security.update_client_logo(p_client_key => ords_types.oauth_client_key(p_name => 'k1c'), p_content_type => 'image/png',
                                        p_logo => '\x89504e47'::bytea);
SELECT ords_security.update_client_logo(p_name => 'no_such_client', p_content_type => 'image/png', p_logo => NULL);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT name, description, allowed_origins, token_duration FROM user_ords_clients WHERE name = 'k1c';
SELECT client_name, name FROM user_ords_client_privileges WHERE client_name = 'k1c';
SELECT client_name, role_name FROM user_ords_client_roles WHERE client_name = 'k1c';
SELECT ords_security.revoke_client_role(p_client_key => ords_types.oauth_client_key(p_name => 'k1c'), p_role_name => 'a_role');
SELECT count(*) AS roles_left FROM user_ords_client_roles WHERE client_name = 'k1c';
-- A key whose fields name two different clients matches none.
SELECT pg_temp.try(format($$SELECT ords_security.rename_client(p_client_key => ords_types.oauth_client_key(p_name => 'k1c', p_client_id => %L), p_new_name => 'k9')$$,
                          :'k4_client_id')) AS mixed_key;
SELECT ords_security.delete_client(p_client_key => ords_types.oauth_client_key(p_name => 'k1c'));
SELECT ords_security.delete_client(p_client_key => ords_types.oauth_client_key(p_name => 'k1c'));
SELECT ords_security.delete_client(p_client_key => NULL);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT name FROM user_ords_clients ORDER BY name;
DROP TABLE keys, calls;
RESET ROLE;
DROP EXTENSION pg_ords CASCADE;
DROP ROLE iso_login, iso_admin, iso_a, iso_b;
