package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/pcorder/terraform-provider-alicloud/internal/client"
)

// lookups returns how many DescribePhysicalConnections the fake received.
func (e *testEnv) lookups() int {
	return len(e.requestsFor(client.ActionDescribePhysicalConnections))
}

// TestAccPCOccupancyOrder_circuitCheckFailsPlan: a circuit that is missing
// from the region, or dead, fails the plan with the circuit named, and
// nothing reaches the create action.
func TestAccPCOccupancyOrder_circuitCheckFailsPlan(t *testing.T) {
	skipUnlessAcc(t)
	for _, tc := range []struct {
		name, pc, status string
		want             *regexp.Regexp
	}{
		{"missing", "pc-nosuchcircuit000001", "", regexp.MustCompile(`(?s)Physical Connection Not Found.*` + words("Region cn-hangzhou has no physical connection pc-nosuchcircuit000001").String() + `.*wrong region`)},
		{"in another region", testPCID2 + "x", "", regexp.MustCompile(`Physical Connection Not Found`)},
		{"terminated", "pc-terminated0000001", "Terminated", regexp.MustCompile(`(?s)Physical Connection Cannot Take An Order.*pc-terminated0000001.*"Terminated"`)},
		{"rejected", "pc-rejected00000001", "Rejected", regexp.MustCompile(`(?s)Cannot Take An Order.*"Rejected"`)},
		{"allocation failed", "pc-allocfailed000001", "Allocation Failed", regexp.MustCompile(`(?s)Cannot Take An Order.*"Allocation[\s│]+Failed"`)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newTestEnv(t)
			switch {
			case tc.status != "":
				e.fake.AddPhysicalConnection(tc.pc, testRegion, tc.status)
			case tc.name == "in another region":
				e.fake.AddPhysicalConnection(tc.pc, testRegion2, "Confirmed")
			}
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: e.factories(),
				Steps: []resource.TestStep{{
					Config:      e.config(fmt.Sprintf("physical_connection_id = %q", tc.pc)),
					ExpectError: tc.want,
				}},
				CheckDestroy: resource.ComposeAggregateTestCheckFunc(e.checkRequestCount(0), func(*terraform.State) error {
					if e.lookups() == 0 {
						return fmt.Errorf("the plan sent no DescribePhysicalConnections")
					}
					return nil
				}),
			})
		})
	}
}

// TestAccPCOccupancyOrder_circuitCheckWarns: a locked circuit, or a lookup
// the credentials may not make, warns and the plan goes on.
func TestAccPCOccupancyOrder_circuitCheckWarns(t *testing.T) {
	skipUnlessAcc(t)
	t.Run("locked", func(t *testing.T) {
		t.Parallel()
		e := newTestEnv(t)
		e.fake.SetPhysicalConnectionBusinessStatus(testPCID, "FinancialLocked")
		w := newCLIWorkspace(t, e.cliProviderBlock()+fmt.Sprintf("resource \"alicloud_pc_occupancy_order\" \"test\" {\n  physical_connection_id = %q\n}\n", testPCID))
		out := w.mustRun("plan", "-input=false", "-no-color")
		for _, want := range []string{"Warning: Physical Connection Locked", testPCID, "FinancialLocked", "1 to add"} {
			if !strings.Contains(out, want) {
				t.Errorf("the plan's output lacks %q:\n%s", want, out)
			}
		}
		if len(e.createRequests()) != 0 {
			t.Fatal("a plan sent a create request")
		}
	})
	t.Run("lookup denied", func(t *testing.T) {
		t.Parallel()
		e := newTestEnv(t)
		e.fake.Deny(client.ActionDescribePhysicalConnections, "Forbidden.RAM")
		w := newCLIWorkspace(t, e.cliProviderBlock()+fmt.Sprintf("resource \"alicloud_pc_occupancy_order\" \"test\" {\n  physical_connection_id = %q\n}\n", testPCID))
		out := w.apply()
		for _, want := range []string{"Warning: Circuit Check Skipped", "vpc:DescribePhysicalConnections", "skip_circuit_check", "Apply complete! Resources: 1 added"} {
			if !strings.Contains(out, want) {
				t.Errorf("the apply's output lacks %q:\n%s", want, out)
			}
		}
		if n := len(e.fake.Orders()); n != 1 {
			t.Fatalf("the fake holds %d orders, want 1", n)
		}
	})
}

