package client

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/aliyun/credentials-go/credentials/providers"
)

const profileJSON = `{
  "current": "ak",
  "profiles": [
    {"name": "ak", "mode": "AK", "access_key_id": "LTAIak", "access_key_secret": "ak-secret-value", "region_id": "cn-beijing"},
    {"name": "ecs", "mode": "EcsRamRole", "ram_role_name": "instance-role"},
    {"name": "loop", "mode": "ChainableRamRoleArn", "source_profile": "loop", "ram_role_arn": "acs:ram::1:role/x"},
    {"name": "sso", "mode": "CloudSSO"}
  ]
}`

func writeProfile(t *testing.T, content string) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), "config.json")
	if err := os.WriteFile(file, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return file
}

// TestNewCredential_sources checks which source each configuration selects,
// without fetching anything: no test may reach the metadata service.
func TestNewCredential_sources(t *testing.T) {
	file := writeProfile(t, profileJSON)
	cases := []struct {
		name    string
		cfg     CredentialConfig
		want    string
		wantErr string
	}{
		{"static keys win", CredentialConfig{AccessKey: "LTAIx", SecretKey: "s", ProfileFile: file, ECSRoleName: "r"}, "static AccessKey", ""},
		{"static STS", CredentialConfig{AccessKey: "LTAIx", SecretKey: "s", SecurityToken: "t"}, "static STS credentials", ""},
		{"ecs role name", CredentialConfig{ECSRoleName: "instance-role", ProfileFile: file}, "ecs_role_name instance-role", ""},
		{"credentials uri", CredentialConfig{CredentialsURI: "http://127.0.0.1:1/creds", ProfileFile: file}, "credentials_uri", ""},
		{"current profile", CredentialConfig{ProfileFile: file}, "profile ak", ""},
		{"ecs profile", CredentialConfig{ProfileFile: file, Profile: "ecs"}, "profile ecs", ""},
		{"assume role on a profile", CredentialConfig{ProfileFile: file, AssumeRole: &AssumeRoleConfig{RoleARN: "acs:ram::1:role/r", SessionName: "terraform", SessionExpiration: 3600}}, "profile ak + assume_role acs:ram::1:role/r", ""},
		{"circular chain", CredentialConfig{ProfileFile: file, Profile: "loop"}, "", "circular"},
		{"unsupported mode", CredentialConfig{ProfileFile: file, Profile: "sso"}, "", `mode "CloudSSO" is not supported`},
		{"unknown profile", CredentialConfig{ProfileFile: file, Profile: "nope"}, "", `no profile named "nope" (profiles: ak, ecs, loop, sso)`},
		{"nothing", CredentialConfig{}, "", "no credentials"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, source, err := NewCredential(tc.cfg)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || source != tc.want {
				t.Fatalf("source %q, err %v; want %q", source, err, tc.want)
			}
		})
	}
	if _, _, err := NewCredential(CredentialConfig{}); !errors.Is(err, ErrNoCredentials) {
		t.Fatalf("err = %v, want ErrNoCredentials", err)
	}
}

func TestLoadProfileFile_neverQuotesTheFile(t *testing.T) {
	file := writeProfile(t, `{"profiles": [{"name": "a", "access_key_secret": "leaky-secret" oops}]}`)
	_, err := LoadProfileFile(file)
	if err == nil || strings.Contains(err.Error(), "leaky-secret") || strings.Contains(err.Error(), "oops") {
		t.Fatalf("err = %v", err)
	}
}

type failingProvider struct{ calls int }

func (f *failingProvider) GetCredentials() (*providers.Credentials, error) {
	f.calls++
	return nil, errors.New(`refresh session token failed: Post "https://sts.aliyuncs.com/?AccessKeyId=LTAIbase&Signature=c2lnbmF0dXJl&SecurityToken=CAIStoken": EOF`)
}

func (f *failingProvider) GetProviderName() string { return "failing" }

func TestLockedProvider_redactsAndSerialises(t *testing.T) {
	inner := &failingProvider{}
	l := &lockedProvider{p: inner}
	var wg sync.WaitGroup
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := l.GetCredentials()
			for _, secret := range []string{"LTAIbase", "c2lnbmF0dXJl", "CAIStoken"} {
				if err == nil || strings.Contains(err.Error(), secret) {
					t.Errorf("err = %v quotes %q", err, secret)
				}
			}
		}()
	}
	wg.Wait()
	if inner.calls != 20 { // counted without a lock of its own: -race checks the serialisation
		t.Fatalf("calls = %d", inner.calls)
	}
}
