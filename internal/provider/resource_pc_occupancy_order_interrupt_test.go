package provider

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/pcorder/terraform-provider-alicloud/internal/client"
)

// holdingProxy serves the fake, but while it holds, it answers no create:
// the fake commits the order, and the answer never leaves. It is the moment
// an interrupted apply dies in: the order exists, the CLI never hears of it.
type holdingProxy struct {
	e         *testEnv
	mu        sync.Mutex
	hold      bool
	committed chan struct{} // closed at the first held create
	release   chan struct{} // closed by stop, to free held handlers
	once      sync.Once
}

func newHoldingProxy(t *testing.T, e *testEnv) (*holdingProxy, string) {
	t.Helper()
	p := &holdingProxy{e: e, hold: true, committed: make(chan struct{}), release: make(chan struct{})}
	srv := httptest.NewServer(p)
	t.Cleanup(func() { p.stop(); srv.Close() })
	return p, strings.TrimPrefix(srv.URL, "http://")
}

func (p *holdingProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rec := httptest.NewRecorder()
	p.e.fake.ServeHTTP(rec, r)
	action := r.Header.Get("x-acs-action")
	if action == "" {
		action = r.URL.Query().Get("Action")
	}
	p.mu.Lock()
	hold := p.hold && action == client.ActionCreateOccupancyOrder
	p.mu.Unlock()
	if hold {
		p.once.Do(func() { close(p.committed) })
		select {
		case <-p.release:
		case <-r.Context().Done():
		}
		return
	}
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.Code)
	_, _ = w.Write(rec.Body.Bytes())
}

// stop ends holding: later creates are answered.
func (p *holdingProxy) stop() {
	p.mu.Lock()
	p.hold = false
	p.mu.Unlock()
	select {
	case <-p.release:
	default:
		close(p.release)
	}
}

// killedWhileOrdering runs the CLI with args, waits until the fake has
// committed the order whose answer the proxy holds, and kills the CLI and
// its provider with SIGKILL, as a lost CI runner or a power cut does.
func (w *cliWorkspace) killedWhileOrdering(p *holdingProxy, args ...string) {
	w.t.Helper()
	cmd := exec.Command(w.tf, append([]string{"-chdir=" + w.dir}, args...)...)
	cmd.Env = w.env
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		w.t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-p.committed:
	case err := <-done:
		w.t.Fatalf("%s ended before its order was placed (%v):\n%s", strings.Join(args, " "), err, out.String())
	case <-time.After(2 * time.Minute):
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		w.t.Fatalf("no order was placed within 2 minutes:\n%s", out.String())
	}
	if err := syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL); err != nil {
		w.t.Fatal(err)
	}
	if err := <-done; err == nil {
		w.t.Fatalf("%s exited 0 after SIGKILL", strings.Join(args, " "))
	}
}

// stateOrderIDs returns the order IDs in the workspace's state file.
func (w *cliWorkspace) stateOrderIDs() []string {
	w.t.Helper()
	b, err := os.ReadFile(filepath.Join(w.dir, "terraform.tfstate"))
	if os.IsNotExist(err) || (err == nil && len(b) == 0) {
		return nil
	}
	if err != nil {
		w.t.Fatal(err)
	}
	var st struct {
		Resources []struct {
			Instances []struct {
				Attributes struct {
					OrderID string `json:"order_id"`
				} `json:"attributes"`
			} `json:"instances"`
		} `json:"resources"`
	}
	if err := json.Unmarshal(b, &st); err != nil {
		w.t.Fatalf("reading the state: %v", err)
	}
	var ids []string
	for _, r := range st.Resources {
		for _, i := range r.Instances {
			ids = append(ids, i.Attributes.OrderID)
		}
	}
	return ids
}

