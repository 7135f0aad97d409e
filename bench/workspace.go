package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/pcorder/terraform-provider-alicloud/internal/fakealicloud"
)

// sample is one measured Terraform command.
type sample struct {
	started       time.Time     // when the command started
	elapsed       time.Duration // wall time of the whole command
	exit          int
	providerProcs int           // provider processes started
	peakRSSKiB    int64         // max over the provider processes
	providerCPU   time.Duration // user+system CPU, summed over the provider processes
	terraformCPU  time.Duration // user+system CPU of Terraform itself
	// fakeCPU is this process's user+system CPU during the command: for
	// alicloud, the in-process fake's work, on the same cores as the run's
	// (next to nothing for the floors, which talk to no fake). Runs that
	// overlap (the fleet's) share it, so it is reported for none of them.
	fakeCPU time.Duration
	// The fake's view, for alicloud runs: the requests of this run's
	// provider processes (its access key) and the orders on its circuits.
	requests, throttled, orders, dups, inState int
	creates                                    int            // requests that carry a client token: the creates
	byAction                                   map[string]int // requests by API action
	planDescribes                              int            // DescribePhysicalConnections before the first create: the plan's lookups
	retried, maxAttempts                       int            // orders sent more than once; most sends of one order
	firstCreate, lastOrder                     time.Duration  // since the command started; lastOrder is the last create answered with an order
}

// The API actions the report counts by name.
const (
	actionCreate   = "CreatePhysicalConnectionOccupancyOrder"
	actionQuery    = "QueryOrders"
	actionDetail   = "GetOrderDetail"
	actionDescribe = "DescribePhysicalConnections"
)

// workspace is one fresh working directory with a configuration of n
// resources of one kind, ordering circuits first to first+n-1, and, for
// alicloud, the fake VPC API it talks to.
type workspace struct {
	b        *bench
	dir      string
	kind     string
	n, first int
	key      string // the access key of its provider block
	fake     *fakealicloud.Server
	ownsFake bool // the fake is this workspace's alone: close closes it
}

// fake is a running fake API: a region of max(regionCircuits, n) circuits
// waiting for payment, with the life cycle's enable lag, limited to rate
// creates per second when rate > 0, knowing the access keys of keys
// working directories (fleetKey).
type fake struct {
	*fakealicloud.Server
	addr string
}

// startFake starts a fake for circuits circuits (at least regionCircuits).
func (b *bench) startFake(circuits, keys int, rate float64, burst int) (*fake, error) {
	creds := map[string]fakealicloud.Credential{}
	for k := range keys {
		creds[fleetKey(k)] = fakealicloud.Credential{AccessKeySecret: secretKey}
	}
	f := &fake{Server: fakealicloud.New(fakealicloud.Config{Credentials: creds})}
	for i := range max(circuits, b.regionCircuits) {
		f.AddPhysicalConnection(physicalConnectionID(i), region, connectionStatus)
	}
	f.SetEnableLag(b.enableLag)
	if rate > 0 {
		f.SetRateLimit(rate, burst)
	}
	var err error
	if f.addr, err = f.Start(); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// workspace writes the configuration of n resources of kind. For alicloud
// it starts a fake of its own (startFake), limited to rate creates per
// second when rate > 0.
func (b *bench) workspace(kind string, n int, rate float64, burst int) (*workspace, error) {
	var f *fake
	if kind == kindAli {
		var err error
		if f, err = b.startFake(n, 1, rate, burst); err != nil {
			return nil, err
		}
	}
	ws, err := b.sharedWorkspace(kind, n, 0, fleetKey(0), f)
	if err != nil {
		if f != nil {
			f.Close()
		}
		return nil, err
	}
	ws.ownsFake = true
	return ws, nil
}

// sharedWorkspace writes the configuration of n resources of kind on
// circuits first to first+n-1, whose alicloud provider block signs with
// key and talks to f (nil for the other kinds), which it does not own.
func (b *bench) sharedWorkspace(kind string, n, first int, key string, f *fake) (*workspace, error) {
	dir, err := os.MkdirTemp(b.tmp, "run-")
	if err != nil {
		return nil, err
	}
	ws := &workspace{b: b, dir: dir, kind: kind, n: n, first: first, key: key}
	addr := unusedEndpoint
	if f != nil {
		ws.fake, addr = f.Server, f.addr
	}
	cfg := configuration(kind, n, first, key, addr)
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(cfg), 0o644); err != nil {
		ws.close()
		return nil, err
	}
	return ws, nil
}

