#!/usr/bin/env bash
# The provider's acceptance tests in external mode (see
# internal/provider/testkit_test.go) against a marketplace-emulator started
# as a separate process, as they would run against a tenant: the tests
# that need the in-process emulator skip, and are listed. Then the
# sweepers' proof: objects left as a failed run leaves them are seen,
# `go test -sweep` deletes them, and nothing with the test prefix remains.
# With MARKETPLACE_OPENAPI set, the emulator checks every exchange against
# the contract and a violation fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."

emulator=${EMULATOR:-bin/marketplace-emulator}
terraform=${TERRAFORM:-$(command -v terraform)}
work=$(mktemp -d)
pid=""

stop_emulator() {
  if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    wait "$pid"
  fi
}
cleanup() {
  stop_emulator || true
  rm -rf "$work"
}
trap cleanup EXIT

# The default fixture, with its application admin first: the token acts
# as the fixture's first user, and only an application admin may manage
# webhooks.
jq '.users |= (map(select((.permissions // []) | index("APPLICATION_ADMIN"))) + map(select(((.permissions // []) | index("APPLICATION_ADMIN")) | not)))' \
  internal/marketplacetest/fixtures/default.json >"$work/fixture.json"

token="external-$RANDOM$RANDOM"
args=(-addr 127.0.0.1:0 -endpoint-file "$work/endpoint" -fixture "$work/fixture.json" -token "$token" -log "$work/requests.log")
if [[ -n "${MARKETPLACE_OPENAPI:-}" ]]; then
  args+=(-openapi "$MARKETPLACE_OPENAPI")
  echo "contract check on: $MARKETPLACE_OPENAPI"
else
  echo "contract check skipped: MARKETPLACE_OPENAPI is unset"
fi
"$emulator" "${args[@]}" 2>"$work/emulator.err" &
pid=$!
for _ in $(seq 100); do
  [[ -s "$work/endpoint" ]] && break
  kill -0 "$pid" 2>/dev/null || { cat "$work/emulator.err" >&2; echo "the emulator did not start" >&2; exit 1; }
  sleep 0.1
done
[[ -s "$work/endpoint" ]] || { echo "the emulator wrote no endpoint" >&2; exit 1; }
endpoint=$(cat "$work/endpoint")
echo "emulator (pid $pid) at $endpoint"

export IMMUTA_MARKETPLACE_ACC_EXTERNAL=1 IMMUTA_MARKETPLACE_ACC_APP_ADMIN=1
export IMMUTA_MARKETPLACE_ENDPOINT="$endpoint" IMMUTA_MARKETPLACE_TOKEN="$token"
export TF_ACC=1 TF_ACC_TERRAFORM_PATH="$terraform"

status=0
start=$SECONDS
go test -count=1 -json -timeout 20m ./internal/provider >"$work/test.json" 2>"$work/test.err" || status=$?
# The outcome of each test: a test whose subtests all skipped counts as
# skipped, with their reasons.
python3 - "$work/test.json" "$endpoint" <<'PY'
import json, re, sys
events = [json.loads(line) for line in open(sys.argv[1]) if line.startswith("{")]
outcome, reasons = {}, {}
for e in events:
    t = e.get("Test")
    if not t:
        continue
    if e["Action"] in ("pass", "fail", "skip"):
        outcome[t] = e["Action"]
    elif e["Action"] == "output":
        m = re.match(r"^\s*[a-z_0-9]+\.go:\d+: (.*)", e["Output"])
        if m:
            reasons.setdefault(t, []).append(m.group(1))
ran, skipped = [], {}
for t in sorted(x for x in outcome if "/" not in x):
    subs = [x for x in outcome if x.startswith(t + "/")]
    if outcome[t] == "skip" or (subs and all(outcome[x] == "skip" for x in subs)):
        why = next((reasons[x] for x in subs if x in reasons), None) or reasons.get(t) or ["(no reason given)"]
        skipped[t] = " ".join(why)
    elif outcome[t] == "pass":
        ran.append(t)
acc = [t for t in ran if t.startswith("TestAcc")]
print(f"external mode: {len(ran)} tests ran, {len(acc)} of them acceptance tests against {sys.argv[2]}; {len(skipped)} skipped.")
print("acceptance tests that ran:")
for t in acc:
    print("  " + t)
print("skipped, and why:")
for t, why in skipped.items():
    print(f"  {t}: {why}")
PY
echo "the tests took $((SECONDS - start))s"
if [[ $status -ne 0 ]]; then
  jq -r 'select(.Action == "output") | .Output' "$work/test.json" | grep -B2 -A30 -E '^ *--- FAIL' >&2 || cat "$work/test.err" >&2
  exit "$status"
fi

# The sweepers: what a failed run left is seen, swept, and gone.
IMMUTA_MARKETPLACE_ACC_PLANT_LEFTOVERS=1 go test -count=1 -v -run '^TestSweepLeftover_plant$' ./internal/provider >"$work/plant.log" 2>&1 ||
  { cat "$work/plant.log" >&2; echo "planting leftovers failed" >&2; exit 1; }
grep -o 'planted: .*' "$work/plant.log"
export IMMUTA_MARKETPLACE_ACC_CHECK_SWEPT=1
if go test -count=1 -v -run '^TestSweepLeftover_none$' ./internal/provider >"$work/before.log" 2>&1; then
  cat "$work/before.log" >&2
  echo "the planted leftovers are not visible" >&2
  exit 1
fi
echo "before the sweep: $(grep -cE '^ *(data product|request form|data use agreement|webhook) ' "$work/before.log") objects with the test prefix"
go test -count=1 -v ./internal/provider -sweep=any >"$work/sweep.log" 2>&1 || { cat "$work/sweep.log" >&2; exit 1; }
grep -o 'swept .*' "$work/sweep.log" || true
go test -count=1 -v -run '^TestSweepLeftover_none$' ./internal/provider >"$work/after.log" 2>&1 || { cat "$work/after.log" >&2; exit 1; }
grep -q -- '--- PASS: TestSweepLeftover_none' "$work/after.log" || { cat "$work/after.log" >&2; echo "the leftover check did not run" >&2; exit 1; }
echo "after the sweep: nothing with the test prefix is left"

# A clean shutdown reports contract violations in the exit status.
stop_emulator || { grep -i violation "$work/emulator.err" >&2 || cat "$work/emulator.err" >&2; echo "the emulator reported contract violations" >&2; exit 1; }
pid=""
echo "emulator stopped cleanly: no contract violations"
