"""Concurrency workload and model checker for tests/reliability/concurrency.sh and scripts/soak.

CONC_WORKERS sessions (threads, one connection each) issue tokens and call ords.authorize, while
one administrator session rotates secrets (plain, p_revoke_sessions, p_revoke_existing),
revokes and grants roles, and deletes and recreates clients. Every answer is checked against a
model of what should be allowed at that moment.

Soundness under concurrency. The administrator records each change with two clock readings:
`b` just before the statement is sent and `a` just after COMMIT returned (autocommit), so the
change became visible at some instant in [b, a]. Model state k is "after changes 1..k". A
worker records the clock just before its call STARTED (s) and after it ENDED (e); the server
decided at some instant in [s, e]. State k may have been the current one at some instant in
[s, e] iff change k may have committed by e (b_k <= e) and change k+1 may not have committed
before s (a_{k+1} >= s). An answer is WRONG only if no such state allows it. Likewise a token
issued during [is, ie] is certainly removed by a p_revoke_sessions rotation made in [b, a] if
ie < b, certainly kept if is > a, and either otherwise; a token of lifetime d is certainly
valid before is + d and certainly expired after ie + d (0.25 s tolerance each side).

Clients: cc0..cc{N-1} are managed by the administrator (long token lifetime); `churn` is never
touched and has p_token_duration => 2: about half of all issuance goes to it, so the token
table would grow without bound if issuance did not purge expired tokens. A sampler counts
ords_metadata.oauth_sessions periodically.

Writes `check<TAB>name<TAB>expected<TAB>actual` and `info<TAB>text` lines to CONC_OUT.
Env: CONC_DSN (schema role page), CONC_SUPER_DSN, CONC_OUT, CONC_SECONDS (60),
CONC_WORKERS (8), CONC_CLIENTS (3), CONC_PROGRESS (seconds between progress lines, 0 = none).
"""
import bisect
import collections
import os
import random
import secrets as rnd
import threading
import time
import traceback

import psycopg

DSN = os.environ["CONC_DSN"]
SUPER_DSN = os.environ["CONC_SUPER_DSN"]
OUT = os.environ["CONC_OUT"]
SECONDS = float(os.environ.get("CONC_SECONDS", "60"))
WORKERS = int(os.environ.get("CONC_WORKERS", "8"))
NCLIENTS = int(os.environ.get("CONC_CLIENTS", "3"))
PROGRESS = float(os.environ.get("CONC_PROGRESS", "0"))
MANAGED = [f"cc{i}" for i in range(NCLIENTS)]
CHURN, CHURN_DURATION = "churn", 2
LONG_DURATION = int(SECONDS) + 3600
PATHS = {"/customers/validation/1": "license_role", "/admin/x": "admin_role", "/public": None}
TOL = 0.25
now = time.time

stop = threading.Event()
lock = threading.Lock()
errors = collections.Counter()          # (operation, sqlstate) -> n
unexpected = collections.Counter()      # (operation, sqlstate) -> n: errors the model does not allow
calls = collections.Counter()
outcomes = collections.Counter()
wrong = []                              # details of wrong answers (first 20)
n_wrong = 0
n_checked = 0
n_ambiguous = 0
issued = collections.Counter()          # "churn" / "long" -> tokens issued
samples = []                            # (t, all sessions, churn sessions)


class Inc:
    """One incarnation of a client (a delete + create makes a new one, with a new client_id)."""
    __slots__ = ("name", "client_id", "duration", "deleted_at", "revokes")

    def __init__(self, name, client_id, duration):
        self.name, self.client_id, self.duration = name, client_id, duration
        self.deleted_at = None          # index of the change that deleted it
        self.revokes = []               # (change index, b, a) of p_revoke_sessions rotations


class Token:
    __slots__ = ("value", "inc", "t0", "t1")

    def __init__(self, value, inc, t0, t1):
        self.value, self.inc, self.t0, self.t1 = value, inc, t0, t1


