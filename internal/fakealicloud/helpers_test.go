package fakealicloud

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	"github.com/alibabacloud-go/tea/dara"
)

const (
	testAK     = "LTAItestkey"
	testSecret = "test-secret"
	stsAK      = "STS.testkey"
	stsSecret  = "sts-secret"
	stsToken   = "sts-token-value"
	testPC     = "pc-test1"
	testRegion = "cn-hangzhou"
)

// The certificate every TLS test server of the package serves. Its PEM is
// the file SSL_CERT_FILE names, so that clients using the system roots
// (credentials-go clones http.DefaultTransport) trust it: Go loads the
// system roots once per process, at the first verification, so this must
// happen before any test runs.
var (
	testCert    tls.Certificate
	testCertPEM []byte
)

func TestMain(m *testing.M) {
	os.Exit(runTests(m))
}

func runTests(m *testing.M) int {
	cert, certPEM, err := NewCertificate()
	if err != nil {
		fmt.Fprintln(os.Stderr, "NewCertificate:", err)
		return 1
	}
	testCert, testCertPEM = cert, certPEM
	dir, err := os.MkdirTemp("", "fakealicloud-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer func() { _ = os.RemoveAll(dir) }()
	path := filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(path, certPEM, 0o600); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	if err := os.Setenv("SSL_CERT_FILE", path); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	// credentials-go prefers these to what its builders are given.
	for _, name := range []string{"ALIBABA_CLOUD_OIDC_TOKEN", "ALIBABA_CLOUD_OIDC_TOKEN_FILE", "ALIBABA_CLOUD_CREDENTIALS_URI"} {
		_ = os.Unsetenv(name)
	}
	return m.Run()
}

// clock is a settable clock for the server under test.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// newTestServer starts a server with two keys (one needing a token) and one
// connection waiting for payment (Confirmed), on a fixed clock.
func newTestServer(t *testing.T, mod func(*Config)) (*Server, string, *clock) {
	t.Helper()
	clk := &clock{t: time.Date(2025, 3, 4, 5, 6, 7, 0, time.UTC)}
	cfg := Config{
		Credentials: map[string]Credential{
			testAK: {AccessKeySecret: testSecret},
			stsAK:  {AccessKeySecret: stsSecret, SecurityToken: stsToken},
		},
		Now: clk.Now,
	}
	if mod != nil {
		mod(&cfg)
	}
	s := New(cfg)
	s.AddPhysicalConnection(testPC, testRegion, StatusConfirmed)
	return s, start(t, s), clk
}

func start(t *testing.T, s *Server) string {
	t.Helper()
	addr, err := s.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return addr
}

// startTLS serves s over TLS, which must use the shared test certificate,
// and returns the address.
func startTLS(t *testing.T, s *Server) string {
	t.Helper()
	addr, certPEM, err := s.StartTLS()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	if !bytes.Equal(certPEM, testCertPEM) {
		t.Fatal("StartTLS did not serve Config.TLSCertificate")
	}
	return addr
}

// systemRootsClient is a client like credentials-go's: a clone of
// http.DefaultTransport, trusting the system roots (SSL_CERT_FILE).
func systemRootsClient() *http.Client {
	transport, _ := http.DefaultTransport.(*http.Transport)
	return &http.Client{Transport: transport.Clone(), Timeout: 30 * time.Second}
}

var nonceSeq atomic.Int64

// call describes a signed API call made by the tests.
type call struct {
	algo          string // AlgorithmACS3 or AlgorithmRPC
	ak, secret    string
	token         string
	action        string
	version       string
	params        map[string]string
	inBody        bool // send params as a form body instead of the query
	date          time.Time
	nonce         string
	stamp         string // overrides date when set
	tamperHeaders func(h map[string]string)
	host          string // the Host header; "" means addr
}

func newCall(algo string, date time.Time, params map[string]string) call {
	return call{algo: algo, ak: testAK, secret: testSecret, action: ActionCreateOccupancyOrder, version: APIVersion, params: params, date: date}
}

// actionCall is an ACS3 call of action, with the parameters in the query.
func actionCall(action, version string, date time.Time, params map[string]string) call {
	c := newCall(AlgorithmACS3, date, params)
	c.action, c.version = action, version
	return c
}

// describeCall is a DescribePhysicalConnections call.
func describeCall(date time.Time, params map[string]string) call {
	return actionCall(ActionDescribePhysicalConnections, APIVersion, date, params)
}

// orderDetailCall is a GetOrderDetail call for orderID.
func orderDetailCall(date time.Time, orderID string) call {
	return actionCall(ActionGetOrderDetail, BillingAPIVersion, date, map[string]string{"OrderId": orderID})
}

// decodeOK checks a success and decodes its answer.
func decodeOK[T any](t *testing.T, r result) T {
	t.Helper()
	wantOK(t, r)
	var v T
	if err := json.Unmarshal([]byte(r.raw), &v); err != nil {
		t.Fatalf("answer %s: %v", r.raw, err)
	}
	return v
}

func orderParams(token string) map[string]string {
	p := map[string]string{
		"RegionId":             testRegion,
		"PhysicalConnectionId": testPC,
		"InstanceChargeType":   "PrePaid",
		"PricingCycle":         "Month",
		"Period":               "1",
		"AutoPay":              "true",
	}
	if token != "" {
		p["ClientToken"] = token
	}
	return p
}

// withParams changes p by kv, pairs of a key and a value ("-" deletes the
// key), and returns it.
func withParams(p map[string]string, kv ...string) map[string]string {
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "-" {
			delete(p, kv[i])
		} else {
			p[kv[i]] = kv[i+1]
		}
	}
	return p
}

