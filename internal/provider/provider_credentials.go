package provider

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/pcorder/terraform-provider-alicloud/internal/client"
)

// credentialConfig resolves every credential source from configuration,
// then environment, then the CLI profile, and returns the region of the
// profile in use (the last resort for region).
func (p *AlicloudProvider) credentialConfig(cfg providerModel) (client.CredentialConfig, string, diag.Diagnostics) {
	var diags diag.Diagnostics
	c := client.CredentialConfig{
		AccessKey:      p.lookup(cfg.AccessKey, envAccessKey),
		SecretKey:      p.lookup(cfg.SecretKey, envSecretKey),
		SecurityToken:  p.lookup(cfg.SecurityToken, envSecurityToken),
		ECSRoleName:    p.lookup(cfg.ECSRoleName, envECSRoleName),
		CredentialsURI: p.lookup(cfg.CredentialsURI, envCredsURI),
		Profile:        p.lookup(cfg.Profile, envProfile),
		STSEndpoint:    p.lookup(cfg.Endpoints.STS, envEndpointSTS),
	}
	if c.AccessKey == "" && c.SecretKey != "" {
		diags.AddAttributeError(path.Root("access_key"), "Missing Access Key",
			"secret_key is set but the AccessKey ID is not. Set access_key in the provider block"+envAdvice(envAccessKey)+".")
	}
	if c.AccessKey != "" && c.SecretKey == "" {
		diags.AddAttributeError(path.Root("secret_key"), "Missing Secret Key",
			"access_key is set but its secret is not. Set secret_key in the provider block"+envAdvice(envSecretKey)+".")
	}

	// OIDC: the block, or all three of its environment variables.
	oidcFromEnv := cfg.AssumeRoleWithOIDC == nil &&
		p.opts.Getenv(envOIDCProvider[0]) != "" && p.opts.Getenv(envOIDCRoleARN[0]) != "" && p.opts.Getenv(envOIDCTokenFile[0]) != ""
	if o := cfg.AssumeRoleWithOIDC; o != nil || oidcFromEnv {
		if o == nil {
			o = &oidcModel{}
		}
		c.OIDC = &client.OIDCConfig{
			OIDCProviderARN:   p.lookup(o.OIDCProviderARN, envOIDCProvider),
			RoleARN:           p.lookup(o.RoleARN, envOIDCRoleARN),
			OIDCToken:         o.OIDCToken.ValueString(),
			RoleSessionName:   o.RoleSessionName.ValueString(),
			Policy:            o.Policy.ValueString(),
			SessionExpiration: int(o.SessionExpiration.ValueInt64()),
		}
		if c.OIDC.OIDCToken == "" {
			c.OIDC.OIDCTokenFile = p.lookup(o.OIDCTokenFile, envOIDCTokenFile)
		}
		block := path.Root("assume_role_with_oidc")
		if c.OIDC.OIDCProviderARN == "" {
			diags.AddAttributeError(block.AtName("oidc_provider_arn"), "Missing OIDC Provider ARN",
				"assume_role_with_oidc needs oidc_provider_arn"+envAdvice(envOIDCProvider)+".")
		}
		if c.OIDC.RoleARN == "" {
			diags.AddAttributeError(block.AtName("role_arn"), "Missing Role ARN",
				"assume_role_with_oidc needs role_arn"+envAdvice(envOIDCRoleARN)+".")
		}
		if c.OIDC.OIDCToken == "" && c.OIDC.OIDCTokenFile != "" && p.opts.Getenv("ALIBABA_CLOUD_OIDC_TOKEN") != "" {
			// credentials-go reads this variable before any token file.
			diags.AddAttributeWarning(block.AtName("oidc_token_file"), "OIDC Token File Overridden By Environment",
				"ALIBABA_CLOUD_OIDC_TOKEN is set, and Alibaba Cloud's credentials library uses it instead of the token file "+
					quote(c.OIDC.OIDCTokenFile)+". Unset ALIBABA_CLOUD_OIDC_TOKEN to use the file.")
		}
		if c.OIDC.OIDCToken == "" && c.OIDC.OIDCTokenFile == "" {
			diags.AddAttributeError(block.AtName("oidc_token_file"), "Missing OIDC Token",
				"assume_role_with_oidc needs oidc_token or oidc_token_file"+envAdvice(envOIDCTokenFile)+".")
		}
	}

	// assume_role: the block, or a role ARN in the environment. When OIDC
	// came from the environment, ALIBABA_CLOUD_ROLE_ARN is its role.
	roleEnv := envRoleARN
	if oidcFromEnv {
		roleEnv = envRoleARN[:1]
	}
	if ar := cfg.AssumeRole; ar != nil || p.lookup(types.StringNull(), roleEnv) != "" {
		if ar == nil {
			ar = &assumeRoleModel{}
		}
		c.AssumeRole = &client.AssumeRoleConfig{
			RoleARN:           p.lookup(ar.RoleARN, roleEnv),
			SessionName:       p.lookup(ar.SessionName, envSessionName),
			Policy:            ar.Policy.ValueString(),
			ExternalID:        ar.ExternalID.ValueString(),
			SessionExpiration: int(ar.SessionExpiration.ValueInt64()),
		}
		if c.AssumeRole.RoleARN == "" {
			diags.AddAttributeError(path.Root("assume_role").AtName("role_arn"), "Missing Role ARN",
				"assume_role needs role_arn"+envAdvice(roleEnv)+".")
		}
	}

	// The CLI profile file: as configured, else the CLI's default when it
	// exists. A file or profile asked for by name must exist.
	file := p.lookup(cfg.SharedCredentialsFile, envProfileFile)
	explicit := file != "" || c.Profile != ""
	home := p.opts.Getenv("HOME")
	switch {
	case file == "" && home != "":
		file = filepath.Join(home, ".aliyun", "config.json")
	case strings.HasPrefix(file, "~/") && home != "":
		file = filepath.Join(home, file[2:])
	}
	var profileRegion string
	if file != "" {
		if _, err := os.Stat(file); err == nil {
			c.ProfileFile = file
		} else if explicit {
			diags.AddAttributeError(path.Root("shared_credentials_file"), "Shared Credentials File Not Found",
				"The Alibaba Cloud CLI configuration file "+quote(file)+" does not exist. Set shared_credentials_file"+envAdvice(envProfileFile)+
					" to the CLI's config.json, or remove profile.")
		}
	}
	profileIsSource := c.AccessKey == "" && c.OIDC == nil && c.ECSRoleName == "" && c.CredentialsURI == ""
	if c.ProfileFile != "" && (explicit || profileIsSource) {
		// Read once: NewCredential takes the content from here.
		if f, err := client.LoadProfileFile(c.ProfileFile); err == nil {
			c.Profiles = f
			if prof, err := f.Lookup(firstNonEmpty(c.Profile, f.Current)); err == nil {
				profileRegion = prof.RegionID
			}
		}
	}
	return c, profileRegion, diags
}

