package client

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
)

// ActionDescribePhysicalConnections lists the physical connections
// (circuits) of a region (VPC).
const ActionDescribePhysicalConnections = "DescribePhysicalConnections"

// Limits of DescribePhysicalConnections (API reference; SDK model
// alibabacloud-go/vpc-20160428 DescribePhysicalConnectionsRequest): pages
// of 1-50 circuits, at most 5 values in one Filter.N.
const (
	// CircuitPageSize is the largest page, and the one this client asks for.
	CircuitPageSize = 50
	// MaxCircuitsPerFilter is how many IDs one filtered request can ask for.
	MaxCircuitsPerFilter = 5
)

// filterKeyID is the documented Filter.N.Key that selects circuits by ID.
const filterKeyID = "PhysicalConnectionId"

// PhysicalConnection is a circuit as DescribePhysicalConnections shows it.
type PhysicalConnection struct {
	ID             string
	Status         string
	BusinessStatus string
	ChargeType     string
	Name           string
}

// CircuitPage is one page of a DescribePhysicalConnections answer.
type CircuitPage struct {
	Circuits []PhysicalConnection
	// TotalCount is how many circuits match in all: of the region when the
	// request had no filter, of the IDs asked for otherwise.
	TotalCount int
	PageNumber int
	RequestID  string
}

// Pages returns how many pages of CircuitPageSize hold TotalCount circuits
// (at least 1).
func (p *CircuitPage) Pages() int {
	return max(1, ceilDiv(p.TotalCount, CircuitPageSize))
}

// DescribePhysicalConnectionsPage reads page number page (from 1) of
// CircuitPageSize circuits: of the whole region without ids, or of the
// circuits with those IDs (1 to MaxCircuitsPerFilter), filtered by
// Filter.1.Key=PhysicalConnectionId. Transient failures are retried until
// ctx ends.
func (c *Client) DescribePhysicalConnectionsPage(ctx context.Context, page int, ids ...string) (*CircuitPage, error) {
	if len(ids) > MaxCircuitsPerFilter {
		return nil, &RequestError{Action: ActionDescribePhysicalConnections,
			Msg: fmt.Sprintf("a filter takes at most %d circuit IDs, not %d", MaxCircuitsPerFilter, len(ids))}
	}
	q := map[string]string{
		"RegionId":   c.cfg.RegionID,
		"PageNumber": strconv.Itoa(max(page, 1)),
		"PageSize":   strconv.Itoa(CircuitPageSize),
	}
	if len(ids) > 0 {
		q["Filter.1.Key"] = filterKeyID
		for i, id := range ids {
			q["Filter.1.Value."+strconv.Itoa(i+1)] = id
		}
	}
	res, err := c.do(ctx, rpcCall{action: ActionDescribePhysicalConnections, version: VPCAPIVersion, endpoint: c.cfg.VPCEndpoint, query: q})
	if err != nil {
		return nil, err
	}
	return parseCircuitPage(res.body, res.requestID)
}

func parseCircuitPage(body []byte, requestID string) (*CircuitPage, error) {
	// Only the fields used: the published example and the SDK disagree on
	// the types of others (HasReservationData, VlanId).
	var resp struct {
		RequestID             string `json:"RequestId"`
		TotalCount            int
		PageNumber            int
		PhysicalConnectionSet struct {
			PhysicalConnectionType []struct {
				PhysicalConnectionID string `json:"PhysicalConnectionId"`
				Status               string
				BusinessStatus       string
				ChargeType           string
				Name                 string
			}
		}
	}
	if err := json.Unmarshal(body, &resp); err != nil {
		return nil, fmt.Errorf("%s: the answer is not valid JSON: %w", ActionDescribePhysicalConnections, err)
	}
	p := &CircuitPage{TotalCount: resp.TotalCount, PageNumber: resp.PageNumber, RequestID: resp.RequestID}
	if p.RequestID == "" {
		p.RequestID = requestID
	}
	for _, pc := range resp.PhysicalConnectionSet.PhysicalConnectionType {
		p.Circuits = append(p.Circuits, PhysicalConnection{ID: pc.PhysicalConnectionID, Status: pc.Status,
			BusinessStatus: pc.BusinessStatus, ChargeType: pc.ChargeType, Name: pc.Name})
	}
	return p, nil
}

// DescribePhysicalConnections returns circuits by ID. With ids it asks for
// them in filtered requests of up to MaxCircuitsPerFilter IDs (one request
// for 1-5 IDs); without, it lists the whole region, page by page. A circuit
// the API does not show is absent from the map. Transient failures are
// retried until ctx ends.
func (c *Client) DescribePhysicalConnections(ctx context.Context, ids ...string) (map[string]PhysicalConnection, error) {
	out := make(map[string]PhysicalConnection)
	if len(ids) == 0 {
		return out, c.listRegion(ctx, 1, func(p *CircuitPage) { addCircuits(out, p) })
	}
	for chunk := range chunks(ids, MaxCircuitsPerFilter) {
		p, err := c.DescribePhysicalConnectionsPage(ctx, 1, chunk...)
		if err != nil {
			return nil, err
		}
		addCircuits(out, p)
	}
	return out, nil
}

// listRegion reads the region's listing from page first to its last page,
// handing each page to seen.
func (c *Client) listRegion(ctx context.Context, first int, seen func(*CircuitPage)) error {
	for page := first; ; page++ {
		p, err := c.DescribePhysicalConnectionsPage(ctx, page)
		if err != nil {
			return err
		}
		seen(p)
		if len(p.Circuits) < CircuitPageSize || page >= p.Pages() {
			return nil
		}
	}
}

func addCircuits(m map[string]PhysicalConnection, p *CircuitPage) {
	for _, pc := range p.Circuits {
		m[pc.ID] = pc
	}
}

// chunks yields ss in slices of at most n.
func chunks(ss []string, n int) func(func([]string) bool) {
	return func(yield func([]string) bool) {
		for i := 0; i < len(ss); i += n {
			if !yield(ss[i:min(i+n, len(ss))]) {
				return
			}
		}
	}
}

func ceilDiv(a, b int) int { return (a + b - 1) / b }
