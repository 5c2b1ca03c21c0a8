"""Workload and client-side bookkeeping for tests/reliability/crash_recovery.sh.

Four sessions (threads, each with its own connection, application_name crash_w<N>):
  w0  issues tokens for the seed-003 client (default Argon2id cost: ~20 ms inside issue_token)
      and authorizes with each;
  w1  issues tokens for a client with a cheap generated secret, as fast as it can;
  w2  provisions in explicit transactions: BEGIN; create_client; grant_client_role;
      rotate_client_secret; create_role; create_privilege; create_privilege_mapping; COMMIT
      (a "unit", all or nothing);
  w3  provisions the same steps in autocommit, one statement at a time.
Every step that returned success to the driver is recorded (with its name, secret or token).
The main thread kills -9 one backend of ours mid-call, CRASH_KILLS times; Postgres then
terminates every backend and runs crash recovery; the sessions reconnect and go on.

After the run it checks, as superuser, what the client side recorded against the recovered
catalog, and writes `name<TAB>expected<TAB>actual` lines to CRASH_OUT (the shell script turns
them into ok/FAIL lines) and `info<TAB>text` lines.
Env: CRASH_DSN (page), CRASH_SUPER_DSN, CRASH_OUT, CRASH_SECONDS, CRASH_KILLS, SEED_CLIENT_ID,
SEED_SECRET, SEED_TOKEN, FAST_CLIENT_ID, FAST_SECRET.
"""
import collections
import os
import random
import signal
import threading
import time

import psycopg

DSN = os.environ["CRASH_DSN"]
SUPER_DSN = os.environ["CRASH_SUPER_DSN"]
SECONDS = float(os.environ.get("CRASH_SECONDS", "12"))
KILLS = int(os.environ.get("CRASH_KILLS", "2"))
OUT = os.environ["CRASH_OUT"]
PATH = "/customers/validation/1"

stop = threading.Event()
lock = threading.Lock()
errors = collections.Counter()          # (worker, sqlstate or exception class) -> n
tokens_ok = []                          # (client_id, token) whose issuance returned success
steps_ok = collections.defaultdict(set)  # step kind -> names whose autocommit step succeeded
secrets_ok = {}                         # name -> [secret, ...] returned by committed statements
units = {}                              # w2 unit name -> 'committed' | 'aborted' | 'in doubt'
counts = collections.Counter()
commit_times = []                       # when each w2 unit's COMMIT returned
kill_marks = []                         # (time of the kill, time the server was back)


def connect(dsn, app):
    """Connect, retrying while the server restarts (refused, or 57P03 while in recovery)."""
    deadline = time.time() + 60
    while True:
        try:
            return psycopg.connect(dsn, autocommit=True, application_name=app, connect_timeout=5)
        except psycopg.OperationalError:
            if time.time() > deadline:
                raise
            time.sleep(0.05)


def lost(e):
    """Did this error come from losing the connection (the crash), rather than from SQL?"""
    return isinstance(e, psycopg.OperationalError) or (e.sqlstate or "").startswith("57")


def note_error(worker, e):
    with lock:
        errors[(worker, e.sqlstate or type(e).__name__)] += 1


def issuer(wid, client_id, secret):
    conn = connect(DSN, f"crash_w{wid}")
    while not stop.is_set():
        try:
            tok = conn.execute("SELECT access_token FROM oauth.issue_token(%s, %s)", (client_id, secret)).fetchone()[0]
            with lock:
                tokens_ok.append((client_id, tok))
                counts[f"tokens issued w{wid}"] += 1
            conn.execute("SELECT outcome FROM ords.authorize(%s, 'GET', %s, 'page')", (tok, PATH)).fetchone()
            with lock:
                counts["decisions"] += 1
        except psycopg.Error as e:
            note_error(f"w{wid}", e)
            if lost(e):
                conn = connect(DSN, f"crash_w{wid}")


def steps(name):
    """The provisioning steps of one unit: (kind, sql, params, returns a secret)."""
    return [
        ("client", "SELECT client_secret FROM oauth.create_client(%s, 'client_credentials')", (name,), True),
        ("grant", "SELECT oauth.grant_client_role(%s, 'license_role')", (name,), False),
        ("rotate", "SELECT oauth.rotate_client_secret(%s)", (name,), True),
        ("role", "SELECT ords.create_role(%s)", ("r_" + name,), False),
        ("privilege", "SELECT ords.create_privilege(%s, %s)", ("p_" + name, "r_" + name), False),
        ("mapping", "SELECT ords.create_privilege_mapping(%s, %s)", ("p_" + name, f"/u/{name}/*"), False),
    ]


