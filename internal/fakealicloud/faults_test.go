package fakealicloud

import (
	"context"
	"fmt"
	"net/http"
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
	wantErr(t, newCall(AlgorithmACS3, clk.Now(), map[string]string{"RegionId": testRegion}).do(t, addr), 400, "MissingParameter")
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

func TestInjectFor_anyAction(t *testing.T) {
	for _, action := range []string{ActionDescribePhysicalConnections, ActionGetOrderDetail, ActionAssumeRole} {
		t.Run(action, func(t *testing.T) {
			s, addr, clk := newTestServer(t, nil)
			s.AddRole(testRoleArn, "")
			do := func() result {
				switch action {
				case ActionDescribePhysicalConnections:
					return describeCall(clk.Now(), map[string]string{"RegionId": testRegion}).do(t, addr)
				case ActionGetOrderDetail:
					return orderDetailCall(clk.Now(), "1").do(t, addr)
				}
				return stsCall(AlgorithmACS3, clk.Now(), map[string]string{"RoleArn": testRoleArn, "RoleSessionName": "session"}).do(t, addr)
			}
			s.InjectFor(action,
				Fault{Kind: Throttle, RetryAfter: time.Second},
				Fault{Kind: Unavailable},
				Fault{Kind: Internal},
				Fault{Kind: Reset},
				Fault{Kind: LoseResponse},
				Fault{Kind: Slow, Delay: 50 * time.Millisecond},
			)
			// The create's queue is another one.
			wantOK(t, newCall(AlgorithmACS3, clk.Now(), orderParams("")).do(t, addr))

			r := do()
			wantErr(t, r, http.StatusBadRequest, "Throttling.User")
			if r.header.Get("Retry-After") != "1" {
				t.Errorf("Retry-After %q", r.header.Get("Retry-After"))
			}
			wantErr(t, do(), http.StatusServiceUnavailable, "ServiceUnavailable")
			wantErr(t, do(), http.StatusInternalServerError, "InternalError")
			if r := do(); r.err == nil {
				t.Errorf("Reset answered %d", r.status)
			}
			if r := do(); r.err == nil {
				t.Errorf("LoseResponse answered %d", r.status)
			}
			begin := time.Now()
			wantOK(t, do())
			if d := time.Since(begin); d < 50*time.Millisecond {
				t.Errorf("Slow answered after %v", d)
			}
			wantOK(t, do()) // the queue is empty

			var faults []string
			for _, r := range s.Requests()[1:] {
				faults = append(faults, r.Fault)
			}
			if got := strings.Join(faults, ","); got != "Throttle,Unavailable,Internal,Reset,LoseResponse,Slow," {
				t.Errorf("faults %s", got)
			}
			if reqs := s.Requests(); reqs[0].Fault != "" || !reqs[5].Lost || reqs[5].HTTPStatus != http.StatusOK {
				t.Errorf("records %+v", reqs)
			}
		})
	}
}

func TestDeny(t *testing.T) {
	for _, tc := range []struct {
		action string
		code   string
		hostID string
	}{
		{ActionCreateOccupancyOrder, "Forbidden.RAM", "vpc.aliyuncs.com"},
		{ActionDescribePhysicalConnections, "Forbidden.RAM", "vpc.aliyuncs.com"},
		{ActionDescribePhysicalConnections, "NoPermission", "vpc.aliyuncs.com"},
		{ActionGetOrderDetail, "Forbidden.RAM", "business.aliyuncs.com"},
		{ActionGetOrderDetail, "NoPermission", "business.aliyuncs.com"},
	} {
		t.Run(tc.action+"/"+tc.code, func(t *testing.T) {
			s, addr, clk := newTestServer(t, nil)
			calls := map[string]func() call{
				ActionCreateOccupancyOrder: func() call { return newCall(AlgorithmACS3, clk.Now(), orderParams("")) },
				ActionDescribePhysicalConnections: func() call {
					return describeCall(clk.Now(), map[string]string{"RegionId": testRegion})
				},
				ActionGetOrderDetail: func() call { return orderDetailCall(clk.Now(), "1") },
			}
			s.Deny(tc.action, tc.code)
			s.InjectFor(tc.action, Fault{Kind: Internal})
			s.SetRateLimit(1000, 1000)
			for action, c := range calls {
				r := c().do(t, addr)
				if action != tc.action {
					if r.err != nil || r.status == http.StatusForbidden {
						t.Errorf("%s: %d %s", action, r.status, r.raw)
					}
					continue
				}
				wantErr(t, r, http.StatusForbidden, tc.code)
				want := `"HostId":"` + tc.hostID + `","Code":"` + tc.code + `","Message":"User not authorized to operate on the specified resource, or this API doesn't support RAM."`
				if !strings.Contains(r.raw, want) {
					t.Errorf("body %s, want %s", r.raw, want)
				}
				// Authentication comes first.
				bad := c()
				bad.secret = "wrong"
				wantErr(t, bad.do(t, addr), http.StatusBadRequest, "SignatureDoesNotMatch")
			}
			if len(s.Orders()) != 0 && tc.action == ActionCreateOccupancyOrder {
				t.Error("a denied create placed an order")
			}
			// Denied requests consume no fault; Allow lifts the refusal.
			s.Allow(tc.action)
			wantErr(t, calls[tc.action]().do(t, addr), http.StatusInternalServerError, "InternalError")
			wantOK(t, calls[tc.action]().do(t, addr))
		})
	}
}
