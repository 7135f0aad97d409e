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
// lowers the rate at which all of its calls of that action send, instead of
// letting each call back off on its own and come back together. There is one
// rate per action (Client.limiter), because Alibaba Cloud's flow control
// counts each action on its own: with one rate for all, the payment check's
// reads would take the creates' turns in a storm.
//
// The scheme is AWS's CUBIC, not AIMD. After a throttle the rate becomes
// rateBeta times the rate actually achieved (measured from the requests
// sent, so not times a guess), and then follows
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
// Three things differ from AWS's implementation:
//   - A throttle lowers the rate only if rateBeta times the rate the
//     request was sent at is below the current rate: the answers to
//     requests sent at an older, higher rate say nothing about the lowered
//     one (TCP reduces once per window the same way). Otherwise the ten
//     throttles of ten concurrent requests would cut the rate by 0.7^10,
//     down to the floor, where AWS's clients land after a burst.
//   - The measured rate counts requests as they are sent, not answers as
//     they come back (the same count a round trip later), and before the
//     first bucket has closed it is the requests so far over at least
//     rateOnsetWindow: at the first throttle only a few answers are back,
//     and AWS, whose measured rate is zero then, starts at its floor.
//   - A caller takes its place in the queue before it waits (AWS's callers
//     poll), so that concurrent callers are released one by one at 1/rate
//     and none twice. A caller far back in the queue sleeps rateStep at a
//     time and looks again at the current rate, so that a queue formed at
//     one rate follows the rate as it changes.
//
// The retry loop's backoff and the limiter wait in one: a retry whose
// backoff (a server's Retry-After included) is longer than the queue sleeps
// it first and then lines up, so that retries coming back from their backoff
// do not bunch; otherwise it lines up at once.
//
// Until the first throttle the limiter is off: wait is a few atomic
// operations and a clock read every rateOffBatch requests, onSuccess one
// atomic load, and neither allocates.
// Once on, it is a token bucket of one token (so the requests are spaced at
// 1/rate and never bunched) refilled at the adaptive rate. After
// rateQuietOff without a throttle, once the curve is back above Wmax, it
// switches itself off again.
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
	// rateQueueAhead is how many tokens ahead of it a caller waits for in
	// one sleep; further back, it sleeps rateStep at a time and looks
	// again at the current rate.
	rateQueueAhead = 4
	// rateStep is the longest sleep of a caller further back.
	rateStep = 100 * time.Millisecond
	// rateOffBatch is how many requests are counted, while off, before they
	// are added to the measured rate under the lock, with one clock read:
	// on some machines the clock costs more than the rest of the fast path.
	rateOffBatch = 8
)

// permit is what wait hands out with a request's token: the limiter's
// generation (it changes when the limiter switches on or off) and the rate
// that set the request's time, 0 while off.
type permit struct {
	gen  uint64
	rate float64
}

// rateLimiter is the adaptive send rate one Client shares between all of
// its calls. The zero value is not usable; see newRateLimiter.
type rateLimiter struct {
	now func() time.Time

	// enabled and gen are read without the lock on the fast path; both
	// change only under mu. While off, sends are counted in pending and
	// measured in batches; started tells whether the first one was.
	enabled atomic.Bool
	gen     atomic.Uint64
	pending atomic.Int64
	started atomic.Bool

	mu sync.Mutex
	// The bucket, as counts of tokens: issued have been handed out (the
	// last caller holds number issued), served have come due by servedAt.
	// A caller's token is due once served reaches its number; served runs
	// at most one token ahead of issued, the bucket's size.
	issued   float64
	served   float64
	servedAt time.Time
	fill     float64 // tokens per second while enabled

	// The cubic: the rate of the last throttle, its time, and K.
	lastMax      float64
	lastThrottle time.Time
	k            float64

	// The measured rate of sends: an exponentially smoothed rate of
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

// wait waits, through sleep, until both atLeast has passed (the retry
// loop's backoff, a server's Retry-After included, which the limiter need
// not know more of) and a token is due, and takes the token. If ctx ends
// first, wait returns what sleep returned (ctx's error) and gives the token
// back. It is called before every attempt; the permit goes to onThrottle
// with the attempt's answer.
func (l *rateLimiter) wait(ctx context.Context, sleep Sleeper, atLeast time.Duration) (permit, error) {
	if atLeast > 0 && (!l.enabled.Load() || l.peek() < atLeast) {
		// The backoff is the longer wait: sleep it, then line up.
		if err := sleep(ctx, atLeast); err != nil {
			return permit{}, err
		}
		atLeast = 0
	}
	// gen before enabled: switching on or off stores enabled first and
	// then moves gen, so a permit of the fast path is never taken for one
	// of the limiter's own.
	if gen := l.gen.Load(); !l.enabled.Load() {
		if l.pending.Add(1) >= rateOffBatch || !l.started.Load() {
			l.mu.Lock()
			l.measure(l.now())
			l.mu.Unlock()
		}
		return permit{gen: gen}, nil
	}
	if err := ctx.Err(); err != nil {
		return permit{}, err
	}

	l.mu.Lock()
	if !l.enabled.Load() { // switched off since the load above
		l.mu.Unlock()
		return l.wait(ctx, sleep, atLeast)
	}
	start := l.now()
	l.refill(start)
	l.issued++
	ticket := l.issued
	due, ahead := l.due(ticket)
	p := permit{gen: l.gen.Load(), rate: l.fill}
	l.mu.Unlock()

	var slept time.Duration
	for {
		// Sleep until the token is due and atLeast has passed; a caller
		// far back in the queue sleeps rateStep at a time.
		d, last := max(due, atLeast-slept), true
		if d > rateStep && ahead > rateQueueAhead && due > atLeast-slept {
			d, last = rateStep, false
		}
		if d <= 0 {
			break
		}
		if err := sleep(ctx, d); err != nil {
			l.giveBack(ticket)
			return permit{}, err
		}
		slept += d
		if last {
			break
		}
		l.mu.Lock()
		if !l.enabled.Load() { // switched off meanwhile
			l.mu.Unlock()
			break
		}
		now := l.now()
		l.refill(now)
		due, ahead = l.due(ticket)
		// A sleeper may return before the clock has moved as far (a test's
		// does); the time slept counts either way.
		if lag := start.Add(slept).Sub(now); lag > 0 {
			due -= lag
			ahead -= lag.Seconds() * l.fill
		}
		p.rate = l.fill
		l.mu.Unlock()
	}
	l.pending.Add(1) // measured as sent, at the next answer
	return p, nil
}

// peek is how long until the token the next caller would take comes due.
func (l *rateLimiter) peek() time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.refill(l.now())
	d, _ := l.due(l.issued + 1)
	return d
}

