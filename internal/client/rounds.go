package client

import (
	"context"
	"errors"
	"sync"
	"time"
)

// rounds shares reads between the concurrent waiters of a provider process
// (CircuitWatcher's circuits, PaymentWatcher's orders):
//
//   - At any moment at most one read is in flight for all the waiters.
//     Reads go in rounds; each round asks read about every waiting key at
//     once, and read batches them as its API allows.
//   - A round starts once some waiter's poll interval has passed since the
//     last round that asked for it; a new waiter's first round starts at
//     once when no round started within its poll interval, and otherwise
//     within the watcher's gather time, so that the creates that end about
//     the same time share it. So no waiter waits longer than one poll interval
//     (plus the round in flight) for a round to start, and a new one
//     hardly at all. (Waiting out the poll interval instead held
//     Terraform's ten parallel creates in lock step, ten orders per poll:
//     about 3x the floor's time for 1000 orders in make bench.)
//   - No answer is kept from one round to the next: the value changes. A
//     failed round is retried by the next one until the waiter's ctx ends,
//     unless fatal says the failure is for good: then its waiters return it.
//
// A round runs under context.WithoutCancel of the waiter willing to wait
// longest, bounded by that waiter's deadline, and is cancelled when every
// waiter has gone; the last one to go takes the outcome of the round it
// cancelled, which may hold an answer.
type rounds[K comparable, V any] struct {
	now   func() time.Time
	sleep Sleeper
	// read asks about keys and returns the values it found; a key it did
	// not find keeps its last value. Its error goes to the keys it did not
	// find.
	read func(ctx context.Context, keys []K) (map[K]V, error)
	// fatal reports whether a round's failure ends its waiters' wait; nil:
	// none does.
	fatal func(error) bool
	// gather is how long a new waiter's first round may wait for others to
	// join it, when a round ran within its poll interval. Each waiting
	// create holds one of Terraform's ten parallel operations, so it is
	// kept short: two waits of 200 ms after each create would cap an apply
	// at 25 orders a second, below the 30 that the bench's floor reaches on
	// two cores.
	gather time.Duration

	mu      sync.Mutex
	waiters map[*waiter[K, V]]struct{}
	running bool
	last    time.Time          // when the last round started; zero: none yet
	wake    context.CancelFunc // ends the runner's sleep; nil when awake
	wakeAt  time.Time
	cancel  context.CancelFunc // ends the round in flight; nil when none
	ended   chan struct{}      // closed when the round in flight has ended
}

// waiter is one await call.
type waiter[K comparable, V any] struct {
	ctx     context.Context
	key     K
	poll    time.Duration
	due     time.Time     // when it next needs a round
	update  chan struct{} // signalled after each round that asked for it
	seen    sight[V]
	pending bool // a round that asks for it is in flight
}

// sight is what a waiter has seen.
type sight[V any] struct {
	v        V
	shown    bool  // v holds a value
	answered bool  // some round that asked for it did not fail
	failed   error // the last round's failure, nil after a success
}

// errUnanswered is the failure of a wait that ended while the read that
// asked for it was in flight.
var errUnanswered = errors.New("the request in flight had not been answered")

func newRounds[K comparable, V any](c *Client, gather time.Duration, read func(context.Context, []K) (map[K]V, error), fatal func(error) bool) *rounds[K, V] {
	return &rounds[K, V]{now: c.cfg.Now, sleep: c.cfg.Sleep, read: read, fatal: fatal, gather: gather, waiters: map[*waiter[K, V]]struct{}{}}
}

