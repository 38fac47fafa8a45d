#!/usr/bin/env bash
# Start the Marketplace emulator, wait until it is healthy, run the
# module's tests, stop it. On any failure, including a wait that times
# out, the emulator's log is printed.
set -euo pipefail

rm -f emulator.endpoint
marketplace-emulator -addr 127.0.0.1:0 -token ci-token -fixture fixture.json \
  -endpoint-file emulator.endpoint -log emulator-requests.log >emulator.log 2>&1 &
emulator_pid=$!
on_exit() {
  status=$?
  if [ "$status" -ne 0 ]; then
    echo "--- the Marketplace emulator's log (emulator.log):" >&2
    cat emulator.log >&2
  fi
  kill "$emulator_pid" 2>/dev/null || true
}
trap on_exit EXIT

# /health needs no token. Give up after 30 seconds.
deadline=$((SECONDS + 30))
until [ -s emulator.endpoint ] && curl -fsS -o /dev/null "$(cat emulator.endpoint)/health" 2>/dev/null; do
  if ! kill -0 "$emulator_pid" 2>/dev/null; then
    echo "the Marketplace emulator exited before it was healthy" >&2
    exit 1
  fi
  if [ "$SECONDS" -ge "$deadline" ]; then
    echo "the Marketplace emulator did not answer /health within 30s" >&2
    exit 1
  fi
  sleep 0.2
done
IMMUTA_MARKETPLACE_ENDPOINT=$(cat emulator.endpoint)
export IMMUTA_MARKETPLACE_ENDPOINT IMMUTA_MARKETPLACE_TOKEN=ci-token

terraform init -input=false
terraform test
