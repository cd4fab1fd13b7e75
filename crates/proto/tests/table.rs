//! The command tables against everything that must agree with them: the
//! names and their lookup by both decoders, the forms, the timeout classes
//! of `SPEC.md` §1.12, and the fuzz dictionary (`fuzz/at.dict`), whose
//! sections of command names both tables generate.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::collections::BTreeSet;
use std::path::PathBuf;

use cellftp_proto::simcom;
use cellftp_proto::{
    commands, Action, Cfun, Command, CommandDecoder, CommandName, Decoded, FormKind, Info,
    InfoValue, Operation, Put, Request, Response, ResponseDecoder, Seed, Setting, Text, TextKind,
    TimeoutClass,
};

/// `CommandName`, its enumeration and the table agree: one name per row,
/// no name or wire text twice. The count is the table's own, so adding a
/// row needs no change here.
#[test]
fn names_come_from_the_table() {
    let names: Vec<CommandName> = CommandName::iter().collect();
    let rows = commands().len();
    assert_eq!(names.len(), rows);
    let unique: BTreeSet<_> = names.iter().collect();
    assert_eq!(unique.len(), rows, "a name appears twice");
    let wires: BTreeSet<_> = commands().map(|c| c.wire).collect();
    assert_eq!(wires.len(), rows, "a wire text appears twice");
    for spec in commands() {
        assert_eq!(spec.name.as_str(), spec.wire);
        assert_eq!(spec.name.spec(), spec);
        assert_eq!(spec.name.to_string(), format!("AT{}", spec.wire));
        assert!(!spec.forms.is_empty(), "{spec:?}");
    }
    assert_eq!(names[0], CommandName::At);
    assert_eq!(names[1], CommandName::Echo);
}

/// The first command of every form of `name`, built through the table.
fn every_form(name: CommandName, param: &[u8]) -> Vec<Command<'_>> {
    (0..3)
        .filter_map(|form| {
            let seed = Seed {
                form,
                number: 1,
                flags: 1,
                param,
            };
            Command::from_seed(name, &seed).ok()
        })
        .collect()
}

#[test]
fn both_decoders_look_every_name_up() {
    for spec in commands() {
        // Any name reads back, whatever its length and however it is cased:
        // the lookup must try `FTPGETNAME` before `FTPGET`.
        for c in every_form(spec.name, b"x") {
            let mut buf = [0u8; 64];
            let n = c.encode(&mut buf).unwrap();
            let lower = buf[..n].to_ascii_lowercase();
            for line in [&buf[..n], &lower[..]] {
                let mut d = CommandDecoder::new();
                let Decoded::Item { item, .. } = d.decode(line) else {
                    panic!("{line:?}")
                };
                assert_eq!(item, Request::Command(c), "{line:?}");
            }
        }
        // Every extended name is an information name too.
        if let Some(name) = spec.wire.strip_prefix('+') {
            if matches!(
                spec.name,
                CommandName::Cfun | CommandName::FtpServ | CommandName::FtpList
            ) {
                continue; // URC, result code and payload header: SPEC.md §1.7.
            }
            let line = format!("\r\n+{name}: x\r\n");
            let mut d = ResponseDecoder::new();
            let Decoded::Item { item, .. } = d.decode(line.as_bytes()) else {
                panic!("{line:?}")
            };
            let info = Response::Info(Info {
                name: spec.name,
                value: InfoValue::Text(b"x"),
            });
            assert_eq!(item, info, "{line:?}");
        }
    }
}

