package client

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"

	"github.com/aliyun/credentials-go/credentials"
	"github.com/aliyun/credentials-go/credentials/providers"
)

// DefaultSTSEndpoint is where AssumeRole and AssumeRoleWithOIDC go unless
// an STS endpoint is configured.
const DefaultSTSEndpoint = "sts.aliyuncs.com"

// CredentialConfig is every source of credentials the provider accepts,
// already resolved from configuration and environment. Every value is passed
// to credentials-go explicitly: its builders otherwise read environment
// variables of their own (ALIBABA_CLOUD_ROLE_ARN among them), which would
// mix sources behind the user's back.
type CredentialConfig struct {
	AccessKey     string
	SecretKey     string
	SecurityToken string

	// Profile names a profile of the Alibaba Cloud CLI's config.json; empty
	// means the file's current profile.
	Profile string
	// ProfileFile is the CLI's config.json; empty means no profile source.
	ProfileFile string
	// Profiles is ProfileFile's content when the caller has read it
	// already; nil means NewCredential reads it when it needs it.
	Profiles *ProfileFile

	OIDC           *OIDCConfig
	ECSRoleName    string
	CredentialsURI string

	// AssumeRole, when set, assumes a RAM role on top of the base
	// credentials from any of the sources above.
	AssumeRole *AssumeRoleConfig

	// STSEndpoint is host[:port] of STS; empty means DefaultSTSEndpoint.
	STSEndpoint string
}

// AssumeRoleConfig is STS AssumeRole.
type AssumeRoleConfig struct {
	RoleARN           string
	SessionName       string
	Policy            string
	ExternalID        string
	SessionExpiration int // seconds, 900-43200
}

// OIDCConfig is STS AssumeRoleWithOIDC, as used by Kubernetes RRSA.
type OIDCConfig struct {
	OIDCProviderARN   string
	RoleARN           string
	OIDCToken         string
	OIDCTokenFile     string
	RoleSessionName   string
	Policy            string
	SessionExpiration int
}

// ErrNoCredentials is returned (wrapped) when no source yields credentials.
var ErrNoCredentials = errors.New("no credentials")

// NewCredential builds the credentials chain for cfg without any network
// I/O: temporary credentials are fetched on the first request and refreshed
// by credentials-go before they expire. It returns a description of the
// source for logs.
func NewCredential(cfg CredentialConfig) (credentials.Credential, string, error) {
	sts := cfg.STSEndpoint
	if sts == "" {
		sts = DefaultSTSEndpoint
	}
	base, source, err := baseProvider(cfg, sts)
	if err != nil {
		return nil, "", err
	}
	if ar := cfg.AssumeRole; ar != nil {
		base, err = assumeRole(base, *ar, sts)
		if err != nil {
			return nil, "", fmt.Errorf("assume_role: %s", Redact(err.Error()))
		}
		source += " + assume_role " + ar.RoleARN
	}
	return credentials.FromCredentialsProvider(source, &lockedProvider{p: base}), source, nil
}

