package fakealicloud

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

func TestAdminEndpoints(t *testing.T) {
	_, addr, clk := newTestServer(t, nil)
	get := func(path string) (*http.Response, []byte) {
		res, err := http.Get("http://" + addr + path)
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = res.Body.Close() }()
		b, _ := io.ReadAll(res.Body)
		return res, b
	}
	for _, path := range []string{"/_fake/orders", "/_fake/requests"} {
		if _, body := get(path); strings.TrimSpace(string(body)) != "[]" {
			t.Errorf("empty %s: %s", path, body)
		}
	}
	wantOK(t, newCall(AlgorithmACS3, clk.Now(), orderParams("tok")).do(t, addr))
	res, body := get("/_fake/orders")
	var orders []Order
	if err := json.Unmarshal(body, &orders); err != nil || res.StatusCode != 200 || len(orders) != 1 || orders[0].ClientToken != "tok" {
		t.Errorf("orders: %d %s %v", res.StatusCode, body, err)
	}
	res, body = get("/_fake/requests")
	var reqs []Request
	if err := json.Unmarshal(body, &reqs); err != nil || res.StatusCode != 200 || len(reqs) != 1 || reqs[0].OrderID != orders[0].ID {
		t.Errorf("requests: %d %s %v", res.StatusCode, body, err)
	}
	if res, _ := get("/_fake/nothing"); res.StatusCode != 404 {
		t.Errorf("unknown admin path: %d", res.StatusCode)
	}
	res, err := http.Post("http://"+addr+"/_fake/orders", "text/plain", bytes.NewReader(nil))
	if err != nil {
		t.Fatal(err)
	}
	_ = res.Body.Close()
	if res.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST admin: %d", res.StatusCode)
	}
}
