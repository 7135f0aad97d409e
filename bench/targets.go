package main

import (
	"fmt"
	"strings"
)

// The performance targets the provider aims for, on the real shape (a
// region of -circuits circuits, one order per circuit, the life cycle, the
// payment check and the circuit follow-up on). The report states them and
// does not enforce them.
const (
	targetApplyN          = 1000 // the large apply compared with the same-schema floor
	targetApplyRatio      = 1.05 // its alicloud ÷ same-schema floor, at most
	targetSmallApplyRatio = 1.10 // N = 1's, at most
	targetRSSRatio        = 1.15 // peak RSS, alicloud ÷ same-schema floor, at most, at every N
	targetPlanRatio       = 1.05 // the unchanged plan of targetApplyN, at most, with no request
	targetCreatesPerOrder = 1.0  // create requests per order at targetApplyN, at most
	targetOthersPerOrder  = 1.2  // requests of every other action together per order, at most

	targetFleetThrottled   = 0.15 // throttled requests per order over the fleet, at most
	targetFleetCreatePhase = 1.10 // the fleet's create phase over (N - burst) ÷ rate, at most
	targetAloneThrottled   = 0.10 // one process alone: throttled requests per order, at most
	targetAloneCreatePhase = 1.10 // and its create phase over its floor, at most

	targetStormThrottled   = 0.25 // the storm: throttled requests per order, at most
	targetStormCreatePhase = 1.10 // its create phase over (N - burst) ÷ rate, at most
)

// writeTargets lists the targets this run measured, each with its median,
// the value of every run, and whether the median meets it.
func writeTargets(w *strings.Builder, o options, rec *recorder) {
	samples := rec.samples
	var lines []string
	ratioLine := func(what string, n int, target float64, a, sf []sample) {
		if len(a) == 0 || len(sf) == 0 {
			return
		}
		ratio := float64(medianDuration(a, elapsedOf)) / float64(medianDuration(sf, elapsedOf))
		lines = append(lines, fmt.Sprintf("- %s, N = %d: alicloud at most %.2f× the same-schema floor. Median ratio %.2f× (alicloud %s, floor %s): %s.",
			what, n, target, ratio, elapsedCell(a), elapsedCell(sf), verdict(ratio <= target)))
	}
	applyOf := func(n int) ([]sample, []sample) {
		return samples[key{"apply", n, kindAli}], samples[key{"apply", n, kindSchemaFloor}]
	}
	a, sf := applyOf(targetApplyN)
	ratioLine("Apply (wall time)", targetApplyN, targetApplyRatio, a, sf)
	if len(a) > 0 {
		creates, others := medianFloat(a, actionPerOrder(actionCreate)), medianFloat(a, nonCreatePerOrder)
		lines = append(lines, fmt.Sprintf("- Requests per order, N = %d: at most %.0f create and %.1f of every other action together. Median %.2f creates and %.2f others (runs: %s; %s): %s.",
			targetApplyN, targetCreatesPerOrder, targetOthersPerOrder, creates, others, listFloats(a, nonCreatePerOrder, "%.2f"), byActionNote(a),
			verdict(creates <= targetCreatesPerOrder && others <= targetOthersPerOrder)))
	}
	a1, sf1 := applyOf(1)
	ratioLine("Apply (wall time)", 1, targetSmallApplyRatio, a1, sf1)
	for _, n := range o.ns {
		a, sf := applyOf(n)
		if len(a) == 0 || len(sf) == 0 {
			continue
		}
		ra, rs := medianInt64(a, peakRSSOf), medianInt64(sf, peakRSSOf)
		ratio := float64(ra) / float64(rs)
		lines = append(lines, fmt.Sprintf("- Peak RSS, N = %d: alicloud at most %.2f× the same-schema floor. Median %s against %s, %.2f×: %s.",
			n, targetRSSRatio, formatMiB(ra), formatMiB(rs), ratio, verdict(ratio <= targetRSSRatio)))
	}
	p, psf := samples[key{"plan", targetApplyN, kindAli}], samples[key{"plan", targetApplyN, kindSchemaFloor}]
	if len(p) > 0 && len(psf) > 0 {
		ratio := float64(medianDuration(p, elapsedOf)) / float64(medianDuration(psf, elapsedOf))
		requests := 0
		for _, s := range p {
			requests += s.requests
		}
		lines = append(lines, fmt.Sprintf("- Unchanged plan, N = %d: at most %.2f× the same-schema floor and no request. Median ratio %.2f× (alicloud %s, floor %s), requests %s: %s.",
			targetApplyN, targetPlanRatio, ratio, elapsedCell(p), elapsedCell(psf), listInts(p, func(s sample) int { return s.requests }),
			verdict(ratio <= targetPlanRatio && requests == 0)))
	}
	fleetLines := func(measure, what string, throttledTarget, phaseTarget float64) {
		procs := 1
		if runs := rec.fleets[measure]; len(runs) > 0 {
			procs = len(runs[0].procs)
		}
		n := procs * o.fleetOrders
		fs := samples[key{measure, n, kindAli}]
		if len(fs) == 0 {
			return
		}
		throttled, phase := medianFloat(fs, throttledPerOrder), medianFloat(fs, o.fleetRatio(n))
		lines = append(lines,
			fmt.Sprintf("- %s (%d × %d orders, %g/s, burst %d): at most %.2f throttled requests per order. Median %.2f (runs: %s): %s.",
				what, procs, o.fleetOrders, o.fleetRate, o.fleetBurst, throttledTarget, throttled, listFloats(fs, throttledPerOrder, "%.2f"), verdict(throttled <= throttledTarget)),
			fmt.Sprintf("- %s: create phase within %.2f× of (N − burst) ÷ rate = %s. Median %.2f× (runs: %s): %s.",
				what, phaseTarget, formatSeconds(o.fleetFloor(n)), phase, listFloats(fs, o.fleetRatio(n), "%.2f×"), verdict(phase <= phaseTarget)))
	}
	fleetLines(measureFleet, "Fleet", targetFleetThrottled, targetFleetCreatePhase)
	fleetLines(measureAlone, "One process of the fleet alone", targetAloneThrottled, targetAloneCreatePhase)
	if st := samples[key{"storm", o.storm, kindAli}]; len(st) > 0 {
		throttled, createPhase := medianFloat(st, throttledPerOrder), medianFloat(st, o.createPhaseRatio)
		lines = append(lines,
			fmt.Sprintf("- The storm (N = %d, %g/s, burst %d): at most %.2f throttled requests per order. Median %.2f (runs: %s): %s.",
				o.storm, o.stormRate, o.stormBurst, targetStormThrottled, throttled,
				listFloats(st, throttledPerOrder, "%.2f"), verdict(throttled <= targetStormThrottled)),
			fmt.Sprintf("- The storm's create phase within %.2f× of (N − burst) ÷ rate = %s. Median %.2f× (runs: %s): %s.",
				targetStormCreatePhase, formatSeconds(o.stormFloor()), createPhase,
				listFloats(st, o.createPhaseRatio, "%.2f×"), verdict(createPhase <= targetStormCreatePhase)))
	}
	if len(lines) > 0 {
		fmt.Fprintf(w, "\nTargets, judged by the median of the runs:\n\n%s\n", strings.Join(lines, "\n"))
	}
}

func verdict(met bool) string {
	if met {
		return "met"
	}
	return "missed"
}
