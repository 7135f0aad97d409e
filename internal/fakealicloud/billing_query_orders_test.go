package fakealicloud

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

// queryOrdersCall is a QueryOrders call.
func queryOrdersCall(date time.Time, params map[string]string) call {
	return actionCall(ActionQueryOrders, BillingAPIVersion, date, params)
}

// listedIDs returns the order IDs of a QueryOrders answer and its
// TotalCount.
func listedIDs(t *testing.T, r result) ([]string, int) {
	t.Helper()
	a := decodeOK[queryOrdersAnswer](t, r)
	if !a.Success || a.Code != "Success" || a.Data.HostName != BillingHostID {
		t.Fatalf("answer %s", r.raw)
	}
	var ids []string
	for _, o := range a.Data.OrderList.Order {
		ids = append(ids, o.OrderID)
	}
	return ids, a.Data.TotalCount
}

// placeOrders commits n orders a minute apart, each on a circuit of its
// own, and returns their IDs.
func placeOrders(t *testing.T, s *Server, addr string, clk *clock, n int) []string {
	t.Helper()
	var ids []string
	for i := range n {
		pc := fmt.Sprintf("pc-query%02d", i)
		s.AddPhysicalConnection(pc, testRegion, "Confirmed")
		ids = append(ids, placeOrder(t, addr, clk.Now(), "PhysicalConnectionId", pc, "ClientToken", "tok-"+pc))
		clk.Advance(time.Minute)
	}
	return ids
}

func TestQueryOrders_windowAndPages(t *testing.T) {
	s, addr, clk := newTestServer(t, nil)
	start := clk.Now().UTC()
	ids := placeOrders(t, s, addr, clk, 5) // at start, +1 min, ... +4 min
	at := func(m int) string { return start.Add(time.Duration(m) * time.Minute).Format(utcLayout) }
	for _, tc := range []struct {
		name      string
		params    map[string]string
		want      []string
		wantTotal int
	}{
		{"both ends included", map[string]string{"CreateTimeStart": at(1), "CreateTimeEnd": at(3)}, ids[1:4], 3},
		{"paged", map[string]string{"CreateTimeStart": at(0), "CreateTimeEnd": at(4), "PageSize": "2", "PageNum": "2"}, ids[2:4], 5},
		{"past the last page", map[string]string{"CreateTimeStart": at(0), "CreateTimeEnd": at(4), "PageSize": "2", "PageNum": "4"}, nil, 5},
		{"the last hour by default", nil, ids, 5},
		{"a filter", map[string]string{"CreateTimeStart": at(0), "CreateTimeEnd": at(4), "PaymentStatus": "paid", "ProductCode": "vpc"}, ids, 5},
		{"a filter that matches nothing", map[string]string{"SubscriptionType": "PayAsYouGo"}, nil, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, total := listedIDs(t, queryOrdersCall(clk.Now(), tc.params).do(t, addr))
			if fmt.Sprint(got) != fmt.Sprint(tc.want) || total != tc.wantTotal {
				t.Errorf("listed %v of %d, want %v of %d", got, total, tc.want, tc.wantTotal)
			}
		})
	}
	// The fields of the SDK model, the payment in the spelling set.
	s.SetPaymentSpelling(PaymentSpellingSDK)
	a := decodeOK[queryOrdersAnswer](t, queryOrdersCall(clk.Now(), map[string]string{"CreateTimeStart": at(0), "CreateTimeEnd": at(0)}).do(t, addr))
	if o := a.Data.OrderList.Order; len(o) != 1 || o[0].OrderID != ids[0] || o[0].PaymentStatus != "paid" || o[0].CreateTime != at(0) ||
		o[0].SubscriptionType != "Subscription" || o[0].PretaxAmount != "1000.00" || a.Data.PageSize != 20 || a.Data.PageNum != 1 {
		t.Errorf("answer %+v", a)
	}
}

