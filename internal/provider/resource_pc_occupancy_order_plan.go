package provider

import (
	"context"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/pcorder/terraform-provider-alicloud/internal/client"
)

// deadCircuitStatuses are the circuit states that can never take an order.
// Alibaba Cloud's documented states are not consistent across versions, so
// every other state is left to the API to judge.
var deadCircuitStatuses = map[string]bool{
	"Rejected":          true,
	"Canceled":          true,
	"Allocation Failed": true,
	"Terminating":       true,
	"Terminated":        true,
}

// ModifyPlan checks, when the plan places a new order, that its circuit
// exists in the provider's region and can take an order. A circuit that
// cannot is a plan error; a locked one a warning; a lookup that cannot run
// a warning. Nothing is asked when the plan places no order.
func (r *pcOccupancyOrderResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if r.data == nil || r.data.circuits == nil || req.Plan.Raw.IsNull() || !placesOrder(ctx, req) {
		return
	}
	var pcID types.String
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("physical_connection_id"), &pcID)...)
	if resp.Diagnostics.HasError() || pcID.IsNull() || pcID.IsUnknown() {
		return
	}
	id := pcID.ValueString()
	at := path.Root("physical_connection_id")
	pc, err := r.data.circuits.Lookup(maskSecrets(ctx, r.data.secrets), id)
	switch {
	case err != nil:
		resp.Diagnostics.AddAttributeWarning(at, "Circuit Check Skipped", circuitCheckSkipped(id, r.data.region, err))
	case pc == nil:
		resp.Diagnostics.AddAttributeError(at, "Physical Connection Not Found",
			fmt.Sprintf("Region %s has no physical connection %s, so an order for it would fail at apply. "+
				"The usual cause is a wrong region: check the provider's region (or the alias this resource uses) and physical_connection_id. "+
				"Nothing was ordered.", r.data.region, id))
	case deadCircuitStatuses[pc.Status]:
		resp.Diagnostics.AddAttributeError(at, "Physical Connection Cannot Take An Order",
			fmt.Sprintf("Physical connection %s in %s is in state %q, which can never take an occupancy-fee order. "+
				"Check physical_connection_id: a circuit in this state cannot be ordered for. Nothing was ordered.", id, r.data.region, pc.Status))
	case pc.BusinessStatus != "" && pc.BusinessStatus != "Normal":
		resp.Diagnostics.AddAttributeWarning(at, "Physical Connection Locked",
			fmt.Sprintf("Physical connection %s in %s has business status %q (state %q): Alibaba Cloud has locked it, "+
				"for an overdue payment (FinancialLocked) or a security review (SecurityLocked). The order may be refused or the circuit stay unusable "+
				"until the lock is lifted; see the Express Connect console.", id, r.data.region, pc.BusinessStatus, pc.Status))
	}
}

// placesOrder reports whether the plan creates the resource or replaces it:
// an argument that forces a new order changed. Recording the configuration
// after an import is an in-place update.
func placesOrder(ctx context.Context, req resource.ModifyPlanRequest) bool {
	if req.State.Raw.IsNull() {
		return true
	}
	if importPending(ctx, req.State) {
		return false
	}
	var plan, state pcOccupancyOrderModel
	if req.Plan.Get(ctx, &plan).HasError() || req.State.Get(ctx, &state).HasError() {
		return false
	}
	planned, prior := plan.orderArguments(), state.orderArguments()
	for i := range prior {
		if !planned[i].Equal(prior[i]) {
			return true
		}
	}
	return false
}

// circuitCheckSkipped says why the circuit lookup could not run, and that
// the plan goes on without it.
func circuitCheckSkipped(id, region string, err error) string {
	var apiErr *client.APIError
	why := client.Redact(err.Error())
	if errors.As(err, &apiErr) && apiErr.Denied() {
		why = fmt.Sprintf("the credentials may not call DescribePhysicalConnections (%s, HTTP %d, request ID %s). "+
			"Grant the RAM action vpc:DescribePhysicalConnections to check circuits at plan time", apiErr.Code, apiErr.HTTPStatus, apiErr.RequestID)
	}
	return fmt.Sprintf("The provider could not check physical connection %s in %s before the order: %s. "+
		"The plan goes on without the check; the API will judge the order at apply. "+
		"Set skip_circuit_check = true in the provider block (or ALICLOUD_SKIP_CIRCUIT_CHECK=true) to stop asking.", id, region, why)
}
