// Package watch turns file system events under a folder into settled,
// de-duplicated batches of changed paths. It knows nothing about feeds.
package watch
