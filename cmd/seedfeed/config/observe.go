package config

import (
	"fmt"
	"net"
	"net/netip"
)

// validateMetrics checks the metrics settings and parses the networks
// allowed to read them.
func (c *Config) validateMetrics() error {
	c.metricsNets = nil
	for _, s := range c.MetricsAllowedNetworks {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			a, err2 := netip.ParseAddr(s) // a bare address is a network of one
			if err2 != nil {
				return c.keyError("metrics_allowed_networks", fmt.Sprintf("%q is not a network such as \"10.0.0.0/8\" or an address", s))
			}
			p = netip.PrefixFrom(a, a.BitLen())
		}
		c.metricsNets = append(c.metricsNets, p.Masked())
	}
	if c.MetricsListen != "" {
		if _, _, err := net.SplitHostPort(c.MetricsListen); err != nil {
			return c.keyError("metrics_listen", fmt.Sprintf("%q is not host:port", c.MetricsListen))
		}
		if c.MetricsListen == c.Listen {
			return c.keyError("metrics_listen", "must differ from listen (leave it out to serve /metrics beside the feeds)")
		}
	}
	if !c.Metrics && (c.MetricsListen != "" || len(c.MetricsAllowedNetworks) > 0) {
		key := "metrics_listen"
		if c.MetricsListen == "" {
			key = "metrics_allowed_networks"
		}
		return c.keyError(key, "has no effect unless metrics = true")
	}
	return nil
}
