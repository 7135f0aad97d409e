package fakealicloud

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

func TestDescribePhysicalConnections_answer(t *testing.T) {
	s, addr, clk := newTestServer(t, nil)
	s.AddPhysicalConnection("pc-other-region", "cn-beijing", "Enabled")
	r := describeCall(clk.Now(), map[string]string{"RegionId": testRegion}).do(t, addr)
	wantOK(t, r)
	want := fmt.Sprintf(`{"RequestId":%q,"PageNumber":1,"PageSize":10,"TotalCount":1,"PhysicalConnectionSet":{"PhysicalConnectionType":[`+
		`{"PhysicalConnectionId":"pc-test1","Status":"Confirmed","BusinessStatus":"Normal","ChargeType":"Prepaid","Name":"pc-test1",`+
		`"Type":"VPC","LineOperator":"CT","Bandwidth":1000,"Spec":"1G","PortType":"1000Base-LX","AccessPointId":"ap-cn-hangzhou-fake",`+
		`"ProductType":"PhysicalConnection","CreationTime":"2025-03-04T05:06:07Z"}]}}`, r.requestID)
	if r.raw != want {
		t.Errorf("answer\n got %s\nwant %s", r.raw, want)
	}

	// A region without connections lists none, as an empty array.
	r = describeCall(clk.Now(), map[string]string{"RegionId": "eu-central-1"}).do(t, addr)
	if wantOK(t, r); !strings.Contains(r.raw, `"TotalCount":0,"PhysicalConnectionSet":{"PhysicalConnectionType":[]}`) {
		t.Errorf("empty answer %s", r.raw)
	}

	rec := lastRequest(t, s)
	if rec.Action != ActionDescribePhysicalConnections || rec.Version != APIVersion || rec.HTTPStatus != http.StatusOK ||
		rec.OrderID != "" || rec.Params["RegionId"] != "eu-central-1" || rec.Host != addr {
		t.Errorf("record %+v", rec)
	}
	if len(s.Orders()) != 0 {
		t.Error("describing placed an order")
	}
}

func TestDescribePhysicalConnections_pages(t *testing.T) {
	s, addr, clk := newTestServer(t, nil)
	const region = "cn-shanghai" // not testPC's
	for i := 12; i >= 1; i-- {   // added out of order; listed sorted
		s.AddPhysicalConnection(fmt.Sprintf("pc-%02d", i), region, "Enabled")
	}
	ids := func(from, to int) string {
		var b []string
		for i := from; i <= to; i++ {
			b = append(b, fmt.Sprintf("pc-%02d", i))
		}
		return strings.Join(b, ",")
	}
	for _, tc := range []struct {
		pageNumber, pageSize string // "" leaves it out
		want                 string
	}{
		{"", "", ids(1, 10)},
		{"2", "", ids(11, 12)},
		{"3", "", ""},
		{"1", "5", ids(1, 5)},
		{"3", "5", ids(11, 12)},
		{"", "50", ids(1, 12)},
		{"12", "1", ids(12, 12)},
		{"2147483647", "50", ""},
	} {
		p := map[string]string{"RegionId": region}
		if tc.pageNumber != "" {
			p["PageNumber"] = tc.pageNumber
		}
		if tc.pageSize != "" {
			p["PageSize"] = tc.pageSize
		}
		r := describeCall(clk.Now(), p).do(t, addr)
		got, total := connectionIDs(t, r)
		a := decodeOK[describeAnswer](t, r)
		wantNumber, wantSize := firstNonEmpty(tc.pageNumber, "1"), firstNonEmpty(tc.pageSize, "10")
		if strings.Join(got, ",") != tc.want || total != 12 || fmt.Sprint(a.PageNumber) != wantNumber || fmt.Sprint(a.PageSize) != wantSize {
			t.Errorf("PageNumber %q PageSize %q: got %v (total %d, page %d size %d), want %s",
				tc.pageNumber, tc.pageSize, got, total, a.PageNumber, a.PageSize, tc.want)
		}
	}
}

// TestDescribePhysicalConnections_filteredPages pages through the circuits
// a filter keeps, among circuits it does not keep.
func TestDescribePhysicalConnections_filteredPages(t *testing.T) {
	s, addr, clk := newTestServer(t, nil)
	const region = "cn-shanghai"
	for i := 1; i <= 9; i++ {
		status := "Enabled"
		if i%3 == 0 {
			status = StatusComplete
		}
		s.AddPhysicalConnection(fmt.Sprintf("pc-%02d", i), region, status)
	}
	p := map[string]string{"RegionId": region, "Filter.1.Key": "Status", "Filter.1.Value.1": StatusComplete, "PageSize": "2", "PageNumber": "2"}
	got, total := connectionIDs(t, describeCall(clk.Now(), p).do(t, addr))
	if strings.Join(got, ",") != "pc-09" || total != 3 {
		t.Errorf("page 2 of the Complete circuits: %v of %d, want pc-09 of 3", got, total)
	}
}

