package client

import "context"

// circuitRead is what one batched read of circuits saw.
type circuitRead struct {
	// shown holds every circuit the answers showed, asked for or not.
	shown map[string]PhysicalConnection
	// alone holds the IDs asked for in a filter of their own: a circuit
	// such an answer does not show does not exist (yet).
	alone map[string]bool
	// regionTotal is the region's TotalCount when a listing page was
	// read, -1 otherwise.
	regionTotal int
	// filters counts the filtered requests sent.
	filters int
}

// readCircuits asks about ids with as few requests as it can, one at a
// time: filtered requests of up to MaxCircuitsPerFilter IDs, or the
// region's listing (pages of CircuitPageSize) when that takes fewer
// requests. total is the region's circuit count from an earlier listing,
// or -1 when unknown; then, for more IDs than one filter takes, the first
// request is listing page 1, whose TotalCount says how many pages the rest
// of the listing costs, and the cheaper way is taken for what page 1 did
// not show. On a failure, what was read so far is returned with the error.
//
// spent is how many filtered requests the caller's earlier batches sent.
// Small batches, one after another, would each pick filters; but a listing
// answers every later batch too. So once the filters spent and needed reach
// the listing's cost, the region is listed (the rent-or-buy rule: never
// more than twice the cheaper of the two), and a caller that spent filters
// twice without learning the region's size learns it from page 1.
func (c *Client) readCircuits(ctx context.Context, ids []string, total, spent int) (circuitRead, error) {
	r := circuitRead{shown: map[string]PhysicalConnection{}, alone: map[string]bool{}, regionTotal: -1}
	listed := func(p *CircuitPage) {
		addCircuits(r.shown, p)
		r.regionTotal = p.TotalCount
	}
	filtered := func(ids []string) error {
		for chunk := range chunks(ids, MaxCircuitsPerFilter) {
			r.filters++
			p, err := c.DescribePhysicalConnectionsPage(ctx, 1, chunk...)
			if err != nil {
				return err
			}
			addCircuits(r.shown, p)
			if len(chunk) == 1 {
				r.alone[chunk[0]] = true
			}
		}
		return nil
	}
	filters := ceilDiv(len(ids), MaxCircuitsPerFilter)
	switch {
	case total >= 0 && regionPages(total) <= spent+filters && filters > 0 && (spent > 0 || regionPages(total) < filters):
		return r, c.listRegion(ctx, 1, listed)
	case total >= 0 || (filters <= 1 && spent < 2):
		return r, filtered(ids)
	}

	first, err := c.DescribePhysicalConnectionsPage(ctx, 1)
	if err != nil {
		return r, err
	}
	listed(first)
	var rest []string
	for _, id := range ids {
		if _, ok := r.shown[id]; !ok {
			rest = append(rest, id)
		}
	}
	if len(rest) == 0 || len(first.Circuits) < CircuitPageSize || first.Pages() <= 1 {
		return r, nil // page 1 was the whole region, or showed every ID
	}
	if first.Pages()-1 < ceilDiv(len(rest), MaxCircuitsPerFilter) {
		return r, c.listRegion(ctx, 2, listed)
	}
	return r, filtered(rest)
}

// regionPages is how many listing pages a region of total circuits takes.
func regionPages(total int) int { return max(1, ceilDiv(total, CircuitPageSize)) }

// sharedContext returns the context a request shared by many callers runs
// under: ctx's values (the logger's masks among them) without its
// cancellation, bounded by ctx's deadline if it has one. Each caller's own
// wait is bounded by its own context.
func sharedContext(ctx context.Context) (context.Context, context.CancelFunc) {
	base := context.WithoutCancel(ctx)
	if dl, ok := ctx.Deadline(); ok {
		return context.WithDeadline(base, dl)
	}
	return context.WithCancel(base)
}

// better reports whether a shared request should rather run under a than
// under b: a has not ended and b has, or a's deadline is later.
func better(a, b context.Context) bool {
	if a.Err() != nil {
		return false
	}
	return b.Err() != nil || later(a, b)
}

// later reports whether a's deadline is later than b's; no deadline is the
// latest of all.
func later(a, b context.Context) bool {
	da, okA := a.Deadline()
	db, okB := b.Deadline()
	switch {
	case !okA:
		return okB
	case !okB:
		return false
	}
	return da.After(db)
}