// httpDo makes an unsigned request (to the admin endpoints) and returns the
// answer's status, Content-Type and body.
func httpDo(t *testing.T, method, url string) (status int, contentType, body string) {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = res.Body.Close() }()
	raw, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header.Get("Content-Type"), string(raw)
}

func encode(m map[string]string) string {
	v := url.Values{}
	for k, x := range m {
		v.Set(k, x)
	}
	return v.Encode()
}

// request builds the signed *http.Request for c against addr.
func (c call) request(t *testing.T, addr string) *http.Request {
	t.Helper()
	nonce := c.nonce
	if nonce == "" {
		nonce = fmt.Sprintf("nonce-%d", nonceSeq.Add(1))
	}
	stamp := c.date.UTC().Format("2006-01-02T15:04:05Z")
	if c.stamp != "" {
		stamp = c.stamp
	}
	query := map[string]string{}
	var body string
	if c.inBody {
		body = encode(c.params)
	} else {
		for k, v := range c.params {
			query[k] = v
		}
	}
	host := addr
	if c.host != "" {
		host = c.host
	}
	var headers map[string]string
	switch c.algo {
	case AlgorithmACS3:
		headers = map[string]string{
			"host":                  host,
			"x-acs-action":          c.action,
			"x-acs-version":         c.version,
			"x-acs-date":            stamp,
			"x-acs-signature-nonce": nonce,
			"x-acs-content-sha256":  HashPayload([]byte(body)),
		}
		if c.token != "" {
			headers["x-acs-security-token"] = c.token
		}
		if body != "" {
			headers["content-type"] = "application/x-www-form-urlencoded"
		}
		sig := SignACS3(http.MethodPost, "/", query, headers, headers["x-acs-content-sha256"], c.secret)
		signed := ACS3SignedHeaders(headers)
		if c.tamperHeaders != nil {
			c.tamperHeaders(headers)
		}
		headers["Authorization"] = "ACS3-HMAC-SHA256 Credential=" + c.ak + ",SignedHeaders=" + signed + ",Signature=" + sig
	case AlgorithmRPC:
		query["Action"] = c.action
		query["Version"] = c.version
		query["Format"] = "JSON"
		query["AccessKeyId"] = c.ak
		query["SignatureMethod"] = "HMAC-SHA1"
		query["SignatureVersion"] = "1.0"
		query["SignatureNonce"] = nonce
		query["Timestamp"] = stamp
		if c.token != "" {
			query["SecurityToken"] = c.token
		}
		all := map[string]string{}
		for k, v := range query {
			all[k] = v
		}
		if c.inBody {
			for k, v := range c.params {
				all[k] = v
			}
		}
		query["Signature"] = SignRPC(http.MethodPost, all, c.secret)
		headers = map[string]string{"host": host}
		if body != "" {
			headers["content-type"] = "application/x-www-form-urlencoded"
		}
	default:
		t.Fatalf("unknown algorithm %q", c.algo)
	}
	req, err := http.NewRequest(http.MethodPost, "http://"+addr+"/?"+encode(query), strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range headers {
		if k == "host" {
			req.Host = v
			continue
		}
		req.Header.Set(k, v)
	}
	return req
}

// result is a decoded answer.
type result struct {
	status    int
	header    http.Header
	raw       string
	code      string
	requestID string
	orderID   json.RawMessage
	err       error
}

var testTransport = &http.Transport{}

func send(t *testing.T, req *http.Request) result {
	t.Helper()
	res, err := (&http.Client{Transport: testTransport, Timeout: 30 * time.Second}).Do(req)
	if err != nil {
		return result{err: err}
	}
	defer func() { _ = res.Body.Close() }()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		return result{err: err}
	}
	var body struct {
		RequestID string `json:"RequestId"`
		Code      string
		Data      struct {
			OrderID json.RawMessage `json:"OrderId"`
		}
	}
	if err := json.Unmarshal(raw, &body); err != nil {
		t.Fatalf("answer %d is not JSON: %s", res.StatusCode, raw)
	}
	return result{status: res.StatusCode, header: res.Header, raw: string(raw), code: body.Code, requestID: body.RequestID, orderID: body.Data.OrderID}
}

func (c call) do(t *testing.T, addr string) result {
	t.Helper()
	return send(t, c.request(t, addr))
}

func wantOK(t *testing.T, r result) string {
	t.Helper()
	if r.err != nil {
		t.Fatalf("request failed: %v", r.err)
	}
	if r.status != http.StatusOK || r.code != "" && r.code != "Success" { // billing answers carry Code "Success"
		t.Fatalf("got %d %s: %s", r.status, r.code, r.raw)
	}
	return string(r.orderID)
}

