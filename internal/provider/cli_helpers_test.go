package provider

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/pcorder/terraform-provider-alicloud/internal/fakealicloud"
)

// The provider binary, built once per test process for the tests that run
// the Terraform CLI by hand (to read its warnings, or its state file).
var builtProvider struct {
	once    sync.Once
	plugins string
	err     error
}

// providerPlugins returns a folder holding the built provider, for a
// dev_overrides CLI configuration.
func providerPlugins(t *testing.T) string {
	t.Helper()
	builtProvider.once.Do(func() {
		// One build for the whole process, removed by TestMain: no test owns it.
		dir, err := os.MkdirTemp("", "alicloud-provider-build-*") //nolint:usetesting
		if err != nil {
			builtProvider.err = err
			return
		}
		builtProvider.plugins = dir
		out, err := exec.Command("go", "build", "-o", filepath.Join(dir, "terraform-provider-alicloud"), "../..").CombinedOutput()
		if err != nil {
			builtProvider.err = fmt.Errorf("building the provider: %v\n%s", err, out)
		}
	})
	if builtProvider.err != nil {
		t.Fatal(builtProvider.err)
	}
	return builtProvider.plugins
}

// terraformCLI returns the Terraform (or OpenTofu) CLI the suite runs with.
func terraformCLI(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("TF_ACC_TERRAFORM_PATH"); p != "" {
		return p
	}
	p, err := exec.LookPath("terraform")
	if err != nil {
		t.Skip("no Terraform CLI: run through make test")
	}
	return p
}

// cliWorkspace is a working directory where the real CLI runs the built
// provider through dev_overrides, with the environment it is given.
type cliWorkspace struct {
	t   *testing.T
	tf  string
	dir string
	env []string
}

// newCLIWorkspace writes main.tf and a CLI configuration that serves the
// built provider, and returns the workspace.
func newCLIWorkspace(t *testing.T, config string, env ...string) *cliWorkspace {
	t.Helper()
	dir := t.TempDir()
	rc := filepath.Join(dir, "terraformrc")
	writeFile(t, rc, fmt.Sprintf("provider_installation {\n  dev_overrides {\n    %q = %q\n  }\n  direct {}\n}\n", "pcorder/alicloud", providerPlugins(t)))
	work := filepath.Join(dir, "work")
	w := &cliWorkspace{t: t, tf: terraformCLI(t), dir: work,
		env: append(append(os.Environ(), "TF_CLI_CONFIG_FILE="+rc, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1"), env...)}
	w.writeConfig(config)
	return w
}

// writeConfig replaces the workspace's configuration.
func (w *cliWorkspace) writeConfig(config string) {
	w.t.Helper()
	writeFile(w.t, filepath.Join(w.dir, "main.tf"), "terraform {\n  required_providers {\n    alicloud = { source = \"pcorder/alicloud\" }\n  }\n}\n"+config)
}

// run runs one CLI command and returns what it printed and its exit code.
func (w *cliWorkspace) run(args ...string) (string, int) {
	w.t.Helper()
	cmd := exec.Command(w.tf, append([]string{"-chdir=" + w.dir}, args...)...)
	cmd.Env = w.env
	out, err := cmd.CombinedOutput()
	code := 0
	if err != nil {
		ee, ok := err.(*exec.ExitError)
		if !ok {
			w.t.Fatalf("running %s %s: %v", w.tf, strings.Join(args, " "), err)
		}
		code = ee.ExitCode()
	}
	return string(out), code
}

// mustRun runs one CLI command that must succeed (exit 0), and returns what
// it printed.
func (w *cliWorkspace) mustRun(args ...string) string {
	w.t.Helper()
	out, code := w.run(args...)
	if code != 0 {
		w.t.Fatalf("%s exited %d:\n%s", strings.Join(args, " "), code, tail([]byte(out)))
	}
	return out
}

// apply is terraform apply without prompts or colour.
func (w *cliWorkspace) apply(extra ...string) string {
	w.t.Helper()
	return w.mustRun(append([]string{"apply", "-auto-approve", "-input=false", "-no-color"}, extra...)...)
}

// planIsEmpty fails unless terraform plan proposes no change.
func (w *cliWorkspace) planIsEmpty() string {
	w.t.Helper()
	out, code := w.run("plan", "-detailed-exitcode", "-input=false", "-no-color")
	if code != 0 {
		w.t.Fatalf("terraform plan exited %d, want 0 (no changes):\n%s", code, tail([]byte(out)))
	}
	return out
}

// cliProviderBlock is a provider block for the CLI tests: the fake for
// every product, over HTTP, with the test key; extra lines are added.
func (e *testEnv) cliProviderBlock(extra ...string) string {
	return fmt.Sprintf(`
provider "alicloud" {
  region     = %q
  access_key = %q
  secret_key = %q
  protocol   = "HTTP"
  endpoints {
    vpc        = %q
    bssopenapi = %q
  }
%s
}
`, testRegion, testAccessKey, testSecretKey, e.addr, e.addr, strings.Join(extra, "\n"))
}

// requestsFor returns the requests of one action the fake received.
func (e *testEnv) requestsFor(action string) []fakealicloud.Request {
	var out []fakealicloud.Request
	for _, r := range e.fake.Requests() {
		if r.Action == action {
			out = append(out, r)
		}
	}
	return out
}

// providerWarnings returns the summary of every warning in a CLI output,
// but for the CLI's own about dev_overrides.
func providerWarnings(out string) []string {
	var ws []string
	for _, line := range strings.Split(out, "\n") {
		line = strings.TrimLeft(line, "│╷ ")
		if s, ok := strings.CutPrefix(line, "Warning: "); ok && !strings.Contains(s, "development overrides") {
			ws = append(ws, s)
		}
	}
	return ws
}
