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
		if _, err := l.wait(context.Background(), func(_ context.Context, d time.Duration) error {
			clock.advance(d)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		l.onSuccess()
	}
}

// rates reads the limiter's state under its lock.
func rates(l *rateLimiter) (fill, measured float64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.fill, l.measuredRate(l.now())
}

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-9*max(1, math.Abs(b)) }

func TestRateLimiter_offUntilThrottled(t *testing.T) {
	clock := newTestClock()
	l := newRateLimiter(clock.now)
	for range 1000 {
		if _, err := l.wait(context.Background(), noSleep(t)); err != nil {
			t.Fatal(err)
		}
		l.onSuccess() // every answer at the same instant: a huge rate
	}
	if l.enabled.Load() {
		t.Fatal("the limiter switched itself on without a throttle")
	}
}

func TestRateLimiter_noAllocationWhileOff(t *testing.T) {
	l := newRateLimiter(nil)
	ctx := context.Background()
	allocs := testing.AllocsPerRun(1000, func() {
		p, _ := l.wait(ctx, sleepContext)
		_ = p
		l.onSuccess()
	})
	if allocs != 0 {
		t.Fatalf("%v allocations per request while off, want 0", allocs)
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
	p, _ := l.wait(context.Background(), noSleep(t))
	l.onThrottle(p)
	fill, _ := rates(l)
	if !l.enabled.Load() || !near(fill, rateBeta*measured) {
		t.Fatalf("after a throttle: on %v, rate %.3f/s, want %.3f/s (beta × measured)", l.enabled.Load(), fill, rateBeta*measured)
	}

	// The tokens now come every 1/rate: three callers at one instant.
	s := &recordingSleeper{}
	for range 3 {
		if _, err := l.wait(context.Background(), s.sleep); err != nil {
			t.Fatal(err)
		}
	}
	step := interval(fill)
	if got := s.recorded(); !slices.Equal(got, []time.Duration{step, 2 * step}) {
		t.Fatalf("waits %v, want [%v %v]: the first token is free, then one every 1/rate", got, step, 2*step)
	}
}

func TestRateLimiter_onsetRateBeforeFirstWindow(t *testing.T) {
	clock := newTestClock()
	l := newRateLimiter(clock.now)
	// Ten answers in 200ms, then a throttle: no window has closed yet.
	l.onSuccess()
	answerAt(t, l, clock, 9, 20*time.Millisecond)
	clock.advance(20 * time.Millisecond)
	l.onThrottle(permit{})
	fill, _ := rates(l)
	want := rateBeta * 11 / 0.2 // 11 answers over 200ms
	if !near(fill, want) {
		t.Fatalf("rate %.3f/s, want %.3f/s", fill, want)
	}
}

func TestRateLimiter_oneDecreasePerEpoch(t *testing.T) {
	clock := newTestClock()
	l := newRateLimiter(clock.now)
	answerAt(t, l, clock, 80, 10*time.Millisecond) // 100/s
	// Ten requests in flight at the old rate, all throttled.
	var inFlight []permit
	for range 10 {
		p, _ := l.wait(context.Background(), noSleep(t))
		inFlight = append(inFlight, p)
	}
	_, measured := rates(l)
	for _, p := range inFlight {
		l.onThrottle(p)
	}
	first, _ := rates(l)
	if !near(first, rateBeta*measured) {
		t.Fatalf("ten throttles of one epoch: rate %.3f/s, want one decrease to %.3f/s", first, rateBeta*measured)
	}

	// A request admitted at the lowered rate and throttled lowers it again,
	// from the lower of the rate and the (still higher) measured rate.
	s := &recordingSleeper{}
	p, err := l.wait(context.Background(), s.sleep)
	if err != nil {
		t.Fatal(err)
	}
	l.onThrottle(p)
	second, _ := rates(l)
	if !near(second, rateBeta*first) {
		t.Fatalf("a throttle of the new epoch: rate %.3f/s, want %.3f/s", second, rateBeta*first)
	}
}

func TestRateLimiter_recoversAlongCubic(t *testing.T) {
	clock := newTestClock()
	l := newRateLimiter(clock.now)
	answerAt(t, l, clock, 80, 25*time.Millisecond)
	_, wmax := rates(l)
	p, _ := l.wait(context.Background(), noSleep(t))
	l.onThrottle(p)
	k := math.Cbrt(wmax * (1 - rateBeta) / rateScale)
	throttledAt := clock.now()

	// Answers keep coming at 40/s (the cap of twice the measured rate does
	// not bind), each one moving the rate along the curve.
	prev := rateBeta * wmax
	for clock.now().Sub(throttledAt) < 2*time.Duration(k*float64(time.Second)) {
		clock.advance(25 * time.Millisecond)
		l.onSuccess()
		dt := clock.now().Sub(throttledAt).Seconds()
		want := rateScale*math.Pow(dt-k, 3) + wmax
		fill, measured := rates(l)
		if !near(fill, min(want, 2*measured)) {
			t.Fatalf("%.3fs after the throttle: rate %.4f/s, want %.4f/s", dt, fill, want)
		}
		if fill < prev {
			t.Fatalf("%.3fs after the throttle: the rate fell from %.4f to %.4f", dt, prev, fill)
		}
		if dt < k && fill >= wmax {
			t.Fatalf("%.3fs after the throttle, before K=%.3fs: rate %.4f/s already at the last max %.4f", dt, k, fill, wmax)
		}
		prev = fill
	}
	if prev <= wmax {
		t.Fatalf("after 2K the rate %.3f/s has not passed the last max %.3f/s", prev, wmax)
	}
}

func TestRateLimiter_rateCappedAtTwiceMeasured(t *testing.T) {
	clock := newTestClock()
	l := newRateLimiter(clock.now)
	answerAt(t, l, clock, 80, 25*time.Millisecond)
	p, _ := l.wait(context.Background(), noSleep(t))
	l.onThrottle(p)
	// The demand falls to 2 answers/s: the rate follows it down to 4/s,
	// not up the curve.
	answerAt(t, l, clock, 20, 500*time.Millisecond)
	fill, measured := rates(l)
	if measured > 2.5 || !near(fill, 2*measured) {
		t.Fatalf("rate %.3f/s with %.3f answers/s, want twice the measured rate", fill, measured)
	}
}

func TestRateLimiter_concurrentCallersShareOneBucket(t *testing.T) {
	clock := newTestClock()
	l := newRateLimiter(clock.now)
	answerAt(t, l, clock, 40, 100*time.Millisecond) // 10/s
	p, _ := l.wait(context.Background(), noSleep(t))
	l.onThrottle(p)
	fill, _ := rates(l)

	const n = 50
	s := &recordingSleeper{}
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			if _, err := l.wait(context.Background(), s.sleep); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	// The clock stood still: each wait is a release time. One caller goes
	// at once; the others are released one per 1/rate, none twice.
	got := s.recorded()
	slices.Sort(got)
	if len(got) != n-1 {
		t.Fatalf("%d callers waited, want %d", len(got), n-1)
	}
	for i, d := range got {
		if want := time.Duration(i+1) * interval(fill); d != want {
			t.Fatalf("release %d after %v, want %v (rate %.3f/s)", i+1, d, want, fill)
		}
	}
}

func TestRateLimiter_contextEndsWait(t *testing.T) {
	clock := newTestClock()
	l := newRateLimiter(clock.now)
	l.onSuccess()
	l.onThrottle(permit{}) // one answer: the floor
	if _, err := l.wait(context.Background(), noSleep(t)); err != nil {
		t.Fatal(err) // the free token
	}

	ctx, cancel := context.WithCancel(context.Background())
	entered := make(chan time.Duration, 1)
	block := func(ctx context.Context, d time.Duration) error {
		entered <- d
		<-ctx.Done()
		return ctx.Err()
	}
	done := make(chan error, 1)
	go func() {
		_, err := l.wait(ctx, block)
		done <- err
	}()
	first := <-entered
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("wait returned %v, want context.Canceled", err)
	}
	// The cancelled caller gave its token back: the next one gets its slot.
	s := &recordingSleeper{}
	if _, err := l.wait(context.Background(), s.sleep); err != nil {
		t.Fatal(err)
	}
	if got := s.recorded(); len(got) != 1 || got[0] != first {
		t.Fatalf("next caller waits %v, want the cancelled slot %v", got, first)
	}

	// A context that has already ended takes no token and does not wait.
	if _, err := l.wait(ctx, noSleep(t)); !errors.Is(err, context.Canceled) {
		t.Fatalf("wait with an ended context returned %v", err)
	}
}

