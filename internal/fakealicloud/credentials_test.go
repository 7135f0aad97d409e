package fakealicloud

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aliyun/credentials-go/credentials/providers"
)

func TestCredentialsURI(t *testing.T) {
	s, tlsAddr := newSTSServer(t)
	addr := start(t, s)
	for i, url := range []string{"http://" + addr + CredentialsURIPath, "https://" + tlsAddr + CredentialsURIPath} {
		begin := time.Now()
		p, err := providers.NewURLCredentialsProviderBuilder().WithUrl(url).Build()
		if err != nil {
			t.Fatal(err)
		}
		cc, err := p.GetCredentials()
		if err != nil {
			t.Fatalf("%s: %v", url, err)
		}
		if !strings.HasPrefix(cc.AccessKeyId, "STS.") || !strings.HasPrefix(cc.SecurityToken, "CAIS") || cc.ProviderName != "credential_uri" {
			t.Fatalf("credentials %+v", cc)
		}
		issued := s.Issued()
		if len(issued) != i+1 {
			t.Fatalf("issued %+v", issued)
		}
		checkIssued(t, issued[i], IssuedCredential{Via: ViaCredentialsURI, DurationSeconds: 3600, AccessKeyID: cc.AccessKeyId}, begin)
		if err := vpcCallWith(t, tlsAddr, cc.AccessKeyId, cc.AccessKeySecret, cc.SecurityToken); err != nil {
			t.Fatalf("VPC call with the URI key: %v", err)
		}
	}
	// Not recorded as API requests.
	for _, r := range s.Requests() {
		if r.Action != ActionCreateOccupancyOrder {
			t.Errorf("record %+v", r)
		}
	}

	get := func(method, path string) (int, string, map[string]string) {
		t.Helper()
		status, ct, raw := httpDo(t, method, "http://"+addr+path)
		var m map[string]string
		_ = json.Unmarshal([]byte(raw), &m)
		return status, ct, m
	}
	status, ct, body := get(http.MethodGet, CredentialsURIPath+"?DurationSeconds=60")
	if status != 200 || ct != "application/json" || body["Code"] != "Success" || body["AccessKeyId"] == "" ||
		body["AccessKeySecret"] == "" || body["SecurityToken"] == "" || body["LastUpdated"] == "" {
		t.Errorf("answer %d %s %v", status, ct, body)
	}
	if exp, err := time.Parse(utcLayout, body["Expiration"]); err != nil || time.Until(exp) > 61*time.Second || time.Until(exp) < 55*time.Second {
		t.Errorf("Expiration %q: %v", body["Expiration"], err)
	}
	for _, d := range []string{"0", "x", "43201"} {
		if status, _, body := get(http.MethodGet, CredentialsURIPath+"?DurationSeconds="+d); status != 400 || body["Code"] != "InvalidParameter.DurationSeconds" {
			t.Errorf("DurationSeconds=%s: %d %v", d, status, body)
		}
	}
	for _, m := range []string{http.MethodPost, http.MethodHead} {
		if status, _, _ := get(m, CredentialsURIPath); status != http.StatusMethodNotAllowed {
			t.Errorf("%s: %d", m, status)
		}
	}
	if n := len(s.Issued()); n != 3 {
		t.Errorf("%d issued, want 3", n)
	}

	// /_fake/issued lists them, without secrets.
	res, err := http.Get("http://" + addr + "/_fake/issued")
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(res.Body)
	_ = res.Body.Close()
	var listed []IssuedCredential
	if err := json.Unmarshal(raw, &listed); err != nil || len(listed) != 3 || listed[2].AccessKeyID != body["AccessKeyId"] {
		t.Errorf("/_fake/issued: %s %v", raw, err)
	}
	if strings.Contains(string(raw), body["AccessKeySecret"]) || strings.Contains(string(raw), body["SecurityToken"]) {
		t.Errorf("/_fake/issued shows secrets: %s", raw)
	}
}