// TestAccPCOccupancyOrder_killedApply kills Terraform and its provider
// while the create's answer is on its way, then applies again: the order
// the killed apply placed is the one in state, and there is exactly one.
func TestAccPCOccupancyOrder_killedApply(t *testing.T) {
	skipUnlessAcc(t)
	for _, tc := range []struct {
		name     string
		autoPay  string
		planFile bool
	}{
		{"auto-paid", "true", false},
		{"unpaid", "false", false},
		{"auto-paid, saved plan", "true", true},
		{"unpaid, saved plan", "false", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newTestEnv(t)
			p, addr := newHoldingProxy(t, e)
			cfg := strings.ReplaceAll(e.cliProviderBlock(), e.addr, addr) + `
resource "alicloud_pc_occupancy_order" "test" {
  physical_connection_id = "` + testPCID + `"
  instance_charge_type   = "PrePaid"
  period                 = 2
  auto_pay               = ` + tc.autoPay + `
}
`
			w := newCLIWorkspace(t, cfg)
			if tc.planFile {
				w.mustRun("plan", "-out=tfplan", "-input=false", "-no-color")
				w.killedWhileOrdering(p, "apply", "-input=false", "-no-color", "tfplan")
			} else {
				w.killedWhileOrdering(p, "apply", "-auto-approve", "-input=false", "-no-color")
			}
			orders := e.fake.Orders()
			if len(orders) != 1 {
				t.Fatalf("the killed apply placed %d orders, want 1", len(orders))
			}
			if ids := w.stateOrderIDs(); len(ids) != 0 {
				t.Fatalf("the killed apply recorded %v; this test needs it killed before the state was written", ids)
			}

			p.stop()
			if tc.planFile {
				w.apply("tfplan")
			} else {
				w.apply()
			}
			if got := e.fake.Orders(); len(got) != 1 {
				t.Fatalf("after the second apply the fake has %d orders, want 1: %+v", len(got), got)
			}
			if ids := w.stateOrderIDs(); len(ids) != 1 || ids[0] != orders[0].ID {
				t.Fatalf("state holds orders %v, want [%s], the order the killed apply placed", ids, orders[0].ID)
			}
			creates := e.createRequests()
			if len(creates) != 2 {
				t.Fatalf("the fake saw %d creates, want 2 (the killed one and the one that recovered it)", len(creates))
			}
			for _, r := range creates {
				if r.Params["ClientToken"] != orders[0].ClientToken {
					t.Fatalf("a create carried client token %q, want %q on both", r.Params["ClientToken"], orders[0].ClientToken)
				}
			}
			w.planIsEmpty()
		})
	}
}

// TestAccPCOccupancyOrder_newTokenAfterVoided: after a voided order,
// -replace alone sends the same token, buys nothing and says why; a new
// client_token places a new order.
func TestAccPCOccupancyOrder_newTokenAfterVoided(t *testing.T) {
	skipUnlessAcc(t)
	t.Parallel()
	e := newTestEnv(t)
	e.fake.SetBalanceSufficient(false)
	order := func(extra string) string {
		return e.cliProviderBlock() + `
resource "alicloud_pc_occupancy_order" "test" {
  physical_connection_id = "` + testPCID + `"
  instance_charge_type   = "PrePaid"
  period                 = 1
` + extra + `
}
`
	}
	w := newCLIWorkspace(t, order(""))
	out := unwrap(w.apply())
	for _, want := range []string{"Warning: Occupancy Order Voided", "set client_token to a value not used before"} {
		if !strings.Contains(out, want) {
			t.Fatalf("the voided order's apply lacks %q:\n%s", want, out)
		}
	}
	first := e.fake.Orders()[0]

	out = unwrap(w.apply("-replace=alicloud_pc_occupancy_order.test"))
	for _, want := range []string{"Warning: Occupancy Order Not New", "answered order " + first.ID, "-replace alone sends the same token"} {
		if !strings.Contains(out, want) {
			t.Errorf("the -replace apply lacks %q:\n%s", want, out)
		}
	}
	if got := e.fake.Orders(); len(got) != 1 {
		t.Fatalf("-replace with the same token placed %d orders in all, want 1", len(got))
	}
	if creates := e.createRequests(); len(creates) != 2 || creates[1].Params["ClientToken"] != first.ClientToken {
		t.Fatalf("want a second create with token %q, got %+v", first.ClientToken, creates)
	}

	e.fake.SetBalanceSufficient(true)
	w.writeConfig(order(`  client_token = "second-try-2026-12-01"`))
	out = unwrap(w.apply())
	if strings.Contains(out, "Occupancy Order Not New") || strings.Contains(out, "Occupancy Order Voided") {
		t.Errorf("the new token's order was reported as old or voided:\n%s", out)
	}
	orders := e.fake.Orders()
	if len(orders) != 2 || orders[1].ClientToken != "second-try-2026-12-01" {
		t.Fatalf("a new client_token placed %+v, want a second order with that token", orders)
	}
	if ids := w.stateOrderIDs(); len(ids) != 1 || ids[0] != orders[1].ID {
		t.Fatalf("state holds %v, want the new order %s", ids, orders[1].ID)
	}
}
