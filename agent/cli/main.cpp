#include "agent/cli/app.hpp"

int main(int argc, char** argv) {
    return dockscan::agent::app_main(argc, argv);
}