def provisioner_txn(wid):
    conn = connect(DSN, f"crash_w{wid}")
    i = 0
    while not stop.is_set():
        i += 1
        name = f"t{wid}_{i}"
        got = []
        phase = "body"
        try:
            with conn.transaction():
                for kind, sql, params, returns in steps(name):
                    r = conn.execute(sql, params).fetchone()
                    if returns:
                        got.append(r[0])
                phase = "commit"   # leaving the block sends COMMIT
            units[name] = "committed"
            with lock:
                commit_times.append(time.time())
                secrets_ok[name] = got
                counts["units committed"] += 1
        except psycopg.Error as e:
            note_error(f"w{wid}", e)
            # Lost before COMMIT was sent: rolled back for sure. Lost during COMMIT: in doubt.
            units[name] = "in doubt" if (phase == "commit" and lost(e)) else "aborted"
            if lost(e):
                conn = connect(DSN, f"crash_w{wid}")


def provisioner_autocommit(wid):
    conn = connect(DSN, f"crash_w{wid}")
    i = 0
    while not stop.is_set():
        i += 1
        name = f"a{wid}_{i}"
        for kind, sql, params, returns in steps(name):
            try:
                r = conn.execute(sql, params).fetchone()
            except psycopg.Error as e:
                note_error(f"w{wid}", e)
                if lost(e):
                    conn = connect(DSN, f"crash_w{wid}")
                break      # abandon the unit: later steps need this one
            with lock:
                steps_ok[kind].add(name)
                counts["autocommit steps"] += 1
                if returns:
                    secrets_ok.setdefault(name, []).append(r[0])


def pick_victim(prefer):
    """A backend of ours in the middle of an ords/oauth call (active, or inside a unit's
    transaction), preferring the worker `prefer`."""
    deadline = time.time() + 3
    while time.time() < deadline:
        try:
            with psycopg.connect(SUPER_DSN, autocommit=True) as m:
                rows = m.execute(
                    "SELECT pid, application_name, state, left(query, 60) FROM pg_stat_activity "
                    "WHERE application_name LIKE 'crash_w%%' AND state IN ('active', 'idle in transaction') "
                    "AND query ~ '(oauth|ords)\\.'").fetchall()
        except psycopg.OperationalError:
            rows = []
        mine = [r for r in rows if r[1] == prefer and r[2] == "active"] or [r for r in rows if r[1] == prefer]
        if mine or (rows and time.time() > deadline - 1):
            return random.choice(mine or rows)
        time.sleep(0.01)
    return None


def wait_ready():
    t0 = time.time()
    time.sleep(0.2)
    with connect(SUPER_DSN, "crash_probe") as c:
        c.execute("SELECT 1")
    return time.time() - t0


def main():
    threads = [
        threading.Thread(target=issuer, args=(0, os.environ["SEED_CLIENT_ID"], os.environ["SEED_SECRET"])),
        threading.Thread(target=issuer, args=(1, os.environ["FAST_CLIENT_ID"], os.environ["FAST_SECRET"])),
        threading.Thread(target=provisioner_txn, args=(2,)),
        threading.Thread(target=provisioner_autocommit, args=(3,)),
    ]
    for t in threads:
        t.start()
    info = []
    start = time.time()
    kill_times = [start + SECONDS * (k + 1) / (KILLS + 1) for k in range(KILLS)]
    prefer = ["crash_w2", "crash_w0", "crash_w3", "crash_w1"]
    kills_done = 0
    for k, at in enumerate(kill_times):
        time.sleep(max(0, at - time.time()))
        v = pick_victim(prefer[k % len(prefer)])
        if v is None:
            info.append(f"kill {k + 1}: no backend of ours was mid-call")
            continue
        pid, app, st, query = v
        os.kill(pid, signal.SIGKILL)
        kills_done += 1
        info.append(f"kill {k + 1}: SIGKILL backend {pid} ({app}, {st}: {query.strip()}...) after {at - start:.1f} s")
        back = wait_ready()
        kill_marks.append((time.time() - back, time.time()))
        info.append(f"kill {k + 1}: server accepted connections again after {back:.1f} s")
    time.sleep(max(0, start + SECONDS - time.time()))
    stop.set()
    for t in threads:
        t.join()
    check(info, kills_done)


