package fakealicloud

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
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
// Enabled connection, on a fixed clock.
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
	s.AddPhysicalConnection(testPC, testRegion, "Enabled")
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
}

func newCall(algo string, date time.Time, params map[string]string) call {
	return call{algo: algo, ak: testAK, secret: testSecret, action: ActionCreateOccupancyOrder, version: APIVersion, params: params, date: date}
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
	var headers map[string]string
	switch c.algo {
	case AlgorithmACS3:
		headers = map[string]string{
			"host":                  addr,
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
		headers = map[string]string{}
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
	if r.status != http.StatusOK || r.code != "" {
		t.Fatalf("got %d %s: %s", r.status, r.code, r.raw)
	}
	return string(r.orderID)
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

func TestCreateOrderSuccess(t *testing.T) {
	for _, algo := range []string{AlgorithmACS3, AlgorithmRPC} {
		for _, inBody := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/body=%v", algo, inBody), func(t *testing.T) {
				s, addr, clk := newTestServer(t, nil)
				c := newCall(algo, clk.Now(), orderParams("tok-1"))
				c.inBody = inBody
				r := c.do(t, addr)
				if id := wantOK(t, r); id != "203167309740138" {
					t.Fatalf("OrderId = %s, want the JSON number 203167309740138: %s", id, r.raw)
				}
				if ct := r.header.Get("Content-Type"); ct != "application/json" {
					t.Errorf("Content-Type = %q", ct)
				}
				if r.requestID == "" || r.header.Get("x-acs-request-id") != r.requestID {
					t.Errorf("RequestId %q, header %q", r.requestID, r.header.Get("x-acs-request-id"))
				}
				want := fmt.Sprintf(`{"RequestId":%q,"Data":{"OrderId":203167309740138}}`, r.requestID)
				if r.raw != want {
					t.Errorf("body %s, want %s", r.raw, want)
				}
				orders := s.Orders()
				wantOrder := Order{ID: "203167309740138", RegionID: testRegion, PhysicalConnectionID: testPC, AutoPay: "true",
					InstanceChargeType: "PrePaid", Period: "1", PricingCycle: "Month", ClientToken: "tok-1"}
				if len(orders) != 1 || orders[0] != wantOrder {
					t.Fatalf("orders %+v", orders)
				}
				reqs := s.Requests()
				if len(reqs) != 1 {
					t.Fatalf("requests %+v", reqs)
				}
				got := reqs[0]
				if got.Action != ActionCreateOccupancyOrder || got.Version != APIVersion || got.SignatureMethod != algo ||
					got.AccessKeyID != testAK || got.SecurityToken != "" || got.HTTPStatus != 200 || got.Code != "" ||
					got.OrderID != "203167309740138" || got.Lost || got.RequestID != r.requestID || !got.Time.Equal(clk.Now()) {
					t.Errorf("record %+v", got)
				}
				if fmt.Sprint(got.Params) != fmt.Sprint(orderParams("tok-1")) {
					t.Errorf("Params %v", got.Params)
				}
			})
		}
	}
}

func TestOrderIDsCountUpAndAsString(t *testing.T) {
	_, addr, clk := newTestServer(t, func(c *Config) { c.FirstOrderID = 9007199254740993; c.OrderIDAsString = true })
	for i, want := range []string{`"9007199254740993"`, `"9007199254740994"`} {
		r := newCall(AlgorithmACS3, clk.Now(), orderParams(fmt.Sprint("t", i))).do(t, addr)
		if got := wantOK(t, r); got != want {
			t.Errorf("OrderId %s, want %s", got, want)
		}
	}
	_, addr, clk = newTestServer(t, func(c *Config) { c.FirstOrderID = 9007199254740993 })
	r := newCall(AlgorithmRPC, clk.Now(), orderParams("")).do(t, addr)
	if got := wantOK(t, r); got != "9007199254740993" {
		t.Errorf("OrderId %s is not written verbatim", got)
	}
}

