#include <iostream>

#include "cli.h"

int main(int argc, char** argv) { return orchc::RunCli(argc, argv, std::cout, std::cerr); }
