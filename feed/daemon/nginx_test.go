package daemon

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/seedfeed/seedfeed/feed/feedtest"
)

// readmeNginx returns the nginx recipe of README.md, "Behind nginx or a
// CDN", made to run here: nginx on addr, seedfeed at upstream, the cache
// in cacheDir.
func readmeNginx(t *testing.T, addr, upstream, cacheDir string) string {
	t.Helper()
	recipe := feedtest.READMECode(t, "### Behind nginx or a CDN", "nginx")
	for _, r := range [][2]string{
		{"listen 443 ssl;", "listen " + addr + ";"},
		{"http://127.0.0.1:8080", "http://" + upstream},
		{"/var/cache/nginx/seedfeed", cacheDir},
	} {
		if !strings.Contains(recipe, r[0]) {
			t.Fatalf("README's nginx recipe lacks %q", r[0])
		}
		recipe = strings.ReplaceAll(recipe, r[0], r[1])
	}
	return recipe
}

// startNginx runs Debian's nginx with conf as its http block, in the
// foreground, and stops it when the test ends.
func startNginx(t *testing.T, dir, addr, conf string) {
	t.Helper()
	nginx := feedtest.NeedTool(t, "nginx")
	user := ""
	if os.Geteuid() == 0 {
		user = "user root;" // its workers write the cache in a folder only root may
	}
	temps := ""
	for _, name := range []string{"client_body", "proxy", "fastcgi", "uwsgi", "scgi"} {
		temps += fmt.Sprintf("    %s_temp_path %s;\n", name, filepath.Join(dir, name))
	}
	// A reader from elsewhere, as nginx would see one: X-Test-Client
	// stands for its address.
	temps += "    set_real_ip_from 127.0.0.0/8;\n    real_ip_header X-Test-Client;\n"
	file := filepath.Join(dir, "nginx.conf")
	feedtest.Write(t, file, fmt.Sprintf(`%s
daemon off;
pid %s;
error_log %s warn;
worker_processes 1;
events { worker_connections 64; }
http {
    access_log off;
%s
%s
}
`, user, filepath.Join(dir, "nginx.pid"), filepath.Join(dir, "error.log"), temps, conf))
	cmd := exec.Command(nginx, "-p", dir, "-c", file, "-e", filepath.Join(dir, "error.log"))
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }() // exits with nginx
	t.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt) // fast shutdown
		select {
		case <-exited:
		case <-time.After(5 * time.Second):
			cmd.Process.Kill()
			<-exited
		}
	})
	feedtest.WaitFor(t, 10*time.Second, "nginx to listen", func() bool {
		select {
		case <-exited:
			log, _ := os.ReadFile(filepath.Join(dir, "error.log"))
			t.Fatalf("nginx exited:\n%s\n%s", out.String(), log)
		default:
		}
		c, err := net.Dial("tcp", addr)
		if err == nil {
			c.Close()
		}
		return err == nil
	})
}

// freeAddr returns a loopback address with a port nothing listens on now.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// cached is one answer through nginx.
type cached struct {
	status int
	cache  string // X-Cache-Status: MISS, HIT, EXPIRED, REVALIDATED, STALE, UPDATING
	etag   string
	gzip   bool
	body   string // decompressed
}

func getCached(t *testing.T, url string, headers ...string) cached {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := keepAlive.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	c := cached{status: resp.StatusCode, cache: resp.Header.Get("X-Cache-Status"), etag: resp.Header.Get("ETag"),
		gzip: resp.Header.Get("Content-Encoding") == "gzip"}
	var r io.Reader = resp.Body
	if c.gzip {
		zr, err := gzip.NewReader(resp.Body)
		if err != nil {
			t.Fatalf("%s: gzip body does not decompress: %v", url, err)
		}
		r = zr
	}
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	c.body = string(b)
	return c
}

