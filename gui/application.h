// SPDX-License-Identifier: MIT
#pragma once

namespace tt::gui {

// Opens the main window on the files named on the command line. `--screenshot FILE.png` renders
// the window once everything is imported, saves it and quits (used headless for the README).
int runWindow(int argc, char** argv);

} // namespace tt::gui
