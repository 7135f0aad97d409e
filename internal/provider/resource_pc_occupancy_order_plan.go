package provider

import (
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// ModifyPlan runs for the plans that place an order and for the plan that
// records an import.
//
// An order is placed only by a plan with no prior state: a create, or the
// create half of a replacement, which Terraform plans again with a null
// prior state after the schema's plan modifiers asked for a replacement.
// So the schema's "replace unless imported" modifiers are the one list of
// what places a new order, and this method needs no second one. For such a
// plan it derives the client token, stops a second order for a circuit
// this plan already orders, and checks the circuit.
func (r *pcOccupancyOrderResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if r.data == nil || req.Plan.Raw.IsNull() {
		return
	}
	if !req.State.Raw.IsNull() {
		r.checkImportedCircuit(ctx, req, resp)
		return
	}
	values, diags := planValues(ctx, req.Plan, modifyPlanAttributes)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	inputs, planned := values[:len(tokenAttributes)], values[len(tokenAttributes)]
	var configured types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("client_token"), &configured)...)
	if configured.IsNull() && planned.IsUnknown() {
		if token, ok := derivedToken(r.data.region, inputs); ok {
			resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("client_token"), token)...)
		}
	}
	pcID, ok := inputs[0].(types.String) // tokenAttributes starts with physical_connection_id
	if !ok {
		// Never skip the checks below quietly: they stop a second order.
		resp.Diagnostics.AddError("Error Reading Plan", fmt.Sprintf("physical_connection_id was read as %T, not a string. "+
			"Nothing was ordered. This is a bug in the provider; please report it.", inputs[0]))
		return
	}
	if pcID.IsUnknown() || pcID.IsNull() {
		return
	}
	id := pcID.ValueString()
	if !r.data.planned.claim(id) {
		resp.Diagnostics.AddAttributeError(path.Root("physical_connection_id"), "Two Orders For One Physical Connection",
			fmt.Sprintf("This plan would place two occupancy-fee orders for physical connection %s in %s: another alicloud_pc_occupancy_order "+
				"(or another instance of this one's count or for_each) orders the same circuit. A circuit takes one occupancy order, and each order costs money. "+
				"Give each resource its own physical_connection_id, or remove the duplicate. Nothing was ordered.", id, r.data.region))
		return
	}
	r.checkCircuit(ctx, id, resp)
}

// modifyPlanAttributes are what ModifyPlan reads of a plan that places an
// order: the token's inputs and client_token, and nothing more (planValues).
var modifyPlanAttributes = slices.Concat(tokenAttributes, []string{"client_token"})

// checkImportedCircuit refuses a plan that would record an imported order
// under another circuit than the one it was imported for: an order cannot
// move to another circuit, and recording the configuration's circuit in
// place would claim an order that was never placed for it.
func (r *pcOccupancyOrderResource) checkImportedCircuit(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if !importPending(ctx, req.State) {
		return
	}
	var imported, configured types.String
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("physical_connection_id"), &imported)...)
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("physical_connection_id"), &configured)...)
	if resp.Diagnostics.HasError() || configured.IsUnknown() || imported.Equal(configured) {
		return
	}
	var orderID types.String
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("order_id"), &orderID)...)
	resp.Diagnostics.AddAttributeError(path.Root("physical_connection_id"), "Imported Order Is For Another Physical Connection",
		fmt.Sprintf("Order %s was imported for physical connection %s, but the configuration says %s. An order cannot move to another circuit. "+
			"Set physical_connection_id = %q to adopt this order, or import the order of %s instead. Nothing was ordered or recorded.",
			orderID.ValueString(), imported.ValueString(), configured.ValueString(), imported.ValueString(), configured.ValueString()))
}

// idSet is a set of IDs shared by the calls of one provider process.
type idSet struct {
	mu  sync.Mutex
	ids map[string]bool
}

// claim adds id and reports whether it was not in the set.
func (s *idSet) claim(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ids[id] {
		return false
	}
	if s.ids == nil {
		s.ids = make(map[string]bool)
	}
	s.ids[id] = true
	return true
}

// has reports whether id is in the set.
func (s *idSet) has(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.ids[id]
}
