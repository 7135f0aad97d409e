// Package provider implements the alicloud Terraform provider with the
// terraform-plugin-framework. It maps configuration onto internal/client and
// the client's answers onto Terraform state.
package provider

import (
	"context"
	"net/http"
	"os"
	"strings"

	"github.com/aliyun/credentials-go/credentials"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/pcorder/terraform-provider-alicloud/internal/client"
)

// Address is where Terraform finds this provider.
const Address = "registry.terraform.io/pcorder/alicloud"

// Environment variables read by the provider, in order of precedence within
// each list. Configuration always wins over the environment.
var (
	envRegion        = []string{"ALICLOUD_REGION", "ALIBABA_CLOUD_REGION"}
	envAccessKey     = []string{"ALICLOUD_ACCESS_KEY", "ALIBABA_CLOUD_ACCESS_KEY_ID"}
	envSecretKey     = []string{"ALICLOUD_SECRET_KEY", "ALIBABA_CLOUD_ACCESS_KEY_SECRET"}
	envSecurityToken = []string{"ALICLOUD_SECURITY_TOKEN", "ALIBABA_CLOUD_SECURITY_TOKEN"}
	envEndpointVPC   = []string{"ALIBABA_CLOUD_ENDPOINT_VPC"}
)

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
	// NewToken makes a client token for a create that has none configured;
	// nil means a random UUID.
	NewToken func() (string, error)
	// Retry overrides the client's retry policy (tests shorten it).
	Retry client.RetryPolicy
	// SignatureAlgorithm is passed to the client ("" or "v2").
	SignatureAlgorithm string
}

// AlicloudProvider is the provider's implementation.
type AlicloudProvider struct {
	version string
	opts    Options
}

// providerModel is the provider block.
type providerModel struct {
	Region        types.String    `tfsdk:"region"`
	AccessKey     types.String    `tfsdk:"access_key"`
	SecretKey     types.String    `tfsdk:"secret_key"`
	SecurityToken types.String    `tfsdk:"security_token"`
	Protocol      types.String    `tfsdk:"protocol"`
	Endpoints     *endpointsModel `tfsdk:"endpoints"`
}

type endpointsModel struct {
	VPC types.String `tfsdk:"vpc"`
}

