//! Replaying a [`Transcript`]: through both decoders, and through a
//! [`Session`] running the transcript's jobs; a transcript that declares
//! `! dialect simcom` goes through the SIMCom dialect's decoders and a
//! [`cellftp_session::simcom::Session`] instead (`crate::simcom`).

use std::borrow::Cow;
use std::collections::VecDeque;

use cellftp_proto::{
    Command, CommandDecoder, Decoded, Decoder, Put, Request, ResponseDecoder, MAX_PUT_DATA,
};
use cellftp_session::{Config, Event, Session};
use std::time::Duration;

use crate::lockstep::{self, Note, Queued, Replayed};
pub use crate::report::{Failure, JobResult, JobRun, Report, Unsolicited, UnsolicitedKind};
use crate::transcript::{Dialect, JobSpec, Record, Transcript};

/// Replays `transcript`: decodes both directions record by record, and runs
/// its jobs, if any, through a session.
pub fn replay(transcript: &Transcript) -> Report {
    let mut report = Report::default();
    match transcript.dialect() {
        Dialect::Manual => {
            decode(transcript, &mut report);
            if transcript.jobs().next().is_some() {
                lockstep::run::<Session>(transcript, &mut report);
            }
        }
        Dialect::Simcom => {
            crate::simcom::decode(transcript, &mut report);
            if transcript.jobs().next().is_some() {
                lockstep::run::<cellftp_session::simcom::Session>(transcript, &mut report);
            }
        }
    }
    debug_assert_eq!(report.failures.len(), report.failure_records.len());
    report
}

/// The lengths of the `AT+FTPPUT=<len>,<data>` chunks the host sent, in
/// order: a put job replays its data cut as recorded.
fn recorded_put_chunks(t: &Transcript) -> VecDeque<usize> {
    let mut decoder = CommandDecoder::new();
    let mut buf = crate::feed::Feed::default();
    let mut out = VecDeque::new();
    for r in &t.records {
        let Record::Sent(chunk) = r else { continue };
        buf.push(chunk);
        loop {
            match decoder.decode(buf.pending()) {
                Decoded::Item { item, consumed } => {
                    if let Request::Command(Command::FtpPut(Put::Data(d))) = item {
                        out.push_back(d.len());
                    }
                    buf.consume(consumed);
                }
                Decoded::NeedMore { consumed } => {
                    buf.consume(consumed);
                    break;
                }
            }
        }
    }
    out
}

/// Feeds `chunks` to `decoder` following its contract (drop what was
/// consumed, keep the rest, append the next chunk); returns the items'
/// descriptions, how many were not understood, and the bytes fed.
fn describe_all<'t, D: Decoder>(
    decoder: &mut D,
    chunks: impl Iterator<Item = &'t [u8]>,
) -> (Vec<String>, usize, usize) {
    let (mut items, mut unknown, mut bytes) = (Vec::new(), 0, 0);
    let mut buf = crate::feed::Feed::default();
    for chunk in chunks {
        bytes += chunk.len();
        buf.push(chunk);
        loop {
            match decoder.decode(buf.pending()) {
                Decoded::Item { item, consumed } => {
                    items.push(format!("{item:?}"));
                    unknown += usize::from(!D::is_recognised(&item));
                    buf.consume(consumed);
                }
                Decoded::NeedMore { consumed } => {
                    buf.consume(consumed);
                    break;
                }
            }
        }
    }
    (items, unknown, bytes)
}

fn decode(t: &Transcript, report: &mut Report) {
    let sent = t.records.iter().filter_map(|r| match r {
        Record::Sent(b) => Some(b.as_slice()),
        _ => None,
    });
    let (commands, unknown_commands, sent_bytes) = describe_all(&mut CommandDecoder::new(), sent);
    let received = t.records.iter().filter_map(|r| match r {
        Record::Received(b) => Some(b.as_slice()),
        _ => None,
    });
    let (responses, unknown_responses, received_bytes) =
        describe_all(&mut ResponseDecoder::new(), received);
    report.commands = commands;
    report.unknown_commands = unknown_commands;
    report.responses = responses;
    report.unknown_responses = unknown_responses;
    report.bytes = sent_bytes + received_bytes;
}

/// The first dialect's session, replayed.
impl Replayed for Session {
    fn for_transcript(transcript: &Transcript) -> Self {
        let largest = recorded_put_chunks(transcript)
            .into_iter()
            .max()
            .unwrap_or(0);
        let mut config = Config::default();
        // A host that sent larger chunks than ours is replayed with them.
        config.chunk_size = config.chunk_size.max(largest.min(MAX_PUT_DATA));
        // `chunk_size` was kept within 1..=MAX_PUT_DATA above, the only
        // field a replay changes: the default settings are valid.
        Session::new(config).unwrap_or_else(|e| {
            debug_assert!(false, "replay settings refused: {e}");
            Session::default()
        })
    }

    fn guard(&self) -> Duration {
        self.config().guard
    }

    fn owns(spec: &JobSpec) -> bool {
        !matches!(spec, JobSpec::Simcom(_))
    }

    fn enqueue<'t>(&mut self, spec: &'t JobSpec) -> Option<Queued<'t>> {
        let queued = spec.queue_on(self)?;
        Some(queued.map(|id| (id, spec.upload())))
    }

    fn note<'e>(event: &'e Event<'_>) -> Note<'e> {
        match event {
            Event::PutProgress { .. } => Note::Omitted,
            Event::Data { job, data, .. } => Note::Data(*job, data),
            Event::ListLine {
                job,
                entry: Ok(entry),
                ..
            } => Note::Entry(*job, entry.name),
            Event::Config { job, item } => Note::Config(*job, format!("{item:?}")),
            Event::Unsolicited(item) => {
                let (text, kind) = crate::describe::response(item);
                Note::Unsolicited(text, kind)
            }
            Event::JobDone { job, result } => Note::Done(*job, JobResult::Manual(*result)),
            _ => Note::Other,
        }
    }

    fn text(event: &Event<'_>) -> String {
        format!("{event:?}")
    }

    fn recorded_put_chunks(transcript: &Transcript) -> VecDeque<usize> {
        recorded_put_chunks(transcript)
    }

    fn as_recorded(tx: &[u8]) -> Cow<'_, [u8]> {
        Cow::Borrowed(tx)
    }
}
