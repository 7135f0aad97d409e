package client

import (
	"context"
	"errors"
	"math"
	"slices"
	"sync"
	"testing"
	"time"
)

// testClock is a clock that moves only when told to.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func newTestClock() *testClock {
	return &testClock{t: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)}
}

func (c *testClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// advancingSleeper returns a Sleeper that appends each wait to waits and
// moves clock by it, then calls after (if not nil).
func advancingSleeper(clock *testClock, waits *[]time.Duration, after func()) Sleeper {
	return func(_ context.Context, d time.Duration) error {
		*waits = append(*waits, d)
		clock.advance(d)
		if after != nil {
			after()
		}
		return nil
	}
}

// recordingSleeper records the waits asked of it and returns at once.
type recordingSleeper struct {
	mu     sync.Mutex
	sleeps []time.Duration
}

func (s *recordingSleeper) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sleeps = append(s.sleeps, d)
	return ctx.Err()
}

func (s *recordingSleeper) recorded() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.sleeps)
}

func noSleep(t *testing.T) Sleeper {
	return func(context.Context, time.Duration) error {
		t.Helper()
		t.Error("the limiter waited")
		return nil
	}
}

// answerAt feeds n successful answers spaced every, starting one step
// from now, through wait and onSuccess.
func answerAt(t *testing.T, l *rateLimiter, clock *testClock, n int, every time.Duration) {
	t.Helper()
	for range n {
		clock.advance(every)
		l.onSuccess(sendOnClock(t, l, clock))
	}
}

// throttleNext has the next request wait on clock and be refused; it
// returns the request's permit.
func throttleNext(t *testing.T, l *rateLimiter, clock *testClock) permit {
	t.Helper()
	p := sendOnClock(t, l, clock)
	l.onThrottle(p)
	return p
}

// sendOnClock has the next request wait for its token, moving clock by
// each sleep, and returns its permit.
func sendOnClock(t *testing.T, l *rateLimiter, clock *testClock) permit {
	t.Helper()
	p, err := l.wait(context.Background(), func(_ context.Context, d time.Duration) error {
		clock.advance(d)
		return nil
	}, 0)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// rates reads the limiter's state under its lock; fill is 0 while off.
func rates(l *rateLimiter) (fill, measured float64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.bucket != nil {
		fill = float64(l.bucket.Limit())
	}
	return fill, l.measuredRate(l.now())
}

// tokens is how long n tokens take at rate per second, as the limiter
// computes it.
func tokens(n int, rate float64) time.Duration {
	return time.Duration(float64(n) / rate * float64(time.Second))
}

// summingSleeper adds up the waits of one caller, advancing nothing.
type summingSleeper struct {
	mu    sync.Mutex
	total time.Duration
	calls int
}

func (s *summingSleeper) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.total += d
	s.calls++
	return ctx.Err()
}

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-9*max(1, math.Abs(b)) }

func TestRateLimiter_offUntilThrottled(t *testing.T) {
	clock := newTestClock()
	l := newRateLimiter(clock.now)
	for range 1000 {
		p, err := l.wait(context.Background(), noSleep(t), 0)
		if err != nil {
			t.Fatal(err)
		}
		l.onSuccess(p) // every answer at the same instant: a huge rate
	}
	if l.enabled.Load() {
		t.Fatal("the limiter switched itself on without a throttle")
	}
}

func TestRateLimiter_noAllocationWhileOff(t *testing.T) {
	l := openLimiter(t)
	ctx := context.Background()
	allocs := testing.AllocsPerRun(1000, func() {
		p, _ := l.wait(ctx, sleepContext, 0)
		l.onSuccess(p)
	})
	if allocs != 0 {
		t.Fatalf("%v allocations per request while off, want 0", allocs)
	}
}

// openLimiter returns a limiter, off, whose start-up window has opened.
func openLimiter(tb testing.TB) *rateLimiter {
	tb.Helper()
	l := newRateLimiter(nil)
	for !l.open.Load() {
		p, err := l.wait(context.Background(), sleepContext, 0)
		if err != nil {
			tb.Fatal(err)
		}
		l.onSuccess(p)
	}
	return l
}

// sendable is how many requests wait lets go at once without an answer:
// it stops at the first that would wait for a place in the start-up
// window (an ended context makes that one return its error instead). The
// permits are returned, their requests awaiting answers.
func sendable(t *testing.T, l *rateLimiter) []permit {
	t.Helper()
	ended, cancel := context.WithCancel(context.Background())
	cancel()
	var sent []permit
	for range 10 * rateOpenWindow {
		p, err := l.wait(ended, noSleep(t), 0)
		if err != nil {
			if !errors.Is(err, context.Canceled) {
				t.Fatal(err)
			}
			return sent
		}
		sent = append(sent, p)
	}
	t.Fatalf("%d requests sent without an answer and no end", len(sent))
	return nil
}

