"""Turns the raw measurements of bench/run.sh into bench/results.json and bench/results.md."""
import json
import platform
import subprocess
import sys
from datetime import datetime, timezone

raw, out_json, out_md = sys.argv[1:4]
rows = [json.loads(line) for line in open(raw, encoding="utf-8") if line.strip()]
startup = {r["server"]: r["ms"] for r in rows if r["kind"] == "startup"}
load = [r for r in rows if r["kind"] == "load" and not r["server"].endswith("-warmup")]

def median(values):
    v = sorted(x for x in values if x is not None)
    return None if not v else v[len(v) // 2] if len(v) % 2 else (v[len(v) // 2 - 1] + v[len(v) // 2]) / 2

def combine(runs):
    """One server's rounds of one scenario: mean throughput, median of each percentile, all errors."""
    return {"rps": round(sum(r["rps"] for r in runs) / len(runs), 2),
            "p50_ms": median(r["p50_ms"] for r in runs), "p90_ms": median(r["p90_ms"] for r in runs),
            "p99_ms": median(r["p99_ms"] for r in runs), "non2xx": sum(r["non2xx"] for r in runs),
            "jit_s": (round(sum(r["jit_s"] for r in runs), 1)
                      if all(r.get("jit_s") is not None for r in runs) else None),
            "cpu_ms_per_request": median(r.get("cpu_ms_per_request") for r in runs),
            "rounds": len(runs)}

grouped = {}
for r in load:
    grouped.setdefault((r["server"], r["scenario"], r["concurrency"]), []).append(r)
index = {k: combine(v) for k, v in grouped.items()}

def pairs(other):
    """The gateway's measurements next to the same scenario and concurrency on server `other`."""
    for (server, scenario, c), g in sorted(index.items()):
        o = index.get((other, scenario, c)) if server == "gateway" else None
        if o:
            added = round(g["p50_ms"] - o["p50_ms"], 3) if g["p50_ms"] is not None and o["p50_ms"] is not None else None
            yield scenario, c, g, o, added

comparisons = [{
    "scenario": scenario, "concurrency": c,
    "gateway_rps": g["rps"], "baseline_rps": b["rps"],
    "throughput_ratio": round(g["rps"] / b["rps"], 3) if b["rps"] else None,
    "gateway_p50_ms": g["p50_ms"], "baseline_p50_ms": b["p50_ms"], "added_p50_ms": added,
    "gateway_p99_ms": g["p99_ms"], "baseline_p99_ms": b["p99_ms"],
    "gateway_non2xx": g["non2xx"], "baseline_non2xx": b["non2xx"],
    "gateway_jit_s": g.get("jit_s"), "baseline_jit_s": b.get("jit_s"),
} for scenario, c, g, b, added in pairs("baseline")]

security = [{
    "scenario": scenario, "concurrency": c,
    "secured_rps": g["rps"], "unsecured_rps": n["rps"],
    "secured_p50_ms": g["p50_ms"], "unsecured_p50_ms": n["p50_ms"], "added_p50_ms": added,
    "secured_jit_s": g.get("jit_s"), "unsecured_jit_s": n.get("jit_s"),
    "secured_non2xx": g["non2xx"], "unsecured_non2xx": n["non2xx"],
    "secured_cpu_ms": g["cpu_ms_per_request"], "unsecured_cpu_ms": n["cpu_ms_per_request"],
    "added_cpu_ms": (round(g["cpu_ms_per_request"] - n["cpu_ms_per_request"], 3)
                     if g["cpu_ms_per_request"] is not None and n["cpu_ms_per_request"] is not None else None),
} for scenario, c, g, n, added in pairs("gateway-no-security")]

ratios = [c["throughput_ratio"] for c in comparisons if c["throughput_ratio"]]
summary = {
    "when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    "machine": {"cpus": subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip(),
                "platform": platform.platform()},
    "startup_ms": startup,
    "min_throughput_ratio": min(ratios) if ratios else None,
    "mean_throughput_ratio": round(sum(ratios) / len(ratios), 3) if ratios else None,
    "comparisons": comparisons,
    "security": security,
    "max_security_added_p50_ms": max((c["added_p50_ms"] for c in security if c["added_p50_ms"] is not None), default=None),
    # One client: what a request itself costs; with more clients than cores the median also holds
    # the time spent queueing behind other requests' work.
    "max_security_added_p50_ms_one_client": max((c["added_p50_ms"] for c in security
                                                 if c["added_p50_ms"] is not None and c["concurrency"] == 1), default=None),
    "max_security_added_cpu_ms_one_client": max((c["added_cpu_ms"] for c in security
                                                 if c["added_cpu_ms"] is not None and c["concurrency"] == 1), default=None),
    "raw": rows,
}
json.dump(summary, open(out_json, "w", encoding="utf-8"), ensure_ascii=False, indent=1)

