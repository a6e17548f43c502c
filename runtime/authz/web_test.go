package authz_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/mcpauthgen/mcpauthgen/runtime/authz"
)

func TestIsLoopbackHost(t *testing.T) {
	for host, want := range map[string]bool{
		"localhost": true, "LOCALHOST:8080": true, "127.0.0.1": true, "127.9.9.9:80": true,
		"[::1]": true, "[::1]:443": true, "::1": true,
		"": false, "localhost.evil.example": false, "127.0.0.1.evil.example": false,
		"evil.example": false, "0.0.0.0": false, "[::]:80": false, "10.0.0.5:5432": false,
		"127.1": false, "0x7f000001": false, "localhost\x00.evil": false,
	} {
		if got := authz.IsLoopbackHost(host); got != want {
			t.Errorf("IsLoopbackHost(%q) = %v, want %v", host, got, want)
		}
	}
}

// chunked hides a reader's length, so the request has no Content-Length.
type chunked struct{ io.Reader }

func TestReadBody(t *testing.T) {
	const limit = 10
	for _, tc := range []struct {
		name   string
		body   io.Reader
		status int // 0: read
	}{
		{"empty", strings.NewReader(""), 0},
		{"short", strings.NewReader("0123"), 0},
		{"at the limit", strings.NewReader("0123456789"), 0},
		{"at the limit, chunked", chunked{strings.NewReader("0123456789")}, 0},
		{"over", strings.NewReader("0123456789x"), http.StatusRequestEntityTooLarge},
		{"over, chunked", chunked{strings.NewReader("0123456789x")}, http.StatusRequestEntityTooLarge},
		{"far over, chunked", chunked{strings.NewReader(strings.Repeat("x", 1<<20))}, http.StatusRequestEntityTooLarge},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want := ""
			if s, ok := tc.body.(*strings.Reader); ok && tc.status == 0 {
				b, _ := io.ReadAll(io.NewSectionReader(s, 0, s.Size()))
				want = string(b)
			} else if c, ok := tc.body.(chunked); ok && tc.status == 0 {
				s := c.Reader.(*strings.Reader)
				b, _ := io.ReadAll(io.NewSectionReader(s, 0, s.Size()))
				want = string(b)
			}
			r := httptest.NewRequest(http.MethodPost, "/", tc.body)
			w := httptest.NewRecorder()
			body, ok := authz.ReadBody(w, r, limit)
			if tc.status != 0 {
				if ok || w.Code != tc.status || w.Header().Get("Connection") != "close" {
					t.Errorf("ok=%v status %d %v, want %d and Connection: close", ok, w.Code, w.Header(), tc.status)
				}
				return
			}
			if !ok || string(body) != want || w.Code != http.StatusOK {
				t.Errorf("ok=%v body %q status %d, want %q", ok, body, w.Code, want)
			}
		})
	}
}
