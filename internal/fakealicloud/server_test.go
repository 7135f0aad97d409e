package fakealicloud

import (
	"testing"
)

func TestListenRefusesNonLoopback(t *testing.T) {
	s := New(Config{})
	defer s.Close()
	for _, addr := range []string{"0.0.0.0:0", ":0", "192.0.2.1:0", "example.com:80", "nonsense"} {
		if _, err := s.Listen(addr); err == nil {
			t.Errorf("Listen(%q) succeeded", addr)
		}
	}
	for _, addr := range []string{"127.0.0.1:0", "localhost:0"} {
		if _, err := s.Listen(addr); err != nil {
			t.Errorf("Listen(%q): %v", addr, err)
		}
	}
	s.Close()
	if _, err := s.Start(); err == nil {
		t.Error("Start after Close succeeded")
	}
}