func TestDescribePhysicalConnections_filters(t *testing.T) {
	s, addr, clk := newTestServer(t, nil)
	s.AddPhysicalConnection("pc-a", testRegion, "Enabled")
	s.AddPhysicalConnection("pc-b", testRegion, "Terminated")
	s.AddPhysicalConnection("pc-c", testRegion, StatusComplete)
	s.AddPhysicalConnection("pc-elsewhere", "cn-beijing", "Enabled")
	for _, tc := range []struct {
		name    string
		filters map[string]string
		want    string
	}{
		{"none", nil, "pc-a,pc-b,pc-c,pc-test1"},
		{"one ID", map[string]string{"Filter.1.Key": "PhysicalConnectionId", "Filter.1.Value.1": "pc-b"}, "pc-b"},
		{"IDs are ORed", map[string]string{"Filter.1.Key": "PhysicalConnectionId", "Filter.1.Value.1": "pc-c", "Filter.1.Value.2": "pc-a"}, "pc-a,pc-c"},
		{"five values", map[string]string{"Filter.1.Key": "PhysicalConnectionId", "Filter.1.Value.1": "pc-a", "Filter.1.Value.2": "x",
			"Filter.1.Value.3": "y", "Filter.1.Value.4": "z", "Filter.1.Value.5": "pc-b"}, "pc-a,pc-b"},
		{"another region's ID", map[string]string{"Filter.1.Key": "PhysicalConnectionId", "Filter.1.Value.1": "pc-elsewhere"}, ""},
		{"unknown ID", map[string]string{"Filter.1.Key": "PhysicalConnectionId", "Filter.1.Value.1": "pc-nothing"}, ""},
		{"status", map[string]string{"Filter.1.Key": "Status", "Filter.1.Value.1": "Enabled"}, "pc-a"},
		{"statuses", map[string]string{"Filter.1.Key": "Status", "Filter.1.Value.1": StatusConfirmed, "Filter.1.Value.2": StatusComplete}, "pc-c,pc-test1"},
		{"product type", map[string]string{"Filter.1.Key": "ProductType", "Filter.1.Value.1": "PhysicalConnection"}, "pc-a,pc-b,pc-c,pc-test1"},
		{"other product type", map[string]string{"Filter.1.Key": "ProductType", "Filter.1.Value.1": "VirtualPhysicalConnection"}, ""},
		{"filters are ANDed", map[string]string{"Filter.1.Key": "Status", "Filter.1.Value.1": "Enabled",
			"Filter.2.Key": "PhysicalConnectionId", "Filter.2.Value.1": "pc-a", "Filter.2.Value.2": "pc-b"}, "pc-a"},
		{"fifth filter", map[string]string{"Filter.5.Key": "Name", "Filter.5.Value.1": "pc-c"}, "pc-c"},
		{"fixed fields", map[string]string{"Filter.1.Key": "Type", "Filter.1.Value.1": "VPC", "Filter.2.Key": "LineOperator", "Filter.2.Value.1": "CT",
			"Filter.3.Key": "Spec", "Filter.3.Value.1": "1G", "Filter.4.Key": "AccessPointId", "Filter.4.Value.1": "ap-cn-hangzhou-fake"}, "pc-a,pc-b,pc-c,pc-test1"},
		{"other line operator", map[string]string{"Filter.1.Key": "LineOperator", "Filter.1.Value.1": "CU"}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := map[string]string{"RegionId": testRegion}
			for k, v := range tc.filters {
				p[k] = v
			}
			got, total := connectionIDs(t, describeCall(clk.Now(), p).do(t, addr))
			if strings.Join(got, ",") != tc.want || total != len(got) {
				t.Errorf("got %v (total %d), want %s", got, total, tc.want)
			}
		})
	}
}

