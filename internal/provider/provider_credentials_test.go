package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/pcorder/terraform-provider-alicloud/internal/fakealicloud"
)

const (
	testRoleARN     = "acs:ram::1234567890123456:role/terraform-orders"
	testOIDCARN     = "acs:ram::1234567890123456:oidc-provider/ack-rrsa"
	testOIDCToken   = "eyJhbGciOiJSUzI1NiJ9.fake-oidc-token.signature"
	testExternalID  = "ext-7f3a"
	testProfileFile = "config.json"
)

// credEnv is a testEnv whose fake serves HTTPS with the certificate the
// whole test process trusts (see TestMain) and knows a role and an OIDC
// token, so that credentials-go can assume roles against it.
func newCredEnv(t *testing.T, opts ...envOption) *testEnv {
	t.Helper()
	e := newTestEnv(t, append(opts, withTLS())...)
	e.fake.AddRole(testRoleARN, "")
	e.fake.AddOIDCToken(testOIDCARN, testOIDCToken)
	return e
}

// orderConfig is a provider block with the given arguments (HTTPS to the
// fake's VPC and STS endpoints) and one order.
func (e *testEnv) orderConfig(providerArgs string) string {
	return fmt.Sprintf(`
provider "alicloud" {
  region = %q
  endpoints {
    vpc        = %q
    sts        = %q
    bssopenapi = %q
  }
%s
}

resource "alicloud_pc_occupancy_order" "test" {
  physical_connection_id = %q
}
`, testRegion, e.addr, e.addr, e.addr, providerArgs, testPCID)
}

// checkSignedBy fails unless the one create request was accepted and signed
// by key (or, when key is "STS", by a temporary key the fake issued via
// issuedVia for roleARN with a token).
func (e *testEnv) checkSignedBy(key, issuedVia, roleARN string) func(*terraform.State) error {
	return func(*terraform.State) error {
		reqs := e.createRequests()
		if len(reqs) != 1 || reqs[0].Code != "" {
			return fmt.Errorf("want one accepted create request, got %+v", reqs)
		}
		r := reqs[0]
		if issuedVia == "" {
			if r.AccessKeyID != key {
				return fmt.Errorf("the order was signed by %q, want %q", r.AccessKeyID, key)
			}
			return nil
		}
		for _, c := range e.fake.Issued() {
			if c.AccessKeyID == r.AccessKeyID {
				if c.Via != issuedVia || c.RoleArn != roleARN || (key != "" && c.BaseAccessKeyID != key) {
					return fmt.Errorf("the order was signed with a key issued %+v; want via %s for %s from %q", c, issuedVia, roleARN, key)
				}
				if r.SecurityToken == "" {
					return fmt.Errorf("the order signed with temporary key %s carried no security token", r.AccessKeyID)
				}
				return nil
			}
		}
		return fmt.Errorf("the order was signed by %q, which the fake did not issue (issued: %+v)", r.AccessKeyID, e.fake.Issued())
	}
}

func TestAccProvider_assumeRole(t *testing.T) {
	skipUnlessAcc(t)
	t.Parallel()
	e := newCredEnv(t)
	e.fake.AddRole("acs:ram::1234567890123456:role/with-external-id", testExternalID)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{{
			Config: e.orderConfig(fmt.Sprintf(`
  access_key = %q
  secret_key = %q
  assume_role {
    role_arn           = "acs:ram::1234567890123456:role/with-external-id"
    external_id        = %q
    session_expiration = 900
  }`, testAccessKey, testSecretKey, testExternalID)),
			Check: resource.ComposeAggregateTestCheckFunc(
				e.checkSignedBy(testAccessKey, "AssumeRole", "acs:ram::1234567890123456:role/with-external-id"),
				func(*terraform.State) error {
					c := e.fake.Issued()[0]
					if c.RoleSessionName != "terraform" || c.DurationSeconds != 900 || c.ExternalID != testExternalID {
						return fmt.Errorf("AssumeRole was asked for %+v", c)
					}
					return nil
				},
			),
		}},
	})
}

func TestAccProvider_assumeRoleFromEnvironment(t *testing.T) {
	skipUnlessAcc(t)
	t.Parallel()
	e := newCredEnv(t)
	e.env["ALICLOUD_ACCESS_KEY"] = testAccessKey
	e.env["ALICLOUD_SECRET_KEY"] = testSecretKey
	e.env["ALIBABA_CLOUD_ROLE_ARN"] = testRoleARN
	e.env["ALICLOUD_ASSUME_ROLE_SESSION_NAME"] = "ci-run-42"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{{
			Config: e.orderConfig(""),
			Check: resource.ComposeAggregateTestCheckFunc(
				e.checkSignedBy(testAccessKey, "AssumeRole", testRoleARN),
				func(*terraform.State) error {
					if c := e.fake.Issued()[0]; c.RoleSessionName != "ci-run-42" || c.DurationSeconds != 3600 {
						return fmt.Errorf("AssumeRole was asked for %+v", c)
					}
					return nil
				},
			),
		}},
	})
}

