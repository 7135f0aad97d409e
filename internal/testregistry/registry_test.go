package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

const testArmor = "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nxsBN\n-----END PGP PUBLIC KEY BLOCK-----\n"

// writeRelease writes release 0.2.0 of pcorder's alicloud as goreleaser
// would, for the platforms given, and returns its directory.
func writeRelease(t *testing.T, platforms ...string) string {
	t.Helper()
	const version = "0.2.0"
	dir := t.TempDir()
	write := func(name, content string) string {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256([]byte(content))
		return hex.EncodeToString(sum[:]) + "  " + name + "\n"
	}
	var sums string
	for _, p := range platforms {
		sums += write(fmt.Sprintf("terraform-provider-alicloud_%s_%s.zip", version, p), "zip of "+p)
	}
	sums += write("terraform-provider-alicloud_"+version+"_manifest.json", `{"version": 1, "metadata": {"protocol_versions": ["6.0"]}}`)
	write("terraform-provider-alicloud_"+version+"_SHA256SUMS", sums)
	write("terraform-provider-alicloud_"+version+"_SHA256SUMS.sig", "signature")
	return dir
}

func newTestServer(t *testing.T, mirror string, dirs ...string) *httptest.Server {
	t.Helper()
	g := NewRegistry(Key{ID: "0123456789ABCDEF", ASCIIArmor: testArmor}, mirror)
	for _, dir := range dirs {
		if err := g.Add("pcorder", "alicloud", dir); err != nil {
			t.Fatal(err)
		}
	}
	srv := httptest.NewTLSServer(g.Handler())
	t.Cleanup(srv.Close)
	return srv
}

