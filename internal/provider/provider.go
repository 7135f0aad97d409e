// Package provider implements the alicloud Terraform provider with the
// terraform-plugin-framework. It maps configuration onto internal/client and
// the client's answers onto Terraform state.
package provider

import (
	"context"
	"errors"
	"net/http"
	"os"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
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
	envEndpointSTS   = []string{"ALIBABA_CLOUD_ENDPOINT_STS"}
	envProfile       = []string{"ALICLOUD_PROFILE", "ALIBABA_CLOUD_PROFILE"}
	envProfileFile   = []string{"ALICLOUD_SHARED_CREDENTIALS_FILE", "ALIBABA_CLOUD_CREDENTIALS_FILE"}
	envRoleARN       = []string{"ALICLOUD_ASSUME_ROLE_ARN", "ALIBABA_CLOUD_ROLE_ARN"}
	envSessionName   = []string{"ALICLOUD_ASSUME_ROLE_SESSION_NAME", "ALIBABA_CLOUD_ROLE_SESSION_NAME"}
	envOIDCProvider  = []string{"ALIBABA_CLOUD_OIDC_PROVIDER_ARN"}
	envOIDCRoleARN   = []string{"ALIBABA_CLOUD_ROLE_ARN"}
	envOIDCTokenFile = []string{"ALIBABA_CLOUD_OIDC_TOKEN_FILE"}
	envECSRoleName   = []string{"ALICLOUD_ECS_ROLE_NAME"}
	envCredsURI      = []string{"ALICLOUD_CREDENTIALS_URI", "ALIBABA_CLOUD_CREDENTIALS_URI"}
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

	Profile               types.String     `tfsdk:"profile"`
	SharedCredentialsFile types.String     `tfsdk:"shared_credentials_file"`
	ECSRoleName           types.String     `tfsdk:"ecs_role_name"`
	CredentialsURI        types.String     `tfsdk:"credentials_uri"`
	AssumeRole            *assumeRoleModel `tfsdk:"assume_role"`
	AssumeRoleWithOIDC    *oidcModel       `tfsdk:"assume_role_with_oidc"`
}

type endpointsModel struct {
	VPC types.String `tfsdk:"vpc"`
	STS types.String `tfsdk:"sts"`
}

type assumeRoleModel struct {
	RoleARN           types.String `tfsdk:"role_arn"`
	SessionName       types.String `tfsdk:"session_name"`
	Policy            types.String `tfsdk:"policy"`
	SessionExpiration types.Int64  `tfsdk:"session_expiration"`
	ExternalID        types.String `tfsdk:"external_id"`
}