func baseProvider(cfg CredentialConfig, sts string) (providers.CredentialsProvider, string, error) {
	switch {
	case cfg.AccessKey != "" || cfg.SecretKey != "":
		if cfg.AccessKey == "" || cfg.SecretKey == "" {
			return nil, "", errors.New("access_key and secret_key must be set together")
		}
		if cfg.SecurityToken != "" {
			p, err := providers.NewStaticSTSCredentialsProviderBuilder().
				WithAccessKeyId(cfg.AccessKey).WithAccessKeySecret(cfg.SecretKey).WithSecurityToken(cfg.SecurityToken).Build()
			return p, "static STS credentials", err
		}
		p, err := providers.NewStaticAKCredentialsProviderBuilder().
			WithAccessKeyId(cfg.AccessKey).WithAccessKeySecret(cfg.SecretKey).Build()
		return p, "static AccessKey", err
	case cfg.OIDC != nil:
		p, err := oidcProvider(*cfg.OIDC, sts)
		return p, "assume_role_with_oidc " + cfg.OIDC.RoleARN, err
	case cfg.ECSRoleName != "":
		// The metadata service cannot be pointed elsewhere, so no test
		// fetches through this provider; tests stop at this mapping.
		p, err := providers.NewECSRAMRoleCredentialsProviderBuilder().WithRoleName(cfg.ECSRoleName).Build()
		return p, "ecs_role_name " + cfg.ECSRoleName, err
	case cfg.CredentialsURI != "":
		p, err := providers.NewURLCredentialsProviderBuilder().WithUrl(cfg.CredentialsURI).Build()
		return p, "credentials_uri", err
	case cfg.ProfileFile != "":
		file := cfg.Profiles
		if file == nil {
			var err error
			if file, err = LoadProfileFile(cfg.ProfileFile); err != nil {
				return nil, "", err
			}
		}
		name := cfg.Profile
		if name == "" {
			name = file.Current
		}
		p, err := profileProvider(file, name, sts, 0)
		if err != nil {
			return nil, "", fmt.Errorf("profile %q in %s: %w", name, cfg.ProfileFile, err)
		}
		return p, "profile " + name, nil
	}
	return nil, "", ErrNoCredentials
}

func assumeRole(base providers.CredentialsProvider, ar AssumeRoleConfig, sts string) (providers.CredentialsProvider, error) {
	return providers.NewRAMRoleARNCredentialsProviderBuilder().
		WithCredentialsProvider(base).
		WithRoleArn(ar.RoleARN).
		WithRoleSessionName(ar.SessionName).
		WithPolicy(ar.Policy).
		WithExternalId(ar.ExternalID).
		WithDurationSeconds(ar.SessionExpiration).
		WithStsEndpoint(sts).
		Build()
}

func oidcProvider(o OIDCConfig, sts string) (providers.CredentialsProvider, error) {
	if o.OIDCToken == "" && o.OIDCTokenFile == "" {
		return nil, errors.New("assume_role_with_oidc needs oidc_token or oidc_token_file")
	}
	return providers.NewOIDCCredentialsProviderBuilder().
		WithOIDCProviderARN(o.OIDCProviderARN).
		WithRoleArn(o.RoleARN).
		WithOIDCToken(o.OIDCToken).
		WithOIDCTokenFilePath(o.OIDCTokenFile).
		WithRoleSessionName(o.RoleSessionName).
		WithPolicy(o.Policy).
		WithDurationSeconds(o.SessionExpiration).
		WithSTSEndpoint(sts).
		Build()
}

// ProfileFile is the Alibaba Cloud CLI's config.json.
type ProfileFile struct {
	Current  string    `json:"current"`
	Profiles []Profile `json:"profiles"`
}

// Profile is one profile of the CLI's config.json, with the fields of the
// modes this provider maps itself.
type Profile struct {
	Name            string `json:"name"`
	Mode            string `json:"mode"`
	AccessKeyID     string `json:"access_key_id"`
	AccessKeySecret string `json:"access_key_secret"`
	SecurityToken   string `json:"sts_token"`
	RegionID        string `json:"region_id"`
	RoleARN         string `json:"ram_role_arn"`
	RoleSessionName string `json:"ram_session_name"`
	DurationSeconds int    `json:"expired_seconds"`
	SourceProfile   string `json:"source_profile"`
	RoleName        string `json:"ram_role_name"`
	OIDCTokenFile   string `json:"oidc_token_file"`
	OIDCProviderARN string `json:"oidc_provider_arn"`
	Policy          string `json:"policy"`
	ExternalID      string `json:"external_id"`
	ProcessCommand  string `json:"process_command"`
}

// LoadProfileFile reads a CLI config.json. Its errors never quote the file.
func LoadProfileFile(path string) (*ProfileFile, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading the shared credentials file %s: %w", path, errors.Unwrap(err))
	}
	var f ProfileFile
	if err := json.Unmarshal(b, &f); err != nil {
		// json's messages can quote the offending value; keep the position only.
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return nil, fmt.Errorf("the shared credentials file %s is not valid JSON (at byte %d)", path, se.Offset)
		}
		return nil, fmt.Errorf("the shared credentials file %s does not have the Alibaba Cloud CLI's config.json shape", path)
	}
	return &f, nil
}

