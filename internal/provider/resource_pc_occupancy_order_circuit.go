package provider

import (
	"context"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/pcorder/terraform-provider-alicloud/internal/client"
)

// The states of a physical connection (DescribePhysicalConnections'
// Status, as the VPC API reference lists them, and Complete from the SDK's
// doc comment of CreatePhysicalConnectionOccupancyOrder), grouped by what
// they mean for an occupancy-fee order.
var (
	// Confirmed and Complete wait for payment and take the order: the
	// official provider orders right after ConfirmPhysicalConnection
	// (Confirmed); the SDK's comment names Complete ("Waiting for Payment").
	// They, and any state not listed here, pass the check quietly.
	//
	// underConstruction: the circuit cannot take the order yet.
	underConstruction = map[string]bool{"Initial": true, "Approved": true, "Allocating": true, "Allocated": true}
	// deadCircuit: the circuit can never take an order. "Allocation Failed"
	// is spelled with a space in the reference and without on one page.
	deadCircuit = map[string]bool{"Rejected": true, "Canceled": true, "Allocation Failed": true, "AllocationFailed": true,
		"Terminating": true, "Terminated": true}
)

// circuitEnabled is the state a paid occupancy order brings a circuit to.
const circuitEnabled = "Enabled"

// checkCircuit checks, for a plan that places an order, that its circuit
// exists in the provider's region and waits for payment. A circuit that can
// never take the order, or credentials the API refuses, fail the plan; a
// circuit that cannot take it now, or a lookup that cannot run, warn.
func (r *pcOccupancyOrderResource) checkCircuit(ctx context.Context, id string, resp *resource.ModifyPlanResponse) {
	if r.data.circuits == nil {
		return
	}
	at := path.Root("physical_connection_id")
	region := r.data.region
	lctx, cancel := context.WithTimeout(maskSecrets(ctx, r.data.secrets), r.data.circuitWait)
	defer cancel()
	pc, err := r.data.circuits.Lookup(lctx, id)
	var apiErr *client.APIError
	switch {
	case errors.As(err, &apiErr) && apiErr.CredentialsRejected():
		resp.Diagnostics.AddError("Credentials Rejected",
			fmt.Sprintf("The API refused the provider's credentials when the plan looked up physical connection %s in %s: %s: %s (HTTP %d, request ID %s). "+
				"An order with them could only fail, so the plan stops here; nothing was ordered. "+
				"Check access_key and secret_key (or the credential source in use), security_token for temporary credentials, and this machine's clock.",
				id, region, apiErr.Code, apiErr.Message, apiErr.HTTPStatus, apiErr.RequestID))
	case err != nil:
		resp.Diagnostics.AddAttributeWarning(at, "Circuit Check Skipped", circuitCheckSkipped(id, region, err))
	case pc == nil:
		resp.Diagnostics.AddAttributeError(at, "Physical Connection Not Found",
			fmt.Sprintf("Region %s has no physical connection %s, so an order for it would fail at apply. "+
				"The usual cause is a wrong region: check the provider's region (or the alias this resource uses) and physical_connection_id. "+
				"Nothing was ordered.", region, id))
	case deadCircuit[pc.Status]:
		resp.Diagnostics.AddAttributeError(at, "Physical Connection Cannot Take An Order",
			fmt.Sprintf("Physical connection %s in %s is in state %q, which can never take an occupancy-fee order. "+
				"Check physical_connection_id: a circuit in this state cannot be ordered for. Nothing was ordered.", id, region, pc.Status))
	case pc.Status == circuitEnabled:
		resp.Diagnostics.AddAttributeWarning(at, "Physical Connection Already Enabled",
			fmt.Sprintf("Physical connection %s in %s is already Enabled: its occupancy fee is paid, and the API refuses a new occupancy order "+
				"on an enabled circuit (Forbidden.NotAllowedInState), so this apply will fail for it and buy nothing. "+
				"If this resource should record the order that was paid, import it instead: "+
				"import { to = <this resource's address>, id = \"%s:<order ID>\" } (the order ID is in the console, Expenses and Costs, Orders).",
				id, region, id))
	case underConstruction[pc.Status]:
		resp.Diagnostics.AddAttributeWarning(at, "Physical Connection Not Ready For An Order",
			fmt.Sprintf("Physical connection %s in %s is in state %q: it is still being built and cannot take an occupancy-fee order until it waits for payment "+
				"(Confirmed, after ConfirmPhysicalConnection, or Complete). The API will refuse this order (IncorrectStatus.PhysicalConnection) and nothing will be bought. "+
				"Apply once the circuit is Confirmed.", id, region, pc.Status))
	case pc.BusinessStatus != "" && pc.BusinessStatus != "Normal":
		resp.Diagnostics.AddAttributeWarning(at, "Physical Connection Locked",
			fmt.Sprintf("Physical connection %s in %s has business status %q (state %q): Alibaba Cloud has locked it, "+
				"for an overdue payment (FinancialLocked) or a security review (SecurityLocked). The order may be refused or the circuit stay unusable "+
				"until the lock is lifted; see the Express Connect console.", id, region, pc.BusinessStatus, pc.Status))
	}
}

// circuitCheckSkipped says why the circuit lookup could not run, and that
// the plan goes on without it.
func circuitCheckSkipped(id, region string, err error) string {
	var apiErr *client.APIError
	why := client.Redact(err.Error())
	if errors.As(err, &apiErr) && apiErr.Denied() {
		why = fmt.Sprintf("the credentials may not call DescribePhysicalConnections (%s, HTTP %d, request ID %s). "+
			"Grant the RAM action "+ramDescribePhysicalConnections+" to check circuits at plan time", apiErr.Code, apiErr.HTTPStatus, apiErr.RequestID)
	}
	return fmt.Sprintf("The provider could not check physical connection %s in %s before the order: %s. "+
		"The plan goes on without the check; the API will judge the order at apply. "+
		"Set skip_circuit_check = true in the provider block (or ALICLOUD_SKIP_CIRCUIT_CHECK=true) to stop asking.", id, region, why)
}
