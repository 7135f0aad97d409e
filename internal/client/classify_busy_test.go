package client

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"sync/atomic"
	"testing"

	"github.com/pcorder/terraform-provider-alicloud/internal/fakealicloud"
)

// answerCreates answers the first len(codes) creates with those error codes
// (HTTP 400, or 503 for ServiceUnavailable) and lets the rest through.
func answerCreates(codes ...string) interceptor {
	var n atomic.Int64
	return func(w http.ResponseWriter, _ *http.Request, action string, _ url.Values) bool {
		if action != ActionCreateOccupancyOrder {
			return false
		}
		i := int(n.Add(1)) - 1
		if i >= len(codes) {
			return false
		}
		status := http.StatusBadRequest
		if codes[i] == codeServiceUnavailable {
			status = http.StatusServiceUnavailable
		}
		writeAPIError(w, status, codes[i])
		return true
	}
}

// TestCreateOccupancyOrder_busyAnswersAreRetriedWithOneToken: every answer
// the official provider retries on VPC writes is retried, with the same
// client token, until the order is answered.
func TestCreateOccupancyOrder_busyAnswersAreRetriedWithOneToken(t *testing.T) {
	codes := []string{codeLastTokenProcessing, codeOperationFailedLastTokenProcessing, codeOperationConflict, codeSystemBusy, codeServiceUnavailable}
	f := newFixture(t, nil)
	f.setIntercept(answerCreates(codes...))
	got, err := f.client.CreateOccupancyOrder(context.Background(), order("tok-busy"))
	if err != nil {
		t.Fatal(err)
	}
	if got.Attempts != len(codes)+1 || len(f.fake.Orders()) != 1 || got.OrderID != f.fake.Orders()[0].ID {
		t.Fatalf("got %+v after the busy answers; the fake holds %v", got, f.fake.Orders())
	}
	sent := f.requests(ActionCreateOccupancyOrder)
	if len(sent) != len(codes)+1 {
		t.Fatalf("%d creates sent, want %d", len(sent), len(codes)+1)
	}
	for i, p := range sent {
		if p.Get("ClientToken") != "tok-busy" {
			t.Fatalf("attempt %d sent token %q", i+1, p.Get("ClientToken"))
		}
	}
	for i, code := range codes {
		if f.logs[i].Code != code || f.logs[i].RetryIn == 0 {
			t.Fatalf("attempt %d logged as %+v, want %s and a retry", i+1, f.logs[i], code)
		}
	}
}

// TestCreateOccupancyOrder_lastTokenProcessingAfterALostAnswer is the case
// that used to end as an unknown outcome: the first answer is lost after
// the order was placed, the retry meets LastTokenProcessing, and the next
// retry of the same token returns that order.
func TestCreateOccupancyOrder_lastTokenProcessingAfterALostAnswer(t *testing.T) {
	f := newFixture(t, nil)
	f.fake.Inject(fakealicloud.Fault{Kind: fakealicloud.LoseResponse})
	var n atomic.Int64
	f.setIntercept(func(w http.ResponseWriter, _ *http.Request, action string, _ url.Values) bool {
		if action != ActionCreateOccupancyOrder || n.Add(1) != 2 {
			return false
		}
		writeAPIError(w, http.StatusBadRequest, codeLastTokenProcessing)
		return true
	})
	got, err := f.client.CreateOccupancyOrder(context.Background(), order("tok-lost"))
	if err != nil {
		t.Fatalf("err = %v, want the order", err)
	}
	if len(f.fake.Orders()) != 1 || got.OrderID != f.fake.Orders()[0].ID || got.Attempts != 3 {
		t.Fatalf("got %+v; the fake holds %v", got, f.fake.Orders())
	}
}

// TestCreateOccupancyOrder_busyUntilTheContextEnds: an answer that stays
// LastTokenProcessing is retried until ctx ends, and the error then says
// the order may exist and names the token to ask again with.
func TestCreateOccupancyOrder_busyUntilTheContextEnds(t *testing.T) {
	f := newFixture(t, nil)
	f.setIntercept(func(w http.ResponseWriter, _ *http.Request, action string, _ url.Values) bool {
		writeAPIError(w, http.StatusBadRequest, codeLastTokenProcessing)
		return true
	})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var attempts atomic.Int64
	f.client.cfg.OnAttempt = func(context.Context, Attempt) {
		if attempts.Add(1) == 7 {
			cancel()
		}
	}
	_, err := f.client.CreateOccupancyOrder(ctx, order("tok-processing"))
	var unknown *UnknownOutcomeError
	if !errors.As(err, &unknown) || unknown.ClientToken != "tok-processing" || !errors.Is(err, context.Canceled) || unknown.Attempts != 7 {
		t.Fatalf("err = %#v, want an unknown outcome with the token after 7 attempts", err)
	}
	for i, p := range f.requests(ActionCreateOccupancyOrder) {
		if p.Get("ClientToken") != "tok-processing" {
			t.Fatalf("attempt %d sent token %q", i+1, p.Get("ClientToken"))
		}
	}
}

// TestCreateOccupancyOrder_conflictPlacedNothing: an OperationConflict
// answer on every attempt means no order was placed, so the end of ctx is a
// RequestError, not an unknown outcome.
func TestCreateOccupancyOrder_conflictPlacedNothing(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.Retry.MaxAttempts = 3 })
	f.setIntercept(func(w http.ResponseWriter, _ *http.Request, action string, _ url.Values) bool {
		writeAPIError(w, http.StatusBadRequest, codeOperationConflict)
		return true
	})
	_, err := f.client.CreateOccupancyOrder(context.Background(), order("tok-conflict"))
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Code != codeOperationConflict || apiErr.Attempts != 3 {
		t.Fatalf("err = %#v, want the conflict after 3 attempts", err)
	}
}
