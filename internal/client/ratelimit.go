package client

import (
	"context"
	"math"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"
)

// The adaptive request rate of one action of one Client (Client.limiter:
// Alibaba Cloud's flow control counts each action on its own), after the
// AWS SDKs' "adaptive" retry mode: when the API answers Throttling, all
// calls of that action slow down together instead of each backing off on
// its own and coming back at once.
//
// golang.org/x/time/rate does the waiting: while on, the action has a
// rate.Limiter of burst 1, so requests are spaced at 1/rate and never
// bunched, concurrent callers are given successive reservations, and a
// caller whose context ends gives its reservation back (CancelAt). The
// limiter is read and set only at the injected clock's times.
//
// This file's own part is the controller that sets the limiter's rate:
// AWS's CUBIC, with AWS's rateBeta. A throttle sets the rate to rateBeta
// times the rate actually sent (measured, not guessed); after it the rate
// climbs back to a plateau Wmax along
//
//	rate(t) = rateScale·(t − K)³ + Wmax,  K = ∛((Wmax − start) / rateScale)
//
// (t the time since the throttle, start the rate it cut to: β times the
// rate it came at, β being rateBeta, or rateBeta^n in a streak, below),
// which flattens near the plateau before probing beyond it, and beyond Wmax
// never above twice the measured rate. It differs from AWS's in eight ways:
//   - The plateau is not the rate refused but the share of it the API
//     accepted: the rate refused (the rate the request was sent at, or
//     twice the measured rate if that is lower) times the fraction of this
//     action's answers that were not throttles, over the last
//     rateShareWindow since the limiter switched on (the throttle
//     included). Alone under a limit, nearly all answers are accepted and
//     the plateau is the rate refused, as in AWS's; when several processes
//     share the limit, each has a fraction of its requests refused, and a
//     plateau at the rate refused is above its share: the processes climb
//     back over the limit together within K and are refused again (make
//     bench's fleet, 4 processes: 0.15-0.18 throttled requests per order
//     with the plateau at the rate refused, 0.12-0.14 with the share in
//     A/B rounds, 0.14-0.17 in four full runs). The
//     rate sent at, not the measured rate, because the measured rate lags
//     the short climb before a throttle: a plateau a share of it sat below
//     the limit (the storm: 1.08-1.21× its floor, 1.06-1.07× with the rate
//     sent at, four runs each).
//   - Beyond the plateau the curve holds Wmax for rateHold, then doubles
//     every rateDouble instead of following the cubic: a process whose
//     competitors have finished climbs from its share to the whole limit
//     in about a second, not in several (the fleet's last process, alone
//     at a quarter of the limit, sets its create phase: above 1.10× the
//     floor in 4 of 10 runs with the cubic beyond the plateau, 2 of 10 with
//     the doubling); under contention it is refused soon after the hold
//     either way.
//   - While off, a process starts as TCP's slow start does: at most
//     rateStartWindow requests await an answer, and each answer that is not
//     a throttle lets one more go (the window doubles every round trip),
//     until the window is wider than rateOpenWindow, or the first throttle
//     hands over to the rate; either opens it for good. A process that
//     starts after others have used up the API's limit then has two
//     requests refused, not all of Terraform's parallel creates (make
//     bench's fleet). A caller that has waited rateStartMaxWait for a
//     place goes anyway, so that requests that hang (a lost answer) do not
//     hold the others back until their attempts time out. AWS sends at
//     once whatever is asked of it.
//   - A throttle during start-up cuts to rateBeta times the rate of the
//     answers accepted so far (over at least rateWindow), not of the
//     requests sent, with Wmax at rateBeta times the rate sent: a process
//     that starts while others use up the limit has most of its first
//     requests refused (none accepted: it starts at the floor); cut from
//     the rate it sent at (tens per second, measured over milliseconds),
//     it would need several more refused requests to come down to its
//     share (make bench's fleet). The bucket starts empty: the next request
//     waits one interval. The curve climbs back to its plateau within
//     rateStartRise rather than in K: a process alone at a small burst
//     cut this way, at its first requests, to a few per second, took two
//     seconds to climb back at rateScale (make bench's storm: 33 creates
//     in its first 2 s, where the limit allowed 52; 1.12-1.13× its floor,
//     and 1.06-1.08× with the rise), while a process that joins a limit
//     the others use up is throttled again on the way up and from then on
//     climbs at rateScale (the fleet, at the time with the plateau at the
//     rate refused: 0.13-0.17 throttled requests per order with the rise,
//     0.15-0.18 without, four runs each). Its curve
//     flattens at rateBeta times the rate sent in the onset window, below
//     the limit for the storm's process (about 21/s under 25/s).
//   - A throttle lowers the rate only if rateBeta times the rate its request
//     was sent at is below the current rate, so that the throttles of ten
//     requests sent together cut it once, not by 0.7^10. The n-th decrease
//     in a row with no other answer between cuts by rateBeta^n: when several
//     processes share the API's limit, the requests sent at a lowered rate
//     keep being refused until all of them have slowed down.
//   - rateScale is 0.8, not AWS's 0.4: the climb back to the plateau takes
//     K = 1.3 s from a cut at 6 requests/s, against 1.65 s, and the
//     probing beyond it is the doubling above. With the plateau at the rate
//     refused it was 2, so that a finished process's share was not left
//     unused; with the doubling, the shorter cycle of 2 only meant more
//     throttles (the fleet, with the plateau at the share: 0.16 throttled
//     requests per order at 2, 0.12 at 0.8, medians of five and nine runs).
//   - The measured rate counts requests as sent, and before its first
//     rateWindow closes it is the requests so far over at least
//     rateOnsetWindow (AWS's is zero then, and starts at its floor).
//   - The rate follows the curve between answers as well: a reservation
//     keeps the time it was given, so a caller sleeps rateStep at a time,
//     moves the rate along the curve (never down) and rescales the rest of
//     its wait to the current rate, as SetLimitAt rescales the limiter's
//     debt. A queue formed at one rate follows the rate, both ways: a
//     process at the floor does not wait 1/rateMin for the answer that
//     would raise it, and after a cut the callers lined up at the old rate
//     are spaced at the new one within rateStep, instead of going out at
//     the old spacing and being refused (the fleet: 0.21 throttled requests
//     per order with a step of 100 ms, 0.18 with 20 ms, medians of five
//     runs each).
//
// A retry's backoff (a server's Retry-After included) and the rate are one
// wait, the longer of the two. Until the first throttle the limiter is off
// (no rate.Limiter at all: once the start-up window is open, wait is a few
// atomic operations, and neither it nor onSuccess allocates); after
// rateQuietOff without a throttle, once the curve is back above Wmax, it
// switches off again, with its window open.

