package fakealicloud

import (
	"maps"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// Limits and defaults of DescribePhysicalConnections (VPC 2016-04-28), as
// NOTES.md cites its reference: PageSize 1-50, default 10; PageNumber from 1;
// Filter.N.Key with N at most 5, each with at most 5 values. A request over
// them, or with a malformed page or filter parameter, is answered with the
// common codes' HTTP 400 InvalidParameter (https://developer.aliyun.com/ask/209782),
// as the page names no code for them.
const (
	// MaxFilters is how many filters (Filter.1 to Filter.5) a request may
	// carry, and MaxFilterValues how many values (Filter.N.Value.1 to
	// Filter.N.Value.5) each filter may have.
	MaxFilters      = 5
	MaxFilterValues = 5
	// DefaultPageSize is the PageSize when none is sent; MaxPageSize the
	// largest accepted.
	DefaultPageSize = 10
	MaxPageSize     = 50
)

// connectionAnswer is one physical connection in a DescribePhysicalConnections
// answer. The fields the fake does not model have fixed values.
type connectionAnswer struct {
	PhysicalConnectionID string `json:"PhysicalConnectionId"`
	Status               string
	BusinessStatus       string
	ChargeType           string
	Name                 string
	Type                 string
	LineOperator         string
	Bandwidth            int64
	Spec                 string
	PortType             string
	AccessPointID        string `json:"AccessPointId"`
	ProductType          string
	CreationTime         string
	// EnabledTime is when the life cycle enabled the circuit (NOTES.md
	// lists the field); absent otherwise.
	EnabledTime string `json:",omitempty"`
}

// describeAnswer is the JSON of a successful DescribePhysicalConnections.
type describeAnswer struct {
	answerHead
	PageNumber            int
	PageSize              int
	TotalCount            int
	PhysicalConnectionSet struct {
		PhysicalConnectionType []connectionAnswer
	}
}

// connectionFilterKeys are the accepted values of Filter.N.Key (the eight
// NOTES.md lists), each with the field of a connection it matches.
var connectionFilterKeys = map[string]func(*connectionAnswer) string{
	"PhysicalConnectionId": func(c *connectionAnswer) string { return c.PhysicalConnectionID },
	"AccessPointId":        func(c *connectionAnswer) string { return c.AccessPointID },
	"Type":                 func(c *connectionAnswer) string { return c.Type },
	"LineOperator":         func(c *connectionAnswer) string { return c.LineOperator },
	"Spec":                 func(c *connectionAnswer) string { return c.Spec },
	"Status":               func(c *connectionAnswer) string { return c.Status },
	"Name":                 func(c *connectionAnswer) string { return c.Name },
	"ProductType":          func(c *connectionAnswer) string { return c.ProductType },
}

// connectionFilter is one Filter.N: a connection matches when its field
// has one of the values.
type connectionFilter struct {
	field  func(*connectionAnswer) string
	values map[string]bool
}

// describePhysicalConnections lists the physical connections of RegionId,
// sorted by ID, that match every filter, one page at a time. An unlisted
// circuit (SetUnlisted) shows only when a PhysicalConnectionId filter is
// sent. A region without circuits answers an empty list: the page lists no
// InvalidRegionId.NotFound for this action.
func (s *Server) describePhysicalConnections(_ *Request, p map[string]string) outcome {
	if p["RegionId"] == "" {
		return outcome{err: missingParameter("RegionId")}
	}
	pageNumber, e := intParam(p, "PageNumber", 1, 1, math.MaxInt32)
	if e != nil {
		return outcome{err: e}
	}
	pageSize, e := intParam(p, "PageSize", DefaultPageSize, 1, MaxPageSize)
	if e != nil {
		return outcome{err: e}
	}
	filters, ids, e := parseConnectionFilters(p)
	if e != nil {
		return outcome{err: e}
	}
	byID := ids != nil

	s.mu.Lock()
	// A PhysicalConnectionId filter names every connection that can match:
	// look at those alone, not at the whole region (the same answer, at the
	// cost of the few asked for; make bench's region holds 1000).
	candidates := slices.Sorted(maps.Keys(s.connections))
	if byID {
		candidates = slices.Sorted(maps.Keys(ids))
	}
	// In order of ID; only the page asked for is kept.
	a := &describeAnswer{PageNumber: pageNumber, PageSize: pageSize}
	a.PhysicalConnectionSet.PhysicalConnectionType = []connectionAnswer{}
	first := (pageNumber - 1) * pageSize
	for _, id := range candidates {
		pc, ok := s.connectionLocked(id)
		if !ok || pc.region != p["RegionId"] || pc.unlisted && !byID {
			continue
		}
		n := a.TotalCount
		onPage := n >= first && n < first+pageSize
		if len(filters) == 0 && !onPage {
			a.TotalCount++ // no filter: it matches, and is not written out
			continue
		}
		c := pc.answer(id)
		if !matchesAll(&c, filters) {
			continue
		}
		if onPage {
			a.PhysicalConnectionSet.PhysicalConnectionType = append(a.PhysicalConnectionSet.PhysicalConnectionType, c)
		}
		a.TotalCount++
	}
	s.mu.Unlock()
	return outcome{answer: a}
}

// answer describes the connection as DescribePhysicalConnections does.
func (pc physicalConnection) answer(id string) connectionAnswer {
	c := connectionAnswer{
		PhysicalConnectionID: id,
		Status:               pc.status,
		BusinessStatus:       pc.businessStatus,
		ChargeType:           "Prepaid",
		Name:                 id,
		Type:                 "VPC",
		LineOperator:         "CT",
		Bandwidth:            1000,
		Spec:                 "1G",
		PortType:             "1000Base-LX",
		AccessPointID:        "ap-" + pc.region + "-fake",
		ProductType:          "PhysicalConnection",
		CreationTime:         pc.created.UTC().Format(utcLayout),
	}
	if !pc.enabledAt.IsZero() {
		c.EnabledTime = pc.enabledAt.UTC().Format(utcLayout)
	}
	return c
}

// matchesAll reports whether c matches every filter.
func matchesAll(c *connectionAnswer, filters []connectionFilter) bool {
	for _, f := range filters {
		if !f.values[f.field(c)] {
			return false
		}
	}
	return true
}

// parseConnectionFilters reads the Filter.N.Key and Filter.N.Value.M
// parameters, and returns the values of the first that filters by
// PhysicalConnectionId (nil when none does). An unknown key is HTTP 404
// InvalidFilterKey.ValueNotSupported (NOTES.md; its message as VPC's
// Describe pages write it); any malformed parameter, a filter with more
// than MaxFilterValues values, a key without values or values without a
// key is InvalidParameter naming it. The parameters are checked in sorted
// order, so the error is always the same for the same request.
func parseConnectionFilters(p map[string]string) (filters []connectionFilter, ids map[string]bool, e *apiError) {
	keys := make([]string, MaxFilters+1)
	values := make([]map[string]bool, MaxFilters+1)
	for _, name := range sortedKeys(p) {
		rest, ok := strings.CutPrefix(name, "Filter.")
		if !ok {
			continue
		}
		parts := strings.Split(rest, ".")
		n, err := strconv.Atoi(parts[0])
		if err != nil || n < 1 || n > MaxFilters || len(parts) < 2 {
			return nil, nil, invalidParameter(name)
		}
		filter := "Filter." + parts[0]
		switch {
		case len(parts) == 2 && parts[1] == "Key":
			if connectionFilterKeys[p[name]] == nil {
				return nil, nil, errorf(http.StatusNotFound, "InvalidFilterKey.ValueNotSupported", "Specified filter key is not supported: "+name)
			}
			keys[n] = p[name]
		case len(parts) == 3 && parts[1] == "Value":
			m, err := strconv.Atoi(parts[2])
			if err != nil || m < 1 {
				return nil, nil, invalidParameter(name)
			}
			if m > MaxFilterValues {
				return nil, nil, errorf(http.StatusBadRequest, "InvalidParameter", `The specified parameter "`+filter+`.Value" is not valid: a filter takes at most `+strconv.Itoa(MaxFilterValues)+` values.`)
			}
			if values[n] == nil {
				values[n] = make(map[string]bool)
			}
			values[n][p[name]] = true
		default:
			return nil, nil, invalidParameter(name)
		}
	}
	for n := 1; n <= MaxFilters; n++ {
		filter := "Filter." + strconv.Itoa(n)
		switch {
		case keys[n] == "" && values[n] == nil:
			continue
		case keys[n] == "":
			return nil, nil, missingParameter(filter + ".Key")
		case values[n] == nil:
			return nil, nil, missingParameter(filter + ".Value.1")
		}
		if keys[n] == "PhysicalConnectionId" && ids == nil {
			ids = values[n]
		}
		filters = append(filters, connectionFilter{field: connectionFilterKeys[keys[n]], values: values[n]})
	}
	return filters, ids, nil
}

// intParam reads an optional integer parameter in [lo, hi], def when it is
// not sent.
func intParam(p map[string]string, name string, def, lo, hi int) (int, *apiError) {
	v, ok := p[name]
	if !ok {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		return 0, invalidParameter(name)
	}
	return n, nil
}
