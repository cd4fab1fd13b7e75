
#!/usr/bin/env python3
"""The host's side of a capture: sends the manual's FTP session.

    host_session.py URL            (a device path or a pyserial URL, e.g.
                                    spy:///tmp/modem?file=spy.log)
    host_session.py --type         prints the commands, one per line, for
                                    driving a terminal program

Sends each command with a CR and waits for its final result (`OK` or
`ERROR` line) before the next, as a host program would.
"""
import sys
import time

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


def finished(buffer):
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
        while not finished(buffer) and time.time() < deadline:
            buffer += port.read(256)
        if not finished(buffer):
            sys.exit(f"no final result for {command}: {buffer!r}")
    port.close()


if __name__ == "__main__":
    main()
