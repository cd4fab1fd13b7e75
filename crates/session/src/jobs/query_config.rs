//! The query-config job: `AT+FTPSCON`, whose information lines become
//! [`Event::Config`].

use cellftp_proto::{Action, Command, CommandName, Response};

use super::{after, Ctx, Flow, Reply, Step};
use crate::error::ModemError;
use crate::event::{Event, Outcome};

/// The query-config job: one command.
#[derive(Debug, Default)]
pub(crate) struct QueryConfigJob {
    /// Items reported.
    items: u32,
}

impl QueryConfigJob {
    pub(crate) fn poll(&mut self) -> Step<'static> {
        Step::Send(Command::FtpScon(Action::Execute))
    }

    pub(crate) fn on_item<'b>(&mut self, ctx: Ctx<'_>, item: Response<'b>) -> Reply<'b> {
        match item {
            Response::Info(_) | Response::Unknown(_) => {
                self.items += 1;
                Reply::Answer(Some(Event::Config { job: ctx.id, item }))
            }
            _ => Reply::NotMine,
        }
    }

    pub(crate) fn on_final(
        &mut self,
        command: CommandName,
        result: Result<(), ModemError>,
    ) -> Flow {
        let items = self.items;
        after(
            command,
            result,
            Flow::End(Ok(Outcome::ConfigReported { items })),
        )
    }
}