const (
	// rateBeta is the multiplicative decrease on a throttle.
	rateBeta = 0.7
	// rateScale is the cubic's scale constant C, in requests/s per s³
	// (AWS's is 0.4; see above).
	rateScale = 0.8
	// rateHold is how long the curve holds the plateau once back at it,
	// and rateDouble how long it then takes to double.
	rateHold   = 700 * time.Millisecond
	rateDouble = 500 * time.Millisecond
	// rateShareWindow is how far back the answers go whose accepted
	// fraction sets the plateau.
	rateShareWindow = time.Second
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
	// rateStep is the longest sleep of a caller waiting for its token;
	// between sleeps it looks again at the rate.
	rateStep = 20 * time.Millisecond
	// rateStartWindow is the start-up window: how many requests may await
	// their answers before the first answer has come back.
	rateStartWindow = 2
	// rateStartMaxWait is the longest a caller waits for a place in the
	// start-up window.
	rateStartMaxWait = time.Second
	// rateStartRise is how long the curve takes, at most, to climb back to
	// its plateau after a cut during start-up.
	rateStartRise = 500 * time.Millisecond
	// rateOpenWindow is the window past which start-up ends: more than
	// Terraform's parallelism (10) and most -parallelism settings.
	rateOpenWindow = 64
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
	// window tells that the request holds a place in the start-up window,
	// to be given back with its answer (or its failure to get one).
	window bool
}

