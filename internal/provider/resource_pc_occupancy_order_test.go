package provider

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	fwresource "github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/pcorder/terraform-provider-alicloud/internal/client"
	"github.com/pcorder/terraform-provider-alicloud/internal/fakealicloud"
)

func TestAccPCOccupancyOrder_postPaidDefaults(t *testing.T) {
	skipUnlessAcc(t)
	t.Parallel()
	e := newTestEnv(t)
	cfg := e.config(fmt.Sprintf("physical_connection_id = %q", testPCID))

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{
			{
				Config: cfg,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(resourceAddr, tfjsonpath.New("id"), knownvalue.StringExact("203167309740138")),
					statecheck.ExpectKnownValue(resourceAddr, tfjsonpath.New("order_id"), knownvalue.StringExact("203167309740138")),
					statecheck.ExpectKnownValue(resourceAddr, tfjsonpath.New("auto_pay"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(resourceAddr, tfjsonpath.New("instance_charge_type"), knownvalue.StringExact("PostPaid")),
					statecheck.ExpectKnownValue(resourceAddr, tfjsonpath.New("period"), knownvalue.Null()),
					statecheck.ExpectKnownValue(resourceAddr, tfjsonpath.New("pricing_cycle"), knownvalue.Null()),
					statecheck.ExpectKnownValue(resourceAddr, tfjsonpath.New("client_token"), knownvalue.StringExact(tokenOf("PostPaid", 0, ""))),
					statecheck.ExpectKnownValue(resourceAddr, tfjsonpath.New("region_id"), knownvalue.StringExact(testRegion)),
					statecheck.ExpectKnownValue(resourceAddr, tfjsonpath.New("request_id"), knownvalue.StringRegexp(regexp.MustCompile(`^(?i)[0-9a-f-]{36}$`))),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					e.checkRequestCount(1),
					e.checkLastParams(map[string]string{
						"RegionId":             testRegion,
						"PhysicalConnectionId": testPCID,
						"AutoPay":              "true",
						"InstanceChargeType":   "PostPaid",
						"ClientToken":          tokenOf("PostPaid", 0, ""),
					}),
					checkSignature(e, fakealicloud.AlgorithmACS3),
				),
			},
			// The plan after apply is empty, and neither it nor Read
			// sends anything. (A PlanOnly step runs no Check.)
			{
				Config:           cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check:            e.checkRequestCount(1),
			},
			{
				ResourceName:      resourceAddr,
				ImportState:       true,
				ImportStateId:     testPCID + ":203167309740138",
				ImportStateVerify: true,
				// An order cannot be read back: import knows only the IDs.
				ImportStateVerifyIgnore: []string{"auto_pay", "instance_charge_type", "client_token", "request_id"},
			},
		},
		CheckDestroy: resource.ComposeAggregateTestCheckFunc(e.checkRequestCount(1), e.checkOrderCount(1)),
	})
}

func TestAccPCOccupancyOrder_argumentCombinations(t *testing.T) {
	skipUnlessAcc(t)
	t.Parallel()
	cases := []struct {
		name string
		body string
		want map[string]string
	}{
		{
			name: "prepaid months default cycle",
			body: `instance_charge_type = "PrePaid"
period = 3`,
			want: map[string]string{"AutoPay": "true", "InstanceChargeType": "PrePaid", "Period": "3", "PricingCycle": "Month"},
		},
		{
			name: "prepaid years without auto pay",
			body: `instance_charge_type = "PrePaid"
period = 5
pricing_cycle = "Year"
auto_pay = false`,
			want: map[string]string{"AutoPay": "false", "InstanceChargeType": "PrePaid", "Period": "5", "PricingCycle": "Year"},
		},
		{
			name: "prepaid with auto-renewal",
			body: `instance_charge_type = "PrePaid"
period = 1
auto_renew = true
auto_renew_duration = 3`,
			want: map[string]string{"AutoPay": "true", "InstanceChargeType": "PrePaid", "Period": "1", "PricingCycle": "Month", "AutoRenew": "true", "AutoRenewDuration": "3"},
		},
		{
			name: "prepaid with auto-renewal off",
			body: `instance_charge_type = "PrePaid"
period = 1
auto_renew = false`,
			want: map[string]string{"AutoPay": "true", "InstanceChargeType": "PrePaid", "Period": "1", "PricingCycle": "Month", "AutoRenew": "false"},
		},
		{
			name: "prepaid nine months explicit",
			body: `instance_charge_type = "PrePaid"
period = 9
pricing_cycle = "Month"`,
			want: map[string]string{"AutoPay": "true", "InstanceChargeType": "PrePaid", "Period": "9", "PricingCycle": "Month"},
		},
		{
			name: "postpaid explicit without auto pay",
			body: `instance_charge_type = "PostPaid"
auto_pay = false`,
			want: map[string]string{"AutoPay": "false", "InstanceChargeType": "PostPaid"},
		},
		{
			name: "configured client token",
			body: `client_token = "CBCE910E-D396-4944-8764-B4047838B2D1"`,
			want: map[string]string{"AutoPay": "true", "InstanceChargeType": "PostPaid", "ClientToken": "CBCE910E-D396-4944-8764-B4047838B2D1"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newTestEnv(t)
			want := map[string]string{"RegionId": testRegion, "PhysicalConnectionId": testPCID}
			for k, v := range tc.want {
				want[k] = v
			}
			if want["ClientToken"] == "" {
				want["ClientToken"] = tokenForParams(want)
			}
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: e.factories(),
				Steps: []resource.TestStep{{
					Config: e.config(fmt.Sprintf("physical_connection_id = %q\n%s", testPCID, tc.body)),
					Check: resource.ComposeAggregateTestCheckFunc(
						e.checkRequestCount(1),
						e.checkLastParams(want),
						resource.TestCheckResourceAttr(resourceAddr, "client_token", want["ClientToken"]),
					),
				}},
			})
		})
	}
}

