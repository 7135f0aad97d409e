package client

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aliyun/credentials-go/credentials"

	"github.com/pcorder/terraform-provider-alicloud/internal/fakealicloud"
)

const (
	testKey    = "LTAI5tCLIENTTESTKEY"
	testSecret = "client-test-secret-9f8e7d"
	testRegion = "cn-hangzhou"
	testPC     = "pc-bp1hp0wr072f6ambni141"
)

// interceptor may answer a request instead of the fake: it returns true
// when it wrote an answer. p holds the request's query and form parameters.
type interceptor func(w http.ResponseWriter, r *http.Request, action string, p url.Values) bool

// fixture is a fake VPC endpoint and a client pointed at it whose sleeps
// are recorded instead of waited. Requests pass through a front that counts
// them per action (and how many were in flight at once) and lets a test
// answer some of them by hand (intercept) where the fake has no such mode.
type fixture struct {
	fake   *fakealicloud.Server
	client *Client
	mu     sync.Mutex
	sleeps []time.Duration
	logs   []Attempt

	// Guarded by mu.
	intercept   interceptor
	sent        map[string][]url.Values // parameters of every request, by action
	inFlight    map[string]int
	maxInFlight map[string]int
}

func newFixture(t testing.TB, mutate func(*Config)) *fixture {
	t.Helper()
	f := &fixture{
		fake:        fakealicloud.New(fakealicloud.Config{Credentials: map[string]fakealicloud.Credential{testKey: {AccessKeySecret: testSecret}}}),
		sent:        map[string][]url.Values{},
		inFlight:    map[string]int{},
		maxInFlight: map[string]int{},
	}
	srv := httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(srv.Close)
	t.Cleanup(f.fake.Close)
	f.fake.AddPhysicalConnection(testPC, testRegion, "Confirmed")
	cfg := Config{
		RegionID:    testRegion,
		VPCEndpoint: strings.TrimPrefix(srv.URL, "http://"),
		Protocol:    ProtocolHTTP,
		Credential:  staticCredential(t, testSecret),
		Retry:       RetryPolicy{InitialBackoff: time.Millisecond, MaxBackoff: 10 * time.Millisecond, AttemptTimeout: 2 * time.Second},
		Sleep: func(ctx context.Context, d time.Duration) error {
			f.mu.Lock()
			f.sleeps = append(f.sleeps, d)
			f.mu.Unlock()
			return ctx.Err()
		},
		OnAttempt: func(_ context.Context, a Attempt) {
			f.mu.Lock()
			f.logs = append(f.logs, a)
			f.mu.Unlock()
		},
	}
	if mutate != nil {
		mutate(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	f.client = c
	return f
}

// serve notes the request, lets the interceptor answer it, or passes it to
// the fake.
func (f *fixture) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	p := r.URL.Query()
	if form, err := url.ParseQuery(string(body)); err == nil {
		for k, v := range form {
			p[k] = append(p[k], v...)
		}
	}
	action := r.Header.Get("x-acs-action")
	if action == "" {
		action = p.Get("Action")
	}
	f.mu.Lock()
	f.sent[action] = append(f.sent[action], p)
	f.inFlight[action]++
	f.maxInFlight[action] = max(f.maxInFlight[action], f.inFlight[action])
	icpt := f.intercept
	f.mu.Unlock()
	defer func() {
		f.mu.Lock()
		f.inFlight[action]--
		f.mu.Unlock()
	}()
	if icpt != nil && icpt(w, r, action, p) {
		return
	}
	f.fake.ServeHTTP(w, r)
}

// setIntercept installs (or, with nil, removes) the interceptor.
func (f *fixture) setIntercept(i interceptor) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.intercept = i
}

// requests returns the parameters of every request of action so far.
func (f *fixture) requests(action string) []url.Values {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]url.Values(nil), f.sent[action]...)
}

// peakLookupsInFlight returns the most DescribePhysicalConnections that
// were in flight at once.
func (f *fixture) peakLookupsInFlight() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.maxInFlight[ActionDescribePhysicalConnections]
}

// awaitInFlight waits until n requests of action are in flight.
func (f *fixture) awaitInFlight(action string, n int) {
	for {
		f.mu.Lock()
		got := f.inFlight[action]
		f.mu.Unlock()
		if got == n {
			return
		}
		time.Sleep(time.Millisecond)
	}
}

// writeAnswer writes a JSON answer as the API does.
func writeAnswer(w http.ResponseWriter, status int, v any) {
	body, _ := json.Marshal(v)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("x-acs-request-id", "req-by-hand")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// writeAPIError writes an error answer in the API's shape.
func writeAPIError(w http.ResponseWriter, status int, code string) {
	writeAnswer(w, status, map[string]string{"RequestId": "req-by-hand", "HostId": "vpc.aliyuncs.com", "Code": code, "Message": "by hand: " + code})
}

func staticCredential(t testing.TB, secret string) credentials.Credential {
	key := testKey
	t.Helper()
	typ := "access_key"
	c, err := credentials.NewCredential(&credentials.Config{Type: &typ, AccessKeyId: &key, AccessKeySecret: &secret})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func order(token string) OccupancyOrderInput {
	return OccupancyOrderInput{PhysicalConnectionID: testPC, AutoPay: true, InstanceChargeType: ChargeTypePrePaid, Period: 2, PricingCycle: CycleYear, ClientToken: token}
}

// tokensSent returns the ClientToken of every create request the fake saw.
func tokensSent(f *fakealicloud.Server) []string {
	var out []string
	for _, r := range f.Requests() {
		out = append(out, r.Params["ClientToken"])
	}
	return out
}

// manualClock is a clock that moves only when a test advances it. Sleep
// returns once the clock has moved past its wait, or when ctx ends; the
// test can wait until a number of goroutines sleep. No test timing then
// depends on wall time.
type manualClock struct {
	mu       sync.Mutex
	now      time.Time
	sleepers int
	moved    chan struct{} // closed and replaced on every advance
}

func newManualClock() *manualClock {
	return &manualClock{now: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), moved: make(chan struct{})}
}

func (m *manualClock) Now() time.Time {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.now
}

func (m *manualClock) Sleep(ctx context.Context, d time.Duration) error {
	m.mu.Lock()
	until := m.now.Add(d)
	m.sleepers++
	defer func() {
		m.mu.Lock()
		m.sleepers--
		m.mu.Unlock()
	}()
	for {
		if !m.now.Before(until) {
			m.mu.Unlock()
			return nil
		}
		moved := m.moved
		m.mu.Unlock()
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-moved:
		}
		m.mu.Lock()
	}
}

// advance moves the clock by d and wakes the sleepers.
func (m *manualClock) advance(d time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.now = m.now.Add(d)
	close(m.moved)
	m.moved = make(chan struct{})
}

// awaitSleeper waits until one goroutine sleeps on the clock.
func (m *manualClock) awaitSleeper() {
	for {
		m.mu.Lock()
		got := m.sleepers
		m.mu.Unlock()
		if got == 1 {
			return
		}
		time.Sleep(time.Millisecond)
	}
}

// useClock makes a fixture's client run on clock.
func useClock(clock *manualClock) func(*Config) {
	return func(c *Config) { c.Now, c.Sleep = clock.Now, clock.Sleep }
}
