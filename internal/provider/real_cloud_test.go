package provider

import (
	"os"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// TestAccPCOccupancyOrder_realCloud places a REAL order, unpaid
// (auto_pay = false), with Alibaba Cloud. It runs only when every one of
// these is set: TF_ACC, credentials and region in the environment,
// ALICLOUD_PHYSICAL_CONNECTION_ID, and ALICLOUD_PLACE_REAL_ORDER=yes.
func TestAccPCOccupancyOrder_realCloud(t *testing.T) {
	skipUnlessAcc(t)
	pcID := os.Getenv("ALICLOUD_PHYSICAL_CONNECTION_ID")
	if os.Getenv("ALICLOUD_PLACE_REAL_ORDER") != "yes" || pcID == "" {
		t.Skip("places a real order: set ALICLOUD_PLACE_REAL_ORDER=yes and ALICLOUD_PHYSICAL_CONNECTION_ID to run it")
	}
	for _, env := range [][]string{envRegion, envAccessKey, envSecretKey} {
		if os.Getenv(env[0]) == "" && os.Getenv(env[1]) == "" {
			t.Skipf("set %s or %s", env[0], env[1])
		}
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: map[string]func() (tfprotov6.ProviderServer, error){
			"alicloud": providerserver.NewProtocol6WithError(New("test")()),
		},
		Steps: []resource.TestStep{{
			Config: `
provider "alicloud" {}

resource "alicloud_pc_occupancy_order" "test" {
  physical_connection_id = "` + pcID + `"
  auto_pay               = false
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(resourceAddr, tfjsonpath.New("order_id"), knownvalue.StringRegexp(regexp.MustCompile(`^[0-9]+$`))),
			},
		}},
	})
}
