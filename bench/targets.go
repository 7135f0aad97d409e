package main

import (
	"fmt"
	"strings"
)

// The performance targets the provider aims for: a storm of throttled
// creates that is refused rarely and runs close to the rate's floor, and a
// large apply that costs little more than the same-schema floor. The report
// states them and does not enforce them.
const (
	targetThrottledPerOrder = 0.25 // throttled requests per order in the storm, at most
	targetCreatePhaseRatio  = 1.10 // the storm's create phase over (N - burst) ÷ rate, at most
	targetApplyN            = 1000 // the apply compared with the same-schema floor
	targetApplyRatio        = 1.05 // its alicloud ÷ same-schema floor, at most
)

// writeTargets lists the targets this run measured, each with its median,
// the value of every run, and whether the median meets it.
func writeTargets(w *strings.Builder, o options, samples map[key][]sample) {
	var lines []string
	if st := samples[key{"storm", o.storm, kindAli}]; len(st) > 0 {
		throttled, createPhase := medianFloat(st, throttledPerOrder), medianFloat(st, o.createPhaseRatio)
		lines = append(lines,
			fmt.Sprintf("- The storm (N = %d, %g/s, burst %d): at most %.2f throttled requests per order. Median %.2f (runs: %s): %s.",
				o.storm, o.stormRate, o.stormBurst, targetThrottledPerOrder, throttled,
				listFloats(st, throttledPerOrder, "%.2f"), verdict(throttled <= targetThrottledPerOrder)),
			fmt.Sprintf("- The storm's create phase within %.2f× of (N − burst) ÷ rate = %s. Median %.2f× (runs: %s): %s.",
				targetCreatePhaseRatio, formatSeconds(o.stormFloor()), createPhase,
				listFloats(st, o.createPhaseRatio, "%.2f×"), verdict(createPhase <= targetCreatePhaseRatio)))
	}
	a, sf := samples[key{"apply", targetApplyN, kindAli}], samples[key{"apply", targetApplyN, kindSchemaFloor}]
	if len(a) > 0 && len(sf) > 0 {
		ratio := float64(medianDuration(a, elapsedOf)) / float64(medianDuration(sf, elapsedOf))
		lines = append(lines, fmt.Sprintf("- The %d-order apply, without a rate limit, within %.0f%% of the same-schema floor. Median ratio %.2f× (alicloud %s, floor %s): %s.",
			targetApplyN, (targetApplyRatio-1)*100, ratio, elapsedCell(a), elapsedCell(sf), verdict(ratio <= targetApplyRatio)))
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