func TestRateLimiter_startWindowGrowsWithAnswers(t *testing.T) {
	clock := newTestClock()
	l := newRateLimiter(clock.now)
	sent := sendable(t, l)
	if len(sent) != rateStartWindow {
		t.Fatalf("%d requests sent before any answer, want %d", len(sent), rateStartWindow)
	}
	// A request without an answer (a failed connection) gives its place
	// back without widening the window.
	l.onNoAnswer(sent[0])
	if again := sendable(t, l); len(again) != 1 {
		t.Fatalf("after a request without an answer, %d more sent, want 1", len(again))
	} else {
		sent[0] = again[0]
	}
	// Each answer widens the window by one: both answered, four go.
	for _, p := range sent {
		l.onSuccess(p)
	}
	sent = sendable(t, l)
	if len(sent) != rateStartWindow+2 {
		t.Fatalf("after two answers, %d requests sent, want %d", len(sent), rateStartWindow+2)
	}

	// A caller waiting for a place goes as soon as one is answered.
	done := make(chan error, 1)
	go func() {
		p, err := l.wait(context.Background(), noSleep(t), 0)
		if err == nil && !p.window {
			err = errors.New("the waiting caller went outside the window")
		}
		done <- err
	}()
	l.onSuccess(sent[0])
	if err := <-done; err != nil {
		t.Fatal(err)
	}

	// Once wider than any parallelism, the window opens: no more counting.
	for !l.open.Load() {
		p, err := l.wait(context.Background(), noSleep(t), 0)
		if err != nil {
			t.Fatal(err)
		}
		l.onSuccess(p)
	}
	if l.window != rateOpenWindow+1 {
		t.Fatalf("the window opened at %d, want %d", l.window, rateOpenWindow+1)
	}
	if p, _ := l.wait(context.Background(), noSleep(t), 0); p.window || l.enabled.Load() {
		t.Fatalf("after the window opened: permit %+v, limiter on %v", p, l.enabled.Load())
	}
}

// TestRateLimiter_startWindowDoesNotWaitOnHungRequests: when the requests in
// the window hang, a caller goes beyond it after rateStartMaxWait rather
// than when their attempts time out. (It waits in real time: one second.)
func TestRateLimiter_startWindowDoesNotWaitOnHungRequests(t *testing.T) {
	l := newRateLimiter(newTestClock().now)
	if hung := sendable(t, l); len(hung) != rateStartWindow {
		t.Fatalf("%d requests sent before any answer, want %d", len(hung), rateStartWindow)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*rateStartMaxWait)
	defer cancel()
	start := time.Now()
	p, err := l.wait(ctx, noSleep(t), 0)
	if waited := time.Since(start); err != nil || !p.window || waited < rateStartMaxWait || waited > 10*rateStartMaxWait {
		t.Fatalf("got %+v, %v after %s; want a place beyond the window after %s", p, err, waited, rateStartMaxWait)
	}
	if l.inFlight != rateStartWindow+1 {
		t.Fatalf("%d in flight, want %d", l.inFlight, rateStartWindow+1)
	}
}

// refusedAtStart returns a limiter whose start-up window was refused
// whole, 20 ms after it was sent: the API's limit was used up already.
func refusedAtStart(t *testing.T, clock *testClock) *rateLimiter {
	t.Helper()
	l := newRateLimiter(clock.now)
	sent := sendable(t, l)
	clock.advance(20 * time.Millisecond)
	for _, p := range sent {
		l.onThrottle(p)
	}
	return l
}

