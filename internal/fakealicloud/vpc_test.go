package fakealicloud

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
)

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
		{"PhysicalConnectionId", "-", 400, "MissingParameter"},
		{"RegionId", "-", 400, "MissingParameter"},
		{"InstanceChargeType", "Free", 400, "InvalidPhysicalConnectionChargeType.Malformed"},
		{"InstanceChargeType", "prepaid", 400, "InvalidPhysicalConnectionChargeType.Malformed"},
		{"PricingCycle", "Week", 400, "InvalidPhysicalConnectionPricingCycle.Malformed"},
		{"Period", "one", 400, "InvalidPhysicalConnectionPeriod.Malformed"},
		{"Period", "0", 400, "InvalidPhysicalConnectionPeriod.Malformed"},
		{"Period", "10", 400, "InvalidPhysicalConnectionPeriod.Malformed"}, // Month: 1-9
		{"AutoPay", "yes", 400, "InvalidParameter"},
		{"PhysicalConnectionId", "pc-unknown", 404, "InvalidPhysicalConnectionId.NotFound"},
		{"RegionId", "cn-beijing", 404, "InvalidRegionId.NotFound"},
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

	s.SetPhysicalConnectionStatus(testPC, StatusComplete)
	wantOK(t, newCall(AlgorithmACS3, now, orderParams("")).do(t, addr))
	s.SetPhysicalConnectionStatus("pc-unknown", StatusComplete) // no effect
	r := newCall(AlgorithmACS3, now, map[string]string{"RegionId": testRegion, "PhysicalConnectionId": "pc-unknown"}).do(t, addr)
	wantErr(t, r, 404, "InvalidPhysicalConnectionId.NotFound")
	if !strings.Contains(r.raw, "The PhysicalConnectionId provided does not exist in our records.") {
		t.Errorf("body %s", r.raw)
	}
	if n := len(s.Orders()); n != 2 {
		t.Errorf("%d orders, want 2", n)
	}
	// A region known without circuits answers the circuit's 404.
	s.AddRegion("cn-beijing")
	wantErr(t, newCall(AlgorithmACS3, now, withParams(orderParams(""), "RegionId", "cn-beijing")).do(t, addr), 404, "InvalidPhysicalConnectionId.NotFound")
	r = newCall(AlgorithmACS3, now, withParams(orderParams(""), "RegionId", "cn-nowhere")).do(t, addr)
	wantErr(t, r, 404, "InvalidRegionId.NotFound")
	if !strings.Contains(r.raw, `"Message":"The RegionId provided does not exist in our records."`) {
		t.Errorf("body %s", r.raw)
	}
	if n := len(s.Orders()); n != 2 {
		t.Errorf("%d orders after refusals, want 2", n)
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

func TestCreateOrder_businessStatus(t *testing.T) {
	s, addr, clk := newTestServer(t, nil)
	businessStatus := func() string {
		t.Helper()
		a := decodeOK[describeAnswer](t, describeCall(clk.Now(), map[string]string{"RegionId": testRegion}).do(t, addr))
		return a.PhysicalConnectionSet.PhysicalConnectionType[0].BusinessStatus
	}
	if got := businessStatus(); got != BusinessStatusNormal {
		t.Fatalf("BusinessStatus %q after AddPhysicalConnection", got)
	}
	for _, bs := range []string{"FinancialLocked", "SecurityLocked"} {
		s.SetPhysicalConnectionBusinessStatus(testPC, bs)
		if got := businessStatus(); got != bs {
			t.Errorf("BusinessStatus %q, want %q", got, bs)
		}
		r := newCall(AlgorithmACS3, clk.Now(), orderParams("")).do(t, addr)
		wantErr(t, r, http.StatusBadRequest, "INSTANCE.STATUS.NOT.ALLOW")
		if !strings.Contains(r.raw, `"Message":"Instance status not allow"`) {
			t.Errorf("body %s", r.raw)
		}
	}
	// The state is checked first.
	s.SetPhysicalConnectionStatus(testPC, StatusTerminated)
	wantErr(t, newCall(AlgorithmACS3, clk.Now(), orderParams("")).do(t, addr), http.StatusBadRequest, "IncorrectStatus.PhysicalConnection")
	s.SetPhysicalConnectionStatus(testPC, StatusConfirmed)
	s.SetPhysicalConnectionBusinessStatus(testPC, BusinessStatusNormal)
	wantOK(t, newCall(AlgorithmACS3, clk.Now(), orderParams("")).do(t, addr))
	s.SetPhysicalConnectionBusinessStatus("pc-unknown", "FinancialLocked") // no effect
	if n := len(s.Orders()); n != 1 {
		t.Errorf("%d orders, want 1", n)
	}
}

func TestCreateOrder_autoRenew(t *testing.T) {
	s, addr, clk := newTestServer(t, nil)
	for _, tc := range []struct {
		autoRenew, duration string // "-" leaves it out
		code                string // "" for success
	}{
		{"-", "-", ""},
		{"true", "1", ""},
		{"true", "12", ""},
		{"false", "-", ""},
		{"true", "-", ""},
		{"yes", "-", "InvalidParameter"},
		{"TRUE", "-", "InvalidParameter"},
		{"", "-", "InvalidParameter"},
		{"true", "0", ""}, // 0~2147483647 (the current page)
		{"true", "2147483647", ""},
		{"true", "2147483648", "InvalidParameter"},
		{"true", "-1", "InvalidParameter"},
		{"true", "one", "InvalidParameter"},
		{"-", "", "InvalidParameter"},
	} {
		p := orderParams("")
		if tc.autoRenew != "-" {
			p["AutoRenew"] = tc.autoRenew
		}
		if tc.duration != "-" {
			p["AutoRenewDuration"] = tc.duration
		}
		before := len(s.Orders())
		r := newCall(AlgorithmRPC, clk.Now(), p).do(t, addr)
		if tc.code != "" {
			wantErr(t, r, http.StatusBadRequest, tc.code)
			name := "AutoRenew"
			if tc.autoRenew == "-" || tc.autoRenew == "true" {
				name = "AutoRenewDuration"
			}
			if !strings.Contains(r.raw, `\"`+name+`\"`) || len(s.Orders()) != before {
				t.Errorf("AutoRenew %q AutoRenewDuration %q: %s", tc.autoRenew, tc.duration, r.raw)
			}
			continue
		}
		id := wantOK(t, r)
		orders := s.Orders()
		got := orders[len(orders)-1]
		want := Order{ID: id, RegionID: testRegion, PhysicalConnectionID: testPC, AutoPay: "true", InstanceChargeType: "PrePaid",
			Period: "1", PricingCycle: "Month", AutoRenew: strings.Trim(tc.autoRenew, "-"), AutoRenewDuration: strings.Trim(tc.duration, "-")}
		if got != want {
			t.Errorf("AutoRenew %q AutoRenewDuration %q: order\n got %+v\nwant %+v", tc.autoRenew, tc.duration, got, want)
		}
	}
	// The terms are part of what a client token replays.
	p := orderParams("renew-token")
	p["AutoRenew"] = "true"
	first := wantOK(t, newCall(AlgorithmACS3, clk.Now(), p).do(t, addr))
	p["AutoRenew"] = "false"
	wantErr(t, newCall(AlgorithmACS3, clk.Now(), p).do(t, addr), http.StatusBadRequest, "IdempotentParameterMismatch")
	p["AutoRenew"] = "true"
	if again := wantOK(t, newCall(AlgorithmACS3, clk.Now(), p).do(t, addr)); again != first {
		t.Errorf("replay gave %s, want %s", again, first)
	}
}