func TestAccProvider_oidcTokenFile(t *testing.T) {
	skipUnlessAcc(t)
	t.Parallel()
	e := newCredEnv(t)
	tokenFile := filepath.Join(t.TempDir(), "token")
	writeFile(t, tokenFile, testOIDCToken)
	e.env["ALIBABA_CLOUD_OIDC_PROVIDER_ARN"] = testOIDCARN
	e.env["ALIBABA_CLOUD_ROLE_ARN"] = testRoleARN
	e.env["ALIBABA_CLOUD_OIDC_TOKEN_FILE"] = tokenFile
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{{
			Config: e.orderConfig(""),
			Check:  e.checkSignedBy("", "AssumeRoleWithOIDC", testRoleARN),
		}},
	})
}

func TestAccProvider_credentialsURI(t *testing.T) {
	skipUnlessAcc(t)
	t.Parallel()
	e := newCredEnv(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{{
			Config: e.orderConfig(fmt.Sprintf("  credentials_uri = %q", "https://"+e.addr+fakealicloud.CredentialsURIPath)),
			Check:  e.checkSignedBy("", "CredentialsURI", ""),
		}},
	})
}

// TestAccProvider_profileModes takes credentials from each profile mode of a
// temporary CLI config file; no test reads the real home directory.
func TestAccProvider_profileModes(t *testing.T) {
	skipUnlessAcc(t)
	t.Parallel()
	cases := []struct {
		name, profile string
		key, via      string
		role          string
	}{
		{"AK", "ak", testAccessKey, "", ""},
		{"StsToken", "sts", testAccessKey2, "", ""},
		{"RamRoleArn", "role", testAccessKey, "AssumeRole", testRoleARN},
		{"ChainableRamRoleArn", "chained", testAccessKey, "AssumeRole", testRoleARN},
		{"OIDC", "oidc", "", "AssumeRoleWithOIDC", testRoleARN},
		{"External", "external", testAccessKey, "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// StsToken: the fake requires this token with the second key.
			e := newCredEnv(t, withCredential(testAccessKey2, fakealicloud.Credential{AccessKeySecret: testSecretKey2, SecurityToken: "CAIS-profile-token"}))
			dir := t.TempDir()
			file := writeProfileFile(t, dir)
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: e.factories(),
				Steps: []resource.TestStep{{
					Config: e.orderConfig(fmt.Sprintf("  profile = %q\n  shared_credentials_file = %q", tc.profile, file)),
					Check:  e.checkSignedBy(tc.key, tc.via, tc.role),
				}},
			})
		})
	}
}

// writeProfileFile writes a CLI config.json with one profile per mode and
// returns its path.
func writeProfileFile(t *testing.T, dir string) string {
	t.Helper()
	tokenFile := filepath.Join(dir, "oidc-token")
	writeFile(t, tokenFile, testOIDCToken)
	script := filepath.Join(dir, "creds.sh")
	writeFile(t, script, fmt.Sprintf("#!/bin/sh\necho '{\"mode\":\"AK\",\"access_key_id\":%q,\"access_key_secret\":%q}'\n", testAccessKey, testSecretKey))
	if err := os.Chmod(script, 0o700); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, testProfileFile)
	writeFile(t, file, fmt.Sprintf(`{
  "current": "ak",
  "profiles": [
    {"name": "ak", "mode": "AK", "access_key_id": %[1]q, "access_key_secret": %[2]q, "region_id": %[3]q},
    {"name": "sts", "mode": "StsToken", "access_key_id": %[4]q, "access_key_secret": %[5]q, "sts_token": "CAIS-profile-token"},
    {"name": "role", "mode": "RamRoleArn", "access_key_id": %[1]q, "access_key_secret": %[2]q, "ram_role_arn": %[6]q, "ram_session_name": "from-profile"},
    {"name": "chained", "mode": "ChainableRamRoleArn", "source_profile": "ak", "ram_role_arn": %[6]q},
    {"name": "oidc", "mode": "OIDC", "oidc_provider_arn": %[7]q, "ram_role_arn": %[6]q, "oidc_token_file": %[8]q},
    {"name": "external", "mode": "External", "process_command": %[9]q},
    {"name": "ecs", "mode": "EcsRamRole", "ram_role_name": "instance-role"}
  ]
}`, testAccessKey, testSecretKey, testRegion2, testAccessKey2, testSecretKey2, testRoleARN, testOIDCARN, tokenFile, script))
	return file
}