func TestRateLimiter_throttleInStartWindowHandsOverToTheRate(t *testing.T) {
	clock := newTestClock()
	// Both requests of the window are throttled, none accepted, which
	// cuts the rate once, to the floor, and ends the window.
	l := refusedAtStart(t, clock)
	fill, _ := rates(l)
	if !l.enabled.Load() || !l.open.Load() || fill != rateMin {
		t.Fatalf("after the window's throttles: on %v, window open %v, rate %.3f/s, want the floor %.3f/s", l.enabled.Load(), l.open.Load(), fill, rateMin)
	}
	// The curve flattens at beta times the rate sent, two requests in the
	// onset window.
	if want := rateBeta * float64(rateStartWindow) / rateOnsetWindow.Seconds(); !near(l.lastMax, want) {
		t.Fatalf("the curve flattens at %.3f/s, want %.3f/s", l.lastMax, want)
	}

	// From now on the rate spaces the requests, however many await
	// answers; with the clock standing still, at the floor: the bucket
	// starts empty, so the first waits one token.
	s := &summingSleeper{}
	for i := range 2 * rateStartWindow {
		p, err := l.wait(context.Background(), s.sleep, 0)
		if err != nil || p.window || p.rate != fill {
			t.Fatalf("request %d after the window: permit %+v, %v", i, p, err)
		}
	}
	if want := tokens(1, fill) + tokens(2, fill) + tokens(3, fill) + tokens(4, fill); s.total != want {
		t.Fatalf("the requests waited %v in all, want %v (one every 1/rate at %.3f/s)", s.total, want, fill)
	}
}

func TestRateLimiter_rateFollowsTheCurveWhileCallersWait(t *testing.T) {
	clock := newTestClock()
	l := newRateLimiter(clock.now)
	for _, p := range sendable(t, l) {
		l.onThrottle(p)
	}
	if fill, _ := rates(l); fill != rateMin {
		t.Fatalf("rate %.3f/s, want the floor", fill)
	}
	// At the floor the next token is 1/rateMin away, and no answer comes
	// to raise the rate meanwhile: the caller's own steps move the rate
	// along the curve, and its token comes sooner.
	var waits []time.Duration
	p, err := l.wait(context.Background(), advancingSleeper(clock, &waits, nil), 0)
	if err != nil {
		t.Fatal(err)
	}
	var total time.Duration
	for _, d := range waits {
		if d > rateStep {
			t.Fatalf("a sleep of %v, want at most rateStep (%v) at a time", d, rateStep)
		}
		total += d
	}
	if total >= tokens(1, rateMin)/2 || p.rate <= rateMin {
		t.Fatalf("waited %v (%v), sent at %.3f/s: want well under %v, above the floor", total, waits, p.rate, tokens(1, rateMin))
	}
	x := clock.now().Sub(l.lastThrottle).Seconds() - l.k
	if fill, _ := rates(l); fill > rateScale*x*x*x+l.lastMax+1e-9 {
		t.Fatalf("rate %.3f/s, above the curve", fill)
	}
}

func TestRateLimiter_throttleDropsToBetaOfMeasuredRate(t *testing.T) {
	clock := newTestClock()
	l := newRateLimiter(clock.now)
	answerAt(t, l, clock, 80, 25*time.Millisecond) // 40 answers/s for 2s
	_, measured := rates(l)
	if measured < 39.5 || measured > 42 {
		t.Fatalf("measured %.3f/s, want about 40", measured)
	}
	p, _ := l.wait(context.Background(), noSleep(t), 0)
	l.onThrottle(p)
	fill, _ := rates(l)
	if !l.enabled.Load() || !near(fill, rateBeta*measured) {
		t.Fatalf("after a throttle: on %v, rate %.3f/s, want %.3f/s (beta × measured)", l.enabled.Load(), fill, rateBeta*measured)
	}

	// The tokens now come every 1/rate, the first one interval after
	// the throttle: three callers at one instant.
	var got []time.Duration
	for range 3 {
		s := &summingSleeper{}
		if _, err := l.wait(context.Background(), s.sleep, 0); err != nil {
			t.Fatal(err)
		}
		got = append(got, s.total)
	}
	if want := []time.Duration{tokens(1, fill), tokens(2, fill), tokens(3, fill)}; !slices.Equal(got, want) {
		t.Fatalf("waits %v, want %v: one every 1/rate from the throttle on", got, want)
	}
}

func TestRateLimiter_onsetRateBeforeFirstWindow(t *testing.T) {
	clock := newTestClock()
	l := newRateLimiter(clock.now)
	// Ten requests in 180ms, each answered, then a throttle 20ms later:
	// no bucket of the measured rate has closed yet.
	for i := range 10 {
		if i > 0 {
			clock.advance(20 * time.Millisecond)
		}
		p, _ := l.wait(context.Background(), noSleep(t), 0)
		l.onSuccess(p)
	}
	clock.advance(20 * time.Millisecond)
	l.onThrottle(permit{})
	// During start-up the curve flattens at beta times the rate sent, and
	// the rate starts at beta times the rate accepted over at least
	// rateWindow.
	if want := rateBeta * 10 / 0.2; !near(l.lastMax, want) {
		t.Fatalf("the curve flattens at %.3f/s, want %.3f/s (beta × 10 requests in 200ms)", l.lastMax, want)
	}
	fill, _ := rates(l)
	if want := rateBeta * 10 / rateWindow.Seconds(); !near(fill, want) {
		t.Fatalf("rate %.3f/s, want %.3f/s (beta × 10 answers over %v)", fill, want, rateWindow)
	}
}

