package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Credentials of the fake, sent in the provider block.
const (
	accessKeyPrefix = "LTAI5tBENCHACCESSKEY" // and two digits: fleetKey
	secretKey       = "bench-secret-Zq8sXv3nP0rT6wYb"
	region          = "cn-hangzhou"
)

// The kinds of resource compared.
const (
	kindData        = "terraform_data"
	kindFloor       = "floor"       // floorprovider: the bare framework
	kindSchemaFloor = "schemafloor" // schemafloor: alicloud's schema, sending nothing
	kindAli         = "alicloud"
)

var allKinds = []string{kindData, kindFloor, kindSchemaFloor, kindAli}

// Provider executables, as dev_overrides finds them.
var providerExe = map[string]string{
	kindFloor:       "terraform-provider-floor",
	kindSchemaFloor: "terraform-provider-schemafloor",
	kindAli:         "terraform-provider-alicloud",
}

// runTimeout bounds any one Terraform command, so that the benchmark ends.
const runTimeout = 20 * time.Minute

func main() {
	log := func(format string, a ...any) { fmt.Fprintf(os.Stderr, "bench: "+format+"\n", a...) }
	if err := run(log); err != nil {
		log("%v", err)
		os.Exit(1)
	}
}

// options are the command-line flags.
type options struct {
	ns          []int
	kinds       []string        // the kinds that apply and plan
	measures    map[string]bool // the measures to run
	reps        int
	fleetReps   int // repetitions of the fleet and of its process alone
	storm       int
	stormRate   float64
	stormBurst  int
	fleet       int // Terraform processes of the fleet
	fleetOrders int // orders of each
	fleetRate   float64
	fleetBurst  int
	enableLag   time.Duration
	circuits    int // the region's circuits
	initRuns    int
	out         string
	terraform   string
	providerPkg string
	keep, quick bool
	cpuProfile  string
	outDefault  bool // -out not given: results.md is resolved against the benchmark's module
}

// The measures -measures names.
var allMeasures = []string{"apply", "plan", "storm", "unlimited", "fleet", "startup"}

func parseFlags() (options, error) {
	var o options
	nList := flag.String("n", "1,100,1000", "comma-separated `list` of resource counts to apply; the largest is also planned")
	kindList := flag.String("kinds", strings.Join(allKinds, ","), "comma-separated `list` of the kinds that apply and plan")
	measureList := flag.String("measures", strings.Join(allMeasures, ","), "comma-separated `list` of the measures to run: "+strings.Join(allMeasures, ", "))
	flag.IntVar(&o.reps, "reps", 3, "interleaved repetitions of every measurement; the median is reported")
	flag.IntVar(&o.storm, "storm", 250, "orders in the throttled storm (0 skips it)")
	flag.Float64Var(&o.stormRate, "storm-rate", 25, "creates per second the fake allows during the storm")
	flag.IntVar(&o.stormBurst, "storm-burst", 2, "burst of the fake's rate limit during the storm")
	flag.IntVar(&o.fleet, "fleet", 4, "Terraform processes of the fleet, started at once in working directories of their own against one fake (0 skips the fleet)")
	flag.IntVar(&o.fleetOrders, "fleet-orders", 60, "orders each process of the fleet places, on circuits of its own")
	flag.Float64Var(&o.fleetRate, "fleet-rate", 25, "creates per second the fake allows the whole fleet")
	flag.IntVar(&o.fleetBurst, "fleet-burst", 25, "burst of the fake's rate limit during the fleet")
	flag.IntVar(&o.fleetReps, "fleet-reps", 5, "repetitions of the fleet and of its process alone, the first -reps of them interleaved with the other measures; the median is reported")
	flag.DurationVar(&o.enableLag, "enable-lag", 0, "how long after its order is paid the fake turns a circuit Enabled (its life cycle; the fake's own default is 1s)")
	flag.IntVar(&o.circuits, "circuits", 1000, "circuits waiting for payment in the fake's region, at least as many as a run orders")
	flag.IntVar(&o.initRuns, "init-runs", 5, "runs of each provider binary under GODEBUG=inittrace=1")
	flag.StringVar(&o.out, "out", "results.md", "write the results to this `file`, by default results.md beside bench/go.mod (a run narrowed by -quick, -kinds or -measures writes only to an -out given)")
	flag.StringVar(&o.providerPkg, "provider-pkg", ".", "the Go `package` to build as terraform-provider-alicloud, relative to the provider's module root (another build of it, to compare)")
	flag.StringVar(&o.terraform, "terraform", "", "the Terraform CLI `path` (default: what scripts/ensure-terraform.sh prints)")
	flag.BoolVar(&o.keep, "keep", false, "keep the temporary directory (binaries, logs, working directories)")
	flag.StringVar(&o.cpuProfile, "cpuprofile", "", "write a CPU profile of the benchmark's own process (the in-process fake, mostly) to this `file`")
	flag.BoolVar(&o.quick, "quick", false, "smoke check: -n 1,100 -reps 1 -storm 100 -fleet-orders 30 -fleet-reps 1")
	flag.Parse()
	if flag.NArg() > 0 {
		return o, fmt.Errorf("unexpected arguments %q", flag.Args())
	}
	if o.quick {
		*nList, o.reps, o.storm, o.fleetOrders, o.fleetReps = "1,100", 1, 100, 30, 1
	}
	if strings.TrimSpace(*nList) != "" { // -n '' measures the storm and start-up only
		for _, f := range strings.Split(*nList, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(f))
			if err != nil || n < 1 {
				return o, fmt.Errorf("-n: %q is not a positive count", f)
			}
			o.ns = append(o.ns, n)
		}
	}
	var err error
	if o.kinds, err = parseNames("-kinds", *kindList, allKinds); err != nil {
		return o, err
	}
	measures, err := parseNames("-measures", *measureList, allMeasures)
	if err != nil {
		return o, err
	}
	o.measures = map[string]bool{}
	for _, m := range measures {
		o.measures[m] = true
	}
	// A narrowed run does not replace the full run's report by default.
	outGiven := false
	flag.Visit(func(f *flag.Flag) { outGiven = outGiven || f.Name == "out" })
	if !outGiven && (o.quick || len(o.kinds) < len(allKinds) || len(o.measures) < len(allMeasures)) {
		o.out = ""
	}
	o.outDefault = !outGiven
	if o.reps < 1 || o.initRuns < 1 || o.storm < 0 || o.stormRate <= 0 || o.stormBurst < 1 {
		return o, errors.New("-reps, -init-runs and -storm-burst must be at least 1, -storm at least 0, -storm-rate positive")
	}
	if o.fleet < 0 || o.fleetOrders < 1 || o.fleetReps < 1 || o.fleetRate <= 0 || o.fleetBurst < 1 || o.enableLag < 0 || o.circuits < 1 {
		return o, errors.New("-fleet must be at least 0, -fleet-orders, -fleet-reps, -fleet-burst and -circuits at least 1, -fleet-rate positive, -enable-lag not negative")
	}
	return o, nil
}

