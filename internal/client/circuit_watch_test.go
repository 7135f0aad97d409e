package client

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"
)

// waiting returns how many AwaitStatus calls wait.
func (w *CircuitWatcher) waiting() int {
	w.rounds.mu.Lock()
	defer w.rounds.mu.Unlock()
	return len(w.waiters)
}

// afterRound waits until the watcher has sent n requests in all and sleeps
// again: the round is over.
func afterRound(f *fixture, clock *manualClock, n int) {
	for len(f.requests(ActionDescribePhysicalConnections)) < n {
		time.Sleep(time.Millisecond)
	}
	clock.awaitSleeper()
}

type awaited struct {
	pc  *PhysicalConnection
	err error
}

// await starts AwaitStatus in a goroutine and returns where its result goes.
func await(ctx context.Context, w *CircuitWatcher, id string, poll time.Duration) <-chan awaited {
	out := make(chan awaited, 1)
	go func() {
		pc, err := w.AwaitStatus(ctx, id, "Enabled", poll)
		out <- awaited{pc, err}
	}()
	return out
}

// TestCircuitWatcher_sharedRounds: 100 creates waiting on 10 circuits share
// one round per poll interval, one request in flight at any moment.
func TestCircuitWatcher_sharedRounds(t *testing.T) {
	clock := newManualClock()
	f := newFixture(t, useClock(clock))
	ids := f.addCircuits(10, "Confirmed")
	w := f.client.NewCircuitWatcher()
	f.setIntercept(holdFirstDescribe(func() bool { return w.waiting() == 100 }))
	const poll = 10 * time.Second
	var results []<-chan awaited
	for i := range 100 {
		results = append(results, await(context.Background(), w, ids[i%10], poll))
		if i == 0 {
			f.awaitInFlight(ActionDescribePhysicalConnections, 1)
		}
	}
	// Round 1 (the first waiter's, held until all wait) asked for one ID.
	clock.awaitSleeper()
	sent := f.requests(ActionDescribePhysicalConnections)
	if len(sent) != 1 || len(filterValues(t, sent[0])) != 1 {
		t.Fatalf("round 1 sent %v", sent)
	}
	// Round 2 asks for all ten: listing page 1 holds the region's 11.
	clock.advance(poll)
	afterRound(f, clock, 2)
	sent = f.requests(ActionDescribePhysicalConnections)
	if len(sent) != 2 || sent[1].Get("PageNumber") != "1" || filterValues(t, sent[1]) != nil {
		t.Fatalf("round 2 sent %v", sent[1:])
	}
	for _, id := range ids {
		f.fake.SetPhysicalConnectionStatus(id, "Enabled")
	}
	clock.advance(poll)
	for i, r := range results {
		got := <-r
		if got.err != nil || got.pc == nil || got.pc.ID != ids[i%10] || got.pc.Status != "Enabled" {
			t.Fatalf("waiter %d: %+v, %v", i, got.pc, got.err)
		}
	}
	if n := len(f.requests(ActionDescribePhysicalConnections)); n != 3 {
		t.Fatalf("%d requests for three rounds, want 3", n)
	}
	if p := f.peakLookupsInFlight(); p != 1 {
		t.Fatalf("%d requests in flight at once, want 1", p)
	}
}

// TestCircuitWatcher_newWaiterRound: a new waiter gets a round at once when
// none ran within its poll interval, and otherwise within circuitGather,
// not a whole poll; each round asks about every waiting circuit.
func TestCircuitWatcher_newWaiterRound(t *testing.T) {
	clock := newManualClock()
	f := newFixture(t, useClock(clock))
	ids := f.addCircuits(3, "Confirmed")
	w := f.client.NewCircuitWatcher()
	ctx, cancel := context.WithCancel(context.Background())
	a := await(ctx, w, ids[0], time.Minute)
	clock.awaitSleeper() // round 1 done at t0; next due at t0+1m
	clock.advance(30 * time.Second)
	b := await(ctx, w, ids[1], 10*time.Second) // nothing within 10s: at once
	afterRound(f, clock, 2)
	sent := f.requests(ActionDescribePhysicalConnections)
	if got := filterValues(t, sent[1]); len(got) != 2 || !slices.Contains(got, ids[0]) || !slices.Contains(got, ids[1]) {
		t.Fatalf("round 2 asked for %v, want both waiting circuits", got)
	}
	c := await(ctx, w, ids[2], time.Minute) // a round just ran: gather for a moment
	for w.waiting() != 3 {
		time.Sleep(time.Millisecond)
	}
	clock.awaitSleeper()
	if n := len(f.requests(ActionDescribePhysicalConnections)); n != 2 {
		t.Fatalf("%d requests; a new waiter's round started before circuitGather", n)
	}
	clock.advance(circuitGather) // c is due: the round asks for all three
	afterRound(f, clock, 3)
	if got := filterValues(t, f.requests(ActionDescribePhysicalConnections)[2]); len(got) != 3 {
		t.Fatalf("round 3 asked for %v, want all three", got)
	}
	cancel()
	for _, r := range []<-chan awaited{a, b, c} {
		got := <-r
		if !errors.Is(got.err, context.Canceled) || got.pc == nil || got.pc.Status != "Confirmed" {
			t.Fatalf("got %+v, %v; want the circuit last seen and ctx's error", got.pc, got.err)
		}
	}
}