func TestRateLimiter_throttlesAtAnOlderRateCountOnce(t *testing.T) {
	clock := newTestClock()
	l := newRateLimiter(clock.now)
	answerAt(t, l, clock, 80, 10*time.Millisecond) // 100/s
	// Ten requests in flight, all throttled: one decrease.
	var inFlight []permit
	for range 10 {
		p, _ := l.wait(context.Background(), noSleep(t), 0)
		inFlight = append(inFlight, p)
	}
	_, measured := rates(l)
	for _, p := range inFlight {
		l.onThrottle(p)
	}
	first, _ := rates(l)
	if !near(first, rateBeta*measured) {
		t.Fatalf("ten throttles of requests sent together: rate %.3f/s, want one decrease to %.3f/s", first, rateBeta*measured)
	}

	// Two requests sent at the lowered rate; the first one's throttle
	// lowers it again (from that rate: the measured one is still higher),
	// by rateBeta² as the second decrease in a row; the second one's says
	// nothing new.
	var atFirst []permit
	for range 2 {
		p, err := l.wait(context.Background(), (&summingSleeper{}).sleep, 0)
		if err != nil {
			t.Fatal(err)
		}
		atFirst = append(atFirst, p)
	}
	for _, p := range atFirst {
		l.onThrottle(p)
	}
	second, _ := rates(l)
	if !near(second, rateBeta*rateBeta*first) {
		t.Fatalf("throttles at the lowered rate: rate %.3f/s, want %.3f/s", second, rateBeta*rateBeta*first)
	}

	// An answer that is not a throttle ends the streak: the next decrease
	// is by rateBeta again, from the rate its request was sent at.
	p, err := l.wait(context.Background(), (&summingSleeper{}).sleep, 0)
	if err != nil {
		t.Fatal(err)
	}
	l.onSuccess(p)
	p, err = l.wait(context.Background(), (&summingSleeper{}).sleep, 0)
	if err != nil {
		t.Fatal(err)
	}
	l.onThrottle(p)
	if third, _ := rates(l); !near(third, rateBeta*p.rate) {
		t.Fatalf("a throttle after an answer: rate %.3f/s, want %.3f/s (rateBeta × %.3f/s)", third, rateBeta*p.rate, p.rate)
	}
}

// switchedOn returns a limiter that had 80 answers, one every every,
// then had the next request refused; and the rate measured then.
func switchedOn(t *testing.T, every time.Duration) (l *rateLimiter, clock *testClock, measured float64) {
	t.Helper()
	clock = newTestClock()
	l = newRateLimiter(clock.now)
	answerAt(t, l, clock, 80, every)
	p, _ := l.wait(context.Background(), noSleep(t), 0)
	_, measured = rates(l)
	l.onThrottle(p)
	return l, clock, measured
}

func TestRateLimiter_recoversAlongCubic(t *testing.T) {
	l, clock, wmax := switchedOn(t, 50*time.Millisecond) // 20/s
	k := math.Cbrt(wmax * (1 - rateBeta) / rateScale)
	throttledAt := clock.now()
	hold, double := rateHold.Seconds(), rateDouble.Seconds()

	// Requests keep coming every 50ms or as the limiter lets them, each
	// answer moving the rate along the curve: the cubic up to the plateau
	// (the rate refused: every answer before the throttle was accepted),
	// the plateau for rateHold, then doubling every rateDouble up to twice
	// the measured rate.
	prev := rateBeta * wmax
	capped := false
	for clock.now().Sub(throttledAt) < time.Duration((k+hold+2*double)*float64(time.Second)) {
		answerAt(t, l, clock, 1, 50*time.Millisecond)
		dt := clock.now().Sub(throttledAt).Seconds()
		x := dt - k
		want := rateScale*x*x*x + wmax
		if x >= 0 {
			want = wmax * math.Exp2(max(x-hold, 0)/double)
		}
		fill, measured := rates(l)
		if x >= 0 {
			capped = capped || want > 2*measured
			want = min(want, 2*measured)
		}
		if !near(fill, want) {
			t.Fatalf("%.3fs after the throttle: rate %.4f/s, want %.4f/s", dt, fill, want)
		}
		if fill < prev {
			t.Fatalf("%.3fs after the throttle: the rate fell from %.4f to %.4f", dt, prev, fill)
		}
		if dt < k && fill >= wmax {
			t.Fatalf("%.3fs after the throttle, before K=%.3fs: rate %.4f/s already at the last max %.4f", dt, k, fill, wmax)
		}
		if x >= 0 && x < hold && fill != wmax {
			t.Fatalf("%.3fs after the throttle, within the hold: rate %.4f/s, want the plateau %.4f/s", dt, fill, wmax)
		}
		prev = fill
	}
	if prev <= wmax || !capped {
		t.Fatalf("after the hold the rate %.3f/s has not passed the last max %.3f/s up to the cap (capped %v)", prev, wmax, capped)
	}
}