func TestAccPCOccupancyOrder_seventeenDigitOrderID(t *testing.T) {
	skipUnlessAcc(t)
	t.Parallel()
	// 20316730974013899 is above 2^53: a float64 would turn it into
	// 20316730974013900.
	for _, asString := range []bool{false, true} {
		t.Run(fmt.Sprintf("as string %v", asString), func(t *testing.T) {
			t.Parallel()
			e := newTestEnv(t, withFirstOrderID(20316730974013899, asString))
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: e.factories(),
				Steps: []resource.TestStep{{
					Config: e.config(fmt.Sprintf("physical_connection_id = %q", testPCID)),
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue(resourceAddr, tfjsonpath.New("order_id"), knownvalue.StringExact("20316730974013899")),
						statecheck.ExpectKnownValue(resourceAddr, tfjsonpath.New("id"), knownvalue.StringExact("20316730974013899")),
					},
					Check: func(*terraform.State) error {
						if got := e.fake.Orders()[0].ID; got != "20316730974013899" {
							return fmt.Errorf("the fake placed order %s", got)
						}
						return nil
					},
				}},
			})
		})
	}
}

func TestAccPCOccupancyOrder_changesForceReplacement(t *testing.T) {
	skipUnlessAcc(t)
	t.Parallel()
	e := newTestEnv(t, withCircuitsWaiting())
	steps := []struct {
		name string
		body string
	}{
		{"initial", `physical_connection_id = "` + testPCID + `"`},
		{"physical_connection_id", `physical_connection_id = "` + testPCID2 + `"`},
		{"auto_pay", `physical_connection_id = "` + testPCID2 + `"
auto_pay = false`},
		{"instance_charge_type", `physical_connection_id = "` + testPCID2 + `"
auto_pay = false
instance_charge_type = "PrePaid"
period = 1`},
		{"period", `physical_connection_id = "` + testPCID2 + `"
auto_pay = false
instance_charge_type = "PrePaid"
period = 2`},
		{"pricing_cycle", `physical_connection_id = "` + testPCID2 + `"
auto_pay = false
instance_charge_type = "PrePaid"
period = 2
pricing_cycle = "Year"`},
		{"client_token", `physical_connection_id = "` + testPCID2 + `"
auto_pay = false
instance_charge_type = "PrePaid"
period = 2
pricing_cycle = "Year"
client_token = "my-own-token"`},
	}
	var tsteps []resource.TestStep
	for i, s := range steps {
		step := resource.TestStep{
			Config: e.config(s.body),
			Check:  resource.ComposeAggregateTestCheckFunc(e.checkRequestCount(i+1), e.checkOrderCount(i+1)),
		}
		if i > 0 {
			step.ConfigPlanChecks = resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(resourceAddr, plancheck.ResourceActionDestroyBeforeCreate),
				expectReplacedBy(resourceAddr, s.name),
			}}
		}
		tsteps = append(tsteps, step)
	}
	// Changing only the timeouts is an in-place, state-only update.
	tsteps = append(tsteps, resource.TestStep{
		Config: e.config(steps[len(steps)-1].body + "\ntimeouts {\n  create = \"2m\"\n}"),
		ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
			plancheck.ExpectResourceAction(resourceAddr, plancheck.ResourceActionUpdate),
		}},
		Check: e.checkRequestCount(len(steps)),
	})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps:                    tsteps,
		CheckDestroy:             e.checkOrderCount(len(steps)),
	})
}

