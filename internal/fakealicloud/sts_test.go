package fakealicloud

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aliyun/credentials-go/credentials/providers"
)

const (
	testRoleArn     = "acs:ram::1234567890123456:role/terraform"
	testExtRoleArn  = "acs:ram::1234567890123456:role/with-external-id"
	testExternalID  = "ext-id:42"
	testOIDCArn     = "acs:ram::1234567890123456:oidc-provider/k8s"
	testOIDCToken   = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQifQ.c2lnbmF0dXJl"
	testSTSPolicy   = `{"Version":"1","Statement":[{"Effect":"Allow","Action":"vpc:*","Resource":"*"}]}`
	testSessionName = "fakealicloud-test@session_1"
)

// newSTSServer starts a TLS server on the real clock (credentials-go signs
// with the real time) with the shared certificate, one long-term key, two
// roles, an OIDC token and a connection waiting for payment.
func newSTSServer(t *testing.T) (*Server, string) {
	t.Helper()
	s := New(Config{
		Credentials:    map[string]Credential{testAK: {AccessKeySecret: testSecret}},
		TLSCertificate: &testCert,
	})
	s.AddPhysicalConnection(testPC, testRegion, StatusConfirmed)
	s.AddRole(testRoleArn, "")
	s.AddRole(testExtRoleArn, testExternalID)
	s.AddOIDCToken(testOIDCArn, testOIDCToken)
	return s, startTLS(t, s)
}

// vpcCallWith orders with darabonba-openapi v2 over HTTPS (trusting the
// system roots) with the given key, for both signature algorithms, and
// returns the first error.
func vpcCallWith(t *testing.T, addr, ak, secret, token string) error {
	t.Helper()
	for _, algorithm := range []string{"", "v2"} {
		cfg := sdkConfig(addr, "HTTPS", ak, secret, token, algorithm)
		if _, err := sdkCall(t, cfg, orderParams(""), false); err != nil {
			return fmt.Errorf("algorithm %q: %w", algorithm, err)
		}
	}
	return nil
}

// checkIssued checks the key an issue record describes and its expiration.
func checkIssued(t *testing.T, got IssuedCredential, want IssuedCredential, from time.Time) {
	t.Helper()
	exp := got.Expiration
	got.Expiration, want.Expiration = time.Time{}, time.Time{}
	if want.RequestID == "" {
		got.RequestID = ""
	}
	if got != want {
		t.Errorf("issued\n got %+v\nwant %+v", got, want)
	}
	wantExp := from.Add(time.Duration(want.DurationSeconds) * time.Second)
	if d := exp.Sub(wantExp); d < -2*time.Second || d > 5*time.Second || exp.Location() != time.UTC || exp.Nanosecond() != 0 {
		t.Errorf("Expiration %v, want about %v", exp, wantExp)
	}
}