func TestAuthenticationErrors(t *testing.T) {
	for _, algo := range []string{AlgorithmACS3, AlgorithmRPC} {
		t.Run(algo, func(t *testing.T) {
			s, addr, clk := newTestServer(t, nil)
			now := clk.Now()
			ok := func() call { return newCall(algo, now, orderParams("")) }

			c := ok()
			c.ak = "nobody"
			wantErr(t, c.do(t, addr), 404, "InvalidAccessKeyId.NotFound")

			c = ok()
			c.secret = "wrong"
			wantErr(t, c.do(t, addr), 400, "SignatureDoesNotMatch")

			// A parameter changed after signing.
			req := ok().request(t, addr)
			q := req.URL.Query()
			q.Set("Period", "2")
			req.URL.RawQuery = q.Encode()
			wantErr(t, send(t, req), 400, "SignatureDoesNotMatch")

			for _, skew := range []time.Duration{16 * time.Minute, -16 * time.Minute} {
				c = ok()
				c.date = now.Add(skew)
				wantErr(t, c.do(t, addr), 400, "InvalidTimeStamp.Expired")
			}
			c = ok()
			c.stamp = "2025-03-04 05:06:07"
			wantErr(t, c.do(t, addr), 400, "InvalidTimeStamp.Format")
			c = ok()
			c.date = now.Add(14 * time.Minute)
			wantOK(t, c.do(t, addr))

			c = ok()
			c.nonce = "same-nonce"
			wantOK(t, c.do(t, addr))
			wantErr(t, c.do(t, addr), 400, "SignatureNonceUsed")
			c.ak, c.secret, c.token = stsAK, stsSecret, stsToken
			wantOK(t, c.do(t, addr)) // nonces are per AccessKey

			c = ok()
			c.ak, c.secret = stsAK, stsSecret
			wantErr(t, c.do(t, addr), 403, "MissingSecurityToken")
			c.token = "other"
			wantErr(t, c.do(t, addr), 400, "InvalidSecurityToken.MismatchWithAccessKey")
			c = ok()
			c.token = "unexpected"
			wantErr(t, c.do(t, addr), 400, "InvalidSecurityToken.MismatchWithAccessKey")
			c = ok()
			c.ak, c.secret, c.token = stsAK, stsSecret, stsToken
			wantOK(t, c.do(t, addr))
			reqs := s.Requests()
			if last := reqs[len(reqs)-1]; last.SecurityToken != stsToken || last.AccessKeyID != stsAK {
				t.Errorf("record %+v", last)
			}

			// Unsigned request.
			req, _ = http.NewRequest(http.MethodPost, "http://"+addr+"/?Action="+ActionCreateOccupancyOrder, nil)
			wantErr(t, send(t, req), 400, "IncompleteSignature")

			// No fault is consumed by rejected requests.
			s.Inject(Fault{Kind: Unavailable})
			c = ok()
			c.secret = "wrong"
			wantErr(t, c.do(t, addr), 400, "SignatureDoesNotMatch")
			wantErr(t, ok().do(t, addr), 503, "ServiceUnavailable")
		})
	}
}

func TestACS3Specifics(t *testing.T) {
	_, addr, clk := newTestServer(t, nil)
	ok := func() call { return newCall(AlgorithmACS3, clk.Now(), orderParams("")) }

	// The body must match x-acs-content-sha256.
	c := ok()
	c.inBody = true
	req := c.request(t, addr)
	req.Body = io.NopCloser(strings.NewReader("RegionId=x"))
	req.ContentLength = int64(len("RegionId=x"))
	wantErr(t, send(t, req), 400, "SignatureDoesNotMatch")

	// A signed header changed after signing.
	c = ok()
	c.tamperHeaders = func(h map[string]string) { h["x-acs-signature-nonce"] = "changed" }
	wantErr(t, c.do(t, addr), 400, "SignatureDoesNotMatch")

	// Required headers must be signed.
	req = ok().request(t, addr)
	auth := req.Header.Get("Authorization")
	req.Header.Set("Authorization", strings.Replace(auth, "x-acs-date;", "", 1))
	wantErr(t, send(t, req), 400, "IncompleteSignature")

	// Unknown algorithm.
	req = ok().request(t, addr)
	req.Header.Set("Authorization", strings.Replace(req.Header.Get("Authorization"), "ACS3-HMAC-SHA256", "ACS3-HMAC-SM3", 1))
	wantErr(t, send(t, req), 400, "IncompleteSignature")

	// A date changed after signing.
	req = ok().request(t, addr)
	req.Header.Set("x-acs-date", "yesterday")
	wantErr(t, send(t, req), 400, "SignatureDoesNotMatch")

	// Extra unsigned headers are fine.
	req = ok().request(t, addr)
	req.Header.Set("User-Agent", "test")
	req.Header.Set("Accept", "application/json")
	wantOK(t, send(t, req))
}

