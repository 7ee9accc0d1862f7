package daemon

import (
	"context"
	"net/url"
	"slices"
	"strings"

	"github.com/seedfeed/seedfeed/feed"
	"github.com/seedfeed/seedfeed/feed/websub"
)

// hubPath is where the embedded hub takes subscriptions, under the base
// URL.
const hubPath = "hub"

// siteOf returns the feed settings of opts served at addr: with the
// embedded hub, when it is on, among the hubs the feeds advertise.
func (d *Daemon) siteOf(opts Options) feed.Site {
	site := opts.siteAt(d.Addr())
	if opts.Hub != nil {
		site.Hubs = append(slices.Clip(site.Hubs), site.URL(hubPath))
	}
	return site
}

// startHub starts the embedded hub, when opts asks for it, on the state
// store, and serves it. Called by New once the handler is made.
func (d *Daemon) startHub(opts Options) error {
	if opts.Hub == nil {
		return nil
	}
	ho := *opts.Hub
	ho.URL = d.site.URL(hubPath)
	ho.Topics = d.isTopic
	ho.Content = d.topicContent
	ho.Store = d.store
	ho.Logger = d.log
	hub, err := websub.NewHub(ho)
	if err != nil {
		return err
	}
	d.hub = hub
	d.handler.ServeHub(hub)
	return nil
}

// topicName returns the path under the base URL of topic, and whether
// topic is one of the site's feeds (the main feeds, or a category's) by
// the very URL the feed gives itself: the hub keys its subscriptions by
// that, so another spelling of it would never be delivered to.
func (d *Daemon) topicName(topic string) (string, bool) {
	base := *d.baseURL.Load()
	rest, ok := strings.CutPrefix(topic, base)
	if !ok {
		return "", false
	}
	name, err := url.PathUnescape(rest)
	if err != nil || (feed.Site{BaseURL: base}).URL(name) != topic {
		return "", false
	}
	if k, ok := feed.KindOf(name); ok && k.Feed {
		return name, true
	}
	slug, kind, ok := feed.ParseCategoryPath(name)
	if !ok {
		return "", false
	}
	if k, ok := feed.KindOf(kind); !ok || !k.Feed {
		return "", false
	}
	_, ok = d.ix.Category(slug)
	return name, ok
}

func (d *Daemon) isTopic(topic string) bool {
	_, ok := d.topicName(topic)
	return ok
}

// topicContent returns the document at topic as a reader would get it now.
func (d *Daemon) topicContent(topic string) ([]byte, string, error) {
	name, _ := d.topicName(topic)
	f, err := d.handler.Document(context.Background(), name)
	if err != nil {
		return nil, "", err
	}
	return f.Body, f.Type, nil
}
