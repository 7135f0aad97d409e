// Command bench measures what alicloud_pc_occupancy_order costs on top of
// Terraform (issue 5), against two floors: Terraform alone (built-in
// terraform_data resources) and the bare plugin framework (cmd/bench/floorprovider,
// one state-only resource). Run it from the module root:
//
//	go run ./cmd/bench                # the full run, about 10 minutes on 2 cores
//	go run ./cmd/bench -quick         # N = 1,100, one repetition, a storm of 100
//	go run ./cmd/bench -n '' -provider-pkg ./some/variant   # the storm only, of another build
//
// It builds the alicloud provider, the floor provider and cmd/bench/rsswrap
// into a temporary directory, starts the fake VPC API (internal/fakealicloud)
// in-process on 127.0.0.1 for each alicloud run, and points Terraform at the
// providers with a CLI configuration of its own (dev_overrides, so no
// `terraform init` and no network). Every run gets a fresh working
// directory. It measures, with interleaved repetitions and their median:
//
//   - `terraform apply -auto-approve` of N resources of each kind: wall time,
//     the ratio to the floor provider, and the peak RSS of the provider
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
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pcorder/terraform-provider-alicloud/internal/fakealicloud"
)

// Credentials of the fake, sent in the provider block.
const (
	accessKey = "LTAI5tBENCHACCESSKEY01"
	secretKey = "bench-secret-Zq8sXv3nP0rT6wYb"
	region    = "cn-hangzhou"
)

// The kinds of resource compared.
const (
	kindData  = "terraform_data"
	kindFloor = "floor"
	kindAli   = "alicloud"
)

var kinds = []string{kindData, kindFloor, kindAli}

// Provider executables, as dev_overrides finds them.
var providerExe = map[string]string{kindFloor: "terraform-provider-floor", kindAli: "terraform-provider-alicloud"}

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

// bench holds what every run shares.
type bench struct {
	log     func(string, ...any)
	tf      string   // the Terraform CLI
	tmp     string   // everything the benchmark writes
	realDir string   // the real provider binaries
	env     []string // Terraform's environment, without RSSWRAP_LOG
	runs    int      // counts runs, to name their logs
}

// sample is one measured Terraform command.
type sample struct {
	wall  time.Duration
	exit  int
	procs int           // provider processes started
	rss   int64         // KiB, max over the provider processes
	cpu   time.Duration // user+system CPU, summed over the provider processes
	tfCPU time.Duration // user+system CPU of Terraform itself
	// The fake's view, for alicloud runs.
	requests, throttled, orders, dups, inState int
	retried, maxAttempts                       int           // orders sent more than once; most sends of one order
	firstReq, lastOrder                        time.Duration // since the command started
}