func get(t *testing.T, srv *httptest.Server, path string) (int, string) {
	t.Helper()
	resp, err := srv.Client().Get(srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(body)
}

func getJSON(t *testing.T, srv *httptest.Server, path string, v any) {
	t.Helper()
	code, body := get(t, srv, path)
	if code != http.StatusOK {
		t.Fatalf("GET %s: %d %s", path, code, body)
	}
	if err := json.Unmarshal([]byte(body), v); err != nil {
		t.Fatalf("GET %s: %v in %s", path, err, body)
	}
}

func TestRegistry_discovery(t *testing.T) {
	srv := newTestServer(t, "", writeRelease(t, "linux_amd64"))
	var got map[string]string
	getJSON(t, srv, "/.well-known/terraform.json", &got)
	if want := map[string]string{"providers.v1": "/v1/providers/"}; !reflect.DeepEqual(got, want) {
		t.Errorf("discovery = %v, want %v", got, want)
	}
}

func TestRegistry_versions(t *testing.T) {
	srv := newTestServer(t, "", writeRelease(t, "linux_amd64", "darwin_arm64"))
	var got struct {
		Versions []struct {
			Version   string
			Protocols []string
			Platforms []struct{ OS, Arch string }
		}
	}
	getJSON(t, srv, "/v1/providers/pcorder/alicloud/versions", &got)
	if len(got.Versions) != 1 {
		t.Fatalf("versions = %+v, want one", got.Versions)
	}
	v := got.Versions[0]
	if v.Version != "0.2.0" || !reflect.DeepEqual(v.Protocols, []string{"6.0"}) {
		t.Errorf("version = %+v, want 0.2.0 with protocols [6.0] from the manifest", v)
	}
	want := []struct{ OS, Arch string }{{"darwin", "arm64"}, {"linux", "amd64"}}
	if !reflect.DeepEqual(v.Platforms, want) {
		t.Errorf("platforms = %+v, want %+v", v.Platforms, want)
	}
}

func TestRegistry_download(t *testing.T) {
	dir := writeRelease(t, "linux_amd64")
	srv := newTestServer(t, "", dir)
	var got struct {
		Protocols           []string `json:"protocols"`
		OS                  string   `json:"os"`
		Arch                string   `json:"arch"`
		Filename            string   `json:"filename"`
		DownloadURL         string   `json:"download_url"`
		ShasumsURL          string   `json:"shasums_url"`
		ShasumsSignatureURL string   `json:"shasums_signature_url"`
		Shasum              string   `json:"shasum"`
		SigningKeys         struct {
			GPGPublicKeys []Key `json:"gpg_public_keys"`
		} `json:"signing_keys"`
	}
	getJSON(t, srv, "/v1/providers/pcorder/alicloud/0.2.0/download/linux/amd64", &got)
	zip := "terraform-provider-alicloud_0.2.0_linux_amd64.zip"
	if got.Filename != zip || got.OS != "linux" || got.Arch != "amd64" || !reflect.DeepEqual(got.Protocols, []string{"6.0"}) {
		t.Errorf("download = %+v", got)
	}
	sum := sha256.Sum256([]byte("zip of linux_amd64"))
	if got.Shasum != hex.EncodeToString(sum[:]) {
		t.Errorf("shasum = %s, want the archive's line of SHA256SUMS", got.Shasum)
	}
	if len(got.SigningKeys.GPGPublicKeys) != 1 || got.SigningKeys.GPGPublicKeys[0].ID != "0123456789ABCDEF" || got.SigningKeys.GPGPublicKeys[0].ASCIIArmor != testArmor {
		t.Errorf("signing keys = %+v", got.SigningKeys)
	}
	for url, want := range map[string]string{
		got.DownloadURL:         "zip of linux_amd64",
		got.ShasumsSignatureURL: "signature",
	} {
		if !strings.HasPrefix(url, srv.URL+"/") {
			t.Fatalf("URL %q is not absolute on %s", url, srv.URL)
		}
		if code, body := get(t, srv, strings.TrimPrefix(url, srv.URL)); code != http.StatusOK || body != want {
			t.Errorf("GET %s = %d %q, want %q", url, code, body, want)
		}
	}
	code, body := get(t, srv, strings.TrimPrefix(got.ShasumsURL, srv.URL))
	if code != http.StatusOK || !strings.Contains(body, hex.EncodeToString(sum[:])+"  "+zip) {
		t.Errorf("GET %s = %d %q", got.ShasumsURL, code, body)
	}
}

func TestRegistry_notFound(t *testing.T) {
	srv := newTestServer(t, "", writeRelease(t, "linux_amd64"))
	for _, path := range []string{
		"/v1/providers/other/alicloud/versions",
		"/v1/providers/pcorder/alicloud/0.1.0/download/linux/amd64",
		"/v1/providers/pcorder/alicloud/0.2.0/download/windows/amd64",
		"/files/pcorder/alicloud/0.2.0/terraform-provider-alicloud_0.2.0_manifest.json",
		"/files/pcorder/alicloud/0.2.0/..%2fregistry.go",
		"/mirror/index.json",
	} {
		if code, body := get(t, srv, path); code != http.StatusNotFound {
			t.Errorf("GET %s = %d %s, want 404", path, code, body)
		}
	}
}

func TestRegistry_mirror(t *testing.T) {
	mirror := t.TempDir()
	dir := filepath.Join(mirror, "registry.terraform.io", "pcorder", "alicloud")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	index := `{"versions":{"0.2.0":{}}}`
	if err := os.WriteFile(filepath.Join(dir, "index.json"), []byte(index), 0o600); err != nil {
		t.Fatal(err)
	}
	srv := newTestServer(t, mirror, writeRelease(t, "linux_amd64"))
	if code, body := get(t, srv, "/mirror/registry.terraform.io/pcorder/alicloud/index.json"); code != http.StatusOK || body != index {
		t.Errorf("mirror index = %d %q, want %q", code, body, index)
	}
}

func TestLoadReleases_incomplete(t *testing.T) {
	for name, remove := range map[string]string{
		"no signature": "terraform-provider-alicloud_0.2.0_SHA256SUMS.sig",
		"no manifest":  "terraform-provider-alicloud_0.2.0_manifest.json",
		"no sums":      "terraform-provider-alicloud_0.2.0_SHA256SUMS",
	} {
		t.Run(name, func(t *testing.T) {
			dir := writeRelease(t, "linux_amd64")
			if err := os.Remove(filepath.Join(dir, remove)); err != nil {
				t.Fatal(err)
			}
			if _, err := loadReleases(dir, "alicloud"); err == nil {
				t.Errorf("a release without %s loaded", remove)
			}
		})
	}
}

func TestParseFlags(t *testing.T) {
	o, err := parseFlags([]string{"-tls-cert", "c", "-tls-key", "k", "-gpg-key", "g", "-gpg-key-id", "ID", "-provider", "pcorder/alicloud=dist", "-provider", "tampered/alicloud=t"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	want := [][3]string{{"pcorder", "alicloud", "dist"}, {"tampered", "alicloud", "t"}}
	if !reflect.DeepEqual(o.providers, want) {
		t.Errorf("providers = %v, want %v", o.providers, want)
	}
	for _, args := range [][]string{
		{"-tls-cert", "c", "-tls-key", "k", "-gpg-key", "g", "-gpg-key-id", "ID"},
		{"-tls-cert", "c", "-tls-key", "k", "-gpg-key", "g", "-gpg-key-id", "ID", "-provider", "pcorder=dist"},
		{"-tls-cert", "c", "-tls-key", "k", "-gpg-key", "g", "-gpg-key-id", "ID", "-provider", "a/b/c=dist"},
	} {
		if _, err := parseFlags(args, io.Discard); err == nil {
			t.Errorf("parseFlags(%q) accepted", args)
		}
	}
}

func TestRun_loopbackOnly(t *testing.T) {
	key := filepath.Join(t.TempDir(), "key.asc")
	if err := os.WriteFile(key, []byte(testArmor), 0o600); err != nil {
		t.Fatal(err)
	}
	args := []string{"-tls-cert", "c", "-tls-key", "k", "-gpg-key", key, "-gpg-key-id", "ID", "-provider", "pcorder/alicloud=" + writeRelease(t, "linux_amd64"), "-listen", "0.0.0.0:0"}
	err := run(t.Context(), args, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "only a loopback IP address") {
		t.Errorf("run on 0.0.0.0 = %v, want a refusal", err)
	}
}
