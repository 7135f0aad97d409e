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

// waiting returns how many callers wait on the lookup's questions.
func (l *CircuitLookup) waiting() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, call := range l.calls {
		n += call.waiters
	}
	return n
}

// holdFirstDescribe makes the first DescribePhysicalConnections request wait
// until ready() is true, so that concurrent callers are known to be waiting
// while it is in flight.
func holdFirstDescribe(ready func() bool) interceptor {
	var first atomic.Bool
	return func(_ http.ResponseWriter, _ *http.Request, action string, _ url.Values) bool {
		if action == ActionDescribePhysicalConnections && first.CompareAndSwap(false, true) {
			for !ready() {
				time.Sleep(time.Millisecond)
			}
		}
		return false
	}
}

// lookupAll looks ids up concurrently, one caller per entry. The first
// caller's request is in flight (held by holdFirstDescribe) before the
// others start, so that the batches are known: ids[0] alone, then the rest.
func lookupAll(f *fixture, l *CircuitLookup, ids []string) ([]*PhysicalConnection, []error) {
	pcs, errs := make([]*PhysicalConnection, len(ids)), make([]error, len(ids))
	var wg sync.WaitGroup
	for i, id := range ids {
		wg.Go(func() { pcs[i], errs[i] = l.Lookup(context.Background(), id) })
		if i == 0 {
			f.awaitInFlight(ActionDescribePhysicalConnections, 1)
		}
	}
	wg.Wait()
	return pcs, errs
}

// TestCircuitLookup_oneCircuitOfALargeRegion: one circuit among 1000 costs
// one filtered request, and a second look none.
func TestCircuitLookup_oneCircuitOfALargeRegion(t *testing.T) {
	f := newFixture(t, nil)
	ids := f.addCircuits(999, "Confirmed")
	l := f.client.NewCircuitLookup()
	for range 3 {
		pc, err := l.Lookup(context.Background(), ids[500])
		if err != nil || pc == nil || pc.ID != ids[500] || pc.Status != "Confirmed" {
			t.Fatalf("got %+v, %v", pc, err)
		}
	}
	sent := f.requests(ActionDescribePhysicalConnections)
	if len(sent) != 1 || fmt.Sprint(filterValues(t, sent[0])) != fmt.Sprint([]string{ids[500]}) {
		t.Fatalf("sent %v, want one request filtered by %s", sent, ids[500])
	}
	// A miss asked alone is confirmed at once, and remembered.
	for range 2 {
		if pc, err := l.Lookup(context.Background(), "pc-missing"); pc != nil || err != nil {
			t.Fatalf("pc-missing: %+v, %v", pc, err)
		}
	}
	if n := len(f.requests(ActionDescribePhysicalConnections)); n != 2 {
		t.Fatalf("%d requests in all, want 2", n)
	}
}

// TestCircuitLookup_everyCircuitOfTheRegion: 1000 concurrent callers on
// 1000 distinct circuits cost about the region's listing (20 pages), one
// request at a time.
func TestCircuitLookup_everyCircuitOfTheRegion(t *testing.T) {
	f := newFixture(t, nil)
	ids := append(f.addCircuits(999, "Enabled"), testPC)
	l := f.client.NewCircuitLookup()
	f.setIntercept(holdFirstDescribe(func() bool { return l.waiting() == len(ids) }))
	pcs, errs := lookupAll(f, l, ids)
	for i := range ids {
		if errs[i] != nil || pcs[i] == nil || pcs[i].ID != ids[i] {
			t.Fatalf("%s: %+v, %v", ids[i], pcs[i], errs[i])
		}
	}
	// The first caller's batch (1 ID, 1 request), then the listing's 20
	// pages for everyone else.
	if n := len(f.requests(ActionDescribePhysicalConnections)); n != 21 {
		t.Fatalf("%d requests, want 21", n)
	}
	if p := f.peakLookupsInFlight(); p != 1 {
		t.Fatalf("%d requests in flight at once, want 1", p)
	}
}

