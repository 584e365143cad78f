#!/usr/bin/env python3
"""Times `trading mcp` over stdio as an agent sees it: start to first answers, then each tool's latency.

Usage (from the repository root, after `dotnet build -c Release src/Trading.Cli`):
    python3 benchmarks/mcp_stdio_latency.py [observer|researcher|operator]
Speaks raw JSON-RPC lines on the process's stdin/stdout (the stdio transport); storage as for any command (this
checkout's Azurite, started and stopped by the process when none is running). The researcher run adds a one-year
backtest. Prints figures; asserts nothing about them.
"""
import json, subprocess, sys, time, statistics
profile = sys.argv[1] if len(sys.argv) > 1 else "observer"
t0 = time.perf_counter()
p = subprocess.Popen(["src/Trading.Cli/bin/Release/net10.0/trading", "mcp", "--profile", profile],
                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, bufsize=1)
n = 0
def call(method, params=None, notify=False):
    global n
    msg = {"jsonrpc": "2.0", "method": method}
    if params is not None: msg["params"] = params
    if not notify:
        n += 1; msg["id"] = n
    p.stdin.write(json.dumps(msg) + "\n"); p.stdin.flush()
    if notify: return None
    while True:
        line = p.stdout.readline()
        r = json.loads(line)
        if r.get("id") == n: return r
call("initialize", {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "timing", "version": "1"}})
t_init = time.perf_counter() - t0
call("notifications/initialized", notify=True)
r = call("tools/list"); t_list = time.perf_counter() - t0
print(f"start -> initialize answered: {t_init*1000:.0f} ms; -> tools/list answered: {t_list*1000:.0f} ms ({len(r['result']['tools'])} tools)")
for tool, args in [("get_status", {}), ("list_runs", {"limit": 10}), ("search_lessons", {"query": "stop loss slippage"}), ("get_llm_spend", {}), ("compare_variants", {}) if profile=="researcher" else ("get_account", {})]:
    times = []
    for i in range(21):
        s = time.perf_counter(); r = call("tools/call", {"name": tool, "arguments": args}); times.append((time.perf_counter()-s)*1000)
        assert "result" in r and not r["result"].get("isError"), r
    print(f"{tool}: first {times[0]:.1f} ms, median of next 20 {statistics.median(times[1:]):.1f} ms")
if profile == "researcher":
    s = time.perf_counter()
    r = call("tools/call", {"name": "run_backtest", "arguments": {"from": "2025-01-02", "to": "2025-12-31"}, "_meta": {"progressToken": "t"}})
    print(f"run_backtest one year: {(time.perf_counter()-s):.2f} s; {r['result']['content'][0]['text'][:160]}")
p.stdin.close(); p.wait(timeout=60)
