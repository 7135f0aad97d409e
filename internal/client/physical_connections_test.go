package client

import (
	"context"
	"fmt"
	"net/url"
	"reflect"
	"slices"
	"testing"
)

// addCircuits adds n circuits pc-r0000... to the fixture's region and
// returns their IDs.
func (f *fixture) addCircuits(n int, status string) []string {
	ids := make([]string, n)
	for i := range n {
		ids[i] = fmt.Sprintf("pc-r%04d", i)
		f.fake.AddPhysicalConnection(ids[i], testRegion, status)
	}
	return ids
}

// filterValues returns the Filter.1.Value.N of a request, in order, and
// checks that its key is the documented one and that it has no other filter.
func filterValues(t *testing.T, p url.Values) []string {
	t.Helper()
	var out []string
	for k := range p {
		if len(k) > 7 && k[:7] == "Filter." && k != "Filter.1.Key" && !isValueParam(k) {
			t.Fatalf("unexpected filter parameter %s=%v", k, p[k])
		}
	}
	for n := 1; p.Has(fmt.Sprintf("Filter.1.Value.%d", n)); n++ {
		out = append(out, p.Get(fmt.Sprintf("Filter.1.Value.%d", n)))
	}
	if len(out) > 0 && p.Get("Filter.1.Key") != "PhysicalConnectionId" {
		t.Fatalf("Filter.1.Key = %q", p.Get("Filter.1.Key"))
	}
	if len(out) > MaxCircuitsPerFilter {
		t.Fatalf("%d values in one filter", len(out))
	}
	return out
}

func isValueParam(k string) bool {
	var n int
	_, err := fmt.Sscanf(k, "Filter.1.Value.%d", &n)
	return err == nil
}

func TestDescribePhysicalConnections_filtersByID(t *testing.T) {
	f := newFixture(t, nil)
	ids := f.addCircuits(120, "Confirmed")
	asked := []string{ids[3], ids[77], "pc-missing", ids[119], testPC}
	got, err := f.client.DescribePhysicalConnections(context.Background(), asked...)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 4 || got[ids[77]].Status != "Confirmed" || got[testPC].Status != "Confirmed" || got[ids[3]].ID != ids[3] {
		t.Fatalf("got %+v", got)
	}
	sent := f.requests(ActionDescribePhysicalConnections)
	if len(sent) != 1 || !reflect.DeepEqual(filterValues(t, sent[0]), asked) || sent[0].Get("PageSize") != "50" {
		t.Fatalf("sent %v, want one request filtered by %v", sent, asked)
	}
}

func TestDescribePhysicalConnections_moreIDsThanAFilterTakes(t *testing.T) {
	f := newFixture(t, nil)
	ids := f.addCircuits(12, "Enabled")
	got, err := f.client.DescribePhysicalConnections(context.Background(), ids...)
	if err != nil || len(got) != 12 {
		t.Fatalf("got %d circuits, %v", len(got), err)
	}
	var all []string
	sent := f.requests(ActionDescribePhysicalConnections)
	for _, p := range sent {
		all = append(all, filterValues(t, p)...)
	}
	if len(sent) != 3 || !slices.Equal(all, ids) {
		t.Fatalf("%d requests asking %v, want 3 asking %v", len(sent), all, ids)
	}
}

func TestDescribePhysicalConnections_wholeRegionByPages(t *testing.T) {
	f := newFixture(t, nil)
	f.addCircuits(120, "Enabled")
	f.fake.AddPhysicalConnection("pc-elsewhere", "cn-beijing", "Enabled")
	got, err := f.client.DescribePhysicalConnections(context.Background())
	if err != nil || len(got) != 121 {
		t.Fatalf("got %d circuits, %v; want 121", len(got), err)
	}
	if _, ok := got["pc-elsewhere"]; ok {
		t.Fatal("a circuit of another region was listed")
	}
	sent := f.requests(ActionDescribePhysicalConnections)
	if len(sent) != 3 {
		t.Fatalf("%d requests, want 3 pages", len(sent))
	}
	for i, p := range sent {
		if p.Get("PageNumber") != fmt.Sprint(i+1) || p.Get("PageSize") != "50" || len(filterValues(t, p)) != 0 {
			t.Fatalf("request %d: %v", i+1, p)
		}
	}
}

func TestDescribePhysicalConnectionsPage_totalCount(t *testing.T) {
	f := newFixture(t, nil)
	f.addCircuits(99, "Enabled")
	p, err := f.client.DescribePhysicalConnectionsPage(context.Background(), 2)
	if err != nil || p.TotalCount != 100 || p.Pages() != 2 || len(p.Circuits) != 50 || p.RequestID == "" {
		t.Fatalf("got %+v, %v", p, err)
	}
	if _, err := f.client.DescribePhysicalConnectionsPage(context.Background(), 1, "a", "b", "c", "d", "e", "f"); err == nil {
		t.Fatal("six IDs in one filter were accepted")
	}
}
