#pragma once

namespace dockscan::agent {

// The dockscan command line: parses arguments, runs one subcommand, returns the exit
// code (0 success, 1 input could not be read, 2 usage or configuration error).
int app_main(int argc, char** argv);

} // namespace dockscan::agent