#[test]
fn forms_and_timeouts_follow_the_spec() {
    use CommandName as N;
    use TimeoutClass as T;
    let dir = Text::new(TextKind::Directory, "/d").unwrap();
    let cases = [
        (Command::At, FormKind::Execute, T::Local),
        (Command::Echo(true), FormKind::Set, T::Local),
        (Command::Cfun(Setting::Test), FormKind::Test, T::Cfun),
        (
            Command::Cfun(Setting::Set(Cfun {
                fun: 1,
                reset: None,
            })),
            FormKind::Set,
            T::Cfun,
        ),
        (Command::Cgact(Setting::Query), FormKind::Query, T::Cgact),
        (Command::FtpServ(Setting::Query), FormKind::Query, T::Local),
        (
            Command::FtpMkd(Operation::Run(dir)),
            FormKind::Set,
            T::Directory,
        ),
        (Command::FtpRmd(Operation::Test), FormKind::Test, T::Local),
        (
            Command::FtpGet(Action::Execute),
            FormKind::Execute,
            T::Transfer,
        ),
        (Command::FtpList(Action::Test), FormKind::Test, T::Local),
        (Command::FtpPut(Put::Data(b"1")), FormKind::Set, T::PutChunk),
        (Command::FtpPut(Put::End), FormKind::Set, T::PutEnd),
        (Command::FtpPut(Put::Test), FormKind::Test, T::Local),
        (
            Command::FtpScon(Action::Execute),
            FormKind::Execute,
            T::Local,
        ),
        (
            Command::FtpQuit(Action::Execute),
            FormKind::Execute,
            T::Quit,
        ),
    ];
    for (c, form, timeout) in cases {
        assert_eq!(c.form(), form, "{c:?}");
        assert_eq!(c.timeout_class(), timeout, "{c:?}");
        assert!(c.name().spec().forms.contains(&form), "{c:?}");
    }
    // The set and execute forms of the commands `SPEC.md` §1.12 lists, as it
    // gives them (`AT+FTPPUT=0` aside): an expectation written from the
    // spec, not a copy of the table, so a new row is checked by the cases
    // its author adds above, not here.
    let spec_table = [
        (N::At, T::Local),
        (N::Echo, T::Local),
        (N::Cfun, T::Cfun),
        (N::Cgact, T::Cgact),
        (N::FtpPort, T::Local),
        (N::FtpMode, T::Local),
        (N::FtpType, T::Local),
        (N::FtpReset, T::Local),
        (N::FtpServ, T::Serv),
        (N::FtpUn, T::Local),
        (N::FtpPw, T::Local),
        (N::FtpGetName, T::Local),
        (N::FtpPath, T::Local),
        (N::FtpPutName, T::Local),
        (N::FtpMkd, T::Directory),
        (N::FtpRmd, T::Directory),
        (N::FtpGet, T::Transfer),
        (N::FtpPut, T::PutChunk),
        (N::FtpList, T::Transfer),
        (N::FtpScon, T::Local),
        (N::FtpQuit, T::Quit),
    ];
    for (name, expected) in spec_table {
        assert_eq!(name.spec().run_timeout, expected, "{name}");
    }
}

fn dict_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/at.dict")
}

/// The dictionary sections the two command tables generate: the first
/// line of each, which finds it in the file, and the whole section.
fn generated_sections() -> [(&'static str, String); 2] {
    let refresh = "# refresh with `UPDATE_DICT=1 cargo test -p cellftp-proto --test table`.\n";
    let mut first =
        format!("# Command names, generated from the command table of cellftp-proto:\n{refresh}");
    for spec in commands().filter(|c| !c.wire.is_empty()) {
        let key = spec.wire.trim_start_matches('+').to_ascii_lowercase();
        first.push_str(&format!("{key}=\"{}\"\n", spec.wire));
    }
    let mut second = format!(
        "# SIMCom command names, generated from the SIMCom command table of cellftp-proto:\n{refresh}"
    );
    for name in simcom::CommandName::iter().filter(|n| !n.as_str().is_empty()) {
        let wire = name.as_str();
        let key = wire.trim_start_matches('+').to_ascii_lowercase();
        second.push_str(&format!("simcom_{key}=\"{wire}\"\n"));
    }
    [
        ("# Command names, generated", first),
        ("# SIMCom command names, generated", second),
    ]
}

/// Every command name of both tables, as written after `AT`.
fn table_names() -> BTreeSet<&'static str> {
    commands()
        .map(|c| c.wire)
        .chain(simcom::CommandName::iter().map(simcom::CommandName::as_str))
        .collect()
}

#[test]
fn the_fuzz_dictionary_names_every_command() {
    let path = dict_path();
    let mut dict = std::fs::read_to_string(&path).unwrap();
    let mut stale = Vec::new();
    for (marker, want) in generated_sections() {
        let start = dict
            .find(marker)
            .unwrap_or_else(|| panic!("at.dict has lost its section {marker:?}"));
        let end = dict[start..]
            .find("\n\n")
            .map_or(dict.len(), |i| start + i + 1);
        if dict[start..end] != want {
            dict = format!("{}{want}{}", &dict[..start], &dict[end..]);
            stale.push(want);
        }
    }
    if !stale.is_empty() {
        if std::env::var_os("UPDATE_DICT").is_some() {
            std::fs::write(&path, &dict).unwrap();
        } else {
            panic!(
                "fuzz/at.dict does not match the command tables; refresh it with \
                 `UPDATE_DICT=1 cargo test -p cellftp-proto --test table`.\n\
                 Expected sections:\n{}",
                stale.join("\n")
            );
        }
    }
    // No stale command name anywhere else in the dictionary: an `+FTP…`
    // name is a row of one of the tables.
    let names = table_names();
    for line in dict.lines().filter(|l| !l.starts_with('#')) {
        let Some((_, value)) = line.split_once('=') else {
            continue;
        };
        let value = value.trim_matches('"');
        let is_ftp_name =
            value.starts_with("+FTP") && value[1..].bytes().all(|b| b.is_ascii_uppercase());
        assert!(
            !is_ftp_name || names.contains(value),
            "at.dict names {value}, which is in neither command table"
        );
    }
    // SIMCom's own names (`AT+FTPGETPATH`) are accepted, from its table.
    assert!(names.contains("+FTPGETPATH") && names.contains("+SAPBR"));
}
