package config

import (
	"fmt"
	"net"
	"net/netip"

	"github.com/seedfeed/seedfeed/feed/websub"
)

// networks parses the list of networks at key: CIDRs, or addresses, each
// a network of one.
func (c *Config) networks(key string, list []string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, s := range list {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			a, err2 := netip.ParseAddr(s)
			if err2 != nil {
				return nil, c.keyError(key, fmt.Sprintf("%q is not a network such as \"10.0.0.0/8\" or an address", s))
			}
			p = netip.PrefixFrom(a, a.BitLen())
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

// validateMetrics checks the settings of the metrics and of the hub, and
// parses the networks they allow.
func (c *Config) validateMetrics() error {
	var err error
	if c.metricsNets, err = c.networks("metrics_allowed_networks", c.MetricsAllowedNetworks); err != nil {
		return err
	}
	if c.hubNets, err = c.networks("hub_allowed_networks", c.HubAllowedNetworks); err != nil {
		return err
	}
	if !c.Hub && len(c.HubAllowedNetworks) > 0 {
		return c.keyError("hub_allowed_networks", "has no effect unless hub = true")
	}
	if c.MetricsListen != "" {
		if _, _, err := net.SplitHostPort(c.MetricsListen); err != nil {
			return c.keyError("metrics_listen", fmt.Sprintf("%q is not host:port", c.MetricsListen))
		}
		if len(c.MetricsAllowedNetworks) > 0 {
			return c.keyError("metrics_allowed_networks", "has no effect with metrics_listen, which answers everyone who reaches it")
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

// hub returns the options of the embedded hub, or nil when it is off.
func (c Config) hub() *websub.HubOptions {
	if !c.Hub {
		return nil
	}
	return &websub.HubOptions{Allowed: c.hubNets}
}
