package provider

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

// TestAccPCOccupancyOrder_importBlocks imports an order with an import block,
// by ID (Terraform 1.5+) and by identity (Terraform and OpenTofu 1.12+, where
// the identity is checked after the create too): the plan records the
// configuration in place, with no create and no request.
func TestAccPCOccupancyOrder_importBlocks(t *testing.T) {
	skipUnlessAcc(t)
	for kind, since := range map[resource.ImportStateKind]*version.Version{
		resource.ImportBlockWithResourceIdentity: tfversion.Version1_12_0, // identity
		resource.ImportBlockWithID:               tfversion.Version1_5_0,  // import blocks
	} {
		t.Run(kind.String(), func(t *testing.T) {
			t.Parallel()
			e := newTestEnv(t)
			cfg := e.config(fmt.Sprintf("physical_connection_id = %q\ninstance_charge_type = \"PrePaid\"\nperiod = 2", testPCID))
			var afterCreate int
			var identity []statecheck.StateCheck
			if kind == resource.ImportBlockWithResourceIdentity {
				identity = append(identity, statecheck.ExpectIdentity(resourceAddr, map[string]knownvalue.Check{
					"physical_connection_id": knownvalue.StringExact(testPCID),
					"order_id":               knownvalue.StringExact("203167309740138"),
				}))
			}
			resource.Test(t, resource.TestCase{
				TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(since)},
				ProtoV6ProviderFactories: e.factories(),
				Steps: []resource.TestStep{
					{
						Config:            cfg,
						ConfigStateChecks: identity,
						Check:             func(*terraform.State) error { afterCreate = len(e.fake.Requests()); return nil },
					},
					{
						Config:             cfg,
						ResourceName:       resourceAddr,
						ImportState:        true,
						ImportStateKind:    kind,
						ImportStateId:      testPCID + ":203167309740138",
						ExpectNonEmptyPlan: true, // the arguments are recorded in place
						ImportPlanChecks: resource.ImportPlanChecks{PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction(resourceAddr, plancheck.ResourceActionUpdate),
						}},
					},
				},
				CheckDestroy: func(*terraform.State) error {
					if n := len(e.fake.Requests()); n != afterCreate {
						return fmt.Errorf("the import sent %d requests, want none", n-afterCreate)
					}
					return e.checkOrderCount(1)(nil)
				},
			})
		})
	}
}

// TestAccPCOccupancyOrder_identityAfterUpgrade: a state written by 0.1.0,
// which had no identity, gains it on the next refresh, with no change
// planned and no request sent.
func TestAccPCOccupancyOrder_identityAfterUpgrade(t *testing.T) {
	skipUnlessAcc(t)
	t.Parallel()
	if !cliAtLeast(t, "1.12.0") {
		t.Skip("resource identity needs Terraform or OpenTofu 1.12+")
	}
	e := newTestEnv(t)
	w := newCLIWorkspace(t, e.cliProviderBlock()+fmt.Sprintf(`
resource "alicloud_pc_occupancy_order" "test" {
  physical_connection_id = %q
  instance_charge_type   = "PrePaid"
  period                 = 3
}
`, testPCID))
	fixture, err := os.ReadFile("testdata/state-0.1.0.tfstate")
	if err != nil {
		t.Fatal(err)
	}
	statePath := filepath.Join(w.dir, "terraform.tfstate")
	writeFile(t, statePath, string(fixture))

	w.planIsEmpty()
	w.apply("-refresh-only")
	var state struct {
		Resources []struct {
			Instances []struct {
				Identity map[string]string `json:"identity"`
			} `json:"instances"`
		} `json:"resources"`
	}
	b, err := os.ReadFile(statePath)
	if err == nil {
		err = json.Unmarshal(b, &state)
	}
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"physical_connection_id": testPCID, "order_id": "203167309740138"}
	if len(state.Resources) != 1 || len(state.Resources[0].Instances) != 1 || fmt.Sprint(state.Resources[0].Instances[0].Identity) != fmt.Sprint(want) {
		t.Fatalf("identity after refresh: %+v, want %v\n%s", state, want, b)
	}
	w.planIsEmpty()
	if n := len(e.fake.Requests()); n != 0 {
		t.Fatalf("the refresh and plans sent %d requests, want none", n)
	}
}

// cliAtLeast reports whether the suite's CLI is at least version minimum.
func cliAtLeast(t *testing.T, minimum string) bool {
	t.Helper()
	out, err := exec.Command(terraformCLI(t), "version", "-json").Output()
	if err != nil {
		t.Fatalf("terraform version: %v", err)
	}
	var v struct {
		Version string `json:"terraform_version"`
	}
	if err := json.Unmarshal(out, &v); err != nil {
		t.Fatalf("terraform version -json: %v", err)
	}
	return version.Must(version.NewVersion(v.Version)).GreaterThanOrEqual(version.Must(version.NewVersion(minimum)))
}