func TestDispatchAndValidation(t *testing.T) {
	s, addr, clk := newTestServer(t, nil)
	now := clk.Now()

	c := newCall(AlgorithmACS3, now, orderParams(""))
	c.action = "DescribeVpcs"
	wantErr(t, c.do(t, addr), 404, "InvalidAction.NotFound")
	c = newCall(AlgorithmRPC, now, orderParams(""))
	c.version = "2014-05-26"
	wantErr(t, c.do(t, addr), 400, "InvalidVersion")

	cases := []struct {
		key, value string // value "-" deletes the key
		status     int
		code       string
	}{
		{"PhysicalConnectionId", "-", 400, "MissingPhysicalConnectionId"},
		{"RegionId", "-", 400, "MissingParameter"},
		{"InstanceChargeType", "Free", 400, "InvalidParameter"},
		{"PricingCycle", "Week", 400, "InvalidParameter"},
		{"Period", "one", 400, "InvalidParameter"},
		{"Period", "0", 400, "InvalidParameter"},
		{"AutoPay", "yes", 400, "InvalidParameter"},
		{"PhysicalConnectionId", "pc-unknown", 404, "InvalidPhysicalConnectionId.NotFound"},
		{"RegionId", "cn-beijing", 404, "InvalidPhysicalConnectionId.NotFound"},
	}
	for _, tc := range cases {
		p := orderParams("")
		if tc.value == "-" {
			delete(p, tc.key)
		} else {
			p[tc.key] = tc.value
		}
		wantErr(t, newCall(AlgorithmACS3, now, p).do(t, addr), tc.status, tc.code)
	}
	// Optional parameters may be left out.
	wantOK(t, newCall(AlgorithmACS3, now, map[string]string{"RegionId": testRegion, "PhysicalConnectionId": testPC}).do(t, addr))

	for _, st := range []string{"Confirmed", "Terminated", "Allocated"} {
		s.SetPhysicalConnectionStatus(testPC, st)
		r := newCall(AlgorithmACS3, now, orderParams("")).do(t, addr)
		wantErr(t, r, 400, "Forbidden.NotAllowedInState")
		if !strings.Contains(r.raw, `"Message":"The request does not allow in this state."`) || !strings.Contains(r.raw, `"HostId":"vpc.aliyuncs.com"`) {
			t.Errorf("body %s", r.raw)
		}
	}
	s.SetPhysicalConnectionStatus(testPC, "Complete")
	wantOK(t, newCall(AlgorithmACS3, now, orderParams("")).do(t, addr))
	s.SetPhysicalConnectionStatus("pc-unknown", "Enabled") // no effect
	r := newCall(AlgorithmACS3, now, map[string]string{"RegionId": testRegion, "PhysicalConnectionId": "pc-unknown"}).do(t, addr)
	wantErr(t, r, 404, "InvalidPhysicalConnectionId.NotFound")
	if !strings.Contains(r.raw, "The PhysicalConnectionId provided does not exist in our records.") {
		t.Errorf("body %s", r.raw)
	}
	if n := len(s.Orders()); n != 2 {
		t.Errorf("%d orders, want 2", n)
	}
}

func TestIdempotency(t *testing.T) {
	s, addr, clk := newTestServer(t, nil)
	now := clk.Now()
	first := wantOK(t, newCall(AlgorithmACS3, now, orderParams("tok")).do(t, addr))
	// The same token and parameters, even with the other signature, replay.
	again := wantOK(t, newCall(AlgorithmRPC, now, orderParams("tok")).do(t, addr))
	if first != again {
		t.Errorf("replay gave %s, want %s", again, first)
	}
	p := orderParams("tok")
	p["Period"] = "2"
	wantErr(t, newCall(AlgorithmACS3, now, p).do(t, addr), 400, "IdempotentParameterMismatch")
	// Without a token every request is a new order.
	a := wantOK(t, newCall(AlgorithmACS3, now, orderParams("")).do(t, addr))
	b := wantOK(t, newCall(AlgorithmACS3, now, orderParams("")).do(t, addr))
	if a == b || a == first {
		t.Errorf("orders %s %s %s", first, a, b)
	}
	if n := len(s.Orders()); n != 3 {
		t.Errorf("%d orders, want 3", n)
	}
	reqs := s.Requests()
	if reqs[1].OrderID != first || reqs[2].Code != "IdempotentParameterMismatch" || reqs[2].OrderID != "" {
		t.Errorf("records %+v", reqs)
	}
}