func TestRateLimiter_floor(t *testing.T) {
	clock := newTestClock()
	l := newRateLimiter(clock.now)
	l.onSuccess()
	for range 50 {
		p, err := l.wait(context.Background(), func(_ context.Context, d time.Duration) error {
			clock.advance(d)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		l.onThrottle(p)
	}
	fill, _ := rates(l)
	if fill != rateMin {
		t.Fatalf("rate %v/s after 50 throttles, want the floor %v/s", fill, rateMin)
	}
	s := &recordingSleeper{}
	for range 3 {
		_, _ = l.wait(context.Background(), s.sleep)
	}
	if got := s.recorded(); got[len(got)-1] > 3*interval(rateMin) {
		t.Fatalf("waits %v: slower than the floor", got)
	}
}

func TestRateLimiter_switchesOffAfterQuiet(t *testing.T) {
	clock := newTestClock()
	l := newRateLimiter(clock.now)
	answerAt(t, l, clock, 80, 25*time.Millisecond)
	p, _ := l.wait(context.Background(), noSleep(t))
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
		if _, err := l.wait(context.Background(), noSleep(t)); err != nil {
			t.Fatal(err)
		}
	}
	// A stale throttle (admitted while on) does not switch it on again;
	// a new one does.
	l.onThrottle(p)
	if l.enabled.Load() {
		t.Fatal("a stale throttle switched the limiter on")
	}
	p, _ = l.wait(context.Background(), noSleep(t))
	l.onThrottle(p)
	if !l.enabled.Load() {
		t.Fatal("a new throttle did not switch the limiter on")
	}
}

// BenchmarkRateLimiter_off is the cost per request while nothing is
// throttled: wait before the attempt and onSuccess after it.
func BenchmarkRateLimiter_off(b *testing.B) {
	l := newRateLimiter(nil)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		_, _ = l.wait(ctx, sleepContext)
		l.onSuccess()
	}
}

// BenchmarkRateLimiter_offParallel is the same with every core calling.
func BenchmarkRateLimiter_offParallel(b *testing.B) {
	l := newRateLimiter(nil)
	ctx := context.Background()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			_, _ = l.wait(ctx, sleepContext)
			l.onSuccess()
		}
	})
}

// BenchmarkRateLimiter_waitOff is wait alone while off: the atomic check.
func BenchmarkRateLimiter_waitOff(b *testing.B) {
	l := newRateLimiter(nil)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		_, _ = l.wait(ctx, sleepContext)
	}
}
