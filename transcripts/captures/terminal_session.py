#!/usr/bin/env python3
"""Types the manual's FTP session into a terminal program (tio, picocom, minicom).

    terminal_session.py QUIT_KEYS PROGRAM ARG…

Runs PROGRAM on a pseudo-terminal of its own, types each command of
host_session.py and Enter (CR), waits until the modem's final result has
been shown, and at the end types QUIT_KEYS (e.g. `\\x14q` for tio's
ctrl-t q, `\\x01\\x18` for picocom's ctrl-a ctrl-x,
`\\x01q\\r` for minicom's ctrl-a q and Enter).
"""
import os
import pty
import select
import sys
import time

from host_session import COMMANDS


def read_for(fd, seconds):
    out = b""
    end = time.time() + seconds
    while time.time() < end:
        ready, _, _ = select.select([fd], [], [], 0.05)
        if ready:
            try:
                out += os.read(fd, 4096)
            except OSError:
                break
    return out


def main():
    quit_keys = sys.argv[1].encode().decode("unicode_escape").encode("latin-1")
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp(sys.argv[2], sys.argv[2:])
    read_for(fd, 1.0)
    for command in COMMANDS:
        os.write(fd, command.encode() + b"\r")
        shown = b""
        deadline = time.time() + 5
        while time.time() < deadline:
            shown += read_for(fd, 0.1)
            # The final result line, after tio's timestamp if any.
            if b"OK\r\n" in shown or b"ERROR\r\n" in shown:
                # The rest of an answer whose payload holds `OK`.
                shown += read_for(fd, 0.5)
                break
        else:
            sys.exit(f"no final result for {command}: {shown!r}")
    time.sleep(0.3)
    os.write(fd, quit_keys)
    read_for(fd, 0.5)
    os.waitpid(pid, 0)


if __name__ == "__main__":
    main()