func TestFaults(t *testing.T) {
	s, addr, clk := newTestServer(t, nil)
	now := clk.Now()
	create := func(token string) result { return newCall(AlgorithmACS3, now, orderParams(token)).do(t, addr) }

	s.Inject(
		Fault{Kind: Throttle, RetryAfter: 1500 * time.Millisecond},
		Fault{Kind: Throttle},
		Fault{Kind: Unavailable},
		Fault{Kind: Internal},
		Fault{Kind: Reset},
		Fault{Kind: LoseResponse},
	)
	// Other actions consume no fault.
	c := newCall(AlgorithmACS3, now, orderParams(""))
	c.action = "DescribeVpcs"
	wantErr(t, c.do(t, addr), 404, "InvalidAction.NotFound")

	r := create("a")
	wantErr(t, r, 400, "Throttling.User")
	if ra := r.header.Get("Retry-After"); ra != "2" {
		t.Errorf("Retry-After %q, want 2", ra)
	}
	if !strings.Contains(r.raw, "Request was denied due to user flow control.") {
		t.Errorf("body %s", r.raw)
	}
	r = create("a")
	wantErr(t, r, 400, "Throttling.User")
	if _, ok := r.header["Retry-After"]; ok {
		t.Errorf("unexpected Retry-After")
	}
	wantErr(t, create("a"), 503, "ServiceUnavailable")
	wantErr(t, create("a"), 500, "InternalError")
	if len(s.Orders()) != 0 {
		t.Fatal("an order was committed")
	}
	if r := create("a"); r.err == nil {
		t.Fatalf("Reset: got an answer %d %s", r.status, r.raw)
	}
	if len(s.Orders()) != 0 {
		t.Fatal("Reset committed an order")
	}
	if r := create("a"); r.err == nil {
		t.Fatalf("LoseResponse: got an answer %d %s", r.status, r.raw)
	}
	orders := s.Orders()
	if len(orders) != 1 {
		t.Fatalf("LoseResponse: orders %+v", orders)
	}
	// The retry with the same token finds the lost order.
	if id := wantOK(t, create("a")); id != orders[0].ID {
		t.Errorf("retry got %s, want %s", id, orders[0].ID)
	}

	reqs := s.Requests()
	var faults []string
	for _, r := range reqs {
		faults = append(faults, r.Fault)
	}
	if got := strings.Join(faults, ","); got != ",Throttle,Throttle,Unavailable,Internal,Reset,LoseResponse," {
		t.Errorf("faults %s", got)
	}
	if r := reqs[5]; !r.Lost || r.HTTPStatus != 0 || r.OrderID != "" {
		t.Errorf("Reset record %+v", r)
	}
	if r := reqs[6]; !r.Lost || r.HTTPStatus != 200 || r.OrderID != orders[0].ID {
		t.Errorf("LoseResponse record %+v", r)
	}
	if r := reqs[7]; r.Lost || r.OrderID != orders[0].ID {
		t.Errorf("retry record %+v", r)
	}
}

