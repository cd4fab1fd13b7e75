//! The resynchronisation after an answer was lost, for either dialect: a
//! numbered probe whose answer no earlier command can give.
//!
//! A command that ends without its final result (a timeout, a response of
//! another command's kind, a restart) may still be answered, later, in the
//! modem's order. Before anything else is sent, the channel sets the
//! download name to `cellftp-sync-<n>` (`AT+FTPGETNAME=…`, in the dialect's
//! form) and then asks it (`AT+FTPGETNAME?`), with `<n>` a number it never
//! used before: the name coming back can only be the answer to this query,
//! so once it came, the next final result is the query's, and every answer
//! after it belongs to a command sent after it. Every item before it is
//! stale, and reported as such. The dialect builds the two commands and
//! recognises the name in its answer ([`Dialect::sync_set`],
//! [`Dialect::sync_query`], [`Dialect::is_sync_name`]); the bookkeeping is
//! here.

use super::{Channel, Dialect, Expired, Timer};

/// Where the channel stands with the modem's answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Sync {
    /// Every final result so far was paired with its command.
    Steady,
    /// An answer was lost: probe before the next command; `attempts`
    /// probes went unanswered.
    Lost { attempts: u8 },
    /// The name is being set.
    Naming { attempts: u8 },
    /// The name is being asked; `seen` once the name came back.
    Asking { attempts: u8, seen: bool },
}

/// What a resynchronising probe made of an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SyncReply {
    /// Not the probe's: report it.
    Stale,
    /// The probe's: nothing to report.
    Quiet,
}

/// The name the resynchronising probe sets: `cellftp-sync-<n>`.
pub(crate) fn sync_name(n: u32, buf: &mut [u8; 24]) -> &[u8] {
    const HEAD: &[u8] = b"cellftp-sync-";
    let mut digits = [0u8; 10];
    let mut len = 0;
    let mut v = n;
    loop {
        if let Some(d) = digits.get_mut(len) {
            *d = b'0' + (v % 10) as u8;
        }
        len += 1;
        v /= 10;
        if v == 0 || len == digits.len() {
            break;
        }
    }
    let mut at = 0;
    for &b in HEAD.iter().chain(digits.iter().take(len).rev()) {
        if let Some(d) = buf.get_mut(at) {
            *d = b;
            at += 1;
        }
    }
    buf.get(..at).unwrap_or_default()
}

impl<D: Dialect> Channel<D> {
    /// True until the channel is in step with the modem again.
    pub(crate) fn out_of_sync(&self) -> bool {
        self.sync != Sync::Steady
    }

    /// Asks for a resynchronisation before the next command, unless one is
    /// under way.
    pub(crate) fn lost_sync(&mut self) {
        if self.sync == Sync::Steady {
            self.sync = Sync::Lost { attempts: 0 };
        }
    }

    /// Starts a resynchronisation under way again from its first probe,
    /// with a new name.
    pub(crate) fn restart_sync(&mut self) {
        if let Sync::Naming { attempts } | Sync::Asking { attempts, .. } = self.sync {
            self.sync = Sync::Lost { attempts };
        }
    }

    /// Stages the next resynchronising probe if an answer was lost; returns
    /// true if the channel is resynchronising. The channel must be free.
    pub(crate) fn resync(&mut self, config: &D::Config) -> bool {
        debug_assert!(self.is_free(), "one command at a time");
        match self.sync {
            Sync::Steady => false,
            // A name dropped before its answer (a restart cleared the
            // channel) is set anew, with a new number.
            Sync::Lost { attempts } | Sync::Naming { attempts } => {
                self.nonce = self.nonce.wrapping_add(1);
                let mut buf = [0u8; 24];
                let name = sync_name(self.nonce, &mut buf);
                match D::sync_set(name) {
                    Some(command) => {
                        self.sync = Sync::Naming { attempts };
                        self.stage_as(&command, config, true);
                    }
                    None => {
                        debug_assert!(false, "the probe's name is a valid file name");
                        self.sync = Sync::Steady;
                    }
                }
                true
            }
            Sync::Asking { attempts, .. } => {
                // Asked again from the start if the query was dropped.
                self.sync = Sync::Asking {
                    attempts,
                    seen: false,
                };
                self.stage_as(&D::sync_query(), config, true);
                true
            }
        }
    }

    /// An item that arrived while a probe is in flight.
    pub(crate) fn on_sync_item(
        &mut self,
        item: &<D::Decoder as cellftp_proto::Decoder>::Item<'_>,
        config: &D::Config,
    ) -> SyncReply {
        if !self.in_flight().is_some_and(|s| s.sync) {
            return SyncReply::Stale;
        }
        match (self.sync, D::is_final(item)) {
            // The name's own answer or a stale one: either way, ask next
            // (if the name was not set, the query says so).
            (Sync::Naming { attempts }, true) => {
                self.finish_probe(config);
                self.sync = Sync::Asking {
                    attempts,
                    seen: false,
                };
                SyncReply::Quiet
            }
            (
                Sync::Asking {
                    attempts,
                    seen: false,
                },
                false,
            ) => {
                let mut buf = [0u8; 24];
                if D::is_sync_name(item, sync_name(self.nonce, &mut buf)) {
                    self.sync = Sync::Asking {
                        attempts,
                        seen: true,
                    };
                    SyncReply::Quiet
                } else {
                    SyncReply::Stale
                }
            }
            (Sync::Asking { seen: true, .. }, true) => {
                self.finish_probe(config);
                self.sync = Sync::Steady;
                SyncReply::Quiet
            }
            // A final result before the name came back: a stale one. The
            // query stays in flight until its own answer or its deadline.
            _ => SyncReply::Stale,
        }
    }

    /// The probe in flight is answered: the guard time starts.
    fn finish_probe(&mut self, config: &D::Config) {
        self.clear();
        self.guard(config);
    }

    /// The probe in flight passed its deadline: it is tried again, with a
    /// new name, until [`Dialect::probe_attempts`] went unanswered.
    pub(super) fn probe_unanswered(&mut self, config: &D::Config) -> Expired<D> {
        self.timers.stop(Timer::Response);
        self.clear();
        if D::GUARD_BEFORE_PROBE_RETRY {
            self.guard(config);
        } else {
            self.ready_at = self.ready_at.max(self.now);
        }
        let attempts = match self.sync {
            Sync::Lost { attempts } | Sync::Naming { attempts } | Sync::Asking { attempts, .. } => {
                attempts + 1
            }
            Sync::Steady => 1,
        };
        if attempts < D::probe_attempts(config) {
            self.sync = Sync::Lost { attempts };
            return Expired::SyncRetry;
        }
        self.sync = Sync::Lost { attempts: 0 };
        Expired::SyncFailed
    }
}

#[cfg(test)]
mod tests {
    use super::sync_name;

    #[test]
    fn the_probe_name_carries_its_number() {
        let mut buf = [0u8; 24];
        assert_eq!(sync_name(0, &mut buf), b"cellftp-sync-0");
        assert_eq!(sync_name(u32::MAX, &mut buf), b"cellftp-sync-4294967295");
    }
}
