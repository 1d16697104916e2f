// The `cutroom` subcommands. Each takes the arguments after its own name and returns the exit
// code: 0 ok, 1 failure, 2 usage error.
#pragma once

namespace cutroom::cli {

int RunProbe(int argc, char** argv);
int RunRender(int argc, char** argv);
int RunSample(int argc, char** argv);
int RunSpeak(int argc, char** argv);  // speak_command.cc
int RunAnalyze(int argc, char** argv);  // analyze_command.cc
int RunTranscribe(int argc, char** argv);  // transcribe_command.cc
int RunJob(int argc, char** argv);   // jobs_command.cc: `job render`
int RunJobs(int argc, char** argv);  // jobs_command.cc: `jobs list|show|...`
int RunGc(int argc, char** argv);    // jobs_command.cc
int RunClip(int argc, char** argv);  // clip_command.cc
int RunCompose(int argc, char** argv);  // compose_command.cc
int RunServe(int argc, char** argv);  // serve_command.cc

}  // namespace cutroom::cli
