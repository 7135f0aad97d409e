package provider

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"maps"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aliyun/credentials-go/credentials"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/pcorder/terraform-provider-alicloud/internal/client"
	"github.com/pcorder/terraform-provider-alicloud/internal/fakealicloud"
)

// Credentials the fake knows and the tests sign with.
const (
	testAccessKey = "LTAI5tFAKEACCESSKEY01"
	testSecretKey = "fake-secret-Zq8sXv3nP0rT6wYb"
	testRegion    = "cn-hangzhou"
	// A second key and region, for precedence tests.
	testAccessKey2 = "LTAI5tFAKEACCESSKEY02"
	testSecretKey2 = "fake-secret-second-Hh7kQ2"
	testRegion2    = "cn-shanghai"
	testPCID       = "pc-bp1hp0wr072f6ambni141"
	testPCID2      = "pc-bp1second0connection2"
	testPCPending  = "pc-bp1notreadyyet000000"
	resourceAddr   = "alicloud_pc_occupancy_order.test"
)

// testEnv is one acceptance test's world: a fake VPC endpoint and a provider
// factory wired to it through an injected environment, so tests run in
// parallel without touching the process environment.
type testEnv struct {
	t    *testing.T
	fake *fakealicloud.Server
	addr string
	env  map[string]string
	opts Options
	// dials counts the connections the provider opened.
	dials atomic.Int64
}

// testCertificate is the certificate of every TLS fake in this process;
// TestMain makes the process trust it through SSL_CERT_FILE, as
// credentials-go only talks to STS over HTTPS with the system roots.
var testCertificate *tls.Certificate

func TestMain(m *testing.M) {
	cert, pem, err := fakealicloud.NewCertificate()
	if err != nil {
		fmt.Fprintln(os.Stderr, "creating the test certificate:", err)
		os.Exit(1)
	}
	testCertificate = &cert
	f, err := os.CreateTemp("", "fakealicloud-ca-*.pem")
	if err == nil {
		_, err = f.Write(pem)
		err = errors.Join(err, f.Close())
	}
	if err == nil {
		err = os.Setenv("SSL_CERT_FILE", f.Name())
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "trusting the test certificate:", err)
		os.Exit(1)
	}
	code := m.Run()
	_ = os.Remove(f.Name())
	if builtProvider.plugins != "" {
		_ = os.RemoveAll(builtProvider.plugins)
	}
	os.Exit(code)
}

type envSettings struct {
	fake    fakealicloud.Config
	opts    Options
	tls     bool
	waiting bool
}

type envOption func(*envSettings)

func withFirstOrderID(id uint64, asString bool) envOption {
	return func(s *envSettings) { s.fake.FirstOrderID, s.fake.OrderIDAsString = id, asString }
}

// withUnreachableAfter shortens how long a call may fail to reach the
// endpoint before it stops.
func withUnreachableAfter(d time.Duration) envOption {
	return func(s *envSettings) { s.opts.Retry.UnreachableAfter = d }
}

// withFakeConfig changes the fake's configuration before it starts.
func withFakeConfig(change func(*fakealicloud.Config)) envOption {
	return func(s *envSettings) { change(&s.fake) }
}

// withPaymentWait shortens the payment check's bound and poll interval.
func withPaymentWait(wait, poll time.Duration) envOption {
	return func(s *envSettings) { s.opts.PaymentWait, s.opts.PaymentPoll = wait, poll }
}

func withSignatureAlgorithm(alg string) envOption {
	return func(s *envSettings) { s.opts.SignatureAlgorithm = alg }
}

// withCredential makes the fake know (or re-know) one AccessKey.
func withCredential(key string, c fakealicloud.Credential) envOption {
	return func(s *envSettings) { s.fake.Credentials[key] = c }
}

// withTLS serves the fake over HTTPS with the process's trusted certificate.
func withTLS() envOption {
	return func(s *envSettings) { s.tls, s.fake.TLSCertificate = true, testCertificate }
}

func newTestEnv(t *testing.T, opts ...envOption) *testEnv {
	t.Helper()
	s := envSettings{
		fake: fakealicloud.Config{Credentials: map[string]fakealicloud.Credential{
			testAccessKey:  {AccessKeySecret: testSecretKey},
			testAccessKey2: {AccessKeySecret: testSecretKey2},
		}},
		opts: Options{
			// Short waits keep fault tests quick; the policy's shape is
			// the production one.
			Retry: client.RetryPolicy{InitialBackoff: 10 * time.Millisecond, MaxBackoff: 100 * time.Millisecond, AttemptTimeout: 5 * time.Second},
		},
	}
	for _, o := range opts {
		o(&s)
	}
	e := &testEnv{t: t, env: map[string]string{}, opts: s.opts}
	e.fake = fakealicloud.New(s.fake)
	var addr string
	var err error
	if s.tls {
		addr, _, err = e.fake.StartTLS()
	} else {
		addr, err = e.fake.Start()
	}
	if err != nil {
		t.Fatalf("starting the fake VPC API: %v", err)
	}
	t.Cleanup(e.fake.Close)
	e.addr = addr
	e.fake.AddPhysicalConnection(testPCID, testRegion, "Confirmed")
	e.fake.AddPhysicalConnection(testPCID2, testRegion, "Complete")
	e.fake.AddPhysicalConnection(testPCPending, testRegion, "Allocated")
	if s.waiting {
		e.fake.SetEnableLag(100 * 365 * 24 * time.Hour)
	}
	return e
}