// key names a row and column of the table.
type key struct {
	measure string // "apply", "plan", "storm" or "unlimited" (the storm without the limit)
	n       int
	kind    string
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

	samples := map[key][]sample{}
	var problems []string
	add := func(k key, s sample, problem string) {
		samples[k] = append(samples[k], s)
		if problem != "" {
			problems = append(problems, fmt.Sprintf("%s N=%d %s: %s", k.measure, k.n, k.kind, problem))
		}
	}
	planN := 0
	if len(o.ns) > 0 {
		planN = slices.Max(o.ns)
	}
	start := time.Now()
	// One unrecorded apply of each kind first, so that no measured run pays
	// for cold caches.
	for _, kind := range kinds {
		ws, err := b.workspace(kind, 1, 0, 0)
		if err != nil {
			return err
		}
		_, problem, err := ws.measure("warm-up", "-auto-approve")
		ws.close()
		if err != nil {
			return err
		}
		if problem != "" {
			return fmt.Errorf("warm-up apply of %s: %s", kind, problem)
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
					return err
				}
				s, problem, err := ws.measure("apply", "-auto-approve")
				if err != nil {
					ws.close()
					return err
				}
				add(key{"apply", n, kind}, s, problem)
				log("rep %d/%d apply N=%d %-14s %6.2fs  rss %s  %s", rep+1, o.reps, n, kind, s.wall.Seconds(), mib(s.rss), problem)
				if n == planN {
					s, problem, err := ws.measure("plan", "-detailed-exitcode")
					if err != nil {
						ws.close()
						return err
					}
					add(key{"plan", n, kind}, s, problem)
					log("rep %d/%d plan  N=%d %-14s %6.2fs  %d requests  %s", rep+1, o.reps, n, kind, s.wall.Seconds(), s.requests, problem)
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
			add(key{measure, o.storm, kindAli}, s, problem)
			log("rep %d/%d %-9s N=%d %6.2fs  failed %d  dups %d  throttled %d/%d", rep+1, o.reps, measure, o.storm, s.wall.Seconds(),
				o.storm-s.inState, s.dups, s.throttled, s.requests)
		}
	}
	inits := map[string]initCost{}
	for _, kind := range []string{kindFloor, kindAli} {
		if inits[kind], err = b.initCost(providerExe[kind], o.initRuns); err != nil {
			return err
		}
	}
	log("measured in %s", time.Since(start).Round(time.Second))

	report := renderReport(o, samples, inits, machine(tfVersion), planN)
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

// moduleRoot returns the directory of the go.mod in force.
func moduleRoot() (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	gomod := strings.TrimSpace(string(out))
	if err != nil || gomod == "" || gomod == os.DevNull {
		return "", fmt.Errorf("run from inside the module: go env GOMOD says %q (%v)", gomod, err)
	}
	return filepath.Dir(gomod), nil
}

// setup builds the binaries, finds Terraform and writes its CLI
// configuration and environment.
func (b *bench) setup(root, providerPkg, terraform string) error {
	wrapper := filepath.Join(b.tmp, "rsswrap")
	for _, build := range [][2]string{
		{filepath.Join(b.realDir, providerExe[kindAli]), providerPkg},
		{filepath.Join(b.realDir, providerExe[kindFloor]), "./cmd/bench/floorprovider"},
		{wrapper, "./cmd/bench/rsswrap"},
	} {
		b.log("go build -o %s %s", build[0], build[1])
		cmd := exec.Command("go", "build", "-o", build[0], build[1])
		cmd.Dir, cmd.Stdout, cmd.Stderr = root, os.Stderr, os.Stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("go build %s: %w", build[1], err)
		}
	}
	// Each provider's dev_overrides directory holds only rsswrap, under the
	// provider's name; rsswrap runs the real one from realDir.
	overrides := map[string]string{}
	for kind, exe := range providerExe {
		dir := filepath.Join(b.tmp, "wrap", kind)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		if err := os.Link(wrapper, filepath.Join(dir, exe)); err != nil {
			return err
		}
		overrides[kind] = dir
	}
	cliConfig := filepath.Join(b.tmp, "terraformrc")
	err := os.WriteFile(cliConfig, []byte(fmt.Sprintf(`disable_checkpoint = true
provider_installation {
  dev_overrides {
    "registry.terraform.io/pcorder/alicloud" = %q
    "registry.terraform.io/bench/floor"      = %q
  }
  direct {}
}
`, overrides[kindAli], overrides[kindFloor])), 0o644)
	if err != nil {
		return err
	}

	if b.tf = terraform; b.tf == "" {
		cmd := exec.Command("bash", "scripts/ensure-terraform.sh")
		cmd.Dir, cmd.Stderr = root, os.Stderr
		out, err := cmd.Output()
		if err != nil {
			return fmt.Errorf("scripts/ensure-terraform.sh: %w", err)
		}
		b.tf = strings.TrimSpace(string(out))
	}

	// Terraform's environment: ours, less anything that configures
	// Terraform or the provider from outside.
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "TF_") || strings.HasPrefix(name, "ALICLOUD_") || strings.HasPrefix(name, "ALIBABA_CLOUD_") ||
			name == "CHECKPOINT_DISABLE" || name == "GODEBUG" || name == "DEBUG" {
			continue
		}
		b.env = append(b.env, kv)
	}
	b.env = append(b.env,
		"TF_CLI_CONFIG_FILE="+cliConfig,
		"TF_IN_AUTOMATION=1",
		"CHECKPOINT_DISABLE=1",
		"NO_PROXY=127.0.0.1,localhost",
		"RSSWRAP_REAL_DIR="+b.realDir,
	)
	return nil
}

