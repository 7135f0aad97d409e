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
	if p.AttemptTimeout <= 0 {
		p.AttemptTimeout = 60 * time.Second
	}
	return p
}

// delay returns the wait before attempt number next (2, 3, ...): exponential
// with "equal jitter" (half fixed, half random), never below a server's
// retry-after, never above MaxBackoff unless the server asked for more.
func (p RetryPolicy) delay(next int, retryAfter time.Duration, jitter func() float64) time.Duration {
	d := p.InitialBackoff
	for i := 2; i < next && d < p.MaxBackoff; i++ {
		d *= 2
	}
	d = min(d, p.MaxBackoff)
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