// TestRateLimiter_plateauIsTheShareAccepted: the curve climbs back to
// the rate refused times the fraction of the last second's answers that
// were accepted, not to the rate refused.
func TestRateLimiter_plateauIsTheShareAccepted(t *testing.T) {
	l, clock, refused := switchedOn(t, 25*time.Millisecond) // 40/s
	plateau := func() float64 {
		l.mu.Lock()
		defer l.mu.Unlock()
		return l.lastMax
	}
	// Switched on: no answer since, so the plateau is the rate refused.
	if !near(plateau(), refused) {
		t.Fatalf("the first plateau is %.3f/s, want the rate refused %.3f/s", plateau(), refused)
	}
	// throttle sends one request and has it refused; it returns the rate
	// the cut starts from (the cut's rate ÷ beta^n) and the rate the
	// plateau is a share of: the rate sent at, or twice the measured rate
	// if lower.
	throttle := func(n int) (achieved, refused, sentAt float64) {
		t.Helper()
		p := throttleNext(t, l, clock)
		fill, measured := rates(l)
		return fill / math.Pow(rateBeta, float64(n)), min(p.rate, 2*measured), p.rate
	}

	// Three answers accepted, then a throttle: the plateau is three
	// quarters of the rate refused.
	answerAt(t, l, clock, 3, 200*time.Millisecond)
	achieved, refused, _ := throttle(1)
	if want := 0.75 * refused; !near(plateau(), want) || want <= rateBeta*achieved {
		t.Fatalf("3 of 4 answers accepted: the plateau is %.3f/s, want %.3f/s", plateau(), want)
	}

	// Those answers leave the window after rateShareWindow: nine accepted
	// since, then a throttle, and the plateau is nine tenths (not the 12 of
	// 14 answers since the switch).
	clock.advance(rateShareWindow)
	answerAt(t, l, clock, 9, 50*time.Millisecond)
	_, refused, _ = throttle(1)
	if want := 0.9 * refused; !near(plateau(), want) {
		t.Fatalf("9 of the last second's 10 answers accepted: the plateau is %.3f/s, want %.3f/s", plateau(), want)
	}

	// A second throttle in a row cuts by beta², and the plateau is still
	// the share accepted (9 of 11) of the rate refused.
	achieved, refused, _ = throttle(2)
	if want := max(9.0/11*refused, rateBeta*rateBeta*achieved); !near(plateau(), want) {
		t.Fatalf("a second throttle in a row: plateau %.3f/s, want %.3f/s", plateau(), want)
	}

	// The demand falls to 2 requests/s while the rate stays at its plateau:
	// the rate refused is twice the measured rate, not the rate allowed, and
	// the plateau two thirds of that (2 of the last second's 3 answers).
	answerAt(t, l, clock, 8, 500*time.Millisecond)
	achieved, refused, sentAt := throttle(1)
	if want := 2.0 / 3 * refused; refused >= sentAt || !near(plateau(), want) || want <= rateBeta*achieved {
		t.Fatalf("sent at %.3f/s with 2 requests/s: plateau %.3f/s, want %.3f/s (2/3 of twice the measured rate)", sentAt, plateau(), want)
	}
}