// factories returns the provider served in-process, with e's environment.
func (e *testEnv) factories() map[string]func() (tfprotov6.ProviderServer, error) {
	opts := e.opts
	opts.Getenv = func(k string) string { return e.env[k] }
	if opts.HTTPClient == nil {
		opts.HTTPClient = loopbackOnlyHTTPClient(&e.dials)
	}
	return map[string]func() (tfprotov6.ProviderServer, error){
		"alicloud": providerserver.NewProtocol6WithError(NewWithOptions("test", opts)()),
	}
}

// providerBlock is a provider block that reaches the fake over HTTP, with
// some of its arguments replaced by the given HCL expressions ("endpoints"
// replaces the block's body).
func (e *testEnv) providerBlock(overrides map[string]string) string {
	args := map[string]string{
		"region":     fmt.Sprintf("%q", testRegion),
		"access_key": fmt.Sprintf("%q", testAccessKey),
		"secret_key": fmt.Sprintf("%q", testSecretKey),
		"protocol":   `"HTTP"`,
		"endpoints":  fmt.Sprintf("{\n    vpc        = %q\n    bssopenapi = %q\n  }", e.addr, e.addr),
	}
	maps.Copy(args, overrides)
	var b strings.Builder
	b.WriteString("provider \"alicloud\" {\n")
	for _, k := range []string{"region", "access_key", "secret_key", "protocol"} {
		fmt.Fprintf(&b, "  %s = %s\n", k, args[k])
	}
	fmt.Fprintf(&b, "  endpoints %s\n}\n", args["endpoints"])
	return b.String()
}

// config is the provider block followed by one resource "test" with the
// given body.
func (e *testEnv) config(body string) string {
	return e.providerBlock(nil) + "\nresource \"alicloud_pc_occupancy_order\" \"test\" {\n" + body + "\n}\n"
}

// createRequests returns the CreatePhysicalConnectionOccupancyOrder requests
// the fake received.
func (e *testEnv) createRequests() []fakealicloud.Request {
	return e.requestsFor(client.ActionCreateOccupancyOrder)
}

// checkRequestCount fails unless the fake has received exactly n create
// requests so far.
func (e *testEnv) checkRequestCount(n int) func(*terraform.State) error {
	return func(*terraform.State) error {
		if got := len(e.createRequests()); got != n {
			return fmt.Errorf("the fake received %d create requests, want %d", got, n)
		}
		return nil
	}
}

// checkNoRequests fails unless the fake has received no request at all.
func (e *testEnv) checkNoRequests() func(*terraform.State) error {
	return func(*terraform.State) error {
		if reqs := e.fake.Requests(); len(reqs) != 0 {
			return fmt.Errorf("the fake received %d requests, the first %s, want none", len(reqs), reqs[0].Action)
		}
		return nil
	}
}

// checkOrderCount fails unless the fake holds exactly n orders.
func (e *testEnv) checkOrderCount(n int) func(*terraform.State) error {
	return func(*terraform.State) error {
		if got := len(e.fake.Orders()); got != n {
			return fmt.Errorf("the fake holds %d orders, want %d", got, n)
		}
		return nil
	}
}

// checkLastParams fails unless the last create request carried exactly
// the parameters want, with API version 2016-04-28, signed by the test key.
func (e *testEnv) checkLastParams(want map[string]string) func(*terraform.State) error {
	return func(*terraform.State) error {
		reqs := e.createRequests()
		if len(reqs) == 0 {
			return fmt.Errorf("the fake received no create request")
		}
		got := reqs[len(reqs)-1]
		if !maps.Equal(got.Params, want) {
			return fmt.Errorf("the fake received parameters\n  %v\nwant\n  %v", got.Params, want)
		}
		if got.Version != client.VPCAPIVersion {
			return fmt.Errorf("the fake received version %q, want %q", got.Version, client.VPCAPIVersion)
		}
		if got.AccessKeyID != testAccessKey {
			return fmt.Errorf("the request was signed by %q, want %q", got.AccessKeyID, testAccessKey)
		}
		return nil
	}
}

