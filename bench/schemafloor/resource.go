package main

import (
	"context"
	"fmt"
	"sync/atomic"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	alicloud "github.com/pcorder/terraform-provider-alicloud/internal/provider"
)

var (
	_ resource.Resource              = (*occupancyOrder)(nil)
	_ resource.ResourceWithConfigure = (*occupancyOrder)(nil)
	_ resource.ResourceWithIdentity  = (*occupancyOrder)(nil)
)

// counter numbers the orders of one provider process.
type counter struct{ n atomic.Int64 }

func (c *counter) next() int64 { return c.n.Add(1) }

// occupancyOrder is schemafloor_pc_occupancy_order.
type occupancyOrder struct {
	data *floorData
}

type occupancyOrderModel struct {
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

func (r *occupancyOrder) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_pc_occupancy_order"
}

// Schema is alicloud_pc_occupancy_order's, taken from the resource itself.
func (r *occupancyOrder) Schema(ctx context.Context, req resource.SchemaRequest, resp *resource.SchemaResponse) {
	alicloud.NewPCOccupancyOrderResource().Schema(ctx, req, resp)
}

// IdentitySchema is alicloud_pc_occupancy_order's, taken from the resource
// itself.
func (r *occupancyOrder) IdentitySchema(ctx context.Context, req resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	if r, ok := alicloud.NewPCOccupancyOrderResource().(resource.ResourceWithIdentity); ok {
		r.IdentitySchema(ctx, req, resp)
	}
}

// identity is the resource's identity.
type identity struct {
	PhysicalConnectionID types.String `tfsdk:"physical_connection_id"`
	OrderID              types.String `tfsdk:"order_id"`
}

func (r *occupancyOrder) Configure(_ context.Context, req resource.ConfigureRequest, _ *resource.ConfigureResponse) {
	if data, ok := req.ProviderData.(*floorData); ok {
		r.data = data
	}
}

// Create sends nothing: it fills the computed values and stores state.
func (r *occupancyOrder) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan occupancyOrderModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if r.data == nil {
		resp.Diagnostics.AddError("Provider Not Configured", "The provider was not configured before the resource was created.")
		return
	}
	// Values of the lengths the API and the provider give them: a
	// 15-digit order number, a request ID in the API's form, a derived
	// token, so that the state weighs what alicloud's does.
	n := r.data.orders.next()
	orderID := fmt.Sprintf("%015d", 203167309740000+n)
	plan.ID = types.StringValue(orderID)
	plan.OrderID = types.StringValue(orderID)
	plan.RequestID = types.StringValue(fmt.Sprintf("F1000000-0000-4000-8000-%012d", n))
	plan.RegionID = types.StringValue(r.data.region)
	if plan.ClientToken.IsUnknown() {
		plan.ClientToken = types.StringValue(fmt.Sprintf("tf1-%032x", n))
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	resp.Diagnostics.Append(resp.Identity.Set(ctx, identity{plan.PhysicalConnectionID, plan.OrderID})...)
}

// Read is state-only, and leaves the state as it is. A resource with an
// identity must return one: a CLI before Terraform 1.12 sends none, so it is
// set from the two attributes that make it.
func (r *occupancyOrder) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	if resp.Identity == nil || !resp.Identity.Raw.IsFullyNull() {
		return
	}
	var id identity
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("physical_connection_id"), &id.PhysicalConnectionID)...)
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("order_id"), &id.OrderID)...)
	if !resp.Diagnostics.HasError() {
		resp.Diagnostics.Append(resp.Identity.Set(ctx, id)...)
	}
}

// Update is state-only: every argument but the timeouts forces a new order.
func (r *occupancyOrder) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan occupancyOrderModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	resp.Diagnostics.Append(resp.Identity.Set(ctx, identity{plan.PhysicalConnectionID, plan.OrderID})...)
}

// Delete is state-only: the framework removes the resource from state.
func (r *occupancyOrder) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {}
