// Command bench measures what alicloud_pc_occupancy_order costs on top of
// Terraform (issue 5), against three floors: Terraform alone (built-in
// terraform_data resources), the bare plugin framework (cmd/bench/floorprovider,
// one state-only resource of two attributes) and the same-schema floor
// (cmd/bench/schemafloor: alicloud's provider and resource schema, sending
// nothing). Its ratios are alicloud ÷ the same-schema floor. Run it from the
// module root:
//
//	go run ./cmd/bench                # the full run, about 10 minutes on 2 cores
//	go run ./cmd/bench -quick         # N = 1,100, one repetition, a storm of 100
//	go run ./cmd/bench -n '' -provider-pkg ./some/variant   # the storm only, of another build
//
// It builds the alicloud provider, the two floor providers and cmd/bench/rsswrap
// into a temporary directory, starts the fake VPC API (internal/fakealicloud)
// in-process on 127.0.0.1 for each alicloud run, and points Terraform at the
// providers with a CLI configuration of its own (dev_overrides, so no
// `terraform init` and no network). Every run gets a fresh working
// directory. It measures, with interleaved repetitions and their median:
//
//   - `terraform apply -auto-approve` of N resources of each kind: wall time,
//     the ratio to the same-schema floor, and the peak RSS of the provider
//     processes (rsswrap stands in for each provider and records wait4's
//     ru_maxrss of the real one; the max over a run's processes is kept);
//   - `terraform plan` of the unchanged configuration of the largest N,
//     asserting that it plans no change and sends no request to the API;
//   - a storm: an apply of -storm orders while the fake throttles creates to
//     -storm-rate per second, against the floor that rate sets, counting
//     failed resources, duplicate orders, throttled requests and retries,
//     and timing the creates (first request to last order) apart from the
//     plan before them; the same apply without the rate limit runs in turn
//     with it, as the storm's other reference;
//   - the start-up cost of each provider binary: the sum of the init times
//     GODEBUG=inittrace=1 reports.
//
// It prints one Markdown table with a line naming the machine and the
// method, writes the same to -out, and exits 1 if an assertion failed.
//
// The files: main.go (the flags, and run from setup to report), setup.go
// (building the binaries, Terraform's version and CLI configuration),
// runs.go (the order of the measured runs), configuration.go (each kind's
// main.tf), workspace.go (a working directory and one measured Terraform
// command: its RSS log, the fake's requests, the state), startup.go (the
// init cost of a binary), report.go (the Markdown, medians and formatting).
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Credentials of the fake, sent in the provider block.
const (
	accessKey = "LTAI5tBENCHACCESSKEY01"
	secretKey = "bench-secret-Zq8sXv3nP0rT6wYb"
	region    = "cn-hangzhou"
)

// The kinds of resource compared.
const (
	kindData        = "terraform_data"
	kindFloor       = "floor"       // cmd/bench/floorprovider: the bare framework
	kindSchemaFloor = "schemafloor" // cmd/bench/schemafloor: alicloud's schema, sending nothing
	kindAli         = "alicloud"
)

var kinds = []string{kindData, kindFloor, kindSchemaFloor, kindAli}

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
	reps        int
	storm       int
	stormRate   float64
	stormBurst  int
	initRuns    int
	out         string
	terraform   string
	providerPkg string
	keep, quick bool
}

func parseFlags() (options, error) {
	var o options
	nList := flag.String("n", "1,100,1000", "comma-separated `list` of resource counts to apply; the largest is also planned")
	flag.IntVar(&o.reps, "reps", 3, "repetitions of every measurement; the median is reported")
	flag.IntVar(&o.storm, "storm", 500, "orders in the throttled storm (0 skips it)")
	flag.Float64Var(&o.stormRate, "storm-rate", 50, "creates per second the fake allows during the storm")
	flag.IntVar(&o.stormBurst, "storm-burst", 2, "burst of the fake's rate limit during the storm")
	flag.IntVar(&o.initRuns, "init-runs", 5, "runs of each provider binary under GODEBUG=inittrace=1")
	flag.StringVar(&o.out, "out", "bench/results.md", "write the results to this `file`")
	flag.StringVar(&o.providerPkg, "provider-pkg", ".", "the Go `package` to build as terraform-provider-alicloud (another build of it, to compare)")
	flag.StringVar(&o.terraform, "terraform", "", "the Terraform CLI `path` (default: what scripts/ensure-terraform.sh prints)")
	flag.BoolVar(&o.keep, "keep", false, "keep the temporary directory (binaries, logs, working directories)")
	flag.BoolVar(&o.quick, "quick", false, "smoke check: -n 1,100 -reps 1 -storm 100")
	flag.Parse()
	if flag.NArg() > 0 {
		return o, fmt.Errorf("unexpected arguments %q", flag.Args())
	}
	if o.quick {
		*nList, o.reps, o.storm = "1,100", 1, 100
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
	if o.reps < 1 || o.initRuns < 1 || o.storm < 0 || o.stormRate <= 0 {
		return o, errors.New("-reps and -init-runs must be at least 1, -storm at least 0, -storm-rate positive")
	}
	return o, nil
}

func run(log func(string, ...any)) error {
	o, err := parseFlags()
	if err != nil {
		return err
	}
	root, err := moduleRoot()
	if err != nil {
		return err
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
	b := &bench{log: log, tmp: tmp, realDir: filepath.Join(tmp, "real")}
	if err := b.setup(root, o.providerPkg, o.terraform); err != nil {
		return err
	}
	tfVersion, err := b.terraformVersion()
	if err != nil {
		return err
	}

	start := time.Now()
	samples, problems, err := b.measureAll(o)
	if err != nil {
		return err
	}
	inits := map[string]initCost{}
	for _, kind := range []string{kindFloor, kindSchemaFloor, kindAli} {
		if inits[kind], err = b.initCost(providerExe[kind], o.initRuns); err != nil {
			return err
		}
	}
	log("measured in %s", time.Since(start).Round(time.Second))

	report := renderReport(o, samples, inits, describeMachine(tfVersion))
	fmt.Print(report)
	if err := os.MkdirAll(filepath.Dir(o.out), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(o.out, []byte(report), 0o644); err != nil {
		return err
	}
	log("wrote %s", o.out)
	if len(problems) > 0 {
		return fmt.Errorf("%d assertion(s) failed:\n  %s", len(problems), strings.Join(problems, "\n  "))
	}
	return nil
}