// wantOKRaw checks a success and returns the raw answer.
func wantOKRaw(t *testing.T, r result) string {
	t.Helper()
	wantOK(t, r)
	return r.raw
}

func wantErr(t *testing.T, r result, status int, code string) {
	t.Helper()
	if r.err != nil {
		t.Fatalf("request failed: %v", r.err)
	}
	if r.status != status || r.code != code {
		t.Fatalf("got %d %q, want %d %q: %s", r.status, r.code, status, code, r.raw)
	}
}

// lastRequest returns the last recorded request.
func lastRequest(t *testing.T, s *Server) Request {
	t.Helper()
	reqs := s.Requests()
	if len(reqs) == 0 {
		t.Fatal("no request recorded")
	}
	return reqs[len(reqs)-1]
}

// sdkConfig is a configuration of the SDK for the fake at addr, over
// protocol ("HTTP" or "HTTPS"), with a key, a security token ("" for none)
// and a signature algorithm ("" for the SDK's default, ACS3-HMAC-SHA256;
// "v2" for HMAC-SHA1).
func sdkConfig(addr, protocol, ak, secret, token, algorithm string) *openapi.Config {
	cfg := &openapi.Config{
		AccessKeyId:     dara.String(ak),
		AccessKeySecret: dara.String(secret),
		Endpoint:        dara.String(addr),
		Protocol:        dara.String(protocol),
	}
	if token != "" {
		cfg.SecurityToken = dara.String(token)
	}
	if algorithm != "" {
		cfg.SignatureAlgorithm = dara.String(algorithm)
	}
	return cfg
}

// sdkCall makes one CreatePhysicalConnectionOccupancyOrder call with the
// real darabonba-openapi v2 SDK, the way the provider does: RPC style, POST
// to "/", the parameters in the query (or in a form body when inBody).
func sdkCall(t *testing.T, cfg *openapi.Config, params map[string]string, inBody bool) (map[string]any, error) {
	t.Helper()
	return sdkCallAction(t, cfg, ActionCreateOccupancyOrder, APIVersion, params, inBody)
}

// sdkCallAction is sdkCall for any action and version.
func sdkCallAction(t *testing.T, cfg *openapi.Config, action, version string, params map[string]string, inBody bool) (map[string]any, error) {
	t.Helper()
	client, err := openapi.NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	req := &openapi.OpenApiRequest{}
	if inBody {
		body := map[string]any{}
		for k, v := range params {
			body[k] = v
		}
		req.Body = body
	} else {
		req.Query = map[string]*string{}
		for k, v := range params {
			req.Query[k] = dara.String(v)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	return client.CallApiWithCtx(ctx, &openapi.Params{
		Action:      dara.String(action),
		Version:     dara.String(version),
		Protocol:    dara.String("HTTP"),
		Pathname:    dara.String("/"),
		Method:      dara.String("POST"),
		AuthType:    dara.String("AK"),
		Style:       dara.String("RPC"),
		ReqBodyType: dara.String("formData"),
		BodyType:    dara.String("string"),
	}, req, &dara.RuntimeOptions{})
}

// orderDetails returns the orders of a GetOrderDetail answer, checking
// that TotalCount counts them.
func orderDetails(t *testing.T, r result) []orderDetail {
	t.Helper()
	a := decodeOK[orderDetailAnswer](t, r)
	if !a.Success || a.Code != "Success" || a.Data.TotalCount != len(a.Data.OrderList.Order) {
		t.Fatalf("answer %s", r.raw)
	}
	return a.Data.OrderList.Order
}

// placeOrder commits an order with orderParams changed by kv (see
// withParams) and returns its ID.
func placeOrder(t *testing.T, addr string, now time.Time, kv ...string) string {
	t.Helper()
	return wantOK(t, newCall(AlgorithmACS3, now, withParams(orderParams(""), kv...)).do(t, addr))
}

// connectionIDs returns the IDs listed by a DescribePhysicalConnections
// answer and its TotalCount.
func connectionIDs(t *testing.T, r result) ([]string, int) {
	t.Helper()
	a := decodeOK[describeAnswer](t, r)
	var ids []string
	for _, c := range a.PhysicalConnectionSet.PhysicalConnectionType {
		ids = append(ids, c.PhysicalConnectionID)
	}
	return ids, a.TotalCount
}

// describeConnection returns circuit id as DescribePhysicalConnections
// filtered by its ID shows it in testRegion.
func describeConnection(t *testing.T, addr string, now time.Time, id string) connectionAnswer {
	t.Helper()
	a := decodeOK[describeAnswer](t, describeCall(now, map[string]string{"RegionId": testRegion,
		"Filter.1.Key": "PhysicalConnectionId", "Filter.1.Value.1": id}).do(t, addr))
	if len(a.PhysicalConnectionSet.PhysicalConnectionType) != 1 {
		t.Fatalf("%s is not listed: %+v", id, a)
	}
	return a.PhysicalConnectionSet.PhysicalConnectionType[0]
}