type oidcModel struct {
	OIDCProviderARN   types.String `tfsdk:"oidc_provider_arn"`
	RoleARN           types.String `tfsdk:"role_arn"`
	OIDCToken         types.String `tfsdk:"oidc_token"`
	OIDCTokenFile     types.String `tfsdk:"oidc_token_file"`
	RoleSessionName   types.String `tfsdk:"role_session_name"`
	Policy            types.String `tfsdk:"policy"`
	SessionExpiration types.Int64  `tfsdk:"session_expiration"`
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
			"profile": schema.StringAttribute{
				MarkdownDescription: "The profile of the Alibaba Cloud CLI's configuration file to take credentials (and, failing all else, the region) from. " +
					"When it is not set here, `ALICLOUD_PROFILE` is read, then `ALIBABA_CLOUD_PROFILE`; the default is the file's `current` profile. " +
					"Profile modes `AK`, `StsToken`, `RamRoleArn`, `ChainableRamRoleArn`, `EcsRamRole`, `OIDC` and `External` are supported.",
				Optional: true,
			},
			"shared_credentials_file": schema.StringAttribute{
				MarkdownDescription: "The Alibaba Cloud CLI's configuration file. When it is not set here, `ALICLOUD_SHARED_CREDENTIALS_FILE` is read, " +
					"then `ALIBABA_CLOUD_CREDENTIALS_FILE`; the default is `~/.aliyun/config.json`, used only when it exists.",
				Optional: true,
			},
			"ecs_role_name": schema.StringAttribute{
				MarkdownDescription: "The RAM role of the ECS instance Terraform runs on, whose temporary credentials come from the instance metadata service. " +
					"When it is not set here, `ALICLOUD_ECS_ROLE_NAME` is read.",
				Optional: true,
			},
			"credentials_uri": schema.StringAttribute{
				MarkdownDescription: "A URL that answers temporary credentials as JSON (`AccessKeyId`, `AccessKeySecret`, `SecurityToken`, `Expiration`). " +
					"When it is not set here, `ALICLOUD_CREDENTIALS_URI` is read, then `ALIBABA_CLOUD_CREDENTIALS_URI`.",
				Optional: true,
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
					"sts": schema.StringAttribute{
						MarkdownDescription: "The STS endpoint for `assume_role`, `assume_role_with_oidc` and role-assuming profiles, as `host` or `host:port`. " +
							"STS is always called over HTTPS. When it is not set here, `ALIBABA_CLOUD_ENDPOINT_STS` is read; the default is `" + client.DefaultSTSEndpoint + "`.",
						Optional:   true,
						Validators: []validator.String{endpointValidator{}},
					},
				},
			},
			"assume_role": schema.SingleNestedBlock{
				MarkdownDescription: "Assume a RAM role (STS `AssumeRole`) with the credentials from any other source, and sign requests with the role's temporary credentials, " +
					"refreshed before they expire. Without this block, `ALICLOUD_ASSUME_ROLE_ARN` or `ALIBABA_CLOUD_ROLE_ARN` switches it on.",
				Attributes: map[string]schema.Attribute{
					"role_arn": schema.StringAttribute{
						MarkdownDescription: "The ARN of the role, such as `acs:ram::123456789012:role/terraform`. When it is not set here, `ALICLOUD_ASSUME_ROLE_ARN` is read, then `ALIBABA_CLOUD_ROLE_ARN`.",
						Optional:            true,
					},
					"session_name": schema.StringAttribute{
						MarkdownDescription: "The role session name. When it is not set here, `ALICLOUD_ASSUME_ROLE_SESSION_NAME` is read, then `ALIBABA_CLOUD_ROLE_SESSION_NAME`; the default is `terraform`.",
						Optional:            true,
					},
					"policy": schema.StringAttribute{
						MarkdownDescription: "A policy (JSON) that further restricts the role's permissions for this session.",
						Optional:            true,
					},
					"session_expiration": schema.Int64Attribute{
						MarkdownDescription: "The session's lifetime in seconds, 900-43200. Defaults to 3600.",
						Optional:            true,
						Validators:          []validator.Int64{int64validator.Between(900, 43200)},
					},
					"external_id": schema.StringAttribute{
						MarkdownDescription: "The external ID the role's trust policy requires, if any.",
						Optional:            true,
					},
				},
			},
			"assume_role_with_oidc": schema.SingleNestedBlock{
				MarkdownDescription: "Assume a RAM role with an OIDC token (STS `AssumeRoleWithOIDC`), as Kubernetes RRSA does. " +
					"Without this block, it is switched on when `ALIBABA_CLOUD_OIDC_PROVIDER_ARN`, `ALIBABA_CLOUD_ROLE_ARN` and `ALIBABA_CLOUD_OIDC_TOKEN_FILE` are all set.",
				Attributes: map[string]schema.Attribute{
					"oidc_provider_arn": schema.StringAttribute{
						MarkdownDescription: "The ARN of the OIDC identity provider. When it is not set here, `ALIBABA_CLOUD_OIDC_PROVIDER_ARN` is read.",
						Optional:            true,
					},
					"role_arn": schema.StringAttribute{
						MarkdownDescription: "The ARN of the role to assume. When it is not set here, `ALIBABA_CLOUD_ROLE_ARN` is read.",
						Optional:            true,
					},
					"oidc_token": schema.StringAttribute{
						MarkdownDescription: "The OIDC token itself. Prefer `oidc_token_file`, which is re-read when the token rotates.",
						Optional:            true,
						Sensitive:           true,
					},
					"oidc_token_file": schema.StringAttribute{
						MarkdownDescription: "A file holding the OIDC token. When neither this nor `oidc_token` is set here, `ALIBABA_CLOUD_OIDC_TOKEN_FILE` is read.",
						Optional:            true,
					},
					"role_session_name": schema.StringAttribute{
						MarkdownDescription: "The role session name. Defaults to `terraform`.",
						Optional:            true,
					},
					"policy": schema.StringAttribute{
						MarkdownDescription: "A policy (JSON) that further restricts the role's permissions for this session.",
						Optional:            true,
					},
					"session_expiration": schema.Int64Attribute{
						MarkdownDescription: "The session's lifetime in seconds, 900-43200. Defaults to 3600.",
						Optional:            true,
						Validators:          []validator.Int64{int64validator.Between(900, 43200)},
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

	resp.Diagnostics.Append(unknownValues(cfg)...)
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

	creds, profileRegion, diags := p.credentialConfig(cfg)
	resp.Diagnostics.Append(diags...)
	region := firstNonEmpty(p.lookup(cfg.Region, envRegion), profileRegion)
	endpoint := p.lookup(cfg.Endpoints.VPC, envEndpointVPC)
	protocol := cfg.Protocol.ValueString()

	if region == "" {
		resp.Diagnostics.AddAttributeError(path.Root("region"), "Missing Region",
			"The provider needs the region of the physical connections it orders for. "+
				"Set region in the provider block"+envAdvice(envRegion)+", or region_id in the profile used. There is no default region.")
	} else if !regionPattern.MatchString(region) {
		resp.Diagnostics.AddAttributeError(path.Root("region"), "Invalid Region",
			"The region "+quote(region)+" is not an Alibaba Cloud region ID such as cn-hangzhou.")
	}
	if endpoint != "" {
		if err := client.ValidateEndpoint(endpoint); err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("endpoints").AtName("vpc"), "Invalid VPC Endpoint",
				"The VPC endpoint (from the provider block"+envAdvice(envEndpointVPC)+") is invalid: "+err.Error()+".")
		}
	}
	if creds.STSEndpoint != "" {
		if err := client.ValidateEndpoint(creds.STSEndpoint); err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("endpoints").AtName("sts"), "Invalid STS Endpoint",
				"The STS endpoint (from the provider block"+envAdvice(envEndpointSTS)+") is invalid: "+err.Error()+".")
		}
	}
	if resp.Diagnostics.HasError() {
		return
	}

	secrets := nonEmpty(creds.SecretKey, creds.SecurityToken)
	if creds.OIDC != nil {
		secrets = append(secrets, nonEmpty(creds.OIDC.OIDCToken)...)
	}
	ctx = maskSecrets(ctx, secrets)

	cred, source, err := client.NewCredential(creds)
	if errors.Is(err, client.ErrNoCredentials) {
		resp.Diagnostics.AddError("No Credentials", noCredentialsDetail(creds.ProfileFile))
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Invalid Credentials", "The credentials could not be set up: "+client.Redact(err.Error())+".")
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
		"region":      region,
		"endpoint":    firstNonEmpty(endpoint, client.DefaultEndpoint(region)),
		"protocol":    firstNonEmpty(protocol, client.ProtocolHTTPS),
		"credentials": source,
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
