// SPDX-License-Identifier: MIT
#pragma once

#include <QFuture>
#include <QFutureWatcher>
#include <QObject>

#include <utility>

namespace tt::gui {

// Hands a background result to `context` on its thread, as a value, always after the caller
// returns (so whoever connects right after a start sees it). Nothing is delivered when context
// is destroyed first: the watcher dies with it. (QFuture::then(context, ...) asserts in debug
// builds of Qt 6.4 when the context dies first.)
template <class T, class F> void whenReady(QObject* context, QFuture<T> future, F&& deliver)
{
    auto* watcher = new QFutureWatcher<T>(context);
    QObject::connect(watcher, &QFutureWatcherBase::finished, context,
        [watcher, deliver = std::forward<F>(deliver)]() mutable {
            deliver(watcher->result());
            watcher->deleteLater();
        });
    watcher->setFuture(std::move(future));
}

} // namespace tt::gui
