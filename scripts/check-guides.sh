#!/usr/bin/env bash
# Runs the configurations the guides show (examples/guides/) the way the
# guides tell users to, against the Marketplace emulator, with the provider
# just built (after checking the testing guide's flag table's defaults
# against `marketplace-emulator -h`):
#   - testing-with-the-emulator: `terraform test` on the example module,
#     with the emulator started on the example fixture; then the CI
#     recipe's script (ci.sh) as it is, and with a broken fixture, which
#     must fail and print the emulator's log;
#   - getting-started: apply, an empty plan, destroy, with the emulator's
#     built-in sample data;
#   - troubleshooting: `terraform test` with the provider mocked, on the
#     testing guide's module, with no emulator at all.
#   - import-existing-marketplace, with Terraform 1.14 or later: the
#     getting-started objects are made in one directory, then adopted in an
#     empty one with `terraform query -generate-config-out` and one apply,
#     and the list resources' examples run against them. (The guide's
#     import blocks, for Terraform before 1.14, are checked by
#     TestAccAdoptWithGeneratedConfig.)
# Run it through `make guides-check`, which builds what it needs.
# With MARKETPLACE_OPENAPI naming the service's OpenAPI document, the
# emulator checks every exchange against it, and the check fails when any
# breaks the contract.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
# The emulator may start in another directory than this one.
if [[ -n "${MARKETPLACE_OPENAPI:-}" && "$MARKETPLACE_OPENAPI" != /* ]]; then
  MARKETPLACE_OPENAPI="$PWD/$MARKETPLACE_OPENAPI"
fi
bin="$root/bin"
terraform=${TERRAFORM:-terraform}
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

# start_emulator <token> [emulator flags...] starts an emulator on a free
# port and exports the provider's environment for it.
start_emulator() {
  local token=$1
  shift
  rm -f "$work/endpoint"
  if [[ -n "${MARKETPLACE_OPENAPI:-}" ]]; then
    set -- -openapi "$MARKETPLACE_OPENAPI" "$@"
  fi
  "$bin/marketplace-emulator" -addr 127.0.0.1:0 -token "$token" -endpoint-file "$work/endpoint" "$@" >"$work/emulator.log" 2>&1 &
  emulator_pid=$!
  for _ in $(seq 1 100); do
    [[ -s "$work/endpoint" ]] && break
    kill -0 "$emulator_pid" 2>/dev/null || { cat "$work/emulator.log" >&2; exit 1; }
    sleep 0.1
  done
  [[ -s "$work/endpoint" ]] || { echo "the emulator did not start" >&2; exit 1; }
  export IMMUTA_MARKETPLACE_ENDPOINT IMMUTA_MARKETPLACE_TOKEN="$token"
  IMMUTA_MARKETPLACE_ENDPOINT=$(cat "$work/endpoint")
}

for cmd in "$bin/terraform-provider-immuta" "$bin/marketplace-emulator"; do
  [[ -x "$cmd" ]] || { echo "missing $cmd: run 'make guides-check', which builds it" >&2; exit 1; }
done

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
export CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1
unset IMMUTA_MARKETPLACE_REGION IMMUTA_MARKETPLACE_ENDPOINT IMMUTA_MARKETPLACE_TOKEN

guides="$root/examples/guides"

step "Guide 'Testing modules offline': the flag table's defaults are those of 'marketplace-emulator -h'"
# (TestGuideFlagTableMatchesUsage checks that it lists every flag, and
# only those.)
table="$root/templates/guides/testing-with-the-emulator.md.tmpl"
defaults=$(env -u MARKETPLACE_OPENAPI "$bin/marketplace-emulator" -h 2>&1 | awk '
  /^  -/ { flag = $1; next }
  match($0, /\(default [^)]*\)$/) {
    d = substr($0, RSTART + 9, RLENGTH - 10); gsub(/"/, "", d); print flag, d
  }')
[[ -n "$defaults" ]] || { echo "FAILED: found no defaults in 'marketplace-emulator -h'" >&2; exit 1; }
while read -r flag default; do
  row=$(grep -E "^\| \`$flag\` +\|" "$table") || { echo "FAILED: the guide's flag table has no row for $flag" >&2; exit 1; }
  column=$(cut -d'|' -f3 <<<"$row")
  if [[ "$column" != *"\`$default\`"* ]]; then
    echo "FAILED: the guide's flag table gives $flag the default$column; 'marketplace-emulator -h' says $default" >&2
    exit 1
  fi
  echo "$flag: $default"
done <<<"$defaults"
if [[ -n "${MARKETPLACE_OPENAPI:-}" ]]; then
  echo "contract check on: $MARKETPLACE_OPENAPI"
else
  echo "contract check skipped: MARKETPLACE_OPENAPI is unset"
fi

step "Guide 'Testing modules offline': terraform test against the emulator and the example fixture"
# `terraform test` as the guide uses it needs Terraform 1.6.
tf_version=$("$terraform" version -json | sed -n 's/.*"terraform_version": *"\([0-9.]*\).*/\1/p')
if [[ "$(printf '%s\n' 1.6.0 "$tf_version" | sort -V | head -1)" != 1.6.0 ]]; then
  echo "SKIPPED: Terraform $tf_version has no 'terraform test' as the guide uses it (1.6 or later)."
else
  cp -R "$guides/testing-with-the-emulator" "$work/module"
  start_emulator "ci-token" -fixture "$work/module/fixture.json"
  (cd "$work/module" && "$terraform" test -no-color)
  stop_emulator

  step "Guide 'Testing modules offline': the CI recipe's script (ci.sh) as it is"
  # The guide installs the emulator and terraform on PATH; the script
  # starts the emulator, waits for /health, runs init and test.
  # Its `terraform init` installs the provider, here the one just built,
  # from a filesystem mirror (as a release from the registry would be).
  ci_path="$bin:$(dirname "$(command -v "$terraform")"):$PATH"
  os_arch="$(go env GOOS)_$(go env GOARCH)"
  mkdir -p "$work/mirror/registry.terraform.io/immuta/immuta/0.0.1/$os_arch"
  cp "$bin/terraform-provider-immuta" "$work/mirror/registry.terraform.io/immuta/immuta/0.0.1/$os_arch/terraform-provider-immuta_v0.0.1"
  cat >"$work/mirror.tfrc" <<RC
provider_installation {
  filesystem_mirror {
    path    = "$work/mirror"
    include = ["registry.terraform.io/immuta/immuta"]
  }
}
RC
  ci_env=(env PATH="$ci_path" TF_CLI_CONFIG_FILE="$work/mirror.tfrc")
  cp -R "$guides/testing-with-the-emulator" "$work/ci"
  (cd "$work/ci" && "${ci_env[@]}" bash ./ci.sh) || { echo "FAILED: the CI recipe's script failed" >&2; exit 1; }
  if grep -q '^contract violation:' "$work/ci/emulator.log"; then
    echo "FAILED: the emulator of the CI recipe saw exchanges that break the OpenAPI contract:" >&2
    grep '^contract violation:' "$work/ci/emulator.log" >&2
    exit 1
  fi
  grep -q '"path":"/marketplace/health"' "$work/ci/emulator-requests.log" ||
    { echo "FAILED: the CI recipe's script did not wait on /health" >&2; exit 1; }

  step "Guide 'Testing modules offline': the CI recipe's script fails loudly, with the emulator's log"
  cp -R "$guides/testing-with-the-emulator" "$work/ci-broken"
  echo '{"domains": "not a list"}' >"$work/ci-broken/fixture.json"
  if (cd "$work/ci-broken" && "${ci_env[@]}" bash ./ci.sh) >"$work/ci-broken.out" 2>&1; then
    echo "FAILED: the CI recipe's script succeeded with a broken fixture" >&2
    exit 1
  fi
  for want in "exited before it was healthy" "the Marketplace emulator's log" "marketplace-emulator:"; do
    grep -qF "$want" "$work/ci-broken.out" ||
      { echo "FAILED: the failing CI recipe printed no \"$want\":" >&2; cat "$work/ci-broken.out" >&2; exit 1; }
  done
  echo "The script failed as it should:"
  sed 's/^/  /' "$work/ci-broken.out"
fi

step "Guide 'Troubleshooting': terraform test with mock_provider, without an emulator"
# mock_provider needs Terraform 1.7.
if [[ "$(printf '%s\n' 1.7.0 "$tf_version" | sort -V | head -1)" != 1.7.0 ]]; then
  echo "SKIPPED: Terraform $tf_version has no mock_provider (1.7 or later)."
else
  mkdir -p "$work/mocked/tests"
  cp "$guides/testing-with-the-emulator/main.tf" "$work/mocked/"
  cp "$guides/troubleshooting/agreement_mocked.tftest.hcl" "$work/mocked/tests/"
  (cd "$work/mocked" && env -u IMMUTA_MARKETPLACE_ENDPOINT -u IMMUTA_MARKETPLACE_TOKEN "$terraform" test -no-color)
fi

step "Guide 'Getting started': apply, plan, destroy against the emulator's sample data"
cp -R "$guides/getting-started" "$work/getting-started"
cd "$work/getting-started"
# The guide names a region; an override file points the same configuration
# at the emulator instead, as the guide's reader would point it at a tenant.
cat >provider_override.tf <<'TF'
provider "immuta" {
  region = null
}
TF
start_emulator "emulator-token"
"$terraform" validate -no-color
"$terraform" apply -auto-approve -input=false -no-color
"$terraform" plan -detailed-exitcode -input=false -no-color
# Deletion protection is on by default; turning it off is the guide's own
# last section.
cat >data_product_override.tf <<'TF'
resource "immuta_data_product" "sales" {
  deletion_protection = false
}
TF
"$terraform" apply -auto-approve -input=false -no-color

step "Guide 'Source-controlling an existing Marketplace': terraform query, then one apply that only imports"
# `terraform query` and list resources need Terraform 1.14.
if [[ "$(printf '%s\n' 1.14.0 "$tf_version" | sort -V | head -1)" != 1.14.0 ]]; then
  echo "SKIPPED: Terraform $tf_version has no 'terraform query' (1.14 or later)."
else
  made=$("$terraform" state list | grep -c '^immuta_')
  mkdir "$work/adopt"
  cp "$guides/import-existing-marketplace/provider.tf" "$guides/import-existing-marketplace/adopt.tfquery.hcl" "$work/adopt/"
  (
    cd "$work/adopt"
    "$terraform" init -input=false -no-color >/dev/null
    "$terraform" query -no-color -generate-config-out=generated.tf
    plan=$("$terraform" plan -input=false -no-color -out=adopt.tfplan)
    echo "$plan" | tail -3
    want="Plan: $made to import, 0 to add, 0 to change, 0 to destroy."
    grep -qF "$want" <<<"$plan" || { echo "FAILED: the plan after terraform query is not '$want'" >&2; cat generated.tf >&2; exit 1; }
    "$terraform" apply -input=false -no-color adopt.tfplan
    "$terraform" plan -detailed-exitcode -input=false -no-color
    # The list resources' examples, against what is now there.
    # (Not the webhook's: listing webhooks needs an application admin,
    # which the emulator's caller is not; TestAccWebhookList lists them.)
    for example in "$root"/examples/list-resources/*/list-resource.tfquery.hcl; do
      [[ "$example" == */immuta_webhook/* ]] && continue
      mkdir -p "$work/list"
      rm -f "$work/list"/*.tfquery.hcl
      cp provider.tf "$work/list/"
      cp "$example" "$work/list/example.tfquery.hcl"
      (cd "$work/list" && "$terraform" init -input=false -no-color >/dev/null && "$terraform" query -no-color)
    done
  )
fi
"$terraform" destroy -auto-approve -input=false -no-color
stop_emulator

step "Guides checked"
