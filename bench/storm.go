package main

import (
	"fmt"
	"strings"
	"time"
)

// measureStorm applies -storm orders while the fake throttles creates to
// -storm-rate per second, and the same apply without the limit, in turns
// (each if -measures asks for it).
func (b *bench) measureStorm(o options, rep int, r *recorder) error {
	for i := range 2 {
		limited := (i+rep)%2 == 0
		measure, rate := "unlimited", 0.0
		if limited {
			measure, rate = "storm", o.stormRate
		}
		if !o.measures[measure] {
			continue
		}
		ws, err := b.workspace(kindAli, o.storm, rate, o.stormBurst)
		if err != nil {
			return err
		}
		s, problem, err := ws.measure(measure, "-auto-approve")
		ws.close()
		if err != nil {
			return err
		}
		if limited && s.dups == 0 && s.orders <= o.storm {
			problem = "" // failed creates are what the storm measures; duplicates are not
		}
		r.add(key{measure, o.storm, kindAli}, s, problem)
		vsFloor := ""
		if limited {
			vsFloor = fmt.Sprintf(" (%s the rate's floor)", formatRatio(createPhaseOf(s), o.stormFloor()))
		}
		b.log("rep %d/%d %-9s N=%d %6.2fs  failed %d  dups %d  throttled %d/%d  requests/order %.2f (creates %.2f)  throttled/order %.2f  create phase %.2fs%s",
			rep+1, o.reps, measure, o.storm, s.elapsed.Seconds(), o.storm-s.inState, s.dups, s.throttled, s.requests,
			requestsPerOrder(s), createsPerOrder(s), throttledPerOrder(s), createPhaseOf(s).Seconds(), vsFloor)
	}
	return nil
}

// stormFloor is the least time the fake's token bucket lets the storm's
// creates take, first create request to last order: the burst passes at
// once, the other N - burst at the rate.
func (o options) stormFloor() time.Duration {
	return time.Duration(float64(max(o.storm-o.stormBurst, 0)) / o.stormRate * float64(time.Second))
}

// requestsPerOrder is the requests of a run, of every action, per order
// placed.
func requestsPerOrder(s sample) float64 { return perOrder(s.requests, s.orders) }

// createsPerOrder is the create requests of a run per order placed.
func createsPerOrder(s sample) float64 { return perOrder(s.creates, s.orders) }

// throttledPerOrder is the requests answered Throttling.User per order placed.
func throttledPerOrder(s sample) float64 { return perOrder(s.throttled, s.orders) }

func perOrder(count, orders int) float64 {
	if orders == 0 {
		return 0
	}
	return float64(count) / float64(orders)
}

// createPhaseRatio is a run's create phase over the rate's floor.
func (o options) createPhaseRatio(s sample) float64 {
	return float64(createPhaseOf(s)) / float64(o.stormFloor())
}

// writeStormRow writes the storm's row, if it ran.
func writeStormRow(w *strings.Builder, o options, samples map[key][]sample) {
	st, un := samples[key{"storm", o.storm, kindAli}], samples[key{"unlimited", o.storm, kindAli}]
	if len(st)+len(un) == 0 {
		return
	}
	floor := o.stormFloor()
	aw, uw := medianDuration(st, elapsedOf), medianDuration(un, elapsedOf)
	var notes []string
	if len(st) > 0 {
		notes = append(notes,
			fmt.Sprintf("per run: requests per order %s (creates alone %s); throttled requests per order %s; "+
				"create phase (first create request to last order) %s, that is %s the rate's floor",
				listFloats(st, requestsPerOrder, "%.2f"), listFloats(st, createsPerOrder, "%.2f"), listFloats(st, throttledPerOrder, "%.2f"),
				listFloats(st, func(s sample) float64 { return createPhaseOf(s).Seconds() }, "%.2f s"),
				listFloats(st, o.createPhaseRatio, "%.2f×")),
			fmt.Sprintf("failed resources %s, orders %s, duplicates %s, throttled %s of %s requests (%s creates); orders sent more than once %s, at most %s times; "+
				"first create request after %s",
				listInts(st, func(s sample) int { return o.storm - s.inState }), listInts(st, func(s sample) int { return s.orders }),
				listInts(st, func(s sample) int { return s.dups }), listInts(st, func(s sample) int { return s.throttled }),
				listInts(st, func(s sample) int { return s.requests }), listInts(st, func(s sample) int { return s.creates }),
				listInts(st, func(s sample) int { return s.retried }), listInts(st, func(s sample) int { return s.maxAttempts }),
				formatSeconds(medianDuration(st, func(s sample) time.Duration { return s.firstCreate }))))
	}
	if len(un) > 0 {
		notes = append(notes, fmt.Sprintf("the same apply without the rate limit: %s, creates %s, requests per order %s; the storm took %s that",
			elapsedCell(un), formatSeconds(medianDuration(un, createPhaseOf)), listFloats(un, requestsPerOrder, "%.2f"), formatRatio(aw, uw)))
	}
	fmt.Fprintf(w, "| storm: `terraform apply` while creates are throttled to %g/s (burst %d); its floor is (N − burst) ÷ rate | %d | – | – | %s ((N − burst) ÷ rate) | %s | %s | – / – / %s | %s |\n",
		o.stormRate, o.stormBurst, o.storm, formatSeconds(floor), elapsedCell(st), formatRatio(aw, floor),
		formatMiB(medianInt64(st, peakRSSOf)), strings.Join(notes, "; "))
}
