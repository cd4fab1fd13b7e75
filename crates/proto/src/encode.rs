//! The encoder: every [`Command`] to its one canonical byte form.
//!
//! Encoding never allocates and validates everything before writing: a
//! command either fits and is written whole, or nothing is written and a
//! typed [`EncodeError`] says why.

use crate::command::Command;
use crate::error::EncodeError;
use crate::limits::MAX_COMMAND;
use crate::param::Sink;

/// The encoder's one sink: writes into a buffer the sizing pass checked.
/// Over no room ([`Writer::counter`]) it only counts, which is the sizing
/// pass: one sink type, so each command's `emit` is compiled once, not
/// once per pass.
pub(crate) struct Writer<'b> {
    pub(crate) buf: &'b mut [u8],
    pub(crate) at: usize,
}

impl Writer<'static> {
    /// The sizing pass's writer: no room, so it writes nothing and counts
    /// the bytes in `at`.
    pub(crate) fn counter() -> Self {
        Writer {
            buf: &mut [],
            at: 0,
        }
    }
}

impl Sink for Writer<'_> {
    /// Not inlined: a command is written in a few pieces, and each piece's
    /// copy and bounds check inlined cost a microcontroller 0.3 KiB of
    /// flash over the command table.
    #[inline(never)]
    fn put(&mut self, bytes: &[u8]) {
        // The sizing pass guarantees the room (and has none, so writes
        // nothing); `get_mut` keeps it panic-free.
        if let Some(dst) = self.buf.get_mut(self.at..self.at + bytes.len()) {
            dst.copy_from_slice(bytes);
        }
        self.at += bytes.len();
    }
}