// giveBack returns the token of a caller that stopped waiting: everyone
// queued behind it moves up one place.
func (l *rateLimiter) giveBack(ticket float64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.refill(l.now())
	if ticket > l.served {
		l.served++
	}
}

// refill lets the tokens that came due by now at the current rate be
// served. The caller holds mu.
func (l *rateLimiter) refill(now time.Time) {
	if el := now.Sub(l.servedAt); el > 0 {
		l.served = min(l.served+el.Seconds()*l.fill, l.issued+1)
		l.servedAt = now
	}
}

// due is how long, at the current rate, until token number ticket comes
// due (zero or less when it has), and how many tokens are ahead of it. The
// caller holds mu.
func (l *rateLimiter) due(ticket float64) (time.Duration, float64) {
	ahead := ticket - l.served
	return time.Duration(ahead / l.fill * float64(time.Second)), ahead
}

// onThrottle is told about a throttled answer to a request sent under p.
// The first throttle switches the limiter on at rateBeta times the measured
// rate. After that, a throttle lowers the rate to rateBeta times the rate
// the request was sent at (or the measured rate, if lower) unless the rate
// is already lower: then the throttle was accounted for.
func (l *rateLimiter) onThrottle(p permit) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	l.measure(now)
	if p.gen != l.gen.Load() {
		return // sent while the limiter was off (or on) before
	}
	achieved := l.measuredRate(now)
	if l.enabled.Load() {
		achieved = min(achieved, p.rate)
		if p.rate == 0 || rateBeta*achieved >= l.fill {
			return
		}
	} else {
		l.served, l.servedAt = l.issued+1, now // a full bucket
		l.enabled.Store(true)
		l.gen.Add(1)
	}
	l.lastMax = achieved
	l.lastThrottle = now
	l.k = math.Cbrt(achieved * (1 - rateBeta) / rateScale)
	l.setFill(now, rateBeta*achieved)
}

// onSuccess is told about any answer from the API that is not a throttle
// (an error answer included: it was not refused for its rate). While the
// limiter is on, it moves the rate along the cubic, never above twice the
// measured rate, so that a client does not grant itself a rate it never
// tried.
func (l *rateLimiter) onSuccess() {
	if !l.enabled.Load() {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.enabled.Load() {
		return
	}
	now := l.now()
	l.measure(now)
	dt := now.Sub(l.lastThrottle).Seconds()
	x := dt - l.k
	rate := rateScale*x*x*x + l.lastMax
	if dt >= rateQuietOff.Seconds() && rate >= l.lastMax {
		l.enabled.Store(false)
		l.gen.Add(1)
		return
	}
	l.setFill(now, min(rate, 2*l.measuredRate(now)))
}

// setFill sets the rate from now on, not below the floor. The caller
// holds mu.
func (l *rateLimiter) setFill(now time.Time, rate float64) {
	l.refill(now)
	l.fill = max(rate, rateMin)
}

// measure counts the pending sends at now, closing the bucket once it is
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

// measuredRate is the smoothed rate of sends, or the rate of the bucket
// being counted if that is higher (a burst after a quiet spell). Before the
// first bucket has closed, it is the sends so far over the time since the
// first, at least rateOnsetWindow. The caller holds mu.
func (l *rateLimiter) measuredRate(now time.Time) float64 {
	el := now.Sub(l.bucketStart)
	if !l.measuredSet {
		return l.count / max(el, rateOnsetWindow).Seconds()
	}
	return max(l.measured, l.count/max(el, rateWindow).Seconds())
}