# The model: states[k] = {name: (inc or None, frozenset(roles), tuple(secrets, oldest first))};
# change k (1-based) has B[k-1], A[k-1]. Appended by the admin only, in the order states, B, A.
states, B, A = [], [], []
horizon = [float("-inf")]               # b of the change in flight: answers ending before it are checkable
published = {}                          # name -> (inc, secrets newest first): what workers use


def connect(dsn, app):
    return psycopg.connect(dsn, autocommit=True, application_name=app)


def admissible(s, e):
    n = len(A)
    lo = bisect.bisect_left(A, s, 0, n)
    hi = bisect.bisect_right(B, e, 0, n)
    return range(lo, max(lo, hi) + 1)


def token_status(tok, k):
    """{True}, {False} or {True, False}: may the token be in the table in state k?"""
    inc = tok.inc
    if inc.deleted_at is not None and inc.deleted_at <= k:
        return {False}
    st = {True}
    for idx, b, a in inc.revokes:
        if idx > k:
            break
        if tok.t1 < b:
            return {False}
        if tok.t0 <= a:
            st = {True, False}
    return st


def expected_decision(tok, path, s, e, ks):
    role = PATHS[path]
    if role is None:
        return {"public"}
    if tok is None:
        return {"unauthorized"}
    exp = set()
    may_live = s < tok.t1 + tok.inc.duration + TOL
    may_expire = e > tok.t0 + tok.inc.duration - TOL
    for k in ks:
        st = token_status(tok, k)
        if False in st or may_expire:
            exp.add("unauthorized")
        if True in st and may_live:
            cur, roles, _ = states[k][tok.inc.name]
            exp.add("unauthorized" if cur is not tok.inc else ("allowed" if role in roles else "forbidden"))
    return exp


def expected_issue(inc, secret, ks):
    exp = set()
    for k in ks:
        cur, _, secs = states[k][inc.name]
        exp.add("ok" if (cur is inc and secret in secs) else "28P01")
    return exp


def check_record(rec):
    global n_wrong, n_checked, n_ambiguous
    kind, s, e = rec[0], rec[1], rec[2]
    ks = admissible(s, e)
    if kind == "auth":
        _, _, _, tok, path, got = rec
        exp = expected_decision(tok, path, s, e, ks)
    else:
        _, _, _, inc, secret, got = rec
        exp = expected_issue(inc, secret, ks)
    n_checked += 1
    if len(exp) > 1:
        n_ambiguous += 1
    if kind == "issue" and got not in ("ok", "28P01"):
        return          # an error, not a decision: counted among the unexpected errors
    if got not in exp:
        n_wrong += 1
        if len(wrong) < 20:
            name = (tok.inc.name if tok else "-") if kind == "auth" else inc.name
            hist = "; ".join(f"#{k} b={B[k - 1]:.4f} a={A[k - 1]:.4f} roles={sorted(states[k][name][1])}"
                             for k in ks if k > 0 and name in states[k])
            wrong.append(f"{kind} {name} {rec[4] if kind == 'auth' else ''} got {got}, model allows {sorted(exp)}; "
                         f"call [{s:.4f}, {e:.4f}], states {ks.start}..{ks.stop - 1}: {hist}")


def record_error(op, e, allowed=()):
    st = getattr(e, "sqlstate", None) or type(e).__name__
    with lock:
        errors[(op, st)] += 1
        if st not in allowed:
            unexpected[(op, st)] += 1
    return st