func TestRateLimiter_rateCappedAtTwiceMeasured(t *testing.T) {
	clock := newTestClock()
	l := newRateLimiter(clock.now)
	answerAt(t, l, clock, 80, 25*time.Millisecond)
	p, _ := l.wait(context.Background(), noSleep(t), 0)
	l.onThrottle(p)
	wmax := l.lastMax
	// The demand falls to 2 answers/s: the curve goes on up, but the rate
	// stays at the rate last refused, which it has tried, not beyond it.
	answerAt(t, l, clock, 20, 500*time.Millisecond)
	fill, measured := rates(l)
	if measured > 2.5 || !near(fill, wmax) {
		t.Fatalf("rate %.3f/s with %.3f answers/s, want the last max %.3f/s", fill, measured, wmax)
	}
	// Beyond it, twice the measured rate: as if the throttle had come 5 s
	// ago at 10/s (the curve is far above), then answers every 25 ms.
	l.mu.Lock()
	l.lastMax, l.k, l.lastThrottle = 10, 0, clock.now().Add(-5*time.Second)
	l.mu.Unlock()
	answerAt(t, l, clock, 30, 25*time.Millisecond)
	fill, measured = rates(l)
	if fill <= 10 || !near(fill, 2*measured) {
		t.Fatalf("rate %.3f/s with %.3f answers/s, want twice the measured rate", fill, measured)
	}
}

func TestRateLimiter_concurrentCallersShareOneBucket(t *testing.T) {
	clock := newTestClock()
	l := newRateLimiter(clock.now)
	answerAt(t, l, clock, 40, 100*time.Millisecond) // 10/s
	p, _ := l.wait(context.Background(), noSleep(t), 0)
	l.onThrottle(p)
	fill, _ := rates(l)

	const n = 50
	waits := make([]time.Duration, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			s := &summingSleeper{}
			if _, err := l.wait(context.Background(), s.sleep, 0); err != nil {
				t.Error(err)
			}
			waits[i] = s.total
		})
	}
	wg.Wait()
	// The clock stood still, so each caller's waits add up to its release
	// time. The callers are released one per 1/rate from the throttle on,
	// none twice.
	slices.Sort(waits)
	for i, d := range waits {
		if want := tokens(i+1, fill); d != want {
			t.Fatalf("caller %d released after %v, want %v (rate %.3f/s)", i, d, want, fill)
		}
	}
}

