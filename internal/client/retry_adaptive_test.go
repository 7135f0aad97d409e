package client

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"
)

// throttledFixture is a fixture whose waits are real, with the default
// retry policy, against the fake throttling creates to perSecond after
// burst.
func throttledFixture(tb testing.TB, perSecond float64, burst int) *fixture {
	tb.Helper()
	f := newFixture(tb, func(c *Config) {
		c.Sleep = nil
		c.OnAttempt = nil
		c.Retry = RetryPolicy{AttemptTimeout: 10 * time.Second}
	})
	f.fake.SetRateLimit(perSecond, burst)
	return f
}

// stormResult is what the fake saw of a storm of creates.
type stormResult struct {
	orders, requests, throttled int
}

// runStorm creates n orders through one Client, parallel at a time (as
// Terraform's -parallelism does), against the fake throttling creates to
// perSecond with the given burst. Waits are real; the retry policy is the
// default one. It fails the test unless every create succeeds with exactly
// one order per client token.
func runStorm(t *testing.T, n, parallel int, perSecond float64, burst int) stormResult {
	t.Helper()
	f := throttledFixture(t, perSecond, burst)
	// A circuit takes one occupancy order: one circuit per order.
	for i := range n {
		f.fake.AddPhysicalConnection(fmt.Sprintf("pc-storm%03d", i), testRegion, "Confirmed")
	}

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	tokens := make(chan string)
	ids := make([]string, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for range parallel {
		wg.Go(func() {
			for tok := range tokens {
				var i int
				_, _ = fmt.Sscanf(tok, "tok-storm-%d", &i)
				in := order(tok)
				in.PhysicalConnectionID = fmt.Sprintf("pc-storm%03d", i)
				o, err := f.client.CreateOccupancyOrder(ctx, in)
				errs[i] = err
				if o != nil {
					ids[i] = o.OrderID
				}
			}
		})
	}
	for i := range n {
		tokens <- fmt.Sprintf("tok-storm-%03d", i)
	}
	close(tokens)
	wg.Wait()

	byToken := map[string]string{}
	for _, o := range f.fake.Orders() {
		if prev, dup := byToken[o.ClientToken]; dup {
			t.Fatalf("token %s has two orders, %s and %s", o.ClientToken, prev, o.ID)
		}
		byToken[o.ClientToken] = o.ID
	}
	for i := range n {
		tok := fmt.Sprintf("tok-storm-%03d", i)
		if errs[i] != nil {
			t.Fatalf("create %s: %v", tok, errs[i])
		}
		if byToken[tok] == "" || byToken[tok] != ids[i] {
			t.Fatalf("create %s returned order %q; the fake holds %q for it", tok, ids[i], byToken[tok])
		}
	}
	if len(byToken) != n {
		t.Fatalf("the fake holds %d orders, want %d", len(byToken), n)
	}
	r := stormResult{orders: len(byToken)}
	for _, req := range f.fake.Requests() {
		r.requests++
		if req.Code == "Throttling.User" {
			r.throttled++
		}
	}
	t.Logf("%d orders, %d at a time, against %g/s (burst %d): %d requests, %d throttled (%.2f per order)",
		n, parallel, perSecond, burst, r.requests, r.throttled, float64(r.throttled)/float64(n))
	return r
}

// TestClient_throttledStormAsksOnce runs 100 creates, ten at a time (as
// Terraform does), into a 20/s limit. Each call backing off on its own sent
// about 1.7 throttled requests per order; the shared adaptive rate sends
// about 0.2.
func TestClient_throttledStormAsksOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("takes five seconds of real time")
	}
	const n = 100
	r := runStorm(t, n, 10, 20, 2)
	if perOrder := float64(r.throttled) / n; perOrder >= 0.5 {
		t.Fatalf("%d throttled requests for %d orders (%.2f per order), want fewer than 0.5 per order", r.throttled, n, perOrder)
	}
}

// TestClient_throttledBurstAsksOnce starts 100 creates at once into the
// same limit. The first wave cannot know the limit and is mostly refused;
// after it, the shared rate keeps the retries from being refused again and
// again: about 1.3 throttled requests per order in all, where calls backing
// off on their own sent about 4.7.
func TestClient_throttledBurstAsksOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("takes five seconds of real time")
	}
	const n = 100
	r := runStorm(t, n, n, 20, 2)
	if perOrder := float64(r.throttled) / n; perOrder >= 2 {
		t.Fatalf("%d throttled requests for %d orders (%.2f per order), want fewer than 2 per order", r.throttled, n, perOrder)
	}
}
