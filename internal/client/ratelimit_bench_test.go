package client

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"
)

// BenchmarkAdaptiveRate runs make bench's throttled scenarios in-process,
// in real time, against the fake's token bucket: Clients stand for
// Terraform processes, each with Terraform's 10 creates at a time, and
// each create is followed by resourceWork, the rest of what a resource
// costs Terraform and the provider (the payment check, the circuit's
// follow-up): make bench's unthrottled apply of 250 orders takes about
// 4.2 s of creates, about 166 ms a resource at 10 at a time. It reports
// throttled requests per order and the create phase (first request to
// last order) over the rate's floor, (N − burst) ÷ rate, which is what
// make bench judges; a run takes 2-12 s, against the 6-12 minutes of the
// same scenarios through Terraform, so that a change of the rate limiter
// can be tried in seconds before make bench measures it:
//
//	go test -run '^$' -bench AdaptiveRate -benchtime 3x -count 3 ./internal/client/
//
// For the limiter before the start-up cut it gave the fleet's and the
// storm's numbers within make bench's spread (fleet 0.21-0.27 throttled
// per order against make bench's 0.20-0.27, storm 1.06× its floor against
// 1.05-1.07×), and with it fleet 0.12-0.16 against 0.12-0.19, storm
// 1.10-1.13× against 1.09-1.12×; the process alone is refused more often
// than through Terraform (0.08-0.18 throttled per order against
// 0.05-0.12), whose first creates come less at once. It is a proxy, not
// the measure, and least of all for changes of the start-up: a plateau at
// the rate sent when answers were accepted gave the storm 1.14-1.15× here
// and 1.08-1.09× through Terraform (bench/README.md).
func BenchmarkAdaptiveRate(b *testing.B) {
	for _, sc := range []struct {
		name          string
		procs, orders int
		burst         int
	}{
		{"storm", 1, 250, 2}, // make bench's storm: 250 orders, 25/s, burst 2
		{"fleet", 4, 60, 25}, // its fleet: 4 processes of 60, 25/s, burst 25
		{"alone", 1, 60, 25}, // one process of the fleet alone
	} {
		b.Run(sc.name, func(b *testing.B) {
			var throttled, ratio float64
			for range b.N {
				t, r := runThrottled(b, sc.procs, sc.orders, benchRate, sc.burst)
				throttled += t
				ratio += r
			}
			b.ReportMetric(throttled/float64(b.N), "throttled/order")
			b.ReportMetric(ratio/float64(b.N), "phase/floor")
		})
	}
}

const (
	// benchRate is the fake's limit of creates per second, as make
	// bench's.
	benchRate = 25
	// resourceWork is a resource's work after its create (see
	// BenchmarkAdaptiveRate).
	resourceWork = 150 * time.Millisecond
	// joinAfter is when the fleet's other processes start their creates
	// after the first one's, as make bench's traces show (their plans end
	// about 0.6-0.8 s apart).
	joinAfter = 600 * time.Millisecond
)

// runThrottled creates procs × orders orders, each Client 10 at a time,
// the k-th Client starting joinAfter + k × 50 ms after the first, against
// the fake throttling creates to perSecond after burst. It returns the
// throttled requests per order and the create phase over its floor.
func runThrottled(b *testing.B, procs, orders int, perSecond float64, burst int) (throttledPerOrder, phaseRatio float64) {
	b.Helper()
	f := throttledFixture(b, perSecond, burst)
	n := procs * orders
	for i := range n {
		f.fake.AddPhysicalConnection(fmt.Sprintf("pc-bench%04d", i), testRegion, "Confirmed")
	}
	clients := []*Client{f.client}
	for range procs - 1 {
		c, err := New(f.client.cfg)
		if err != nil {
			b.Fatal(err)
		}
		clients = append(clients, c)
	}
	var (
		wg        sync.WaitGroup
		mu        sync.Mutex
		lastOrder time.Time
	)
	for k, c := range clients {
		todo := make(chan int)
		for range 10 {
			wg.Go(func() {
				for i := range todo {
					in := order(fmt.Sprintf("tok-bench-%04d", i))
					in.PhysicalConnectionID = fmt.Sprintf("pc-bench%04d", i)
					if _, err := c.CreateOccupancyOrder(context.Background(), in); err != nil {
						b.Error(err)
					}
					mu.Lock()
					lastOrder = time.Now()
					mu.Unlock()
					time.Sleep(resourceWork)
				}
			})
		}
		wg.Go(func() {
			if k > 0 {
				time.Sleep(joinAfter + time.Duration(k)*50*time.Millisecond)
			}
			for i := range orders {
				todo <- k*orders + i
			}
			close(todo)
		})
	}
	wg.Wait()
	var first time.Time
	throttled, orderIDs := 0, map[string]bool{}
	for _, r := range f.fake.Requests() {
		if first.IsZero() {
			first = r.Time
		}
		if r.Code == "Throttling.User" {
			throttled++
		}
		if r.OrderID != "" {
			orderIDs[r.OrderID] = true
		}
	}
	if len(orderIDs) != n || len(f.fake.Orders()) != n {
		b.Fatalf("%d orders answered, the fake holds %d, want %d", len(orderIDs), len(f.fake.Orders()), n)
	}
	floor := float64(n-burst) / perSecond
	return float64(throttled) / float64(n), lastOrder.Sub(first).Seconds() / floor
}
