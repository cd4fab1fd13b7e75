//! What the session knows about the modem: whether the FTP connection is up
//! ([`Link`]) and the FTP settings it set itself, so that a job sends only
//! the commands it needs. Everything it learns goes through
//! [`Modem::learn`], the one place where the link changes.

use cellftp_proto::{Command, Setting, TransferType, Urc};

use crate::error::JobError;
use crate::event::Outcome;

/// What the session believes about the FTP connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Link {
    /// Nothing known yet: the modem may have been configured before.
    Unknown,
    /// A configure job succeeded.
    Up,
    /// Quit, or lost through an error: jobs that use the connection fail
    /// with [`JobError::NotConfigured`] until a configure job succeeds.
    Down,
    /// The modem restarted and forgot everything bring-up and configure set:
    /// run bring-up, then configure. Jobs that use the connection fail with
    /// [`JobError::NotConfigured`] until a configure job succeeds; a
    /// successful bring-up makes the link [`Link::Down`].
    Restarted,
}

/// What a command changes in the modem once it is answered `OK`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Effect {
    None,
    Type(TransferType),
    Restart(u32),
}

impl Effect {
    /// The effect of `command`.
    pub(crate) fn of(command: &Command<'_>) -> Self {
        match *command {
            Command::FtpType(Setting::Set(t)) => Effect::Type(t),
            Command::FtpReset(Setting::Set(n)) => Effect::Restart(n),
            _ => Effect::None,
        }
    }
}

/// Something the session saw that tells it about the modem.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Fact<'a> {
    /// A command with this effect was answered `OK`.
    Answered(Effect),
    /// A command with this effect was sent and its answer lost (a timeout,
    /// another command's answer in its place, an error that may have come
    /// unasked): the modem may have applied it or not.
    Unanswered(Effect),
    /// A job ended so.
    JobEnded(&'a Result<Outcome, JobError>),
    /// The modem said this on its own (an expected `+CFUN` excluded).
    Urc(&'a Urc<'a>),
}

/// The session's knowledge of the modem.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Modem {
    link: Link,
    /// The transfer type last set, if known.
    transfer_type: Option<TransferType>,
    /// The restart offset last set (0 after power-up), if known.
    restart: Option<u32>,
    /// The transfer type the last successful configure job chose.
    configured_type: Option<TransferType>,
}

impl Default for Modem {
    fn default() -> Self {
        Self {
            link: Link::Unknown,
            transfer_type: None,
            restart: Some(0),
            configured_type: None,
        }
    }
}

impl Modem {
    pub(crate) fn link(&self) -> Link {
        self.link
    }

    pub(crate) fn transfer_type(&self) -> Option<TransferType> {
        self.transfer_type
    }

    /// The restart offset last set; `None` once a command that sets it
    /// went unanswered.
    pub(crate) fn restart(&self) -> Option<u32> {
        self.restart
    }

    /// The type that puts the modem back to the configured transfer type,
    /// when a resumed get switched it to binary.
    pub(crate) fn type_to_restore(&self) -> Option<TransferType> {
        match self.configured_type {
            Some(t) if self.transfer_type != Some(t) => Some(t),
            _ => None,
        }
    }

    /// Updates what is known; the only place the link changes.
    pub(crate) fn learn(&mut self, fact: Fact<'_>) {
        match fact {
            Fact::Answered(Effect::None) => {}
            Fact::Answered(Effect::Type(t)) => self.transfer_type = Some(t),
            Fact::Answered(Effect::Restart(n)) => self.restart = Some(n),
            // Applied or not: the next job that depends on it sets it again.
            Fact::Unanswered(Effect::None) => {}
            Fact::Unanswered(Effect::Type(_)) => self.transfer_type = None,
            Fact::Unanswered(Effect::Restart(_)) => self.restart = None,
            Fact::JobEnded(Ok(Outcome::Configured)) => {
                self.link = Link::Up;
                self.configured_type = self.transfer_type;
            }
            Fact::JobEnded(Ok(Outcome::Quit)) => self.link = Link::Down,
            Fact::JobEnded(Ok(Outcome::BroughtUp)) if self.link == Link::Restarted => {
                self.link = Link::Down;
            }
            // A restarted modem needs bring-up too, which `Restarted` says.
            Fact::JobEnded(Err(e)) if e.needs_configure() && self.link != Link::Restarted => {
                self.link = Link::Down;
            }
            Fact::JobEnded(_) => {}
            Fact::Urc(Urc::PdpDeact) => self.link = Link::Down,
            // A restarted or powered-down modem has forgotten its FTP
            // settings, and what bring-up set.
            Fact::Urc(u) if u.is_restart() || matches!(u, Urc::PowerDown(_)) => {
                *self = Self {
                    link: Link::Restarted,
                    ..Self::default()
                };
            }
            Fact::Urc(_) => {}
        }
    }
}
