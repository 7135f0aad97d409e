// Command fakealicloud serves the fake Alibaba Cloud endpoints of package
// internal/fakealicloud (VPC, billing and STS) on a loopback address, for
// demos and manual tests.
//
//	fakealicloud -access-key AK -secret-key SK -connection pc-123:cn-hangzhou:Enabled -addr-file /tmp/addr
//
// Flags:
//
//	-listen host:port        loopback address to listen on (default 127.0.0.1:0)
//	-access-key AK           the AccessKeyId to accept (required)
//	-secret-key SK           its AccessKeySecret (required)
//	-security-token TOKEN    the SecurityToken requests must carry
//	-addr-file FILE          write the listening address to FILE
//	-order-id-as-string      answer Data.OrderId as a JSON string
//	-connection pc-id:region:status[:business-status]
//	                         a physical connection (repeatable); the business
//	                         status defaults to Normal
//	-balance-insufficient    cancel the orders placed with AutoPay=true, as an
//	                         account without enough balance
//	-billing-lag DURATION    how long after its commit an order shows in
//	                         GetOrderDetail (such as 5s)
//	-billing-mode MODE       normal, forbidden (403 Forbidden.RAM) or
//	                         not-applicable (400 NotApplicable, except on the
//	                         international endpoint's host)
//	-instance-ids-format F   the InstanceIDs of GetOrderDetail: plain, comma or json
//	-deny Action=Code        answer every request for Action with HTTP 403 and
//	                         Code, such as CreatePhysicalConnectionOccupancyOrder=Forbidden.RAM
//	                         (repeatable)
//	-rate-limit N            limit creates to N per second (0: no limit)
//	-burst B                 the rate limit's burst (default 1)
//
// It prints the address it listens on, then serves until SIGINT or SIGTERM,
// printing a line per API request without any secret. The state endpoint is
// under /_fake/: GET /_fake/orders, /_fake/requests, /_fake/issued and
// /_fake/billing, and POST /_fake/orders/{id}/pay pays an order:
//
//	curl -X POST http://127.0.0.1:PORT/_fake/orders/203167309740138/pay
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/pcorder/terraform-provider-alicloud/internal/fakealicloud"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	switch {
	case errors.Is(err, flag.ErrHelp):
	case err != nil:
		fmt.Fprintln(os.Stderr, "fakealicloud:", strings.TrimPrefix(err.Error(), "fakealicloud: "))
		os.Exit(1)
	}
}

// connection is one -connection flag.
type connection struct{ id, region, status, businessStatus string }

// options are the command's flags.
type options struct {
	listen, accessKey, secretKey, token, addrFile string
	orderIDAsString                               bool
	connections                                   []connection
	balanceInsufficient                           bool
	billingLag                                    time.Duration
	billingMode                                   fakealicloud.BillingMode
	instanceIDs                                   fakealicloud.InstanceIDsFormat
	deny                                          [][2]string // action, code
	rateLimit                                     float64
	burst                                         int
}