func TestSlowFault(t *testing.T) {
	s, addr, clk := newTestServer(t, nil)
	s.Inject(Fault{Kind: Slow, Delay: 200 * time.Millisecond})
	begin := time.Now()
	wantOK(t, newCall(AlgorithmACS3, clk.Now(), orderParams("")).do(t, addr))
	if d := time.Since(begin); d < 200*time.Millisecond {
		t.Errorf("answered after %v", d)
	}

	// A client that gives up still leaves a committed order behind.
	s.Inject(Fault{Kind: Slow, Delay: time.Hour})
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	req := newCall(AlgorithmACS3, clk.Now(), orderParams("")).request(t, addr).WithContext(ctx)
	if r := send(t, req); r.err == nil {
		t.Fatalf("got an answer %d", r.status)
	}
	deadline := time.Now().Add(10 * time.Second)
	for len(s.Orders()) != 2 {
		if time.Now().After(deadline) {
			t.Fatal("the abandoned slow request committed no order")
		}
		time.Sleep(10 * time.Millisecond)
	}

	// Close releases a request held by a Slow fault.
	s.Inject(Fault{Kind: Slow, Delay: time.Hour})
	done := make(chan result, 1)
	go func() { done <- send(t, newCall(AlgorithmACS3, clk.Now(), orderParams("")).request(t, addr)) }()
	for len(s.Requests()) != 3 {
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(50 * time.Millisecond)
	s.Close()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Close did not release the slow request")
	}
}

func TestLossRate(t *testing.T) {
	pattern := func(seed int64) string {
		s, addr, clk := newTestServer(t, nil)
		s.SetLossRate(0.5, seed)
		var b strings.Builder
		for i := 0; i < 20; i++ {
			r := newCall(AlgorithmACS3, clk.Now(), orderParams(fmt.Sprint("tok", i))).do(t, addr)
			if r.err != nil {
				b.WriteByte('x')
			} else {
				wantOK(t, r)
				b.WriteByte('.')
			}
		}
		if n := len(s.Orders()); n != 20 {
			t.Errorf("%d orders, want 20: lost answers still commit", n)
		}
		lost := 0
		for _, r := range s.Requests() {
			if r.Lost {
				lost++
			}
		}
		if lost != strings.Count(b.String(), "x") {
			t.Errorf("%d requests recorded lost, pattern %s", lost, b.String())
		}
		return b.String()
	}
	a, b := pattern(42), pattern(42)
	if a != b {
		t.Errorf("same seed, different patterns: %s %s", a, b)
	}
	if !strings.Contains(a, "x") || !strings.Contains(a, ".") {
		t.Errorf("pattern %s", a)
	}

	// Errors and replays are never lost.
	s, addr, clk := newTestServer(t, nil)
	wantOK(t, newCall(AlgorithmACS3, clk.Now(), orderParams("tok")).do(t, addr))
	s.SetLossRate(1, 1)
	wantOK(t, newCall(AlgorithmACS3, clk.Now(), orderParams("tok")).do(t, addr))
	wantErr(t, newCall(AlgorithmACS3, clk.Now(), map[string]string{"RegionId": testRegion}).do(t, addr), 400, "MissingPhysicalConnectionId")
	if r := newCall(AlgorithmACS3, clk.Now(), orderParams("new")).do(t, addr); r.err == nil {
		t.Errorf("loss rate 1 answered %d", r.status)
	}
}

func TestRateLimit(t *testing.T) {
	s, addr, clk := newTestServer(t, nil)
	s.SetRateLimit(2, 3)
	s.Inject(Fault{Kind: Internal})
	create := func() result { return newCall(AlgorithmACS3, clk.Now(), orderParams("")).do(t, addr) }
	wantErr(t, create(), 500, "InternalError")
	wantOK(t, create())
	wantOK(t, create())
	r := create()
	wantErr(t, r, 400, "Throttling.User")
	// Other actions are not limited.
	c := newCall(AlgorithmACS3, clk.Now(), orderParams(""))
	c.action = "DescribeVpcs"
	wantErr(t, c.do(t, addr), 404, "InvalidAction.NotFound")
	clk.Advance(500 * time.Millisecond)
	wantOK(t, create())
	wantErr(t, create(), 400, "Throttling.User")
	s.SetRateLimit(0, 0)
	wantOK(t, create())
	if n := len(s.Orders()); n != 4 {
		t.Errorf("%d orders, want 4", n)
	}
}

