package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pcorder/terraform-provider-alicloud/internal/fakealicloud"
)

// billingFixture is a fixture whose billing endpoint is the fake and whose
// sleeps are real, for the payment watcher's rounds.
func billingFixture(t *testing.T) *fixture {
	t.Helper()
	return newFixture(t, func(c *Config) {
		c.BillingEndpoint = c.VPCEndpoint
		c.Sleep = sleepContext
	})
}

// placeOrders places n auto-paid orders, each on a circuit of its own, and
// returns them as PlacedOrders.
func placeOrders(t *testing.T, f *fixture, n int) []PlacedOrder {
	t.Helper()
	out := make([]PlacedOrder, n)
	for i := range out {
		pc := fmt.Sprintf("pc-watch%04d", i)
		f.fake.AddPhysicalConnection(pc, testRegion, "Confirmed")
		sent := time.Now()
		o, err := f.client.CreateOccupancyOrder(context.Background(), OccupancyOrderInput{PhysicalConnectionID: pc, AutoPay: true,
			InstanceChargeType: ChargeTypePostPaid, ClientToken: fmt.Sprintf("tok-watch-%d", i)})
		if err != nil {
			t.Fatal(err)
		}
		out[i] = PlacedOrder{ID: o.OrderID, Sent: sent, Answered: time.Now()}
	}
	return out
}

// inWindow reports whether the QueryOrders q covers the time t.
func inWindow(q url.Values, t time.Time) bool {
	from, err1 := time.Parse(queryTimeLayout, q.Get("CreateTimeStart"))
	to, err2 := time.Parse(queryTimeLayout, q.Get("CreateTimeEnd"))
	t = t.UTC().Truncate(time.Second)
	return err1 == nil && err2 == nil && !t.Before(from) && !t.After(to)
}

// TestPaymentWatcher_sharedList: ten creates waiting at once are answered by
// one or two QueryOrders (the first round may start before the last waiter
// comes), whose windows cover every order, and no GetOrderDetail.
func TestPaymentWatcher_sharedList(t *testing.T) {
	f := billingFixture(t)
	orders := placeOrders(t, f, 10)
	w := f.client.NewPaymentWatcher()
	var wg sync.WaitGroup
	for _, o := range orders {
		wg.Go(func() {
			d, err := w.AwaitPayment(context.Background(), o, time.Second)
			if err != nil || !d.Paid() || d.OrderID != o.ID {
				t.Errorf("order %s: got %+v, %v; want it paid", o.ID, d, err)
			}
		})
	}
	wg.Wait()
	queries := f.requests(ActionQueryOrders)
	if n := len(queries); n < 1 || n > 2 || len(f.requests(ActionGetOrderDetail)) != 0 {
		t.Fatalf("%d QueryOrders and %d GetOrderDetail for 10 orders, want 1-2 and none", n, len(f.requests(ActionGetOrderDetail)))
	}
	for _, o := range orders {
		if !inWindow(queries[len(queries)-1], o.Sent) && !inWindow(queries[0], o.Sent) {
			t.Errorf("order %s, sent at %s, is in no window: %v", o.ID, o.Sent, queries)
		}
	}
	if got := queries[0].Get("PageSize"); got != fmt.Sprint(queryOrdersPageSize) {
		t.Errorf("PageSize %q, want %d", got, queryOrdersPageSize)
	}
}