// waitBehindQueue switches a limiter on at 10 answers/s, lines up ahead
// callers at that instant, and has one more caller wait behind them, with
// change run one step into its wait. It returns the rate after the
// switch, the caller's sleeps and their total.
func waitBehindQueue(t *testing.T, ahead int, change func(l *rateLimiter, clock *testClock, slow float64)) (slow float64, waits []time.Duration, total time.Duration) {
	t.Helper()
	clock := newTestClock()
	l := newRateLimiter(clock.now)
	answerAt(t, l, clock, 40, 100*time.Millisecond)
	p, _ := l.wait(context.Background(), noSleep(t), 0)
	l.onThrottle(p)
	slow, _ = rates(l)
	for range ahead { // callers ahead, at this instant
		_, _ = l.wait(context.Background(), (&summingSleeper{}).sleep, 0)
	}
	_, err := l.wait(context.Background(), advancingSleeper(clock, &waits, func() {
		if len(waits) == 1 {
			change(l, clock, slow)
		}
	}), 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range waits {
		total += d
	}
	return slow, waits, total
}

func TestRateLimiter_queueFollowsTheRateUp(t *testing.T) {
	// The 30th caller's token is due in 30/rate (the bucket starts empty). One step into its wait,
	// the rate rises tenfold; the rest of its wait follows.
	slow, waits, total := waitBehindQueue(t, 29, func(l *rateLimiter, clock *testClock, slow float64) {
		l.mu.Lock()
		l.setFill(clock.now(), 10*slow)
		l.mu.Unlock()
	})
	servedSlowly := slow * rateStep.Seconds()
	want := rateStep + time.Duration((30-servedSlowly)/(10*slow)*float64(time.Second))
	if waits[0] != rateStep || math.Abs(float64(total-want)) > float64(time.Microsecond) {
		t.Fatalf("waits %v (%v in all), want %v first and %v in all, not %v at the old rate", waits, total, rateStep, want, tokens(30, slow))
	}
}

// TestRateLimiter_queueFollowsTheRateDown: a cut while callers wait
// spaces the rest of their waits at the new rate, within a step, instead
// of sending them at the old spacing to be refused.
func TestRateLimiter_queueFollowsTheRateDown(t *testing.T) {
	// The 10th caller's token is due in 10/rate. One step into its wait, a
	// request sent at that rate is refused: the rate falls, and the rest of
	// the wait with it.
	slow, waits, total := waitBehindQueue(t, 9, func(l *rateLimiter, _ *testClock, slow float64) {
		l.onThrottle(permit{gen: l.gen.Load(), rate: slow})
	})
	// (The curve climbs back meanwhile: the plateau, then the doubling.)
	if old := tokens(10, slow); waits[0] != rateStep || total < old*115/100 {
		t.Fatalf("%d waits of at most %v, %v in all: want %v first and well over %v, the wait at the old rate %.3f/s", len(waits), slices.Max(waits), total, rateStep, old, slow)
	}
}

func TestRateLimiter_backoffAndRateWaitForTheLonger(t *testing.T) {
	clock := newTestClock()
	l := newRateLimiter(clock.now)
	s := &recordingSleeper{}
	if _, err := l.wait(context.Background(), s.sleep, 2*time.Second); err != nil {
		t.Fatal(err)
	}
	if got := s.recorded(); !slices.Equal(got, []time.Duration{2 * time.Second}) {
		t.Fatalf("off: waits %v, want the backoff alone", got)
	}

	// throttled returns a limiter just throttled at 10 requests/s.
	throttled := func() (*rateLimiter, float64) {
		l := newRateLimiter(clock.now)
		answerAt(t, l, clock, 40, 100*time.Millisecond)
		p, _ := l.wait(context.Background(), noSleep(t), 0)
		l.onThrottle(p)
		fill, _ := rates(l)
		return l, fill
	}
	// The next token is due in 1/rate; a Retry-After of 2s wins, in one
	// wait, after which the token is there.
	l, _ = throttled()
	var waits []time.Duration
	if _, err := l.wait(context.Background(), advancingSleeper(clock, &waits, nil), 2*time.Second); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(waits, []time.Duration{2 * time.Second}) {
		t.Fatalf("on: waits %v, want one of 2s", waits)
	}
	// Behind twenty callers the queue is longer than the backoff: the
	// token's time wins (the clock stands still: 21 tokens from the
	// throttle on).
	l, fill := throttled()
	for range 20 {
		_, _ = l.wait(context.Background(), (&summingSleeper{}).sleep, 0)
	}
	sum := &summingSleeper{}
	if _, err := l.wait(context.Background(), sum.sleep, time.Second); err != nil {
		t.Fatal(err)
	}
	if want := tokens(21, fill); sum.total != want {
		t.Fatalf("waited %v, want %v (21 tokens at %.3f/s)", sum.total, want, fill)
	}
}

func TestRateLimiter_contextEndsWait(t *testing.T) {
	clock := newTestClock()
	l := newRateLimiter(clock.now)
	l.onSuccess(permit{})
	l.onThrottle(permit{})
	fill, _ := rates(l)

	ctx, cancel := context.WithCancel(context.Background())
	entered := make(chan struct{})
	block := func(ctx context.Context, _ time.Duration) error {
		close(entered)
		<-ctx.Done()
		return ctx.Err()
	}
	done := make(chan error, 1)
	go func() {
		_, err := l.wait(ctx, block, 0)
		done <- err
	}()
	<-entered
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("wait returned %v, want context.Canceled", err)
	}
	// The cancelled caller gave its token back: the next one waits for
	// one token, not two.
	s := &summingSleeper{}
	if _, err := l.wait(context.Background(), s.sleep, 0); err != nil {
		t.Fatal(err)
	}
	if want := tokens(1, fill); s.total != want {
		t.Fatalf("next caller waits %v, want %v", s.total, want)
	}

	// A context that has already ended takes no token and does not wait.
	if _, err := l.wait(ctx, noSleep(t), 0); !errors.Is(err, context.Canceled) {
		t.Fatalf("wait with an ended context returned %v", err)
	}
}

func TestRateLimiter_floor(t *testing.T) {
	clock := newTestClock()
	l := newRateLimiter(clock.now)
	l.onSuccess(permit{})
	for range 50 {
		throttleNext(t, l, clock)
	}
	fill, _ := rates(l)
	if fill != rateMin {
		t.Fatalf("rate %v/s after 50 throttles, want the floor %v/s", fill, rateMin)
	}
	var total time.Duration
	for range 3 {
		s := &summingSleeper{}
		_, _ = l.wait(context.Background(), s.sleep, 0)
		total = s.total
	}
	// The last throttled caller took the bucket's token as it came due.
	if want := tokens(3, rateMin); math.Abs(float64(total-want)) > float64(time.Microsecond) {
		t.Fatalf("the third caller waits %v, want %v (three tokens at the floor)", total, want)
	}
}