func (b *bench) terraformVersion() (string, error) {
	cmd := exec.Command(b.tf, "version", "-json")
	cmd.Env = b.env
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("%s version: %w", b.tf, err)
	}
	var v struct {
		Version string `json:"terraform_version"`
	}
	if err := json.Unmarshal(out, &v); err != nil {
		return "", fmt.Errorf("%s version -json: %w", b.tf, err)
	}
	return "v" + v.Version, nil
}

// workspace is one fresh working directory with a configuration of n
// resources of one kind and, for alicloud, its own fake VPC API.
type workspace struct {
	b    *bench
	dir  string
	kind string
	n    int
	fake *fakealicloud.Server
}

// workspace writes the configuration of n resources of kind. For alicloud
// it starts a fake knowing n physical connections, limited to rate creates
// per second when rate > 0.
func (b *bench) workspace(kind string, n int, rate float64, burst int) (*workspace, error) {
	dir, err := os.MkdirTemp(b.tmp, "run-")
	if err != nil {
		return nil, err
	}
	ws := &workspace{b: b, dir: dir, kind: kind, n: n}
	var cfg strings.Builder
	switch kind {
	case kindData:
	case kindFloor:
		cfg.WriteString("terraform {\n  required_providers {\n    floor = { source = \"bench/floor\" }\n  }\n}\n\nprovider \"floor\" {}\n")
	case kindAli:
		ws.fake = fakealicloud.New(fakealicloud.Config{Credentials: map[string]fakealicloud.Credential{accessKey: {AccessKeySecret: secretKey}}})
		for i := range n {
			ws.fake.AddPhysicalConnection(pcID(i), region, "Enabled")
		}
		if rate > 0 {
			ws.fake.SetRateLimit(rate, burst)
		}
		addr, err := ws.fake.Start()
		if err != nil {
			ws.close()
			return nil, err
		}
		fmt.Fprintf(&cfg, `terraform {
  required_providers {
    alicloud = { source = "pcorder/alicloud" }
  }
}

provider "alicloud" {
  region     = %q
  access_key = %q
  secret_key = %q
  protocol   = "HTTP"
  endpoints {
    vpc = %q
  }
}
`, region, accessKey, secretKey, addr)
	}
	for i := range n {
		switch kind {
		case kindData:
			fmt.Fprintf(&cfg, "\nresource \"terraform_data\" \"r%d\" {\n  input = %q\n}\n", i, pcID(i))
		case kindFloor:
			fmt.Fprintf(&cfg, "\nresource \"floor_thing\" \"r%d\" {\n  name = %q\n}\n", i, pcID(i))
		case kindAli:
			fmt.Fprintf(&cfg, "\nresource \"alicloud_pc_occupancy_order\" \"r%d\" {\n  physical_connection_id = %q\n}\n", i, pcID(i))
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(cfg.String()), 0o644); err != nil {
		ws.close()
		return nil, err
	}
	return ws, nil
}

func pcID(i int) string { return fmt.Sprintf("pc-bench%06d", i) }

func (ws *workspace) close() {
	if ws.fake != nil {
		ws.fake.Close()
	}
	os.RemoveAll(ws.dir) //nolint:errcheck // Under tmp, which goes too.
}

// measure runs `terraform plan -input=false -no-color args...` for the
// measure "plan", `terraform apply ...` for any other, and checks its outcome: problem is "" when the run did
// what it should (an apply created every resource, exactly one order each;
// a plan found no change and sent no request).
func (ws *workspace) measure(measure string, args ...string) (s sample, problem string, err error) {
	b := ws.b
	b.runs++
	name := fmt.Sprintf("%03d-%s-%d-%s", b.runs, measure, ws.n, ws.kind)
	logPath := filepath.Join(b.tmp, "logs", name+".log")
	rssLog := filepath.Join(b.tmp, "rss", name)
	for _, p := range []string{logPath, rssLog} {
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return s, "", err
		}
	}
	logFile, err := os.Create(logPath)
	if err != nil {
		return s, "", err
	}
	defer func() { _ = logFile.Close() }() // only read back for a failure's tail

	command := measure
	if command != "plan" {
		command = "apply"
	}
	var before int
	if ws.fake != nil {
		before = len(ws.fake.Requests())
	}
	ctx, cancel := context.WithTimeout(context.Background(), runTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, b.tf, append([]string{command, "-input=false", "-no-color"}, args...)...)
	cmd.Dir, cmd.Stdout, cmd.Stderr = ws.dir, logFile, logFile
	cmd.Env = append(slices.Clip(b.env), "RSSWRAP_LOG="+rssLog)
	start := time.Now()
	err = cmd.Run()
	s.wall = time.Since(start)
	var exitErr *exec.ExitError
	if err != nil && !errors.As(err, &exitErr) {
		return s, "", fmt.Errorf("%s: %w", name, err)
	}
	s.exit = cmd.ProcessState.ExitCode()

	if err := readRSSLog(rssLog, &s); err != nil {
		return s, "", err
	}
	// wait4 counts the descendants Terraform waited for (the wrappers, so
	// the providers) in Terraform's own usage.
	s.tfCPU = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime() - s.cpu
	if s.inState, err = countState(filepath.Join(ws.dir, "terraform.tfstate")); err != nil {
		return s, "", err
	}
	if ws.fake != nil {
		reqs := ws.fake.Requests()[before:]
		s.requests = len(reqs)
		for _, r := range reqs {
			if r.Code == "Throttling.User" {
				s.throttled++
			}
			if r.Code == "" && r.HTTPStatus == 200 && r.Time.Sub(start) > s.lastOrder {
				s.lastOrder = r.Time.Sub(start)
			}
		}
		if len(reqs) > 0 {
			s.firstReq = reqs[0].Time.Sub(start)
		}
		// Every attempt of one create carries the same client token.
		attempts := map[string]int{}
		for _, r := range reqs {
			attempts[r.Params["ClientToken"]]++
		}
		for _, a := range attempts {
			if a > 1 {
				s.retried++
			}
			s.maxAttempts = max(s.maxAttempts, a)
		}
		orders := ws.fake.Orders()
		s.orders = len(orders)
		seen := map[string]bool{}
		for _, o := range orders {
			if seen[o.PhysicalConnectionID] {
				s.dups++
			}
			seen[o.PhysicalConnectionID] = true
		}
	}

	var problems []string
	switch {
	case command == "plan" && s.exit == 2:
		problems = append(problems, "the plan of the unchanged configuration has changes")
	case s.exit != 0:
		problems = append(problems, fmt.Sprintf("terraform %s exited %d", command, s.exit))
	}
	if s.inState != ws.n {
		problems = append(problems, fmt.Sprintf("%d of %d resources in state", s.inState, ws.n))
	}
	if ws.fake != nil {
		if command == "plan" && s.requests != 0 {
			problems = append(problems, fmt.Sprintf("the plan sent %d requests to the API", s.requests))
		}
		if s.orders != ws.n || s.dups != 0 {
			problems = append(problems, fmt.Sprintf("%d orders (%d duplicates) for %d resources", s.orders, s.dups, ws.n))
		}
	}
	if len(problems) > 0 && measure != "storm" {
		logFile.Sync() //nolint:errcheck // Best effort, for the tail below.
		b.log("%s: %s; the end of %s:\n%s", name, strings.Join(problems, "; "), logPath, tail(logPath, 15))
	}
	return s, strings.Join(problems, "; "), nil
}

