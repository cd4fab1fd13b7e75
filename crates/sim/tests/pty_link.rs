//! `PtyServer::start` with a link path: an old symbolic link is replaced
//! and removed on stop; a regular file there is refused and left alone.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::path::PathBuf;

use cellftp_sim::{PtyError, PtyServer, SimConfig, Simulator};

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cellftp-sim-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn a_regular_file_at_the_link_path_is_refused_and_kept() {
    let dir = temp_dir("pty-file");
    let file = dir.join("modem");
    std::fs::write(&file, b"my notes").unwrap();
    let err = PtyServer::start(Simulator::new(SimConfig::default()), Some(&file)).unwrap_err();
    assert!(
        matches!(&err, PtyError::NotALink(p) if *p == file),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        format!(
            "{} exists and is not a symbolic link: it is left alone (remove it or give another path)",
            file.display()
        )
    );
    assert_eq!(std::fs::read(&file).unwrap(), b"my notes");

    // A directory, likewise.
    let sub = dir.join("sub");
    std::fs::create_dir(&sub).unwrap();
    let err = PtyServer::start(Simulator::new(SimConfig::default()), Some(&sub)).unwrap_err();
    assert!(matches!(err, PtyError::NotALink(_)), "{err:?}");
    assert!(sub.is_dir());
}

#[test]
fn an_old_link_is_replaced_and_removed_on_stop() {
    let dir = temp_dir("pty-link");
    let link = dir.join("modem");
    std::os::unix::fs::symlink("/nonexistent/old", &link).unwrap();
    let pty = PtyServer::start(Simulator::new(SimConfig::default()), Some(&link)).unwrap();
    assert_eq!(std::fs::read_link(&link).unwrap(), pty.path());
    pty.stop().unwrap();
    assert!(std::fs::symlink_metadata(&link).is_err());
}

#[test]
fn a_link_replaced_meanwhile_is_not_removed_on_stop() {
    let dir = temp_dir("pty-swap");
    let link = dir.join("modem");
    let pty = PtyServer::start(Simulator::new(SimConfig::default()), Some(&link)).unwrap();
    std::fs::remove_file(&link).unwrap();
    std::fs::write(&link, b"mine now").unwrap();
    pty.stop().unwrap();
    assert_eq!(std::fs::read(&link).unwrap(), b"mine now");
}
