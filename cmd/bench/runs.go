package main

import (
	"fmt"
	"slices"
)

// key names a row and column of the table.
type key struct {
	measure string // "apply", "plan", "storm" or "unlimited" (the storm without the limit)
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

// measureAll runs the warm-up, then the repetitions, each of which applies
// (and plans) every N of every kind and runs the storm. It returns the
// samples and the assertions that failed.
func (b *bench) measureAll(o options) (samples map[key][]sample, problems []string, err error) {
	samples = map[key][]sample{}
	add := func(k key, s sample, problem string) {
		samples[k] = append(samples[k], s)
		if problem != "" {
			problems = append(problems, fmt.Sprintf("%s N=%d %s: %s", k.measure, k.n, k.kind, problem))
		}
	}
	planN := o.planN()
	// One unrecorded apply of each kind first, so that no measured run pays
	// for cold caches.
	for _, kind := range kinds {
		ws, err := b.workspace(kind, 1, 0, 0)
		if err != nil {
			return nil, nil, err
		}
		_, problem, err := ws.measure("warm-up", "-auto-approve")
		ws.close()
		if err != nil {
			return nil, nil, err
		}
		if problem != "" {
			return nil, nil, fmt.Errorf("warm-up apply of %s: %s", kind, problem)
		}
	}
	for rep := range o.reps {
		for _, n := range o.ns {
			// Rotate the order of kinds between repetitions, so that none
			// always runs first (or right after the heaviest).
			for i := range kinds {
				kind := kinds[(i+rep)%len(kinds)]
				ws, err := b.workspace(kind, n, 0, 0)
				if err != nil {
					return nil, nil, err
				}
				s, problem, err := ws.measure("apply", "-auto-approve")
				if err != nil {
					ws.close()
					return nil, nil, err
				}
				add(key{"apply", n, kind}, s, problem)
				b.log("rep %d/%d apply N=%d %-14s %6.2fs  rss %s  %s", rep+1, o.reps, n, kind, s.elapsed.Seconds(), formatMiB(s.peakRSSKiB), problem)
				if n == planN {
					s, problem, err := ws.measure("plan", "-detailed-exitcode")
					if err != nil {
						ws.close()
						return nil, nil, err
					}
					add(key{"plan", n, kind}, s, problem)
					b.log("rep %d/%d plan  N=%d %-14s %6.2fs  %d requests  %s", rep+1, o.reps, n, kind, s.elapsed.Seconds(), s.requests, problem)
				}
				ws.close()
			}
		}
		// The storm, and the same apply without the rate limit, in turns.
		for i := range 2 {
			if o.storm == 0 {
				break
			}
			limited := (i+rep)%2 == 0
			measure, rate := "unlimited", 0.0
			if limited {
				measure, rate = "storm", o.stormRate
			}
			ws, err := b.workspace(kindAli, o.storm, rate, o.stormBurst)
			if err != nil {
				return nil, nil, err
			}
			s, problem, err := ws.measure(measure, "-auto-approve")
			ws.close()
			if err != nil {
				return nil, nil, err
			}
			if limited && s.dups == 0 && s.orders <= o.storm {
				problem = "" // failed creates are what the storm measures; duplicates are not
			}
			add(key{measure, o.storm, kindAli}, s, problem)
			b.log("rep %d/%d %-9s N=%d %6.2fs  failed %d  dups %d  throttled %d/%d", rep+1, o.reps, measure, o.storm, s.elapsed.Seconds(),
				o.storm-s.inState, s.dups, s.throttled, s.requests)
		}
	}
	return samples, problems, nil
}
