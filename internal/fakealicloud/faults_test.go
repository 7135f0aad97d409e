package fakealicloud

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

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