// noCredentialsDetail lists every source tried and how to set each.
func noCredentialsDetail(profileFile string) string {
	profile := "no CLI configuration file was found"
	if profileFile != "" {
		profile = "read " + profileFile
	}
	return strings.Join([]string{
		"No source yielded credentials. The provider looked for these, in order; set one of them:",
		"",
		"  1. access_key and secret_key (and security_token for STS credentials) in the provider block, or ALICLOUD_ACCESS_KEY / ALIBABA_CLOUD_ACCESS_KEY_ID with ALICLOUD_SECRET_KEY / ALIBABA_CLOUD_ACCESS_KEY_SECRET.",
		"  2. An assume_role_with_oidc block, or ALIBABA_CLOUD_OIDC_PROVIDER_ARN, ALIBABA_CLOUD_ROLE_ARN and ALIBABA_CLOUD_OIDC_TOKEN_FILE together (Kubernetes RRSA).",
		"  3. ecs_role_name, or ALICLOUD_ECS_ROLE_NAME, on an ECS instance with a RAM role.",
		"  4. credentials_uri, or ALICLOUD_CREDENTIALS_URI / ALIBABA_CLOUD_CREDENTIALS_URI.",
		"  5. A profile of the Alibaba Cloud CLI: profile and shared_credentials_file, or ALICLOUD_PROFILE / ALIBABA_CLOUD_PROFILE and ALICLOUD_SHARED_CREDENTIALS_FILE / ALIBABA_CLOUD_CREDENTIALS_FILE (default ~/.aliyun/config.json; " + profile + ").",
		"",
		"An assume_role block (or ALICLOUD_ASSUME_ROLE_ARN) then assumes a role on top of any of them.",
	}, "\n")
}
