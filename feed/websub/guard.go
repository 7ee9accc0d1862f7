package websub

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"time"
)

// guard decides which callback addresses the hub may reach: none that is
// private, loopback, link-local (cloud metadata among them), unspecified,
// multicast or otherwise not public, unless an allowed network holds it.
type guard struct {
	allowed  []netip.Prefix
	resolver resolver
}

// resolver looks names up: net.DefaultResolver, or a test's.
type resolver interface {
	LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error)
}

// special are the ranges that are not public besides those netip knows.
var special = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),         // "this network"
	netip.MustParsePrefix("100.64.0.0/10"),     // carrier-grade NAT
	netip.MustParsePrefix("192.0.0.0/24"),      // IETF protocol assignments
	netip.MustParsePrefix("192.0.2.0/24"),      // documentation (TEST-NET-1)
	netip.MustParsePrefix("192.88.99.0/24"),    // 6to4 relays
	netip.MustParsePrefix("198.18.0.0/15"),     // benchmarking
	netip.MustParsePrefix("198.51.100.0/24"),   // documentation (TEST-NET-2)
	netip.MustParsePrefix("203.0.113.0/24"),    // documentation (TEST-NET-3)
	netip.MustParsePrefix("240.0.0.0/4"),       // reserved, and broadcast
	netip.MustParsePrefix("::/96"),             // IPv4-compatible, deprecated
	netip.MustParsePrefix("100::/64"),          // discard
	netip.MustParsePrefix("2001::/32"),         // Teredo: a tunnel to anywhere
	netip.MustParsePrefix("2001:db8::/32"),     // documentation
	netip.MustParsePrefix("64:ff9b:1::/48"),    // local-use NAT64
	netip.MustParsePrefix("fec0::/10"),         // site-local, deprecated
	netip.MustParsePrefix("fd00:ec2::254/128"), // AWS metadata over IPv6 (a ULA: private already)
}

// nat64 and sixToFour carry an IPv4 address inside an IPv6 one: the
// address is judged by the IPv4 address it leads to.
var (
	nat64     = netip.MustParsePrefix("64:ff9b::/96")
	sixToFour = netip.MustParsePrefix("2002::/16")
)

// permits reports whether a may be reached: only a public unicast address,
// or one in an allowed network.
func (g *guard) permits(a netip.Addr) bool {
	a = a.Unmap()
	for _, p := range g.allowed {
		if p.Contains(a) {
			return true
		}
	}
	if b := a.As16(); nat64.Contains(a) {
		return g.permits(netip.AddrFrom4([4]byte{b[12], b[13], b[14], b[15]}))
	} else if sixToFour.Contains(a) {
		return g.permits(netip.AddrFrom4([4]byte{b[2], b[3], b[4], b[5]}))
	}
	if !a.IsValid() || !a.IsGlobalUnicast() || a.IsPrivate() {
		return false
	}
	for _, p := range special {
		if p.Contains(a) {
			return false
		}
	}
	return true
}

// errRefused is the error of a callback whose address the hub may not
// reach.
var errRefused = errors.New("callback address is not public (private, loopback, link-local or reserved); hub_allowed_networks may allow it")

// check resolves the callback's host and fails unless every address it
// has may be reached: a name that resolves to one public and one private
// address is refused.
func (g *guard) check(ctx context.Context, callback *url.URL) error {
	addrs, err := g.lookup(ctx, callback.Hostname())
	if err != nil {
		return err
	}
	for _, a := range addrs {
		if !g.permits(a) {
			return fmt.Errorf("%s: %w", a, errRefused)
		}
	}
	return nil
}

func (g *guard) lookup(ctx context.Context, host string) ([]netip.Addr, error) {
	if a, err := netip.ParseAddr(host); err == nil {
		return []netip.Addr{a}, nil
	}
	addrs, err := g.resolver.LookupNetIP(ctx, "ip", host)
	if err != nil {
		return nil, err
	}
	if len(addrs) == 0 {
		return nil, fmt.Errorf("%s has no address", host)
	}
	return addrs, nil
}

// dial resolves the host again at connect time and dials the first
// address that may be reached, by its number: a name whose records
// changed since check (DNS rebinding) cannot lead it elsewhere.
func (g *guard) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	addrs, err := g.lookup(ctx, host)
	if err != nil {
		return nil, err
	}
	d := net.Dialer{Timeout: 5 * time.Second}
	var last error = errRefused
	for _, a := range addrs {
		if !g.permits(a) {
			continue
		}
		c, err := d.DialContext(ctx, network, net.JoinHostPort(a.String(), port))
		if err == nil {
			return c, nil
		}
		last = err
	}
	return nil, last
}

// client returns the HTTP client of callback requests: only to addresses
// the guard permits, no redirects, no proxy from the environment, and a
// bound on the whole request.
func (g *guard) client(timeout time.Duration) *http.Client {
	return &http.Client{
		Timeout: timeout,
		Transport: &http.Transport{
			DialContext:           g.dial,
			MaxIdleConnsPerHost:   4,
			IdleConnTimeout:       30 * time.Second,
			TLSHandshakeTimeout:   5 * time.Second,
			ResponseHeaderTimeout: timeout,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}