impl Command<'_> {
    /// Writes the command's canonical bytes, ending in CR, to the start of
    /// `buf` and returns how many were written.
    ///
    /// Everything is checked before the first byte is written (string
    /// parameters were checked when their [`crate::Text`] was made); on error
    /// `buf` is untouched. [`crate::MAX_COMMAND`] bytes are always enough.
    ///
    /// ```
    /// use cellftp_proto::{Command, Put, EncodeError};
    /// let mut buf = [0u8; 32];
    /// let n = Command::FtpPut(Put::Data(b"12345")).encode(&mut buf)?;
    /// assert_eq!(&buf[..n], b"AT+FTPPUT=5,12345\r");
    /// assert!(matches!(Command::FtpPut(Put::Data(b"")).encode(&mut buf), Err(EncodeError::Empty { .. })));
    /// # Ok::<(), EncodeError>(())
    /// ```
    pub fn encode(&self, buf: &mut [u8]) -> Result<usize, EncodeError> {
        self.check()?;
        // With room for the longest command, one pass writes it; with
        // less, a counting pass first makes sure a refusal writes nothing.
        if buf.len() < MAX_COMMAND {
            let mut counter = Writer::counter();
            self.emit(&mut counter);
            if counter.at > buf.len() {
                return Err(EncodeError::BufferTooSmall {
                    needed: counter.at,
                    available: buf.len(),
                });
            }
        }
        let available = buf.len();
        let mut writer = Writer { buf, at: 0 };
        self.emit(&mut writer);
        debug_assert!(writer.at <= available, "MAX_COMMAND bytes hold any command");
        Ok(writer.at)
    }

    /// The number of bytes [`Command::encode`] writes for this command.
    pub fn encoded_len(&self) -> Result<usize, EncodeError> {
        self.check()?;
        let mut counter = Writer::counter();
        self.emit(&mut counter);
        Ok(counter.at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        Action, Cfun, Cgact, Host, Mode, Operation, Password, Put, Setting, Text, TextKind,
        TransferType, MAX_PUT_DATA,
    };

    fn enc(c: Command<'_>) -> std::vec::Vec<u8> {
        let mut buf = [0u8; crate::MAX_COMMAND];
        let n = c.encode(&mut buf).unwrap();
        assert_eq!(c.encoded_len(), Ok(n));
        buf[..n].to_vec()
    }

    #[test]
    fn canonical_forms() {
        let name = Text::new(TextKind::FileName, "12.txt").unwrap();
        let cases: &[(Command<'_>, &[u8])] = &[
            (Command::At, b"AT\r"),
            (Command::Echo(false), b"ATE0\r"),
            (Command::Echo(true), b"ATE1\r"),
            (
                Command::Cfun(Setting::Set(Cfun {
                    fun: 1,
                    reset: None,
                })),
                b"AT+CFUN=1\r",
            ),
            (
                Command::Cfun(Setting::Set(Cfun {
                    fun: 1,
                    reset: Some(true),
                })),
                b"AT+CFUN=1,1\r",
            ),
            (
                Command::Cgact(Setting::Set(Cgact {
                    activate: true,
                    cid: Some(1),
                })),
                b"AT+CGACT=1,1\r",
            ),
            (Command::Cgact(Setting::Query), b"AT+CGACT?\r"),
            (Command::FtpPort(Setting::Set(15881)), b"AT+FTPPORT=15881\r"),
            (Command::FtpPort(Setting::Set(65535)), b"AT+FTPPORT=65535\r"),
            (
                Command::FtpMode(Setting::Set(Mode::Passive)),
                b"AT+FTPMODE=1\r",
            ),
            (
                Command::FtpMode(Setting::Set(Mode::Active)),
                b"AT+FTPMODE=0\r",
            ),
            (Command::FtpMode(Setting::Test), b"AT+FTPMODE=?\r"),
            (Command::FtpMode(Setting::Query), b"AT+FTPMODE?\r"),
            (
                Command::FtpType(Setting::Set(TransferType::Binary)),
                b"AT+FTPTYPE=I\r",
            ),
            (
                Command::FtpType(Setting::Set(TransferType::Ascii)),
                b"AT+FTPTYPE=A\r",
            ),
            (Command::FtpReset(Setting::Set(0)), b"AT+FTPRESET=0\r"),
            (
                Command::FtpReset(Setting::Set(u32::MAX)),
                b"AT+FTPRESET=4294967295\r",
            ),
            (
                Command::FtpServ(Setting::Set(Host::new("47.104.157.10").unwrap())),
                b"AT+FTPSERV=47.104.157.10\r",
            ),
            (
                Command::FtpUn(Setting::Set(Text::new(TextKind::User, "xs").unwrap())),
                b"AT+FTPUN=xs\r",
            ),
            (
                Command::FtpPw(Setting::Set(Password::new("123").unwrap())),
                b"AT+FTPPW=123\r",
            ),
            (
                Command::FtpGetName(Setting::Set(name)),
                b"AT+FTPGETNAME=12.txt\r",
            ),
            (
                Command::FtpPutName(Setting::Set(name)),
                b"AT+FTPPUTNAME=12.txt\r",
            ),
            (
                Command::FtpPath(Setting::Set(Text::new(TextKind::Path, "/docs").unwrap())),
                b"AT+FTPPATH=/docs\r",
            ),
            (
                Command::FtpMkd(Operation::Run(
                    Text::new(TextKind::Directory, "/invoker").unwrap(),
                )),
                b"AT+FTPMKD=/invoker\r",
            ),
            (Command::FtpRmd(Operation::Test), b"AT+FTPRMD=?\r"),
            (Command::FtpGet(Action::Execute), b"AT+FTPGET\r"),
            (Command::FtpGet(Action::Test), b"AT+FTPGET=?\r"),
            (Command::FtpPut(Put::Data(b"12345")), b"AT+FTPPUT=5,12345\r"),
            (
                Command::FtpPut(Put::Data(b"\r\nOK\r\n")),
                b"AT+FTPPUT=6,\r\nOK\r\n\r",
            ),
            (Command::FtpPut(Put::End), b"AT+FTPPUT=0\r"),
            (Command::FtpPut(Put::Test), b"AT+FTPPUT=?\r"),
            (Command::FtpList(Action::Execute), b"AT+FTPLIST\r"),
            (Command::FtpScon(Action::Execute), b"AT+FTPSCON\r"),
            (Command::FtpQuit(Action::Execute), b"AT+FTPQUIT\r"),
            (Command::FtpQuit(Action::Test), b"AT+FTPQUIT=?\r"),
        ];
        for (cmd, bytes) in cases {
            assert_eq!(enc(*cmd), *bytes, "{cmd:?}");
        }
    }

    #[test]
    fn refuses_bad_put_data_and_port() {
        let mut buf = [0u8; crate::MAX_COMMAND];
        assert_eq!(
            Command::FtpPut(Put::Data(&[])).encode(&mut buf),
            Err(EncodeError::Empty {
                field: TextKind::PutData
            })
        );
        let big = [0u8; MAX_PUT_DATA + 1];
        assert_eq!(
            Command::FtpPut(Put::Data(&big)).encode(&mut buf),
            Err(EncodeError::TooLong {
                field: TextKind::PutData,
                max: MAX_PUT_DATA,
                len: MAX_PUT_DATA + 1
            })
        );
        let max = [0u8; MAX_PUT_DATA];
        assert_eq!(
            Command::FtpPut(Put::Data(&max)).encode(&mut buf),
            Ok(crate::MAX_COMMAND)
        );
        assert_eq!(
            Command::FtpPort(Setting::Set(0)).encode(&mut buf),
            Err(EncodeError::PortZero)
        );
    }

    #[test]
    fn buffer_too_small_writes_nothing() {
        let mut buf = [0xAAu8; 8];
        assert_eq!(
            Command::FtpQuit(Action::Execute).encode(&mut buf),
            Err(EncodeError::BufferTooSmall {
                needed: 11,
                available: 8
            })
        );
        assert_eq!(buf, [0xAA; 8]);
        let mut exact = [0u8; 11];
        assert_eq!(Command::FtpQuit(Action::Execute).encode(&mut exact), Ok(11));
    }

    /// One command of every kind and form, the longest ones included.
    fn samples<'a>(
        name: Text<'a>,
        pw: Password<'a>,
        host: Host<'a>,
        data: &'a [u8],
    ) -> [Command<'a>; 14] {
        [
            Command::At,
            Command::Echo(true),
            Command::Cfun(Setting::Set(Cfun {
                fun: 255,
                reset: Some(false),
            })),
            Command::Cgact(Setting::Test),
            Command::FtpPort(Setting::Set(1)),
            Command::FtpReset(Setting::Query),
            Command::FtpServ(Setting::Set(host)),
            Command::FtpPw(Setting::Set(pw)),
            Command::FtpGetName(Setting::Set(name)),
            Command::FtpRmd(Operation::Run(name)),
            Command::FtpList(Action::Test),
            Command::FtpPut(Put::Data(data)),
            Command::FtpPut(Put::End),
            Command::FtpScon(Action::Execute),
        ]
    }

    #[test]
    fn too_small_a_buffer_is_left_untouched() {
        let long_name = "n".repeat(64);
        let name = Text::new(TextKind::FileName, &long_name).unwrap();
        let pw = Password::new("secret").unwrap();
        let host = Host::new("ftp.example.com").unwrap();
        let data = [b'\r'; MAX_PUT_DATA];
        for cmd in samples(name, pw, host, &data) {
            let needed = cmd.encoded_len().unwrap();
            assert!(needed <= crate::MAX_COMMAND, "{cmd:?}");
            for available in [0, 1, needed - 1] {
                let mut buf = [0xAAu8; crate::MAX_COMMAND];
                assert_eq!(
                    cmd.encode(&mut buf[..available]),
                    Err(EncodeError::BufferTooSmall { needed, available }),
                    "{cmd:?}"
                );
                assert!(buf.iter().all(|&b| b == 0xAA), "{cmd:?}");
            }
            let mut buf = std::vec![0xAAu8; needed];
            assert_eq!(cmd.encode(&mut buf), Ok(needed));
            assert_eq!(buf.last(), Some(&b'\r'));
        }
    }

    #[test]
    fn parameters_are_checked_before_the_room() {
        // A refused command says why, whatever the buffer, and writes nothing.
        let mut buf = [0xAAu8; 2];
        let big = [0u8; MAX_PUT_DATA + 1];
        for (cmd, err) in [
            (Command::FtpPort(Setting::Set(0)), EncodeError::PortZero),
            (
                Command::FtpPut(Put::Data(&[])),
                EncodeError::Empty {
                    field: TextKind::PutData,
                },
            ),
            (
                Command::FtpPut(Put::Data(&big)),
                EncodeError::TooLong {
                    field: TextKind::PutData,
                    max: MAX_PUT_DATA,
                    len: MAX_PUT_DATA + 1,
                },
            ),
        ] {
            assert_eq!(cmd.encode(&mut buf), Err(err));
            assert_eq!(cmd.encoded_len(), Err(err));
            assert_eq!(buf, [0xAA; 2]);
        }
        // Only the set form carries a port.
        assert_eq!(Command::FtpPort(Setting::Test).encoded_len(), Ok(13));
        assert_eq!(Command::FtpPort(Setting::Query).encoded_len(), Ok(12));
    }

    #[test]
    fn every_error_through_the_public_api() {
        use EncodeError::*;
        let mut buf = [0u8; crate::MAX_COMMAND];
        let k = TextKind::FileName;
        assert_eq!(Text::new(k, ""), Err(Empty { field: k }));
        assert!(matches!(Text::new(k, &"x".repeat(65)), Err(TooLong { .. })));
        assert!(matches!(Text::new(k, "a\rb"), Err(ForbiddenByte { .. })));
        assert_eq!(Text::new(k, "a "), Err(EdgeSpace { field: k }));
        assert_eq!(Host::new("1.2.3"), Err(InvalidHost { offset: 0 }));
        assert_eq!(
            Command::FtpPort(Setting::Set(0)).encode(&mut buf),
            Err(PortZero)
        );
        assert!(matches!(
            Command::FtpPut(Put::Data(&[])).encode(&mut buf),
            Err(Empty { .. })
        ));
        assert!(matches!(
            Command::At.encode(&mut buf[..2]),
            Err(BufferTooSmall {
                needed: 3,
                available: 2
            })
        ));
    }

    #[test]
    fn error_messages() {
        let forbidden = |field, offset, byte| EncodeError::ForbiddenByte {
            field,
            offset,
            byte,
        };
        let cases = [
            (
                EncodeError::Empty {
                    field: TextKind::User,
                },
                "the user name is empty",
            ),
            (
                EncodeError::TooLong {
                    field: TextKind::Path,
                    max: 64,
                    len: 70,
                },
                "the path is 70 bytes long, but the modem accepts at most 64",
            ),
            (
                forbidden(TextKind::FileName, 2, Some(b'\r')),
                "the file name contains a line break (at offset 2), which would end the AT command",
            ),
            (
                forbidden(TextKind::User, 0, Some(b'?')),
                "the user name is a lone `?`, which would turn the command into its test form",
            ),
            (
                forbidden(TextKind::Path, 1, Some(b',')),
                "the path contains `,` (at offset 1), which would split or end the unquoted AT parameter",
            ),
            (
                forbidden(TextKind::Path, 1, Some(0xc3)),
                "the path contains the non-ASCII byte 0xc3 (at offset 1); only printable ASCII can be sent",
            ),
            (
                forbidden(TextKind::Directory, 4, Some(0)),
                "the directory contains the control byte 0x00 (at offset 4), which an AT command line cannot carry",
            ),
            (
                forbidden(TextKind::Password, 3, None),
                "the password contains a character that cannot be sent (at offset 3): only printable \
                 ASCII other than `\"`, `,` and `;` is allowed, and not a lone `?`",
            ),
            (
                EncodeError::EdgeSpace {
                    field: TextKind::Directory,
                },
                "the directory starts or ends with a space, which the modem would drop",
            ),
            (
                EncodeError::InvalidHost { offset: 4 },
                "the server address is neither an IPv4 address nor a host name (the problem is at offset 4)",
            ),
            (
                EncodeError::PortZero,
                "port 0 is not a valid port: use a port from 1 to 65535",
            ),
            (
                EncodeError::BufferTooSmall {
                    needed: 12,
                    available: 8,
                },
                "the command needs 12 bytes, but the buffer has room for only 8",
            ),
        ];
        for (err, msg) in cases {
            assert_eq!(std::format!("{err}"), msg);
            // A sentence, never the Debug form.
            assert_ne!(std::format!("{err}"), std::format!("{err:?}"));
        }
    }
}
