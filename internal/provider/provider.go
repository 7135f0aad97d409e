// Package provider implements the alicloud Terraform provider with the
// terraform-plugin-framework. It maps configuration onto internal/client and
// the client's answers onto Terraform state.
package provider

import (
	"context"
	"net/http"
	"os"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/pcorder/terraform-provider-alicloud/internal/client"
)

// Address is where Terraform finds this provider.
const Address = "registry.terraform.io/pcorder/alicloud"

var _ provider.Provider = (*AlicloudProvider)(nil)

// Options are the provider's injected dependencies. The zero value is what
// `terraform` runs: the process environment, a new connection pool, random
// client tokens.
type Options struct {
	// Getenv reads the environment; nil means os.Getenv.
	Getenv func(string) string
	// HTTPClient is shared by every request; nil means a new one per
	// configured provider instance.
	HTTPClient *http.Client
	// Retry overrides the client's retry policy (tests shorten it).
	Retry client.RetryPolicy
	// SignatureAlgorithm is passed to the client ("" or "v2").
	SignatureAlgorithm string
	// PaymentWait, PaymentPoll and CircuitCheckWait override the bounds of
	// the provider's own checks (tests shorten them); zero means the default.
	PaymentWait, PaymentPoll, CircuitCheckWait time.Duration
	// OrderAgeSlack overrides how much earlier than its create the billing
	// system may date a new order; negative means none (tests).
	OrderAgeSlack time.Duration
}

// AlicloudProvider is the provider's implementation.
type AlicloudProvider struct {
	version string
	opts    Options
}

// New returns a constructor of the provider for providerserver.Serve.
func New(version string) func() provider.Provider {
	return NewWithOptions(version, Options{})
}

// NewWithOptions is New with injected dependencies, for tests.
func NewWithOptions(version string, opts Options) func() provider.Provider {
	if opts.Getenv == nil {
		opts.Getenv = os.Getenv
	}
	return func() provider.Provider {
		return &AlicloudProvider{version: version, opts: opts}
	}
}

func (p *AlicloudProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "alicloud"
	resp.Version = p.version
}

func (p *AlicloudProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = providerSchema()
}

func (p *AlicloudProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var cfg providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	data, diags := p.configure(ctx, cfg)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.ResourceData = data
	resp.DataSourceData = data
}

func (p *AlicloudProvider) Resources(_ context.Context) []func() resource.Resource {
	return []func() resource.Resource{NewPCOccupancyOrderResource}
}

func (p *AlicloudProvider) DataSources(_ context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{NewPCOccupancyOrderDataSource}
}
