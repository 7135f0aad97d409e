package fakealicloud

import (
	"net/http"
	"time"
)

// apiError is an error answer.
type apiError struct {
	status     int
	code       string
	message    string
	retryAfter time.Duration
}

func errorf(status int, code, message string) *apiError {
	return &apiError{status: status, code: code, message: message}
}

// errorBody is the JSON of an error answer.
type errorBody struct {
	RequestID string `json:"RequestId"`
	HostID    string `json:"HostId"`
	Code      string
	Message   string
	Recommend string
}

// invalidParameter is the answer to a parameter with a wrong value that its
// action's page gives no code for. InvalidParameter and MissingParameter,
// both HTTP 400, are Alibaba Cloud's common error codes
// (https://developer.aliyun.com/ask/209782); the actions' own codes come
// first where a page documents one (vpc_validate.go, vpc_describe.go).
func invalidParameter(name string) *apiError {
	return errorf(http.StatusBadRequest, "InvalidParameter", `The specified parameter "`+name+`" is not valid.`)
}

// missingParameter is the answer to a required parameter left out.
func missingParameter(name string) *apiError {
	return errorf(http.StatusBadRequest, "MissingParameter", `The input parameter "`+name+`" that is mandatory for processing this request is not supplied.`)
}

func invalidVersion() *apiError {
	return errorf(http.StatusBadRequest, "InvalidVersion", "Specified parameter Version is not valid.")
}

// throttled is the answer to a request over the rate limit or hit by a
// Throttle fault.
func throttled() *apiError {
	return errorf(http.StatusBadRequest, "Throttling.User", "Request was denied due to user flow control.")
}
