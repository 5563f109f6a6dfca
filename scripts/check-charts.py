#!/usr/bin/env python3
"""Checks the operations files that are data: the Grafana dashboard and the IAM policy.
(The example controller config is parsed by the controller's own reader in the Swift tests.)

    python3 scripts/check-charts.py dashboard charts/grafana/shipshape-dashboard.json
    python3 scripts/check-charts.py iam deploy/iam-policy.json

dashboard: valid JSON; unique panel ids; panels inside the 24-column grid and not
  overlapping; every query names only metrics of docs/design.md's metric set; every
  metric of that set is shown; every query is valid PromQL (the Grafana variables are
  substituted and `promtool check rules` parses the expressions).
iam: valid JSON, version 2012-10-17, every statement Allow with a unique Sid and a
  Resource, every action spelled out (no wildcards) and listed once.
Exit status 0 when all hold, 1 otherwise (each failure printed).
"""
import json
import os
import re
import subprocess
import sys
import tempfile

# docs/design.md, "Metrics", plus the pending-approval age the alert rules use.
METRICS = {
    "shipshape_reconcile_total",
    "shipshape_reconcile_duration_seconds",
    "shipshape_resources",
    "shipshape_drift_detected_total",
    "shipshape_apply_operations_total",
    "shipshape_last_applied_info",
    "shipshape_last_successful_reconcile_timestamp_seconds",
    "shipshape_git_fetch_total",
    "shipshape_git_fetch_duration_seconds",
    "shipshape_provider_requests_total",
    "shipshape_alerts_sent_total",
    "shipshape_manifest_valid",
    "shipshape_suspended",
}
OPTIONAL_IN_DASHBOARD = {"shipshape_pending_approval_age_seconds"}

failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
    return condition


def metric_names(expr):
    names = set()
    for name in re.findall(r"\bshipshape_[a-z0-9_]+", expr):
        for suffix in ("_bucket", "_count", "_sum"):
            if name.endswith(suffix) and name[: -len(suffix)] in METRICS:
                name = name[: -len(suffix)]
        names.add(name)
    return names


def grafana_to_promql(expr):
    expr = expr.replace("$__rate_interval", "5m").replace("$__interval", "1m").replace("$__range", "1h")
    return re.sub(r"\$\{?[a-z_]+\}?", ".*", expr)


def check_dashboard(path):
    with open(path) as file:
        dashboard = json.load(file)
    for key in ("uid", "title", "panels", "schemaVersion", "templating"):
        check(key in dashboard, f"{path}: no '{key}'")
    panels = dashboard.get("panels", [])
    ids = [panel.get("id") for panel in panels]
    check(len(ids) == len(set(ids)), f"{path}: panel ids are not unique: {ids}")
    cells = {}
    exprs = []
    for panel in panels:
        title = panel.get("title", f"panel {panel.get('id')}")
        grid = panel.get("gridPos", {})
        if not check(all(k in grid for k in ("x", "y", "w", "h")), f"{title}: incomplete gridPos"):
            continue
        check(grid["x"] + grid["w"] <= 24, f"{title}: wider than the 24-column grid")
        for x in range(grid["x"], grid["x"] + grid["w"]):
            for y in range(grid["y"], grid["y"] + grid["h"]):
                other = cells.setdefault((x, y), title)
                check(other == title, f"{title}: overlaps {other} at ({x}, {y})")
        if panel.get("type") == "row":
            continue
        targets = panel.get("targets", [])
        check(targets, f"{title}: no queries")
        for target in targets:
            expr = target.get("expr", "")
            if check(expr, f"{title}: a query without expr"):
                exprs.append((title, expr))
    for annotation in dashboard.get("annotations", {}).get("list", []):
        if "expr" in annotation:
            exprs.append((f"annotation {annotation.get('name')}", annotation["expr"]))
    for variable in dashboard.get("templating", {}).get("list", []):
        query = variable.get("query")
        if isinstance(query, dict):
            query = query.get("query", "")
        if isinstance(query, str) and "shipshape_" in query:
            for name in metric_names(query):
                check(name in METRICS, f"variable {variable.get('name')}: unknown metric {name}")

    shown = set()
    for title, expr in exprs:
        names = metric_names(expr)
        shown |= names
        for name in names - METRICS - OPTIONAL_IN_DASHBOARD:
            check(False, f"{title}: unknown metric {name} (not in docs/design.md's metric set)")
    for name in sorted(METRICS - shown):
        check(False, f"{path}: no panel shows {name}")

    # PromQL syntax: promtool parses rule expressions.
    rules = {"groups": [{"name": "dashboard", "rules": [
        {"record": f"dashboard:query_{i}", "expr": grafana_to_promql(expr)} for i, (_, expr) in enumerate(exprs)]}]}
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as file:
        json.dump(rules, file)  # JSON is YAML
        rules_path = file.name
    try:
        result = subprocess.run(["promtool", "check", "rules", rules_path], capture_output=True, text=True)
        if result.returncode != 0:
            output = result.stdout + result.stderr
            for match in re.findall(r"dashboard:query_(\d+)", output) or []:
                title, expr = exprs[int(match)]
                failures.append(f"{title}: invalid PromQL: {expr}")
            failures.append("promtool check rules on the dashboard's queries:\n" + output.strip())
    except FileNotFoundError:
        failures.append("promtool is not installed: run scripts/setup.sh (package prometheus)")
    finally:
        os.unlink(rules_path)
    print(f"{path}: {len(panels)} panels, {len(exprs)} queries, metrics shown: {len(shown)}")


def check_iam(path):
    with open(path) as file:
        policy = json.load(file)
    check(policy.get("Version") == "2012-10-17", f"{path}: Version is not 2012-10-17")
    statements = policy.get("Statement", [])
    check(statements, f"{path}: no statements")
    sids = [statement.get("Sid") for statement in statements]
    check(all(sids) and len(sids) == len(set(sids)), f"{path}: every statement needs a unique Sid: {sids}")
    seen = {}
    for statement in statements:
        sid = statement.get("Sid")
        check(statement.get("Effect") == "Allow", f"{sid}: Effect is not Allow")
        check(statement.get("Resource"), f"{sid}: no Resource")
        actions = statement.get("Action", [])
        actions = [actions] if isinstance(actions, str) else actions
        check(actions, f"{sid}: no Action")
        for action in actions:
            check(re.fullmatch(r"[a-z0-9-]+:[A-Z][A-Za-z0-9]+", action or ""),
                  f"{sid}: '{action}' is not one spelled-out action (service:Operation, no wildcards)")
            check(action not in seen, f"{sid}: {action} is already granted by {seen.get(action)}")
            seen[action] = sid
    print(f"{path}: {len(statements)} statements, {len(seen)} actions")


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("dashboard", "iam"):
        sys.exit(__doc__)
    {"dashboard": check_dashboard, "iam": check_iam}[sys.argv[1]](sys.argv[2])
    for failure in failures:
        print("FAIL:", failure)
    sys.exit(1 if failures else 0)