// rateLimiter is the adaptive send rate one Client shares between all of
// its calls of one action. The zero value is not usable; see newRateLimiter.
type rateLimiter struct {
	now func() time.Time

	// enabled, gen and open are read without the lock on the fast path;
	// they change only under mu. While off, sends are counted in pending
	// and, once the start-up window is open, measured in batches.
	enabled atomic.Bool
	gen     atomic.Uint64
	open    atomic.Bool
	pending atomic.Int64

	mu sync.Mutex
	// The start-up window, until open: the requests that may await an
	// answer, those that do, and a channel closed (and dropped) when one
	// of them is answered or the window opens, for the callers waiting.
	window   int
	inFlight int
	freed    chan struct{}
	// bucket spaces the requests while on: burst 1, at the adaptive rate.
	// Each switch on starts a new, full one; nil while off.
	bucket *rate.Limiter

	// The cubic: the rate of the last throttle, its time, and K; streak
	// counts the decreases since the last answer that was not a throttle.
	lastMax      float64
	lastThrottle time.Time
	k            float64
	rise         float64 // the curve's scale up to Wmax: rateScale, or steeper after a start-up cut
	streak       int
	// accepted counts the answers other than throttles during start-up;
	// firstSend is the time of the first request.
	accepted  int
	firstSend time.Time
	// answers are the answers (accepted or throttled) of the last
	// rateShareWindow since the limiter switched on, oldest first.
	answers []answer

	// The measured rate of sends: an exponentially smoothed rate of
	// rateWindow buckets, and the bucket being counted.
	measured    float64
	measuredSet bool
	count       float64
	bucketStart time.Time
}

// answer is one answer in rateLimiter.answers: its time, and whether it
// was accepted (not a throttle).
type answer struct {
	at       time.Time
	accepted bool
}

