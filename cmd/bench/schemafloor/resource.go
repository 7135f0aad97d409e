package main

import (
	"context"
	"regexp"
	"strconv"
	"sync/atomic"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var (
	_ resource.Resource              = (*occupancyOrder)(nil)
	_ resource.ResourceWithConfigure = (*occupancyOrder)(nil)
)

var (
	physicalConnectionIDPattern = regexp.MustCompile(`^pc-[a-z0-9]+$`)
	clientTokenPattern          = regexp.MustCompile(`^[\x20-\x7e]+$`)
)

// counter numbers the orders of one provider process.
type counter struct{ n atomic.Int64 }

func (c *counter) next() string { return strconv.FormatInt(c.n.Add(1), 10) }

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

// Schema is alicloud_pc_occupancy_order's, with auto_renew and
// auto_renew_duration.
func (r *occupancyOrder) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	serverAssigned := schema.StringAttribute{Computed: true, PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()}}
	replaceString := []planmodifier.String{stringplanmodifier.RequiresReplace()}
	resp.Schema = schema.Schema{
		Attributes: map[string]schema.Attribute{
			"id":       serverAssigned,
			"order_id": serverAssigned,
			"physical_connection_id": schema.StringAttribute{
				Required:      true,
				Validators:    []validator.String{stringvalidator.RegexMatches(physicalConnectionIDPattern, "must be \"pc-\" followed by lower-case letters and digits")},
				PlanModifiers: replaceString,
			},
			"auto_pay": schema.BoolAttribute{
				Optional:      true,
				Computed:      true,
				Default:       booldefault.StaticBool(true),
				PlanModifiers: []planmodifier.Bool{boolplanmodifier.RequiresReplace()},
			},
			"instance_charge_type": schema.StringAttribute{
				Optional:      true,
				Computed:      true,
				Default:       stringdefault.StaticString("PostPaid"),
				Validators:    []validator.String{stringvalidator.OneOf("PrePaid", "PostPaid")},
				PlanModifiers: replaceString,
			},
			"period": schema.Int64Attribute{
				Optional:      true,
				Validators:    []validator.Int64{int64validator.Between(1, 9)},
				PlanModifiers: []planmodifier.Int64{int64planmodifier.RequiresReplace()},
			},
			"pricing_cycle": schema.StringAttribute{
				Optional:      true,
				Computed:      true,
				Validators:    []validator.String{stringvalidator.OneOf("Month", "Year")},
				PlanModifiers: []planmodifier.String{nullWhenUnset{}, stringplanmodifier.RequiresReplace()},
			},
			"auto_renew": schema.BoolAttribute{
				Optional:      true,
				PlanModifiers: []planmodifier.Bool{boolplanmodifier.RequiresReplace()},
			},
			"auto_renew_duration": schema.Int64Attribute{
				Optional:      true,
				Validators:    []validator.Int64{int64validator.Between(1, 12)},
				PlanModifiers: []planmodifier.Int64{int64planmodifier.RequiresReplace()},
			},
			"client_token": schema.StringAttribute{
				Optional: true,
				Computed: true,
				Validators: []validator.String{
					stringvalidator.LengthBetween(1, 64),
					stringvalidator.RegexMatches(clientTokenPattern, "must contain only printable ASCII characters"),
				},
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown(), stringplanmodifier.RequiresReplace()},
			},
			"request_id": serverAssigned,
			"region_id":  serverAssigned,
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{Create: true}),
		},
	}
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
	orderID := r.data.orders.next()
	plan.ID = types.StringValue(orderID)
	plan.OrderID = types.StringValue(orderID)
	plan.RequestID = types.StringValue("floor-request-" + orderID)
	plan.RegionID = types.StringValue(r.data.region)
	if plan.ClientToken.IsUnknown() {
		plan.ClientToken = types.StringValue("floor-token-" + orderID)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

// Read is state-only, and leaves the state as it is.
func (r *occupancyOrder) Read(context.Context, resource.ReadRequest, *resource.ReadResponse) {}

// Update is state-only: every argument but the timeouts forces a new order.
func (r *occupancyOrder) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan occupancyOrderModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

// Delete is state-only: the framework removes the resource from state.
func (r *occupancyOrder) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {}

// nullWhenUnset plans null for an unset pricing_cycle, as alicloud's
// default does for a PostPaid order (the only kind the benchmark places),
// so that both providers plan the same values.
type nullWhenUnset struct{}

var _ planmodifier.String = nullWhenUnset{}

func (nullWhenUnset) Description(context.Context) string { return "null when not configured" }

func (m nullWhenUnset) MarkdownDescription(ctx context.Context) string { return m.Description(ctx) }

func (nullWhenUnset) PlanModifyString(_ context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) {
	if req.ConfigValue.IsNull() && !req.Plan.Raw.IsNull() {
		resp.PlanValue = types.StringNull()
	}
}
