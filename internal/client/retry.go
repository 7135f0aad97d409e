package client

import (
	"context"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/alibabacloud-go/tea/dara"
)

// RetryPolicy bounds the retry loop of one call. The loop ends when the
// call's context ends (the resource's create timeout, or Ctrl-C), when an
// answer is final, after MaxAttempts, or when the endpoint has not been
// reached for UnreachableAfter.
type RetryPolicy struct {
	// InitialBackoff is the wait before the second attempt (default 200ms).
	InitialBackoff time.Duration
	// MaxBackoff caps any one wait (default 5s).
	MaxBackoff time.Duration
	// MaxThrottleBackoff caps a wait after throttling or a busy answer
	// such as LastTokenProcessing (default 1s): the
	// API throttles by rate, so a long wait only leaves the allowed rate
	// unused (see make bench's storm). A server's retry-after still wins.
	MaxThrottleBackoff time.Duration
	// MaxAttempts caps the attempts; 0 means only the context bounds them.
	MaxAttempts int
	// AttemptTimeout bounds one attempt, so that a hung connection is
	// retried with the same client token (default 60s).
	AttemptTimeout time.Duration
	// UnreachableAfter ends a call whose every attempt so far failed
	// before a request was written (connection refused, no route): such a
	// call provably changed nothing, and an endpoint that stays unreachable
	// this long is a configuration problem, not a blip (default 2m).
	UnreachableAfter time.Duration
}

// DefaultUnreachableAfter is RetryPolicy.UnreachableAfter's default.
const DefaultUnreachableAfter = 2 * time.Minute

func (p RetryPolicy) withDefaults() RetryPolicy {
	if p.InitialBackoff <= 0 {
		p.InitialBackoff = 200 * time.Millisecond
	}
	if p.MaxBackoff <= 0 {
		p.MaxBackoff = 5 * time.Second
	}
	if p.MaxThrottleBackoff <= 0 {
		p.MaxThrottleBackoff = time.Second
	}
	if p.AttemptTimeout <= 0 {
		p.AttemptTimeout = 60 * time.Second
	}
	if p.UnreachableAfter <= 0 {
		p.UnreachableAfter = DefaultUnreachableAfter
	}
	return p
}

// delay returns the wait before attempt number next (2, 3, ...): exponential
// with "equal jitter" (half fixed, half random), never below a server's
// retry-after, never above MaxBackoff (MaxThrottleBackoff after throttling)
// unless the server asked for more.
func (p RetryPolicy) delay(next int, throttled bool, retryAfter time.Duration, jitter func() float64) time.Duration {
	limit := p.MaxBackoff
	if throttled {
		limit = min(limit, p.MaxThrottleBackoff)
	}
	d := p.InitialBackoff
	for i := 2; i < next && d < limit; i++ {
		d *= 2
	}
	d = min(d, limit)
	if jitter == nil {
		jitter = rand.Float64
	}
	d = d/2 + time.Duration(jitter()*float64(d/2))
	return max(d, retryAfter)
}

// Sleeper waits for d or until ctx ends, and reports ctx's error if it ended.
type Sleeper func(ctx context.Context, d time.Duration) error

