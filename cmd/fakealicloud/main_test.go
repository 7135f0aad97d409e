package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pcorder/terraform-provider-alicloud/internal/fakealicloud"
)

const (
	testAK     = "LTAIcmdtest"
	testSecret = "cmd-test-secret"
	testToken  = "cmd-test-token"
)

func TestParseFlags(t *testing.T) {
	o, err := parseFlags([]string{
		"-listen", "localhost:0", "-access-key", testAK, "-secret-key", testSecret, "-security-token", testToken,
		"-addr-file", "/tmp/x", "-order-id-as-string",
		"-connection", "pc-a:cn-hangzhou:Enabled", "-connection", "pc-b:cn-beijing:Complete:FinancialLocked",
		"-balance-insufficient", "-billing-lag", "5s", "-billing-mode", "not-applicable", "-instance-ids-format", "json",
		"-deny", "GetOrderDetail=Forbidden.RAM", "-deny", "DescribePhysicalConnections=NoPermission",
		"-rate-limit", "2.5", "-burst", "3",
		"-region", "cn-shanghai", "-unlisted", "pc-a", "-enable-lag", "3s", "-postpaid-refused",
		"-transient", "LastTokenProcessing=2", "-transient", "SystemBusy=1", "-payment-spelling", "sdk",
		"-query-orders-rules", "required",
		"-order-detail-failure", "InternalError:busy: try later",
	}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	want := &options{
		listen: "localhost:0", accessKey: testAK, secretKey: testSecret, token: testToken, addrFile: "/tmp/x", orderIDAsString: true,
		connections: []connection{
			{"pc-a", "cn-hangzhou", "Enabled", fakealicloud.BusinessStatusNormal},
			{"pc-b", "cn-beijing", "Complete", "FinancialLocked"},
		},
		balanceInsufficient: true, billingLag: 5 * time.Second,
		billingMode: fakealicloud.BillingNotApplicable, instanceIDs: fakealicloud.InstanceIDsJSON,
		deny:      [][2]string{{"GetOrderDetail", "Forbidden.RAM"}, {"DescribePhysicalConnections", "NoPermission"}},
		rateLimit: 2.5, burst: 3,
		regions: []string{"cn-shanghai"}, unlisted: []string{"pc-a"}, enableLag: 3 * time.Second, postPaidRefused: true,
		transients:      []transient{{"LastTokenProcessing", 2}, {"SystemBusy", 1}},
		paymentSpelling: fakealicloud.PaymentSpellingSDK, failCode: "InternalError", failMessage: "busy: try later",
		queryRules: fakealicloud.QueryOrdersRequired,
	}
	if !reflect.DeepEqual(o, want) {
		t.Errorf("options\n got %+v\nwant %+v", o, want)
	}

	o, err = parseFlags([]string{"-access-key", testAK, "-secret-key", testSecret}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	want = &options{listen: "127.0.0.1:0", accessKey: testAK, secretKey: testSecret,
		billingMode: fakealicloud.BillingNormal, instanceIDs: fakealicloud.InstanceIDsJSON, burst: 1,
		enableLag: fakealicloud.DefaultEnableLag, paymentSpelling: fakealicloud.PaymentSpellingDocs,
		queryRules: fakealicloud.QueryOrdersSDK}
	if !reflect.DeepEqual(o, want) {
		t.Errorf("defaults\n got %+v\nwant %+v", o, want)
	}
}

func TestParseFlags_errors(t *testing.T) {
	keys := []string{"-access-key", testAK, "-secret-key", testSecret}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{nil, "-access-key and -secret-key are required"},
		{[]string{"-access-key", testAK}, "-access-key and -secret-key are required"},
		{append([]string{"extra"}, keys...), "unexpected arguments"},
		{append([]string{"-connection", "pc-a:cn-hangzhou"}, keys...), "want pc-id:region:status[:business-status]"},
		{append([]string{"-connection", "pc-a::Enabled"}, keys...), "want pc-id:region:status[:business-status]"},
		{append([]string{"-connection", "pc-a:r:Enabled:Normal:x"}, keys...), "want pc-id:region:status[:business-status]"},
		{append([]string{"-connection", "pc-a:r:Enabled:"}, keys...), "want pc-id:region:status[:business-status]"},
		{append([]string{"-billing-mode", "denied"}, keys...), `unknown billing mode "denied"`},
		{append([]string{"-instance-ids-format", "csv"}, keys...), `unknown InstanceIDs format "csv"`},
		{append([]string{"-deny", "GetOrderDetail"}, keys...), "want Action=Code"},
		{append([]string{"-deny", "=Forbidden.RAM"}, keys...), "want Action=Code"},
		{append([]string{"-deny", "GetOrderDetail="}, keys...), "want Action=Code"},
		{append([]string{"-billing-lag", "5"}, keys...), "invalid value"},
		{append([]string{"-rate-limit", "-1"}, keys...), "-rate-limit must be at least 0"},
		{append([]string{"-rate-limit", "5", "-burst", "0"}, keys...), "-burst at least 1"},
		{append([]string{"-enable-lag", "-1s"}, keys...), "-enable-lag must be at least 0"},
		{append([]string{"-transient", "SystemBusy"}, keys...), "want CODE=N"},
		{append([]string{"-transient", "SystemBusy=0"}, keys...), "want CODE=N"},
		{append([]string{"-transient", "Throttling=1"}, keys...), "want CODE=N"},
		{append([]string{"-payment-spelling", "upper"}, keys...), `unknown payment spelling "upper"`},
		{append([]string{"-query-orders-rules", "strict"}, keys...), `unknown QueryOrders rules "strict"`},
		{append([]string{"-order-detail-failure", ":message"}, keys...), "want CODE[:MESSAGE]"},
	} {
		if _, err := parseFlags(tc.args, io.Discard); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: %v, want %q", tc.args, err, tc.want)
		}
	}
}