func TestAssumeRoleWithCredentialsGo(t *testing.T) {
	s, addr := newSTSServer(t)
	s.Inject(Fault{Kind: Unavailable}) // consumed by the first VPC order only
	begin := time.Now()

	ak, err := providers.NewStaticAKCredentialsProviderBuilder().WithAccessKeyId(testAK).WithAccessKeySecret(testSecret).Build()
	if err != nil {
		t.Fatal(err)
	}
	p, err := providers.NewRAMRoleARNCredentialsProviderBuilder().
		WithCredentialsProvider(ak).
		WithRoleArn(testRoleArn).
		WithRoleSessionName(testSessionName).
		WithStsEndpoint(addr).
		WithDurationSeconds(1800).
		WithPolicy(testSTSPolicy).
		Build()
	if err != nil {
		t.Fatal(err)
	}
	cc, err := p.GetCredentials()
	if err != nil {
		t.Fatalf("AssumeRole through credentials-go: %v", err)
	}
	if !strings.HasPrefix(cc.AccessKeyId, "STS.") || !strings.HasPrefix(cc.SecurityToken, "CAIS") || cc.AccessKeySecret == "" ||
		cc.ProviderName != "ram_role_arn/static_ak" {
		t.Fatalf("credentials %+v", cc)
	}

	rec := lastRequest(t, s)
	wantParams := map[string]string{"RoleArn": testRoleArn, "RoleSessionName": testSessionName, "DurationSeconds": "1800", "Policy": testSTSPolicy}
	if rec.Action != ActionAssumeRole || rec.Version != STSAPIVersion || rec.SignatureMethod != AlgorithmRPC ||
		rec.AccessKeyID != testAK || rec.SecurityToken != "" || rec.HTTPStatus != 200 || rec.Code != "" ||
		rec.IssuedAccessKeyID != cc.AccessKeyId || rec.OrderID != "" || rec.Fault != "" ||
		fmt.Sprint(rec.Params) != fmt.Sprint(wantParams) {
		t.Errorf("record %+v", rec)
	}
	issued := s.Issued()
	if len(issued) != 1 {
		t.Fatalf("issued %+v", issued)
	}
	checkIssued(t, issued[0], IssuedCredential{
		Via: ViaAssumeRole, RequestID: rec.RequestID, BaseAccessKeyID: testAK, RoleArn: testRoleArn,
		RoleSessionName: testSessionName, DurationSeconds: 1800, Policy: testSTSPolicy, AccessKeyID: cc.AccessKeyId,
	}, begin)

	// A second GetCredentials uses the cached, unexpired key.
	if again, err := p.GetCredentials(); err != nil || again.AccessKeyId != cc.AccessKeyId {
		t.Errorf("second GetCredentials: %v %v", again, err)
	}

	// The issued key orders, with its token; not with another or none.
	if err := vpcCallWith(t, addr, cc.AccessKeyId, cc.AccessKeySecret, cc.SecurityToken); err == nil || !strings.Contains(err.Error(), "ServiceUnavailable") {
		t.Fatalf("injected fault: %v", err)
	}
	if err := vpcCallWith(t, addr, cc.AccessKeyId, cc.AccessKeySecret, cc.SecurityToken); err != nil {
		t.Fatalf("VPC call with the STS key: %v", err)
	}
	if rec := lastRequest(t, s); rec.AccessKeyID != cc.AccessKeyId || rec.SecurityToken != cc.SecurityToken || rec.OrderID == "" {
		t.Errorf("record %+v", rec)
	}
	if err := vpcCallWith(t, addr, cc.AccessKeyId, cc.AccessKeySecret, cc.SecurityToken+"x"); err == nil ||
		!strings.Contains(err.Error(), "InvalidSecurityToken.MismatchWithAccessKey") {
		t.Errorf("wrong token: %v", err)
	}
	if err := vpcCallWith(t, addr, cc.AccessKeyId, cc.AccessKeySecret, ""); err == nil || !strings.Contains(err.Error(), "MissingSecurityToken") {
		t.Errorf("no token: %v", err)
	}
	if n := len(s.Orders()); n != 2 {
		t.Errorf("%d orders, want 2", n)
	}

	// Role chaining: the STS key (and its token) signs the next AssumeRole,
	// here with the access key builder options and an external ID.
	chained, err := providers.NewRAMRoleARNCredentialsProviderBuilder().
		WithAccessKeyId(cc.AccessKeyId).
		WithAccessKeySecret(cc.AccessKeySecret).
		WithSecurityToken(cc.SecurityToken).
		WithRoleArn(testExtRoleArn).
		WithExternalId(testExternalID).
		WithStsEndpoint(addr).
		Build()
	if err != nil {
		t.Fatal(err)
	}
	cc2, err := chained.GetCredentials()
	if err != nil {
		t.Fatalf("chained AssumeRole: %v", err)
	}
	rec = lastRequest(t, s)
	if rec.AccessKeyID != cc.AccessKeyId || rec.SecurityToken != cc.SecurityToken || rec.Params["ExternalId"] != testExternalID {
		t.Errorf("chained record %+v", rec)
	}
	issued = s.Issued()
	if len(issued) != 2 || issued[1].BaseAccessKeyID != cc.AccessKeyId || issued[1].AccessKeyID != cc2.AccessKeyId ||
		issued[1].ExternalID != testExternalID || issued[1].DurationSeconds != DefaultDurationSeconds ||
		!strings.HasPrefix(issued[1].RoleSessionName, "credentials-go-") {
		t.Errorf("issued %+v", issued)
	}
	if err := vpcCallWith(t, addr, cc2.AccessKeyId, cc2.AccessKeySecret, cc2.SecurityToken); err != nil {
		t.Errorf("VPC call with the chained key: %v", err)
	}

	// Refusals, as credentials-go reports them.
	for _, tc := range []struct {
		name                string
		ak, secret, roleArn string
		externalID          string
		duration            int
		want                string
	}{
		{"unknown role", testAK, testSecret, "acs:ram::1234567890123456:role/nobody", "", 0, "EntityNotExist.Role"},
		{"wrong external ID", testAK, testSecret, testExtRoleArn, "other", 0, "NoPermission"},
		{"missing external ID", testAK, testSecret, testExtRoleArn, "", 0, "NoPermission"},
		{"duration too long", testAK, testSecret, testRoleArn, "", 43201, "InvalidParameter.DurationSeconds"},
		{"wrong secret", testAK, "wrong", testRoleArn, "", 0, "SignatureDoesNotMatch"},
		{"unknown key", "LTAInobody", testSecret, testRoleArn, "", 0, "InvalidAccessKeyId.NotFound"},
	} {
		b := providers.NewRAMRoleARNCredentialsProviderBuilder().
			WithAccessKeyId(tc.ak).WithAccessKeySecret(tc.secret).
			WithRoleArn(tc.roleArn).WithStsEndpoint(addr).WithDurationSeconds(tc.duration)
		if tc.externalID != "" {
			b = b.WithExternalId(tc.externalID)
		}
		p, err := b.Build()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := p.GetCredentials(); err == nil || !strings.Contains(err.Error(), `"Code":"`+tc.want+`"`) ||
			!strings.Contains(err.Error(), `"HostId":"sts.aliyuncs.com"`) {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
	if n := len(s.Issued()); n != 2 {
		t.Errorf("%d keys issued, want 2", n)
	}
}

func TestAssumeRoleWithOIDCCredentialsGo(t *testing.T) {
	s, addr := newSTSServer(t)
	dir := t.TempDir()
	tokenFile := filepath.Join(dir, "token")
	if err := os.WriteFile(tokenFile, []byte(testOIDCToken), 0o600); err != nil {
		t.Fatal(err)
	}
	build := func(providerArn, roleArn, file string) *providers.OIDCCredentialsProvider {
		t.Helper()
		p, err := providers.NewOIDCCredentialsProviderBuilder().
			WithOIDCTokenFilePath(file).
			WithOIDCProviderARN(providerArn).
			WithRoleArn(roleArn).
			WithRoleSessionName(testSessionName).
			WithDurationSeconds(900).
			WithSTSEndpoint(addr).
			Build()
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	begin := time.Now()
	cc, err := build(testOIDCArn, testRoleArn, tokenFile).GetCredentials()
	if err != nil {
		t.Fatalf("AssumeRoleWithOIDC through credentials-go: %v", err)
	}
	if !strings.HasPrefix(cc.AccessKeyId, "STS.") || !strings.HasPrefix(cc.SecurityToken, "CAIS") || cc.ProviderName != "oidc_role_arn" {
		t.Fatalf("credentials %+v", cc)
	}
	rec := lastRequest(t, s)
	wantParams := map[string]string{"RoleArn": testRoleArn, "OIDCProviderArn": testOIDCArn, "OIDCToken": RedactedValue,
		"RoleSessionName": testSessionName, "DurationSeconds": "900"}
	if rec.Action != ActionAssumeRoleWithOIDC || rec.Version != STSAPIVersion || rec.SignatureMethod != "" || rec.AccessKeyID != "" ||
		rec.HTTPStatus != 200 || rec.IssuedAccessKeyID != cc.AccessKeyId || fmt.Sprint(rec.Params) != fmt.Sprint(wantParams) {
		t.Errorf("record %+v", rec)
	}
	issued := s.Issued()
	if len(issued) != 1 {
		t.Fatalf("issued %+v", issued)
	}
	checkIssued(t, issued[0], IssuedCredential{
		Via: ViaAssumeRoleWithOIDC, RequestID: rec.RequestID, OIDCProviderArn: testOIDCArn, RoleArn: testRoleArn,
		RoleSessionName: testSessionName, DurationSeconds: 900, AccessKeyID: cc.AccessKeyId,
	}, begin)
	if err := vpcCallWith(t, addr, cc.AccessKeyId, cc.AccessKeySecret, cc.SecurityToken); err != nil {
		t.Fatalf("VPC call with the OIDC key: %v", err)
	}
	if err := vpcCallWith(t, addr, cc.AccessKeyId, cc.AccessKeySecret, "CAISwrong"); err == nil ||
		!strings.Contains(err.Error(), "InvalidSecurityToken.MismatchWithAccessKey") {
		t.Errorf("wrong token: %v", err)
	}

	// Refusals.
	wrongFile := filepath.Join(dir, "wrong")
	if err := os.WriteFile(wrongFile, []byte(testOIDCToken+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, providerArn, roleArn, file, want string
	}{
		{"wrong token", testOIDCArn, testRoleArn, wrongFile, "AuthenticationFail.OIDCToken.Invalid"},
		{"unknown provider", "acs:ram::1234567890123456:oidc-provider/other", testRoleArn, tokenFile, "EntityNotExist.OIDCProvider"},
		{"unknown role", testOIDCArn, "acs:ram::1234567890123456:role/nobody", tokenFile, "EntityNotExist.Role"},
	} {
		if _, err := build(tc.providerArn, tc.roleArn, tc.file).GetCredentials(); err == nil || !strings.Contains(err.Error(), `"Code":"`+tc.want+`"`) {
			t.Errorf("%s: %v", tc.name, err)
		}
	}

	// The token is never recorded.
	for _, v := range []any{s.Requests(), s.Issued()} {
		if b, _ := json.Marshal(v); strings.Contains(string(b), testOIDCToken) {
			t.Errorf("the OIDC token is recorded: %s", b)
		}
	}
}

// stsCall is an AssumeRole call signed by the test helper, with the
// parameters in a form body as credentials-go sends them.
func stsCall(algo string, date time.Time, params map[string]string) call {
	c := newCall(algo, date, params)
	c.action, c.version, c.inBody = ActionAssumeRole, STSAPIVersion, true
	return c
}

// stsAnswer decodes a successful STS answer.
func stsAnswer(t *testing.T, r result) stsBody {
	t.Helper()
	wantOK(t, r)
	var b stsBody
	if err := json.Unmarshal([]byte(r.raw), &b); err != nil {
		t.Fatal(err)
	}
	return b
}

func TestAssumeRoleValidationAndExpiry(t *testing.T) {
	s, addr, clk := newTestServer(t, nil)
	s.AddRole(testRoleArn, "")
	s.AddRole(testExtRoleArn, testExternalID)
	s.Inject(Fault{Kind: Unavailable})
	params := func(kv ...string) map[string]string {
		return withParams(map[string]string{"RoleArn": testRoleArn, "RoleSessionName": "session"}, kv...)
	}
	for _, algo := range []string{AlgorithmRPC, AlgorithmACS3} {
		for _, tc := range []struct {
			p      map[string]string
			status int
			code   string
		}{
			{params("RoleArn", "-"), 400, "MissingRoleArn"},
			{params("RoleSessionName", "-"), 400, "MissingRoleSessionName"},
			{params("RoleSessionName", "a"), 400, "InvalidParameter.RoleSessionName"},
			{params("RoleSessionName", "has space"), 400, "InvalidParameter.RoleSessionName"},
			{params("RoleSessionName", strings.Repeat("a", 65)), 400, "InvalidParameter.RoleSessionName"},
			{params("DurationSeconds", "899"), 400, "InvalidParameter.DurationSeconds"},
			{params("DurationSeconds", "43201"), 400, "InvalidParameter.DurationSeconds"},
			{params("DurationSeconds", "1h"), 400, "InvalidParameter.DurationSeconds"},
			{params("Policy", "{not json"), 400, "InvalidParameter.PolicyGrammar"},
			{params("RoleArn", "acs:ram::1:role/none"), 404, "EntityNotExist.Role"},
			{params("RoleArn", testExtRoleArn), 403, "NoPermission"},
			{params("RoleArn", testExtRoleArn, "ExternalId", "nope"), 403, "NoPermission"},
		} {
			r := stsCall(algo, clk.Now(), tc.p).do(t, addr)
			wantErr(t, r, tc.status, tc.code)
			if !strings.Contains(r.raw, `"HostId":"sts.aliyuncs.com"`) {
				t.Errorf("body %s", r.raw)
			}
		}
		c := stsCall(algo, clk.Now(), params())
		c.version = APIVersion
		wantErr(t, c.do(t, addr), 400, "InvalidVersion")
		c = stsCall(algo, clk.Now(), params())
		c.secret = "wrong"
		wantErr(t, c.do(t, addr), 400, "SignatureDoesNotMatch")
	}
	if n := len(s.Issued()); n != 0 {
		t.Fatalf("%d keys issued", n)
	}

	// Success with the edge durations, by both signatures, with the
	// parameters in the query or the body; STS requests consume no fault.
	b := stsAnswer(t, stsCall(AlgorithmACS3, clk.Now(), params("DurationSeconds", "900")).do(t, addr))
	want := clk.Now().Add(900 * time.Second).UTC().Format(utcLayout)
	if b.RequestID == "" || b.Credentials.Expiration != want || b.AssumedRoleUser.Arn != "acs:ram::1234567890123456:assumed-role/terraform/session" ||
		!strings.HasSuffix(b.AssumedRoleUser.AssumedRoleID, ":session") {
		t.Errorf("answer %+v, want Expiration %s", b, want)
	}
	c := stsCall(AlgorithmRPC, clk.Now(), params("RoleArn", testExtRoleArn, "ExternalId", testExternalID, "DurationSeconds", "43200"))
	c.inBody = false
	long := stsAnswer(t, c.do(t, addr))
	if got := s.Issued(); len(got) != 2 || got[1].ExternalID != testExternalID || got[1].DurationSeconds != 43200 ||
		got[0].RequestID != b.RequestID || got[1].RequestID != long.RequestID {
		t.Errorf("issued %+v", got)
	}
	if len(s.Orders()) != 0 || lastRequest(t, s).Fault != "" {
		t.Error("an STS request consumed the fault")
	}
	wantErr(t, newCall(AlgorithmRPC, clk.Now(), orderParams("")).do(t, addr), 503, "ServiceUnavailable")

	// The issued key works until it expires, by Config.Now.
	s.SetEnableLag(24 * time.Hour) // the circuit keeps waiting for payment while the clock runs
	order := func(cr stsCredentials, token string) result {
		c := newCall(AlgorithmRPC, clk.Now(), orderParams(""))
		c.ak, c.secret, c.token = cr.AccessKeyID, cr.AccessKeySecret, token
		return c.do(t, addr)
	}
	wantOK(t, order(b.Credentials, b.Credentials.SecurityToken))
	clk.Advance(899 * time.Second)
	wantOK(t, order(b.Credentials, b.Credentials.SecurityToken))
	clk.Advance(time.Second)
	wantErr(t, order(b.Credentials, b.Credentials.SecurityToken), 400, "InvalidSecurityToken.Expired")
	wantErr(t, order(b.Credentials, "other"), 400, "InvalidSecurityToken.MismatchWithAccessKey")
	// An expired key cannot assume a role either; the long one can.
	c = stsCall(AlgorithmRPC, clk.Now(), params())
	c.ak, c.secret, c.token = b.Credentials.AccessKeyID, b.Credentials.AccessKeySecret, b.Credentials.SecurityToken
	wantErr(t, c.do(t, addr), 400, "InvalidSecurityToken.Expired")
	c.ak, c.secret, c.token = long.Credentials.AccessKeyID, long.Credentials.AccessKeySecret, long.Credentials.SecurityToken
	stsAnswer(t, c.do(t, addr))
	if got := s.Issued(); len(got) != 3 || got[2].BaseAccessKeyID != long.Credentials.AccessKeyID {
		t.Errorf("issued %+v", got)
	}

	// A configured key can expire too.
	s2, addr2, clk2 := newTestServer(t, func(c *Config) {
		c.Credentials[stsAK] = Credential{AccessKeySecret: stsSecret, SecurityToken: stsToken, Expiration: c.Now().Add(time.Minute)}
	})
	o := newCall(AlgorithmACS3, clk2.Now(), orderParams(""))
	o.ak, o.secret, o.token = stsAK, stsSecret, stsToken
	wantOK(t, o.do(t, addr2))
	clk2.Advance(time.Minute)
	o.date = clk2.Now()
	wantErr(t, o.do(t, addr2), 400, "InvalidSecurityToken.Expired")
	if n := len(s2.Orders()); n != 1 {
		t.Errorf("%d orders", n)
	}
}

func TestAssumeRoleWithOIDCValidation(t *testing.T) {
	s, addr, clk := newTestServer(t, nil)
	s.AddRole(testRoleArn, testExternalID) // the external ID does not apply to OIDC
	s.AddOIDCToken(testOIDCArn, testOIDCToken)
	s.AddOIDCToken(testOIDCArn, "second-token")
	post := func(p map[string]string, version string) result {
		form := map[string]string{}
		for k, v := range p {
			form[k] = v
		}
		q := encode(map[string]string{"Action": ActionAssumeRoleWithOIDC, "Version": version, "Format": "JSON",
			"Timestamp": clk.Now().Format(utcLayout)})
		req, err := http.NewRequest(http.MethodPost, "http://"+addr+"/?"+q, strings.NewReader(encode(form)))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		return send(t, req)
	}
	params := func(kv ...string) map[string]string {
		return withParams(map[string]string{"RoleArn": testRoleArn, "OIDCProviderArn": testOIDCArn, "OIDCToken": testOIDCToken}, kv...)
	}
	for _, tc := range []struct {
		p      map[string]string
		status int
		code   string
	}{
		{params("RoleArn", "-"), 400, "MissingRoleArn"},
		{params("OIDCProviderArn", "-"), 400, "MissingOIDCProviderArn"},
		{params("OIDCToken", "-"), 400, "MissingOIDCToken"},
		{params("DurationSeconds", "100"), 400, "InvalidParameter.DurationSeconds"},
		{params("RoleSessionName", "bad name"), 400, "InvalidParameter.RoleSessionName"},
		{params("Policy", "[]"), 400, "InvalidParameter.PolicyGrammar"},
		{params("OIDCToken", "forged"), 400, "AuthenticationFail.OIDCToken.Invalid"},
		{params("OIDCProviderArn", "acs:ram::1:oidc-provider/x"), 404, "EntityNotExist.OIDCProvider"},
		{params("RoleArn", "acs:ram::1:role/none"), 404, "EntityNotExist.Role"},
	} {
		r := post(tc.p, STSAPIVersion)
		wantErr(t, r, tc.status, tc.code)
		if strings.Contains(r.raw, testOIDCToken) {
			t.Errorf("the answer shows the token: %s", r.raw)
		}
	}
	wantErr(t, post(params(), APIVersion), 400, "InvalidVersion")

	// No RoleSessionName is fine; one is made up. Either token works.
	r := post(params("OIDCToken", "second-token", "Policy", testSTSPolicy), STSAPIVersion)
	var b stsBody
	if err := json.Unmarshal([]byte(wantOKRaw(t, r)), &b); err != nil {
		t.Fatal(err)
	}
	issued := s.Issued()
	if len(issued) != 1 || !strings.HasPrefix(issued[0].RoleSessionName, "oidc-") || issued[0].DurationSeconds != 3600 ||
		issued[0].Policy != testSTSPolicy || issued[0].AccessKeyID != b.Credentials.AccessKeyID ||
		b.AssumedRoleUser.Arn != "acs:ram::1234567890123456:assumed-role/terraform/"+issued[0].RoleSessionName {
		t.Errorf("issued %+v, answer %+v", issued, b)
	}
	for _, rec := range s.Requests() {
		if tok, ok := rec.Params["OIDCToken"]; ok && tok != RedactedValue {
			t.Errorf("record %+v", rec)
		}
	}
}

func TestConcurrentIssue(t *testing.T) {
	s, addr, clk := newTestServer(t, nil)
	s.AddRole(testRoleArn, "")
	var wg sync.WaitGroup
	keys := make([]string, 30)
	for i := range keys {
		wg.Add(1)
		go func() {
			defer wg.Done()
			switch i % 3 {
			case 0:
				res, err := http.Get("http://" + addr + CredentialsURIPath)
				if err != nil {
					t.Error(err)
					return
				}
				var c stsCredentials
				_ = json.NewDecoder(res.Body).Decode(&c)
				_ = res.Body.Close()
				keys[i] = c.AccessKeyID
			default:
				r := stsCall(AlgorithmRPC, clk.Now(), map[string]string{"RoleArn": testRoleArn, "RoleSessionName": fmt.Sprint("s", i)}).do(t, addr)
				if r.err == nil && r.status == 200 {
					var b stsBody
					_ = json.Unmarshal([]byte(r.raw), &b)
					keys[i] = b.Credentials.AccessKeyID
				}
			}
			_ = s.Issued()
			_ = s.Requests()
		}()
	}
	wg.Wait()
	seen := map[string]bool{}
	for _, k := range keys {
		if k == "" || seen[k] {
			t.Fatalf("keys %v", keys)
		}
		seen[k] = true
	}
	if n := len(s.Issued()); n != len(keys) {
		t.Errorf("%d issued", n)
	}
	// Every issued key orders.
	for _, ic := range s.Issued()[:3] {
		s.mu.Lock()
		cred := s.creds[ic.AccessKeyID]
		s.mu.Unlock()
		c := newCall(AlgorithmACS3, clk.Now(), orderParams(""))
		c.ak, c.secret, c.token = ic.AccessKeyID, cred.AccessKeySecret, cred.SecurityToken
		wantOK(t, c.do(t, addr))
	}
}
