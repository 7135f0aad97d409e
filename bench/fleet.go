package main

import (
	"fmt"
	"strings"
	"sync"
	"time"
)

// The fleet's measures: "fleet" is -fleet Terraform processes at once
// against one throttled fake, "alone" one such process by itself.
const (
	measureFleet = "fleet"
	measureAlone = "alone"
)

// fleetRun is one run of the fleet (or of one process alone): each
// process's sample, and the whole's view of the fake.
type fleetRun struct {
	procs []sample
	whole sample // requests, throttled, orders and the create phase over every process
}

// measureFleet starts -fleet Terraform processes at once, each applying
// -fleet-orders orders on circuits of its own in a working directory of its
// own, against one fake that throttles creates to -fleet-rate per second
// after a burst of -fleet-burst; and, in turn with it, one such process
// alone against a fake of the same limit.
func (b *bench) measureFleet(o options, rep int, r *recorder) error {
	for i := range 2 {
		measure, procs := measureFleet, o.fleet
		if (i+rep)%2 == 1 {
			measure, procs = measureAlone, 1
		}
		run, problems, err := b.fleetOnce(o, measure, procs)
		if err != nil {
			return err
		}
		r.fleets[measure] = append(r.fleets[measure], run)
		n := procs * o.fleetOrders
		r.add(key{measure, n, kindAli}, run.whole, strings.Join(problems, "; "))
		w := run.whole
		b.log("rep %d/%d %-5s %d×%d %6.2fs  failed %d  dups %d  throttled %d/%d  requests/order %.2f (creates %.2f)  throttled/order %.2f  create phase %.2fs (%s the rate's floor)",
			rep+1, o.fleetReps, measure, procs, o.fleetOrders, w.elapsed.Seconds(), n-w.inState, w.dups, w.throttled, w.requests,
			requestsPerOrder(w), createsPerOrder(w), throttledPerOrder(w), createPhaseOf(w).Seconds(), formatRatio(createPhaseOf(w), o.fleetFloor(n)))
	}
	return nil
}

// fleetOnce runs procs processes at once against one fake and returns
// their samples, the whole, and what went wrong.
func (b *bench) fleetOnce(o options, measure string, procs int) (fleetRun, []string, error) {
	f, err := b.startFake(procs*o.fleetOrders, procs, o.fleetRate, o.fleetBurst)
	if err != nil {
		return fleetRun{}, nil, err
	}
	defer f.Close()
	var wss []*workspace
	defer func() {
		for _, ws := range wss {
			ws.close()
		}
	}()
	for k := range procs {
		ws, err := b.sharedWorkspace(kindAli, o.fleetOrders, k*o.fleetOrders, fleetKey(k), f)
		if err != nil {
			return fleetRun{}, nil, err
		}
		wss = append(wss, ws)
	}
	run := fleetRun{procs: make([]sample, procs)}
	problems := make([]string, procs)
	errs := make([]error, procs)
	start := time.Now()
	var wg sync.WaitGroup
	for k, ws := range wss {
		wg.Go(func() { run.procs[k], problems[k], errs[k] = ws.measure(measure, "-auto-approve") })
	}
	wg.Wait()
	var failed []string
	for k := range procs {
		if errs[k] != nil {
			return run, nil, errs[k]
		}
		if problems[k] != "" && (run.procs[k].dups > 0 || run.procs[k].orders > o.fleetOrders) {
			failed = append(failed, fmt.Sprintf("process %d: %s", k+1, problems[k]))
		}
	}
	// The whole: counts add up; times are since the fleet started, the
	// create phase from the first create of any process to the last
	// order of any.
	w := &run.whole
	w.byAction = map[string]int{}
	for _, s := range run.procs {
		offset := s.started.Sub(start)
		w.elapsed = max(w.elapsed, offset+s.elapsed)
		w.requests += s.requests
		w.throttled += s.throttled
		w.orders += s.orders
		w.dups += s.dups
		w.inState += s.inState
		w.creates += s.creates
		w.retried += s.retried
		w.maxAttempts = max(w.maxAttempts, s.maxAttempts)
		w.planDescribes += s.planDescribes
		for a, c := range s.byAction {
			w.byAction[a] += c
		}
		w.peakRSSKiB = max(w.peakRSSKiB, s.peakRSSKiB)
		w.providerCPU += s.providerCPU
		w.providerProcs += s.providerProcs
		if s.creates > 0 && (w.firstCreate == 0 || offset+s.firstCreate < w.firstCreate) {
			w.firstCreate = offset + s.firstCreate
		}
		w.lastOrder = max(w.lastOrder, offset+s.lastOrder)
	}
	return run, failed, nil
}