def check(info, kills_done):
    out = []
    def c(name, exp, act):
        out.append((name, str(exp), str(act)))
    c("kills delivered", KILLS, kills_done)
    conn = connect(SUPER_DSN, "crash_check")
    q = lambda sql, p=(): conn.execute(sql, p).fetchall()
    clients = {n: cid for n, cid in q("SELECT c.name, c.id FROM ords_metadata.oauth_clients c")}
    nsecrets = {cid: n for cid, n in q("SELECT client_id, count(*) FROM ords_metadata.oauth_client_secrets GROUP BY 1")}
    granted = {n for (n,) in q("SELECT c.name FROM ords_metadata.oauth_client_roles cr JOIN ords_metadata.oauth_clients c "
                               "ON c.id = cr.client_id JOIN ords_metadata.sec_roles r ON r.id = cr.role_id "
                               "WHERE r.name = 'license_role'")}
    roles = {n for (n,) in q("SELECT name FROM ords_metadata.sec_roles")}
    privs = {n for (n,) in q("SELECT p.name FROM ords_metadata.sec_privileges p JOIN ords_metadata.sec_privilege_roles pr "
                             "ON pr.privilege_id = p.id JOIN ords_metadata.sec_roles r ON r.id = pr.role_id "
                             "WHERE r.name = 'r_' || substr(p.name, 3)")}
    maps = {pat for (pat,) in q("SELECT pattern FROM ords_metadata.sec_privilege_mappings")}

    def parts(name):
        """Which parts of a unit exist: client, grant, 2 secrets, role, privilege, mapping."""
        cid = clients.get(name)
        return {
            "client": cid is not None,
            "grant": name in granted,
            "rotate": cid is not None and nsecrets.get(cid, 0) == 2,
            "role": "r_" + name in roles,
            "privilege": "p_" + name in privs,
            "mapping": f"/u/{name}/*" in maps,
        }

    # Autocommit worker: every step that reported success is there.
    missing = [f"{kind}:{n}" for kind, names in steps_ok.items() for n in names if not parts(n)[kind]]
    c(f"autocommit: every step that reported success survived ({sum(map(len, steps_ok.values()))} steps, "
      f"{len(steps_ok['client'])} clients)", "", " ".join(missing[:5]))
    # Transactional worker: committed units complete, aborted ones absent, every unit all or nothing.
    by = collections.defaultdict(list)
    for n, s in units.items():
        by[s].append(n)
    info.append("transactional units: " + ", ".join(f"{len(v)} {k}" for k, v in sorted(by.items())))
    c(f"transactions: every committed unit is complete ({len(by['committed'])} units)", "",
      " ".join(n for n in by["committed"] if not all(parts(n).values()))[:200])
    c(f"transactions: no trace of a unit rolled back by the crash or by an error ({len(by['aborted'])} units)", "",
      " ".join(n for n in by["aborted"] if any(parts(n).values()))[:200])
    c(f"transactions: every unit left all or nothing, in doubt ones included ({len(units)} units)", "",
      " ".join(n for n in units if len(set(parts(n).values())) > 1)[:200])
    if kill_marks:
        c("units committed both before the first crash and after the last recovery", "True True",
          f"{any(t < kill_marks[0][0] for t in commit_times)} {any(t > kill_marks[-1][1] for t in commit_times)}")

    # Tokens whose issuance returned success still authorize (durable), incl. seed 003's.
    toks = [t for _, t in tokens_ok] + [os.environ["SEED_TOKEN"]]
    pc = connect(DSN, "crash_check")
    bad = [t for t in toks
           if pc.execute("SELECT outcome FROM ords.authorize(%s, 'GET', %s, 'page')", (t, PATH)).fetchone()[0] != "allowed"]
    c(f"every token issued before or after a crash still authorizes ({len(toks)} tokens)", 0, len(bad))
    c("the seed-003 token issued before the first crash: allowed", "allowed",
      pc.execute("SELECT outcome FROM ords.authorize(%s, 'GET', %s, 'page')", (os.environ["SEED_TOKEN"], PATH)).fetchone()[0])
    # Secrets returned by committed statements still verify.
    sample = [(n, s) for n, ss in list(secrets_ok.items())[-8:] for s in ss]
    ids = {n: cid for n, cid in pc.execute("SELECT name, client_id FROM user_ords_clients").fetchall()}
    ok = 0
    for n, s in sample:
        try:
            pc.execute("SELECT * FROM oauth.issue_token(%s, %s)", (ids[n], s)).fetchall()
            ok += 1
        except (psycopg.Error, KeyError):
            pass
    c(f"secrets returned by committed calls still verify ({len(sample)} sampled)", len(sample), ok)
    # Provisioning works after recovery.
    try:
        pc.execute("SELECT client_secret FROM oauth.create_client('after_crash', 'client_credentials')")
        pc.execute("SELECT oauth.grant_client_role('after_crash', 'license_role')")
        res = "ok"
    except psycopg.Error as e:
        res = e.sqlstate
    c("provisioning after recovery", "ok", res)

    unexpected = {k: v for k, v in errors.items() if not (k[1].startswith("57") or k[1] in ("OperationalError", "None"))}
    info.append("errors seen by the sessions: " + (", ".join(f"{w} {s} x{n}" for (w, s), n in sorted(errors.items())) or "none"))
    info.append("work done: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    c("no error other than lost connections (57P01/57P02/57P03, connection closed)", "",
      " ".join(f"{w}:{s}x{n}" for (w, s), n in sorted(unexpected.items())))
    with open(OUT, "w") as f:
        for line in info:
            f.write(f"info\x1f{line}\n")
        for name, exp, act in out:
            f.write(f"check\x1f{name}\x1f{exp}\x1f{act}\n")


if __name__ == "__main__":
    main()
