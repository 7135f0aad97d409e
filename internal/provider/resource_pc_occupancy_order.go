package provider

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/pcorder/terraform-provider-alicloud/internal/client"
)

const defaultCreateTimeout = 10 * time.Minute

// The renewal terms auto_renew_duration accepts, in months.
const (
	minRenewMonths = 1
	maxRenewMonths = 12
)

var (
	_ resource.Resource                     = (*pcOccupancyOrderResource)(nil)
	_ resource.ResourceWithConfigure        = (*pcOccupancyOrderResource)(nil)
	_ resource.ResourceWithImportState      = (*pcOccupancyOrderResource)(nil)
	_ resource.ResourceWithConfigValidators = (*pcOccupancyOrderResource)(nil)
	_ resource.ResourceWithIdentity         = (*pcOccupancyOrderResource)(nil)
	_ resource.ResourceWithModifyPlan       = (*pcOccupancyOrderResource)(nil)
)

var (
	physicalConnectionIDPattern = regexp.MustCompile(`^pc-[a-z0-9]+$`)
	regionPattern               = regexp.MustCompile(`^[a-z]{2,}(-[a-z0-9]+)+$`)
	clientTokenPattern          = regexp.MustCompile(`^[\x20-\x7e]+$`)
	orderIDPattern              = regexp.MustCompile(`^[0-9]+$`)
)

// NewPCOccupancyOrderResource returns the alicloud_pc_occupancy_order resource.
func NewPCOccupancyOrderResource() resource.Resource {
	return &pcOccupancyOrderResource{}
}

type pcOccupancyOrderResource struct {
	data *providerData
}

type pcOccupancyOrderModel struct {
	ID                   types.String   `tfsdk:"id"`
	OrderID              types.String   `tfsdk:"order_id"`
	PhysicalConnectionID types.String   `tfsdk:"physical_connection_id"`
	AutoPay              types.Bool     `tfsdk:"auto_pay"`
	InstanceChargeType   types.String   `tfsdk:"instance_charge_type"`
	Period               types.Int64    `tfsdk:"period"`
	PricingCycle         types.String   `tfsdk:"pricing_cycle"`
	AutoRenew            types.Bool     `tfsdk:"auto_renew"`
	AutoRenewDuration    types.Int64    `tfsdk:"auto_renew_duration"`
	ClientToken          types.String   `tfsdk:"client_token"`
	RequestID            types.String   `tfsdk:"request_id"`
	RegionID             types.String   `tfsdk:"region_id"`
	Timeouts             timeouts.Value `tfsdk:"timeouts"`
}

func (r *pcOccupancyOrderResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_pc_occupancy_order"
}

func (r *pcOccupancyOrderResource) ConfigValidators(context.Context) []resource.ConfigValidator {
	return []resource.ConfigValidator{orderTermsValidator{}}
}

func (r *pcOccupancyOrderResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

func (r *pcOccupancyOrderResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan pcOccupancyOrderModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if r.data == nil {
		resp.Diagnostics.AddError("Provider Not Configured", notConfigured)
		return
	}
	ctx = maskSecrets(ctx, r.data.secrets)

	createTimeout, diags := plan.Timeouts.Create(ctx, defaultCreateTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}

	// Terraform plans again with every value known before it creates, and
	// ModifyPlan derives the token then; deriving it here as well only
	// matters to a plan that had no configured provider.
	token := plan.ClientToken.ValueString()
	if plan.ClientToken.IsUnknown() || plan.ClientToken.IsNull() {
		var ok bool
		if token, ok = derivedToken(r.data.region, plan.tokenInputs()); !ok {
			resp.Diagnostics.AddError("Error Creating Occupancy Order", "The client token could not be derived: an argument is still unknown when the order is placed. "+
				"No request was sent. This is a bug in the provider; please report it, and set client_token to apply meanwhile.")
			return
		}
	}

	in := client.OccupancyOrderInput{
		PhysicalConnectionID: plan.PhysicalConnectionID.ValueString(),
		AutoPay:              plan.AutoPay.ValueBool(),
		InstanceChargeType:   plan.InstanceChargeType.ValueString(),
		Period:               plan.Period.ValueInt64(),
		PricingCycle:         plan.PricingCycle.ValueString(),
		AutoRenew:            plan.AutoRenew.ValueBoolPointer(),
		AutoRenewDuration:    plan.AutoRenewDuration.ValueInt64(),
		ClientToken:          token,
	}
	tflog.Info(ctx, "placing occupancy order", map[string]any{
		"physical_connection_id": in.PhysicalConnectionID,
		"region_id":              r.data.region,
		"auto_pay":               in.AutoPay,
		"instance_charge_type":   in.InstanceChargeType,
		"period":                 in.Period,
		"pricing_cycle":          in.PricingCycle,
		"auto_renew":             plan.AutoRenew.String(),
		"auto_renew_duration":    in.AutoRenewDuration,
		"client_token":           in.ClientToken,
	})

	callCtx, cancel := context.WithTimeout(ctx, createTimeout)
	defer cancel()
	started := time.Now()
	order, err := r.data.client.CreateOccupancyOrder(callCtx, in)
	if err != nil {
		addCreateError(&resp.Diagnostics, err, in, r.data.client, createTimeout)
		return
	}
	tflog.Info(ctx, "placed occupancy order", map[string]any{"order_id": order.OrderID, "request_id": order.RequestID, "attempts": order.Attempts})

	plan.ID = types.StringValue(order.OrderID)
	plan.OrderID = types.StringValue(order.OrderID)
	plan.RequestID = types.StringValue(order.RequestID)
	plan.RegionID = types.StringValue(r.data.region)
	plan.ClientToken = types.StringValue(token)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		resp.Diagnostics.AddError("Occupancy Order Placed But Not Recorded",
			fmt.Sprintf("Order %s was placed for physical connection %s in %s, but could not be saved to state. It exists and is billed. %s",
				order.OrderID, in.PhysicalConnectionID, r.data.region, recoverOrder(in.PhysicalConnectionID, order.OrderID, token)))
		return
	}
	// The order is in state: from here on only warnings, or Terraform would
	// taint it and the next apply order again. Setting the identity fails
	// only if the model and the identity schema disagree on a type, which
	// every acceptance test would show; the framework then also reports
	// "Missing Resource Identity After Create", an error that taints.
	setIdentity(ctx, resp.Identity, &resp.Diagnostics, plan.PhysicalConnectionID, plan.OrderID)
	r.followOrder(callCtx, &resp.Diagnostics, order.OrderID, in, started)
}

