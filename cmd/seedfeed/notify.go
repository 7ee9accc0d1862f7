package main

import (
	"log/slog"
	"net"
	"os"
	"strconv"
	"sync/atomic"
	"time"

	"golang.org/x/sys/unix"
)

// notifier tells systemd how the service stands (sd_notify(3)), when it
// runs it with Type=notify: NOTIFY_SOCKET names a datagram socket. Without
// it, every call does nothing.
type notifier struct {
	addr   *net.UnixAddr
	log    *slog.Logger
	warned atomic.Bool // a failure is logged once, not at every watchdog tick
}

func newNotifier(log *slog.Logger) *notifier {
	name := os.Getenv("NOTIFY_SOCKET")
	if name == "" {
		return &notifier{log: log}
	}
	if name[0] == '@' {
		name = "\x00" + name[1:] // an abstract socket
	}
	return &notifier{addr: &net.UnixAddr{Name: name, Net: "unixgram"}, log: log}
}

// send sends state, such as "READY=1". The first failure is logged:
// systemd's timeouts will tell the rest.
func (n *notifier) send(state string) {
	if n.addr == nil {
		return
	}
	conn, err := net.DialUnix("unixgram", nil, n.addr)
	if err == nil {
		_, err = conn.Write([]byte(state))
		conn.Close()
	}
	if err != nil && n.warned.CompareAndSwap(false, true) {
		n.log.Warn("cannot notify systemd; not saying so again", "state", state, "reason", err.Error())
	}
}

// reloading tells systemd a reload has begun, with the time that
// Type=notify-reload asks for.
func (n *notifier) reloading() {
	var ts unix.Timespec
	unix.ClockGettime(unix.CLOCK_MONOTONIC, &ts)
	n.send("RELOADING=1\nMONOTONIC_USEC=" + strconv.FormatInt(ts.Nano()/1000, 10))
}

// watchdog returns how often to send WATCHDOG=1: half of WATCHDOG_USEC,
// when systemd set it for this process; 0 when it did not.
func (n *notifier) watchdog() time.Duration {
	pid := os.Getenv("WATCHDOG_PID")
	usec, err := strconv.ParseInt(os.Getenv("WATCHDOG_USEC"), 10, 64)
	if n.addr == nil || err != nil || usec <= 0 || pid != "" && pid != strconv.Itoa(os.Getpid()) {
		return 0
	}
	return time.Duration(usec) * time.Microsecond / 2
}
