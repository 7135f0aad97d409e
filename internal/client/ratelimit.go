package client

import (
	"context"
	"math"
	"sync"
	"sync/atomic"
	"time"
)

// The adaptive request rate of one Client, after the AWS SDKs' "adaptive"
// retry mode: ask once, not twice. Every refused request counts against the
// account's flow control, so when the API answers Throttling the Client
// lowers the rate at which all of its calls (every action and product) send,
// instead of letting each call back off on its own and come back together.
//
// The scheme is AWS's CUBIC, not AIMD. After a throttle the rate becomes
// rateBeta times the rate actually achieved (measured from the answers, so
// not times a guess), and then follows
//
//	rate(t) = rateScale·(t − K)³ + Wmax,  K = ∛(Wmax·(1 − rateBeta) / rateScale)
//
// where t is the time since that throttle and Wmax the rate it came at: the
// curve starts at rateBeta·Wmax, flattens as it nears Wmax (the API's flow
// control is a fixed per-account rate, so the rate that was last refused is
// the best guess of the limit) and only then probes beyond it, slowly at first.
// AIMD's additive increase would need one constant for 0.5/s and for
// 500/s alike: too slow to come back at high rates or too eager at low
// ones. The constants are AWS's, whose adaptive mode is tried at scale.
//
// Two things differ from AWS's implementation:
//   - A throttle lowers the rate once per epoch: an answer to a request
//     that was admitted before the last decrease says nothing about the
//     lowered rate and is ignored (TCP reduces once per window the same
//     way). Otherwise the ten answers of ten concurrent requests sent at
//     the old rate would cut it by 0.7^10, down to the floor.
//   - Before the first measurement window has closed, the measured rate is
//     the answers so far over the time since the first of them (at least
//     rateOnsetWindow), not zero: AWS starts such a client at its floor and
//     takes seconds to come back.
//
// Until the first throttle the limiter is off and wait is one atomic load.
// Once on, it is a token bucket of one token (so the requests are spaced at
// 1/rate and never bunched) refilled at the adaptive rate; a caller reserves
// its token before it waits, so concurrent callers are released one by one.
// After rateQuietOff without a throttle, once the curve is back above Wmax,
// it switches itself off again.
const (
	// rateBeta is the multiplicative decrease on a throttle.
	rateBeta = 0.7
	// rateScale is the cubic's scale constant C, in requests/s per s³.
	rateScale = 0.4
	// rateMin is the floor of the rate, in requests per second: the
	// limiter slows calls down but never stalls them.
	rateMin = 0.5
	// rateWindow is the length of one bucket of the measured rate.
	rateWindow = 500 * time.Millisecond
	// rateSmooth is the weight of the newest bucket in the measured rate.
	rateSmooth = 0.8
	// rateOnsetWindow is the shortest time the measured rate is taken over
	// before the first bucket has closed.
	rateOnsetWindow = 100 * time.Millisecond
	// rateQuietOff is how long without a throttle switches the limiter off.
	rateQuietOff = 30 * time.Second
	// rateOffBatch is how many answers are counted, while off, before they
	// are added to the measured rate under the lock, with one clock read:
	// on some machines the clock costs more than the rest of the fast path.
	rateOffBatch = 8
)

// permit is what wait hands out with a request's token: the epoch in which
// the token was taken, so that a throttle of a request sent at an older rate
// does not lower the rate a second time.
type permit struct{ epoch uint64 }

// rateLimiter is the adaptive send rate one Client shares between all of
// its calls. The zero value is not usable; see newRateLimiter.
type rateLimiter struct {
	now func() time.Time

	// enabled and epoch are read without the lock on the fast path; both
	// change only under mu. While off, answers are counted in pending and
	// measured in batches; started tells whether the first one was.
	enabled atomic.Bool
	epoch   atomic.Uint64
	pending atomic.Int64
	started atomic.Bool

	mu sync.Mutex
	// The bucket holds one token; next is when it is full again, which is
	// the release time of the next caller.
	next time.Time
	fill float64 // tokens per second while enabled

	// The cubic: the rate of the last throttle, its time, and K.
	lastMax      float64
	lastThrottle time.Time
	k            float64

	// The measured rate of answers: an exponentially smoothed rate of
	// rateWindow buckets, and the bucket being counted.
	measured    float64
	measuredSet bool
	count       float64
	bucketStart time.Time
}

