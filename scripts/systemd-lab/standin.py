#!/usr/bin/python3
"""A stand-in for `shipshape run` that exercises deploy/systemd/shipshape.service under a real
systemd (scripts/systemd-lab.sh): it speaks sd_notify (READY=1, STATUS=, WATCHDOG=1,
STOPPING=1), reads the config, writes the state directory, and prints what the unit's sandbox
allows as `probe NAME: allowed|denied` lines for the lab to check. While the file
/var/lib/shipshape/hang exists it stops sending WATCHDOG=1, so the watchdog must kill it."""
import os
import signal
import socket
import sys
import time


def notify(message):
    address = os.environ.get("NOTIFY_SOCKET")
    if not address:
        return
    if address.startswith("@"):
        address = "\0" + address[1:]
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        sock.sendto(message.encode(), address)


def probe(name, action):
    try:
        action()
        print(f"probe {name}: allowed", flush=True)
    except Exception as error:
        print(f"probe {name}: denied ({error.__class__.__name__}: {error})", flush=True)


def write(path):
    with open(path, "w") as file:
        file.write("x")


if sys.argv[1:3] != ["run", "--config"] or len(sys.argv) != 4:
    sys.exit(f"usage: shipshape run --config FILE (got {sys.argv[1:]})")
with open(sys.argv[3]) as config:
    print(f"config: {len(config.read())} bytes; uid {os.getuid()}, groups {os.getgroups()}", flush=True)

probe("write-state", lambda: write("/var/lib/shipshape/state.json"))
probe("write-etc", lambda: write("/etc/shipshape/intruder"))
probe("write-usr", lambda: write("/usr/local/bin/intruder"))
probe("read-root-home", lambda: os.listdir("/root"))
probe("tcp-socket", lambda: socket.socket(socket.AF_INET, socket.SOCK_STREAM).close())
probe("netlink-socket", lambda: socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0).close())
probe("packet-socket", lambda: socket.socket(socket.AF_PACKET, socket.SOCK_RAW, 0).close())
probe("docker-socket", lambda: socket.socket(socket.AF_UNIX, socket.SOCK_STREAM).connect("/run/lab-docker.sock"))
probe("setuid-root", lambda: os.setuid(0))

stopping = False


def on_term(*_):
    global stopping
    stopping = True


signal.signal(signal.SIGTERM, on_term)
notify("READY=1\nSTATUS=stand-in: ready")
print("ready", flush=True)
while not stopping:
    if not os.path.exists("/var/lib/shipshape/hang"):
        notify("WATCHDOG=1")
    time.sleep(2)
notify("STOPPING=1\nSTATUS=stand-in: stopping")
print("stopping cleanly", flush=True)
