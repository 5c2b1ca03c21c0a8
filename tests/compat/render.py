#!/usr/bin/env python3
"""Writes docs/ords-compatibility.md (to stdout) from tests/compat/ords_api.tsv and the matching
result scripts/compat exports (key, status, note, found_as per row, tests/compat/match.sql).
Usage: render.py API_TSV RESULT_TSV"""
import csv
import re
import sys

STATUSES = ["✓", "differs", "missing", "out of scope"]
PACKAGES = [
    ("ORDS", "REST definitions, roles, privileges, schemas (the `ords` schema)"),
    ("ORDS_ADMIN", "ORDS's calls for any schema: a leading `p_schema`, for administrators (`ords_admin`)"),
    ("OAUTH", "legacy client management, deprecated by Oracle since 24.3 (`oauth`)"),
    ("OAUTH_ADMIN", "OAUTH's calls for any schema (`oauth_admin`)"),
    ("ORDS_SECURITY", "client management since ORDS 24.3 (`ords_security`)"),
    ("ORDS_SECURITY_ADMIN", "ORDS_SECURITY's calls for any schema (`ords_security_admin`)"),
    ("ORDS_TYPES", "types and constructors of ORDS_SECURITY (`ords_types`)"),
    ("ORDS_CONSTANTS", "constants of ORDS_SECURITY (`ords_constants`)"),
    ("ORDS_EXPORT", "export scripts"),
    ("ORDS_EXPORT_ADMIN", "export scripts for any schema"),
]


def read_tsv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def cell(text):
    """A table cell: no pipes or newlines, and * only inside code spans (markdown would read
    emphasis into '********' or '/soda/*')."""
    text = (text or "").replace("|", "/").replace("\n", " ").strip().replace("********", "`********`")
    parts = text.split("`")
    return "`".join(p if i % 2 else p.replace("*", "\\*") for i, p in enumerate(parts))


def params(spec, kind):
    if not spec:
        return "" if kind != "view" else "(columns not known)"
    out = []
    for p in spec.split(","):
        optional = p.endswith("?")
        name, _, typ = p.rstrip("?").partition(":")
        text = name + (" " + typ if typ else "")
        out.append("[" + text + "]" if optional else text)
    return ", ".join(out)


def evidence(row):
    src = row["source"]
    src = re.sub(r"(https://\S+?)(?=[;),]|\s|$)", lambda m: "[doc](" + m.group(1) + ")", src)
    return cell(row["confirmed"] + ": " + src)


def call_cell(row):
    text = "`" + row["package"] + "." + row["subprogram"] + "`"
    if row["variant"]:
        text += " (" + row["variant"] + ")"
    return text


def main():
    api = read_tsv(sys.argv[1])
    result = {r["key"]: r for r in read_tsv(sys.argv[2])}
    for row in api:
        key = row["package"] + "." + row["subprogram"] + (" (" + row["variant"] + ")" if row["variant"] else "")
        row.update(result[key])
    calls = [r for r in api if r["kind"] != "view"]
    views = [r for r in api if r["kind"] == "view"]

    def count(rows, status=None):
        return sum(1 for r in rows if status is None or r["status"] == status)

    totals = ("**{} ORDS calls (each overload and version on its own row; types and constants included) and {} "
              "views listed: {} ✓, {} differs, {} missing, {} out of scope.**").format(
        len(calls), len(views), *(count(api, s) for s in STATUSES))

    out = []
    w = out.append
    w("# ORDS compatibility, call by call")
    w("")
    w("Every subprogram, type and constant of ORDS's PL/SQL packages and every ORDS dictionary view known to")
    w("us, and what pg_ords has for it. **Generated** by `scripts/compat --write` from")
    w("[tests/compat/ords_api.tsv](../tests/compat/ords_api.tsv) (ORDS's signatures, versions and sources) and")
    w("[tests/compat/differences.tsv](../tests/compat/differences.tsv) (how pg_ords differs, on purpose), matched")
    w("against the catalog of a fresh install: do not edit it by hand. `scripts/compat --check` fails when")
    w("this page is stale; the pg_regress suite `ords_compatibility` fails when a row below claims more than")
    w("the catalog holds. How to call the functions (PL/SQL → SQL): [ords-mapping.md](ords-mapping.md).")
    w("")
    w('<a id="totals"></a>')
    w("## Totals")
    w("")
    w(totals)
    w("")
    w("| package | listed | ✓ | differs | missing | out of scope |")
    w("|---|---|---|---|---|---|")
    groups = [(p, [r for r in calls if r["package"] == p]) for p, _ in PACKAGES]
    groups.append(("views", views))
    for name, rows in groups:
        if rows:
            w("| {} | {} | {} |".format(name, len(rows), " | ".join(str(count(rows, s)) for s in STATUSES)))
    w("")
    w('<a id="rule"></a>')
    w("## How a row is checked")
    w("")
    w("* **✓**: one function in the schema named after the package (`ORDS_SECURITY` → `ords_security`), of")
    w("  the subprogram's name, takes every ORDS parameter by its ORDS name (and type, where the list gives")
    w("  one, such as `ords_types.t_client_key`), has a default for every parameter ORDS makes optional")
    w("  (shown `[in brackets]`; or another function of that name takes the call without it), and needs")
    w("  no argument ORDS does not have: a PL/SQL call with named arguments runs unchanged. A view: a")
    w("  view of that name, in the extension's schema or in")
    w("  `ords_metadata`, with every column ORDS is known to have. A type: a composite type with those fields.")
    w("* **differs**: the object exists, and tests/compat/differences.tsv says how it behaves differently, or")
    w("  why its signature does not follow ORDS's.")
    w("* **missing**: nothing satisfies the row; the last column says what is lacking.")
    w("* **out of scope**: not provided, on purpose; the last column says why.")
    w("* Evidence: *confirmed* rows were seen in Oracle's documentation (linked) or in real ORDS scripts;")
    w("  *unconfirmed* ones are inferred from Oracle's lists of subprograms and from usage. \"reference §N\" is a")
    w("  section of the ORDS API notes pg_ords was built from (kept outside this repository; each of their")
    w("  statements cites Oracle's page). PL/SQL procedures and functions are both SQL functions here;")
    w("  return values are not compared.")
    w("")
    for pkg, what in PACKAGES:
        rows = [r for r in calls if r["package"] == pkg]
        if not rows:
            continue
        w("## " + pkg)
        w("")
        w(what + ".")
        w("")
        w("| call | status | ORDS versions | parameters | how it differs / why missing | evidence |")
        w("|---|---|---|---|---|---|")
        for r in rows:
            w("| {} | {} | {} | {} | {} | {} |".format(call_cell(r), r["status"], cell(r["versions"]),
                                                     cell(params(r["params"], r["kind"])), cell(r["note"]), evidence(r)))
        w("")
    w("## Views")
    w("")
    w("ORDS's dictionary views live in `ORDS_METADATA` (with public synonyms); pg_ords's are in the")
    w("extension's schema (normally `public`), next to `dba_ords_*` twins of every `user_ords_*` view")
    w("(docs/ords-mapping.md). The columns are those ORDS scripts are seen to select: ORDS")
    w("publishes no column reference.")
    w("")
    w("| view | status | pg_ords | ORDS columns (known) | how it differs / why missing | evidence |")
    w("|---|---|---|---|---|---|")
    for r in views:
        w("| {} | {} | {} | {} | {} | {} |".format(call_cell(r), r["status"], cell(r["found_as"]),
                                                 cell(params(r["params"], "view")), cell(r["note"]), evidence(r)))
    w("")
    sys.stdout.write("\n".join(out))


main()
