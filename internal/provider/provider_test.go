package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
)

// TestAccProvider_credentialSources checks where each value comes from and
// which source wins, by the key and region the fake saw on the wire.
func TestAccProvider_credentialSources(t *testing.T) {
	skipUnlessAcc(t)
	t.Parallel()
	cases := []struct {
		name       string
		block      string // provider block arguments
		env        map[string]string
		wantKey    string
		wantRegion string
	}{
		{
			name:       "ALIBABA_CLOUD variables only",
			env:        map[string]string{"ALIBABA_CLOUD_ACCESS_KEY_ID": testAccessKey2, "ALIBABA_CLOUD_ACCESS_KEY_SECRET": testSecretKey2, "ALIBABA_CLOUD_REGION": testRegion2},
			wantKey:    testAccessKey2,
			wantRegion: testRegion2,
		},
		{
			name: "ALICLOUD variables win over ALIBABA_CLOUD ones",
			env: map[string]string{
				"ALICLOUD_ACCESS_KEY": testAccessKey, "ALICLOUD_SECRET_KEY": testSecretKey, "ALICLOUD_REGION": testRegion,
				"ALIBABA_CLOUD_ACCESS_KEY_ID": "LTAIunknown", "ALIBABA_CLOUD_ACCESS_KEY_SECRET": "wrong", "ALIBABA_CLOUD_REGION": "cn-nowhere",
			},
			wantKey:    testAccessKey,
			wantRegion: testRegion,
		},
		{
			name:       "configuration wins over the environment",
			block:      fmt.Sprintf("access_key = %q\nsecret_key = %q\nregion = %q", testAccessKey2, testSecretKey2, testRegion2),
			env:        map[string]string{"ALICLOUD_ACCESS_KEY": "LTAIunknown", "ALICLOUD_SECRET_KEY": "wrong", "ALICLOUD_REGION": "cn-nowhere"},
			wantKey:    testAccessKey2,
			wantRegion: testRegion2,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newTestEnv(t)
			e.fake.AddPhysicalConnection("pc-inshanghai0000001", testRegion2, "Confirmed")
			pc := testPCID
			if tc.wantRegion == testRegion2 {
				pc = "pc-inshanghai0000001"
			}
			for k, v := range tc.env {
				e.env[k] = v
			}
			e.env["ALIBABA_CLOUD_ENDPOINT_VPC"] = e.addr // the endpoint from the environment too
			cfg := fmt.Sprintf("provider \"alicloud\" {\n  protocol = \"HTTP\"\n%s\n}\n\nresource \"alicloud_pc_occupancy_order\" \"test\" {\n  physical_connection_id = %q\n}\n", tc.block, pc)
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: e.factories(),
				Steps: []resource.TestStep{{
					Config: cfg,
					Check: resource.ComposeAggregateTestCheckFunc(
						e.checkRequestCount(1),
						func(*terraform.State) error {
							r := e.createRequests()[0]
							if r.AccessKeyID != tc.wantKey || r.Params["RegionId"] != tc.wantRegion || r.Code != "" {
								return fmt.Errorf("signed by %q for region %q (code %q), want %q and %q", r.AccessKeyID, r.Params["RegionId"], r.Code, tc.wantKey, tc.wantRegion)
							}
							return nil
						},
						resource.TestCheckResourceAttr(resourceAddr, "region_id", tc.wantRegion),
					),
				}},
			})
		})
	}
}

// TestAccProvider_sdkDebugRefused checks that the SDK's own request dumps,
// which print signatures and tokens, stop the provider before any request.
func TestAccProvider_sdkDebugRefused(t *testing.T) {
	skipUnlessAcc(t)
	t.Parallel()
	e := newTestEnv(t)
	e.env["DEBUG"] = "other,dara"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{{
			Config:      e.config(fmt.Sprintf("physical_connection_id = %q", testPCID)),
			ExpectError: regexp.MustCompile(`Unsafe DEBUG Environment Variable`),
		}},
		CheckDestroy: e.checkRequestCount(0),
	})
}

func TestSDKDebugFlags(t *testing.T) {
	for in, want := range map[string]string{"": "", "sdk": "", "foo,dara": "dara", "tea": "tea", " credential ": "credential", "darab": ""} {
		if got := sdkDebugFlags(in); got != want {
			t.Errorf("sdkDebugFlags(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestAccProvider_unknownConfigurationValue configures the region from a
// value only known after apply: the error names the argument and its
// environment variables, and nothing is sent.
func TestAccProvider_unknownConfigurationValue(t *testing.T) {
	skipUnlessAcc(t)
	t.Parallel()
	e := newTestEnv(t)
	cfg := `
resource "terraform_data" "region" {
  input = "cn-hangzhou"
}
` + e.providerBlock(map[string]string{"region": "terraform_data.region.output"}) + fmt.Sprintf(`
resource "alicloud_pc_occupancy_order" "test" {
  physical_connection_id = %q
}
`, testPCID)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{{
			Config: cfg,
			ExpectError: regexp.MustCompile(`(?s)Unknown Provider Configuration Value.*` +
				words("Set region to a value known at plan time or one of the environment variables ALICLOUD_REGION, ALIBABA_CLOUD_REGION").String()),
		}},
		CheckDestroy: e.checkRequestCount(0),
	})
}