func TestAccPCOccupancyOrder_importThenNoReplacement(t *testing.T) {
	skipUnlessAcc(t)
	t.Parallel()
	e := newTestEnv(t)
	cfg := e.config(fmt.Sprintf(`physical_connection_id = %q
instance_charge_type = "PrePaid"
period = 6`, testPCID))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{
			{
				Config:             cfg,
				ResourceName:       resourceAddr,
				ImportState:        true,
				ImportStateId:      testPCID + ":20316730974013899",
				ImportStatePersist: true,
				ImportStateCheck: func(s []*terraform.InstanceState) error {
					if len(s) != 1 || s[0].Attributes["order_id"] != "20316730974013899" || s[0].Attributes["physical_connection_id"] != testPCID {
						return fmt.Errorf("imported %v", s)
					}
					return nil
				},
			},
			{
				// The first plan records the configuration in place.
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(resourceAddr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(resourceAddr, tfjsonpath.New("order_id"), knownvalue.StringExact("20316730974013899")),
					statecheck.ExpectKnownValue(resourceAddr, tfjsonpath.New("period"), knownvalue.Int64Exact(6)),
					statecheck.ExpectKnownValue(resourceAddr, tfjsonpath.New("pricing_cycle"), knownvalue.StringExact("Month")),
					statecheck.ExpectKnownValue(resourceAddr, tfjsonpath.New("instance_charge_type"), knownvalue.StringExact("PrePaid")),
					statecheck.ExpectKnownValue(resourceAddr, tfjsonpath.New("client_token"), knownvalue.Null()),
				},
				// No order, no circuit lookup, no billing question.
				Check: e.checkNoRequests(),
			},
			{
				// After that, a change replaces as usual.
				Config: e.config(fmt.Sprintf(`physical_connection_id = %q
instance_charge_type = "PrePaid"
period = 7`, testPCID)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(resourceAddr, plancheck.ResourceActionDestroyBeforeCreate),
				}},
				Check: e.checkRequestCount(1),
			},
		},
	})
}

func TestAccPCOccupancyOrder_importInvalidID(t *testing.T) {
	skipUnlessAcc(t)
	t.Parallel()
	e := newTestEnv(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{{
			Config:        e.config(fmt.Sprintf("physical_connection_id = %q", testPCID)),
			ResourceName:  resourceAddr,
			ImportState:   true,
			ImportStateId: "203167309740138",
			ExpectError:   regexp.MustCompile(`Invalid Import ID`),
		}},
	})
}

func TestAccPCOccupancyOrder_apiErrors(t *testing.T) {
	skipUnlessAcc(t)
	t.Parallel()
	cases := []struct {
		name, pcID string
		wantErr    *regexp.Regexp
	}{
		{"not found", "pc-doesnotexist0000", regexp.MustCompile(`Physical Connection Not Found`)},
		{"under construction", testPCPending, regexp.MustCompile(`Physical Connection Not Waiting For Payment`)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newTestEnv(t)
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: e.factories(),
				Steps: []resource.TestStep{{
					Config:      e.config(fmt.Sprintf("physical_connection_id = %q", tc.pcID)),
					ExpectError: tc.wantErr,
				}},
				// A failed create leaves nothing in state, was sent once
				// (a final 4xx is not retried) and placed nothing.
				CheckDestroy: resource.ComposeAggregateTestCheckFunc(
					e.checkRequestCount(1), e.checkOrderCount(0),
					func(s *terraform.State) error {
						if _, ok := s.RootModule().Resources[resourceAddr]; ok {
							return fmt.Errorf("%s is in state after a failed create", resourceAddr)
						}
						return nil
					},
				),
			})
		})
	}
}

func TestAccPCOccupancyOrder_hmacSHA1Signature(t *testing.T) {
	skipUnlessAcc(t)
	t.Parallel()
	e := newTestEnv(t, withSignatureAlgorithm("v2"))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{{
			Config: e.config(fmt.Sprintf("physical_connection_id = %q", testPCID)),
			Check:  resource.ComposeAggregateTestCheckFunc(e.checkRequestCount(1), checkSignature(e, fakealicloud.AlgorithmRPC)),
		}},
	})
}