func TestConcurrentCreates(t *testing.T) {
	s, addr, clk := newTestServer(t, nil)
	var wg sync.WaitGroup
	ids := make([]string, 40)
	for i := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			token := fmt.Sprint("tok", i)
			if i%2 == 0 {
				token = "shared"
			}
			algo := AlgorithmACS3
			if i%3 == 0 {
				algo = AlgorithmRPC
			}
			r := newCall(algo, clk.Now(), orderParams(token)).do(t, addr)
			if r.err == nil && r.status == 200 {
				ids[i] = string(r.orderID)
			}
			_ = s.Requests()
			_ = s.Orders()
		}()
	}
	wg.Wait()
	seen := map[string]bool{}
	for i, id := range ids {
		if id == "" {
			t.Fatalf("request %d failed", i)
		}
		if i%2 == 0 && id != ids[0] {
			t.Errorf("shared token gave %s and %s", ids[0], id)
		}
		seen[id] = true
	}
	if len(seen) != 21 || len(s.Orders()) != 21 || len(s.Requests()) != 40 {
		t.Errorf("%d distinct IDs, %d orders, %d requests", len(seen), len(s.Orders()), len(s.Requests()))
	}
}

func TestRecordsAreCopies(t *testing.T) {
	s, addr, clk := newTestServer(t, nil)
	wantOK(t, newCall(AlgorithmACS3, clk.Now(), orderParams("")).do(t, addr))
	s.Requests()[0].Params["RegionId"] = "changed"
	s.Orders()[0].ID = "changed"
	if s.Requests()[0].Params["RegionId"] != testRegion || s.Orders()[0].ID == "changed" {
		t.Error("records share state with the server")
	}
}

func TestAdminEndpoints(t *testing.T) {
	_, addr, clk := newTestServer(t, nil)
	get := func(path string) (*http.Response, []byte) {
		res, err := http.Get("http://" + addr + path)
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = res.Body.Close() }()
		b, _ := io.ReadAll(res.Body)
		return res, b
	}
	for _, path := range []string{"/_fake/orders", "/_fake/requests"} {
		if _, body := get(path); strings.TrimSpace(string(body)) != "[]" {
			t.Errorf("empty %s: %s", path, body)
		}
	}
	wantOK(t, newCall(AlgorithmACS3, clk.Now(), orderParams("tok")).do(t, addr))
	res, body := get("/_fake/orders")
	var orders []Order
	if err := json.Unmarshal(body, &orders); err != nil || res.StatusCode != 200 || len(orders) != 1 || orders[0].ClientToken != "tok" {
		t.Errorf("orders: %d %s %v", res.StatusCode, body, err)
	}
	res, body = get("/_fake/requests")
	var reqs []Request
	if err := json.Unmarshal(body, &reqs); err != nil || res.StatusCode != 200 || len(reqs) != 1 || reqs[0].OrderID != orders[0].ID {
		t.Errorf("requests: %d %s %v", res.StatusCode, body, err)
	}
	if res, _ := get("/_fake/nothing"); res.StatusCode != 404 {
		t.Errorf("unknown admin path: %d", res.StatusCode)
	}
	res, err := http.Post("http://"+addr+"/_fake/orders", "text/plain", bytes.NewReader(nil))
	if err != nil {
		t.Fatal(err)
	}
	_ = res.Body.Close()
	if res.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST admin: %d", res.StatusCode)
	}
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

func TestStartTLS(t *testing.T) {
	clk := &clock{t: time.Now()}
	s := New(Config{Credentials: map[string]Credential{testAK: {AccessKeySecret: testSecret}}, Now: clk.Now, TLSCertificate: &testCert})
	s.AddPhysicalConnection(testPC, testRegion, "Enabled")
	addr := startTLS(t, s)
	// The shared certificate is trusted through SSL_CERT_FILE.
	client := systemRootsClient()
	_, port, _ := strings.Cut(addr, ":")
	for _, host := range []string{"127.0.0.1", "localhost"} {
		req := newCall(AlgorithmACS3, clk.Now(), orderParams("")).request(t, host+":"+port)
		req.URL.Scheme = "https"
		res, err := client.Do(req)
		if err != nil {
			t.Fatalf("%s: %v", host, err)
		}
		_ = res.Body.Close()
		if res.StatusCode != 200 || res.Proto != "HTTP/1.1" {
			t.Errorf("%s: status %d, %s", host, res.StatusCode, res.Proto)
		}
	}
	// A lost answer works over TLS too.
	s.Inject(Fault{Kind: LoseResponse})
	req := newCall(AlgorithmACS3, clk.Now(), orderParams("")).request(t, addr)
	req.URL.Scheme = "https"
	if res, err := client.Do(req); err == nil {
		_ = res.Body.Close()
		t.Errorf("LoseResponse answered %d", res.StatusCode)
	}
	if n := len(s.Orders()); n != 3 {
		t.Errorf("%d orders, want 3", n)
	}
	// The same certificate serves a second listener and a second server.
	if _, certPEM, err := s.StartTLS(); err != nil || !bytes.Equal(certPEM, testCertPEM) {
		t.Errorf("second StartTLS: %v", err)
	}
	other := New(Config{TLSCertificate: &testCert})
	startTLS(t, other)
}

