package client

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pcorder/terraform-provider-alicloud/internal/fakealicloud"
)

func TestParseOrderResponse(t *testing.T) {
	cases := []struct {
		name, body, wantID, wantReq string
		wantErr                     bool
	}{
		{"SDK spelling, number", `{"RequestId":"R1","Data":{"OrderId":203167309740138}}`, "203167309740138", "R1", false},
		{"SDK spelling, string", `{"RequestId":"R2","Data":{"OrderId":"203167309740138"}}`, "203167309740138", "R2", false},
		{"reference spelling, number", `{"requestId":"R3","data":{"orderId":203167309740138},"code":"200","success":true}`, "203167309740138", "R3", false},
		{"17 digits above 2^53, number", `{"RequestId":"R4","Data":{"OrderId":20316730974013899}}`, "20316730974013899", "R4", false},
		{"20 digits, string", `{"RequestId":"R5","Data":{"OrderId":"98765432109876543210"}}`, "98765432109876543210", "R5", false},
		{"missing order", `{"RequestId":"R6","Data":{}}`, "", "R6", true},
		{"null order", `{"RequestId":"R7","Data":{"OrderId":null}}`, "", "R7", true},
		{"float order", `{"RequestId":"R8","Data":{"OrderId":2.03167309740138e14}}`, "", "R8", true},
		{"negative order", `{"RequestId":"R9","Data":{"OrderId":-1}}`, "", "R9", true},
		{"not JSON", `<xml/>`, "", "", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			id, req, err := ParseOrderResponse([]byte(tc.body))
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, want error %v", err, tc.wantErr)
			}
			if id != tc.wantID || req != tc.wantReq {
				t.Fatalf("got (%q, %q), want (%q, %q)", id, req, tc.wantID, tc.wantReq)
			}
		})
	}
}

func TestRedact(t *testing.T) {
	in := `Post "https://vpc.aliyuncs.com/?AccessKeyId=LTAI5t123&Signature=abc%2Bdef&SecurityToken=CAIS.tok&Action=X": EOF; {"AccessKeySecret":"s3cr3t","security_token":"tok2"}`
	out := Redact(in)
	for _, secret := range []string{"LTAI5t123", "abc%2Bdef", "CAIS.tok", "s3cr3t", "tok2"} {
		if strings.Contains(out, secret) {
			t.Errorf("Redact left %q in %q", secret, out)
		}
	}
	if !strings.Contains(out, "Action=X") {
		t.Errorf("Redact removed a harmless parameter: %q", out)
	}
}

func TestValidateEndpoint(t *testing.T) {
	for _, ok := range []string{"vpc.cn-hangzhou.aliyuncs.com", "127.0.0.1:8080", "localhost:1", "[::1]:443"} {
		if err := ValidateEndpoint(ok); err != nil {
			t.Errorf("ValidateEndpoint(%q) = %v", ok, err)
		}
	}
	for _, bad := range []string{"", "https://vpc.aliyuncs.com", "vpc.aliyuncs.com/path", "host:port", "user@host", ":80", "a b"} {
		if err := ValidateEndpoint(bad); err == nil {
			t.Errorf("ValidateEndpoint(%q) accepted it", bad)
		}
	}
}

func TestRetryPolicy_delay(t *testing.T) {
	p := RetryPolicy{InitialBackoff: 100 * time.Millisecond, MaxBackoff: time.Second, MaxThrottleBackoff: 400 * time.Millisecond}.withDefaults()
	half := func() float64 { return 0.5 }
	for _, tc := range []struct {
		next       int
		throttled  bool
		retryAfter time.Duration
		want       time.Duration
	}{
		{2, false, 0, 75 * time.Millisecond},  // 100ms: 50 fixed + 25 jitter
		{3, false, 0, 150 * time.Millisecond}, // 200ms
		{5, false, 0, 600 * time.Millisecond}, // 800ms
		{9, false, 0, 750 * time.Millisecond}, // capped at 1s
		{9, true, 0, 300 * time.Millisecond},  // capped at 400ms after throttling
		{2, false, 3 * time.Second, 3 * time.Second},
		{9, true, 3 * time.Second, 3 * time.Second}, // the server's retry-after wins
	} {
		if got := p.delay(tc.next, tc.throttled, tc.retryAfter, half); got != tc.want {
			t.Errorf("delay(%d, throttled %v, %v) = %v, want %v", tc.next, tc.throttled, tc.retryAfter, got, tc.want)
		}
	}
}