func TestDescribePhysicalConnections_invalid(t *testing.T) {
	s, addr, clk := newTestServer(t, nil)
	for _, tc := range []struct {
		name   string
		params map[string]string
		code   string
		names  string // the parameter the message must name
	}{
		{"no region", map[string]string{}, "MissingParameter", "RegionId"},
		{"page size 0", map[string]string{"PageSize": "0"}, "InvalidParameter", "PageSize"},
		{"page size 51", map[string]string{"PageSize": "51"}, "InvalidParameter", "PageSize"},
		{"page size not a number", map[string]string{"PageSize": "ten"}, "InvalidParameter", "PageSize"},
		{"page number 0", map[string]string{"PageNumber": "0"}, "InvalidParameter", "PageNumber"},
		{"page number too large", map[string]string{"PageNumber": "2147483648"}, "InvalidParameter", "PageNumber"},
		{"six values", map[string]string{"Filter.2.Key": "PhysicalConnectionId", "Filter.2.Value.1": "a", "Filter.2.Value.2": "b",
			"Filter.2.Value.3": "c", "Filter.2.Value.4": "d", "Filter.2.Value.5": "e", "Filter.2.Value.6": "f"}, "InvalidParameter", "Filter.2.Value"},
		{"unknown key", map[string]string{"Filter.1.Key": "Bandwidth", "Filter.1.Value.1": "1000"}, "InvalidFilterKey.ValueNotSupported", "Filter.1.Key"},
		{"sixth filter", map[string]string{"Filter.6.Key": "Name", "Filter.6.Value.1": "x"}, "InvalidParameter", "Filter.6.Key"},
		{"filter 0", map[string]string{"Filter.0.Key": "Name", "Filter.0.Value.1": "x"}, "InvalidParameter", "Filter.0.Key"},
		{"value 0", map[string]string{"Filter.1.Key": "Name", "Filter.1.Value.0": "x"}, "InvalidParameter", "Filter.1.Value.0"},
		{"malformed", map[string]string{"Filter.1.Keys": "Name"}, "InvalidParameter", "Filter.1.Keys"},
		{"values without a key", map[string]string{"Filter.1.Value.1": "x"}, "MissingParameter", "Filter.1.Key"},
		{"a key without values", map[string]string{"Filter.1.Key": "Name"}, "MissingParameter", "Filter.1.Value.1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := map[string]string{"RegionId": testRegion}
			if tc.name == "no region" {
				delete(p, "RegionId")
			}
			for k, v := range tc.params {
				p[k] = v
			}
			r := describeCall(clk.Now(), p).do(t, addr)
			status, quoted := http.StatusBadRequest, `\"`+tc.names+`\"`
			if tc.code == "InvalidFilterKey.ValueNotSupported" {
				// 404 and the message of VPC's Describe pages.
				status, quoted = http.StatusNotFound, `"Message":"Specified filter key is not supported: `+tc.names+`"`
			}
			wantErr(t, r, status, tc.code)
			if !strings.Contains(r.raw, quoted) || !strings.Contains(r.raw, `"HostId":"vpc.aliyuncs.com"`) {
				t.Errorf("body %s does not name %s", r.raw, tc.names)
			}
		})
	}
	c := describeCall(clk.Now(), map[string]string{"RegionId": testRegion})
	c.version = STSAPIVersion
	wantErr(t, c.do(t, addr), http.StatusBadRequest, "InvalidVersion")
	c = describeCall(clk.Now(), map[string]string{"RegionId": testRegion})
	c.secret = "wrong"
	wantErr(t, c.do(t, addr), http.StatusBadRequest, "SignatureDoesNotMatch")
	if n := len(s.Requests()); n != 16 {
		t.Errorf("%d requests recorded, want 16", n)
	}
}

func TestSetUnlisted(t *testing.T) {
	s, addr, clk := newTestServer(t, nil)
	s.AddPhysicalConnection("pc-new", testRegion, StatusConfirmed)
	s.SetUnlisted("pc-new", true)
	list := func(filters map[string]string) string {
		t.Helper()
		p := map[string]string{"RegionId": testRegion}
		for k, v := range filters {
			p[k] = v
		}
		ids, total := connectionIDs(t, describeCall(clk.Now(), p).do(t, addr))
		if total != len(ids) {
			t.Errorf("TotalCount %d for %v", total, ids)
		}
		return strings.Join(ids, ",")
	}
	if got := list(nil); got != testPC {
		t.Errorf("unfiltered: %s", got)
	}
	if got := list(map[string]string{"Filter.1.Key": "Status", "Filter.1.Value.1": StatusConfirmed}); got != testPC {
		t.Errorf("by status: %s", got)
	}
	if got := list(map[string]string{"Filter.1.Key": "PhysicalConnectionId", "Filter.1.Value.1": "pc-new"}); got != "pc-new" {
		t.Errorf("by ID: %s", got)
	}
	// It takes orders meanwhile.
	placeOrder(t, addr, clk.Now(), "PhysicalConnectionId", "pc-new")
	s.SetUnlisted("pc-new", false)
	if got := list(nil); got != "pc-new,"+testPC {
		t.Errorf("listed again: %s", got)
	}
}