def f(v, fmt="{:.1f}"):
    return "—" if v is None else fmt.format(v)

md = [
    "# Lianyao benchmark results",
    "",
    f"Run {summary['when']} on {summary['machine']['cpus']} CPUs ({summary['machine']['platform']}).",
    f"Produced by `bench/run.sh`; the raw measurements are in `{out_json.split('/')[-1]}`. The PostgreSQL servers ran",
    "side by side and were measured in alternating rounds; each row combines a server's rounds (mean req/s,",
    "median of the per-round percentiles). \"JIT s\" is the CPU time of the server's JIT compiler threads during",
    "the rounds: seconds of a core taken from the server while it was measured. \"CPU ms/req\" is the",
    "server process's CPU time (user + system) during a round divided by the requests it served (median of",
    "the rounds): what a request costs the server, apart from queueing.",
    "",
    "## Start-up (launch → /actuator/health UP)",
    "",
    "| server | ms | target |",
    "|---|---|---|",
]
for name, ms in startup.items():
    md.append(f"| {name} | {ms} | {'≤ 30000 (embedded default)' if name == 'embedded-h2' else ''} |")
if comparisons:
    md += [
        "",
        "## FHIR REST: gateway vs baseline (plain HAPI JPA, gateway interceptors and security off)",
        "",
        f"Target: gateway throughput ≥ 80 % of baseline. Minimum ratio this run: {f(summary['min_throughput_ratio'], '{:.2f}')}, "
        f"mean {f(summary['mean_throughput_ratio'], '{:.2f}')}.",
        "",
        "| scenario | clients | gateway req/s | baseline req/s | ratio | gateway p50 ms | baseline p50 ms | added p50 ms | gateway p99 ms | baseline p99 ms | errors g/b | JIT s g/b |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for c in comparisons:
        md.append(f"| {c['scenario']} | {c['concurrency']} | {f(c['gateway_rps'])} | {f(c['baseline_rps'])} | "
                  f"{f(c['throughput_ratio'], '{:.2f}')} | {f(c['gateway_p50_ms'], '{:.2f}')} | {f(c['baseline_p50_ms'], '{:.2f}')} | "
                  f"{f(c['added_p50_ms'], '{:.2f}')} | {f(c['gateway_p99_ms'], '{:.2f}')} | {f(c['baseline_p99_ms'], '{:.2f}')} | "
                  f"{c['gateway_non2xx']}/{c['baseline_non2xx']} | {f(c['gateway_jit_s'])}/{f(c['baseline_jit_s'])} |")
if security:
    md += [
        "",
        "## Security cost: gateway vs the same gateway with security off",
        "",
        "Target (issue #4): ≤ 1 ms added per request at the median. Largest added median this run at one client "
        f"(the cost of a request itself): {f(summary['max_security_added_p50_ms_one_client'], '{:.2f}')} ms; at any "
        f"concurrency: {f(summary['max_security_added_p50_ms'], '{:.2f}')} ms (with more clients than the 2 cores, "
        "a median also holds time queued behind other requests). Largest added CPU time per request at one client: "
        f"{f(summary['max_security_added_cpu_ms_one_client'], '{:.2f}')} ms.",
        "",
        "| scenario | clients | secured req/s | unsecured req/s | secured p50 ms | unsecured p50 ms | added p50 ms | CPU ms/req s/u | added CPU ms/req | errors s/u | JIT s s/u |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for c in security:
        md.append(f"| {c['scenario']} | {c['concurrency']} | {f(c['secured_rps'])} | {f(c['unsecured_rps'])} | "
                  f"{f(c['secured_p50_ms'], '{:.2f}')} | {f(c['unsecured_p50_ms'], '{:.2f}')} | {f(c['added_p50_ms'], '{:.2f}')} | "
                  f"{f(c['secured_cpu_ms'], '{:.2f}')}/{f(c['unsecured_cpu_ms'], '{:.2f}')} | {f(c['added_cpu_ms'], '{:.2f}')} | "
                  f"{c['secured_non2xx']}/{c['unsecured_non2xx']} | {f(c['secured_jit_s'])}/{f(c['unsecured_jit_s'])} |")
open(out_md, "w", encoding="utf-8").write("\n".join(md) + "\n")
