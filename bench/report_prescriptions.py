"""Turns the raw measurements of bench/prescriptions.sh into results-prescriptions.json and .md."""
import json
import os
import platform
import sys
from datetime import datetime, timezone

raw, out_json, out_md = sys.argv[1:4]
rows = [json.loads(line) for line in open(raw, encoding="utf-8") if line.strip().startswith("{")]
ingest = next((r for r in rows if r["kind"] == "ingest"), None)
ingest_cpu = next((r for r in rows if r["kind"] == "ingest_cpu"), None)
if ingest and ingest_cpu and ingest.get("created"):
    for side in ("gateway", "postgres"):
        ingest[side + "_cpu_ms_per_prescription"] = round(
            ingest_cpu[side + "_ticks"] * 1000 / ingest_cpu["ticks_per_s"] / ingest["created"], 2)
counts = next((r for r in rows if r["kind"] == "counts"), None)
load = {r["scenario"]: r for r in rows if r["kind"] == "load"}
warmup = next((r for r in rows if r["kind"] == "warmup"), None)
ingest_warmup = next((r for r in rows if r["kind"] == "ingest_warmup"), None)
if ingest and ingest_cpu and "jit_s" in ingest_cpu:
    ingest["jit_s"] = ingest_cpu["jit_s"]

P95_TARGET_MS = 50
INGEST_TARGET = 200
shared = load.get("shared-prescriptions")
result = {
    "run": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    "cpus": os.cpu_count(),
    "platform": platform.platform(),
    "ingest": ingest,
    "database": counts,
    "warmup": warmup,
    "ingest_warmup": ingest_warmup,
    "load": list(load.values()),
    "targets": {
        "shared_prescriptions_p95_ms": {"target": P95_TARGET_MS, "measured": shared and shared["p95_ms"],
                                        "met": bool(shared and shared["p95_ms"] <= P95_TARGET_MS and shared["non2xx"] == 0)},
        "ingest_prescriptions_per_s": {"target": INGEST_TARGET, "measured": ingest and ingest.get("created_per_s"),
                                       "met": bool(ingest and ingest.get("created_per_s", 0) >= INGEST_TARGET)},
    },
}
with open(out_json, "w", encoding="utf-8") as f:
    json.dump(result, f, ensure_ascii=False, indent=2)


def yes(b):
    return "**met**" if b else "**not met**"


t = result["targets"]
lines = [
    "# Prescription benchmark results (issue #7)",
    "",
    f"Run {result['run']} on {result['cpus']} CPUs ({result['platform']}), gateway and PostgreSQL on the same machine.",
    "Produced by `bench/prescriptions.sh`; raw numbers in `results-prescriptions.json`.",
    "",
    "## Targets",
    "",
    "| target | measured | |",
    "|---|---|---|",
    f"| `$shared-prescriptions` p95 ≤ {P95_TARGET_MS} ms at 8 clients | "
    f"{t['shared_prescriptions_p95_ms']['measured']} ms | {yes(t['shared_prescriptions_p95_ms']['met'])} |",
    f"| transaction-bundle ingest ≥ {INGEST_TARGET} prescriptions/s | "
    f"{t['ingest_prescriptions_per_s']['measured']} /s | {yes(t['ingest_prescriptions_per_s']['met'])} |",
    "",
]
if counts:
    lines += ["## Data", "",
              f"{counts['patients']} patients and {counts['medication_requests']} prescriptions (MedicationRequest) "
              f"in the database ({counts['database_mb']} MB), including the demo consortium.", ""]
if ingest:
    lines += ["## Ingest (FHIR transaction bundles, county hospital client)", "",
              "| patients | prescriptions posted | created (new) | patients per bundle | concurrent bundles | seconds | created/s | failed "
              "| gateway CPU ms/prescription | PostgreSQL CPU ms/prescription | JIT s |",
              "|---|---|---|---|---|---|---|---|---|---|---|",
              f"| {ingest['patients']} | {ingest['prescriptions']} | {ingest.get('created')} | {ingest['patients_per_bundle']} | "
              f"{ingest['concurrency']} | {ingest['seconds']} | {ingest.get('created_per_s')} | {ingest['failed']} "
              f"| {ingest.get('gateway_cpu_ms_per_prescription', '')} | {ingest.get('postgres_cpu_ms_per_prescription', '')} "
              f"| {ingest.get('jit_s', '')} |", "",
              "Prescriptions already present (a rerun on a loaded database) are matched by the conditional create "
              "and not counted as created; the rate is created prescriptions per wall-clock second.", ""]
    if ingest_warmup:
        lines += [f"Warm-up before the ingest (not recorded): {ingest_warmup['patients']} patients of their own in "
                  f"{ingest_warmup['steps']} steps, {ingest_warmup['seconds']} s, until the JIT compiler's CPU time was "
                  f"{ingest_warmup['last_jit_share_pct']} % of the last step (target < 10 %). Without it the rate includes "
                  "the compiler's first minutes: BENCH_INGEST_WARMUP_MAX=0.", ""]
lines += ["## Reads (wrk, random generated patient per request)", "",
          "| scenario | caller | clients | req/s | p50 ms | p90 ms | p95 ms | p99 ms | requests | errors "
          "| gateway CPU ms/req | PostgreSQL CPU ms/req | JIT s |",
          "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
for r in load.values():
    lines.append(f"| {r['scenario']} | {r['caller']} | {r['clients']} | {r['rps']} | {r['p50_ms']} | {r['p90_ms']} | "
                 f"{r['p95_ms']} | {r['p99_ms']} | {r['requests']} | {r['non2xx']} | {r.get('gateway_cpu_ms', '')} "
                 f"| {r.get('postgres_cpu_ms', '')} | {r.get('jit_s', '')} |")
lines += ["", "CPU per request: the gateway process's and the PostgreSQL server processes' CPU time during the "
          "measurement divided by its requests; on a 2-core machine shared with other work it is steadier than "
          "req/s. JIT s: CPU seconds of the gateway's JIT compiler threads during the measurement."]
if warmup:
    lines += ["", f"Warm-up before the reads (not recorded): {warmup['seconds']} s of `$shared-prescriptions` at "
              f"{warmup.get('clients', 8)} clients, until the JIT compiler's CPU time was {warmup['last_jit_share_pct']} % of the last step (target < 10 %)."]
lines.append("")
with open(out_md, "w", encoding="utf-8") as f:
    f.write("\n".join(lines))