func TestRateLimiter_switchesOffAfterQuiet(t *testing.T) {
	clock := newTestClock()
	l := newRateLimiter(clock.now)
	answerAt(t, l, clock, 80, 25*time.Millisecond)
	p, _ := l.wait(context.Background(), noSleep(t), 0)
	l.onThrottle(p)
	answerAt(t, l, clock, int((rateQuietOff-time.Second)/(25*time.Millisecond)), 25*time.Millisecond)
	if !l.enabled.Load() {
		t.Fatal("switched off before the quiet period")
	}
	answerAt(t, l, clock, 80, 25*time.Millisecond)
	if l.enabled.Load() {
		t.Fatal("still on after a quiet period at full recovery")
	}
	for range 10 {
		if _, err := l.wait(context.Background(), noSleep(t), 0); err != nil {
			t.Fatal(err)
		}
	}
	// A stale throttle (admitted while on) does not switch it on again;
	// a new one does.
	l.onThrottle(p)
	if l.enabled.Load() {
		t.Fatal("a stale throttle switched the limiter on")
	}
	p, _ = l.wait(context.Background(), noSleep(t), 0)
	l.onThrottle(p)
	if !l.enabled.Load() {
		t.Fatal("a new throttle did not switch the limiter on")
	}
}

// BenchmarkRateLimiter_off is the cost per request while nothing is
// throttled: wait before the attempt and onSuccess after it.
func BenchmarkRateLimiter_off(b *testing.B) {
	l := openLimiter(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		p, _ := l.wait(ctx, sleepContext, 0)
		l.onSuccess(p)
	}
}

// BenchmarkRateLimiter_offParallel is the same with every core calling.
func BenchmarkRateLimiter_offParallel(b *testing.B) {
	l := openLimiter(b)
	ctx := context.Background()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			p, _ := l.wait(ctx, sleepContext, 0)
			l.onSuccess(p)
		}
	})
}

// BenchmarkRateLimiter_waitOff is wait alone while off: the atomic check.
func BenchmarkRateLimiter_waitOff(b *testing.B) {
	l := openLimiter(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		_, _ = l.wait(ctx, sleepContext, 0)
	}
}

// TestRateLimiter_startupCutClimbsBackWithinRise: a cut during start-up
// (here to the floor: the window's requests were all refused) climbs back
// to the curve's plateau within rateStartRise, not in K = ∛((Wmax −
// start) ÷ rateScale).
func TestRateLimiter_startupCutClimbsBackWithinRise(t *testing.T) {
	clock := newTestClock()
	l := refusedAtStart(t, clock)
	throttledAt := clock.now()
	wmax := rateBeta * float64(rateStartWindow) / rateOnsetWindow.Seconds()
	if natural := math.Cbrt((wmax - rateMin) / rateScale); natural <= rateStartRise.Seconds() {
		t.Fatalf("K would be %.3fs without the start-up rise: the test shows nothing", natural)
	}
	curveAt := func(d time.Duration) float64 {
		l.mu.Lock()
		defer l.mu.Unlock()
		r, _ := l.curve(throttledAt.Add(d))
		return r
	}
	// None was accepted: the curve starts at 0 (the rate at the floor).
	for _, tc := range []struct {
		after time.Duration
		want  float64
	}{
		{0, 0},
		{rateStartRise / 4, wmax - wmax*27/64},
		{rateStartRise / 2, wmax - wmax/8}, // concave: seven eighths of the way at half the time
		{rateStartRise, wmax},
	} {
		if got := curveAt(tc.after); !near(got, tc.want) {
			t.Errorf("%v after the start-up cut: the curve is at %.3f/s, want %.3f/s", tc.after, got, tc.want)
		}
	}
	if fill, _ := rates(l); fill != rateMin {
		t.Errorf("the rate starts at %.3f/s, want the floor %.3f/s", fill, rateMin)
	}
	// The steeper scale is this cut's alone: the curve is back at the
	// plateau in rateStartRise, not in K.
	l.mu.Lock()
	rise := l.rise
	l.mu.Unlock()
	if !near(rise, wmax/math.Pow(rateStartRise.Seconds(), 3)) {
		t.Errorf("the climb's scale is %.3f, want %.3f", rise, wmax/math.Pow(rateStartRise.Seconds(), 3))
	}
	// A process that joined a limit the others use up is refused again on
	// the way up: that cut climbs at rateScale, as any other.
	clock.advance(rateStartRise / 5)
	p, err := l.wait(context.Background(), (&summingSleeper{}).sleep, 0)
	if err != nil {
		t.Fatal(err)
	}
	l.onThrottle(p)
	l.mu.Lock()
	rise = l.rise
	l.mu.Unlock()
	if fill, _ := rates(l); rise != rateScale || fill >= p.rate {
		t.Errorf("a throttle on the way up: scale %.3f (want rateScale %.3f), rate %.3f/s (sent at %.3f/s)", rise, rateScale, fill, p.rate)
	}
}