// TestAccProvider_profileRegionAndPrecedence checks that static keys win
// over the profile, and that the profile's region_id is the last resort.
func TestAccProvider_profileRegionAndPrecedence(t *testing.T) {
	skipUnlessAcc(t)
	t.Parallel()
	e := newCredEnv(t)
	e.fake.AddPhysicalConnection("pc-inshanghai0000001", testRegion2, "Confirmed")
	file := writeProfileFile(t, t.TempDir())
	// The profile's current profile "ak" has region cn-shanghai.
	e.env["ALIBABA_CLOUD_CREDENTIALS_FILE"] = file
	e.env["ALICLOUD_ACCESS_KEY"] = testAccessKey2
	e.env["ALICLOUD_SECRET_KEY"] = testSecretKey2
	cfg := fmt.Sprintf(`
provider "alicloud" {
  profile = "ak"
  endpoints {
    vpc        = %q
    bssopenapi = %q
  }
}
resource "alicloud_pc_occupancy_order" "test" {
  physical_connection_id = "pc-inshanghai0000001"
}
`, e.addr, e.addr)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{{
			Config: cfg,
			Check: resource.ComposeAggregateTestCheckFunc(
				e.checkSignedBy(testAccessKey2, "", ""),
				resource.TestCheckResourceAttr(resourceAddr, "region_id", testRegion2),
			),
		}},
	})
}

func TestAccProvider_noCredentials(t *testing.T) {
	skipUnlessAcc(t)
	t.Parallel()
	e := newCredEnv(t)
	e.env["HOME"] = t.TempDir() // an empty home: no ~/.aliyun/config.json
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{{
			Config: e.orderConfig(""),
			ExpectError: regexp.MustCompile(`(?s)No Credentials.*ALICLOUD_ACCESS_KEY.*ALIBABA_CLOUD_OIDC_TOKEN_FILE.*` +
				`ALICLOUD_ECS_ROLE_NAME.*ALIBABA_CLOUD_CREDENTIALS_URI.*ALIBABA_CLOUD_CREDENTIALS_FILE`),
		}},
		CheckDestroy: e.checkRequestCount(0),
	})
}

func TestAccProvider_missingProfileFile(t *testing.T) {
	skipUnlessAcc(t)
	t.Parallel()
	e := newCredEnv(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{{
			Config:      e.orderConfig(fmt.Sprintf("  shared_credentials_file = %q", filepath.Join(t.TempDir(), "absent.json"))),
			ExpectError: regexp.MustCompile(`Shared Credentials File Not Found`),
		}},
		CheckDestroy: e.checkRequestCount(0),
	})
}

// TestAccProvider_stsFailureIsRedacted makes AssumeRole fail and checks that
// the diagnostic names the failure without quoting the signed STS request.
func TestAccProvider_stsFailureIsRedacted(t *testing.T) {
	skipUnlessAcc(t)
	t.Parallel()
	e := newCredEnv(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{{
			Config: e.orderConfig(fmt.Sprintf(`
  access_key = %q
  secret_key = %q
  assume_role {
    role_arn = "acs:ram::1234567890123456:role/unknown"
  }`, testAccessKey, testSecretKey)),
			ExpectError: regexp.MustCompile(`EntityNotExist.Role`),
		}},
		CheckDestroy: func(*terraform.State) error {
			if n := len(e.createRequests()); n != 0 {
				return fmt.Errorf("%d create requests were sent without credentials", n)
			}
			return nil
		},
	})
}

// TestCredentialConfig_ecsRoleName stops at the seam this provider owns:
// the metadata service cannot be pointed at a test server, so the test
// checks the mapping and never fetches.
func TestCredentialConfig_ecsRoleName(t *testing.T) {
	p := &AlicloudProvider{opts: Options{Getenv: func(k string) string {
		return map[string]string{"ALICLOUD_ECS_ROLE_NAME": "instance-role"}[k]
	}}}
	c, _, diags := p.credentialConfig(providerModel{Endpoints: &endpointsModel{}})
	if diags.HasError() || c.ECSRoleName != "instance-role" || c.AccessKey != "" || c.ProfileFile != "" {
		t.Fatalf("config %+v, diagnostics %v", c, diags)
	}
	if !strings.Contains(noCredentialsDetail(""), "ALICLOUD_ECS_ROLE_NAME") {
		t.Fatal("the no-credentials advice does not name ALICLOUD_ECS_ROLE_NAME")
	}
}

// TestCredentialConfig_profileFileLocation resolves the CLI file: "~/" and
// the default are taken from the (injected) home, never the real one.
func TestCredentialConfig_profileFileLocation(t *testing.T) {
	home := t.TempDir()
	file := filepath.Join(home, ".aliyun", "config.json")
	writeFile(t, file, `{"current": "a", "profiles": [{"name": "a", "mode": "AK", "access_key_id": "k", "access_key_secret": "s", "region_id": "cn-beijing"}]}`)
	for _, tc := range []struct {
		name, configured string
	}{
		{"default", ""},
		{"tilde", "~/.aliyun/config.json"},
		{"absolute", file},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := &AlicloudProvider{opts: Options{Getenv: func(k string) string { return map[string]string{"HOME": home}[k] }}}
			cfg := providerModel{Endpoints: &endpointsModel{}, SharedCredentialsFile: types.StringNull()}
			if tc.configured != "" {
				cfg.SharedCredentialsFile = types.StringValue(tc.configured)
			}
			c, region, diags := p.credentialConfig(cfg)
			if diags.HasError() || c.ProfileFile != file || region != "cn-beijing" {
				t.Fatalf("file %q region %q diagnostics %v", c.ProfileFile, region, diags)
			}
		})
	}
}
