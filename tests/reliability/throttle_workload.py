"""Parallel attackers for tests/reliability/throttle.sh (docs/authentication.md).

    throttle_workload.py burst-issue DSN CLIENT_ID RIGHT_SECRET N
        N backends, each connected first and released together (a barrier), call
        oauth.issue_token once: N-1 with a wrong secret, one with the right one. Prints
        "evaluated=E throttled=T granted=G other=O seconds=S": evaluated counts the answers
        that verified the secret (a token, or 28P01 invalid credentials), throttled the 53400
        refusals given without verifying.
    throttle_workload.py burst-basic DSN USER RIGHT_PASSWORD N ALIAS PATH
        The same with N parallel ords.authorize calls carrying HTTP Basic credentials.
        Prints "allowed=A refused=R seconds=S" (the evaluated failures are counted from the
        server log by the caller).
    throttle_workload.py flood-client DSN N WORKERS
        N issue_token failures of distinct unknown client_ids, spread over WORKERS sessions.
    throttle_workload.py flood-basic DSN N WORKERS ALIAS PATH
        N ords.authorize calls with HTTP Basic credentials of distinct unknown users, spread
        over WORKERS sessions.
Every run is bounded: statement_timeout 120 s per call.
"""
import base64
import secrets
import sys
import threading
import time

import psycopg


def connect(dsn):
    c = psycopg.connect(dsn, autocommit=True)
    c.execute("SET statement_timeout = '120s'")
    return c


def basic(user, password):
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def burst(dsn, n, call):
    conns = [connect(dsn) for _ in range(n)]
    barrier = threading.Barrier(n)
    results = [None] * n

    def run(i):
        barrier.wait()
        try:
            results[i] = call(conns[i], i)
        except psycopg.Error as e:
            results[i] = ("error", e.sqlstate)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    t0 = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    secs = time.monotonic() - t0
    for c in conns:
        c.close()
    return results, secs


def burst_issue(dsn, client_id, right, n):
    right_at = secrets.randbelow(n)

    def call(c, i):
        s = right if i == right_at else "wrong-" + secrets.token_hex(8)
        c.execute("SELECT access_token FROM oauth.issue_token(%s, %s)", (client_id, s)).fetchone()
        return ("granted", None)

    results, secs = burst(dsn, n, call)
    granted = sum(1 for r in results if r == ("granted", None))
    invalid = sum(1 for r in results if r == ("error", "28P01"))
    throttled = sum(1 for r in results if r == ("error", "53400"))
    other = n - granted - invalid - throttled
    print(f"evaluated={granted + invalid} throttled={throttled} granted={granted} other={other} seconds={secs:.1f}")


def burst_basic(dsn, user, right, n, alias, path):
    right_at = secrets.randbelow(n)

    def call(c, i):
        p = right if i == right_at else "wrong-" + secrets.token_hex(8)
        (o,) = c.execute("SELECT outcome FROM ords.authorize(%s, 'GET', %s, %s)", (basic(user, p), path, alias)).fetchone()
        return (o, None)

    results, secs = burst(dsn, n, call)
    allowed = sum(1 for r in results if r[0] == "allowed")
    print(f"allowed={allowed} refused={n - allowed} seconds={secs:.1f}")


def flood_client(dsn, n, workers):
    per = n // workers

    def run(w):
        c = connect(dsn)
        # A PL/pgSQL loop with a subtransaction per attempt: each failure is a real, separate
        # issue_token call, without a round trip each.
        c.execute(
            """DO $$
            DECLARE i int;
            BEGIN
              FOR i IN 1..%d LOOP
                BEGIN
                  PERFORM oauth.issue_token('unknown-%d-' || i || '-' || md5(random()::text), 'x');
                EXCEPTION WHEN invalid_password OR configuration_limit_exceeded THEN NULL;
                END;
              END LOOP;
            END $$""" % (per, w)
        )
        c.close()

    threads = [threading.Thread(target=run, args=(w,)) for w in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(300)


def flood_basic(dsn, n, workers, alias, path):
    per = n // workers

    def run(w):
        c = connect(dsn)
        c.execute(
            """SELECT count(*) FROM generate_series(1, %s) g,
                      LATERAL ords.authorize('Basic ' || encode(convert_to('nobody_' || %s || '_' || g || ':x', 'UTF8'), 'base64'),
                                             'GET', %s, %s) a""",
            (per, w, path, alias),
        ).fetchone()
        c.close()

    threads = [threading.Thread(target=run, args=(w,)) for w in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(300)


def main():
    cmd, dsn = sys.argv[1], sys.argv[2]
    a = sys.argv[3:]
    if cmd == "burst-issue":
        burst_issue(dsn, a[0], a[1], int(a[2]))
    elif cmd == "burst-basic":
        burst_basic(dsn, a[0], a[1], int(a[2]), a[3], a[4])
    elif cmd == "flood-client":
        flood_client(dsn, int(a[0]), int(a[1]))
    elif cmd == "flood-basic":
        flood_basic(dsn, int(a[0]), int(a[1]), a[2], a[3])
    else:
        sys.exit(f"unknown command {cmd}")


if __name__ == "__main__":
    main()