// TestPaymentWatcher_pagesUntilSeen: a round reads the window's pages only
// until it has seen the orders it waits for.
func TestPaymentWatcher_pagesUntilSeen(t *testing.T) {
	f := billingFixture(t)
	orders := placeOrders(t, f, 2*queryOrdersPageSize+10)
	w := f.client.NewPaymentWatcher()
	// The window of the last order alone holds them all; the fake lists them
	// in the order they were placed, so the last is on the third page.
	last := orders[len(orders)-1]
	last.Sent = orders[0].Sent
	if d, err := w.AwaitPayment(context.Background(), last, time.Second); err != nil || !d.Paid() {
		t.Fatalf("got %+v, %v; want paid", d, err)
	}
	var pages []string
	for _, q := range f.requests(ActionQueryOrders) {
		pages = append(pages, q.Get("PageNum"))
	}
	if fmt.Sprint(pages) != "[1 2 3]" {
		t.Fatalf("pages %v, want 1 2 3", pages)
	}
	before := len(f.requests(ActionQueryOrders))
	if d, err := f.client.NewPaymentWatcher().AwaitPayment(context.Background(), orders[0], time.Second); err != nil || !d.Paid() {
		t.Fatalf("got %+v, %v; want paid", d, err)
	}
	if n := len(f.requests(ActionQueryOrders)) - before; n != 1 {
		t.Fatalf("%d QueryOrders for an order on the first page, want 1", n)
	}
}

// TestPaymentWatcher_missedOrderAskedAlone: an order the window leaves out
// (here: dated an hour before its create, as an order the client token
// answered) is asked for alone in the same round, and alone from then on.
func TestPaymentWatcher_missedOrderAskedAlone(t *testing.T) {
	f := billingFixture(t)
	o := placeOrders(t, f, 1)[0]
	o.Sent, o.Answered = o.Sent.Add(time.Hour), o.Answered.Add(time.Hour)
	w := f.client.NewPaymentWatcher()
	for range 2 {
		if d, err := w.AwaitPayment(context.Background(), o, time.Second); err != nil || !d.Paid() {
			t.Fatalf("got %+v, %v; want paid", d, err)
		}
	}
	if q, g := len(f.requests(ActionQueryOrders)), len(f.requests(ActionGetOrderDetail)); q != 1 || g != 2 {
		t.Fatalf("%d QueryOrders and %d GetOrderDetail, want 1 (missing the order) and 2", q, g)
	}
}

// TestPaymentWatcher_listRefused: when QueryOrders is refused, for want of
// bss:DescribeOrderList or because the API wants ProductCode and
// SubscriptionType (the older reference), the order is asked for alone, and
// every order after it without asking QueryOrders again.
func TestPaymentWatcher_listRefused(t *testing.T) {
	for name, setup := range map[string]func(*fakealicloud.Server){
		"denied":   func(s *fakealicloud.Server) { s.Deny(ActionQueryOrders, "Forbidden.RAM") },
		"required": func(s *fakealicloud.Server) { s.SetQueryOrdersRules(fakealicloud.QueryOrdersRequired) },
	} {
		t.Run(name, func(t *testing.T) {
			f := billingFixture(t)
			setup(f.fake)
			orders := placeOrders(t, f, 2)
			w := f.client.NewPaymentWatcher()
			for _, o := range orders {
				if d, err := w.AwaitPayment(context.Background(), o, time.Second); err != nil || !d.Paid() {
					t.Fatalf("got %+v, %v; want paid", d, err)
				}
			}
			if q, g := len(f.requests(ActionQueryOrders)), len(f.requests(ActionGetOrderDetail)); q != 1 || g != 2 {
				t.Fatalf("%d QueryOrders and %d GetOrderDetail, want 1 (refused) and 2", q, g)
			}
		})
	}
}

// TestPaymentWatcher_refusedForGood: when the billing API refuses both
// reads, the wait ends at once with its error, not at ctx's end.
func TestPaymentWatcher_refusedForGood(t *testing.T) {
	f := billingFixture(t)
	f.fake.SetBillingMode(fakealicloud.BillingForbidden)
	o := placeOrders(t, f, 1)[0]
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	start := time.Now()
	d, err := f.client.NewPaymentWatcher().AwaitPayment(ctx, o, time.Second)
	var apiErr *APIError
	if d != nil || !errors.As(err, &apiErr) || !apiErr.Denied() || apiErr.Action != ActionGetOrderDetail || time.Since(start) > 10*time.Second {
		t.Fatalf("got %+v, %v after %s; want GetOrderDetail's refusal at once", d, err, time.Since(start))
	}
}