// TestBehindNginx runs README's nginx recipe, proxy_cache and all, in
// front of the daemon: a miss then hits; gzip and plain cached apart; a
// reader's If-None-Match answered 304 by nginx; a stale copy revalidated
// with a 304 from seedfeed; and a new file through the cache within
// cache_max_age.
func TestBehindNginx(t *testing.T) {
	feedtest.NeedTool(t, "nginx")
	const maxAge = 2 * time.Second
	e := newEnv(t, func(o *Options) { o.CacheMaxAge, o.AccessLog, o.Metrics = maxAge, true, true })
	p := start(t, e)
	dir := t.TempDir()
	addr := freeAddr(t)
	startNginx(t, dir, addr, readmeNginx(t, addr, p.addr, filepath.Join(dir, "cache")))
	url := "http://" + addr + "/feed.atom"

	first := getCached(t, url)
	if first.status != 200 || first.cache != "MISS" || first.gzip || !strings.Contains(first.body, "<feed") {
		t.Fatalf("first plain request: %d %s gzip=%v; want 200 MISS plain", first.status, first.cache, first.gzip)
	}
	if again := getCached(t, url); again.cache != "HIT" || again.body != first.body || again.etag != first.etag {
		t.Errorf("second plain request: %s, same body %v, ETag %s; want HIT, the same body and ETag %s", again.cache, again.body == first.body, again.etag, first.etag)
	}
	// gzip is a variant of its own: a miss, then hits, never the plain copy.
	gz := getCached(t, url, "Accept-Encoding", "gzip")
	if gz.status != 200 || gz.cache != "MISS" || !gz.gzip || gz.body != first.body || gz.etag == first.etag {
		t.Errorf("first gzip request: %d %s gzip=%v same body %v ETag %s; want 200 MISS gzip, the same document, an ETag of its own", gz.status, gz.cache, gz.gzip, gz.body == first.body, gz.etag)
	}
	if again := getCached(t, url, "Accept-Encoding", "gzip"); again.cache != "HIT" || !again.gzip {
		t.Errorf("second gzip request: %s gzip=%v; want a gzip HIT", again.cache, again.gzip)
	}
	if plain := getCached(t, url); plain.gzip || plain.cache != "HIT" {
		t.Errorf("plain after gzip: %s gzip=%v; want the plain HIT", plain.cache, plain.gzip)
	}
	// A reader's copy is current: nginx answers 304 itself.
	if nm := getCached(t, url, "If-None-Match", first.etag); nm.status != http.StatusNotModified || nm.body != "" {
		t.Errorf("If-None-Match through nginx: %d with %d bytes; want 304 and no body", nm.status, len(nm.body))
	}

	// /metrics stays closed to a reader who comes through nginx from
	// elsewhere (the test's nginx takes X-Test-Client for the reader's
	// address), and open to one on the machine.
	if m := getCached(t, "http://"+addr+"/metrics", "X-Test-Client", "203.0.113.9"); m.status != http.StatusForbidden {
		t.Errorf("/metrics through nginx for 203.0.113.9: %d; want 403", m.status)
	}
	if m := getCached(t, "http://"+addr+"/metrics"); m.status != http.StatusOK {
		t.Errorf("/metrics through nginx for loopback: %d; want 200", m.status)
	}

	// A new file is in the feed through the cache as soon as the copy
	// expires: the first answer that is not a hit has it.
	wrote := time.Now()
	feedtest.Write(t, filepath.Join(e.seeds, "through-the-cache.txt"), "Through the cache\n\nA story that readers behind nginx must see.\n")
	feedtest.WaitFor(t, 10*time.Second, "the new file in seedfeed's own feed", func() bool {
		return strings.Contains(string(get(t, p.url("/feed.atom"))), "Through the cache")
	})
	var seen cached
	feedtest.WaitFor(t, maxAge+15*time.Second, "the cached copy to expire", func() bool {
		seen = getCached(t, url)
		return seen.cache != "HIT"
	})
	if !strings.Contains(seen.body, "Through the cache") {
		t.Fatalf("the first answer after the copy expired (%s) lacks the new file", seen.cache)
	}
	t.Logf("the new file was in the feed through nginx %v after it was written (cache_max_age %v)", time.Since(wrote).Round(time.Millisecond), maxAge)
	revalidated := func() bool {
		return strings.Contains(p.logs.String(), `"path":"/feed.atom","status":304`)
	}
	// Once the feed stops changing, a stale copy is refreshed by a 304.
	feedtest.WaitFor(t, 4*maxAge+15*time.Second, "nginx to revalidate with seedfeed (a 304 in seedfeed's access log)", func() bool {
		c := getCached(t, url)
		if !strings.Contains(c.body, "Through the cache") {
			t.Fatalf("through nginx after the new file was seen: %s without it", c.cache)
		}
		return revalidated()
	})
}
