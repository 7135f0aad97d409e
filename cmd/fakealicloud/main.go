// Command fakealicloud serves the fake Alibaba Cloud VPC endpoint of package
// internal/fakealicloud on a loopback address, for demos and manual tests.
//
//	fakealicloud -access-key AK -secret-key SK -connection pc-123:cn-hangzhou:Enabled -addr-file /tmp/addr
//
// It prints the address it listens on, then serves until SIGINT or SIGTERM.
// Committed orders and received requests are at GET /_fake/orders and
// GET /_fake/requests.
package main

import (
	"context"
	"flag"
	"fmt"
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
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "fakealicloud:", strings.TrimPrefix(err.Error(), "fakealicloud: "))
		os.Exit(1)
	}
}

type connection struct{ id, region, status string }

func run() error {
	listen := flag.String("listen", "127.0.0.1:0", "loopback `host:port` to listen on")
	accessKey := flag.String("access-key", "", "the AccessKeyId to accept (required)")
	secretKey := flag.String("secret-key", "", "its AccessKeySecret (required)")
	token := flag.String("security-token", "", "the SecurityToken requests must carry (optional)")
	addrFile := flag.String("addr-file", "", "write the listening address to this `file`")
	asString := flag.Bool("order-id-as-string", false, "answer Data.OrderId as a JSON string")
	var conns []connection
	flag.Func("connection", "a physical connection `pc-id:region:status` (repeatable)", func(v string) error {
		parts := strings.Split(v, ":")
		if len(parts) != 3 || parts[0] == "" || parts[1] == "" || parts[2] == "" {
			return fmt.Errorf("want pc-id:region:status, got %q", v)
		}
		conns = append(conns, connection{parts[0], parts[1], parts[2]})
		return nil
	})
	flag.Parse()
	if flag.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", flag.Args())
	}
	if *accessKey == "" || *secretKey == "" {
		return fmt.Errorf("-access-key and -secret-key are required")
	}

	s := fakealicloud.New(fakealicloud.Config{
		Credentials:     map[string]fakealicloud.Credential{*accessKey: {AccessKeySecret: *secretKey, SecurityToken: *token}},
		OrderIDAsString: *asString,
		OnRequest:       logRequest,
	})
	for _, c := range conns {
		s.AddPhysicalConnection(c.id, c.region, c.status)
	}
	addr, err := s.Listen(*listen)
	if err != nil {
		return err
	}
	defer s.Close()
	if *addrFile != "" {
		// Write then rename, so that a reader never sees a partial address.
		tmp := filepath.Join(filepath.Dir(*addrFile), "."+filepath.Base(*addrFile)+".tmp")
		if err := os.WriteFile(tmp, []byte(addr+"\n"), 0o600); err != nil {
			return err
		}
		if err := os.Rename(tmp, *addrFile); err != nil {
			return err
		}
	}
	fmt.Println(addr)

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	<-ctx.Done()
	return nil
}

// logRequest prints one line per API request: what was asked, what was
// answered. It prints no credential: the AccessKeyId only.
func logRequest(r fakealicloud.Request) {
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
	fmt.Printf("%s %s (%s, key %s):%s -> %s\n", r.Time.Format(time.RFC3339), r.Action, r.SignatureMethod, r.AccessKeyID, params.String(), outcome)
}
