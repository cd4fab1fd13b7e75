//! `cellftp completions bash|zsh|fish`: the shell completion script, on
//! stdout.

use clap::{Args, CommandFactory, ValueEnum};
use clap_complete::Shell;

use crate::cli::Cli;

/// The shells.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum ShellArg {
    /// Bash: `cellftp completions bash > ~/.local/share/bash-completion/completions/cellftp`.
    Bash,
    /// Zsh: `cellftp completions zsh > ~/.zfunc/_cellftp`.
    Zsh,
    /// Fish: `cellftp completions fish > ~/.config/fish/completions/cellftp.fish`.
    Fish,
}

/// `completions`'s argument.
#[derive(Debug, Args)]
pub(crate) struct CompletionsArgs {
    /// The shell.
    pub(crate) shell: ShellArg,
}

/// Prints the script.
pub(crate) fn run(args: &CompletionsArgs) {
    let shell = match args.shell {
        ShellArg::Bash => Shell::Bash,
        ShellArg::Zsh => Shell::Zsh,
        ShellArg::Fish => Shell::Fish,
    };
    clap_complete::generate(
        shell,
        &mut Cli::command(),
        "cellftp",
        &mut std::io::stdout(),
    );
}
