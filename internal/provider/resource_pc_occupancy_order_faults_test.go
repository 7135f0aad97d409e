package provider

import (
	"fmt"
	"regexp"
	"sort"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/pcorder/terraform-provider-alicloud/internal/fakealicloud"
)

func TestAccPCOccupancyOrder_faultsBeforeSuccess(t *testing.T) {
	skipUnlessAcc(t)
	t.Parallel()
	cases := []struct {
		name     string
		faults   []fakealicloud.Fault
		requests int
	}{
		{"throttling, 503 and 500", []fakealicloud.Fault{{Kind: fakealicloud.Throttle}, {Kind: fakealicloud.Unavailable}, {Kind: fakealicloud.Internal}}, 4},
		{"connection reset", []fakealicloud.Fault{{Kind: fakealicloud.Reset}, {Kind: fakealicloud.Reset}}, 3},
		{"response lost after the order was committed", []fakealicloud.Fault{{Kind: fakealicloud.LoseResponse}}, 2},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newTestEnv(t)
			e.fake.Inject(tc.faults...)
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: e.factories(),
				Steps: []resource.TestStep{{
					Config: e.config(fmt.Sprintf("physical_connection_id = %q", testPCID)),
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue(resourceAddr, tfjsonpath.New("order_id"), knownvalue.StringExact("203167309740138")),
					},
					Check: resource.ComposeAggregateTestCheckFunc(
						e.checkRequestCount(tc.requests),
						e.checkOrderCount(1),
						e.checkOneToken(tokenOf("PostPaid", 0, "")),
					),
				}},
			})
		})
	}
}

// TestAccPCOccupancyOrder_hundredWithLostResponses applies 100 orders while
// 30% of the answers to new orders are lost after the order was committed.
func TestAccPCOccupancyOrder_hundredWithLostResponses(t *testing.T) {
	skipUnlessAcc(t)
	t.Parallel()
	e := newTestEnv(t)
	e.fake.SetLossRate(0.3, 42)
	e.addCircuits(100)
	cfg := e.providerBlock(nil) + `
resource "alicloud_pc_occupancy_order" "many" {
  count                  = 100
  physical_connection_id = ` + bulkCircuit + `
}
`
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{{
			Config: cfg,
			Check: func(s *terraform.State) error {
				orders := e.fake.Orders()
				if len(orders) != 100 {
					return fmt.Errorf("the fake holds %d orders, want 100", len(orders))
				}
				var lost int
				for _, r := range e.createRequests() {
					if r.Lost {
						lost++
					}
				}
				if lost == 0 {
					return fmt.Errorf("no answer was lost: the test did not exercise recovery")
				}
				var placed, recorded []string
				for _, o := range orders {
					placed = append(placed, o.ID)
				}
				for addr, rs := range s.RootModule().Resources {
					if rs.Type == "alicloud_pc_occupancy_order" {
						recorded = append(recorded, rs.Primary.Attributes["order_id"])
					} else {
						return fmt.Errorf("unexpected %s", addr)
					}
				}
				sort.Strings(placed)
				sort.Strings(recorded)
				if fmt.Sprint(placed) != fmt.Sprint(recorded) {
					return fmt.Errorf("state records orders\n%v\nthe fake placed\n%v", recorded, placed)
				}
				t.Logf("100 orders placed with %d answers lost and %d requests", lost, len(e.createRequests()))
				return nil
			},
		}},
	})
}

// TestAccPCOccupancyOrder_timeoutThenRecover lets a create outlive its
// timeout while the API is slow, then follows the error's advice.
func TestAccPCOccupancyOrder_timeoutThenRecover(t *testing.T) {
	skipUnlessAcc(t)
	t.Parallel()
	e := newTestEnv(t)
	e.fake.Inject(fakealicloud.Fault{Kind: fakealicloud.Slow, Delay: 3 * time.Second})
	body := fmt.Sprintf(`physical_connection_id = %q
instance_charge_type = "PrePaid"
period = 4
timeouts {
  create = "1s"
}`, testPCID)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{
			{
				Config:      e.config(body),
				ExpectError: regexp.MustCompile(`(?s)Occupancy Order Outcome Unknown.*client token "` + tokenOf("PrePaid", 4, "Month") + `"`),
			},
			{
				PreConfig: func() {
					// The slow request commits its order once its delay ends.
					deadline := time.Now().Add(10 * time.Second)
					for len(e.fake.Orders()) == 0 && time.Now().Before(deadline) {
						time.Sleep(50 * time.Millisecond)
					}
					if len(e.fake.Orders()) != 1 {
						t.Fatalf("the slow request placed %d orders", len(e.fake.Orders()))
					}
				},
				// The same configuration, applied again, sends the same
				// derived token and gets the order back.
				Config: e.config(body),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(resourceAddr, tfjsonpath.New("order_id"), knownvalue.StringExact("203167309740138")),
					statecheck.ExpectKnownValue(resourceAddr, tfjsonpath.New("client_token"), knownvalue.StringExact(tokenOf("PrePaid", 4, "Month"))),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					e.checkOrderCount(1),
					e.checkOneToken(tokenOf("PrePaid", 4, "Month")),
				),
			},
		},
	})
}

func TestAccPCOccupancyOrder_idempotentParameterMismatch(t *testing.T) {
	skipUnlessAcc(t)
	t.Parallel()
	e := newTestEnv(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{
			{Config: e.config(fmt.Sprintf("physical_connection_id = %q\nclient_token = \"shared-token\"", testPCID))},
			{
				// A second resource reusing the token with other parameters.
				Config: e.config(fmt.Sprintf("physical_connection_id = %q\nclient_token = \"shared-token\"", testPCID)) + fmt.Sprintf(`
resource "alicloud_pc_occupancy_order" "other" {
  physical_connection_id = %q
  client_token           = "shared-token"
}
`, testPCID2),
				ExpectError: regexp.MustCompile(`Client Token Already Used With Other Parameters`),
			},
		},
	})
	// A failed apply runs no Check: count the orders here.
	if err := e.checkOrderCount(1)(nil); err != nil {
		t.Error(err)
	}
}