// providerData is what Configure hands to resources.
type providerData struct {
	client   *client.Client
	region   string
	newToken func() (string, error)
	// secrets are masked in every log line and field of a request.
	secrets []string
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
	if opts.NewToken == nil {
		opts.NewToken = newUUID
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
	resp.Schema = schema.Schema{
		MarkdownDescription: "The `alicloud` provider orders Alibaba Cloud Express Connect capacity. " +
			"It signs requests to the VPC API (version 2016-04-28) with Alibaba Cloud's own SDK. " +
			"Every argument may instead come from the environment variables named below; " +
			"a value in the provider block always wins over the environment.",
		Attributes: map[string]schema.Attribute{
			"region": schema.StringAttribute{
				MarkdownDescription: "The region of the physical connections this provider orders for, such as `cn-hangzhou`. " +
					"Required in effect: when it is not set here, `ALICLOUD_REGION` is read, then `ALIBABA_CLOUD_REGION`; " +
					"if none is set, every plan fails. There is no default region, because orders cost money.",
				Optional:   true,
				Validators: []validator.String{stringvalidator.RegexMatches(regionPattern, "must be an Alibaba Cloud region ID such as cn-hangzhou")},
			},
			"access_key": schema.StringAttribute{
				MarkdownDescription: "The AccessKey ID. When it is not set here, `ALICLOUD_ACCESS_KEY` is read, then `ALIBABA_CLOUD_ACCESS_KEY_ID`.",
				Optional:            true,
			},
			"secret_key": schema.StringAttribute{
				MarkdownDescription: "The AccessKey secret. When it is not set here, `ALICLOUD_SECRET_KEY` is read, then `ALIBABA_CLOUD_ACCESS_KEY_SECRET`. " +
					"It is never written to logs, diagnostics or state.",
				Optional:  true,
				Sensitive: true,
			},
			"security_token": schema.StringAttribute{
				MarkdownDescription: "The security token of temporary (STS) credentials, sent with `access_key` and `secret_key`. " +
					"When it is not set here, `ALICLOUD_SECURITY_TOKEN` is read, then `ALIBABA_CLOUD_SECURITY_TOKEN`. " +
					"It is never written to logs, diagnostics or state.",
				Optional:  true,
				Sensitive: true,
			},
			"protocol": schema.StringAttribute{
				MarkdownDescription: "The protocol of API requests: `HTTPS` (the default) or `HTTP`. TLS certificates are always verified.",
				Optional:            true,
				Validators:          []validator.String{stringvalidator.OneOf(client.ProtocolHTTPS, client.ProtocolHTTP)},
			},
		},
		Blocks: map[string]schema.Block{
			"endpoints": schema.SingleNestedBlock{
				MarkdownDescription: "Overrides of API endpoints, for private endpoints, proxies and tests.",
				Attributes: map[string]schema.Attribute{
					"vpc": schema.StringAttribute{
						MarkdownDescription: "The VPC API endpoint as `host` or `host:port`, without a scheme. " +
							"When it is not set here, `ALIBABA_CLOUD_ENDPOINT_VPC` is read; the default is `vpc.<region>.aliyuncs.com`.",
						Optional:   true,
						Validators: []validator.String{endpointValidator{}},
					},
				},
			},
		},
	}
}

func (p *AlicloudProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var cfg providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if cfg.Endpoints == nil {
		cfg.Endpoints = &endpointsModel{}
	}

	// A value unknown at configure time (from a resource not yet created)
	// cannot be used: say which one.
	for _, a := range []struct {
		path path.Path
		v    types.String
		env  []string
	}{
		{path.Root("region"), cfg.Region, envRegion},
		{path.Root("access_key"), cfg.AccessKey, envAccessKey},
		{path.Root("secret_key"), cfg.SecretKey, envSecretKey},
		{path.Root("security_token"), cfg.SecurityToken, envSecurityToken},
		{path.Root("protocol"), cfg.Protocol, nil},
		{path.Root("endpoints").AtName("vpc"), cfg.Endpoints.VPC, envEndpointVPC},
	} {
		if a.v.IsUnknown() {
			resp.Diagnostics.AddAttributeError(a.path, "Unknown Provider Configuration Value",
				"The provider cannot be configured with a value that is only known after apply. "+
					"Set "+a.path.String()+" to a value known at plan time"+envAdvice(a.env)+", "+
					"or apply the resources it depends on first with -target.")
		}
	}
	if resp.Diagnostics.HasError() {
		return
	}

	if leaky := sdkDebugFlags(p.opts.Getenv("DEBUG")); leaky != "" {
		resp.Diagnostics.AddError("Unsafe DEBUG Environment Variable",
			"The environment variable DEBUG contains \""+leaky+"\", which makes Alibaba Cloud's SDK print every request "+
				"header, including the request signature and security token, to the provider's output. "+
				"Unset DEBUG, or remove \""+leaky+"\" from it, and use TF_LOG=DEBUG for the provider's own masked logs.")
		return
	}

	region := p.lookup(cfg.Region, envRegion)
	accessKey := p.lookup(cfg.AccessKey, envAccessKey)
	secretKey := p.lookup(cfg.SecretKey, envSecretKey)
	securityToken := p.lookup(cfg.SecurityToken, envSecurityToken)
	endpoint := p.lookup(cfg.Endpoints.VPC, envEndpointVPC)
	protocol := cfg.Protocol.ValueString()

	if region == "" {
		resp.Diagnostics.AddAttributeError(path.Root("region"), "Missing Region",
			"The provider needs the region of the physical connections it orders for. "+
				"Set region in the provider block"+envAdvice(envRegion)+". There is no default region.")
	} else if !regionPattern.MatchString(region) {
		resp.Diagnostics.AddAttributeError(path.Root("region"), "Invalid Region",
			"The region "+quote(region)+" is not an Alibaba Cloud region ID such as cn-hangzhou.")
	}
	if accessKey == "" {
		resp.Diagnostics.AddAttributeError(path.Root("access_key"), "Missing Access Key",
			"The provider needs an AccessKey ID. Set access_key in the provider block"+envAdvice(envAccessKey)+".")
	}
	if secretKey == "" {
		resp.Diagnostics.AddAttributeError(path.Root("secret_key"), "Missing Secret Key",
			"The provider needs an AccessKey secret. Set secret_key in the provider block"+envAdvice(envSecretKey)+".")
	}
	if endpoint != "" {
		if err := client.ValidateEndpoint(endpoint); err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("endpoints").AtName("vpc"), "Invalid VPC Endpoint",
				"The VPC endpoint (from the provider block"+envAdvice(envEndpointVPC)+") is invalid: "+err.Error()+".")
		}
	}
	if resp.Diagnostics.HasError() {
		return
	}

	secrets := nonEmpty(secretKey, securityToken)
	ctx = maskSecrets(ctx, secrets)

	credType := "access_key"
	if securityToken != "" {
		credType = "sts"
	}
	cred, err := credentials.NewCredential(&credentials.Config{
		Type:            &credType,
		AccessKeyId:     &accessKey,
		AccessKeySecret: &secretKey,
		SecurityToken:   &securityToken,
	})
	if err != nil {
		resp.Diagnostics.AddError("Invalid Credentials", "The credentials could not be set up: "+client.Redact(err.Error()))
		return
	}

	c, err := client.New(client.Config{
		RegionID:           region,
		Endpoint:           endpoint,
		Protocol:           protocol,
		Credential:         cred,
		HTTPClient:         p.opts.HTTPClient,
		UserAgent:          "terraform-provider-alicloud/" + p.version,
		SignatureAlgorithm: p.opts.SignatureAlgorithm,
		Retry:              p.opts.Retry,
		OnAttempt:          logAttempt,
	})
	if err != nil {
		resp.Diagnostics.AddError("Invalid Provider Configuration", client.Redact(err.Error()))
		return
	}
	tflog.Debug(ctx, "configured provider", map[string]any{
		"region":   region,
		"endpoint": firstNonEmpty(endpoint, client.DefaultEndpoint(region)),
		"protocol": firstNonEmpty(protocol, client.ProtocolHTTPS),
	})

	data := &providerData{client: c, region: region, newToken: p.opts.NewToken, secrets: secrets}
	resp.ResourceData = data
	resp.DataSourceData = data
}

