#!/usr/bin/env bash
# Builds a snapshot release with .goreleaser.yml, for this platform only
# (all of them take minutes), without signing or the container image, and
# checks that Terraform installs the provider from the snapshot's zip in
# a filesystem mirror (the packed layout), and that the provider reports
# the snapshot's version. Run it through `make release-snapshot-check`.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
goreleaser=${GORELEASER:-goreleaser}
terraform=${TERRAFORM:-terraform}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
os=$(go env GOOS)
arch=$(go env GOARCH)

cd "$root"
# The release configuration, with every build limited to this platform.
sed -e "s/^\( *goos:\) \[.*\]$/\1 [$os]/" -e "s/^\( *goarch:\) \[.*\]$/\1 [$arch]/" .goreleaser.yml >"$work/goreleaser.yml"
printf 'dist: %s\n' "$work/dist" >>"$work/goreleaser.yml"
[[ $(grep -c "^ *goos: \[$os\]$" "$work/goreleaser.yml") -eq $(grep -c '^ *goos:' .goreleaser.yml) ]] ||
  { echo "could not limit every build of .goreleaser.yml to $os" >&2; exit 1; }

"$goreleaser" release --snapshot --clean --skip=sign,docker --config "$work/goreleaser.yml"

version=$(sed -n 's/.*"version": *"\([^"]*\)".*/\1/p' "$work/dist/metadata.json" | head -1)
zip="$work/dist/terraform-provider-immuta_${version}_${os}_${arch}.zip"
[[ -f "$zip" ]] || { echo "the snapshot has no $zip:" >&2; ls "$work/dist" >&2; exit 1; }
echo "snapshot version: $version"

mirror="$work/mirror/registry.terraform.io/immuta/immuta"
mkdir -p "$mirror"
cp "$zip" "$mirror/"
cat >"$work/terraformrc" <<RC
provider_installation {
  filesystem_mirror {
    path    = "$work/mirror"
    include = ["registry.terraform.io/immuta/immuta"]
  }
  direct {
    exclude = ["registry.terraform.io/immuta/immuta"]
  }
}
RC
mkdir "$work/config"
cat >"$work/config/main.tf" <<TF
terraform {
  required_providers {
    immuta = {
      source  = "immuta/immuta"
      version = "$version"
    }
  }
}
TF
cd "$work/config"
TF_CLI_CONFIG_FILE="$work/terraformrc" CHECKPOINT_DISABLE=1 "$terraform" init -input=false -no-color
installed=$(find .terraform/providers -type f -name 'terraform-provider-immuta_v*')
"$installed" -version | tee "$work/version"
grep -qx "terraform-provider-immuta $version" "$work/version" ||
  { echo "the installed provider does not report version $version" >&2; exit 1; }
echo "snapshot $version installs from a filesystem mirror"