// await waits until done holds for the value read for key, asking at least
// every poll (> 0). It returns what it saw, and nil when done held, the
// round's failure when fatal said it is for good, and otherwise ctx's error;
// then the sight's failed is the last round's failure (nil after a success;
// errUnanswered while a round for it was in flight).
func (r *rounds[K, V]) await(ctx context.Context, key K, poll time.Duration, done func(V) bool) (sight[V], error) {
	me := &waiter[K, V]{ctx: ctx, key: key, poll: poll, update: make(chan struct{}, 1)}
	r.mu.Lock()
	now := r.now()
	me.due = now
	if next := r.last.Add(poll); !r.last.IsZero() && next.After(now) {
		// A round ran a moment ago: gather the waiters that come about now
		// into the next one, without waiting a whole poll.
		me.due = now.Add(r.gather)
		if next.Before(me.due) {
			me.due = next
		}
	}
	r.waiters[me] = struct{}{}
	switch {
	case !r.running:
		r.running = true
		go r.run()
	case r.wake != nil && me.due.Before(r.wakeAt):
		r.wake() // the runner sleeps past this waiter's first round
	}
	r.mu.Unlock()

	for {
		select {
		case <-ctx.Done():
			r.mu.Lock()
			r.leave(me)
			if me.pending && len(r.waiters) == 0 {
				// The last waiter's leaving ends its round at once: take its
				// outcome, which may be an answer.
				ended := r.ended
				r.mu.Unlock()
				<-ended
				r.mu.Lock()
			}
			seen := me.seen
			if me.pending && seen.failed == nil {
				seen.failed = errUnanswered
			}
			r.mu.Unlock()
			return seen, ctx.Err()
		case <-me.update:
			r.mu.Lock()
			seen := me.seen
			fatal := seen.failed != nil && r.fatal != nil && r.fatal(seen.failed)
			end := seen.failed == nil && seen.shown && done(seen.v) || fatal
			if end {
				r.leave(me)
			}
			r.mu.Unlock()
			switch {
			case fatal:
				return seen, seen.failed
			case end:
				return seen, nil
			}
		}
	}
}

// leave removes a waiter; when none is left, the round in flight and the
// runner's sleep end. The caller holds r.mu.
func (r *rounds[K, V]) leave(me *waiter[K, V]) {
	delete(r.waiters, me)
	if len(r.waiters) > 0 {
		return
	}
	if r.cancel != nil {
		r.cancel()
	}
	if r.wake != nil {
		r.wake()
	}
}

// run holds rounds while anyone waits.
func (r *rounds[K, V]) run() {
	for {
		r.mu.Lock()
		if len(r.waiters) == 0 {
			r.running, r.wake, r.cancel = false, nil, nil
			r.mu.Unlock()
			return
		}
		now := r.now()
		var next time.Time
		var lead *waiter[K, V]
		for me := range r.waiters {
			if next.IsZero() || me.due.Before(next) {
				next = me.due
			}
			if lead == nil || better(me.ctx, lead.ctx) {
				lead = me
			}
		}
		if next.After(now) {
			sleep, wake := context.WithCancel(context.Background())
			r.wake, r.wakeAt = wake, next
			r.mu.Unlock()
			_ = r.sleep(sleep, next.Sub(now)) // woken early by a new waiter
			wake()
			r.mu.Lock()
			r.wake = nil
			r.mu.Unlock()
			continue
		}
		round := make([]*waiter[K, V], 0, len(r.waiters))
		var keys []K
		asked := map[K]bool{}
		for me := range r.waiters {
			round = append(round, me)
			me.pending = true
			if !asked[me.key] {
				asked[me.key] = true
				keys = append(keys, me.key)
			}
		}
		ctx, cancel := sharedContext(lead.ctx)
		ended := make(chan struct{})
		r.last, r.cancel, r.ended = now, cancel, ended
		r.mu.Unlock()

		found, err := r.read(ctx, keys)
		cancel()

		r.mu.Lock()
		r.cancel = nil
		for _, me := range round {
			me.due, me.pending = now.Add(me.poll), false
			if v, ok := found[me.key]; ok {
				me.seen = sight[V]{v: v, shown: true, answered: true}
			} else {
				// Not found this round: the last value stands.
				me.seen.failed = err
				me.seen.answered = me.seen.answered || err == nil
			}
			select {
			case me.update <- struct{}{}:
			default:
			}
		}
		close(ended)
		r.mu.Unlock()
	}
}
