package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// words matches the given words in order across Terraform's line wrapping
// (a line break and the "│ " border may stand between any two words).
func words(s string) *regexp.Regexp {
	parts := strings.Fields(s)
	for i, p := range parts {
		parts[i] = regexp.QuoteMeta(p)
	}
	return regexp.MustCompile(strings.Join(parts, `[\s│]+`))
}

// TestAccPCOccupancyOrder_badInput checks that every bad configuration is
// rejected at plan time with an error that names the attribute and its
// valid values, and that no request reaches the API.
func TestAccPCOccupancyOrder_badInput(t *testing.T) {
	skipUnlessAcc(t)
	t.Parallel()
	pc := fmt.Sprintf("physical_connection_id = %q\n", testPCID)
	cases := []struct {
		name     string
		resource string
		provider map[string]string // overrides of the provider block
		wantErr  *regexp.Regexp
	}{
		{"empty physical_connection_id", `physical_connection_id = ""`, nil, words(`Attribute physical_connection_id must be "pc-" followed by lower-case letters and digits`)},
		{"upper-case physical_connection_id", `physical_connection_id = "PC-BP1ABC"`, nil, words(`Attribute physical_connection_id must be "pc-"`)},
		{"physical_connection_id without prefix", `physical_connection_id = "bp1hp0wr072f6ambni141"`, nil, words(`Attribute physical_connection_id must be "pc-"`)},
		{"charge type in the wrong case", pc + `instance_charge_type = "prepaid"`, nil, words(`Attribute instance_charge_type value must be one of: ["PrePaid" "PostPaid"]`)},
		{"period 0", pc + "instance_charge_type = \"PrePaid\"\nperiod = 0", nil, words(`period must be 1-9 when pricing_cycle is "Month", got 0`)},
		{"period 10 months", pc + "instance_charge_type = \"PrePaid\"\nperiod = 10", nil, words(`period must be 1-9 when pricing_cycle is "Month", got 10`)},
		{"period 6 years", pc + "instance_charge_type = \"PrePaid\"\nperiod = 6\npricing_cycle = \"Year\"", nil, words(`period must be 1-5 when pricing_cycle is "Year", got 6`)},
		{"cycle other than Month or Year", pc + "instance_charge_type = \"PrePaid\"\nperiod = 1\npricing_cycle = \"Week\"", nil, words(`Attribute pricing_cycle value must be one of: ["Month" "Year"]`)},
		{"period with PostPaid", pc + "period = 1", nil, words(`period applies only to instance_charge_type = "PrePaid"`)},
		{"pricing_cycle with explicit PostPaid", pc + "instance_charge_type = \"PostPaid\"\npricing_cycle = \"Month\"", nil, words(`pricing_cycle applies only to instance_charge_type = "PrePaid"`)},
		{"PrePaid without period", pc + `instance_charge_type = "PrePaid"`, nil, words(`instance_charge_type = "PrePaid" requires period: 1-9`)},
		{"auto_renew with PostPaid", pc + "auto_renew = true", nil, words(`auto_renew applies only to instance_charge_type = "PrePaid"`)},
		{"auto_renew_duration with PostPaid", pc + "instance_charge_type = \"PostPaid\"\nauto_renew_duration = 1", nil, words(`auto_renew_duration applies only to instance_charge_type = "PrePaid"`)},
		{"auto_renew_duration without auto_renew", pc + "instance_charge_type = \"PrePaid\"\nperiod = 1\nauto_renew_duration = 3", nil, words(`auto_renew_duration is the length of each automatic renewal and needs auto_renew = true`)},
		{"auto_renew_duration with auto_renew false", pc + "instance_charge_type = \"PrePaid\"\nperiod = 1\nauto_renew = false\nauto_renew_duration = 3", nil, words(`needs auto_renew = true`)},
		{"auto_renew_duration 0", pc + "instance_charge_type = \"PrePaid\"\nperiod = 1\nauto_renew = true\nauto_renew_duration = 0", nil, words(`Attribute auto_renew_duration value must be between 1 and 12, got: 0`)},
		{"auto_renew_duration 13", pc + "instance_charge_type = \"PrePaid\"\nperiod = 1\nauto_renew = true\nauto_renew_duration = 13", nil, words(`Attribute auto_renew_duration value must be between 1 and 12, got: 13`)},
		{"over-long client token", pc + fmt.Sprintf("client_token = %q", strings.Repeat("x", 65)), nil, words(`Attribute client_token string length must be between 1 and 64, got: 65`)},
		{"empty client token", pc + `client_token = ""`, nil, words(`Attribute client_token string length must be between 1 and 64, got: 0`)},
		{"non-ASCII client token", pc + `client_token = "jeton-été"`, nil, words(`Attribute client_token must contain only printable ASCII characters`)},
		{"unknown protocol", pc, map[string]string{"protocol": `"FTP"`}, words(`Attribute protocol value must be one of: ["HTTPS" "HTTP"]`)},
		{"malformed endpoint", pc, map[string]string{"endpoints": `{ vpc = "http://127.0.0.1:1/" }`}, words(`must be a host name with an optional port`)},
		{"endpoint with a bad port", pc, map[string]string{"endpoints": `{ vpc = "127.0.0.1:http" }`}, words(`has an invalid port`)},
		{"missing region", pc, map[string]string{"region": "null"}, words(`Set region in the provider block or one of the environment variables ALICLOUD_REGION, ALIBABA_CLOUD_REGION`)},
		{"malformed region", pc, map[string]string{"region": `"Hangzhou"`}, words(`must be an Alibaba Cloud region ID such as cn-hangzhou`)},
		{"missing secret key", pc, map[string]string{"secret_key": "null"}, words(`Set secret_key in the provider block or one of the environment variables ALICLOUD_SECRET_KEY, ALIBABA_CLOUD_ACCESS_KEY_SECRET`)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newTestEnv(t)
			cfg := e.providerBlock(tc.provider) + "\nresource \"alicloud_pc_occupancy_order\" \"test\" {\n" + tc.resource + "\n}\n"
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: e.factories(),
				Steps: []resource.TestStep{{
					Config:      cfg,
					PlanOnly:    true,
					ExpectError: tc.wantErr,
				}},
				CheckDestroy: e.checkRequestCount(0),
			})
			if n := len(e.fake.Requests()); n != 0 {
				t.Fatalf("the fake received %d requests for a configuration rejected at plan time", n)
			}
		})
	}
}