// Read is state-only: the API has no call that reads an order back, and the
// order cannot change outside Terraform in a way this resource tracks. The
// framework starts the new state from the old, so nothing is decoded but
// what a missing identity needs: states written before identity existed,
// and CLIs that keep none (before Terraform 1.12), come without one, and
// gain it here from the two attributes that make it.
func (r *pcOccupancyOrderResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	if resp.Identity == nil || !resp.Identity.Raw.IsFullyNull() {
		return
	}
	var pcID, orderID types.String
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("physical_connection_id"), &pcID)...)
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("order_id"), &orderID)...)
	if resp.Diagnostics.HasError() {
		return
	}
	setIdentity(ctx, resp.Identity, &resp.Diagnostics, pcID, orderID)
}

// Update is state-only. Every argument forces a new order, so the only
// in-place changes are the timeouts and, after an import, recording the
// configuration's values in state.
func (r *pcOccupancyOrderResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan pcOccupancyOrderModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// Computed values an imported order cannot know stay empty.
	for _, v := range []*types.String{&plan.ClientToken, &plan.RequestID, &plan.RegionID, &plan.PricingCycle} {
		if v.IsUnknown() {
			*v = types.StringNull()
		}
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	setIdentity(ctx, resp.Identity, &resp.Diagnostics, plan.PhysicalConnectionID, plan.OrderID)
}

// Delete is state-only: the API cannot cancel an order.
func (r *pcOccupancyOrderResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state pcOccupancyOrderModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if r.data != nil {
		r.data.removed.claim(state.OrderID.ValueString())
	}
	resp.Diagnostics.AddWarning("Occupancy Order Not Cancelled",
		fmt.Sprintf("Order %s for physical connection %s was removed from Terraform state only. "+
			"Alibaba Cloud has no API to cancel it: it stays in your account and is billed as ordered. "+
			"Manage or void it in the Alibaba Cloud console (Expenses and Costs, Orders) if needed.",
			state.OrderID.ValueString(), state.PhysicalConnectionID.ValueString()))
}

// ImportState takes "<physical_connection_id>:<order_id>", or an import
// block's identity with both. The next plan records the configuration's
// other values in state in place, without a request and without replacing
// the order.
func (r *pcOccupancyOrderResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	var pcID, orderID string
	if req.ID != "" {
		var ok bool
		pcID, orderID, ok = strings.Cut(req.ID, ":")
		if !ok || !physicalConnectionIDPattern.MatchString(pcID) || !orderIDPattern.MatchString(orderID) {
			resp.Diagnostics.AddError("Invalid Import ID",
				fmt.Sprintf("The import ID %q must be <physical_connection_id>:<order_id>, such as pc-bp1hp0wr072f6ambni141:203167309740138.", req.ID))
			return
		}
	} else if req.Identity != nil {
		var id pcOccupancyOrderIdentity
		resp.Diagnostics.Append(req.Identity.Get(ctx, &id)...)
		if resp.Diagnostics.HasError() {
			return
		}
		pcID, orderID = id.PhysicalConnectionID.ValueString(), id.OrderID.ValueString()
		if !physicalConnectionIDPattern.MatchString(pcID) {
			resp.Diagnostics.AddAttributeError(path.Root("physical_connection_id"), "Invalid Import Identity",
				fmt.Sprintf("The identity's physical_connection_id %q must be \"pc-\" followed by lower-case letters and digits, such as pc-bp1hp0wr072f6ambni141.", pcID))
		}
		if !orderIDPattern.MatchString(orderID) {
			resp.Diagnostics.AddAttributeError(path.Root("order_id"), "Invalid Import Identity",
				fmt.Sprintf("The identity's order_id %q must be the order's decimal number, such as 203167309740138.", orderID))
		}
		if resp.Diagnostics.HasError() {
			return
		}
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), orderID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("order_id"), orderID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("physical_connection_id"), pcID)...)
	if r.data != nil {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("region_id"), r.data.region)...)
	}
	setIdentity(ctx, resp.Identity, &resp.Diagnostics, types.StringValue(pcID), types.StringValue(orderID))
}