# ---------------------------------------------------------------------------------------------
# Administrator
# ---------------------------------------------------------------------------------------------
class Admin:
    def __init__(self):
        self.conn = connect(DSN, "conc_admin")
        self.cur = {}      # name -> [inc or None, set(roles), list(secrets oldest first)]
        self.rng = random.Random(1)
        self.changes = collections.Counter()

    def create(self, name, duration, roles):
        cid, sec = self.conn.execute(
            "SELECT client_id, client_secret FROM oauth.create_client(%s, 'client_credentials', p_token_duration => %s)",
            (name, duration)).fetchone()
        for r in roles:
            self.conn.execute("SELECT oauth.grant_client_role(%s, %s)", (name, r))
        return Inc(name, cid, duration), sec

    def snapshot(self):
        return {n: (v[0], frozenset(v[1]), tuple(v[2])) for n, v in self.cur.items()}

    def publish(self, name):
        inc, _, secs = self.cur[name]
        published[name] = (inc, tuple(reversed(secs)))

    def setup(self):
        for name in MANAGED:
            inc, sec = self.create(name, LONG_DURATION, ["license_role"])
            self.cur[name] = [inc, {"license_role"}, [sec]]
        inc, sec = self.create(CHURN, CHURN_DURATION, ["license_role"])
        self.cur[CHURN] = [inc, {"license_role"}, [sec]]
        states.append(self.snapshot())
        for n in self.cur:
            self.publish(n)

    def change(self):
        name = self.rng.choice(MANAGED)
        inc, roles, secs = self.cur[name]
        r = self.rng.random()
        if inc is None:
            op = "create"
        elif r < 0.20:
            op = "rotate"
        elif r < 0.35:
            op = "rotate+revoke_sessions"
        elif r < 0.40:
            op = "rotate+revoke_existing"
        elif r < 0.65:
            op = "toggle license_role"
        elif r < 0.85:
            op = "toggle admin_role"
        elif r < 0.93:
            op = "validate"     # not a change: a consistency read of the admin's own view
        else:
            op = "delete"
        b = now()
        horizon[0] = b
        try:
            idx = len(states)   # the index this change will have
            if op == "create":
                new_inc, sec = Inc(name, None, LONG_DURATION), None
                cid, sec = self.conn.execute(
                    "SELECT client_id, client_secret FROM oauth.create_client(%s, 'client_credentials', p_token_duration => %s)",
                    (name, LONG_DURATION)).fetchone()
                new_inc.client_id = cid
                upd = [new_inc, set(), [sec]]
            elif op.startswith("rotate"):
                sec = self.conn.execute("SELECT oauth.rotate_client_secret(%s, p_revoke_existing => %s, p_revoke_sessions => %s)",
                                        (name, op.endswith("existing"), op.endswith("sessions"))).fetchone()[0]
                new = [sec] if op.endswith("existing") else (secs[-1:] if len(secs) == 2 else secs) + [sec]
                upd = [inc, roles, new]
            elif op.startswith("toggle"):
                role = op.split()[1]
                if role in roles:
                    self.conn.execute("SELECT oauth.revoke_client_role(%s, %s)", (name, role))
                    upd = [inc, roles - {role}, secs]
                    op = f"revoke {role}"
                else:
                    self.conn.execute("SELECT oauth.grant_client_role(%s, %s)", (name, role))
                    upd = [inc, roles | {role}, secs]
                    op = f"grant {role}"
            elif op == "validate":
                got = sorted(r for (r,) in self.conn.execute(
                    "SELECT role_name FROM user_ords_client_roles WHERE client_name = %s", (name,)))
                if got != sorted(roles):
                    with lock:
                        unexpected[("admin view user_ords_client_roles", f"{got} != {sorted(roles)}")] += 1
                return
            else:
                self.conn.execute("SELECT oauth.delete_client(%s)", (name,))
                upd = [None, set(), []]
        except psycopg.Error as e:
            record_error(f"admin {op}", e)
            raise
        a = now()
        if op == "rotate+revoke_sessions":
            inc.revokes.append((idx, b, a))
        if op == "delete":
            inc.deleted_at = idx
        self.cur[name] = upd
        self.changes[op] += 1
        states.append(self.snapshot())
        B.append(b)
        A.append(a)
        self.publish(name)

    def run(self):
        try:
            while not stop.is_set():
                self.change()
                time.sleep(self.rng.uniform(0.005, 0.04))
        except Exception:
            with lock:
                unexpected[("admin crashed", traceback.format_exc(limit=2).replace("\n", " "))] += 1
        finally:
            horizon[0] = float("inf")


# ---------------------------------------------------------------------------------------------
# Workers, checker, sampler
# ---------------------------------------------------------------------------------------------
queues = []