// Lookup returns the named profile.
func (f *ProfileFile) Lookup(name string) (*Profile, error) {
	for i := range f.Profiles {
		if f.Profiles[i].Name == name {
			return &f.Profiles[i], nil
		}
	}
	names := make([]string, 0, len(f.Profiles))
	for _, p := range f.Profiles {
		names = append(names, p.Name)
	}
	return nil, fmt.Errorf("no profile named %q (profiles: %s)", name, strings.Join(names, ", "))
}

// profileProvider maps a CLI profile onto credentials-go, with the STS
// endpoint of this provider (credentials-go's own CLI profile reader cannot
// be pointed at one).
func profileProvider(f *ProfileFile, name, sts string, depth int) (providers.CredentialsProvider, error) {
	if depth > 8 {
		return nil, errors.New("source_profile chain is too long or circular")
	}
	p, err := f.Lookup(name)
	if err != nil {
		return nil, err
	}
	switch p.Mode {
	case "AK":
		return providers.NewStaticAKCredentialsProviderBuilder().WithAccessKeyId(p.AccessKeyID).WithAccessKeySecret(p.AccessKeySecret).Build()
	case "StsToken":
		return providers.NewStaticSTSCredentialsProviderBuilder().WithAccessKeyId(p.AccessKeyID).WithAccessKeySecret(p.AccessKeySecret).WithSecurityToken(p.SecurityToken).Build()
	case "RamRoleArn", "ChainableRamRoleArn":
		var base providers.CredentialsProvider
		if p.Mode == "RamRoleArn" {
			base, err = providers.NewStaticAKCredentialsProviderBuilder().WithAccessKeyId(p.AccessKeyID).WithAccessKeySecret(p.AccessKeySecret).Build()
		} else {
			base, err = profileProvider(f, p.SourceProfile, sts, depth+1)
		}
		if err != nil {
			return nil, err
		}
		return assumeRole(base, AssumeRoleConfig{
			RoleARN: p.RoleARN, SessionName: firstNonEmpty(p.RoleSessionName, "terraform"), Policy: p.Policy,
			ExternalID: p.ExternalID, SessionExpiration: defaultInt(p.DurationSeconds, 3600),
		}, sts)
	case "EcsRamRole":
		return providers.NewECSRAMRoleCredentialsProviderBuilder().WithRoleName(p.RoleName).Build()
	case "OIDC":
		return oidcProvider(OIDCConfig{
			OIDCProviderARN: p.OIDCProviderARN, RoleARN: p.RoleARN, OIDCTokenFile: p.OIDCTokenFile,
			RoleSessionName: firstNonEmpty(p.RoleSessionName, "terraform"), Policy: p.Policy, SessionExpiration: defaultInt(p.DurationSeconds, 3600),
		}, sts)
	case "External":
		return providers.NewExternalCredentialsProviderBuilder().WithProcessCommand(p.ProcessCommand).Build()
	case "":
		return nil, errors.New("the profile has no mode")
	default:
		return nil, fmt.Errorf("profile mode %q is not supported; use AK, StsToken, RamRoleArn, ChainableRamRoleArn, EcsRamRole, OIDC or External", p.Mode)
	}
}

// lockedProvider serialises GetCredentials: credentials-go's refreshing
// providers cache without a lock, and Terraform creates resources in
// parallel. Errors are redacted: they can quote a signed STS URL.
type lockedProvider struct {
	mu sync.Mutex
	p  providers.CredentialsProvider
}

func (l *lockedProvider) GetCredentials() (*providers.Credentials, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	c, err := l.p.GetCredentials()
	if err != nil {
		return nil, errors.New(Redact(err.Error()))
	}
	return c, nil
}

func (l *lockedProvider) GetProviderName() string { return l.p.GetProviderName() }

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

func defaultInt(v, d int) int {
	if v == 0 {
		return d
	}
	return v
}