// TestAccPCOccupancyOrder_circuitCheckCost: a plan that creates 100 orders
// on 100 circuits of a region of 103 looks them up with the listing's 3
// pages, and a plan with an unknown circuit, or an unchanged plan, with none.
func TestAccPCOccupancyOrder_circuitCheckCost(t *testing.T) {
	skipUnlessAcc(t)
	t.Run("100 orders on 100 circuits", func(t *testing.T) {
		t.Parallel()
		e := newTestEnv(t)
		e.addCircuits(100)
		w := newCLIWorkspace(t, e.cliProviderBlock()+`
resource "alicloud_pc_occupancy_order" "test" {
  count                  = 100
  physical_connection_id = `+bulkCircuit+`
}
`)
		out := w.mustRun("plan", "-input=false", "-no-color")
		if !strings.Contains(out, "100 to add") {
			t.Fatalf("the plan does not add 100 orders:\n%s", tail([]byte(out)))
		}
		// The listing's 3 pages answer all 100, once the first
		// lookups' filters have shown it is cheaper: at most twice the
		// listing and two more.
		if n := e.lookups(); n < 3 || n > 8 {
			t.Fatalf("the plan sent %d DescribePhysicalConnections, want 3-8", n)
		}
		if len(e.fake.Requests()) != e.lookups() {
			t.Fatalf("the plan sent other requests than the lookups: %d in all", len(e.fake.Requests()))
		}
	})
	t.Run("circuit unknown at plan", func(t *testing.T) {
		t.Parallel()
		e := newTestEnv(t)
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: e.factories(),
			Steps: []resource.TestStep{{
				Config: e.providerBlock(nil) + fmt.Sprintf(`
resource "terraform_data" "circuit" {
  input = %q
}
resource "alicloud_pc_occupancy_order" "test" {
  physical_connection_id = terraform_data.circuit.output
}
`, testPCID),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			}},
		})
		if n := len(e.fake.Requests()); n != 0 {
			t.Fatalf("a plan with the circuit unknown sent %d requests", n)
		}
	})
	t.Run("opted out", func(t *testing.T) {
		t.Parallel()
		for _, tc := range []struct {
			extra string
			env   []string
		}{{"  skip_circuit_check = true", nil}, {"", []string{"ALICLOUD_SKIP_CIRCUIT_CHECK=true"}}} {
			e := newTestEnv(t)
			w := newCLIWorkspace(t, e.cliProviderBlock(tc.extra)+fmt.Sprintf("resource \"alicloud_pc_occupancy_order\" \"test\" {\n  physical_connection_id = %q\n}\n", testPCID), tc.env...)
			w.apply()
			if n := e.lookups(); n != 0 {
				t.Fatalf("%q %v: %d DescribePhysicalConnections sent, want none", tc.extra, tc.env, n)
			}
			if len(e.fake.Orders()) != 1 {
				t.Fatalf("%q %v: the order was not placed", tc.extra, tc.env)
			}
		}
	})
}

// TestAccPCOccupancyOrder_autoRenewForcesReplacement: auto_renew and
// auto_renew_duration are order terms like any other.
func TestAccPCOccupancyOrder_autoRenewForcesReplacement(t *testing.T) {
	skipUnlessAcc(t)
	t.Parallel()
	e := newTestEnv(t, withCircuitsWaiting())
	terms := func(extra string) string {
		return e.config(fmt.Sprintf("physical_connection_id = %q\ninstance_charge_type = \"PrePaid\"\nperiod = 1\n%s", testPCID, extra))
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{
			{Config: terms("auto_renew = true"), Check: e.checkOrderCount(1)},
			{
				Config: terms("auto_renew = true\nauto_renew_duration = 6"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					expectReplacedBy(resourceAddr, "auto_renew_duration"),
				}},
				Check: resource.ComposeAggregateTestCheckFunc(e.checkOrderCount(2), e.checkLastParams(map[string]string{
					"RegionId": testRegion, "PhysicalConnectionId": testPCID, "AutoPay": "true", "InstanceChargeType": "PrePaid",
					"Period": "1", "PricingCycle": "Month", "AutoRenew": "true", "AutoRenewDuration": "6", "ClientToken": tokenForParams(map[string]string{"PhysicalConnectionId": testPCID, "AutoPay": "true", "InstanceChargeType": "PrePaid",
						"Period": "1", "PricingCycle": "Month", "AutoRenew": "true", "AutoRenewDuration": "6"}),
				})),
			},
		},
	})
}
