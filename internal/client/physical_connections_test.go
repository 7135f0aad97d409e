package client

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"
)

// TestCircuitLookup_oneListingForEveryone: concurrent lookups of many
// circuits share one listing of the region, paged by 50.
func TestCircuitLookup_oneListingForEveryone(t *testing.T) {
	f := newFixture(t, nil)
	for i := range 70 {
		f.fake.AddPhysicalConnection(fmt.Sprintf("pc-page%03d", i), testRegion, "Enabled")
	}
	f.fake.AddPhysicalConnection("pc-elsewhere", "cn-beijing", "Enabled")
	f.fake.AddPhysicalConnection("pc-dead", testRegion, "Terminated")
	l := f.client.NewCircuitLookup(5 * time.Second)
	var wg sync.WaitGroup
	errs := make(chan error, 100)
	for i := range 100 {
		wg.Go(func() {
			id := fmt.Sprintf("pc-page%03d", i%70)
			pc, err := l.Lookup(context.Background(), id)
			if err != nil || pc == nil || pc.ID != id || pc.Status != "Enabled" {
				errs <- fmt.Errorf("%s: %+v, %v", id, pc, err)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if pc, err := l.Lookup(context.Background(), "pc-elsewhere"); pc != nil || err != nil {
		t.Errorf("a circuit of another region: %+v, %v; want not found", pc, err)
	}
	if pc, _ := l.Lookup(context.Background(), "pc-dead"); pc == nil || pc.Status != "Terminated" {
		t.Errorf("pc-dead: %+v", pc)
	}
	reqs := f.fake.Requests()
	// 72 circuits in the region (one from the fixture): two pages of 50.
	if len(reqs) != 2 || reqs[0].Params["PageNumber"] != "1" || reqs[1].Params["PageNumber"] != "2" || reqs[0].Params["PageSize"] != "50" {
		t.Fatalf("the fake received %d requests: %+v", len(reqs), reqs)
	}
}

// TestCircuitLookup_failureIsShared: a listing that fails is not retried by
// every caller.
func TestCircuitLookup_failureIsShared(t *testing.T) {
	f := newFixture(t, nil)
	f.fake.Deny(ActionDescribePhysicalConnections, "Forbidden.RAM")
	l := f.client.NewCircuitLookup(time.Second)
	for range 5 {
		if _, err := l.Lookup(context.Background(), testPC); err == nil {
			t.Fatal("a denied listing gave no error")
		}
	}
	if n := len(f.fake.Requests()); n != 1 {
		t.Fatalf("%d requests, want 1", n)
	}
}
