package client

import (
	"context"
	"slices"
	"sync"
)

// CircuitLookup answers "which circuit is this?" at plan time for every
// resource of a provider process, at a cost that grows with the circuits
// asked about, not with the region:
//
//   - Concurrent callers are batched: at most one request is in flight per
//     lookup. The IDs that wait go out together, in filtered requests of up
//     to MaxCircuitsPerFilter, or as the region's listing when that takes
//     fewer requests (readCircuits).
//   - A circuit that a listing or a multi-ID answer does not show is asked
//     for once more by its ID alone before it is reported missing, so a
//     circuit created a moment ago is found.
//   - Answers are cached per ID: a found circuit (every circuit a listing
//     shows, asked for or not) and a confirmed miss. A failed request is
//     not cached: it fails the callers of its batch, who share its error,
//     and a later Lookup asks again.
//
// A batch runs under context.WithoutCancel of the one of its callers that
// is willing to wait longest, bounded by that caller's deadline, and is
// cancelled once every caller has gone; each caller's wait is bounded by
// its own ctx.
type CircuitLookup struct {
	c *Client

	mu      sync.Mutex
	cache   map[string]*PhysicalConnection // nil: confirmed missing
	calls   map[string]*lookupCall         // asked for, not answered yet
	queue   []*lookupCall                  // not yet taken by a batch
	batch   []*lookupCall                  // the batch in flight
	cancel  context.CancelFunc             // ends the batch in flight
	running bool
	total   int // the region's circuit count from the last listing; -1 unknown
	spent   int // filtered requests sent; see readCircuits
}

// lookupCall is the question about one ID, shared by its waiting callers.
type lookupCall struct {
	id      string
	done    chan struct{}
	pc      *PhysicalConnection
	err     error
	waiters int
	ctx     context.Context // the waiter's context with the latest deadline
}

// NewCircuitLookup returns an empty lookup. Share one per provider process.
func (c *Client) NewCircuitLookup() *CircuitLookup {
	return &CircuitLookup{c: c, cache: map[string]*PhysicalConnection{}, calls: map[string]*lookupCall{}, total: -1}
}

// Lookup returns the circuit id of the client's region, or nil when the
// region has no such circuit. An error is the API's (shared by the callers
// of one batch) or ctx's.
func (l *CircuitLookup) Lookup(ctx context.Context, id string) (*PhysicalConnection, error) {
	l.mu.Lock()
	if pc, ok := l.cache[id]; ok {
		l.mu.Unlock()
		return clone(pc), nil
	}
	call := l.calls[id]
	if call == nil {
		call = &lookupCall{id: id, done: make(chan struct{}), ctx: ctx}
		l.calls[id] = call
		l.queue = append(l.queue, call)
	} else if better(ctx, call.ctx) {
		call.ctx = ctx
	}
	call.waiters++
	if !l.running {
		l.running = true
		go l.run()
	}
	l.mu.Unlock()

	select {
	case <-call.done:
		return clone(call.pc), call.err
	case <-ctx.Done():
		l.leave(call)
		return nil, ctx.Err()
	}
}

// leave notes that a caller stopped waiting: a question nobody waits for
// is dropped before it is sent, and a batch nobody waits for is cancelled.
func (l *CircuitLookup) leave(call *lookupCall) {
	l.mu.Lock()
	defer l.mu.Unlock()
	call.waiters--
	if call.waiters > 0 {
		return
	}
	if i := slices.Index(l.queue, call); i >= 0 {
		l.queue = slices.Delete(l.queue, i, i+1)
		l.forget(call)
		return
	}
	if !slices.Contains(l.batch, call) {
		return // answered already
	}
	for _, b := range l.batch {
		if b.waiters > 0 {
			return
		}
	}
	// Nobody waits for the batch: end it, and let a later Lookup of its
	// IDs start afresh rather than join a cancelled request.
	l.cancel()
	for _, b := range l.batch {
		l.forget(b)
	}
}

// forget drops call from the questions being asked, unless a newer
// question about its ID has replaced it.
func (l *CircuitLookup) forget(call *lookupCall) {
	if l.calls[call.id] == call {
		delete(l.calls, call.id)
	}
}

// run answers batches until no question waits.
func (l *CircuitLookup) run() {
	for {
		l.mu.Lock()
		batch := l.queue
		l.queue = nil
		if len(batch) == 0 {
			l.running, l.batch, l.cancel = false, nil, nil
			l.mu.Unlock()
			return
		}
		lead := batch[0]
		for _, call := range batch[1:] {
			if better(call.ctx, lead.ctx) {
				lead = call
			}
		}
		ctx, cancel := sharedContext(lead.ctx)
		l.batch, l.cancel = batch, cancel
		total, spent := l.total, l.spent
		l.mu.Unlock()

		l.answer(ctx, batch, total, spent)
		cancel()
	}
}

// answer reads the batch's circuits, asks for each one they do not show
// by its ID alone, and resolves every call of the batch.
func (l *CircuitLookup) answer(ctx context.Context, batch []*lookupCall, total, spent int) {
	ids := make([]string, len(batch))
	for i, call := range batch {
		ids[i] = call.id
	}
	r, err := l.c.readCircuits(ctx, ids, total, spent)
	if err == nil {
		for _, id := range ids {
			if _, ok := r.shown[id]; ok || r.alone[id] {
				continue
			}
			var again circuitRead
			if again, err = l.c.readCircuits(ctx, []string{id}, -1, 0); err != nil {
				break
			}
			r.filters++
			for k, pc := range again.shown {
				r.shown[k] = pc
			}
			r.alone[id] = true
		}
	}

	l.mu.Lock()
	defer l.mu.Unlock()
	l.batch, l.cancel = nil, nil
	if r.regionTotal >= 0 {
		l.total = r.regionTotal
	}
	l.spent += r.filters
	for id, pc := range r.shown {
		l.cache[id] = &pc
	}
	for _, call := range batch {
		pc, found := r.shown[call.id]
		switch {
		case found:
			call.pc = &pc
		case r.alone[call.id]:
			l.cache[call.id] = nil
		default:
			call.err = err // not cached: a later Lookup asks again
		}
		l.forget(call)
		close(call.done)
	}
	// Questions queued meanwhile that this batch answered.
	kept := l.queue[:0]
	for _, call := range l.queue {
		if pc, ok := l.cache[call.id]; ok {
			call.pc = clone(pc)
			l.forget(call)
			close(call.done)
			continue
		}
		kept = append(kept, call)
	}
	l.queue = kept
}

func clone(pc *PhysicalConnection) *PhysicalConnection {
	if pc == nil {
		return nil
	}
	c := *pc
	return &c
}