// readRSSLog adds up the lines rsswrap wrote for a run.
func readRSSLog(path string, s *sample) error {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil // no provider process (terraform_data)
	}
	if err != nil {
		return err
	}
	defer func() { _ = f.Close() }() // read-only
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var (
			name                        string
			pid, rss, cpuUS, wall, exit int64
		)
		if _, err := fmt.Sscan(sc.Text(), &name, &pid, &rss, &cpuUS, &wall, &exit); err != nil {
			return fmt.Errorf("%s: %q: %w", path, sc.Text(), err)
		}
		s.procs++
		s.rss = max(s.rss, rss)
		s.cpu += time.Duration(cpuUS) * time.Microsecond
	}
	return sc.Err()
}

// countState counts the resource instances in a local state file.
func countState(path string) (int, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	var st struct {
		Resources []struct {
			Mode      string            `json:"mode"`
			Instances []json.RawMessage `json:"instances"`
		} `json:"resources"`
	}
	if err := json.Unmarshal(data, &st); err != nil {
		return 0, fmt.Errorf("%s: %w", path, err)
	}
	n := 0
	for _, r := range st.Resources {
		if r.Mode == "managed" {
			n += len(r.Instances)
		}
	}
	return n, nil
}

func tail(path string, lines int) string {
	data, _ := os.ReadFile(path)
	ls := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	return "  " + strings.Join(ls[max(0, len(ls)-lines):], "\n  ")
}