// parseNames splits a comma-separated list of names, each one of allowed,
// and keeps the order of allowed.
func parseNames(flagName, list string, allowed []string) ([]string, error) {
	var names []string
	for _, f := range strings.Split(list, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		if !slices.Contains(allowed, f) {
			return nil, fmt.Errorf("%s: %q is not one of %s", flagName, f, strings.Join(allowed, ", "))
		}
		names = append(names, f)
	}
	var ordered []string
	for _, a := range allowed {
		if slices.Contains(names, a) {
			ordered = append(ordered, a)
		}
	}
	return ordered, nil
}

func run(log func(string, ...any)) error {
	o, err := parseFlags()
	if err != nil {
		return err
	}
	root, err := findRoots()
	if err != nil {
		return err
	}
	if o.cpuProfile != "" {
		f, err := os.Create(o.cpuProfile)
		if err != nil {
			return err
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			f.Close() //nolint:errcheck // The profile's own failure is the one to report.
			return err
		}
		defer func() {
			pprof.StopCPUProfile()
			if err := f.Close(); err != nil {
				log("writing the CPU profile: %v", err)
			}
		}()
	}
	if o.outDefault && o.out != "" {
		o.out = filepath.Join(root.bench, o.out)
	}
	tmp, err := os.MkdirTemp("", "tfbench-")
	if err != nil {
		return err
	}
	if o.keep {
		log("keeping %s", tmp)
	} else {
		defer func() {
			if err := os.RemoveAll(tmp); err != nil {
				log("removing the temporary directory: %v", err)
			}
		}()
	}
	b := &bench{log: log, tmp: tmp, realDir: filepath.Join(tmp, "real"), enableLag: o.enableLag, regionCircuits: o.circuits}
	if err := b.setup(root, o.providerPkg, o.terraform); err != nil {
		return err
	}
	tfVersion, err := b.terraformVersion()
	if err != nil {
		return err
	}

	start, loadAtStart := time.Now(), loadAverage()
	rec, err := b.measureAll(o)
	if err != nil {
		return err
	}
	inits := map[string]initCost{}
	for _, kind := range []string{kindFloor, kindSchemaFloor, kindAli} {
		if !o.measures["startup"] {
			break
		}
		if inits[kind], err = b.initCost(providerExe[kind], o.initRuns); err != nil {
			return err
		}
	}
	log("measured in %s", time.Since(start).Round(time.Second))

	report := renderReport(o, rec, inits, describeMachine(tfVersion, loadAtStart))
	fmt.Print(report)
	if o.out == "" {
		log("not writing the report of a narrowed run; give -out to write it")
	} else {
		if err := os.MkdirAll(filepath.Dir(o.out), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(o.out, []byte(report), 0o644); err != nil {
			return err
		}
		log("wrote %s", o.out)
	}
	if len(rec.problems) > 0 {
		return fmt.Errorf("%d assertion(s) failed:\n  %s", len(rec.problems), strings.Join(rec.problems, "\n  "))
	}
	return nil
}
