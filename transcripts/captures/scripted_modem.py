#!/usr/bin/env python3
"""A scripted modem on a pseudo-terminal, for regrowing the capture corpus.

    scripted_modem.py LINK TRANSCRIPT

Opens a PTY, links its device at LINK, and answers every command the host
sends with the response the transcript (a `.cftx` file) records after that
command. Like a real modem with echo on it echoes each byte as it arrives,
and it sends every response in a few pieces with short pauses, most of them
not ending in a line feed (as a UART's reads arrive), so tracers see
chunks cut mid-line. Runs until killed.
"""
import os
import pty
import re
import sys
import time
import tty


def unescape(text):
    out = bytearray()
    i = 0
    while i < len(text):
        c = text[i]
        if c != "\\":
            out += c.encode()
            i += 1
            continue
        n = text[i + 1]
        if n == "x":
            out.append(int(text[i + 2:i + 4], 16))
            i += 4
            continue
        out += {"r": b"\r", "n": b"\n", "t": b"\t", "0": b"\0", "\\": b"\\"}[n]
        i += 2
    return bytes(out)


def script(path):
    """Command (without CR) -> response, from the transcript's > / < pairs."""
    answers = {}
    command = None
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if line.startswith("> "):
            command = unescape(line[2:]).rstrip(b"\r")
        elif line.startswith("< ") and command is not None:
            answers[command] = answers.get(command, b"") + unescape(line[2:])
    return answers


def script_commands(path):
    """The host's commands (without CR, as text, the redacted password
    given as `123`) in order, each with the answer the transcript records."""
    answers = script(path)
    commands = []
    for line in open(path, encoding="utf-8"):
        if line.startswith("> "):
            command = unescape(line[2:].rstrip("\n")).rstrip(b"\r")
            answer = answers.get(command, b"")
            if command.upper() == b"AT+FTPPW=<REDACTED>":
                command = b"AT+FTPPW=123"
            commands.append((command.decode(), answer))
    return commands


def pieces(response):
    """Cut a response into pieces, mostly right after a line's text and
    before its line end: `\\r\\n+FTPGET:1,5`, `\\r\\n\\r\\nOK`, `\\r\\n`."""
    cuts = [m.start() for m in re.finditer(rb"\r\n", response) if m.start() > 0]
    out, start = [], 0
    for cut in cuts:
        out.append(response[start:cut])
        start = cut
    out.append(response[start:])
    return [p for p in out if p]


def lookup(answers, command):
    if command in answers:
        return answers[command]
    # The transcript redacts the password; any password is accepted.
    if command.upper().startswith(b"AT+FTPPW="):
        return answers.get(b"AT+FTPPW=<redacted>", b"\r\nOK\r\n")
    return b"\r\nERROR\r\n"


def main():
    link, transcript = sys.argv[1], sys.argv[2]
    answers = script(transcript)
    master, slave = pty.openpty()
    tty.setraw(slave)
    name = os.ttyname(slave)
    try:
        os.unlink(link)
    except FileNotFoundError:
        pass
    os.symlink(name, link)
    line = b""
    while True:
        data = os.read(master, 1024)
        for b in data:
            byte = bytes([b])
            os.write(master, byte)  # echo
            if byte == b"\r":
                response = lookup(answers, line.strip())
                line = b""
                for piece in pieces(response):
                    time.sleep(0.03)
                    os.write(master, piece)
            elif byte != b"\n":
                line += byte


if __name__ == "__main__":
    main()
