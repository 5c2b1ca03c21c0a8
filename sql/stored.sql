-- Stored (retrievable) client secrets (docs/secrets.md#stored): opt-in (pg_ords.stored_secrets),
-- an AES-256-GCM copy in oauth_client_secrets.stored_secret under a key of the key file
-- $PGDATA/pg_ords_secrets.key (src/stored.rs), never in the database or its dumps.

-- Store an encrypted copy of p_secret on the secret row of client row p_client whose Argon2id
-- hash it matches. Called by the provisioning functions (ORDS_SECURITY's p_stored => true,
-- legacy oauth.create_client with pg_ords.legacy_stored_secrets), after they checked the
-- caller owns the client.
CREATE FUNCTION ords_metadata.client_store_secret(p_client bigint, p_secret text)
RETURNS void LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp
SET log_min_error_statement = panic SET log_parameter_max_length_on_error = 0 AS $$
DECLARE
    v_name text;
    v_slot smallint;
    r      record;
BEGIN
    SELECT c.name INTO v_name FROM ords_metadata.oauth_clients c WHERE c.id = p_client;
    IF v_name IS NULL THEN
        RAISE EXCEPTION 'client % does not exist', coalesce(p_client::text, 'NULL')
            USING ERRCODE = '22023', HINT = 'Pass the id of an existing client (user_ords_clients.id).';
    END IF;
    IF NOT ords_metadata.stored_secrets_enabled() THEN
        RAISE EXCEPTION 'stored client secrets are turned off: the secret of client "%" cannot be stored', v_name
            USING ERRCODE = '55000',
                  HINT = 'A superuser turns them on with pg_ords.stored_secrets = on (docs/secrets.md#stored); otherwise keep the secret where the call that made it returned it.';
    END IF;
    IF p_secret IS NULL THEN
        RAISE EXCEPTION 'no secret given to store for client "%"', v_name
            USING ERRCODE = '22023', HINT = 'Pass the secret the client was given.';
    END IF;
    FOR r IN SELECT s.slot, s.secret_hash FROM ords_metadata.oauth_client_secrets s
              WHERE s.client_id = p_client ORDER BY s.issued_on DESC, s.slot DESC FOR UPDATE LOOP
        IF ords_metadata.verify_secret(p_secret, r.secret_hash) THEN
            v_slot := r.slot;
            EXIT;
        END IF;
    END LOOP;
    IF v_slot IS NULL THEN
        RAISE EXCEPTION 'no secret of client "%" matches the secret given, so it was not stored', v_name
            USING ERRCODE = '22023',
                  HINT = 'Pass the secret that created, registered or rotated one of the client''s two secrets.';
    END IF;
    UPDATE ords_metadata.oauth_client_secrets
       SET stored_secret = ords_metadata.stored_seal(p_client, v_slot, p_secret)
     WHERE client_id = p_client AND slot = v_slot;
END
$$;

-- For ords_metadata.all_clients: the stored secret (newest stored slot) of client row
-- p_client, for the role that owns the client only; NULL for everyone else, when nothing is
-- stored, and when it cannot be read (then with a WARNING). Never an error.
CREATE FUNCTION ords_metadata.client_stored_secret(p_client bigint)
RETURNS text LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT ords_metadata.stored_open(s.client_id, s.slot, s.stored_secret)
      FROM ords_metadata.oauth_client_secrets s
      JOIN ords_metadata.oauth_clients c ON c.id = s.client_id
      JOIN ords_metadata.ords_schemas sc ON sc.id = c.schema_id
     WHERE s.client_id = p_client AND s.stored_secret IS NOT NULL
       AND sc.parsing_schema = ords_metadata.invoker()
     ORDER BY s.issued_on DESC, s.slot DESC
     LIMIT 1
$$;

-- Every stored secret of this database sealed again with the current key (those already under
-- it are left as they are; one that cannot be decrypted is left with a WARNING). Returns how
-- many were sealed again.
CREATE FUNCTION ords_metadata.stored_reseal_all()
RETURNS integer LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_count integer := 0;
    v_new   bytea;
    r       record;
BEGIN
    FOR r IN SELECT s.client_id, s.slot, s.stored_secret FROM ords_metadata.oauth_client_secrets s
              WHERE s.stored_secret IS NOT NULL ORDER BY s.client_id, s.slot FOR UPDATE LOOP
        v_new := ords_metadata.stored_reseal(r.client_id, r.slot, r.stored_secret);
        IF v_new IS NOT NULL AND v_new <> r.stored_secret THEN
            UPDATE ords_metadata.oauth_client_secrets SET stored_secret = v_new
             WHERE client_id = r.client_id AND slot = r.slot;
            v_count := v_count + 1;
        END IF;
    END LOOP;
    RETURN v_count;
END
$$;

-- Rotate the key of stored secrets: a new current key in the key file, and every stored secret
-- of this database sealed again with it. Returns how many were. Old keys stay in the file
-- (other databases of the cluster may use them) until ords_admin.retire_stored_secret_keys().
CREATE FUNCTION ords_admin.rotate_stored_secret_key()
RETURNS integer LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM ords_metadata.require_admin('ords_admin.rotate_stored_secret_key');
    PERFORM ords_metadata.stored_key_add();
    RETURN ords_metadata.stored_reseal_all();
END
$$;

-- The other databases of the cluster after a rotation: seal this database's stored secrets
-- with the current key, without adding one. Returns how many were sealed again.
CREATE FUNCTION ords_admin.reseal_stored_secrets()
RETURNS integer LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM ords_metadata.require_admin('ords_admin.reseal_stored_secrets');
    RETURN ords_metadata.stored_reseal_all();
END
$$;

-- Drop the keys of the key file that no stored secret of THIS database uses (never the
-- current key). Returns how many were dropped. The key file is shared by every database of the
-- cluster: after a rotation, run ords_admin.reseal_stored_secrets() in every other database
-- that stores secrets before this (docs/secrets.md#stored).
CREATE FUNCTION ords_admin.retire_stored_secret_keys()
RETURNS integer LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM ords_metadata.require_admin('ords_admin.retire_stored_secret_keys');
    -- Wait for transactions storing secrets, and keep new ones out until commit: every key in
    -- use is then visible below.
    LOCK TABLE ords_metadata.oauth_client_secrets IN SHARE MODE;
    RETURN ords_metadata.stored_keys_retain(ARRAY(
        SELECT DISTINCT ords_metadata.stored_key_id(s.stored_secret)
          FROM ords_metadata.oauth_client_secrets s WHERE s.stored_secret IS NOT NULL));
END
$$;
