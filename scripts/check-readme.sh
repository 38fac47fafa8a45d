#!/usr/bin/env bash
# Follows the README's "Your first apply, on your own configuration", step
# by step, in a temporary directory outside the repository:
#   1. make install-local, into a temporary PLUGIN_DIR named by a CLI
#      configuration in TF_CLI_CONFIG_FILE (so ~/.terraform.d is untouched
#      and Terraform never asks a registry);
#   2. the emulator on a free port, with -endpoint-file;
#   3. the two environment variables;
#   4. the README's configuration, taken from the README itself;
#   5. terraform init, apply, destroy; then the emulator is stopped.
# Run it through `make readme-check`.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
terraform=${TERRAFORM:-terraform}
work=$(mktemp -d)
emulator_pid=""

stop_emulator() {
  [[ -n "$emulator_pid" ]] || return 0
  local rc=0
  kill "$emulator_pid" 2>/dev/null || true
  wait "$emulator_pid" 2>/dev/null || rc=$?
  emulator_pid=""
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

# The README's configuration: the hcl block after the marker comment.
configuration=$(awk '
  /<!-- readme-check: configuration -->/ { marked = 1; next }
  marked && /^```hcl$/ { inside = 1; next }
  inside && /^```$/ { exit }
  inside { print }
' "$root/README.md")
[[ -n "$configuration" ]] || { echo "README.md has no hcl block after <!-- readme-check: configuration -->" >&2; exit 1; }
version=$(sed -n 's/^ *version *= *"\(.*\)"$/\1/p' <<<"$configuration")
[[ -n "$version" ]] || { echo "the README's configuration asks for no provider version" >&2; exit 1; }

step "1. make install-local, into a temporary plugin directory"
plugins="$work/plugins"
make -C "$root" --no-print-directory install-local PLUGIN_DIR="$plugins" LOCAL_VERSION="$version"
cat >"$work/terraformrc" <<RC
provider_installation {
  filesystem_mirror {
    path    = "$plugins"
    include = ["registry.terraform.io/immuta/immuta"]
  }
  direct {
    exclude = ["registry.terraform.io/immuta/immuta"]
  }
}
RC
export TF_CLI_CONFIG_FILE="$work/terraformrc"
export CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1
unset IMMUTA_MARKETPLACE_REGION

step "2. Start the emulator, on a free port"
"$root/bin/marketplace-emulator" -addr 127.0.0.1:0 -token emulator-token -endpoint-file "$work/endpoint.txt" >"$work/emulator.log" 2>&1 &
emulator_pid=$!
for _ in $(seq 1 100); do
  [[ -s "$work/endpoint.txt" ]] && break
  kill -0 "$emulator_pid" 2>/dev/null || { cat "$work/emulator.log" >&2; exit 1; }
  sleep 0.1
done
[[ -s "$work/endpoint.txt" ]] || { echo "FAILED: the emulator wrote no endpoint within 10s:" >&2; cat "$work/emulator.log" >&2; exit 1; }
grep -q "Immuta Marketplace emulator listening; endpoint http://127.0.0.1:" "$work/emulator.log" ||
  { echo "FAILED: the emulator's log does not say what the README says it does:" >&2; cat "$work/emulator.log" >&2; exit 1; }

step "3. Point the provider at it"
export IMMUTA_MARKETPLACE_ENDPOINT IMMUTA_MARKETPLACE_TOKEN=emulator-token
IMMUTA_MARKETPLACE_ENDPOINT=$(cat "$work/endpoint.txt")
echo "IMMUTA_MARKETPLACE_ENDPOINT=$IMMUTA_MARKETPLACE_ENDPOINT"

step "4. Write the README's configuration in a directory of one's own"
mkdir "$work/immuta-first-apply"
printf '%s\n' "$configuration" >"$work/immuta-first-apply/main.tf"
cd "$work/immuta-first-apply"

step "5. terraform init, apply, destroy"
"$terraform" init -input=false -no-color
"$terraform" apply -auto-approve -input=false -no-color
"$terraform" destroy -auto-approve -input=false -no-color

step "Stop the emulator"
stop_emulator

step "README first apply checked"
