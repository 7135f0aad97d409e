package main

import (
	"flag"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// renderReport is the Markdown the benchmark prints and writes.
func renderReport(o options, rec *recorder, inits map[string]initCost, machineLine string) string {
	samples := rec.samples
	var w strings.Builder
	fmt.Fprintf(&w, "# Benchmark of alicloud_pc_occupancy_order\n\n%s\n\n", machineLine)
	fmt.Fprintf(&w, "Method: `go run .%s` in bench/. Each cell is the median of %d interleaved run(s) (the order of the kinds rotates between repetitions), "+
		"%s"+
		"each in a fresh working directory, with Terraform's default parallelism (10), dev_overrides (no `terraform init`), "+
		"TF_IN_AUTOMATION=1 and CHECKPOINT_DISABLE=1. Times are the wall time of the whole `terraform` command. "+
		"The alicloud provider talks plain HTTP to the fake Alibaba Cloud API (internal/fakealicloud), served in-process on 127.0.0.1 and sharing the cores. "+
		"Its region holds %d circuits waiting for payment (Complete); each resource orders a circuit of its own, the rest just exist. "+
		"The fake's life cycle is on: a paid order turns its circuit Enabled %s after payment (-enable-lag; the fake's own default is 1s, but the floors have no cloud behind them, "+
		"and a lag L adds at least L × N ÷ 10 of the cloud's own time that no provider can remove, 100 s at N = 1000 for 1s, so the comparison with the floor uses none; "+
		"what is left is the provider's own waiting: its payment check and its poll of the circuit), and an Enabled circuit refuses another order. "+
		"The provider runs with its defaults: the plan-time circuit check, the payment check after each auto-paid order (QueryOrders, the list of the orders created about then, shared by every waiting create of the process; GetOrderDetail for an order a list leaves out), and the follow-up of the paid circuit to Enabled (DescribePhysicalConnections through the process's shared circuit watcher). "+
		"Peak RSS is wait4's ru_maxrss of each provider process (a wrapper runs the real provider as its child), the max over the processes Terraform starts during a run; "+
		"CPU is user+system time summed over them; the fake's is the benchmark process's own during the run, which the floors do not have and a real cloud would spend elsewhere. There are two floors. The bare floor is bench/floorprovider: the plugin framework with one state-only resource of two attributes. "+
		"The same-schema floor is bench/schemafloor: the alicloud provider block's schema and alicloud_pc_occupancy_order's "+
		"(the schemas themselves, taken from internal/provider: attributes, descriptions, defaults, validators, plan modifiers, timeouts) "+
		"and its identity schema, given the same configuration, whose Create sends nothing and only fills the computed values (with values of the lengths alicloud stores: a 15-digit order number, a request ID, a tf1- token) and stores state and identity, "+
		"and whose Read sets the identity from state when the CLI sends none, as any provider with an identity must. "+
		"Both floors switch the plugin SDK's logs off when no TF_LOG* variable is set, as the alicloud provider does. "+
		"The ratio is alicloud ÷ the same-schema floor: what the provider's own work costs. "+
		"The gap between the two floors is what Terraform and the framework pay for the schema.\n\n",
		flagsShown(), o.reps, fleetRepsNote(o), o.circuits, o.enableLag)

	w.WriteString("| Measure | N | terraform_data | bare floor | same-schema floor | alicloud | alicloud ÷ same-schema floor | peak RSS bare / same-schema / alicloud | Notes |\n")
	w.WriteString("|---|--:|--:|--:|--:|--:|--:|--:|---|\n")
	for _, measure := range []string{"apply", "plan"} {
		for _, n := range o.ns {
			if measure == "plan" && n != o.planN() {
				continue
			}
			writeTerraformRow(&w, measure, n, samples)
		}
	}
	writeStormRow(&w, o, samples)
	writeFleetRows(&w, o, rec)
	writeStartupRow(&w, o, inits)
	w.WriteString("\nA time in brackets is the range over the runs; where a note shows a list, it has one value per run. " +
		"In the notes, a triple x / y / z is the bare floor's, the same-schema floor's, then alicloud's.\n")
	writeTargets(&w, o, rec)
	return w.String()
}

// writeTerraformRow writes the row of an apply or a plan of N resources of
// every kind, if any kind ran it.
func writeTerraformRow(w *strings.Builder, measure string, n int, samples map[key][]sample) {
	d, f, sf, a := samples[key{measure, n, kindData}], samples[key{measure, n, kindFloor}], samples[key{measure, n, kindSchemaFloor}], samples[key{measure, n, kindAli}]
	if len(d)+len(f)+len(sf)+len(a) == 0 {
		return
	}
	label := "`terraform apply -auto-approve`"
	var notes []string
	if measure == "plan" {
		label = "`terraform plan`, unchanged"
		notes = append(notes, fmt.Sprintf("API requests during the plan: %s (Read is state-only); exit code %s (0: no changes)",
			listInts(a, func(s sample) int { return s.requests }), listInts(a, func(s sample) int { return s.exit })))
	} else {
		notes = append(notes, fmt.Sprintf("orders %s, duplicates %s; API requests per order %s: %s",
			listInts(a, func(s sample) int { return s.orders }), listInts(a, func(s sample) int { return s.dups }),
			listFloats(a, requestsPerOrder, "%.2f"), byActionNote(a)))
	}
	sfw := medianDuration(sf, elapsedOf)
	notes = append(notes, fmt.Sprintf("same-schema ÷ bare floor %s; provider processes per run %d / %d / %d; "+
		"CPU, Terraform + provider: terraform_data %s, bare floor %s + %s, same-schema floor %s + %s, alicloud %s + %s "+
		"(and the fake's, in the benchmark's process on the same cores: %s)",
		formatRatio(sfw, medianDuration(f, elapsedOf)),
		medianInt(f, providerProcsOf), medianInt(sf, providerProcsOf), medianInt(a, providerProcsOf),
		formatSeconds(medianDuration(d, terraformCPUOf)),
		formatSeconds(medianDuration(f, terraformCPUOf)), formatSeconds(medianDuration(f, providerCPUOf)),
		formatSeconds(medianDuration(sf, terraformCPUOf)), formatSeconds(medianDuration(sf, providerCPUOf)),
		formatSeconds(medianDuration(a, terraformCPUOf)), formatSeconds(medianDuration(a, providerCPUOf)),
		formatSeconds(medianDuration(a, fakeCPUOf))))
	fmt.Fprintf(w, "| %s | %d | %s | %s | %s | %s | %s | %s / %s / %s | %s |\n", label, n,
		elapsedCell(d), elapsedCell(f), elapsedCell(sf), elapsedCell(a), formatRatio(medianDuration(a, elapsedOf), sfw),
		formatMiB(medianInt64(f, peakRSSOf)), formatMiB(medianInt64(sf, peakRSSOf)), formatMiB(medianInt64(a, peakRSSOf)), strings.Join(notes, "; "))
}

// byActionNote lists a measure's requests per order by action, one value
// per run: the creates, the payment checks (lists and single orders), the
// circuit reads (and of them those before the first create: the plan's
// lookups), and the rest.
func byActionNote(ss []sample) string {
	note := fmt.Sprintf("%s %s, %s %s, %s %s, %s %s (before the first create, the plan's lookups: %s)",
		actionCreate, listFloats(ss, actionPerOrder(actionCreate), "%.2f"),
		actionQuery, listFloats(ss, actionPerOrder(actionQuery), "%.2f"),
		actionDetail, listFloats(ss, actionPerOrder(actionDetail), "%.2f"),
		actionDescribe, listFloats(ss, actionPerOrder(actionDescribe), "%.2f"),
		listFloats(ss, func(s sample) float64 { return perOrder(s.planDescribes, s.orders) }, "%.3f"))
	if other := listFloats(ss, otherPerOrder, "%.2f"); other != "0.00" {
		note += ", other actions " + other
	}
	return note
}

// actionPerOrder is the requests of one action per order placed.
func actionPerOrder(action string) func(sample) float64 {
	return func(s sample) float64 { return perOrder(s.byAction[action], s.orders) }
}

// nonCreatePerOrder is the requests of actions other than the create per order
// placed: what the per-order target bounds besides the create.
func nonCreatePerOrder(s sample) float64 {
	return perOrder(s.requests-s.byAction[actionCreate], s.orders)
}

// otherPerOrder is the requests of actions the report does not name.
func otherPerOrder(s sample) float64 {
	return perOrder(s.requests-s.byAction[actionCreate]-s.byAction[actionQuery]-s.byAction[actionDetail]-s.byAction[actionDescribe], s.orders)
}

// writeStartupRow writes the start-up cost of the three provider binaries,
// if it was measured.
func writeStartupRow(w *strings.Builder, o options, inits map[string]initCost) {
	f, sf, a := inits[kindFloor], inits[kindSchemaFloor], inits[kindAli]
	if a.packages == 0 {
		return
	}
	fmt.Fprintf(w, "| start-up: sum of init times (GODEBUG=inittrace=1), median of %d | 1 | – | %.2f ms | %.2f ms | %.2f ms | %s | – | "+
		"packages with init work %d / %d / %d; allocated at init %s / %s / %s in %d / %d / %d allocations |\n",
		o.initRuns, milliseconds(f.clock), milliseconds(sf.clock), milliseconds(a.clock), formatRatio(a.clock, sf.clock),
		f.packages, sf.packages, a.packages, formatKiB(f.bytes), formatKiB(sf.bytes), formatKiB(a.bytes), f.allocs, sf.allocs, a.allocs)
}

// fleetRepsNote says how many runs the fleet's medians take, and how many
// of them are interleaved with the other measures, when it runs. Why the
// fleet runs more often is bench/README's to say: a report states what it
// measured.
func fleetRepsNote(o options) string {
	if !o.runsFleet() {
		return ""
	}
	if o.fleetReps <= o.reps {
		return fmt.Sprintf("each cell of the fleet's two rows the median of %d of them, ", o.fleetReps)
	}
	return fmt.Sprintf("each cell of the fleet's two rows the median of %d runs, the first %d of them interleaved with the other measures and the rest after them (bench/README says why), ",
		o.fleetReps, o.reps)
}

// flagsShown returns the flags that differ from the defaults, for the
// method line.
func flagsShown() string {
	var s strings.Builder
	flag.Visit(func(f *flag.Flag) {
		if f.Name != "out" && f.Name != "terraform" && f.Name != "keep" {
			fmt.Fprintf(&s, " -%s=%s", f.Name, f.Value)
		}
	})
	return s.String()
}

// What the report takes the median of.
func elapsedOf(s sample) time.Duration      { return s.elapsed }
func providerCPUOf(s sample) time.Duration  { return s.providerCPU }
func terraformCPUOf(s sample) time.Duration { return s.terraformCPU }
func fakeCPUOf(s sample) time.Duration      { return s.fakeCPU }
func createPhaseOf(s sample) time.Duration  { return s.lastOrder - s.firstCreate }
func peakRSSOf(s sample) int64              { return s.peakRSSKiB }
func providerProcsOf(s sample) int          { return s.providerProcs }

func medianDuration(ss []sample, f func(sample) time.Duration) time.Duration {
	return median(ss, f, func(a, b time.Duration) time.Duration { return (a + b) / 2 })
}

func medianInt64(ss []sample, f func(sample) int64) int64 {
	return median(ss, f, func(a, b int64) int64 { return (a + b) / 2 })
}

func medianInt(ss []sample, f func(sample) int) int {
	return median(ss, f, func(a, b int) int { return (a + b) / 2 })
}

func medianFloat(ss []sample, f func(sample) float64) float64 {
	return median(ss, f, func(a, b float64) float64 { return (a + b) / 2 })
}

// median of f over ss; mid averages the middle two of an even count.
func median[T int | int64 | float64 | time.Duration](ss []sample, f func(sample) T, mid func(T, T) T) T {
	if len(ss) == 0 {
		return 0
	}
	vs := make([]T, len(ss))
	for i, s := range ss {
		vs[i] = f(s)
	}
	slices.Sort(vs)
	if len(vs)%2 == 1 {
		return vs[len(vs)/2]
	}
	return mid(vs[len(vs)/2-1], vs[len(vs)/2])
}

// listInts lists f over the runs, or gives the one value when all agree.
func listInts(ss []sample, f func(sample) int) string {
	var vs []string
	for _, s := range ss {
		vs = append(vs, strconv.Itoa(f(s)))
	}
	return joinRuns(vs)
}

// listFloats lists f over the runs in format, or gives the one value when
// all agree.
func listFloats(ss []sample, f func(sample) float64, format string) string {
	var vs []string
	for _, s := range ss {
		vs = append(vs, fmt.Sprintf(format, f(s)))
	}
	return joinRuns(vs)
}

func joinRuns(vs []string) string {
	if len(vs) == 0 {
		return "–"
	}
	if len(slices.Compact(slices.Clone(vs))) == 1 {
		return vs[0]
	}
	return strings.Join(vs, ", ")
}

// elapsedCell is the median wall time of ss, with the range when there are
// several runs.
func elapsedCell(ss []sample) string {
	m := formatSeconds(medianDuration(ss, elapsedOf))
	if len(ss) < 2 {
		return m
	}
	lo, hi := ss[0].elapsed, ss[0].elapsed
	for _, s := range ss {
		lo, hi = min(lo, s.elapsed), max(hi, s.elapsed)
	}
	return fmt.Sprintf("%s (%.2f–%.2f)", m, lo.Seconds(), hi.Seconds())
}

func formatSeconds(d time.Duration) string {
	if d == 0 {
		return "–"
	}
	return fmt.Sprintf("%.2f s", d.Seconds())
}

func milliseconds(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// formatRatio is a ÷ b, or a dash when either is missing.
func formatRatio(a, b time.Duration) string {
	if a == 0 || b == 0 {
		return "–"
	}
	return fmt.Sprintf("%.2f×", float64(a)/float64(b))
}

func formatMiB(kib int64) string {
	if kib == 0 {
		return "–"
	}
	return fmt.Sprintf("%.0f MiB", float64(kib)/1024)
}

func formatKiB(bytes int64) string { return fmt.Sprintf("%.0f KiB", float64(bytes)/1024) }
