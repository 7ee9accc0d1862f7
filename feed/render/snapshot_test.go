package render

import (
	"testing"

	"github.com/seedfeed/seedfeed/feed"
	"github.com/seedfeed/seedfeed/feed/state"
)

// TestPageKeyFollowsLinkedPosts: an entry's page is made again when a post
// it links to gets another ID (a post_url found once the post is indexed,
// a target that kept an older ID), though nothing else of it changed.
func TestPageKeyFollowsLinkedPosts(t *testing.T) {
	e := bundled
	e.Seeds = []feed.SeedLink{{Path: "posts/2024-03-05-launch.md", ID: state.NameID("launch")}}
	other := e
	other.Seeds = []feed.SeedLink{{Path: "posts/2024-03-05-launch.md", ID: state.NameID("launch, as the store has it")}}
	if pageKey("k", e) == pageKey("k", other) {
		t.Error("the page key of an entry is the same whatever ID the post it links to has")
	}
}