// TestAccPCOccupancyOrder_otherAPIError checks the generic diagnostic: the
// API's code, message, HTTP status and request ID, and no retry of a final
// 4xx answer.
func TestAccPCOccupancyOrder_otherAPIError(t *testing.T) {
	skipUnlessAcc(t)
	t.Parallel()
	e := newTestEnv(t)
	e.fake.Deny(client.ActionCreateOccupancyOrder, "Forbidden.RAM")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{{
			Config: e.config(fmt.Sprintf("physical_connection_id = %q", testPCID)),
			ExpectError: regexp.MustCompile(`(?s)Error Creating Occupancy Order.*` + words("HTTP 403, code Forbidden.RAM").String() +
				`.*` + words("(request ID").String() + `[\s│]+[0-9A-F-]{36}\)` + `.*` + words("grant the RAM action vpc:CreatePhysicalConnectionOccupancyOrder").String()),
		}},
		CheckDestroy: resource.ComposeAggregateTestCheckFunc(e.checkRequestCount(1), e.checkOrderCount(0)),
	})
}

// TestAccPCOccupancyOrder_credentialsRejected: a signature the API rejects
// fails the plan at its circuit lookup and names the credentials.
func TestAccPCOccupancyOrder_credentialsRejected(t *testing.T) {
	skipUnlessAcc(t)
	t.Parallel()
	e := newTestEnv(t)
	cfg := e.providerBlock(map[string]string{"secret_key": `"not-the-secret"`}) +
		fmt.Sprintf("\nresource \"alicloud_pc_occupancy_order\" \"test\" {\n  physical_connection_id = %q\n}\n", testPCID)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{{
			Config:      cfg,
			ExpectError: regexp.MustCompile(`(?s)Credentials Rejected.*SignatureDoesNotMatch.*` + words("nothing was ordered. Check access_key and secret_key").String()),
		}},
		// The plan's lookup is refused: the create is never sent.
		CheckDestroy: resource.ComposeAggregateTestCheckFunc(e.checkRequestCount(0), e.checkOrderCount(0)),
	})
}

// TestAccPCOccupancyOrder_chargeTypeKnownOnlyAtApply takes the charge type
// from a value unknown at plan time: pricing_cycle is planned unknown, and
// the order still carries PricingCycle=Month once Terraform plans again
// with every value known.
func TestAccPCOccupancyOrder_chargeTypeKnownOnlyAtApply(t *testing.T) {
	skipUnlessAcc(t)
	t.Parallel()
	e := newTestEnv(t)
	cfg := e.config(fmt.Sprintf(`physical_connection_id = %q
instance_charge_type = terraform_data.charge.output
period = 2`, testPCID)) + `
resource "terraform_data" "charge" {
  input = "PrePaid"
}
`
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{{
			Config: cfg,
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectUnknownValue(resourceAddr, tfjsonpath.New("pricing_cycle")),
			}},
			Check: resource.ComposeAggregateTestCheckFunc(
				e.checkLastParams(map[string]string{
					"RegionId": testRegion, "PhysicalConnectionId": testPCID, "AutoPay": "true",
					"InstanceChargeType": "PrePaid", "Period": "2", "PricingCycle": "Month", "ClientToken": tokenOf("PrePaid", 2, "Month"),
				}),
				resource.TestCheckResourceAttr(resourceAddr, "pricing_cycle", "Month"),
			),
		}},
	})
}

// TestPCOccupancyOrderResource_deleteWarns checks that Delete removes the
// resource from state only and says so.
func TestPCOccupancyOrderResource_deleteWarns(t *testing.T) {
	ctx := context.Background()
	r := NewPCOccupancyOrderResource()
	var sresp fwresource.SchemaResponse
	r.Schema(ctx, fwresource.SchemaRequest{}, &sresp)
	state := tfsdk.State{Schema: sresp.Schema, Raw: tftypes.NewValue(sresp.Schema.Type().TerraformType(ctx), nil)}
	var diags diag.Diagnostics
	diags.Append(state.SetAttribute(ctx, path.Root("order_id"), "20316730974013899")...)
	diags.Append(state.SetAttribute(ctx, path.Root("physical_connection_id"), testPCID)...)
	if diags.HasError() {
		t.Fatal(diags)
	}
	resp := fwresource.DeleteResponse{State: state}
	r.Delete(ctx, fwresource.DeleteRequest{State: state}, &resp)
	if resp.Diagnostics.HasError() || resp.Diagnostics.WarningsCount() != 1 {
		t.Fatalf("diagnostics %v, want one warning", resp.Diagnostics)
	}
	w := resp.Diagnostics.Warnings()[0]
	if w.Summary() != "Occupancy Order Not Cancelled" || !strings.Contains(w.Detail(), "20316730974013899") || !strings.Contains(w.Detail(), testPCID) {
		t.Fatalf("warning %q: %q", w.Summary(), w.Detail())
	}
}
