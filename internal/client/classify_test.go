package client

import (
	"context"
	"errors"
	"net"
	"testing"
	"time"

	"github.com/pcorder/terraform-provider-alicloud/internal/fakealicloud"
)

// TestClassify_failFast: what no retry can mend ends the call at its first
// attempt, with the kind that names the setting to fix, and nothing placed.
func TestClassify_failFast(t *testing.T) {
	t.Run("HTTPS to a plain-HTTP port", func(t *testing.T) {
		f := newFixture(t, func(c *Config) { c.Protocol = ProtocolHTTPS })
		assertFailsFast(t, f, KindProtocolMismatch)
	})
	t.Run("HTTP to an HTTPS port", func(t *testing.T) {
		f := newFixture(t, nil)
		tlsFake := fakealicloud.New(fakealicloud.Config{Credentials: map[string]fakealicloud.Credential{testKey: {AccessKeySecret: testSecret}}})
		addr, _, err := tlsFake.StartTLS()
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(tlsFake.Close)
		f.fake = tlsFake
		f.client.cfg.VPCEndpoint = addr
		assertFailsFast(t, f, KindProtocolMismatch)
	})
	t.Run("endpoint never reached", func(t *testing.T) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := ln.Addr().String()
		_ = ln.Close()
		f := newFixture(t, func(c *Config) { c.VPCEndpoint = addr; c.Retry.UnreachableAfter = 100 * time.Millisecond })
		_, err = f.client.CreateOccupancyOrder(context.Background(), order("tok-unreachable"))
		var reqErr *RequestError
		if !errors.As(err, &reqErr) || reqErr.Kind != KindUnreachable || reqErr.Endpoint != addr {
			t.Fatalf("err = %#v, want an unreachable RequestError naming %s", err, addr)
		}
	})
}

func assertFailsFast(t *testing.T, f *fixture, want Kind) {
	t.Helper()
	_, err := f.client.CreateOccupancyOrder(context.Background(), order("tok-fail-fast"))
	var reqErr *RequestError
	if !errors.As(err, &reqErr) || reqErr.Kind != want {
		t.Fatalf("err = %#v, want a RequestError of kind %q", err, want)
	}
	if len(f.logs) != 1 || len(f.sleeps) != 0 {
		t.Fatalf("%d attempts and %d waits, want one attempt and no wait", len(f.logs), len(f.sleeps))
	}
	if n := len(f.fake.Orders()); n != 0 {
		t.Fatalf("%d orders placed", n)
	}
}
