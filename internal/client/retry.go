package client

import (
	"context"
	"math/rand/v2"
	"time"
)

// RetryPolicy bounds the retry loop of one call. The loop ends when the
// call's context ends (the resource's create timeout, or Ctrl-C), when an
// answer is final, or after MaxAttempts.
type RetryPolicy struct {
	// InitialBackoff is the wait before the second attempt (default 200ms).
	InitialBackoff time.Duration
	// MaxBackoff caps any one wait (default 5s).
	MaxBackoff time.Duration
	// MaxThrottleBackoff caps a wait after throttling (default 1s): the
	// API throttles by rate, so a long wait only leaves the allowed rate
	// unused (see make bench's storm). A server's retry-after still wins.
	MaxThrottleBackoff time.Duration
	// MaxAttempts caps the attempts; 0 means only the context bounds them.
	MaxAttempts int
	// AttemptTimeout bounds one attempt, so that a hung connection is
	// retried with the same client token (default 60s).
	AttemptTimeout time.Duration
}

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