// TestCircuitLookup_batchesByFilterOrListing: waiting IDs go out by five,
// or as the listing when the listing is shorter; page 1 of the listing
// tells the region's size when it is not known yet.
func TestCircuitLookup_batchesByFilterOrListing(t *testing.T) {
	f := newFixture(t, nil)
	ids := f.addCircuits(999, "Enabled")
	l := f.client.NewCircuitLookup()
	// 100 callers on 12 circuits beyond page 1 (and testPC is on it).
	asked := append(ids[900:911], testPC)
	var callers []string
	for i := range 100 {
		callers = append(callers, asked[i%len(asked)])
	}
	f.setIntercept(holdFirstDescribe(func() bool { return l.waiting() == len(callers) }))
	pcs, errs := lookupAll(f, l, callers)
	for i := range callers {
		if errs[i] != nil || pcs[i] == nil || pcs[i].ID != callers[i] {
			t.Fatalf("%s: %+v, %v", callers[i], pcs[i], errs[i])
		}
	}
	// First batch: asked[0] alone. Second: 11 IDs, region unknown: page 1
	// (shows testPC), then 10 IDs by two filters, not 19 more pages.
	sent := f.requests(ActionDescribePhysicalConnections)
	if len(sent) != 4 || filterValues(t, sent[1]) != nil || sent[1].Get("PageNumber") != "1" ||
		len(filterValues(t, sent[2])) != 5 || len(filterValues(t, sent[3])) != 5 {
		t.Fatalf("sent %v", sent)
	}
	if p := f.peakLookupsInFlight(); p != 1 {
		t.Fatalf("%d requests in flight at once, want 1", p)
	}
	if l.total != 1000 {
		t.Fatalf("the lookup learnt a region of %d circuits, want 1000", l.total)
	}
}

// TestReadCircuits_knownRegionSize: with the region's size known, the
// cheaper way is taken at once.
func TestReadCircuits_knownRegionSize(t *testing.T) {
	f := newFixture(t, nil)
	ids := f.addCircuits(99, "Enabled")
	// Six IDs of a region of 1000: two filters, not 20 pages.
	r, err := f.client.readCircuits(context.Background(), ids[90:96], 1000, 0)
	sent := f.requests(ActionDescribePhysicalConnections)
	if err != nil || len(r.shown) != 6 || len(sent) != 2 || len(filterValues(t, sent[0])) != 5 || len(filterValues(t, sent[1])) != 1 || !r.alone[ids[95]] {
		t.Fatalf("got %+v, %v after %v", r, err, sent)
	}
	// Eleven IDs of a region of 100: two pages, not three filters.
	r, err = f.client.readCircuits(context.Background(), ids[:11], 100, 0)
	sent = f.requests(ActionDescribePhysicalConnections)[2:]
	if err != nil || len(r.shown) != 100 || r.regionTotal != 100 || len(sent) != 2 || filterValues(t, sent[0]) != nil {
		t.Fatalf("got %d shown, %v after %v", len(r.shown), err, sent)
	}
}

// TestCircuitLookup_aMissIsAskedAgainAlone: a circuit created while a
// multi-ID request was answered is found by the recheck of its ID alone.
func TestCircuitLookup_aMissIsAskedAgainAlone(t *testing.T) {
	f := newFixture(t, nil)
	ids := f.addCircuits(3, "Enabled")
	l := f.client.NewCircuitLookup()
	var n atomic.Int64
	recreate := func(w http.ResponseWriter, r *http.Request, action string, _ url.Values) bool {
		if action != ActionDescribePhysicalConnections || n.Add(1) != 2 {
			return false
		}
		f.fake.ServeHTTP(w, r) // answer the multi-ID request, then create the circuit
		f.fake.AddPhysicalConnection("pc-new", testRegion, "Confirmed")
		return true
	}
	callers := []string{ids[0], ids[1], "pc-new", ids[2], "pc-never"}
	f.setIntercept(chain(holdFirstDescribe(func() bool { return l.waiting() == len(callers) }), recreate))
	pcs, errs := lookupAll(f, l, callers)
	for i, id := range callers {
		wantFound := id != "pc-never"
		if errs[i] != nil || (pcs[i] != nil) != wantFound {
			t.Fatalf("%s: %+v, %v", id, pcs[i], errs[i])
		}
	}
	// ids[0] alone; the other four together; pc-new and pc-never alone.
	sent := f.requests(ActionDescribePhysicalConnections)
	if len(sent) != 4 || len(filterValues(t, sent[1])) != 4 || len(filterValues(t, sent[2])) != 1 || len(filterValues(t, sent[3])) != 1 {
		t.Fatalf("sent %v", sent)
	}
}

// chain answers with the first interceptor that answers.
func chain(is ...interceptor) interceptor {
	return func(w http.ResponseWriter, r *http.Request, action string, p url.Values) bool {
		for _, i := range is {
			if i(w, r, action, p) {
				return true
			}
		}
		return false
	}
}