def worker(wid):
    rng = random.Random(100 + wid)
    q = collections.deque()
    queues.append(q)
    pool = collections.deque(maxlen=32)
    try:
        conn = connect(DSN, f"conc_w{wid}")
        while not stop.is_set():
            # a token request: half for the short-lived churn client
            name = CHURN if rng.random() < 0.5 else rng.choice(MANAGED)
            inc, secs = published[name]
            if inc is not None:
                secret = secs[1] if (len(secs) > 1 and rng.random() < 0.2) else secs[0]
                s = now()
                try:
                    tok = conn.execute("SELECT access_token FROM oauth.issue_token(%s, %s)",
                                       (inc.client_id, secret)).fetchone()[0]
                    got = "ok"
                except psycopg.Error as err:
                    got = record_error("issue_token", err, allowed=("28P01",))
                e = now()
                q.append(("issue", s, e, inc, secret, got))
                with lock:
                    calls["issue_token"] += 1
                    if got == "ok":
                        issued["churn" if name == CHURN else "long"] += 1
                if got == "ok":
                    pool.append(Token(tok, inc, s, e))
            # a few decisions with tokens from the pool (and now and then none, or a bogus one)
            for _ in range(6):
                r = rng.random()
                tok = rng.choice(pool) if (pool and r > 0.05) else None
                value = tok.value if tok else (None if r < 0.02 else rnd.token_urlsafe(32))
                if tok and rng.random() < 0.2:
                    value = "Bearer " + value
                path = rng.choice(list(PATHS))
                s = now()
                try:
                    got = conn.execute("SELECT outcome FROM ords.authorize(%s, 'GET', %s, 'page')",
                                       (value, path)).fetchone()[0]
                except psycopg.Error as err:
                    got = "error " + record_error("authorize", err)
                e = now()
                q.append(("auth", s, e, tok, path, got))
                with lock:
                    calls["authorize"] += 1
                    outcomes[got] += 1
    except Exception:
        with lock:
            unexpected[(f"worker {wid} crashed", traceback.format_exc(limit=2).replace("\n", " "))] += 1


workers_done = threading.Event()


def checker():
    while True:
        done = workers_done.is_set() and horizon[0] == float("inf")
        h = horizon[0]
        for q in list(queues):
            while q and q[0][2] < h:
                check_record(q.popleft())
        if done:
            return
        time.sleep(0.05)


def backend_rss(pids):
    """Total resident memory (MiB) of the workers' backends (same host; None if unreadable)."""
    total = 0
    try:
        for pid in pids:
            with open(f"/proc/{pid}/status") as f:
                total += next(int(l.split()[1]) for l in f if l.startswith("VmRSS:"))
    except (OSError, StopIteration):
        return None
    return total / 1024


def sampler():
    conn = connect(SUPER_DSN, "conc_sampler")
    pids = []
    while not stop.is_set():
        n, nc = conn.execute(
            "SELECT count(*), count(*) FILTER (WHERE c.name = 'churn') FROM ords_metadata.oauth_sessions s "
            "JOIN ords_metadata.oauth_clients c ON c.id = s.client_id").fetchone()
        if len(pids) < WORKERS:
            pids = [p for (p,) in conn.execute("SELECT pid FROM pg_stat_activity WHERE application_name LIKE 'conc_w%'")]
        samples.append((now(), n, nc, backend_rss(pids)))
        stop.wait(0.25)


def progress(t0):
    while not stop.wait(PROGRESS):
        with lock:
            last = samples[-1] if samples else (0, 0, 0, None)
            print(f"progress - {now() - t0:5.0f} s: {sum(calls.values())} calls, {n_checked} checked, {n_wrong} wrong, "
                  f"{sum(unexpected.values())} unexpected errors, sessions {last[1]} (churn {last[2]}), "
                  f"backends {last[3] or 0:.0f} MiB", flush=True)