// parseFlags parses the command line; usage and errors go to output.
func parseFlags(args []string, output io.Writer) (*options, error) {
	o := &options{billingMode: fakealicloud.BillingNormal, instanceIDs: fakealicloud.InstanceIDsPlain}
	fs := flag.NewFlagSet("fakealicloud", flag.ContinueOnError)
	fs.SetOutput(output)
	fs.StringVar(&o.listen, "listen", "127.0.0.1:0", "loopback `host:port` to listen on")
	fs.StringVar(&o.accessKey, "access-key", "", "the AccessKeyId to accept (required)")
	fs.StringVar(&o.secretKey, "secret-key", "", "its AccessKeySecret (required)")
	fs.StringVar(&o.token, "security-token", "", "the SecurityToken requests must carry (optional)")
	fs.StringVar(&o.addrFile, "addr-file", "", "write the listening address to this `file`")
	fs.BoolVar(&o.orderIDAsString, "order-id-as-string", false, "answer Data.OrderId as a JSON string")
	fs.Func("connection", "a physical connection as `pc-id:region:status[:business-status]` (repeatable; business status Normal by default)", func(v string) error {
		parts := strings.Split(v, ":")
		if len(parts) < 3 || len(parts) > 4 || slices.Contains(parts, "") {
			return fmt.Errorf("want pc-id:region:status[:business-status], got %q", v)
		}
		c := connection{parts[0], parts[1], parts[2], fakealicloud.BusinessStatusNormal}
		if len(parts) == 4 {
			c.businessStatus = parts[3]
		}
		o.connections = append(o.connections, c)
		return nil
	})
	fs.BoolVar(&o.balanceInsufficient, "balance-insufficient", false, "cancel the orders placed with AutoPay=true, as for an account without enough balance")
	fs.DurationVar(&o.billingLag, "billing-lag", 0, "how long after its commit an order shows in GetOrderDetail (a `duration` such as 5s)")
	fs.Func("billing-mode", "how GetOrderDetail answers, a `mode`: normal (default), forbidden (403 Forbidden.RAM) or not-applicable (400 NotApplicable, except to the host "+fakealicloud.InternationalBillingHost+")", func(v string) (err error) {
		o.billingMode, err = fakealicloud.ParseBillingMode(v)
		return err
	})
	fs.Func("instance-ids-format", "the shape of InstanceIDs in GetOrderDetail, a `format`: plain (default, pc-x), comma (pc-x,"+fakealicloud.ExtraInstanceID+") or json ([\"pc-x\"])", func(v string) (err error) {
		o.instanceIDs, err = fakealicloud.ParseInstanceIDsFormat(v)
		return err
	})
	fs.Func("deny", "answer every request for an action with HTTP 403 and a code, as `Action=Code` (repeatable), such as "+fakealicloud.ActionGetOrderDetail+"=Forbidden.RAM", func(v string) error {
		action, code, ok := strings.Cut(v, "=")
		if !ok || action == "" || code == "" {
			return fmt.Errorf("want Action=Code, got %q", v)
		}
		o.deny = append(o.deny, [2]string{action, code})
		return nil
	})
	fs.Float64Var(&o.rateLimit, "rate-limit", 0, "limit creates to `N` per second (0: no limit)")
	fs.IntVar(&o.burst, "burst", 1, "the rate limit's burst `B`")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if o.accessKey == "" || o.secretKey == "" {
		return nil, fmt.Errorf("-access-key and -secret-key are required")
	}
	if o.rateLimit < 0 || o.burst < 1 {
		return nil, fmt.Errorf("-rate-limit must be at least 0 and -burst at least 1")
	}
	return o, nil
}

// newServer returns a server set up as o says, logging to onRequest.
func (o *options) newServer(onRequest func(fakealicloud.Request)) *fakealicloud.Server {
	s := fakealicloud.New(fakealicloud.Config{
		Credentials:     map[string]fakealicloud.Credential{o.accessKey: {AccessKeySecret: o.secretKey, SecurityToken: o.token}},
		OrderIDAsString: o.orderIDAsString,
		OnRequest:       onRequest,
	})
	for _, c := range o.connections {
		s.AddPhysicalConnection(c.id, c.region, c.status)
		s.SetPhysicalConnectionBusinessStatus(c.id, c.businessStatus)
	}
	s.SetBalanceSufficient(!o.balanceInsufficient)
	s.SetBillingLag(o.billingLag)
	s.SetBillingMode(o.billingMode)
	s.SetInstanceIDsFormat(o.instanceIDs)
	for _, d := range o.deny {
		s.Deny(d[0], d[1])
	}
	if o.rateLimit > 0 {
		s.SetRateLimit(o.rateLimit, o.burst)
	}
	return s
}

// run serves until ctx is done.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	o, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	s := o.newServer(func(r fakealicloud.Request) { logRequest(stdout, r) })
	addr, err := s.Listen(o.listen)
	if err != nil {
		return err
	}
	defer s.Close()
	if o.addrFile != "" {
		// Write then rename, so that a reader never sees a partial address.
		tmp := filepath.Join(filepath.Dir(o.addrFile), "."+filepath.Base(o.addrFile)+".tmp")
		if err := os.WriteFile(tmp, []byte(addr+"\n"), 0o600); err != nil {
			return err
		}
		if err := os.Rename(tmp, o.addrFile); err != nil {
			return err
		}
	}
	if _, err := fmt.Fprintln(stdout, addr); err != nil {
		return err
	}
	<-ctx.Done()
	return nil
}

// logRequest prints one line per API request: what was asked, of which
// host, and what was answered. It prints no credential: the AccessKeyId
// only (Request.Params holds no secret: the fake redacts them).
func logRequest(w io.Writer, r fakealicloud.Request) {
	keys := make([]string, 0, len(r.Params))
	for k := range r.Params {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var params strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&params, " %s=%s", k, r.Params[k])
	}
	outcome := fmt.Sprintf("HTTP %d", r.HTTPStatus)
	switch {
	case r.Lost:
		outcome = "answer dropped"
	case r.Code != "":
		outcome += " " + r.Code
	case r.OrderID != "":
		outcome += " order " + r.OrderID
	}
	fmt.Fprintf(w, "%s %s (%s, key %s, host %s):%s -> %s\n", //nolint:errcheck // A lost log line does not stop the fake.
		r.Time.Format(time.RFC3339), r.Action, r.SignatureMethod, r.AccessKeyID, r.Host, params.String(), outcome)
}