// newRateLimiter returns a limiter that is off until the first throttle.
// clock nil means time.Now.
func newRateLimiter(clock func() time.Time) *rateLimiter {
	if clock == nil {
		clock = time.Now
	}
	return &rateLimiter{now: clock}
}

// wait takes a token, waiting through sleep until it is due or ctx ends, in
// which case it returns what sleep returned (ctx's error) and gives the token
// back if no later caller has queued behind it. It is called before every
// attempt; the permit goes to onThrottle with the attempt's answer.
func (l *rateLimiter) wait(ctx context.Context, sleep Sleeper) (permit, error) {
	if !l.enabled.Load() {
		return permit{epoch: l.epoch.Load()}, nil
	}
	if err := ctx.Err(); err != nil {
		return permit{}, err
	}
	l.mu.Lock()
	p := permit{epoch: l.epoch.Load()}
	if !l.enabled.Load() { // switched off since the load above
		l.mu.Unlock()
		return p, nil
	}
	now := l.now()
	release := l.next
	if release.Before(now) {
		release = now
	}
	l.next = release.Add(interval(l.fill))
	reserved := l.next
	l.mu.Unlock()

	d := release.Sub(now)
	if d <= 0 {
		return p, nil
	}
	if err := sleep(ctx, d); err != nil {
		l.mu.Lock()
		if l.next.Equal(reserved) {
			l.next = release
		}
		l.mu.Unlock()
		return p, err
	}
	return p, nil
}

// onThrottle is told about a throttled answer to a request sent under p. If
// the request was sent at the current rate, the rate drops to rateBeta times
// the rate achieved (the lower of the measured rate and the current rate),
// and a new epoch begins. The first throttle switches the limiter on.
func (l *rateLimiter) onThrottle(p permit) {
	l.pending.Add(1)
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	l.measure(now)
	if p.epoch != l.epoch.Load() {
		return // sent before the last decrease: already accounted for
	}
	achieved := l.measuredRate(now)
	if l.enabled.Load() {
		achieved = min(achieved, l.fill)
	}
	l.lastMax = achieved
	l.lastThrottle = now
	l.k = math.Cbrt(achieved * (1 - rateBeta) / rateScale)
	l.setFill(rateBeta * achieved)
	l.epoch.Add(1)
	if !l.enabled.Load() {
		l.next = now
		l.enabled.Store(true)
	}
}

// onSuccess is told about any answer from the API that is not a throttle
// (an error answer included: it was not refused for its rate). It measures
// the rate and, while the limiter is on, moves the rate along the cubic,
// never above twice the measured rate, so that an idle client does not
// grant itself a rate it never tried.
func (l *rateLimiter) onSuccess() {
	if l.pending.Add(1) < rateOffBatch && !l.enabled.Load() && l.started.Load() {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	l.measure(now)
	if !l.enabled.Load() {
		return
	}
	dt := now.Sub(l.lastThrottle).Seconds()
	rate := rateScale*math.Pow(dt-l.k, 3) + l.lastMax
	if dt >= rateQuietOff.Seconds() && rate >= l.lastMax {
		l.enabled.Store(false)
		l.epoch.Add(1)
		return
	}
	l.setFill(min(rate, 2*l.measuredRate(now)))
}

func (l *rateLimiter) setFill(rate float64) {
	l.fill = max(rate, rateMin)
}

// measure counts the pending answers at now, closing the bucket once it is
// rateWindow long. The caller holds mu.
func (l *rateLimiter) measure(now time.Time) {
	if l.bucketStart.IsZero() {
		l.bucketStart = now
		l.started.Store(true)
	}
	l.count += float64(l.pending.Swap(0))
	el := now.Sub(l.bucketStart)
	if el < rateWindow {
		return
	}
	r := l.count / el.Seconds()
	if l.measuredSet {
		r = rateSmooth*r + (1-rateSmooth)*l.measured
	}
	l.measured, l.measuredSet = r, true
	l.count = 0
	l.bucketStart = now
}

// measuredRate is the smoothed rate of answers, or before the first bucket
// has closed, the answers so far over the time they took. The caller holds mu.
func (l *rateLimiter) measuredRate(now time.Time) float64 {
	if l.measuredSet {
		return l.measured
	}
	el := max(now.Sub(l.bucketStart), rateOnsetWindow)
	return l.count / el.Seconds()
}

// interval is the time one token takes to come back at rate per second.
func interval(rate float64) time.Duration {
	return time.Duration(float64(time.Second) / rate)
}
