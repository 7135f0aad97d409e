package client

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"sync"
	"time"
)

// ActionDescribePhysicalConnections lists the physical connections
// (circuits) of a region (VPC).
const ActionDescribePhysicalConnections = "DescribePhysicalConnections"

// describePageSize is the largest page DescribePhysicalConnections serves.
const describePageSize = 50

// PhysicalConnection is a circuit as DescribePhysicalConnections shows it.
type PhysicalConnection struct {
	ID             string
	Status         string
	BusinessStatus string
	ChargeType     string
	Name           string
}

// DescribePhysicalConnections lists every circuit of the client's region,
// page by page. Transient failures are retried for at most maxWait in all.
func (c *Client) DescribePhysicalConnections(ctx context.Context, maxWait time.Duration) (map[string]PhysicalConnection, error) {
	start := c.cfg.Now()
	out := make(map[string]PhysicalConnection)
	for page := 1; ; page++ {
		res, err := c.do(ctx, rpcCall{action: ActionDescribePhysicalConnections, version: APIVersion, endpoint: c.cfg.Endpoint,
			query: map[string]string{
				"RegionId":   c.cfg.RegionID,
				"PageNumber": strconv.Itoa(page),
				"PageSize":   strconv.Itoa(describePageSize),
			}, maxWait: max(maxWait-c.cfg.Now().Sub(start), time.Millisecond)})
		if err != nil {
			return nil, err
		}
		var resp struct {
			TotalCount            int
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
		if err := json.Unmarshal([]byte(res.body), &resp); err != nil {
			return nil, fmt.Errorf("%s: the answer is not valid JSON: %w", ActionDescribePhysicalConnections, err)
		}
		list := resp.PhysicalConnectionSet.PhysicalConnectionType
		for _, pc := range list {
			out[pc.PhysicalConnectionID] = PhysicalConnection{ID: pc.PhysicalConnectionID, Status: pc.Status,
				BusinessStatus: pc.BusinessStatus, ChargeType: pc.ChargeType, Name: pc.Name}
		}
		if len(list) < describePageSize || page*describePageSize >= resp.TotalCount {
			return out, nil
		}
	}
}

// CircuitLookup answers "which circuit is this?" for every resource of a
// provider process from one listing of the region, fetched once, on first
// use: a plan that creates many orders on a few circuits costs one request
// per 50 circuits of the region, not one per order. A failed listing is
// remembered too, so that a check that cannot run is not retried by every
// resource.
type CircuitLookup struct {
	c       *Client
	maxWait time.Duration

	once     sync.Once
	done     chan struct{}
	circuits map[string]PhysicalConnection
	err      error
}

// NewCircuitLookup returns a lookup whose listing retries transient
// failures (throttling included) and takes at most maxWait in all.
func (c *Client) NewCircuitLookup(maxWait time.Duration) *CircuitLookup {
	return &CircuitLookup{c: c, maxWait: maxWait, done: make(chan struct{})}
}

// Lookup returns the circuit id, or nil when the region has no such
// circuit. The listing runs under its own bound, not ctx, because other
// callers share it; ctx only bounds this caller's wait.
func (l *CircuitLookup) Lookup(ctx context.Context, id string) (*PhysicalConnection, error) {
	l.once.Do(func() {
		go func() {
			defer close(l.done)
			lctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), l.maxWait)
			defer cancel()
			l.circuits, l.err = l.c.DescribePhysicalConnections(lctx, l.maxWait)
		}()
	})
	select {
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-l.done:
	}
	if l.err != nil {
		return nil, l.err
	}
	if pc, ok := l.circuits[id]; ok {
		return &pc, nil
	}
	return nil, nil
}
