package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// pcOccupancyOrderIdentity is the resource's identity (Terraform 1.12+ and
// OpenTofu 1.12+): what names an order for `import` blocks.
type pcOccupancyOrderIdentity struct {
	PhysicalConnectionID types.String `tfsdk:"physical_connection_id"`
	OrderID              types.String `tfsdk:"order_id"`
}

func (r *pcOccupancyOrderResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"physical_connection_id": identityschema.StringAttribute{
				RequiredForImport: true,
				Description:       "The ID of the physical connection the order is for, such as pc-bp1hp0wr072f6ambni141.",
			},
			"order_id": identityschema.StringAttribute{
				RequiredForImport: true,
				Description:       "The order's decimal number, such as 203167309740138.",
			},
		},
	}
}

// setIdentity records the identity. The framework gives every method of a
// resource with an identity schema an identity to set, whatever the CLI
// supports (it drops it for a CLI without identity support).
func setIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity, diags *diag.Diagnostics, pcID, orderID types.String) {
	diags.Append(identity.Set(ctx, pcOccupancyOrderIdentity{PhysicalConnectionID: pcID, OrderID: orderID})...)
}
