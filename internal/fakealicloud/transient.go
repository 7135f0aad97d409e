package fakealicloud

import (
	"fmt"
	"net/http"
	"slices"
)

// The transient answers the official provider retries on VPC writes
// (aliyun/terraform-provider-alicloud, the IsExpectedErrors lists of its VPC
// resources, such as alicloud/resource_alicloud_vpc_flow_log.go; listed in
// NOTES.md), which InjectTransient injects on the create.
const (
	CodeLastTokenProcessing                = "LastTokenProcessing"
	CodeOperationFailedLastTokenProcessing = "OperationFailed.LastTokenProcessing"
	CodeOperationConflict                  = "OperationConflict"
	CodeSystemBusy                         = "SystemBusy"
	CodeServiceUnavailable                 = "ServiceUnavailable"
)

// TransientCodes lists the codes InjectTransient accepts.
var TransientCodes = []string{
	CodeLastTokenProcessing, CodeOperationFailedLastTokenProcessing,
	CodeOperationConflict, CodeSystemBusy, CodeServiceUnavailable,
}

// transientAnswer is how one transient code is answered.
type transientAnswer struct {
	status  int
	message string
	// committed: the request that first got it committed its order, which
	// is "still being processed" (Processing); otherwise nothing is
	// committed (Answer).
	committed bool
}

// transientAnswers: LastTokenProcessing's HTTP 400 and message are those of
// Alibaba Cloud's common error codes ("The last token request is
// processing.", https://alibabacloud.com/help/en/resource-orchestration-service/latest/common-error-codes),
// which OperationFailed.LastTokenProcessing, its VPC spelling, shares;
// ServiceUnavailable's 503 and message are the common server error
// (https://help.aliyun.com/zh/api-gateway/traditional-api-gateway/support/control-openapi-error-code-table).
// No source gives the status or text of OperationConflict and SystemBusy:
// HTTP 400, as the official provider matches them by code only.
var transientAnswers = map[string]transientAnswer{
	CodeLastTokenProcessing:                {http.StatusBadRequest, "The last token request is processing.", true},
	CodeOperationFailedLastTokenProcessing: {http.StatusBadRequest, "The last token request is processing.", true},
	CodeOperationConflict:                  {http.StatusBadRequest, "The operation conflicts with another operation in progress on the resource.", false},
	CodeSystemBusy:                         {http.StatusBadRequest, "The system is busy. Please try again later.", false},
	CodeServiceUnavailable:                 {http.StatusServiceUnavailable, "The request has failed due to a temporary failure of the server.", false},
}

// transientError is the answer of code: as transientAnswers has it, or
// HTTP 400 for another code (a Fault of kind Answer).
func transientError(code string) *apiError {
	if a, ok := transientAnswers[code]; ok {
		return errorf(a.status, code, a.message)
	}
	return errorf(http.StatusBadRequest, code, "Injected fault "+code+".")
}

// InjectTransient makes the create answer code (one of TransientCodes) for
// its next n attempts, appended to its fault queue (see InjectFor). For
// OperationConflict, SystemBusy and ServiceUnavailable these are n Answer
// faults: nothing is committed. For LastTokenProcessing and
// OperationFailed.LastTokenProcessing it models the real meaning, "the last
// request with this token is still being processed": a Processing fault,
// then n-1 Answer faults, so that the first attempt commits its order and is
// answered code, the next n-1 attempts (retries with the same ClientToken)
// are answered code, and the retry after them is answered the order; never
// a second order. Faults queued after these apply to the attempts after
// them. It panics on another code or n < 1: a programming error.
func (s *Server) InjectTransient(code string, n int) {
	a, ok := transientAnswers[code]
	if !ok || n < 1 {
		panic(fmt.Sprintf("fakealicloud: InjectTransient(%q, %d): want one of %v and n >= 1", code, n, TransientCodes))
	}
	faults := slices.Repeat([]Fault{{Kind: Answer, Code: code}}, n)
	if a.committed {
		faults[0].Kind = Processing
	}
	s.Inject(faults...)
}
