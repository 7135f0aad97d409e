package client

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"
)

// CircuitWatcher waits, for every create of a provider process, until
// circuits reach a status, and shares the reads between them:
//
//   - At any moment at most one lookup request is in flight for all the
//     waiting creates. Reads go in rounds; each round asks about every
//     waiting ID, filtered by MaxCircuitsPerFilter or as the region's
//     listing when that takes fewer requests (readCircuits).
//   - A round starts once some waiter's poll interval has passed since the
//     last round that asked for it; a new waiter's first round starts at
//     once when no round started within its poll interval, and otherwise
//     within firstRoundWait, so that the creates that end about the same
//     time share it. So no waiter waits longer than one poll interval
//     (plus the round in flight) for a round to start, and a new one
//     hardly at all. (Waiting out the poll interval instead held
//     Terraform's ten parallel creates in lock step, ten orders per poll:
//     about 3x the floor's time for 1000 orders in make bench.)
//   - No answer is kept from one round to the next: the status changes. A
//     failed round is retried by the next one, not returned, until the
//     waiter's ctx ends.
//
// A round runs under context.WithoutCancel of the waiter willing to wait
// longest, bounded by that waiter's deadline, and is cancelled when every
// waiter has gone.
type CircuitWatcher struct {
	c *Client

	mu      sync.Mutex
	waiters map[*watchWaiter]struct{}
	running bool
	last    time.Time          // when the last round started; zero: none yet
	wake    context.CancelFunc // ends the runner's sleep; nil when awake
	wakeAt  time.Time
	cancel  context.CancelFunc // ends the round in flight; nil when none
	total   int                // the region's circuit count from the last listing; -1 unknown
}

// watchWaiter is one AwaitStatus call.
type watchWaiter struct {
	ctx    context.Context
	id     string
	poll   time.Duration
	due    time.Time     // when it next needs a round
	update chan struct{} // signalled after each round that asked for it
	seen   *PhysicalConnection
	err    error // the last round's failure, nil after a success
}

// NewCircuitWatcher returns a watcher. Share one per provider process.
func (c *Client) NewCircuitWatcher() *CircuitWatcher {
	return &CircuitWatcher{c: c, waiters: map[*watchWaiter]struct{}{}, total: -1}
}

// DefaultCircuitPoll is AwaitStatus's poll interval when it is given none.
const DefaultCircuitPoll = 5 * time.Second

// firstRoundWait is how long a new waiter's first round may wait for others
// to join it, when a round ran within its poll interval.
const firstRoundWait = 200 * time.Millisecond

// AwaitStatus waits until the circuit id has the status want (compared
// without regard to case), asking at least every poll (DefaultCircuitPoll
// when poll <= 0), and returns it. When
// ctx ends first it returns the last circuit seen (nil if none) and ctx's
// error, which also wraps the last round's failure if that round failed.
func (w *CircuitWatcher) AwaitStatus(ctx context.Context, id, want string, poll time.Duration) (*PhysicalConnection, error) {
	if poll <= 0 {
		poll = DefaultCircuitPoll
	}
	me := &watchWaiter{ctx: ctx, id: id, poll: poll, update: make(chan struct{}, 1)}
	w.mu.Lock()
	now := w.c.cfg.Now()
	me.due = now
	if next := w.last.Add(poll); !w.last.IsZero() && next.After(now) {
		// A round ran a moment ago: gather the creates that end about now
		// into the next one, without waiting a whole poll.
		me.due = now.Add(firstRoundWait)
		if next.Before(me.due) {
			me.due = next
		}
	}
	w.waiters[me] = struct{}{}
	switch {
	case !w.running:
		w.running = true
		go w.run()
	case w.wake != nil && me.due.Before(w.wakeAt):
		w.wake() // the runner sleeps past this waiter's first round
	}
	w.mu.Unlock()

	for {
		select {
		case <-ctx.Done():
			w.mu.Lock()
			w.leave(me)
			seen, err := clone(me.seen), me.err
			w.mu.Unlock()
			if err != nil {
				return seen, fmt.Errorf("%w; the last look at circuit %s failed: %w", ctx.Err(), id, err)
			}
			return seen, ctx.Err()
		case <-me.update:
			w.mu.Lock()
			seen := clone(me.seen)
			done := me.err == nil && seen != nil && strings.EqualFold(seen.Status, want)
			if done {
				w.leave(me)
			}
			w.mu.Unlock()
			if done {
				return seen, nil
			}
		}
	}
}

// leave removes a waiter; when none is left, the round in flight and the
// runner's sleep end. The caller holds w.mu.
func (w *CircuitWatcher) leave(me *watchWaiter) {
	delete(w.waiters, me)
	if len(w.waiters) > 0 {
		return
	}
	if w.cancel != nil {
		w.cancel()
	}
	if w.wake != nil {
		w.wake()
	}
}

// run holds rounds while anyone waits.
func (w *CircuitWatcher) run() {
	for {
		w.mu.Lock()
		if len(w.waiters) == 0 {
			w.running, w.wake, w.cancel = false, nil, nil
			w.mu.Unlock()
			return
		}
		now := w.c.cfg.Now()
		var next time.Time
		var lead *watchWaiter
		for me := range w.waiters {
			if next.IsZero() || me.due.Before(next) {
				next = me.due
			}
			if lead == nil || better(me.ctx, lead.ctx) {
				lead = me
			}
		}
		if next.After(now) {
			sleep, wake := context.WithCancel(context.Background())
			w.wake, w.wakeAt = wake, next
			w.mu.Unlock()
			_ = w.c.cfg.Sleep(sleep, next.Sub(now)) // woken early by a new waiter
			wake()
			w.mu.Lock()
			w.wake = nil
			w.mu.Unlock()
			continue
		}
		round := make([]*watchWaiter, 0, len(w.waiters))
		var ids []string
		asked := map[string]bool{}
		for me := range w.waiters {
			round = append(round, me)
			if !asked[me.id] {
				asked[me.id] = true
				ids = append(ids, me.id)
			}
		}
		ctx, cancel := sharedContext(lead.ctx)
		w.last, w.cancel = now, cancel
		total := w.total
		w.mu.Unlock()

		r, err := w.c.readCircuits(ctx, ids, total, 0)
		cancel()

		w.mu.Lock()
		w.cancel = nil
		if r.regionTotal >= 0 {
			w.total = r.regionTotal
		}
		for _, me := range round {
			me.due = now.Add(me.poll)
			if pc, ok := r.shown[me.id]; ok {
				me.seen, me.err = &pc, nil
			} else {
				me.err = err // nil: not shown this round; the last sight stands
			}
			select {
			case me.update <- struct{}{}:
			default:
			}
		}
		w.mu.Unlock()
	}
}