func TestQueryOrders_refusals(t *testing.T) {
	s, addr, clk := newTestServer(t, nil)
	placeOrders(t, s, addr, clk, 1)
	for _, p := range []map[string]string{
		{"CreateTimeStart": "2025-03-04 05:06:07"},
		{"CreateTimeEnd": "yesterday"},
		{"PageNum": "0"},
		{"PageSize": "ten"},
	} {
		wantErr(t, queryOrdersCall(clk.Now(), p).do(t, addr), http.StatusBadRequest, "InvalidParameter")
	}
	// The older reference's rules.
	s.SetQueryOrdersRules(QueryOrdersRequired)
	wantErr(t, queryOrdersCall(clk.Now(), map[string]string{"ProductCode": "vpc"}).do(t, addr), http.StatusBadRequest, "MissingParameter")
	if got, _ := listedIDs(t, queryOrdersCall(clk.Now(), map[string]string{"ProductCode": "vpc", "SubscriptionType": "Subscription"}).do(t, addr)); len(got) != 1 {
		t.Errorf("with both required parameters: %v", got)
	}
	s.SetQueryOrdersRules(QueryOrdersSDK)
	// The billing modes and Deny apply as to GetOrderDetail.
	s.SetBillingMode(BillingForbidden)
	wantErr(t, queryOrdersCall(clk.Now(), nil).do(t, addr), http.StatusForbidden, "Forbidden.RAM")
	s.SetBillingMode(BillingNormal)
	s.Deny(ActionQueryOrders, "Forbidden.RAM")
	wantErr(t, queryOrdersCall(clk.Now(), nil).do(t, addr), http.StatusForbidden, "Forbidden.RAM")
	wantOK(t, orderDetailCall(clk.Now(), s.Orders()[0].ID).do(t, addr))
	s.Allow(ActionQueryOrders)
	s.SetOrderDetailFailure("InternalError.Billing", "")
	r := queryOrdersCall(clk.Now(), nil).do(t, addr)
	if r.status != http.StatusOK || !strings.Contains(r.raw, `"Code":"InternalError.Billing"`) || !strings.Contains(r.raw, `"Success":false`) {
		t.Errorf("Success false: %d %s", r.status, r.raw)
	}
	s.SetOrderDetailFailure("", "")
	// An order shows once the billing lag has passed.
	s.SetBillingLag(time.Hour)
	if got, _ := listedIDs(t, queryOrdersCall(clk.Now(), nil).do(t, addr)); len(got) != 0 {
		t.Errorf("within the lag: %v", got)
	}
}

// TestQueryOrders_pagedFilter pages through the orders a filter keeps,
// among orders it does not keep.
func TestQueryOrders_pagedFilter(t *testing.T) {
	s, addr, clk := newTestServer(t, nil)
	start := clk.Now().UTC()
	ids := placeOrders(t, s, addr, clk, 5)
	s.SetPaymentStatus(ids[1], PaymentUnpaid)
	s.SetPaymentStatus(ids[3], PaymentUnpaid)
	p := map[string]string{"CreateTimeStart": start.Format(utcLayout), "CreateTimeEnd": clk.Now().UTC().Format(utcLayout),
		"PaymentStatus": "Paid", "PageSize": "2", "PageNum": "2"}
	got, total := listedIDs(t, queryOrdersCall(clk.Now(), p).do(t, addr))
	if fmt.Sprint(got) != fmt.Sprint(ids[4:5]) || total != 3 {
		t.Errorf("listed %v of %d, want %v of 3", got, total, ids[4:5])
	}
}

// TestQueryOrders_clockBack lists by creation time when the clock went
// back between two orders, so that commitment order is not time order.
func TestQueryOrders_clockBack(t *testing.T) {
	s, addr, clk := newTestServer(t, nil)
	start := clk.Now().UTC()
	ids := placeOrders(t, s, addr, clk, 2) // at start and +1 min
	clk.Advance(-5 * time.Minute)          // to -3 min
	s.AddPhysicalConnection("pc-queryback", testRegion, "Confirmed")
	ids = append(ids, placeOrder(t, addr, clk.Now(), "PhysicalConnectionId", "pc-queryback", "ClientToken", "tok-back"))
	clk.Advance(time.Hour)
	at := func(m int) string { return start.Add(time.Duration(m) * time.Minute).Format(utcLayout) }
	for _, tc := range []struct {
		from, to int
		want     []string
	}{
		{-4, -2, ids[2:]},
		{0, 1, ids[:2]},
		{-3, 0, []string{ids[0], ids[2]}},
	} {
		got, total := listedIDs(t, queryOrdersCall(clk.Now(), map[string]string{"CreateTimeStart": at(tc.from), "CreateTimeEnd": at(tc.to)}).do(t, addr))
		if fmt.Sprint(got) != fmt.Sprint(tc.want) || total != len(tc.want) {
			t.Errorf("from %d to %d min: listed %v of %d, want %v", tc.from, tc.to, got, total, tc.want)
		}
	}
}