// fleetFloor is the least time the fake's token bucket lets n creates
// take, first create request to last order: the burst passes at once,
// the other n - burst at the rate.
func (o options) fleetFloor(n int) time.Duration {
	return time.Duration(float64(max(n-o.fleetBurst, 0)) / o.fleetRate * float64(time.Second))
}

// fleetRatio is a run's create phase over the rate's floor for n orders.
func (o options) fleetRatio(n int) func(sample) float64 {
	return func(s sample) float64 { return float64(createPhaseOf(s)) / float64(o.fleetFloor(n)) }
}

// writeFleetRows writes the fleet's row and the row of one process alone,
// if they ran.
func writeFleetRows(w *strings.Builder, o options, rec *recorder) {
	for _, measure := range []string{measureFleet, measureAlone} {
		runs := rec.fleets[measure]
		if len(runs) == 0 {
			continue
		}
		procs := len(runs[0].procs)
		n := procs * o.fleetOrders
		whole := rec.samples[key{measure, n, kindAli}]
		floor := o.fleetFloor(n)
		label := fmt.Sprintf("fleet: %d `terraform apply` at once, in %d working directories, against one fake throttling creates to %g/s (burst %d); its floor is (N − burst) ÷ rate",
			procs, procs, o.fleetRate, o.fleetBurst)
		if measure == measureAlone {
			label = fmt.Sprintf("fleet's process alone: one `terraform apply` of %d against the same limit", o.fleetOrders)
		}
		notes := []string{fmt.Sprintf("per run: throttled requests per order %s; create phase (first create request of any process to the last order of any) %s, that is %s the rate's floor; "+
			"requests per order %s: %s; failed resources %s, orders %s, duplicates %s, throttled %s of %s requests; orders sent more than once %s, at most %s times",
			listFloats(whole, throttledPerOrder, "%.2f"),
			listFloats(whole, func(s sample) float64 { return createPhaseOf(s).Seconds() }, "%.2f s"),
			listFloats(whole, o.fleetRatio(n), "%.2f×"),
			listFloats(whole, requestsPerOrder, "%.2f"), byActionNote(whole),
			listInts(whole, func(s sample) int { return n - s.inState }), listInts(whole, func(s sample) int { return s.orders }),
			listInts(whole, func(s sample) int { return s.dups }), listInts(whole, func(s sample) int { return s.throttled }),
			listInts(whole, func(s sample) int { return s.requests }),
			listInts(whole, func(s sample) int { return s.retried }), listInts(whole, func(s sample) int { return s.maxAttempts }))}
		if procs > 1 {
			var per []string
			for i, run := range runs {
				var ps []string
				for _, s := range run.procs {
					ps = append(ps, fmt.Sprintf("%.2f s, %d throttled, %.2f/%.2f/%.2f/%.2f",
						s.elapsed.Seconds(), s.throttled, actionPerOrder(actionCreate)(s), actionPerOrder(actionQuery)(s),
						actionPerOrder(actionDetail)(s), actionPerOrder(actionDescribe)(s)))
				}
				per = append(per, fmt.Sprintf("run %d: %s", i+1, strings.Join(ps, "; ")))
			}
			notes = append(notes, "process by process (wall time, throttled requests, creates/QueryOrders/GetOrderDetail/DescribePhysicalConnections per order): "+strings.Join(per, " | "))
		}
		fmt.Fprintf(w, "| %s | %d | – | – | %s ((N − burst) ÷ rate) | %s | %s | – / – / %s | %s |\n",
			label, n, formatSeconds(floor), elapsedCell(whole), formatRatio(medianDuration(whole, createPhaseOf), floor),
			formatMiB(medianInt64(whole, peakRSSOf)), strings.Join(notes, "; "))
	}
}