func TestStartTLSFreshCertificate(t *testing.T) {
	s := New(Config{Credentials: map[string]Credential{testAK: {AccessKeySecret: testSecret}}})
	s.AddPhysicalConnection(testPC, testRegion, "Enabled")
	addr, certPEM, err := s.StartTLS()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	if bytes.Equal(certPEM, testCertPEM) {
		t.Fatal("StartTLS without Config.TLSCertificate served the shared certificate")
	}
	// Not trusted by the system roots...
	req := newCall(AlgorithmACS3, time.Now(), orderParams("")).request(t, addr)
	req.URL.Scheme = "https"
	if res, err := systemRootsClient().Do(req); err == nil {
		_ = res.Body.Close()
		t.Fatal("a fresh certificate is trusted by the system roots")
	} else if !strings.Contains(err.Error(), "certificate signed by unknown authority") {
		t.Errorf("error %v", err)
	}
	// ...but by a client given its PEM.
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(certPEM) {
		t.Fatal("bad certificate PEM")
	}
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	req = newCall(AlgorithmACS3, time.Now(), orderParams("")).request(t, addr)
	req.URL.Scheme = "https"
	res, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = res.Body.Close()
	if res.StatusCode != 200 {
		t.Errorf("status %d", res.StatusCode)
	}
}

func TestNewCertificate(t *testing.T) {
	cert, certPEM, err := NewCertificate()
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(cert.Certificate[0])
	if err != nil {
		t.Fatal(err)
	}
	if cert.Leaf == nil || !cert.Leaf.Equal(leaf) {
		t.Error("Leaf is not set")
	}
	if !leaf.IsCA || leaf.KeyUsage&x509.KeyUsageCertSign == 0 || leaf.KeyUsage&x509.KeyUsageDigitalSignature == 0 ||
		len(leaf.ExtKeyUsage) != 1 || leaf.ExtKeyUsage[0] != x509.ExtKeyUsageServerAuth {
		t.Errorf("usage: IsCA %v, KeyUsage %v, ExtKeyUsage %v", leaf.IsCA, leaf.KeyUsage, leaf.ExtKeyUsage)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(certPEM) {
		t.Fatal("bad PEM")
	}
	for _, name := range []string{"127.0.0.1", "::1", "localhost"} {
		if _, err := leaf.Verify(x509.VerifyOptions{DNSName: name, Roots: pool}); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := leaf.Verify(x509.VerifyOptions{DNSName: "example.com", Roots: pool}); err == nil {
		t.Error("valid for example.com")
	}
	if _, err := tls.X509KeyPair(certPEM, nil); err == nil {
		t.Error("the PEM holds a private key")
	}
	if _, other, _ := NewCertificate(); bytes.Equal(other, certPEM) {
		t.Error("two calls made the same certificate")
	}
}

func TestListenRefusesNonLoopback(t *testing.T) {
	s := New(Config{})
	defer s.Close()
	for _, addr := range []string{"0.0.0.0:0", ":0", "192.0.2.1:0", "example.com:80", "nonsense"} {
		if _, err := s.Listen(addr); err == nil {
			t.Errorf("Listen(%q) succeeded", addr)
		}
	}
	for _, addr := range []string{"127.0.0.1:0", "localhost:0"} {
		if _, err := s.Listen(addr); err != nil {
			t.Errorf("Listen(%q): %v", addr, err)
		}
	}
	s.Close()
	if _, err := s.Start(); err == nil {
		t.Error("Start after Close succeeded")
	}
}