func (p *AlicloudProvider) Resources(_ context.Context) []func() resource.Resource {
	return []func() resource.Resource{NewPCOccupancyOrderResource}
}

func (p *AlicloudProvider) DataSources(_ context.Context) []func() datasource.DataSource {
	return nil
}

// lookup returns the configured value, else the first environment variable
// that is set.
func (p *AlicloudProvider) lookup(v types.String, env []string) string {
	if !v.IsNull() && !v.IsUnknown() {
		return v.ValueString()
	}
	for _, name := range env {
		if s := p.opts.Getenv(name); s != "" {
			return s
		}
	}
	return ""
}

func envAdvice(env []string) string {
	switch len(env) {
	case 0:
		return ""
	case 1:
		return " or the environment variable " + env[0]
	default:
		return " or one of the environment variables " + strings.Join(env, ", ")
	}
}

// sdkDebugFlags returns the first entry of DEBUG that turns on the SDK's or
// credentials-go's own request dumps, which print signatures and tokens.
func sdkDebugFlags(debug string) string {
	for _, part := range strings.Split(debug, ",") {
		switch strings.TrimSpace(part) {
		case "dara", "tea", "credential":
			return strings.TrimSpace(part)
		}
	}
	return ""
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

func quote(s string) string { return "\"" + s + "\"" }