func TestHelpListsEveryFlag(t *testing.T) {
	var out bytes.Buffer
	if _, err := parseFlags([]string{"-h"}, &out); !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("-h: %v", err)
	}
	for _, name := range []string{"listen", "access-key", "secret-key", "security-token", "addr-file", "order-id-as-string",
		"connection", "balance-insufficient", "billing-lag", "billing-mode", "instance-ids-format", "deny", "rate-limit", "burst",
		"region", "unlisted", "enable-lag", "postpaid-refused", "transient", "payment-spelling", "order-detail-failure"} {
		if !strings.Contains(out.String(), "\n  -"+name+" ") && !strings.Contains(out.String(), "\n  -"+name+"\n") {
			t.Errorf("-h does not list -%s:\n%s", name, out.String())
		}
	}
	// It says how to get a circuit that takes an order, and how to pay.
	for _, want := range []string{"-connection pc-id:region:Confirmed", "curl -X POST http://ADDR/_fake/orders/ID/pay"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("-h does not say %q:\n%s", want, out.String())
		}
	}
}

// syncBuffer is a bytes.Buffer safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

var nonce int

// call makes one HMAC-SHA1-signed API call and returns the status and the
// decoded answer.
func call(t *testing.T, addr, action, version string, params map[string]string) (int, map[string]any) {
	t.Helper()
	return callHost(t, addr, "", action, version, params)
}

