#include "agent/app.hpp"

#include <cstdio>

namespace dockscan::agent {

int app_main(int /*argc*/, char** /*argv*/) {
    std::fputs("dockscan: no subcommands yet\n", stderr);
    return 2;
}

} // namespace dockscan::agent