func TestCreateOccupancyOrder_sendsExactParameters(t *testing.T) {
	f := newFixture(t, nil)
	got, err := f.client.CreateOccupancyOrder(context.Background(), order("tok-1"))
	if err != nil {
		t.Fatal(err)
	}
	if got.OrderID != "203167309740138" || got.Attempts != 1 || got.RequestID == "" {
		t.Fatalf("got %+v", got)
	}
	reqs := f.fake.Requests()
	want := map[string]string{"RegionId": testRegion, "PhysicalConnectionId": testPC, "AutoPay": "true", "InstanceChargeType": "PrePaid", "Period": "2", "PricingCycle": "Year", "ClientToken": "tok-1"}
	if len(reqs) != 1 || fmt.Sprint(reqs[0].Params) != fmt.Sprint(want) {
		t.Fatalf("the fake received %+v, want one request with %v", reqs, want)
	}
	if reqs[0].SignatureMethod != fakealicloud.AlgorithmACS3 || reqs[0].Version != VPCAPIVersion {
		t.Fatalf("signature %q version %q", reqs[0].SignatureMethod, reqs[0].Version)
	}
}

func TestCreateOccupancyOrder_retriesWithOneToken(t *testing.T) {
	f := newFixture(t, nil)
	f.fake.Inject(
		fakealicloud.Fault{Kind: fakealicloud.Throttle, RetryAfter: 2 * time.Second},
		fakealicloud.Fault{Kind: fakealicloud.Unavailable},
		fakealicloud.Fault{Kind: fakealicloud.Internal},
		fakealicloud.Fault{Kind: fakealicloud.Reset},
		fakealicloud.Fault{Kind: fakealicloud.LoseResponse},
	)
	got, err := f.client.CreateOccupancyOrder(context.Background(), order("tok-retry"))
	if err != nil {
		t.Fatal(err)
	}
	if got.Attempts != 6 {
		t.Fatalf("attempts = %d, want 6", got.Attempts)
	}
	if n := len(f.fake.Orders()); n != 1 {
		t.Fatalf("the fake holds %d orders, want 1", n)
	}
	if got.OrderID != f.fake.Orders()[0].ID {
		t.Fatalf("got order %s, the fake placed %s", got.OrderID, f.fake.Orders()[0].ID)
	}
	for i, tok := range tokensSent(f.fake) {
		if tok != "tok-retry" {
			t.Fatalf("attempt %d sent token %q", i+1, tok)
		}
	}
	// One backoff per retry, the first honouring Retry-After; the rate
	// limiter, on since the throttle, may add waits of its own.
	if len(f.sleeps) < 5 || f.sleeps[0] < 2*time.Second {
		t.Fatalf("sleeps %v: want at least 5, the first honouring Retry-After 2s", f.sleeps)
	}
	if f.logs[0].Code != "Throttling.User" || f.logs[0].HTTPStatus != 400 || f.logs[0].RequestID == "" {
		t.Fatalf("first attempt logged as %+v", f.logs[0])
	}
}