// callHost is call with a Host header; "" means addr.
func callHost(t *testing.T, addr, host, action, version string, params map[string]string) (int, map[string]any) {
	t.Helper()
	nonce++
	all := map[string]string{
		"Action": action, "Version": version, "Format": "JSON", "AccessKeyId": testAK, "SecurityToken": testToken,
		"SignatureMethod": "HMAC-SHA1", "SignatureVersion": "1.0", "SignatureNonce": fmt.Sprint("n", nonce),
		"Timestamp": time.Now().UTC().Format("2006-01-02T15:04:05Z"),
	}
	for k, v := range params {
		all[k] = v
	}
	q := url.Values{"Signature": {fakealicloud.SignRPC(http.MethodPost, all, testSecret)}}
	for k, v := range all {
		q.Set(k, v)
	}
	req, err := http.NewRequest(http.MethodPost, "http://"+addr+"/?"+q.Encode(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if host != "" {
		req.Host = host
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = res.Body.Close() }()
	var body map[string]any
	if err := json.NewDecoder(res.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	return res.StatusCode, body
}

func TestRun(t *testing.T) {
	addrFile := filepath.Join(t.TempDir(), "addr")
	ctx, cancel := context.WithCancel(context.Background())
	var stdout syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-access-key", testAK, "-secret-key", testSecret, "-security-token", testToken, "-addr-file", addrFile,
			"-connection", "pc-ok:cn-hangzhou:Confirmed", "-connection", "pc-locked:cn-hangzhou:Complete:FinancialLocked",
			"-billing-mode", "not-applicable", "-deny", "DescribePhysicalConnections=Forbidden.RAM", "-rate-limit", "0.001", "-burst", "2",
			"-balance-insufficient", "-billing-lag", "1h", "-instance-ids-format", "comma"}, &stdout, io.Discard)
	}()
	var addr string
	for deadline := time.Now().Add(10 * time.Second); addr == ""; time.Sleep(10 * time.Millisecond) {
		if b, err := os.ReadFile(addrFile); err == nil {
			addr = strings.TrimSpace(string(b))
		} else if time.Now().After(deadline) {
			t.Fatal("no address written")
		}
	}

	for _, tc := range []struct {
		action, version string
		params          map[string]string
		status          int
		code            string
	}{
		{fakealicloud.ActionCreateOccupancyOrder, fakealicloud.APIVersion,
			map[string]string{"RegionId": "cn-hangzhou", "PhysicalConnectionId": "pc-ok", "AutoPay": "true"}, 200, ""},
		{fakealicloud.ActionCreateOccupancyOrder, fakealicloud.APIVersion,
			map[string]string{"RegionId": "cn-hangzhou", "PhysicalConnectionId": "pc-locked"}, 400, "INSTANCE.STATUS.NOT.ALLOW"},
		{fakealicloud.ActionDescribePhysicalConnections, fakealicloud.APIVersion, map[string]string{"RegionId": "cn-hangzhou"}, 403, "Forbidden.RAM"},
		{fakealicloud.ActionGetOrderDetail, fakealicloud.BillingAPIVersion, map[string]string{"OrderId": "203167309740138"}, 400, "NotApplicable"},
	} {
		status, body := call(t, addr, tc.action, tc.version, tc.params)
		if code, _ := body["Code"].(string); status != tc.status || code != tc.code {
			t.Errorf("%s: %d %v, want %d %s", tc.action, status, body, tc.status, tc.code)
		}
	}
	// The international endpoint answers, but the order is not shown yet.
	status, body := callHost(t, addr, fakealicloud.InternationalBillingHost, fakealicloud.ActionGetOrderDetail, fakealicloud.BillingAPIVersion,
		map[string]string{"OrderId": "203167309740138"})
	if data, _ := body["Data"].(map[string]any); status != 200 || data["TotalCount"] != 0.0 {
		t.Errorf("GetOrderDetail on the international host: %d %v", status, body)
	}
	// The billing state is as the flags say.
	res, err := http.Get("http://" + addr + "/_fake/billing")
	if err != nil {
		t.Fatal(err)
	}
	var billing []fakealicloud.BillingOrder
	err = json.NewDecoder(res.Body).Decode(&billing)
	_ = res.Body.Close()
	if err != nil || len(billing) != 1 || billing[0].PaymentStatus != fakealicloud.PaymentCancelled {
		t.Errorf("billing %+v: %v", billing, err)
	}
	// The rate limit holds: the two creates above took the burst.
	p := map[string]string{"RegionId": "cn-hangzhou", "PhysicalConnectionId": "pc-ok"}
	throttled := 0
	for range 5 {
		if _, body := call(t, addr, fakealicloud.ActionCreateOccupancyOrder, fakealicloud.APIVersion, p); body["Code"] == "Throttling.User" {
			throttled++
		}
	}
	if throttled != 5 {
		t.Errorf("%d of 5 creates throttled", throttled)
	}

	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	log := stdout.String()
	for _, want := range []string{addr + "\n", "CreatePhysicalConnectionOccupancyOrder (HMAC-SHA1, key " + testAK + ", host " + addr + "):",
		"-> HTTP 200 order 203167309740138", "-> HTTP 400 INSTANCE.STATUS.NOT.ALLOW", "-> HTTP 403 Forbidden.RAM", "-> HTTP 400 NotApplicable"} {
		if !strings.Contains(log, want) {
			t.Errorf("the log lacks %q:\n%s", want, log)
		}
	}
	for _, secret := range []string{testSecret, testToken} {
		if strings.Contains(log, secret) {
			t.Errorf("the log shows a secret:\n%s", log)
		}
	}
}

func TestNewServer_instanceIDsFormat(t *testing.T) {
	o, err := parseFlags([]string{"-access-key", testAK, "-secret-key", testSecret, "-security-token", testToken,
		"-connection", "pc-ok:cn-hangzhou:Complete", "-instance-ids-format", "comma"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	s := o.newServer(nil)
	addr, err := s.Start()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if status, body := call(t, addr, fakealicloud.ActionCreateOccupancyOrder, fakealicloud.APIVersion,
		map[string]string{"RegionId": "cn-hangzhou", "PhysicalConnectionId": "pc-ok"}); status != 200 {
		t.Fatalf("create: %d %v", status, body)
	}
	_, body := call(t, addr, fakealicloud.ActionGetOrderDetail, fakealicloud.BillingAPIVersion, map[string]string{"OrderId": "203167309740138"})
	if !strings.Contains(fmt.Sprint(body), "InstanceIDs:pc-ok,i-extra") || !strings.Contains(fmt.Sprint(body), "PaymentStatus:Unpaid") {
		t.Errorf("GetOrderDetail %v", body)
	}
}
