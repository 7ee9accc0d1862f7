package httpd

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/seedfeed/seedfeed/feed/render"
)

// TestProbeFailsWhenDegraded: a daemon that serves its last feeds but can
// no longer follow the folder answers /healthz with 200 and "degraded",
// and the health check fails, naming the problem; a daemon with problems
// that still follows the folder stays ok, and the check passes.
func TestProbeFailsWhenDegraded(t *testing.T) {
	for _, tc := range []struct {
		name   string
		status Status
		want   string // "" for ok
	}{
		{"problems alone are ok", Status{Indexed: 2, Problems: []string{"folder x cannot be listed"}}, ""},
		{"degraded fails", Status{Indexed: 2, Degraded: true, Problems: []string{"changes cannot be recorded"}}, "degraded: changes cannot be recorded"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := NewHandler(&render.Snapshot{}, time.Minute, func() Status { return tc.status })
			if w := do(h, "GET", "/healthz"); w.Code != 200 {
				t.Errorf("GET /healthz = %d; want 200 whatever the status", w.Code)
			}
			srv := httptest.NewServer(h)
			defer srv.Close()
			got, err := Probe(context.Background(), srv.URL+"/")
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("Probe = %v; want ok", err)
			case tc.want == "" && got.Status != StatusOK:
				t.Errorf("Probe status = %q; want %q", got.Status, StatusOK)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Errorf("Probe = %+v, %v; want an error saying %q", got, err, tc.want)
			}
		})
	}
}