def main():
    admin = Admin()
    admin.setup()
    t0 = now()
    threads = [threading.Thread(target=worker, args=(w,)) for w in range(WORKERS)]
    threads += [threading.Thread(target=admin.run), threading.Thread(target=sampler)]
    if PROGRESS > 0:
        threads.append(threading.Thread(target=progress, args=(t0,), daemon=True))
    for t in threads:
        t.start()
    chk = threading.Thread(target=checker)
    chk.start()
    stop.wait(SECONDS)
    stop.set()
    for t in threads:
        if not t.daemon:
            t.join()
    workers_done.set()
    chk.join()
    elapsed = now() - t0
    report(elapsed, admin)


def report(elapsed, admin):
    info, out = [], []
    c = lambda name, exp, act: out.append((name, str(exp), str(act)))
    total = sum(calls.values())
    info.append(f"{elapsed:.0f} s, {WORKERS} sessions + 1 administrator: {total} calls "
                f"({calls['issue_token']} issue_token, {calls['authorize']} authorize, {total / elapsed:.0f}/s); "
                f"{len(A)} administrator changes ({', '.join(f'{k} {v}' for k, v in sorted(admin.changes.items()))})")
    info.append("decisions: " + ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items())))
    info.append("errors by SQLSTATE: " + (", ".join(f"{op} {st} x{n}" for (op, st), n in sorted(errors.items())) or "none"))
    info.append(f"checked {n_checked} answers against the model ({n_ambiguous} fell in a change's window and "
                f"allowed two answers); wrong: {n_wrong}")
    for w in wrong:
        info.append("WRONG: " + w)
    c("every answer checked against the model", total, n_checked)
    c("wrong decisions (contradict every state valid during the call)", 0, n_wrong)
    c("answers checked that fell in no change's window (the model decided them exactly)", True, n_checked - n_ambiguous > total / 2)
    dl = sum(n for (op, st), n in errors.items() if st in ("40P01", "40001"))
    c("no deadlock (40P01) or serialization failure (40001) reached a caller", 0, dl)
    c("no error outside the model (issue_token: only 28P01 for a rotated-away secret or deleted client; "
      "authorize and administration: none)", "",
      " ".join(f"[{op}: {st} x{n}]" for (op, st), n in sorted(unexpected.items()))[:600])
    for o in ("allowed", "forbidden", "unauthorized", "public"):
        c(f"the run exercised '{o}' decisions", True, outcomes[o] > 0)
    churn_rate = issued["churn"] / elapsed
    bound = churn_rate * (CHURN_DURATION + 10) * 2
    max_all = max((s[1] for s in samples), default=0)
    max_churn = max((s[2] for s in samples), default=0)
    final = samples[-1] if samples else (0, 0, 0, None)
    info.append(f"token table: {issued['churn']} short-lived tokens issued ({churn_rate:.0f}/s, lifetime {CHURN_DURATION} s), "
                f"{issued['long']} long-lived; oauth_sessions sampled {len(samples)} times: max {max_all} "
                f"(churn {max_churn}), final {final[1]} (churn {final[2]}); bound for churn rows "
                f"{churn_rate:.0f}/s x ({CHURN_DURATION} + 10) s x 2 = {bound:.0f}")
    rss = [(t, r) for t, _, _, r in samples if r is not None]
    if len(rss) > 8:
        early = rss[min(len(rss) - 1, int(len(rss) * 0.1))]
        info.append(f"workers' backends resident memory: {early[1]:.0f} MiB at {early[0] - samples[0][0]:.0f} s, "
                    f"{rss[-1][1]:.0f} MiB at the end ({WORKERS} backends)")
    c("short-lived tokens issued", True, issued["churn"] > 10 * (CHURN_DURATION + 10))
    c(f"live short-lived token rows stay bounded (max {max_churn} <= {bound:.0f})", True, max_churn <= bound)
    c(f"whole token table stays bounded (max {max_all} <= churn bound + long-lived tokens issued = {bound + issued['long']:.0f})",
      True, max_all <= bound + issued["long"])
    with open(OUT, "w") as f:
        for line in info:
            f.write(f"info\x1f{line}\n")
        for name, exp, act in out:
            f.write(f"check\x1f{name}\x1f{exp}\x1f{act}\n")


if __name__ == "__main__":
    main()
