// Command fakealicloud serves the fake Alibaba Cloud endpoints of package
// internal/fakealicloud (VPC, billing and STS) on a loopback address, for
// demos and manual tests.
//
//	fakealicloud -access-key AK -secret-key SK -connection pc-123:cn-hangzhou:Confirmed -addr-file /tmp/addr
//
// An occupancy order is taken only on a circuit that waits for payment, in
// status Confirmed or Complete: make one with -connection pc-id:region:Confirmed.
// An order placed with AutoPay=true (and enough balance) is paid at once and
// the circuit turns Enabled after -enable-lag; an order placed with
// AutoPay=false stays unpaid, and its circuit waiting, until it is paid by
// hand, as in the console:
//
//	curl -X POST http://ADDR/_fake/orders/ID/pay
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
//	                         a physical connection (repeatable); Confirmed or
//	                         Complete take orders; the business status
//	                         defaults to Normal
//	-region REGION           a region known without circuits (repeatable)
//	-unlisted pc-id          leave the circuit out of listings not filtered by
//	                         PhysicalConnectionId (repeatable)
//	-enable-lag DURATION     how long after payment a waiting circuit turns
//	                         Enabled (default 1s)
//	-postpaid-refused        refuse InstanceChargeType=PostPaid, as the current
//	                         reference lists PrePaid only
//	-transient CODE=N        answer the next N creates with a transient VPC code
//	                         (repeatable): LastTokenProcessing,
//	                         OperationFailed.LastTokenProcessing (the first
//	                         commits its order), OperationConflict, SystemBusy,
//	                         ServiceUnavailable
//	-balance-insufficient    cancel the orders placed with AutoPay=true, as an
//	                         account without enough balance
//	-billing-lag DURATION    how long after its commit an order shows in
//	                         GetOrderDetail (such as 5s)
//	-billing-mode MODE       normal, forbidden (403 Forbidden.RAM) or
//	                         not-applicable (400 NotApplicable, except on the
//	                         international endpoint's host)
//	-instance-ids-format F   the InstanceIDs of GetOrderDetail: json (default),
//	                         plain or comma
//	-payment-spelling S      PaymentStatus as docs (Unpaid/Paid/Cancelled, the
//	                         default), sdk (unpaid/paid/canceled) or canceled
//	                         (Unpaid/Paid/Canceled)
//	-query-orders-rules R    the parameters QueryOrders requires: sdk (none, the
//	                         default) or required (ProductCode and
//	                         SubscriptionType, as the older reference)
//	-order-detail-failure CODE[:MESSAGE]
//	                         answer GetOrderDetail and QueryOrders HTTP 200 with
//	                         Success false
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
	for _, r := range o.regions {
		s.AddRegion(r)
	}
	for _, id := range o.unlisted {
		s.SetUnlisted(id, true)
	}
	s.SetEnableLag(o.enableLag)
	s.SetPostPaidRefused(o.postPaidRefused)
	for _, tr := range o.transients {
		s.InjectTransient(tr.code, tr.n)
	}
	s.SetPaymentSpelling(o.paymentSpelling)
	s.SetQueryOrdersRules(o.queryRules)
	s.SetOrderDetailFailure(o.failCode, o.failMessage)
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
