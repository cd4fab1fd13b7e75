#!/usr/bin/env bash
# Starts vsftpd for the simulator's end-to-end tests, in the background:
#   crates/sim/tests/vsftpd.sh DIR PORT
# serves DIR/root (DIR/root/pub writable by anonymous) on 127.0.0.1:PORT,
# writes its pid to DIR/vsftpd.pid and prints the environment the tests
# read (CELLFTP_TEST_FTP, CELLFTP_TEST_FTP_ROOT, CELLFTP_TEST_FTP_PATH).
set -euo pipefail
dir=$1
port=$2
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$dir/root/pub"
# vsftpd refuses an anonymous root the anonymous user can write to.
chown root:root "$dir/root"
chmod 755 "$dir/root"
chown ftp:ftp "$dir/root/pub"
chmod 777 "$dir/root/pub"
sed -e "s|@ROOT@|$dir/root|" -e "s|@PORT@|$port|" "$here/vsftpd.conf" >"$dir/vsftpd.conf"
mkdir -p /var/run/vsftpd/empty
vsftpd "$dir/vsftpd.conf" >"$dir/vsftpd.log" 2>&1 &
echo $! >"$dir/vsftpd.pid"
for _ in $(seq 50); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "export CELLFTP_TEST_FTP=127.0.0.1:$port"
    echo "export CELLFTP_TEST_FTP_ROOT=$dir/root/pub"
    echo "export CELLFTP_TEST_FTP_PATH=/pub"
    exit 0
  fi
  sleep 0.1
done
echo "vsftpd did not start on 127.0.0.1:$port:" >&2
cat "$dir/vsftpd.log" >&2
exit 1