// newRateLimiter returns a limiter that is off until the first throttle.
// clock nil means time.Now.
func newRateLimiter(clock func() time.Time) *rateLimiter {
	if clock == nil {
		clock = time.Now
	}
	return &rateLimiter{now: clock, window: rateStartWindow}
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
		if !l.open.Load() {
			return l.waitWindow(ctx, sleep)
		}
		if l.pending.Add(1) >= rateOffBatch {
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
	bucket := l.bucket
	start := l.now()
	r := bucket.ReserveN(start, 1)
	p := permit{gen: l.gen.Load(), rate: float64(bucket.Limit())}
	l.mu.Unlock()

	// due and elapsed count from start; due is rescaled as the rate changes.
	due := r.DelayFrom(start)
	var slept, elapsed time.Duration
	for {
		// Sleep until the token is due and atLeast has passed, rateStep at
		// a time while the token is the longer wait.
		d, last := max(due, atLeast)-elapsed, true
		if d > rateStep && due > atLeast {
			d, last = rateStep, false
		}
		if d <= 0 {
			break
		}
		if err := sleep(ctx, d); err != nil {
			r.CancelAt(l.now())
			return permit{}, err
		}
		slept += d
		if last {
			break
		}
		l.mu.Lock()
		if l.gen.Load() != p.gen { // switched off meanwhile: its bucket is gone
			l.mu.Unlock()
			break
		}
		// A sleeper may return before the clock has moved as far (a test's
		// does); the time slept counts either way.
		now := l.now()
		elapsed = max(now.Sub(start), slept)
		l.follow(now)
		if fill := float64(bucket.Limit()); fill != p.rate {
			due = elapsed + time.Duration(float64(due-elapsed)*p.rate/fill)
			p.rate = fill
		}
		l.mu.Unlock()
	}
	l.pending.Add(1) // measured as sent, at the next answer
	return p, nil
}

// waitWindow is wait while off and the start-up window is not open: it
// waits for a place in the window (or for ctx to end, with ctx's error; or
// rateStartMaxWait, then goes beyond the window), takes it, and counts the
// send at once.
func (l *rateLimiter) waitWindow(ctx context.Context, sleep Sleeper) (permit, error) {
	overdue := false
	for {
		l.mu.Lock()
		if l.enabled.Load() || l.open.Load() { // a throttle, or answers enough, since
			l.mu.Unlock()
			return l.wait(ctx, sleep, 0)
		}
		if l.inFlight < l.window || overdue {
			l.inFlight++
			l.pending.Add(1)
			l.measure(l.now())
			p := permit{gen: l.gen.Load(), window: true}
			l.mu.Unlock()
			return p, nil
		}
		if l.freed == nil {
			l.freed = make(chan struct{})
		}
		freed := l.freed
		l.mu.Unlock()
		select {
		case <-ctx.Done():
			return permit{}, ctx.Err()
		case <-freed:
		case <-time.After(rateStartMaxWait):
			overdue = true // the requests ahead hang: go beyond the window
		}
	}
}

// release gives back p's place in the start-up window; an answer that was
// not a throttle (answered) widens the window by one, as an acknowledgement
// widens TCP's in slow start. The caller holds mu.
func (l *rateLimiter) release(p permit, answered bool) {
	if !p.window {
		return
	}
	l.inFlight--
	if answered && !l.open.Load() {
		l.window++
		if l.window > rateOpenWindow {
			l.openWindow()
			return
		}
	}
	l.wake()
}

// openWindow ends start-up for good. The caller holds mu.
func (l *rateLimiter) openWindow() {
	l.open.Store(true)
	l.wake()
}

// wake lets the callers waiting for the start-up window look again. The
// caller holds mu.
func (l *rateLimiter) wake() {
	if l.freed != nil {
		close(l.freed)
		l.freed = nil
	}
}

// onNoAnswer is told that a request sent under p got no answer (the
// connection failed, or the attempt timed out): it frees p's place in the
// start-up window and says nothing about the rate.
func (l *rateLimiter) onNoAnswer(p permit) {
	if !p.window {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.release(p, false)
}

// peek is how long until the token the next caller would take comes due:
// the bucket's missing part of one token at its rate.
func (l *rateLimiter) peek() time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.bucket == nil {
		return 0
	}
	missing := 1 - l.bucket.TokensAt(l.now())
	if missing <= 0 {
		return 0
	}
	return time.Duration(missing / float64(l.bucket.Limit()) * float64(time.Second))
}

// onThrottle is told about a throttled answer to a request sent under p.
// The first throttle switches the limiter on, with an empty bucket, at
// rateBeta times the measured rate (during start-up, times the rate
// accepted; see above) and opens the start-up window. After that, a
// throttle lowers the rate to rateBeta^n times the rate the request was
// sent at (or the measured rate, if lower), n the decreases since the last
// answer that was not a throttle, unless rateBeta times that rate is not
// below the current one: then the throttle was accounted for.
func (l *rateLimiter) onThrottle(p permit) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.release(p, false)
	now := l.now()
	l.measure(now)
	if p.gen != l.gen.Load() {
		return // sent while the limiter was off (or on) before
	}
	measured := l.measuredRate(now)
	// achieved is the rate the cut starts from; refused, the rate the
	// plateau is a share of: the rate the request was sent at, unless the
	// process sent at well under it (the measured rate lags a climb).
	achieved, refused := measured, measured
	switched, inStartup := false, !l.open.Load()
	if l.enabled.Load() {
		l.answered(now, false)
		achieved, refused = min(measured, p.rate), min(p.rate, 2*measured)
		if p.rate == 0 || rateBeta*achieved >= float64(l.bucket.Limit()) {
			return
		}
	} else {
		l.bucket = rate.NewLimiter(0, 1) // setFill gives it its rate; emptied below
		l.enabled.Store(true)
		l.gen.Add(1)
		l.streak = 0
		l.openWindow() // the rate takes over from the window
		l.answers = l.answers[:0]
		switched = true
	}
	l.streak++
	beta := math.Pow(rateBeta, float64(l.streak))
	l.lastThrottle = now
	start := beta * achieved
	// The plateau: the share of the rate refused that the API accepted.
	l.lastMax = max(refused*l.acceptedShare(), start)
	if switched && inStartup {
		// The rate accepted so far, not the rate sent, is what the others
		// leave of the limit; the curve flattens at beta times the rate sent.
		l.lastMax = start
		start = min(start, beta*float64(l.accepted)/max(now.Sub(l.firstSend), rateWindow).Seconds())
	}
	l.k, l.rise = math.Cbrt(max(l.lastMax-start, 0)/rateScale), rateScale
	if switched && inStartup && l.k > rateStartRise.Seconds() {
		// Back to the plateau within rateStartRise, on a steeper curve.
		l.k = rateStartRise.Seconds()
		l.rise = (l.lastMax - start) / (l.k * l.k * l.k)
	}
	l.setFill(now, start)
	if switched {
		l.bucket.AllowN(now, 1) // empty: the next request waits one interval
	}
}

