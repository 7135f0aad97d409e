package client

import (
	"errors"
	"fmt"
	"sync"

	"github.com/aliyun/credentials-go/credentials"
	"github.com/aliyun/credentials-go/credentials/providers"
)

// DefaultSTSEndpoint is where AssumeRole and AssumeRoleWithOIDC go unless
// an STS endpoint is configured.
const DefaultSTSEndpoint = "sts.aliyuncs.com"

// Defaults of a role session, applied here for every source that assumes a
// role (assume_role, assume_role_with_oidc, CLI profiles).
const (
	DefaultSessionName       = "terraform"
	DefaultSessionExpiration = 3600 // seconds
)

// CredentialConfig is every source of credentials the provider accepts,
// already resolved from configuration and environment. Every value is passed
// to credentials-go explicitly: its builders otherwise read environment
// variables of their own (ALIBABA_CLOUD_ROLE_ARN among them), which would
// mix sources behind the user's back.
//
// The caller validates the configuration (AccessKey and SecretKey set
// together, an OIDC token or token file): it is the layer that can name the
// argument at fault.
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
	RoleARN string
	// SessionName "" means DefaultSessionName.
	SessionName string
	Policy      string
	ExternalID  string
	// SessionExpiration is in seconds, 900-43200; 0 means
	// DefaultSessionExpiration.
	SessionExpiration int
}

// OIDCConfig is STS AssumeRoleWithOIDC, as used by Kubernetes RRSA.
type OIDCConfig struct {
	OIDCProviderARN string
	RoleARN         string
	OIDCToken       string
	OIDCTokenFile   string
	// RoleSessionName "" means DefaultSessionName.
	RoleSessionName string
	Policy          string
	// SessionExpiration 0 means DefaultSessionExpiration.
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
	case cfg.AccessKey != "":
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
		WithRoleSessionName(orDefault(ar.SessionName, DefaultSessionName)).
		WithPolicy(ar.Policy).
		WithExternalId(ar.ExternalID).
		WithDurationSeconds(orDefault(ar.SessionExpiration, DefaultSessionExpiration)).
		WithStsEndpoint(sts).
		Build()
}

func oidcProvider(o OIDCConfig, sts string) (providers.CredentialsProvider, error) {
	return providers.NewOIDCCredentialsProviderBuilder().
		WithOIDCProviderARN(o.OIDCProviderARN).
		WithRoleArn(o.RoleARN).
		WithOIDCToken(o.OIDCToken).
		WithOIDCTokenFilePath(o.OIDCTokenFile).
		WithRoleSessionName(orDefault(o.RoleSessionName, DefaultSessionName)).
		WithPolicy(o.Policy).
		WithDurationSeconds(orDefault(o.SessionExpiration, DefaultSessionExpiration)).
		WithSTSEndpoint(sts).
		Build()
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

// orDefault returns v, or d when v is the zero value.
func orDefault[T comparable](v, d T) T {
	var zero T
	if v == zero {
		return d
	}
	return v
}
