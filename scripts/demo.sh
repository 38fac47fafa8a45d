#!/usr/bin/env bash
# Runs the demo: starts the Marketplace emulator on a free loopback port,
# applies examples/demo with the freshly built provider, changes an object
# behind Terraform's back, shows `terraform plan` catching it, fixes it,
# and destroys everything. Run it through `make demo`.
# With MARKETPLACE_OPENAPI naming the service's OpenAPI document, the
# emulator checks every exchange against it, and the demo fails when any
# breaks the contract.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
# The emulator may start in another directory than this one.
if [[ -n "${MARKETPLACE_OPENAPI:-}" && "$MARKETPLACE_OPENAPI" != /* ]]; then
  MARKETPLACE_OPENAPI="$PWD/$MARKETPLACE_OPENAPI"
fi
bin="$root/bin"
terraform=${TERRAFORM:-terraform}
token="demo-token-$RANDOM$RANDOM"
work=$(mktemp -d)
emulator_pid=""

# stop_emulator stops the emulator; it fails when the emulator saw an
# exchange that breaks the contract, or did not stop cleanly.
stop_emulator() {
  [[ -n "$emulator_pid" ]] || return 0
  local rc=0
  kill "$emulator_pid" 2>/dev/null || true
  wait "$emulator_pid" 2>/dev/null || rc=$?
  emulator_pid=""
  if grep -q '^contract violation:' "$work/emulator.log"; then
    echo "FAILED: the emulator saw $(grep -c '^contract violation:' "$work/emulator.log") exchange(s) that break the OpenAPI contract ($MARKETPLACE_OPENAPI):" >&2
    grep '^contract violation:' "$work/emulator.log" >&2
    return 1
  fi
  if [[ $rc -ne 0 ]]; then
    echo "FAILED: the emulator exited with status $rc:" >&2
    cat "$work/emulator.log" >&2
    return 1
  fi
}
cleanup() {
  stop_emulator || true
  rm -rf "$work"
}
trap cleanup EXIT

step() { printf '\n==> %s\n' "$*"; }

for cmd in "$bin/terraform-provider-immuta" "$bin/marketplace-emulator"; do
  [[ -x "$cmd" ]] || { echo "missing $cmd: run 'make demo', which builds it" >&2; exit 1; }
done
command -v curl >/dev/null || { echo "the demo needs curl to make a change outside Terraform" >&2; exit 1; }

contract_args=()
if [[ -n "${MARKETPLACE_OPENAPI:-}" ]]; then
  contract_args=(-openapi "$MARKETPLACE_OPENAPI")
  echo "contract check on: $MARKETPLACE_OPENAPI"
else
  echo "contract check skipped: MARKETPLACE_OPENAPI is unset"
fi

step "Starting the Marketplace emulator"
"$bin/marketplace-emulator" -addr 127.0.0.1:0 -token "$token" -endpoint-file "$work/endpoint" ${contract_args[@]+"${contract_args[@]}"} >"$work/emulator.log" 2>&1 &
emulator_pid=$!
for _ in $(seq 1 100); do
  [[ -s "$work/endpoint" ]] && break
  kill -0 "$emulator_pid" 2>/dev/null || { cat "$work/emulator.log" >&2; exit 1; }
  sleep 0.1
done
endpoint=$(cat "$work/endpoint")
echo "endpoint: $endpoint"

# Use the provider just built, without a registry.
cat >"$work/terraformrc" <<RC
provider_installation {
  dev_overrides {
    "registry.terraform.io/immuta/immuta" = "$bin"
  }
  direct {}
}
RC
export TF_CLI_CONFIG_FILE="$work/terraformrc"
export IMMUTA_MARKETPLACE_ENDPOINT="$endpoint"
export IMMUTA_MARKETPLACE_TOKEN="$token"
export CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1

cp -R "$root/examples/demo" "$work/demo"
cd "$work/demo"

step "terraform apply"
"$terraform" apply -auto-approve -input=false -no-color

product_id=$("$terraform" output -raw data_product_id)

step "Someone suspends the data product in the Marketplace app (outside Terraform)"
curl -fsS -X PUT "$endpoint/api/data-product/$product_id" \
  -H "Authorization: Bearer $token" -H "Content-Type: application/json" \
  -d '{"suspended":true}' >/dev/null
echo "suspended data product $product_id"

step "terraform plan detects the drift"
set +e
"$terraform" plan -detailed-exitcode -input=false -no-color
rc=$?
set -e
if [[ $rc -ne 2 ]]; then
  echo "expected terraform plan to report changes (exit code 2), got $rc" >&2
  exit 1
fi
echo "drift detected: plan exit code 2 (the plan resumes the product)"

step "terraform apply puts the configuration back"
"$terraform" apply -auto-approve -input=false -no-color

step "terraform plan is clean again"
"$terraform" plan -detailed-exitcode -input=false -no-color

step "terraform destroy"
"$terraform" destroy -auto-approve -input=false -no-color

step "Stopping the emulator"
stop_emulator
[[ -z "${MARKETPLACE_OPENAPI:-}" ]] || echo "no contract violations"

step "Demo finished"
