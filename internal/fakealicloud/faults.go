package fakealicloud

import (
	"context"
	"fmt"
	mathrand "math/rand"
	"net/http"
	"time"
)

// FaultKind says what an injected Fault does.
type FaultKind int

const (
	// Throttle answers HTTP 400 Throttling.User, with a Retry-After header
	// when Fault.RetryAfter is positive. Nothing is committed.
	Throttle FaultKind = iota + 1
	// Unavailable answers HTTP 503 ServiceUnavailable. Nothing is committed.
	Unavailable
	// Internal answers HTTP 500 InternalError. Nothing is committed.
	Internal
	// LoseResponse processes the request normally (committing the order if
	// it is valid), then closes the connection without answering.
	LoseResponse
	// Slow waits Fault.Delay, or until the client goes away or the server
	// closes, then processes the request normally.
	Slow
	// Reset closes the connection (with a TCP reset) before processing the
	// request. Nothing is committed.
	Reset
	// Answer answers the error Fault.Code (with the HTTP status and message
	// of TransientCodes for theirs, otherwise HTTP 400) instead of the
	// action. Nothing is committed.
	Answer
	// Processing, on ActionCreateOccupancyOrder only, processes the
	// request normally and commits a new order, but answers Fault.Code (a
	// LastTokenProcessing code) instead of it; later replays of its client
	// token answer the order. A request that replays or is refused is
	// answered as without the fault. See InjectTransient. On other actions
	// it does nothing.
	Processing
)

// String returns the name of the fault kind.
func (k FaultKind) String() string {
	switch k {
	case Throttle:
		return "Throttle"
	case Unavailable:
		return "Unavailable"
	case Internal:
		return "Internal"
	case LoseResponse:
		return "LoseResponse"
	case Slow:
		return "Slow"
	case Reset:
		return "Reset"
	case Answer:
		return "Answer"
	case Processing:
		return "Processing"
	}
	return fmt.Sprintf("FaultKind(%d)", int(k))
}

// Fault is one injected misbehaviour; see Server.InjectFor.
type Fault struct {
	// Kind is what happens.
	Kind FaultKind
	// RetryAfter, for Throttle, sets the Retry-After header (in whole
	// seconds, rounded up) when positive.
	RetryAfter time.Duration
	// Delay, for Slow, is how long the answer is held back.
	Delay time.Duration
	// Code, for Answer and Processing, is the error code answered.
	Code string
}

// Inject appends faults to the queue of ActionCreateOccupancyOrder; see
// InjectFor.
func (s *Server) Inject(f ...Fault) {
	s.InjectFor(ActionCreateOccupancyOrder, f...)
}

// InjectFor appends faults to the queue of an action the fake implements
// (ActionCreateOccupancyOrder, ActionDescribePhysicalConnections,
// ActionGetOrderDetail, ActionAssumeRole, ActionAssumeRoleWithOIDC). Each
// request for that action that passes authentication, Deny, the billing
// mode and the rate limit consumes the first fault of its action's queue, if
// any, before its version and parameters are checked. Requests for other
// actions consume none.
func (s *Server) InjectFor(action string, f ...Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults[action] = append(s.faults[action], f...)
}

// SetLossRate makes the server drop, with probability p, the answer to a
// request that has just committed a new order: the connection is closed
// without a response. Draws come from a math/rand source seeded with seed,
// so a sequence of requests is reproducible. p <= 0 turns loss off.
func (s *Server) SetLossRate(p float64, seed int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lossRate = p
	s.lossRNG = mathrand.New(mathrand.NewSource(seed))
}

// SetRateLimit limits CreatePhysicalConnectionOccupancyOrder requests with a
// token bucket of burst tokens refilled at perSecond tokens per second (by
// Config.Now). An authenticated request finding the bucket empty is
// answered HTTP 400 Throttling.User before it consumes a fault or is
// checked. Other actions are not limited. perSecond <= 0 turns the limit
// off; burst < 1 counts as 1.
func (s *Server) SetRateLimit(perSecond float64, burst int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rate = perSecond
	s.burst = float64(max(burst, 1))
	s.bucket = s.burst
	s.bucketTime = s.cfg.Now()
}

// allowRequest takes a token from the rate limiter. The caller holds s.mu.
func (s *Server) allowRequest(now time.Time) bool {
	if s.rate <= 0 {
		return true
	}
	if elapsed := now.Sub(s.bucketTime).Seconds(); elapsed > 0 {
		s.bucket = min(s.burst, s.bucket+elapsed*s.rate)
	}
	s.bucketTime = now
	if s.bucket < 1 {
		return false
	}
	s.bucket--
	return true
}

// wait blocks for d, or until ctx is done or the server closes.
func (s *Server) wait(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	case <-s.done:
	}
}

// takeFault removes the first fault queued for rec.Action and names it in
// rec; it returns nil when none is queued.
func (s *Server) takeFault(rec *Request) *Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	queue := s.faults[rec.Action]
	if len(queue) == 0 {
		return nil
	}
	f := queue[0]
	s.faults[rec.Action] = queue[1:]
	rec.Fault = f.Kind.String()
	return &f
}

// applyFault does what f (which may be nil) does before the action runs:
// either it answers instead of the action (stop), or it lets the action run
// (after a Slow wait) and says whether to drop the answer.
func (s *Server) applyFault(ctx context.Context, f *Fault) (stop *outcome, drop bool) {
	if f == nil {
		return nil, false
	}
	switch f.Kind {
	case Throttle:
		e := throttled()
		e.retryAfter = f.RetryAfter
		return &outcome{err: e}, false
	case Unavailable:
		return &outcome{err: errorf(http.StatusServiceUnavailable, "ServiceUnavailable", "The request has failed due to a temporary failure of the server.")}, false
	case Internal:
		return &outcome{err: errorf(http.StatusInternalServerError, "InternalError", "The request processing has failed due to some unknown error, exception or failure.")}, false
	case Reset:
		return &outcome{reset: true}, false
	case Answer:
		return &outcome{err: transientError(f.Code)}, false
	case Slow:
		s.wait(ctx, f.Delay)
	case LoseResponse:
		return nil, true
	}
	return nil, false
}
