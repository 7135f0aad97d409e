package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"time"
)

// bench holds what every run shares.
type bench struct {
	log     func(string, ...any)
	tf      string       // the Terraform CLI
	tmp     string       // everything the benchmark writes
	realDir string       // the real provider binaries
	env     []string     // Terraform's environment, without RSSWRAP_LOG
	runs    atomic.Int64 // counts runs, to name their logs

	enableLag      time.Duration // the fake's life cycle: paid to Enabled
	regionCircuits int           // circuits in the fake's region, at least
}

// roots are the two modules the benchmark builds from.
type roots struct {
	bench    string // this module: the floors and rsswrap
	provider string // the provider's module, which bench/go.mod replaces with ../
}

// findRoots asks the go command for the directory of the go.mod in force,
// which must be the benchmark's, and for the directory the provider's module
// is replaced with.
func findRoots() (roots, error) {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Path}} {{.Dir}}").Output()
	path, dir, _ := strings.Cut(strings.TrimSpace(string(out)), " ")
	if err != nil || path != benchModule {
		return roots{}, fmt.Errorf("run from inside the benchmark's module, bench/ (go list -m says %q: %v)", strings.TrimSpace(string(out)), err)
	}
	out, err = exec.Command("go", "list", "-m", "-f", "{{.Dir}}", providerModule).Output()
	providerDir := strings.TrimSpace(string(out))
	if err != nil || providerDir == "" {
		return roots{}, fmt.Errorf("go list -m %s: no directory (%v); bench/go.mod must replace it with ../", providerModule, err)
	}
	return roots{bench: dir, provider: providerDir}, nil
}

// The module paths of the benchmark and of the provider it measures.
const (
	benchModule    = "github.com/pcorder/terraform-provider-alicloud/bench"
	providerModule = "github.com/pcorder/terraform-provider-alicloud"
)

// setup builds the binaries, finds Terraform and writes its CLI
// configuration and environment.
func (b *bench) setup(root roots, providerPkg, terraform string) error {
	wrapper := filepath.Join(b.tmp, "rsswrap")
	// The provider is built in its own module, with its own go.sum, as it
	// ships; the floors and the wrapper in this one.
	for _, build := range []struct{ dir, out, pkg string }{
		{root.provider, filepath.Join(b.realDir, providerExe[kindAli]), providerPkg},
		{root.bench, filepath.Join(b.realDir, providerExe[kindFloor]), "./floorprovider"},
		{root.bench, filepath.Join(b.realDir, providerExe[kindSchemaFloor]), "./schemafloor"},
		{root.bench, wrapper, "./rsswrap"},
	} {
		b.log("(cd %s && go build -o %s %s)", build.dir, build.out, build.pkg)
		cmd := exec.Command("go", "build", "-o", build.out, build.pkg)
		cmd.Dir, cmd.Stdout, cmd.Stderr = build.dir, os.Stderr, os.Stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("go build %s: %w", build.pkg, err)
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
    "registry.terraform.io/pcorder/alicloud"   = %q
    "registry.terraform.io/bench/floor"        = %q
    "registry.terraform.io/bench/schemafloor"  = %q
  }
  direct {}
}
`, overrides[kindAli], overrides[kindFloor], overrides[kindSchemaFloor])), 0o644)
	if err != nil {
		return err
	}

	if b.tf = terraform; b.tf == "" {
		cmd := exec.Command("bash", "scripts/ensure-terraform.sh")
		cmd.Dir, cmd.Stderr = root.provider, os.Stderr
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

// loadAverage is the 1-, 5- and 15-minute load averages, as
// /proc/loadavg gives them, or "unknown".
func loadAverage() string {
	data, err := os.ReadFile("/proc/loadavg")
	f := strings.Fields(string(data))
	if err != nil || len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

// describeMachine names the machine and the tools, and the load average
// when the measures started and when they ended, on one line.
func describeMachine(tfVersion, loadAtStart string) string {
	arch, _ := exec.Command("uname", "-m").Output()
	cpuModel := "unknown CPU"
	if data, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(data), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				cpuModel = strings.TrimSpace(v)
				break
			}
		}
	}
	return fmt.Sprintf("Machine: %s, %s, %d cores, shared with other work; %s; Terraform %s; load average (1, 5, 15 min) %s at the start, %s at the end; %s.",
		strings.TrimSpace(string(arch)), cpuModel, runtime.NumCPU(), runtime.Version(), tfVersion,
		loadAtStart, loadAverage(), time.Now().UTC().Format("2006-01-02 15:04 MST"))
}
