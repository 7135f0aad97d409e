package client

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"
)

// CircuitWatcher waits, for every create of a provider process, until
// circuits reach a status, and shares the reads between them in rounds
// (rounds.go): one lookup request in flight at a time, each round asking
// about every waiting ID, filtered by MaxCircuitsPerFilter or as the
// region's listing when that takes fewer requests (readCircuits).
type CircuitWatcher struct {
	*rounds[string, PhysicalConnection]

	mu    sync.Mutex
	total int // the region's circuit count from the last listing; -1 unknown
}

// NewCircuitWatcher returns a watcher. Share one per provider process.
func (c *Client) NewCircuitWatcher() *CircuitWatcher {
	w := &CircuitWatcher{total: -1}
	w.rounds = newRounds(c, circuitGather, func(ctx context.Context, ids []string) (map[string]PhysicalConnection, error) {
		w.mu.Lock()
		total := w.total
		w.mu.Unlock()
		r, err := c.readCircuits(ctx, ids, total, 0)
		if r.regionTotal >= 0 {
			w.mu.Lock()
			w.total = r.regionTotal
			w.mu.Unlock()
		}
		return r.shown, err
	}, nil)
	return w
}

// circuitGather is the circuit watcher's gather time (rounds.go). Its
// waiters come in clumps, every create that a payment round has just
// answered at once, so a short one catches them.
const circuitGather = 25 * time.Millisecond

// DefaultCircuitPoll is AwaitStatus's poll interval when it is given none.
const DefaultCircuitPoll = 5 * time.Second

// AwaitStatus waits until the circuit id has the status want (compared
// without regard to case), asking at least every poll (DefaultCircuitPoll
// when poll <= 0), and returns it. When ctx ends first it returns the last
// circuit seen (nil if none) and ctx's error, which also wraps the last
// round's failure if that round failed.
func (w *CircuitWatcher) AwaitStatus(ctx context.Context, id, want string, poll time.Duration) (*PhysicalConnection, error) {
	if poll <= 0 {
		poll = DefaultCircuitPoll
	}
	s, err := w.await(ctx, id, poll, func(pc PhysicalConnection) bool { return strings.EqualFold(pc.Status, want) })
	var seen *PhysicalConnection
	if s.shown {
		seen = &s.v
	}
	if err != nil && s.failed != nil {
		return seen, fmt.Errorf("%w; the last look at circuit %s failed: %w", err, id, s.failed)
	}
	return seen, err
}