func sleepContext(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// do is the retry loop around one signed RPC request: every transient
// failure is retried, and every attempt sends the same parameters, so the
// same ClientToken. What counts as transient is classify's business.
func (c *Client) do(ctx context.Context, call rpcCall) (*rpcResult, error) {
	query := make(map[string]*string, len(call.query))
	for k, v := range call.query {
		query[k] = dara.String(v)
	}
	params := c.params(call)

	var (
		maybePlaced bool
		reached     bool // some attempt wrote a request or got an answer
		last        verdict
		first       = c.cfg.Now()
		backoff     time.Duration // the wait before the next attempt
	)
	limiter := c.limiter(call.action)
	for n := 1; ; n++ {
		if err := ctx.Err(); err != nil {
			return nil, c.stopped(call, n-1, maybePlaced, last, err)
		}
		// One wait before the attempt: the backoff and the action's adaptive
		// rate (ratelimit.go), whichever is longer, within the call's context.
		permit, err := limiter.wait(ctx, c.cfg.Sleep, backoff)
		if err != nil {
			return nil, c.stopped(call, n-1, maybePlaced, last, err)
		}
		start := time.Now()
		wire := &wireInfo{}
		body, err := c.attempt(withWireInfo(ctx, wire), call.endpoint, params, query)
		a := Attempt{Action: call.action, Endpoint: call.endpoint, Number: n, HTTPStatus: wire.status, RequestID: wire.requestID}
		if err == nil {
			limiter.onSuccess(permit)
			a.Elapsed = time.Since(start)
			c.report(ctx, a)
			return &rpcResult{body: body, requestID: wire.requestID, attempts: n}, nil
		}
		v := classify(err, wire)
		switch {
		case v.throttled:
			limiter.onThrottle(permit)
		case v.status != 0:
			limiter.onSuccess(permit) // an answer that was not refused for its rate
		default:
			limiter.onNoAnswer(permit)
		}
		if v.apiErr != nil {
			v.apiErr.Action = call.action
			v.apiErr.Attempts = n
		}
		maybePlaced = maybePlaced || v.maybePlaced
		reached = reached || v.status != 0 || wire.wroteRequest()
		last = v
		a.HTTPStatus, a.Code, a.RequestID, a.Elapsed, a.Err = v.status, v.code, v.requestID, time.Since(start), v.desc
		if ctxErr := ctx.Err(); ctxErr != nil {
			c.report(ctx, a)
			return nil, c.stopped(call, n, maybePlaced, last, ctxErr)
		}
		var wait time.Duration
		if v.retry && (c.backoff.MaxAttempts == 0 || n < c.backoff.MaxAttempts) {
			wait = c.backoff.delay(n+1, v.throttled || v.busy, v.retryAfter, c.cfg.Jitter)
		}
		elapsed := c.cfg.Now().Sub(first)
		if wait > 0 && !reached && elapsed+wait > c.backoff.UnreachableAfter {
			c.report(ctx, a)
			return nil, &RequestError{Action: call.action, Kind: KindUnreachable, Endpoint: call.endpoint,
				Msg: "the endpoint " + call.endpoint + " was not reached in " + elapsed.Round(time.Second).String() +
					" (" + strconv.Itoa(n) + " attempt(s)); last failure: " + v.desc}
		}
		a.RetryIn = wait
		c.report(ctx, a)
		if wait == 0 {
			return nil, c.final(call, n, maybePlaced, last)
		}
		backoff = wait
	}
}

// final builds the error of a call whose last answer ends it.
func (c *Client) final(call rpcCall, attempts int, maybePlaced bool, last verdict) error {
	if maybePlaced && call.clientToken != "" {
		return &UnknownOutcomeError{Action: call.action, ClientToken: call.clientToken, Attempts: attempts, Last: last.desc}
	}
	if last.apiErr != nil {
		return last.apiErr
	}
	return &RequestError{Action: call.action, Kind: last.kind, Endpoint: call.endpoint, Msg: last.desc}
}

// stopped builds the error of a call whose context ended.
func (c *Client) stopped(call rpcCall, attempts int, maybePlaced bool, last verdict, cause error) error {
	if maybePlaced && call.clientToken != "" {
		desc := last.desc
		if desc == "" {
			desc = cause.Error()
		}
		return &UnknownOutcomeError{Action: call.action, ClientToken: call.clientToken, Attempts: attempts, Last: desc, Cause: cause}
	}
	msg := "stopped before any request reached the API: " + cause.Error()
	if attempts > 0 {
		msg = "stopped after " + strconv.Itoa(attempts) + " attempt(s), none of which changed anything: " + cause.Error() + "; last failure: " + last.desc
	}
	return &RequestError{Action: call.action, Kind: KindStopped, Endpoint: call.endpoint, Msg: msg, Cause: cause}
}
