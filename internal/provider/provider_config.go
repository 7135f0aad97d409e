package provider

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/pcorder/terraform-provider-alicloud/internal/client"
)

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
	envEndpointBSS   = []string{"ALIBABA_CLOUD_ENDPOINT_BSSOPENAPI"}
	envSkipPayment   = []string{"ALICLOUD_SKIP_PAYMENT_CHECK"}
	envSkipCircuit   = []string{"ALICLOUD_SKIP_CIRCUIT_CHECK"}
)

// Bounds of the provider's own checks. Neither can fail a plan or an apply
// because of its own failure; these keep them short.
const (
	// paymentWait is how long a create asks the billing API whether an
	// auto-paid order was paid: the billing system may lag a few seconds
	// behind the order.
	paymentWait     = 30 * time.Second
	paymentWaitText = "30 seconds"
	// paymentPoll is the wait between two questions.
	paymentPoll = 2 * time.Second
	// circuitCheckWait bounds the plan-time circuit lookup, retries of
	// throttling included.
	circuitCheckWait = 15 * time.Second
)

// providerData is what Configure hands to resources and data sources.
type providerData struct {
	client   *client.Client
	region   string
	newToken func() (string, error)
	// secrets are masked in every log line and field of a request.
	secrets []string

	// checkPayment: ask the billing API after an auto-paid order.
	checkPayment             bool
	paymentWait, paymentPoll time.Duration
	// circuits answers the plan-time circuit check; nil when skipped.
	circuits *client.CircuitLookup
}

// configure maps the provider block and the environment onto a client.
func (p *AlicloudProvider) configure(ctx context.Context, cfg providerModel) (*providerData, diag.Diagnostics) {
	var diags diag.Diagnostics
	if cfg.Endpoints == nil {
		cfg.Endpoints = &endpointsModel{}
	}
	diags.Append(unknownValues(cfg)...)
	if diags.HasError() {
		return nil, diags
	}
	if leaky := sdkDebugFlags(p.opts.Getenv("DEBUG")); leaky != "" {
		diags.AddError("Unsafe DEBUG Environment Variable",
			"The environment variable DEBUG contains \""+leaky+"\", which makes Alibaba Cloud's SDK print every request "+
				"header, including the request signature and security token, to the provider's output. "+
				"Unset DEBUG, or remove \""+leaky+"\" from it, and use TF_LOG=DEBUG for the provider's own masked logs.")
		return nil, diags
	}

	creds, profileRegion, credDiags := p.credentialConfig(cfg)
	diags.Append(credDiags...)
	region := firstNonEmpty(p.lookup(cfg.Region, envRegion), profileRegion)
	endpoint := p.lookup(cfg.Endpoints.VPC, envEndpointVPC)
	billingEndpoint := p.lookup(cfg.Endpoints.BSSOpenAPI, envEndpointBSS)
	protocol := cfg.Protocol.ValueString()
	skipPayment := p.lookupBool(&diags, path.Root("skip_payment_check"), cfg.SkipPaymentCheck, envSkipPayment)
	skipCircuit := p.lookupBool(&diags, path.Root("skip_circuit_check"), cfg.SkipCircuitCheck, envSkipCircuit)

	if region == "" {
		diags.AddAttributeError(path.Root("region"), "Missing Region",
			"The provider needs the region of the physical connections it orders for. "+
				"Set region in the provider block"+envAdvice(envRegion)+", or region_id in the profile used. There is no default region.")
	} else if !regionPattern.MatchString(region) {
		diags.AddAttributeError(path.Root("region"), "Invalid Region",
			"The region "+quote(region)+" is not an Alibaba Cloud region ID such as cn-hangzhou.")
	}
	checkEndpoint(&diags, "vpc", "VPC", endpoint, envEndpointVPC)
	checkEndpoint(&diags, "sts", "STS", creds.STSEndpoint, envEndpointSTS)
	checkEndpoint(&diags, "bssopenapi", "Billing", billingEndpoint, envEndpointBSS)
	if diags.HasError() {
		return nil, diags
	}

	secrets := nonEmpty(creds.SecretKey, creds.SecurityToken)
	if creds.OIDC != nil {
		secrets = append(secrets, nonEmpty(creds.OIDC.OIDCToken)...)
	}
	ctx = maskSecrets(ctx, secrets)

	cred, source, err := client.NewCredential(creds)
	if errors.Is(err, client.ErrNoCredentials) {
		diags.AddError("No Credentials", noCredentialsDetail(creds.ProfileFile))
		return nil, diags
	}
	if err != nil {
		diags.AddError("Invalid Credentials", "The credentials could not be set up: "+client.Redact(err.Error())+".")
		return nil, diags
	}

	c, err := client.New(client.Config{
		RegionID:           region,
		Endpoint:           endpoint,
		BillingEndpoint:    billingEndpoint,
		Protocol:           protocol,
		Credential:         cred,
		HTTPClient:         p.opts.HTTPClient,
		UserAgent:          "terraform-provider-alicloud/" + p.version,
		SignatureAlgorithm: p.opts.SignatureAlgorithm,
		Retry:              p.opts.Retry,
		OnAttempt:          logAttempt,
	})
	if err != nil {
		diags.AddError("Invalid Provider Configuration", client.Redact(err.Error()))
		return nil, diags
	}
	tflog.Debug(ctx, "configured provider", map[string]any{
		"region":             region,
		"endpoint":           c.Endpoint(),
		"protocol":           c.Protocol(),
		"credentials":        source,
		"skip_payment_check": skipPayment,
		"skip_circuit_check": skipCircuit,
	})
	data := &providerData{
		client: c, region: region, newToken: p.opts.NewToken, secrets: secrets,
		checkPayment: !skipPayment,
		paymentWait:  orDefault(p.opts.PaymentWait, paymentWait),
		paymentPoll:  orDefault(p.opts.PaymentPoll, paymentPoll),
	}
	if !skipCircuit {
		data.circuits = c.NewCircuitLookup(orDefault(p.opts.CircuitCheckWait, circuitCheckWait))
	}
	return data, diags
}