// TestAccPCOccupancyOrder_onePeriodErrorPerMistake: a period out of range
// for its cycle is one error, with that cycle's range, in terraform
// validate's JSON.
func TestAccPCOccupancyOrder_onePeriodErrorPerMistake(t *testing.T) {
	skipUnlessAcc(t)
	t.Parallel()
	for _, tc := range []struct{ terms, want string }{
		{"period = 12", `period must be 1-9 when pricing_cycle is \"Month\", got 12`},
		{"period = 12\n  pricing_cycle = \"Year\"", `period must be 1-5 when pricing_cycle is \"Year\", got 12`},
	} {
		e := newTestEnv(t)
		w := newCLIWorkspace(t, e.cliProviderBlock()+fmt.Sprintf(`
resource "alicloud_pc_occupancy_order" "test" {
  physical_connection_id = %q
  instance_charge_type   = "PrePaid"
  %s
}
`, testPCID, tc.terms))
		out, _ := w.run("validate", "-json", "-no-color")
		if n := strings.Count(out, `"severity": "error"`); n != 1 || !strings.Contains(out, tc.want) {
			t.Errorf("%s: %d errors, want exactly one saying %q:\n%s", tc.terms, n, tc.want, out)
		}
		if n := len(e.fake.Requests()); n != 0 {
			t.Errorf("%s: validate sent %d requests", tc.terms, n)
		}
	}
}
