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
	if n := hub.Retopic(d.currentTopic); n > 0 {
		d.log.Info("websub: subscriptions moved to the feeds' URLs under the base URL", "moved", n, "base_url", d.site.BaseURL)
	}
	return nil
}

// currentTopic returns topic, a feed's URL under some base URL, as the
// feed names itself under the current one, and whether it is a feed of
// the site still: the base URL may have moved since a subscriber took it.
func (d *Daemon) currentTopic(topic string) (string, bool) {
	name := topic[strings.LastIndexByte(topic, '/')+1:]
	if i := strings.LastIndex(topic, "/category/"); i >= 0 {
		name = topic[i+1:]
	}
	name, err := url.PathUnescape(name)
	if err != nil {
		return "", false
	}
	current := (feed.Site{BaseURL: *d.baseURL.Load()}).URL(name)
	_, ok := d.topicName(current)
	return current, ok
}

// hubMoved brings the hub in step with a base URL that a reload moved:
// its own URL, and its subscriptions' topics. The caller holds d.mu.
func (d *Daemon) hubMoved() {
	d.hub.SetURL(d.site.URL(hubPath))
	if n := d.hub.Retopic(d.currentTopic); n > 0 {
		d.log.Info("websub: subscriptions moved to the feeds' URLs under the new base URL", "moved", n, "base_url", d.site.BaseURL)
	}
	d.hub.SendPending()
}

// allCategoryFeeds returns the URLs of every category's feeds: a change of
// the site's settings changes each of them.
func (d *Daemon) allCategoryFeeds() []string {
	cats, _ := d.ix.Categories()
	var urls []string
	for _, c := range cats {
		for _, k := range feed.Feeds() {
			urls = append(urls, d.site.URL(feed.CategoryDir(c.Slug)+k.Path))
		}
	}
	return urls
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
