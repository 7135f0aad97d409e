package client

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/aliyun/credentials-go/credentials/providers"
)

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
			RoleARN: p.RoleARN, SessionName: p.RoleSessionName, Policy: p.Policy,
			ExternalID: p.ExternalID, SessionExpiration: p.DurationSeconds,
		}, sts)
	case "EcsRamRole":
		return providers.NewECSRAMRoleCredentialsProviderBuilder().WithRoleName(p.RoleName).Build()
	case "OIDC":
		return oidcProvider(OIDCConfig{
			OIDCProviderARN: p.OIDCProviderARN, RoleARN: p.RoleARN, OIDCTokenFile: p.OIDCTokenFile,
			RoleSessionName: p.RoleSessionName, Policy: p.Policy, SessionExpiration: p.DurationSeconds,
		}, sts)
	case "External":
		return providers.NewExternalCredentialsProviderBuilder().WithProcessCommand(p.ProcessCommand).Build()
	case "":
		return nil, errors.New("the profile has no mode")
	default:
		return nil, fmt.Errorf("profile mode %q is not supported; use AK, StsToken, RamRoleArn, ChainableRamRoleArn, EcsRamRole, OIDC or External", p.Mode)
	}
}
