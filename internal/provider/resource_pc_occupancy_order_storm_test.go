package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
)

// TestAccPCOccupancyOrder_throttledStorm applies 50 orders while the API
// allows 10 creates a second: every resource gets exactly one order, under
// its own client token, and the provider's shared request rate keeps the
// refused requests under one per order (about 0.2-0.4; each create backing
// off on its own, with this suite's short backoffs, sent about 13).
func TestAccPCOccupancyOrder_throttledStorm(t *testing.T) {
	skipUnlessAcc(t)
	t.Parallel()
	const n = 50
	e := newTestEnv(t)
	e.fake.SetRateLimit(10, 2)
	e.addCircuits(n)
	cfg := e.providerBlock(nil) + fmt.Sprintf(`
resource "alicloud_pc_occupancy_order" "storm" {
  count                  = %d
  physical_connection_id = %s
}
`, n, bulkCircuit)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{{
			Config: cfg,
			Check: func(s *terraform.State) error {
				orders := map[string]string{} // order ID → client token
				tokens := map[string]bool{}
				for _, o := range e.fake.Orders() {
					if tokens[o.ClientToken] {
						return fmt.Errorf("client token %s placed two orders", o.ClientToken)
					}
					tokens[o.ClientToken] = true
					orders[o.ID] = o.ClientToken
				}
				if len(orders) != n {
					return fmt.Errorf("the fake holds %d orders, want %d", len(orders), n)
				}
				recorded := map[string]bool{}
				for addr, rs := range s.RootModule().Resources {
					id := rs.Primary.Attributes["order_id"]
					if orders[id] == "" {
						return fmt.Errorf("%s records order %q, which the fake did not place", addr, id)
					}
					if recorded[id] {
						return fmt.Errorf("order %s is recorded twice", id)
					}
					recorded[id] = true
				}
				if len(recorded) != n {
					return fmt.Errorf("the state records %d orders, want %d", len(recorded), n)
				}
				var throttled int
				reqs := e.createRequests()
				for _, r := range reqs {
					if r.Code == "Throttling.User" {
						throttled++
					}
				}
				t.Logf("%d orders: %d create requests, %d throttled", n, len(reqs), throttled)
				if throttled >= n {
					return fmt.Errorf("%d of %d create requests were throttled for %d orders, want fewer than one per order", throttled, len(reqs), n)
				}
				return nil
			},
		}},
	})
}