// TestCreateOccupancyOrder_answerCutShortIsRetried: the first answer is the
// fake's success with its body cut in half (the connection closes under
// it). The order was placed, so the create is retried with the same token
// and returns the order the fake replays for it; no second order.
func TestCreateOccupancyOrder_answerCutShortIsRetried(t *testing.T) {
	f := newFixture(t, nil)
	var cut atomic.Bool
	f.setIntercept(func(w http.ResponseWriter, r *http.Request, action string, _ url.Values) bool {
		if action != ActionCreateOccupancyOrder || !cut.CompareAndSwap(false, true) {
			return false
		}
		rec := httptest.NewRecorder()
		f.fake.ServeHTTP(rec, r)
		body := rec.Body.Bytes()
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(rec.Code)
		w.Write(body[:len(body)/2]) //nolint:errcheck // The test's own connection.
		return true
	})
	got, err := f.client.CreateOccupancyOrder(context.Background(), order("tok-cut"))
	if err != nil {
		t.Fatal(err)
	}
	orders := f.fake.Orders()
	if len(orders) != 1 || got.OrderID != orders[0].ID || got.Attempts != 2 {
		t.Fatalf("got %+v; the fake holds %+v, want one order, returned on the second attempt", got, orders)
	}
	if toks := tokensSent(f.fake); len(toks) != 2 || toks[0] != "tok-cut" || toks[1] != "tok-cut" {
		t.Fatalf("tokens sent %q, want tok-cut twice", toks)
	}
	if f.logs[0].HTTPStatus != http.StatusOK || f.logs[0].Err == "" {
		t.Fatalf("the cut answer was logged as %+v, want HTTP 200 with a read failure", f.logs[0])
	}
}

func TestCreateOccupancyOrder_finalErrorsAreNotRetried(t *testing.T) {
	f := newFixture(t, nil)
	in := order("tok-404")
	in.PhysicalConnectionID = "pc-missing"
	_, err := f.client.CreateOccupancyOrder(context.Background(), in)
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Code != CodeConnectionNotFound || apiErr.HTTPStatus != 404 || apiErr.RequestID == "" || apiErr.Attempts != 1 {
		t.Fatalf("err = %#v", err)
	}
	if strings.Contains(apiErr.Message, "request id") || strings.HasPrefix(apiErr.Message, "code:") {
		t.Fatalf("message keeps the SDK's decoration: %q", apiErr.Message)
	}
	if n := len(f.fake.Requests()); n != 1 {
		t.Fatalf("sent %d requests, want 1", n)
	}
}

func TestCreateOccupancyOrder_idempotentParameterMismatch(t *testing.T) {
	f := newFixture(t, nil)
	if _, err := f.client.CreateOccupancyOrder(context.Background(), order("tok-same")); err != nil {
		t.Fatal(err)
	}
	again, err := f.client.CreateOccupancyOrder(context.Background(), order("tok-same"))
	if err != nil || again.OrderID != f.fake.Orders()[0].ID {
		t.Fatalf("same token and parameters: %+v, %v", again, err)
	}
	changed := order("tok-same")
	changed.Period = 3
	_, err = f.client.CreateOccupancyOrder(context.Background(), changed)
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Code != CodeIdempotentParameterMismatch {
		t.Fatalf("err = %v", err)
	}
	if n := len(f.fake.Orders()); n != 1 {
		t.Fatalf("the fake holds %d orders, want 1", n)
	}
}

func TestCreateOccupancyOrder_timeoutIsUnknownOutcome(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.Sleep = nil })
	f.fake.Inject(fakealicloud.Fault{Kind: fakealicloud.Slow, Delay: time.Second})
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	_, err := f.client.CreateOccupancyOrder(ctx, order("tok-slow"))
	var unknown *UnknownOutcomeError
	if !errors.As(err, &unknown) || unknown.ClientToken != "tok-slow" || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want an unknown outcome with the token", err)
	}
	// The slow request commits once its delay ends; asking again with the
	// token returns that order.
	deadline := time.Now().Add(5 * time.Second)
	for len(f.fake.Orders()) == 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	got, err := f.client.CreateOccupancyOrder(context.Background(), order("tok-slow"))
	if err != nil {
		t.Fatal(err)
	}
	if n := len(f.fake.Orders()); n != 1 || got.OrderID != f.fake.Orders()[0].ID {
		t.Fatalf("orders %v, got %s", f.fake.Orders(), got.OrderID)
	}
}

