#!/usr/bin/env python3
"""Lints and renders the Helm chart with Helm's own engine, then checks the output.

    .tools/venv/bin/python scripts/check-helm-chart.py charts/helm/shipshape

`helm` itself is not installable on the project's machines; helm-python-sdk (PyPI)
wraps Helm's Go SDK (lint and template, offline) behind a C ABI, so the chart is
rendered exactly as `helm template` would. Checks:
  - `helm lint --strict` reports nothing of severity warning or error;
  - the chart renders with its defaults (plus the required image.repository), with
    the ServiceMonitor and IRSA annotations enabled, and every manifest parses as YAML
    with apiVersion, kind and metadata.name;
  - the Deployment runs `shipshape run --config /etc/shipshape/config.yaml`, mounts
    the ConfigMap there, probes /healthz and /readyz on the listen port;
  - the ConfigMap's config.yaml is the values' `config` section;
  - rendering fails with a clear message without image.repository and with a
    loopback listen address.
Exit status 0 when all hold, 1 otherwise (each failure printed).
"""
import sys

import yaml

try:
    import helm_python as helm
except ImportError:
    sys.exit("helm-python-sdk is not installed: run scripts/setup.sh (it installs it into .tools/venv)")

failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
    return condition


def render(chart, values):
    manifests = chart.render(values, name="shipshape", namespace="shipshape")
    objects = {}
    for path, text in sorted(manifests.items()):
        if path.endswith("NOTES.txt"):
            continue
        for document in yaml.safe_load_all(text):
            if document is None:
                continue
            for key in ("apiVersion", "kind", "metadata"):
                check(key in document, f"{path}: no {key}")
            name = document.get("metadata", {}).get("name")
            check(bool(name), f"{path}: no metadata.name")
            objects[(document.get("kind"), name)] = document
    return objects


def main(chart_dir):
    base = {"image": {"repository": "123456789012.dkr.ecr.ap-northeast-2.amazonaws.com/shipshape"}}

    report = helm.lint(chart_dir, base, strict=True)
    for message in report.get("messages", []):
        severity = message.get("severity", 0)
        print(f"lint: severity {severity}: {message.get('path')}: {message.get('error')}")
        check(severity < 2, f"helm lint: {message.get('path')}: {message.get('error')}")
    for error in report.get("errors") or []:
        check(False, f"helm lint: {error}")

    chart = helm.Chart.load(chart_dir)
    values = chart.values

    objects = render(chart, base)
    kinds = sorted(f"{kind}/{name}" for kind, name in objects)
    print("default values render:", ", ".join(kinds))
    for kind in ("Deployment", "ConfigMap", "Service", "ServiceAccount"):
        check(any(k == kind for k, _ in objects), f"default render has no {kind}")
    check(not any(k == "ServiceMonitor" for k, _ in objects), "ServiceMonitor rendered although serviceMonitor.enabled is false")

    deployment = objects[("Deployment", "shipshape")]
    pod = deployment["spec"]["template"]["spec"]
    container = pod["containers"][0]
    check(container["args"] == ["run", "--config", "/etc/shipshape/config.yaml"], f"container args are {container['args']}")
    check(container["image"] == base["image"]["repository"] + ":" + chart.metadata["appVersion"], f"image is {container['image']}")
    port = container["ports"][0]
    check(port["containerPort"] == 9090, f"containerPort is {port['containerPort']!r}, expected 9090 from config.listen")
    check(container["livenessProbe"]["httpGet"]["path"] == "/healthz", "liveness probe is not /healthz")
    check(container["readinessProbe"]["httpGet"]["path"] == "/readyz", "readiness probe is not /readyz")
    mounts = {m["name"]: m["mountPath"] for m in container["volumeMounts"]}
    check(mounts.get("config") == "/etc/shipshape", f"config mounted at {mounts.get('config')}")
    check(mounts.get("state") == values["config"]["stateDirectory"], "state volume not at config.stateDirectory")
    check(container["securityContext"].get("readOnlyRootFilesystem") is True, "root file system is writable")
    check("checksum/config" in deployment["spec"]["template"]["metadata"]["annotations"], "no checksum/config annotation")

    configmap = objects[("ConfigMap", "shipshape")]
    config = yaml.safe_load(configmap.get("data", {}).get("config.yaml") or "")
    if check(isinstance(config, dict), f"ConfigMap config.yaml is not a YAML map: {config!r}"):
        check(config == values["config"], f"ConfigMap config.yaml differs from values.config: {config}")
        for key in ("git", "stateDirectory", "listen"):
            check(key in config, f"config.yaml has no {key}")

    service = objects[("Service", "shipshape")]
    check(service["spec"]["ports"][0]["port"] == 9090, "Service port is not 9090")
    check(service["spec"]["selector"] == deployment["spec"]["selector"]["matchLabels"], "Service selector does not match the pods")

    monitored = dict(base)
    monitored["serviceMonitor"] = {"enabled": True, "labels": {"release": "prometheus"}}
    monitored["serviceAccount"] = {"annotations": {"eks.amazonaws.com/role-arn": "arn:aws:iam::123456789012:role/shipshape"}}
    objects = render(chart, monitored)
    monitor = objects.get(("ServiceMonitor", "shipshape"))
    if check(monitor is not None, "no ServiceMonitor with serviceMonitor.enabled=true"):
        check(monitor["metadata"]["labels"].get("release") == "prometheus", "ServiceMonitor lacks serviceMonitor.labels")
        check(monitor["spec"]["endpoints"][0]["path"] == "/metrics", "ServiceMonitor does not scrape /metrics")
    account = objects.get(("ServiceAccount", "shipshape"), {})
    check(account.get("metadata", {}).get("annotations", {}).get("eks.amazonaws.com/role-arn", "").endswith("role/shipshape"),
          "ServiceAccount lacks serviceAccount.annotations")

    for bad, expected in (({}, "image.repository is required"),
                          (dict(base, config=dict(values["config"], listen="127.0.0.1:9090")), "loopback")):
        try:
            chart.render(bad, name="shipshape", namespace="shipshape")
            check(False, f"rendering with {bad} succeeded; expected an error mentioning '{expected}'")
        except Exception as error:  # helm_python raises HelmRenderError
            check(expected in str(error), f"rendering with {bad} failed without '{expected}': {error}")

    if failures:
        for failure in failures:
            print("FAIL:", failure)
        return 1
    print("helm chart: lint clean, renders, checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "charts/helm/shipshape"))
