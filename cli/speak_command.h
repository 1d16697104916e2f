// `cutroom speak`: text to a WAV file (and optionally its word times) with a built-in voice.
#pragma once

namespace cutroom::cli {

// Runs `cutroom speak (TEXT | -f FILE) [--voice NAME] -o OUT.wav [--words WORDS.json]`.
// argv[0] is the command name ("speak"); the options follow, as for a main().
// Returns the process exit code: 0 success, 1 failure, 2 usage error. Errors are printed to stderr
// as "cutroom speak: <message>"; --help prints the usage to stdout.
// Thread safety: writes to stdout/stderr; call from main() only.
int RunSpeak(int argc, char** argv);

}  // namespace cutroom::cli