// TestPaymentWatcher_stopsAtFinalStatusOrContext: an unpaid order is asked
// for until ctx ends, and the last answer comes back with ctx's error; a
// paid one ends the wait at the first answer.
func TestPaymentWatcher_stopsAtFinalStatusOrContext(t *testing.T) {
	f := billingFixture(t)
	o := placeOrders(t, f, 1)[0]
	f.fake.SetPaymentStatus(o.ID, fakealicloud.PaymentUnpaid)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var asked atomic.Int64
	f.client.cfg.OnAttempt = func(_ context.Context, a Attempt) {
		if a.Action == ActionQueryOrders && asked.Add(1) == 3 {
			cancel()
		}
	}
	w := f.client.NewPaymentWatcher()
	d, err := w.AwaitPayment(ctx, o, 10*time.Millisecond)
	if !errors.Is(err, context.Canceled) || !d.Unpaid() || asked.Load() < 3 {
		t.Fatalf("got %+v, %v after %d questions; want Unpaid and ctx's error after 3", d, err, asked.Load())
	}
	f.fake.SetPaymentStatus(o.ID, fakealicloud.PaymentPaid)
	d, err = w.AwaitPayment(context.Background(), o, time.Hour) // an hour: one answer, or the test times out
	if err != nil || !d.Paid() {
		t.Fatalf("got %+v, %v; want Paid", d, err)
	}
}

// TestPaymentWatcher_lowerCaseCanceledIsFinal: the SDK's spelling ends the
// wait like the older docs' one.
func TestPaymentWatcher_lowerCaseCanceledIsFinal(t *testing.T) {
	f := billingFixture(t)
	f.setIntercept(func(w http.ResponseWriter, _ *http.Request, action string, _ url.Values) bool {
		if action != ActionQueryOrders {
			return false
		}
		writeAnswer(w, http.StatusOK, map[string]any{"RequestId": "R-c", "Success": true, "Data": map[string]any{"TotalCount": 1,
			"OrderList": map[string]any{"Order": []map[string]string{{"OrderId": "42", "PaymentStatus": "canceled"}}}}})
		return true
	})
	d, err := f.client.NewPaymentWatcher().AwaitPayment(context.Background(), PlacedOrder{ID: "42", Sent: time.Now(), Answered: time.Now()}, time.Second)
	if err != nil || !d.Voided() || len(f.requests(ActionQueryOrders)) != 1 {
		t.Fatalf("got %+v, %v after %d requests; want voided after one", d, err, len(f.requests(ActionQueryOrders)))
	}
}

// TestPaymentWatcher_listAnswerStands: when ctx ends while GetOrderDetail
// asks about an order the list did not show, the list's answer stands: the
// billing system did not show the order (ctx's error), rather than "could
// not be asked".
func TestPaymentWatcher_listAnswerStands(t *testing.T) {
	f := billingFixture(t)
	o := placeOrders(t, f, 1)[0]
	o.Sent, o.Answered = o.Sent.Add(time.Hour), o.Answered.Add(time.Hour) // the list misses it
	f.setIntercept(func(_ http.ResponseWriter, r *http.Request, action string, _ url.Values) bool {
		if action != ActionGetOrderDetail {
			return false
		}
		<-r.Context().Done() // held until the client gives up
		return true
	})
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	d, err := f.client.NewPaymentWatcher().AwaitPayment(ctx, o, time.Second)
	var reqErr *RequestError
	if d != nil || !errors.Is(err, context.DeadlineExceeded) || errors.As(err, &reqErr) {
		t.Fatalf("got %+v, %v; want no order and ctx's error alone", d, err)
	}
	if q, g := len(f.requests(ActionQueryOrders)), len(f.requests(ActionGetOrderDetail)); q != 1 || g < 1 {
		t.Fatalf("%d QueryOrders and %d GetOrderDetail, want 1 and at least 1", q, g)
	}
}
