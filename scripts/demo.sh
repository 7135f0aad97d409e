#!/usr/bin/env bash
# make demo: build the provider, start the fake Alibaba Cloud API on loopback, apply the
# example in examples/demo through the real Terraform CLI with a CLI config of
# our own (dev overrides), print the order, destroy, stop the fake.
# No cloud account is needed and no traffic leaves 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
# Terraform's update check is the one request that would leave loopback.
export CHECKPOINT_DISABLE=1

terraform_bin="$(./scripts/ensure-terraform.sh)"
work="$(mktemp -d)"
fake_pid=""
cleanup() {
	[ -z "$fake_pid" ] || kill "$fake_pid" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT

echo "==> Building the provider and the fake Alibaba Cloud API"
go build -o "$work/plugins/terraform-provider-alicloud" .
go build -o "$work/fakealicloud" ./cmd/fakealicloud

# Demo credentials, known only to the fake. The circuit is Confirmed: built
# and waiting for its occupancy fee, the state in which the API takes an order
# (the paid order turns it Enabled).
export ALICLOUD_ACCESS_KEY="LTAI5tDEMOACCESSKEY"
export ALICLOUD_SECRET_KEY="demo-secret-not-a-real-key"

echo "==> Starting the fake Alibaba Cloud API"
"$work/fakealicloud" -access-key "$ALICLOUD_ACCESS_KEY" -secret-key "$ALICLOUD_SECRET_KEY" \
	-connection pc-bp1hp0wr072f6ambni141:cn-hangzhou:Confirmed -addr-file "$work/addr" >"$work/fake.log" 2>&1 &
fake_pid=$!
for _ in $(seq 100); do [ -s "$work/addr" ] && break; sleep 0.1; done
[ -s "$work/addr" ] || { cat "$work/fake.log"; echo "the fake did not start" >&2; exit 1; }
addr="$(cat "$work/addr")"
echo "    listening on $addr"

cat >"$work/terraformrc" <<CFG
provider_installation {
  dev_overrides {
    "pcorder/alicloud" = "$work/plugins"
  }
  direct {}
}
CFG
export TF_CLI_CONFIG_FILE="$work/terraformrc" TF_IN_AUTOMATION=1

cp examples/demo/main.tf "$work/main.tf"
tf() { "$terraform_bin" -chdir="$work" "$@"; }

echo "==> terraform apply"
tf apply -auto-approve -input=false -no-color -var "vpc_endpoint=$addr"

echo "==> The order"
tf output -no-color
echo "==> What the fake Alibaba Cloud API received"
grep -v '^127.0.0.1' "$work/fake.log" || true

echo "==> terraform destroy (the order stays: the API cannot cancel it)"
tf destroy -auto-approve -input=false -no-color -var "vpc_endpoint=$addr"
echo "==> Demo complete"
