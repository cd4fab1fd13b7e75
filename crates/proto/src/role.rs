//! What each command does to the modem's FTP connection: a column of the
//! command table, so that a session decides which failures lose the
//! connection from the row, not from a list of names. A leaf module.

/// What a command is for, as far as the FTP connection is concerned; see
/// [`crate::CommandSpec::role`].
///
/// Deliberately not `#[non_exhaustive]`: a new role must break every
/// `match` that decides what a failure means, so that none falls back to a
/// default silently.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    /// Talks to the modem, not to FTP: `AT`, `ATE`, `AT+CFUN`, `AT+CGACT`.
    Modem,
    /// A parameter of the connection `AT+FTPSERV` opens: `AT+FTPPORT`,
    /// `AT+FTPMODE`, `AT+FTPUN`, `AT+FTPPW`.
    ConnectionSetting,
    /// Connects and logs in: `AT+FTPSERV`.
    Connect,
    /// A setting of the transfers that follow: `AT+FTPTYPE`,
    /// `AT+FTPRESET`, `AT+FTPGETNAME`, `AT+FTPPATH`, `AT+FTPPUTNAME`.
    TransferSetting,
    /// A command on the control connection: `AT+FTPMKD`, `AT+FTPRMD`.
    Control,
    /// A download over a data connection: `AT+FTPGET`, `AT+FTPLIST`.
    Download,
    /// An upload over a data connection: `AT+FTPPUT`.
    Upload,
    /// Reports the configuration: `AT+FTPSCON`.
    Report,
    /// Closes the connection: `AT+FTPQUIT`.
    Quit,
}