// initCost is what GODEBUG=inittrace=1 reports for one start of a binary.
type initCost struct {
	clock    time.Duration // sum of the packages' init clock times (median over runs)
	packages int
	bytes    int64
	allocs   int64
}

var initLine = regexp.MustCompile(`^init (\S+) @[0-9.]+ ms, ([0-9.]+) ms clock, ([0-9]+) bytes, ([0-9]+) allocs`)

// initCost starts a provider binary runs times outside Terraform, where it
// runs its package initialisers, says it is a plugin and exits, and sums
// the init lines the runtime writes to standard error.
func (b *bench) initCost(exe string, runs int) (initCost, error) {
	var costs []initCost
	for range runs {
		cmd := exec.Command(filepath.Join(b.realDir, exe))
		cmd.Env = append(slices.Clip(b.env), "GODEBUG=inittrace=1")
		var stderr bytes.Buffer
		cmd.Stderr, cmd.Stdout = &stderr, io.Discard
		cmd.Run() //nolint:errcheck // It exits 1: not started by Terraform.
		var c initCost
		for _, line := range strings.Split(stderr.String(), "\n") {
			m := initLine.FindStringSubmatch(line)
			if m == nil {
				continue
			}
			ms, _ := strconv.ParseFloat(m[2], 64)
			by, _ := strconv.ParseInt(m[3], 10, 64)
			al, _ := strconv.ParseInt(m[4], 10, 64)
			c.clock += time.Duration(ms * float64(time.Millisecond))
			c.packages++
			c.bytes += by
			c.allocs += al
		}
		if c.packages == 0 {
			return c, fmt.Errorf("%s printed no inittrace lines: %q", exe, tail2(stderr.String()))
		}
		costs = append(costs, c)
	}
	slices.SortFunc(costs, func(x, y initCost) int { return int(x.clock - y.clock) })
	return costs[len(costs)/2], nil
}

func tail2(s string) string {
	if len(s) > 300 {
		return s[len(s)-300:]
	}
	return s
}

// machine names the machine and the tools, on one line.
func machine(tfVersion string) string {
	arch, _ := exec.Command("uname", "-m").Output()
	cpu := "unknown CPU"
	if data, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(data), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				cpu = strings.TrimSpace(v)
				break
			}
		}
	}
	return fmt.Sprintf("Machine: %s, %s, %d cores; %s; Terraform %s; %s.",
		strings.TrimSpace(string(arch)), cpu, runtime.NumCPU(), runtime.Version(), tfVersion,
		time.Now().UTC().Format("2006-01-02 15:04 MST"))
}

