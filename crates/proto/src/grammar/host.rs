//! The host side's line rule: a command line as we would send it, read
//! from what the host sends and from the modem's echo of it; and the rule
//! for a command's name, which the modem side's information responses
//! (`+<NAME>: <value>`) share.

use winnow::ascii::Caseless;
use winnow::prelude::*;
use winnow::token::literal;

use crate::bytes::within;
use crate::command::{basic, Command, CommandName, EXTENDED};
use crate::lex::{fail, spaces, trim, Parsed};

/// `<name>` after a `+`: a known command name, any case, longest first.
pub(super) fn command_name(input: &mut &[u8]) -> Parsed<CommandName> {
    // Upper-case the longest name's worth of bytes once, then compare whole
    // names; the fourth byte tells most names apart before any comparison.
    // `&EXTENDED`: iterating the const by value copies the whole table.
    const LONGEST: usize = 10;
    let mut buf = [0u8; LONGEST];
    let n = input.len().min(LONGEST);
    if let (Some(d), Some(s)) = (buf.get_mut(..n), input.get(..n)) {
        d.copy_from_slice(s);
    }
    // The whole array at once, a fixed-size loop the compiler vectorises.
    buf.make_ascii_uppercase();
    let head = within(&buf, ..n);
    let fourth = head.get(3).copied();
    for &(text, name) in &EXTENDED {
        if text.get(3).copied() == fourth && head.starts_with(text) {
            // `head` is a copy of the input's first `n` bytes.
            *input = within(input, text.len()..);
            return Ok(name);
        }
    }
    fail()
}

/// A complete command line without its terminator, if it is one we would
/// send: the manual's spellings (stray spaces, any case) are accepted.
pub(crate) fn command_line(line: &[u8]) -> Option<Command<'_>> {
    let mut input = trim(line);
    (literal(Caseless("AT")), spaces)
        .parse_next(&mut input)
        .ok()?;
    if input.is_empty() {
        return Command::parse_form(CommandName::At, input);
    }
    if let Some(rest) = input.strip_prefix(b"+") {
        // An extended command: `+`, spaces, the name, spaces, the form.
        let mut rest = rest;
        spaces(&mut rest).ok()?;
        let name = command_name(&mut rest).ok()?;
        spaces(&mut rest).ok()?;
        return Command::parse_form(name, rest);
    }
    // A basic command: its name (`E`) and, right after it, its parameter.
    basic().find_map(|(name, text)| {
        let head = input.get(..text.len())?;
        let rest = input.get(text.len()..)?;
        head.eq_ignore_ascii_case(text)
            .then(|| Command::parse_form(name, rest))
            .flatten()
    })
}
