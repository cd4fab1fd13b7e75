#!/bin/sh
# Regrows the captures under transcripts/captures/<format>/: two sessions, each
# sent by host_session.py (or typed into a terminal program) to a scripted
# modem (scripted_modem.py) on a PTY that answers from a transcript, and
# captured with the real tools:
#   manual*  the manual's FTP session (transcripts/manual-example.cftx);
#   tricky*  a download whose payload holds \r\nOK\r\n, NUL and 0x1A
#            (transcripts/payload-tricky.cftx; not typed into minicom, whose
#            capture drops every CR).
#
# Needs: socat, tio, picocom, minicom (Debian packages), python3 with pyserial
# (`pip install pyserial`). interceptty is not packaged in Debian 12; its
# captures are made only when `interceptty` is on the PATH. The committed
# ones come from interceptty 0.6 with the `-T` timestamp patch, built from
# source (`sh configure && make`; github.com/davisRoman/interceptty at
# 3b6fbbb, before that fork's later trimming).
set -eu
export PYTHONDONTWRITEBYTECODE=1
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'kill $modem 2>/dev/null || true; rm -rf "$work"' EXIT

start_modem() {
    python3 "$here/scripted_modem.py" "$work/modem" "$CAPTURE_SCRIPT" &
    modem=$!
    while [ ! -e "$work/modem" ]; do sleep 0.1; done
}
stop_modem() {
    kill $modem 2>/dev/null || true
    wait $modem 2>/dev/null || true
    rm -f "$work/modem"
}

# socat between the host and the modem: the host is socat's first address,
# so `>` is host to modem.
socat_capture() { # out, socat options…
    out=$1; shift
    start_modem
    socat "$@" PTY,link="$work/host",raw,echo=0 "$work/modem",raw,echo=0 2>"$out" &
    relay=$!
    while [ ! -e "$work/host" ]; do sleep 0.1; done
    python3 "$here/host_session.py" "$work/host"
    sleep 0.3
    kill $relay; wait $relay 2>/dev/null || true
    stop_modem
}

# Every tool on one session: $1 names its captures, $CAPTURE_SCRIPT is the
# transcript the modem answers from and the host sends the commands of.
capture_session() { # name
    name=$1
    if [ "$terminals_only" != yes ]; then
        socat_capture "$here/socat/$name-v.log" -v
        socat_capture "$here/socat/$name-x.log" -x
        socat_capture "$here/socat/$name-vx.log" -v -x

        # pyserial's spy:// wrapping the host's own port.
        start_modem
        python3 "$here/host_session.py" "spy://$work/modem?file=$here/pyserial/$name-spy.log"
        stop_modem
        # (`spy://…?raw` cannot be captured with pyserial 3.5 under Python
        # 3: its FormatRaw writes bytes to a text-mode file and raises
        # TypeError.)
    fi

    # Terminal programs, typed into.
    (
        cd "$here"
        start_modem
        python3 terminal_session.py '\x14q' tio --log --log-file "$here/tio/$name.log" "$work/modem"
        stop_modem
        start_modem
        python3 terminal_session.py '\x14q' tio -t --log --log-file "$here/tio/$name-timestamps.log" "$work/modem"
        stop_modem
        start_modem
        python3 terminal_session.py '\x01\x18' picocom -q --logfile "$here/picocom/$name.log" "$work/modem"
        stop_modem
        if [ "$name" = manual ]; then
            # minicom: no modem initialisation (-o), capture file (-C);
            # ctrl-a q, Enter quits without reset. It draws with curses,
            # so it needs a terminal type.
            start_modem
            TERM=xterm python3 terminal_session.py '\x01q\r' minicom -o -b 115200 -D "$work/modem" -C "$here/minicom/$name.log"
            stop_modem
        fi
    )

    if command -v interceptty >/dev/null; then
        mkdir -p "$here/interceptty"
        for flags in "" "-T"; do
            start_modem
            interceptty $flags -o "$here/interceptty/$name${flags}.log" "$work/modem" "$work/host" &
            relay=$!
            while [ ! -e "$work/host" ]; do sleep 0.1; done
            python3 "$here/host_session.py" "$work/host"
            sleep 0.3
            kill $relay; wait $relay 2>/dev/null || true
            stop_modem
        done
    fi
}

terminals_only=no
[ "${1:-}" = "--terminals-only" ] && terminals_only=yes
mkdir -p "$here/socat" "$here/pyserial" "$here/tio" "$here/picocom" "$here/minicom"
# tio and minicom append to their logs: start every capture afresh.
rm -f "$here"/tio/*.log "$here"/picocom/*.log "$here"/minicom/*.log
export CAPTURE_SCRIPT="$here/../manual-example.cftx"
capture_session manual
export CAPTURE_SCRIPT="$here/../payload-tricky.cftx"
capture_session tricky
echo "captures written under $here"
