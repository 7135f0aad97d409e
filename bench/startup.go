package main

import (
	"bytes"
	"fmt"
	"io"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// initCost is what GODEBUG=inittrace=1 reports for one start of a binary.
type initCost struct {
	clock    time.Duration // sum of the packages' init clock times (median over runs)
	packages int
	bytes    int64
	allocs   int64
}

var initLine = regexp.MustCompile(`^init (\S+) @[0-9.]+ ms, ([0-9.]+) ms clock, ([0-9]+) bytes, ([0-9]+) allocs`)

// initCost starts a provider binary runs times outside Terraform, where it
// runs its package initialisers, says it is a plugin and exits, and sums
// the init lines the runtime writes to standard error.
func (b *bench) initCost(exe string, runs int) (initCost, error) {
	var costs []initCost
	for range runs {
		cmd := exec.Command(filepath.Join(b.realDir, exe))
		cmd.Env = append(slices.Clip(b.env), "GODEBUG=inittrace=1")
		var stderr bytes.Buffer
		cmd.Stderr, cmd.Stdout = &stderr, io.Discard
		cmd.Run() //nolint:errcheck // It exits 1: not started by Terraform.
		var c initCost
		for _, line := range strings.Split(stderr.String(), "\n") {
			m := initLine.FindStringSubmatch(line)
			if m == nil {
				continue
			}
			clockMS, _ := strconv.ParseFloat(m[2], 64)
			allocated, _ := strconv.ParseInt(m[3], 10, 64)
			allocations, _ := strconv.ParseInt(m[4], 10, 64)
			c.clock += time.Duration(clockMS * float64(time.Millisecond))
			c.packages++
			c.bytes += allocated
			c.allocs += allocations
		}
		if c.packages == 0 {
			return c, fmt.Errorf("%s printed no inittrace lines: %q", exe, lastBytes(stderr.String(), 300))
		}
		costs = append(costs, c)
	}
	slices.SortFunc(costs, func(x, y initCost) int { return int(x.clock - y.clock) })
	return costs[len(costs)/2], nil
}

// lastBytes returns the end of s, at most n bytes of it.
func lastBytes(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}