// skipUnlessAcc skips acceptance tests unless TF_ACC is set, as
// terraform-plugin-testing would, before any fake is started.
func skipUnlessAcc(t *testing.T) {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance tests run with TF_ACC=1 (make test)")
	}
}

// expectReplacedBy is a plan check that fails unless the plan replaces addr
// because of the top-level attribute attr.
func expectReplacedBy(addr, attr string) plancheck.PlanCheck {
	return replacedBy{addr: addr, attr: attr}
}

type replacedBy struct{ addr, attr string }

func (c replacedBy) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	for _, rc := range req.Plan.ResourceChanges {
		if rc.Address != c.addr {
			continue
		}
		for _, p := range rc.Change.ReplacePaths {
			if steps, ok := p.([]any); ok && len(steps) == 1 && steps[0] == c.attr {
				return
			}
		}
		resp.Error = fmt.Errorf("%s: replace paths %v do not include %s", c.addr, rc.Change.ReplacePaths, c.attr)
		return
	}
	resp.Error = fmt.Errorf("%s is not in the plan", c.addr)
}

// checkOneToken fails unless every create request carried token.
func (e *testEnv) checkOneToken(token string) func(*terraform.State) error {
	return func(*terraform.State) error {
		for i, r := range e.createRequests() {
			if got := r.Params["ClientToken"]; got != token {
				return fmt.Errorf("attempt %d carried client token %q, want %q", i+1, got, token)
			}
		}
		return nil
	}
}

func writeFile(t *testing.T, name, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

func tail(b []byte) string {
	const n = 4000
	if len(b) > n {
		return "..." + string(b[len(b)-n:])
	}
	return string(b)
}

// checkSignature fails unless every request was signed with alg and
// accepted.
func checkSignature(e *testEnv, alg string) func(*terraform.State) error {
	return func(*terraform.State) error {
		for _, r := range e.createRequests() {
			if r.SignatureMethod != alg || r.Code != "" {
				return fmt.Errorf("request %s: signature %q, code %q; want %q accepted", r.RequestID, r.SignatureMethod, r.Code, alg)
			}
		}
		return nil
	}
}

// loopbackOnlyHTTPClient is the provider's HTTP client, except that it
// refuses, without resolving anything, to dial any host but a loopback
// address: a test that forgets an endpoint fails instead of reaching
// Alibaba Cloud (or its DNS).
func loopbackOnlyHTTPClient(dials *atomic.Int64) *http.Client {
	c := client.NewHTTPClient()
	tr, _ := c.Transport.(*http.Transport)
	dial := tr.DialContext
	tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		host, _, err := net.SplitHostPort(addr)
		if err != nil {
			return nil, err
		}
		if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
			return nil, fmt.Errorf("test refused to dial %s: tests reach loopback only", addr)
		}
		if dials != nil {
			dials.Add(1)
		}
		return dial(ctx, network, addr)
	}
	return c
}

// staticTestCredential signs with the test key, for tests that build a
// client themselves.
func staticTestCredential(t *testing.T) credentials.Credential {
	t.Helper()
	c, _, err := client.NewCredential(client.CredentialConfig{AccessKey: testAccessKey, SecretKey: testSecretKey})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// addCircuits adds n circuits waiting for payment, pc-bulk000 and up, as
// the HCL expression bulkCircuit names them: a circuit takes one order.
func (e *testEnv) addCircuits(n int) {
	for i := range n {
		e.fake.AddPhysicalConnection(fmt.Sprintf("pc-bulk%03d", i), testRegion, fakealicloud.StatusConfirmed)
	}
}

// bulkCircuit is the circuit of count.index among those of addCircuits.
const bulkCircuit = `format("pc-bulk%03d", count.index)`

// withCircuitsWaiting keeps every circuit waiting for payment after its
// order is paid, so that a test can replace an order on the same circuit;
// the follow-up to Enabled then ends at a short bound.
func withCircuitsWaiting() envOption {
	return func(s *envSettings) {
		s.waiting = true
		s.opts.PaymentWait, s.opts.PaymentPoll = time.Second, 200*time.Millisecond
	}
}

// unitClient is a client of e's fake with short retries, for the tests
// that call the resource's methods directly.
func (e *testEnv) unitClient(t *testing.T) *client.Client {
	t.Helper()
	c, err := client.New(client.Config{
		RegionID: testRegion, VPCEndpoint: e.addr, BillingEndpoint: e.addr, Protocol: client.ProtocolHTTP,
		Credential: staticTestCredential(t), HTTPClient: loopbackOnlyHTTPClient(nil),
		Retry: client.RetryPolicy{InitialBackoff: time.Millisecond, MaxBackoff: 10 * time.Millisecond, UnreachableAfter: 200 * time.Millisecond},
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}