func (ws *workspace) close() {
	if ws.fake != nil && ws.ownsFake {
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
	name := fmt.Sprintf("%03d-%s-%d-%s", b.runs.Add(1), measure, ws.n, ws.kind)
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
	ctx, cancel := context.WithTimeout(context.Background(), runTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, b.tf, append([]string{command, "-input=false", "-no-color"}, args...)...)
	cmd.Dir, cmd.Stdout, cmd.Stderr = ws.dir, logFile, logFile
	cmd.Env = append(slices.Clip(b.env), "RSSWRAP_LOG="+rssLog)
	start := time.Now()
	s.started = start
	before := selfCPU()
	err = cmd.Run()
	s.elapsed = time.Since(start)
	s.fakeCPU = selfCPU() - before
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
	s.terraformCPU = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime() - s.providerCPU
	if s.inState, err = countState(filepath.Join(ws.dir, "terraform.tfstate")); err != nil {
		return s, "", err
	}
	if ws.fake != nil {
		ws.countRequests(&s, start)
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
	if len(problems) > 0 && measure != "storm" && measure != "fleet" {
		logFile.Sync() //nolint:errcheck // Best effort, for the tail below.
		b.log("%s: %s; the end of %s:\n%s", name, strings.Join(problems, "; "), logPath, lastLines(logPath, 15))
	}
	return s, strings.Join(problems, "; "), nil
}

// countRequests fills in the fake's view of a run: its requests (those
// signed with its access key, from start on), the throttled ones, retries,
// orders and duplicates on its circuits, and the times of the first create
// request and the last order since start.
func (ws *workspace) countRequests(s *sample, start time.Time) {
	s.byAction = map[string]int{}
	var reqs []fakealicloud.Request
	for _, r := range ws.fake.Requests() {
		if r.AccessKeyID == ws.key && !r.Time.Before(start) {
			reqs = append(reqs, r)
		}
	}
	s.requests = len(reqs)
	// Every attempt of one create carries the same client token; the
	// other actions (lookups of the connection and the order) carry none.
	attempts := map[string]int{}
	for _, r := range reqs {
		s.byAction[r.Action]++
		if r.Code == "Throttling.User" {
			s.throttled++
		}
		token := r.Params["ClientToken"]
		if token == "" {
			if r.Action == actionDescribe && s.creates == 0 {
				s.planDescribes++
			}
			continue
		}
		if s.creates == 0 {
			s.firstCreate = r.Time.Sub(start)
		}
		attempts[token]++
		s.creates++
		if r.Code == "" && r.HTTPStatus == 200 {
			s.lastOrder = max(s.lastOrder, r.Time.Sub(start))
		}
	}
	for _, a := range attempts {
		if a > 1 {
			s.retried++
		}
		s.maxAttempts = max(s.maxAttempts, a)
	}
	mine := map[string]bool{}
	for i := range ws.n {
		mine[physicalConnectionID(ws.first+i)] = true
	}
	seen := map[string]bool{}
	for _, o := range ws.fake.Orders() {
		if !mine[o.PhysicalConnectionID] {
			continue
		}
		s.orders++
		if seen[o.PhysicalConnectionID] {
			s.dups++
		}
		seen[o.PhysicalConnectionID] = true
	}
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
			name                                    string
			pid, maxRSSKiB, cpuMicros, wallMS, exit int64
		)
		if _, err := fmt.Sscan(sc.Text(), &name, &pid, &maxRSSKiB, &cpuMicros, &wallMS, &exit); err != nil {
			return fmt.Errorf("%s: %q: %w", path, sc.Text(), err)
		}
		s.providerProcs++
		s.peakRSSKiB = max(s.peakRSSKiB, maxRSSKiB)
		s.providerCPU += time.Duration(cpuMicros) * time.Microsecond
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

// lastLines returns the last n lines of the file at path, indented.
func lastLines(path string, n int) string {
	data, _ := os.ReadFile(path)
	ls := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	return "  " + strings.Join(ls[max(0, len(ls)-n):], "\n  ")
}

// selfCPU is this process's user+system CPU so far (0 if unknown).
func selfCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
