#!/usr/bin/env python3
"""The host's side of a capture: sends the manual's FTP session, or the
commands of the transcript named by the CAPTURE_SCRIPT environment variable
(the one the scripted modem answers from).

    host_session.py URL            (a device path or a pyserial URL, e.g.
                                    spy:///tmp/modem?file=spy.log)
    host_session.py --type         prints the commands, one per line, for
                                    driving a terminal program

Sends each command with a CR and waits for its final result (`OK` or
`ERROR` line; with a script, the whole answer the script records, which
may hold `\r\nOK\r\n` inside a payload) before the next, as a host
program would.
"""
import os
import sys
import time

from scripted_modem import script_commands

COMMANDS = [
    "AT+CFUN=1",
    "AT+CGACT=1,1",
    "AT+FTPPORT=15881",
    "AT+FTPMODE=1",
    "AT+FTPSERV=47.104.157.10",
    "AT+FTPUN=xs",
    "AT+FTPPW=123",
    "AT+FTPTYPE=I",
    "AT+FTPPUTNAME=12.txt",
    "AT+FTPPUT=5,12345",
    "AT+FTPPUT=0",
    "AT+FTPGETNAME=12.txt",
    "AT+FTPRESET=2",
    "AT+FTPGET",
    "AT+FTPLIST",
    "AT+FTPQUIT",
]


# With a script: each command and the answer it gets.
EXPECTED = {}
if os.environ.get("CAPTURE_SCRIPT"):
    pairs = script_commands(os.environ["CAPTURE_SCRIPT"])
    COMMANDS = [c for c, _ in pairs]
    EXPECTED = dict(pairs)


def finished(buffer, command=None):
    expected = EXPECTED.get(command)
    if expected:
        return buffer.endswith(expected)
    return buffer.endswith(b"\r\nOK\r\n") or buffer.endswith(b"\r\nERROR\r\n")


def main():
    if sys.argv[1] == "--type":
        print("\n".join(COMMANDS))
        return
    import serial

    port = serial.serial_for_url(sys.argv[1], baudrate=115200, timeout=0.05)
    time.sleep(0.2)
    for command in COMMANDS:
        port.write(command.encode() + b"\r")
        buffer = b""
        deadline = time.time() + 5
        while not finished(buffer, command) and time.time() < deadline:
            buffer += port.read(256)
        if not finished(buffer, command):
            sys.exit(f"no final result for {command}: {buffer!r}")
    port.close()


if __name__ == "__main__":
    main()
