package daemon

import "time"

// A post whose expiryDate comes leaves the feeds at that moment, as a
// scheduled one enters them at its date (see schedule): one timer, for the
// earliest expiry the store remembers, hands the entries due to the
// watcher as changed. Read again, each is found expired, and goes as a
// removed file does: out of the feeds, its page answering 410 Gone. A
// rescan, a restart's first among them, does the same of its own (see
// index.Rescan).

// expireLater sets the timer for the earliest expiry later than those
// handed on already (expiredTo), or none when there is none. The caller
// holds d.mu.
func (d *Daemon) expireLater() {
	if d.expireTimer != nil {
		d.expireTimer.Stop()
		d.expireTimer = nil
	}
	if d.stopped {
		return
	}
	_, next, err := d.ix.Expiring(d.expiredTo, d.expiredTo)
	if err != nil {
		d.log.Warn("cannot read when entries expire; an expired one leaves the feeds at the next rescan", "reason", err.Error())
		return
	}
	if !next.IsZero() {
		d.expireTimer = time.AfterFunc(time.Until(next), d.expire)
	}
}

// expire hands the entries whose expiry came since the last call to the
// watcher, then sets the timer for the next. Each is handed on once:
// one whose file is kept out but whose record stays (a file become a
// draft since it was recorded) is not handed on again and again.
func (d *Daemon) expire() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.expireTimer = nil
	if d.stopped {
		return
	}
	now := time.Now()
	due, _, err := d.ix.Expiring(d.expiredTo, now)
	if err != nil {
		d.log.Warn("cannot read which entries expired; they leave the feeds at the next rescan", "reason", err.Error())
		return
	}
	d.expiredTo = now
	if len(due) > 0 {
		d.log.Info("taking down entries whose expiryDate came", "entries", len(due))
		d.watcher.Changed(due...)
	}
	d.expireLater()
}
