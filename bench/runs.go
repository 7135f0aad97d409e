package main

import (
	"fmt"
	"slices"
)

// key names a row and column of the table.
type key struct {
	measure string // "apply", "plan", "storm", "unlimited" (the storm without the limit), "fleet" or "alone" (one of the fleet's processes by itself)
	n       int
	kind    string
}

// planN is the N whose unchanged configuration is planned: the largest, or
// 0 when no N is applied.
func (o options) planN() int {
	if len(o.ns) == 0 {
		return 0
	}
	return slices.Max(o.ns)
}

// runsStorm says whether the storm, or its reference without the limit,
// is measured.
func (o options) runsStorm() bool {
	return o.storm > 0 && (o.measures["storm"] || o.measures["unlimited"])
}

// runsFleet says whether the fleet is measured.
func (o options) runsFleet() bool { return o.fleet > 0 && o.measures["fleet"] }

// fleetRepsRun is how many times the fleet runs: -fleet-reps, or none.
func (o options) fleetRepsRun() int {
	if !o.runsFleet() {
		return 0
	}
	return o.fleetReps
}

// recorder collects the samples of the measured runs, the fleet's runs
// process by process, and the assertions that failed.
type recorder struct {
	samples  map[key][]sample
	fleets   map[string][]fleetRun // by measureFleet and measureAlone
	problems []string
}

func (r *recorder) add(k key, s sample, problem string) {
	r.samples[k] = append(r.samples[k], s)
	if problem != "" {
		r.problems = append(r.problems, fmt.Sprintf("%s N=%d %s: %s", k.measure, k.n, k.kind, problem))
	}
}

// measureAll runs the warm-up, then the repetitions, each of which applies
// (and plans) every N of every kind -measures and -kinds ask for, runs the
// storm and the fleet. It returns what it recorded.
func (b *bench) measureAll(o options) (*recorder, error) {
	r := &recorder{samples: map[key][]sample{}, fleets: map[string][]fleetRun{}}
	// One unrecorded apply of each kind that runs first, so that no
	// measured run pays for cold caches.
	var warm []string
	if o.measures["apply"] || o.measures["plan"] {
		warm = slices.Clone(o.kinds)
	}
	if (o.runsStorm() || o.runsFleet()) && !slices.Contains(warm, kindAli) {
		warm = append(warm, kindAli)
	}
	for _, kind := range warm {
		ws, err := b.workspace(kind, 1, 0, 0)
		if err != nil {
			return nil, err
		}
		_, problem, err := ws.measure("warm-up", "-auto-approve")
		ws.close()
		if err != nil {
			return nil, err
		}
		if problem != "" {
			return nil, fmt.Errorf("warm-up apply of %s: %s", kind, problem)
		}
	}
	// The fleet's repetitions beyond -reps come last.
	for rep := range max(o.reps, o.fleetRepsRun()) {
		if rep < o.reps {
			for _, n := range o.ns {
				if err := b.measureApplyAndPlan(o, rep, n, r); err != nil {
					return nil, err
				}
			}
			if o.runsStorm() {
				if err := b.measureStorm(o, rep, r); err != nil {
					return nil, err
				}
			}
		}
		if rep < o.fleetRepsRun() {
			if err := b.measureFleet(o, rep, r); err != nil {
				return nil, err
			}
		}
	}
	return r, nil
}

// measureApplyAndPlan applies n resources of each kind and, for the
// largest N, plans the unchanged configuration. An apply that is only
// there for the plan is not recorded.
func (b *bench) measureApplyAndPlan(o options, rep, n int, r *recorder) error {
	plan := o.measures["plan"] && n == o.planN()
	if !o.measures["apply"] && !plan {
		return nil
	}
	// Rotate the order of kinds between repetitions, so that none always
	// runs first (or right after the heaviest).
	for i := range o.kinds {
		kind := o.kinds[(i+rep)%len(o.kinds)]
		ws, err := b.workspace(kind, n, 0, 0)
		if err != nil {
			return err
		}
		s, problem, err := ws.measure("apply", "-auto-approve")
		if err != nil {
			ws.close()
			return err
		}
		if o.measures["apply"] {
			r.add(key{"apply", n, kind}, s, problem)
		} else if problem != "" {
			r.problems = append(r.problems, fmt.Sprintf("apply before the plan N=%d %s: %s", n, kind, problem))
		}
		b.log("rep %d/%d apply N=%d %-14s %6.2fs  rss %s  %s", rep+1, o.reps, n, kind, s.elapsed.Seconds(), formatMiB(s.peakRSSKiB), problem)
		if plan {
			s, problem, err := ws.measure("plan", "-detailed-exitcode")
			if err != nil {
				ws.close()
				return err
			}
			r.add(key{"plan", n, kind}, s, problem)
			b.log("rep %d/%d plan  N=%d %-14s %6.2fs  %d requests  %s", rep+1, o.reps, n, kind, s.elapsed.Seconds(), s.requests, problem)
		}
		ws.close()
	}
	return nil
}
