// Command schemafloor is the benchmark's second floor: a
// terraform-plugin-framework provider whose provider block and one resource
// (schemafloor_pc_occupancy_order) have the schema of the alicloud provider
// and of alicloud_pc_occupancy_order, but which sends nothing. Create fills
// the computed values (a counter is the order ID) and stores state; Read,
// Update and Delete touch nothing but state. Like the alicloud provider, it
// switches the SDK's logs off unless TF_LOG* asks for them. So it costs
// what Terraform and the framework pay for that schema, and cmd/bench
// reports the alicloud provider's time as a ratio to it; the gap between
// this floor and cmd/bench/floorprovider (two attributes) is the schema's
// own cost.
//
// The schema is the real one's in names, types, optional/computed,
// sensitivity, defaults, the timeouts block and the library validators,
// auto_renew and auto_renew_duration included. Descriptions are left out,
// and so are the provider's data source and its resource identity (which
// Terraform uses from 1.12 on; the benchmark's CLI is 1.11). The provider's
// own replacement rules are the framework's RequiresReplace here; its
// pricing_cycle default is a modifier that plans null, which is what
// alicloud plans for the benchmark's PostPaid orders; its cross-attribute
// and endpoint validators are left out. What they cost is the provider's
// own work, which the ratio to this floor measures.
package main

import (
	"context"
	"log"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/pcorder/terraform-provider-alicloud/cmd/bench/internal/sdklogs"
)

// Address is where the benchmark's Terraform CLI configuration finds it.
const Address = "registry.terraform.io/bench/schemafloor"

var _ provider.Provider = schemaFloorProvider{}

func main() {
	sdklogs.Silence() // as the alicloud provider does
	err := providerserver.Serve(context.Background(), func() provider.Provider { return schemaFloorProvider{} },
		providerserver.ServeOpts{Address: Address, ProtocolVersion: 6})
	if err != nil {
		log.Fatal(err)
	}
}

type schemaFloorProvider struct{}

// floorData is what Configure hands to the resource.
type floorData struct {
	region string
	orders *counter
}

func (schemaFloorProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "schemafloor"
}

var regionPattern = regexp.MustCompile(`^[a-z]{2,}(-[a-z0-9]+)+$`)

// Schema is the alicloud provider block's.
func (schemaFloorProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	optional := schema.StringAttribute{Optional: true}
	sensitive := schema.StringAttribute{Optional: true, Sensitive: true}
	sessionExpiration := schema.Int64Attribute{Optional: true, Validators: []validator.Int64{int64validator.Between(900, 43200)}}
	resp.Schema = schema.Schema{
		Attributes: map[string]schema.Attribute{
			"region": schema.StringAttribute{
				Optional:   true,
				Validators: []validator.String{stringvalidator.RegexMatches(regionPattern, "must be an Alibaba Cloud region ID such as cn-hangzhou")},
			},
			"access_key":     optional,
			"secret_key":     sensitive,
			"security_token": sensitive,
			"protocol": schema.StringAttribute{
				Optional:   true,
				Validators: []validator.String{stringvalidator.OneOf("HTTPS", "HTTP")},
			},
			"profile":                 optional,
			"shared_credentials_file": optional,
			"ecs_role_name":           optional,
			"skip_payment_check":      schema.BoolAttribute{Optional: true},
			"skip_circuit_check":      schema.BoolAttribute{Optional: true},
			"credentials_uri":         optional,
		},
		Blocks: map[string]schema.Block{
			"endpoints": schema.SingleNestedBlock{Attributes: map[string]schema.Attribute{
				"vpc":        optional,
				"bssopenapi": optional,
				"sts":        optional,
			}},
			"assume_role": schema.SingleNestedBlock{Attributes: map[string]schema.Attribute{
				"role_arn":           optional,
				"session_name":       optional,
				"policy":             optional,
				"session_expiration": sessionExpiration,
				"external_id":        optional,
			}},
			"assume_role_with_oidc": schema.SingleNestedBlock{Attributes: map[string]schema.Attribute{
				"oidc_provider_arn":  optional,
				"role_arn":           optional,
				"oidc_token":         sensitive,
				"oidc_token_file":    optional,
				"role_session_name":  optional,
				"policy":             optional,
				"session_expiration": sessionExpiration,
			}},
		},
	}
}

// Configure reads the region, for region_id, and nothing else.
func (schemaFloorProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var region types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("region"), &region)...)
	if resp.Diagnostics.HasError() {
		return
	}
	data := &floorData{region: region.ValueString(), orders: &counter{}}
	resp.ResourceData = data
}

func (schemaFloorProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{func() resource.Resource { return &occupancyOrder{} }}
}

func (schemaFloorProvider) DataSources(context.Context) []func() datasource.DataSource { return nil }
