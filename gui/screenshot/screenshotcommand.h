// SPDX-License-Identifier: MIT
#pragma once

#include <QStringList>

namespace tt::gui {

// `twintrace screenshot [--left SRC] [--right SRC] [--results DIR [--scenario ID] [--run N]]
// [--view pair|left|right|charts|window] [--size WxH] [--scale N] [--redact] [--theme light|dark]
// --out FILE.png|.svg`: the window, built and filled offscreen exactly as on screen, captured.
// Needs a QApplication. Returns the exit code (0 saved, 2 bad arguments or nothing to show).
int screenshotCommand(const QStringList& arguments);

} // namespace tt::gui