// renderReport is the Markdown the benchmark prints and writes.
func renderReport(o options, samples map[key][]sample, inits map[string]initCost, machineLine string, planN int) string {
	var w strings.Builder
	fmt.Fprintf(&w, "# Benchmark of alicloud_pc_occupancy_order (issue 5)\n\n%s\n\n", machineLine)
	fmt.Fprintf(&w, "Method: `go run ./cmd/bench%s`. Each cell is the median of %d interleaved run(s) (the order of the kinds rotates between repetitions), "+
		"each in a fresh working directory, with Terraform's default parallelism (10), dev_overrides (no `terraform init`), "+
		"TF_IN_AUTOMATION=1 and CHECKPOINT_DISABLE=1. Times are the wall time of the whole `terraform` command. "+
		"The alicloud provider talks plain HTTP to the fake VPC API (internal/fakealicloud), served in-process on 127.0.0.1 and sharing the cores. "+
		"Peak RSS is wait4's ru_maxrss of each provider process (a wrapper runs the real provider as its child), the max over the processes Terraform starts during a run; "+
		"CPU is user+system time summed over them. The floor is cmd/bench/floorprovider: the plugin framework with one state-only resource.\n\n",
		flagsShown(), o.reps)

	w.WriteString("| Measure | N | terraform_data | floor provider | alicloud | alicloud ÷ floor | peak RSS floor / alicloud | Notes |\n")
	w.WriteString("|---|--:|--:|--:|--:|--:|--:|---|\n")
	for _, measure := range []string{"apply", "plan"} {
		for _, n := range o.ns {
			if measure == "plan" && n != planN {
				continue
			}
			d, f, a := samples[key{measure, n, kindData}], samples[key{measure, n, kindFloor}], samples[key{measure, n, kindAli}]
			if len(a) == 0 {
				continue
			}
			label := "`terraform apply -auto-approve`"
			var notes []string
			if measure == "plan" {
				label = "`terraform plan`, unchanged"
				notes = append(notes, fmt.Sprintf("API requests during the plan: %s (Read is state-only); exit code %s (0: no changes)",
					joinInts(a, func(s sample) int { return s.requests }), joinInts(a, func(s sample) int { return s.exit })))
			} else {
				notes = append(notes, fmt.Sprintf("orders %s, duplicates %s", joinInts(a, func(s sample) int { return s.orders }),
					joinInts(a, func(s sample) int { return s.dups })))
			}
			notes = append(notes, fmt.Sprintf("provider processes per run %d / %d; CPU, Terraform + provider: terraform_data %s, floor %s + %s, alicloud %s + %s",
				medianInt(f, func(s sample) int { return s.procs }), medianInt(a, func(s sample) int { return s.procs }),
				secs(medianDur(d, tfCPU)), secs(medianDur(f, tfCPU)), secs(medianDur(f, cpu)), secs(medianDur(a, tfCPU)), secs(medianDur(a, cpu))))
			fw, aw := medianDur(f, wall), medianDur(a, wall)
			fmt.Fprintf(&w, "| %s | %d | %s | %s | %s | %s | %s / %s | %s |\n", label, n,
				wallCell(d), wallCell(f), wallCell(a), ratio(aw, fw),
				mib(medianInt64(f, rss)), mib(medianInt64(a, rss)), strings.Join(notes, "; "))
		}
	}
	if st := samples[key{"storm", o.storm, kindAli}]; len(st) > 0 {
		rateFloor := time.Duration(float64(o.storm) / o.stormRate * float64(time.Second))
		aw := medianDur(st, wall)
		creates := medianDur(st, func(s sample) time.Duration { return s.lastOrder - s.firstReq })
		un := samples[key{"unlimited", o.storm, kindAli}]
		uw := medianDur(un, wall)
		ucreates := medianDur(un, func(s sample) time.Duration { return s.lastOrder - s.firstReq })
		fmt.Fprintf(&w, "| storm: `terraform apply` while creates are throttled to %g/s (burst %d); its floor is N ÷ rate | %d | – | %s (N ÷ rate) | %s | %s | – / %s | "+
			"failed resources %s, orders %s, duplicates %s, throttled %s of %s requests; orders sent more than once %s, at most %s times. "+
			"First request after %s; creates (first request to last order) took %s, %s the rate's floor. "+
			"The same apply without the rate limit: %s, creates %s; the storm took %s that |\n",
			o.stormRate, o.stormBurst, o.storm, secs(rateFloor), wallCell(st), ratio(aw, rateFloor), mib(medianInt64(st, rss)),
			joinInts(st, func(s sample) int { return o.storm - s.inState }), joinInts(st, func(s sample) int { return s.orders }),
			joinInts(st, func(s sample) int { return s.dups }), joinInts(st, func(s sample) int { return s.throttled }),
			joinInts(st, func(s sample) int { return s.requests }),
			joinInts(st, func(s sample) int { return s.retried }), joinInts(st, func(s sample) int { return s.maxAttempts }),
			secs(medianDur(st, func(s sample) time.Duration { return s.firstReq })), secs(creates), ratio(creates, rateFloor),
			secs(uw), secs(ucreates), ratio(aw, uw))
	}
	if f, a := inits[kindFloor], inits[kindAli]; a.packages > 0 {
		fmt.Fprintf(&w, "| start-up: sum of init times (GODEBUG=inittrace=1), median of %d | 1 | – | %.2f ms | %.2f ms | %s | – | "+
			"packages with init work %d / %d; allocated at init %s / %s in %d / %d allocations |\n",
			o.initRuns, ms(f.clock), ms(a.clock), ratio(a.clock, f.clock),
			f.packages, a.packages, kib(f.bytes), kib(a.bytes), f.allocs, a.allocs)
	}
	w.WriteString("\nA time in brackets is the range over the runs; where a note shows a list, it has one value per run. " +
		"In the notes, a pair x / y is the floor provider's then alicloud's.\n")
	return w.String()
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

func wall(s sample) time.Duration  { return s.wall }
func cpu(s sample) time.Duration   { return s.cpu }
func tfCPU(s sample) time.Duration { return s.tfCPU }
func rss(s sample) int64           { return s.rss }

func medianDur(ss []sample, f func(sample) time.Duration) time.Duration {
	return median(ss, f, func(a, b time.Duration) time.Duration { return (a + b) / 2 })
}

func medianInt64(ss []sample, f func(sample) int64) int64 {
	return median(ss, f, func(a, b int64) int64 { return (a + b) / 2 })
}

func medianInt(ss []sample, f func(sample) int) int {
	return median(ss, f, func(a, b int) int { return (a + b) / 2 })
}

// median of f over ss; mid averages the middle two of an even count.
func median[T int | int64 | time.Duration](ss []sample, f func(sample) T, mid func(T, T) T) T {
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

// joinInts lists f over the runs, or gives the one value when all agree.
func joinInts(ss []sample, f func(sample) int) string {
	var vs []string
	for _, s := range ss {
		vs = append(vs, strconv.Itoa(f(s)))
	}
	if len(slices.Compact(slices.Clone(vs))) == 1 {
		return vs[0]
	}
	return strings.Join(vs, ", ")
}

// wallCell is the median wall time of ss, with the range when there are
// several runs.
func wallCell(ss []sample) string {
	m := secs(medianDur(ss, wall))
	if len(ss) < 2 {
		return m
	}
	lo, hi := ss[0].wall, ss[0].wall
	for _, s := range ss {
		lo, hi = min(lo, s.wall), max(hi, s.wall)
	}
	return fmt.Sprintf("%s (%.2f–%.2f)", m, lo.Seconds(), hi.Seconds())
}

func secs(d time.Duration) string {
	if d == 0 {
		return "–"
	}
	return fmt.Sprintf("%.2f s", d.Seconds())
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func ratio(a, b time.Duration) string {
	if a == 0 || b == 0 {
		return "–"
	}
	return fmt.Sprintf("%.2f×", float64(a)/float64(b))
}

func mib(k int64) string {
	if k == 0 {
		return "–"
	}
	return fmt.Sprintf("%.0f MiB", float64(k)/1024)
}

func kib(b int64) string { return fmt.Sprintf("%.0f KiB", float64(b)/1024) }