// onSuccess is told about any answer from the API that is not a throttle
// (an error answer included: it was not refused for its rate): it ends a
// streak of decreases and, during start-up, widens the window. While the
// limiter is on, it moves the rate along the cubic, never above twice the
// measured rate beyond the rate last refused, so that a client does not
// grant itself a rate it never tried.
func (l *rateLimiter) onSuccess(p permit) {
	if !p.window && !l.enabled.Load() {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.release(p, true)
	if !l.open.Load() {
		l.accepted++
	}
	if !l.enabled.Load() {
		return
	}
	now := l.now()
	l.measure(now)
	l.answered(now, true)
	l.streak = 0
	r, recovered := l.curve(now)
	if recovered && now.Sub(l.lastThrottle) >= rateQuietOff {
		l.enabled.Store(false)
		l.gen.Add(1)
		l.bucket = nil
		return
	}
	l.setFill(now, r)
}

// curve is the rate at now: the cubic up to the plateau, the plateau for
// rateHold, then doubling every rateDouble, beyond the plateau capped at
// twice the measured rate; and whether the curve is back at the plateau.
// The caller holds mu and the limiter is on.
func (l *rateLimiter) curve(now time.Time) (r float64, recovered bool) {
	x := now.Sub(l.lastThrottle).Seconds() - l.k
	if x < 0 {
		return l.rise*x*x*x + l.lastMax, false
	}
	r = l.lastMax * math.Exp2(max(x-rateHold.Seconds(), 0)/rateDouble.Seconds())
	return min(r, max(2*l.measuredRate(now), l.lastMax)), true
}

// answered adds an answer at now to l.answers and drops those older than
// rateShareWindow. The caller holds mu and the limiter is on.
func (l *rateLimiter) answered(now time.Time, accepted bool) {
	old := 0
	for old < len(l.answers) && now.Sub(l.answers[old].at) > rateShareWindow {
		old++
	}
	if old > 0 {
		l.answers = append(l.answers[:0], l.answers[old:]...)
	}
	l.answers = append(l.answers, answer{at: now, accepted: accepted})
}

// acceptedShare is the fraction of l.answers that were accepted; 1 when
// there are none. The caller holds mu.
func (l *rateLimiter) acceptedShare() float64 {
	if len(l.answers) == 0 {
		return 1
	}
	n := 0
	for _, a := range l.answers {
		if a.accepted {
			n++
		}
	}
	return float64(n) / float64(len(l.answers))
}

// follow moves the rate along the curve between answers, only ever up: a
// throttle lowers it. The caller holds mu and the limiter is on.
func (l *rateLimiter) follow(now time.Time) {
	if !now.After(l.lastThrottle) {
		return
	}
	if r, _ := l.curve(now); r > float64(l.bucket.Limit()) {
		l.setFill(now, r)
	}
}

// setFill sets the bucket's rate from now on, not below the floor. The
// caller holds mu and the limiter is on.
func (l *rateLimiter) setFill(now time.Time, r float64) {
	l.bucket.SetLimitAt(now, rate.Limit(max(r, rateMin)))
}

// measure counts the pending sends at now, closing the bucket once it is
// rateWindow long. The caller holds mu.
func (l *rateLimiter) measure(now time.Time) {
	if l.bucketStart.IsZero() {
		l.bucketStart = now
		l.firstSend = now
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
