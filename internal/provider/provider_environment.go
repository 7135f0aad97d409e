package provider

import (
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
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