// lookupBool returns the configured value, else the first environment
// variable that is set ("true" or "false", as strconv.ParseBool reads it).
func (p *AlicloudProvider) lookupBool(diags *diag.Diagnostics, at path.Path, v types.Bool, env []string) bool {
	if !v.IsNull() && !v.IsUnknown() {
		return v.ValueBool()
	}
	for _, name := range env {
		s := p.opts.Getenv(name)
		if s == "" {
			continue
		}
		b, err := strconv.ParseBool(s)
		if err != nil {
			diags.AddAttributeError(at, "Invalid Environment Variable",
				"The environment variable "+name+" is "+quote(s)+"; it must be true or false.")
		}
		return b
	}
	return false
}

// checkEndpoint reports an endpoint (from the endpoints block or its
// environment variable) that is not host[:port].
func checkEndpoint(diags *diag.Diagnostics, attr, product, endpoint string, env []string) {
	if endpoint == "" {
		return
	}
	if err := client.ValidateEndpoint(endpoint); err != nil {
		diags.AddAttributeError(path.Root("endpoints").AtName(attr), "Invalid "+product+" Endpoint",
			"The "+product+" endpoint (from the provider block"+envAdvice(env)+") is invalid: "+err.Error()+".")
	}
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

// envAdvice names the environment variables that stand in for an argument,
// as the end of a sentence.
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

// unknownValues reports every provider argument that is only known after
// apply: the provider cannot be configured with it. The error names the
// argument and the environment variables that can stand in for it.
func unknownValues(cfg providerModel) diag.Diagnostics {
	type arg struct {
		path path.Path
		v    attr.Value
		env  []string
	}
	args := []arg{
		{path.Root("region"), cfg.Region, envRegion},
		{path.Root("access_key"), cfg.AccessKey, envAccessKey},
		{path.Root("secret_key"), cfg.SecretKey, envSecretKey},
		{path.Root("security_token"), cfg.SecurityToken, envSecurityToken},
		{path.Root("protocol"), cfg.Protocol, nil},
		{path.Root("profile"), cfg.Profile, envProfile},
		{path.Root("shared_credentials_file"), cfg.SharedCredentialsFile, envProfileFile},
		{path.Root("ecs_role_name"), cfg.ECSRoleName, envECSRoleName},
		{path.Root("credentials_uri"), cfg.CredentialsURI, envCredsURI},
		{path.Root("endpoints").AtName("vpc"), cfg.Endpoints.VPC, envEndpointVPC},
		{path.Root("endpoints").AtName("sts"), cfg.Endpoints.STS, envEndpointSTS},
		{path.Root("endpoints").AtName("bssopenapi"), cfg.Endpoints.BSSOpenAPI, envEndpointBSS},
		{path.Root("skip_payment_check"), cfg.SkipPaymentCheck, envSkipPayment},
		{path.Root("skip_circuit_check"), cfg.SkipCircuitCheck, envSkipCircuit},
	}
	if ar := cfg.AssumeRole; ar != nil {
		b := path.Root("assume_role")
		args = append(args, arg{b.AtName("role_arn"), ar.RoleARN, envRoleARN}, arg{b.AtName("session_name"), ar.SessionName, envSessionName},
			arg{b.AtName("policy"), ar.Policy, nil}, arg{b.AtName("session_expiration"), ar.SessionExpiration, nil}, arg{b.AtName("external_id"), ar.ExternalID, nil})
	}
	if o := cfg.AssumeRoleWithOIDC; o != nil {
		b := path.Root("assume_role_with_oidc")
		args = append(args, arg{b.AtName("oidc_provider_arn"), o.OIDCProviderARN, envOIDCProvider}, arg{b.AtName("role_arn"), o.RoleARN, envOIDCRoleARN},
			arg{b.AtName("oidc_token"), o.OIDCToken, nil}, arg{b.AtName("oidc_token_file"), o.OIDCTokenFile, envOIDCTokenFile},
			arg{b.AtName("role_session_name"), o.RoleSessionName, nil}, arg{b.AtName("policy"), o.Policy, nil}, arg{b.AtName("session_expiration"), o.SessionExpiration, nil})
	}
	var diags diag.Diagnostics
	for _, a := range args {
		if a.v.IsUnknown() {
			diags.AddAttributeError(a.path, "Unknown Provider Configuration Value",
				"The provider cannot be configured with a value that is only known after apply. "+
					"Set "+a.path.String()+" to a value known at plan time"+envAdvice(a.env)+", "+
					"or apply the resources it depends on first with -target.")
		}
	}
	return diags
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

// orDefault returns v, or d when v is the zero value.
func orDefault[T comparable](v, d T) T {
	var zero T
	if v == zero {
		return d
	}
	return v
}