// TestCircuitLookup_failureIsSharedNotCached: 100 callers waiting on a
// failing request share its error; a later Lookup asks again.
func TestCircuitLookup_failureIsSharedNotCached(t *testing.T) {
	f := newFixture(t, nil)
	f.fake.Deny(ActionDescribePhysicalConnections, "Forbidden.RAM")
	l := f.client.NewCircuitLookup()
	callers := make([]string, 100)
	for i := range callers {
		callers[i] = testPC
	}
	f.setIntercept(holdFirstDescribe(func() bool { return l.waiting() == len(callers) }))
	_, errs := lookupAll(f, l, callers)
	for i, err := range errs {
		var apiErr *APIError
		if !errors.As(err, &apiErr) || !apiErr.Denied() {
			t.Fatalf("caller %d: %v, want the denial", i, err)
		}
	}
	if n := len(f.requests(ActionDescribePhysicalConnections)); n != 1 {
		t.Fatalf("%d requests, want 1", n)
	}
	f.fake.Allow(ActionDescribePhysicalConnections)
	if pc, err := l.Lookup(context.Background(), testPC); err != nil || pc == nil {
		t.Fatalf("after the denial was lifted: %+v, %v", pc, err)
	}
}

// TestCircuitLookup_eachCallerWaitsWithinItsContext: a caller whose ctx
// ends returns at once; the shared request goes on for the others.
func TestCircuitLookup_eachCallerWaitsWithinItsContext(t *testing.T) {
	f := newFixture(t, nil)
	l := f.client.NewCircuitLookup()
	release := make(chan struct{})
	f.setIntercept(func(_ http.ResponseWriter, _ *http.Request, action string, _ url.Values) bool {
		if action == ActionDescribePhysicalConnections {
			<-release
		}
		return false
	})
	impatient, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := l.Lookup(impatient, testPC)
		done <- err
	}()
	for l.waiting() != 1 {
		time.Sleep(time.Millisecond)
	}
	got := make(chan *PhysicalConnection, 1)
	go func() {
		pc, _ := l.Lookup(context.Background(), testPC)
		got <- pc
	}()
	for l.waiting() != 2 {
		time.Sleep(time.Millisecond)
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("the impatient caller got %v", err)
	}
	close(release)
	if pc := <-got; pc == nil || pc.ID != testPC {
		t.Fatalf("the patient caller got %+v", pc)
	}
	if n := len(f.requests(ActionDescribePhysicalConnections)); n != 1 {
		t.Fatalf("%d requests, want 1", n)
	}
}

// TestCircuitLookup_keepsTheRPCRetries: a throttled or failing lookup
// request is retried by the RPC core, inside the one request in flight.
func TestCircuitLookup_keepsTheRPCRetries(t *testing.T) {
	f := newFixture(t, nil)
	f.fake.InjectFor(ActionDescribePhysicalConnections,
		fakealicloud.Fault{Kind: fakealicloud.Throttle}, fakealicloud.Fault{Kind: fakealicloud.Unavailable}, fakealicloud.Fault{Kind: fakealicloud.Reset})
	pc, err := f.client.NewCircuitLookup().Lookup(context.Background(), testPC)
	if err != nil || pc == nil || pc.ID != testPC {
		t.Fatalf("got %+v, %v", pc, err)
	}
	// At least one backoff per retry; the rate limiter, on since the
	// throttle, may add waits of its own.
	if n := len(f.requests(ActionDescribePhysicalConnections)); n != 4 || len(f.sleeps) < 3 {
		t.Fatalf("%d requests and %d waits, want 4 and at least 3", n, len(f.sleeps))
	}
}

// TestCircuitLookup_oneAfterAnotherBuysTheListing: lookups that come one at
// a time, as a plan's may, each worth one filtered request, switch to the
// region's listing once the filters spent reach its cost, which then
// answers every later lookup: at most about twice the listing's pages.
func TestCircuitLookup_oneAfterAnotherBuysTheListing(t *testing.T) {
	f := newFixture(t, nil)
	ids := f.addCircuits(149, "Confirmed") // 150 with the fixture's: 3 pages
	l := f.client.NewCircuitLookup()
	for _, id := range ids {
		if pc, err := l.Lookup(context.Background(), id); err != nil || pc == nil {
			t.Fatalf("%s: %+v, %v", id, pc, err)
		}
	}
	if n := len(f.requests(ActionDescribePhysicalConnections)); n > 2*3+2 {
		t.Fatalf("%d lookups one at a time cost %d requests, want at most %d", len(ids), n, 2*3+2)
	}
}