func TestCreateOccupancyOrder_refusedConnectionPlacedNothing(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	c, err := New(Config{RegionID: testRegion, VPCEndpoint: addr, Protocol: ProtocolHTTP, Credential: staticCredential(t, testSecret),
		Retry: RetryPolicy{MaxAttempts: 3, InitialBackoff: time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.CreateOccupancyOrder(context.Background(), order("tok-refused"))
	var reqErr *RequestError
	if !errors.As(err, &reqErr) || !strings.Contains(err.Error(), "connection refused") {
		t.Fatalf("err = %v, want a RequestError about the refused connection", err)
	}
}

func TestCreateOccupancyOrder_cancelledBeforeSendingPlacedNothing(t *testing.T) {
	f := newFixture(t, nil)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := f.client.CreateOccupancyOrder(ctx, order("tok-cancel"))
	var reqErr *RequestError
	if !errors.As(err, &reqErr) || !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	if n := len(f.fake.Requests()); n != 0 {
		t.Fatalf("sent %d requests", n)
	}
}

func TestCreateOccupancyOrder_hmacSHA1(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.SignatureAlgorithm = "v2" })
	if _, err := f.client.CreateOccupancyOrder(context.Background(), order("tok-v2")); err != nil {
		t.Fatal(err)
	}
	if r := f.fake.Requests()[0]; r.SignatureMethod != fakealicloud.AlgorithmRPC || r.Params["ClientToken"] != "tok-v2" {
		t.Fatalf("request %+v", r)
	}
}

func TestCreateOccupancyOrder_wrongSecretIsFinal(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.Credential = staticCredential(t, "not-the-secret") })
	_, err := f.client.CreateOccupancyOrder(context.Background(), order("tok-bad"))
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Code != "SignatureDoesNotMatch" {
		t.Fatalf("err = %v", err)
	}
	if strings.Contains(err.Error(), "not-the-secret") {
		t.Fatalf("the error quotes the secret: %v", err)
	}
}

// TestClient_concurrentCreates shares one Client between many goroutines,
// as Terraform's parallel creates do; run it with -race.
func TestClient_concurrentCreates(t *testing.T) {
	f := newFixture(t, nil)
	f.fake.SetLossRate(0.3, 7)
	const n = 40
	var wg sync.WaitGroup
	ids := make([]string, n)
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			o, err := f.client.CreateOccupancyOrder(context.Background(), order(fmt.Sprintf("tok-par-%02d", i)))
			errs[i] = err
			if o != nil {
				ids[i] = o.OrderID
			}
		}()
	}
	wg.Wait()
	seen := map[string]bool{}
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("create %d: %v", i, errs[i])
		}
		if seen[ids[i]] {
			t.Fatalf("order %s returned twice", ids[i])
		}
		seen[ids[i]] = true
	}
	if got := len(f.fake.Orders()); got != n {
		t.Fatalf("the fake holds %d orders, want %d", got, n)
	}
}

// TestCreateOccupancyOrder_cancelStopsRetries cancels a call that waits for
// its next attempt (as Ctrl-C does): the wait ends, no attempt follows, and
// the error says the 503'd order may exist.
func TestCreateOccupancyOrder_cancelStopsRetries(t *testing.T) {
	f := newFixture(t, func(c *Config) {
		c.Sleep = nil // real waits
		c.Retry.InitialBackoff, c.Retry.MaxBackoff = time.Hour, time.Hour
	})
	for range 5 {
		f.fake.Inject(fakealicloud.Fault{Kind: fakealicloud.Unavailable})
	}
	ctx, cancel := context.WithCancel(context.Background())
	f.client.cfg.OnAttempt = func(context.Context, Attempt) { cancel() }
	_, err := f.client.CreateOccupancyOrder(ctx, order("tok-ctrl-c"))
	var unknown *UnknownOutcomeError
	if !errors.As(err, &unknown) || !errors.Is(err, context.Canceled) || unknown.ClientToken != "tok-ctrl-c" || unknown.Attempts != 1 {
		t.Fatalf("err = %v", err)
	}
	if n := len(f.fake.Requests()); n != 1 {
		t.Fatalf("the fake received %d requests, want 1", n)
	}
}