// TestCircuitWatcher_failedRoundIsRetried: a failed round is not an error;
// the next round may succeed. When ctx ends after a failed round, the
// error wraps both ctx's and the round's, beside the circuit last seen.
func TestCircuitWatcher_failedRoundIsRetried(t *testing.T) {
	for _, recovers := range []bool{true, false} {
		t.Run(fmt.Sprint("recovers=", recovers), func(t *testing.T) {
			clock := newManualClock()
			f := newFixture(t, useClock(clock))
			w := f.client.NewCircuitWatcher()
			f.fake.SetPhysicalConnectionStatus(testPC, "Confirmed")
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			r := await(ctx, w, testPC, time.Second)
			clock.awaitSleeper() // round 1 saw Confirmed
			f.fake.Deny(ActionDescribePhysicalConnections, "Forbidden.RAM")
			clock.advance(time.Second)
			afterRound(f, clock, 2) // round 2 failed
			if !recovers {
				cancel()
				got := <-r
				var apiErr *APIError
				if !errors.Is(got.err, context.Canceled) || !errors.As(got.err, &apiErr) || !apiErr.Denied() || got.pc == nil || got.pc.Status != "Confirmed" {
					t.Fatalf("got %+v, %v", got.pc, got.err)
				}
				return
			}
			f.fake.Allow(ActionDescribePhysicalConnections)
			f.fake.SetPhysicalConnectionStatus(testPC, "Enabled")
			clock.advance(time.Second)
			got := <-r
			if got.err != nil || got.pc == nil || got.pc.Status != "Enabled" {
				t.Fatalf("got %+v, %v", got.pc, got.err)
			}
		})
	}
}

// TestCircuitWatcher_manyWaitersOneRequestInFlight: waiters coming and
// going at random never put two reads in flight. (Counted at the client: a
// server may still be answering a read its client has given up.)
func TestCircuitWatcher_manyWaitersOneRequestInFlight(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.Sleep = nil }) // real, short waits
	ids := f.addCircuits(40, "Confirmed")
	w := f.client.NewCircuitWatcher()
	var mu sync.Mutex
	inFlight, peak := 0, 0
	read := w.read
	w.read = func(ctx context.Context, ids []string) (map[string]PhysicalConnection, error) {
		mu.Lock()
		inFlight++
		peak = max(peak, inFlight)
		mu.Unlock()
		defer func() {
			mu.Lock()
			inFlight--
			mu.Unlock()
		}()
		return read(ctx, ids)
	}
	var wg sync.WaitGroup
	for i := range 100 {
		wg.Go(func() {
			ctx, cancel := context.WithTimeout(context.Background(), time.Duration(20+i%20)*time.Millisecond)
			defer cancel()
			if _, err := w.AwaitStatus(ctx, ids[i%40], "Enabled", time.Millisecond); !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("waiter %d: %v", i, err)
			}
		})
	}
	wg.Wait()
	mu.Lock()
	p := peak
	mu.Unlock()
	if p != 1 {
		t.Fatalf("%d reads in flight at once, want 1", p)
	}
	for w.waiting() != 0 || func() bool { w.rounds.mu.Lock(); defer w.rounds.mu.Unlock(); return w.running }() {
		time.Sleep(time.Millisecond)
	}
}
