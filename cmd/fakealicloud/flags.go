package main

import (
	"flag"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pcorder/terraform-provider-alicloud/internal/fakealicloud"
)

// connection is one -connection flag.
type connection struct{ id, region, status, businessStatus string }

// transient is one -transient flag.
type transient struct {
	code string
	n    int
}

// usageHeader opens the -h output: how to get an order through.
const usageHeader = `Usage: fakealicloud -access-key AK -secret-key SK [flags]

Serves fake Alibaba Cloud VPC, billing and STS endpoints on loopback.

An occupancy order is taken only on a circuit that waits for payment
(status Confirmed or Complete); make one with
  -connection pc-id:region:Confirmed
An order with AutoPay=true (and enough balance) is paid at once; its circuit
turns Enabled after -enable-lag. Pay an unpaid order (AutoPay=false) by hand:
  curl -X POST http://ADDR/_fake/orders/ID/pay
where ADDR is the address printed at start and ID the order's ID.

Flags:
`

// options are the command's flags.
type options struct {
	listen, accessKey, secretKey, token, addrFile string
	orderIDAsString                               bool
	connections                                   []connection
	regions, unlisted                             []string
	enableLag                                     time.Duration
	postPaidRefused                               bool
	transients                                    []transient
	paymentSpelling                               fakealicloud.PaymentSpelling
	queryRules                                    fakealicloud.QueryOrdersRules
	failCode, failMessage                         string
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
	o := &options{billingMode: fakealicloud.BillingNormal, instanceIDs: fakealicloud.InstanceIDsJSON,
		enableLag: fakealicloud.DefaultEnableLag, paymentSpelling: fakealicloud.PaymentSpellingDocs,
		queryRules: fakealicloud.QueryOrdersSDK}
	fs := flag.NewFlagSet("fakealicloud", flag.ContinueOnError)
	fs.SetOutput(output)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), usageHeader) //nolint:errcheck // Usage has nowhere to report.
		fs.PrintDefaults()
	}
	fs.StringVar(&o.listen, "listen", "127.0.0.1:0", "loopback `host:port` to listen on")
	fs.StringVar(&o.accessKey, "access-key", "", "the AccessKeyId to accept (required)")
	fs.StringVar(&o.secretKey, "secret-key", "", "its AccessKeySecret (required)")
	fs.StringVar(&o.token, "security-token", "", "the SecurityToken requests must carry (optional)")
	fs.StringVar(&o.addrFile, "addr-file", "", "write the listening address to this `file`")
	fs.BoolVar(&o.orderIDAsString, "order-id-as-string", false, "answer Data.OrderId as a JSON string")
	fs.Func("connection", "a physical connection as `pc-id:region:status[:business-status]` (repeatable; Confirmed or Complete take orders; business status Normal by default)", func(v string) error {
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
	fs.Func("region", "a `region` known without circuits (repeatable)", func(v string) error {
		o.regions = append(o.regions, v)
		return nil
	})
	fs.Func("unlisted", "leave the circuit `pc-id` out of DescribePhysicalConnections unless filtered by PhysicalConnectionId (repeatable)", func(v string) error {
		o.unlisted = append(o.unlisted, v)
		return nil
	})
	fs.DurationVar(&o.enableLag, "enable-lag", fakealicloud.DefaultEnableLag, "how long after its order is paid a waiting circuit turns Enabled (a `duration`)")
	fs.BoolVar(&o.postPaidRefused, "postpaid-refused", false, "refuse InstanceChargeType=PostPaid with InvalidPhysicalConnectionChargeType.Malformed, as the current reference lists PrePaid only")
	fs.Func("transient", "answer the next N creates with a transient VPC code, as `CODE=N` (repeatable, in order): "+strings.Join(fakealicloud.TransientCodes, ", ")+"; the LastTokenProcessing codes commit the first attempt's order", func(v string) error {
		code, n, ok := strings.Cut(v, "=")
		count, err := strconv.Atoi(n)
		if !ok || err != nil || count < 1 || !slices.Contains(fakealicloud.TransientCodes, code) {
			return fmt.Errorf("want CODE=N with N >= 1 and CODE one of %s, got %q", strings.Join(fakealicloud.TransientCodes, ", "), v)
		}
		o.transients = append(o.transients, transient{code, count})
		return nil
	})
	fs.Func("payment-spelling", "how GetOrderDetail writes PaymentStatus, a `spelling`: docs (default, Unpaid/Paid/Cancelled), sdk (unpaid/paid/canceled) or canceled (Unpaid/Paid/Canceled)", func(v string) (err error) {
		o.paymentSpelling, err = fakealicloud.ParsePaymentSpelling(v)
		return err
	})
	fs.Func("query-orders-rules", "which parameters QueryOrders requires, as `rules`: sdk (default, none, as the SDK model) or required (ProductCode and SubscriptionType, as the older reference)", func(v string) (err error) {
		o.queryRules, err = fakealicloud.ParseQueryOrdersRules(v)
		return err
	})
	fs.Func("order-detail-failure", "answer every GetOrderDetail and QueryOrders HTTP 200 with Success false, as `CODE[:MESSAGE]`", func(v string) error {
		o.failCode, o.failMessage, _ = strings.Cut(v, ":")
		if o.failCode == "" {
			return fmt.Errorf("want CODE[:MESSAGE], got %q", v)
		}
		return nil
	})
	fs.BoolVar(&o.balanceInsufficient, "balance-insufficient", false, "cancel the orders placed with AutoPay=true, as for an account without enough balance")
	fs.DurationVar(&o.billingLag, "billing-lag", 0, "how long after its commit an order shows in GetOrderDetail (a `duration` such as 5s)")
	fs.Func("billing-mode", "how GetOrderDetail answers, a `mode`: normal (default), forbidden (403 Forbidden.RAM) or not-applicable (400 NotApplicable, except to the host "+fakealicloud.InternationalBillingHost+")", func(v string) (err error) {
		o.billingMode, err = fakealicloud.ParseBillingMode(v)
		return err
	})
	fs.Func("instance-ids-format", "the shape of InstanceIDs in GetOrderDetail, a `format`: json (default, [\"pc-x\"]), plain (pc-x) or comma (pc-x,"+fakealicloud.ExtraInstanceID+")", func(v string) (err error) {
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
	if o.enableLag < 0 {
		return nil, fmt.Errorf("-enable-lag must be at least 0")
	}
	if o.rateLimit < 0 || o.burst < 1 {
		return nil, fmt.Errorf("-rate-limit must be at least 0 and -burst at least 1")
	}
	return o, nil
}
