// SPDX-License-Identifier: GPL-3.0-or-later
// What the canvas shows about a task of a job: the engine's task status, with a running manual
// task split into "waiting for an operator" and "claimed", because that is what an operator
// looks for first.
#pragma once

#include <cstdint>

namespace flowdeck::ui::canvas {

enum class TaskState : std::uint8_t {
    NotReached, ///< incomplete, or no job shown
    Scheduled,
    Running,
    WaitingForOperator, ///< a manual task nobody has claimed
    Claimed,            ///< a manual task someone is working
    Complete,
    Failure,
    Error,
    Canceled,
    Paused,
    /// Finished with "failure" and followed its failure transition: an evaluation that was
    /// false, a check that took its other way. A branch the workflow planned, not a fault.
    Branched,
};
inline constexpr int kTaskStateCount = 11;

/// The finish state a transition follows; revert is a separate flag, not a state.
enum class EdgeState : std::uint8_t { Success, Failure, Error };
inline constexpr int kEdgeStateCount = 3;

/// How a transition is drawn for the job shown: normal (no job), taken, or not taken.
enum class Emphasis : std::uint8_t { Normal, Taken, Faded };
inline constexpr int kEmphasisCount = 3;

/// The glyph in a task's status disc.
enum class StatusIcon : std::uint8_t {
    None,
    Clock,
    Play,
    Person,
    PersonCheck,
    Check,
    Cross,
    Bang,
    Stop,
    Pause,
    Branch,
};
inline constexpr int kStatusIconCount = 11;

inline StatusIcon iconFor(TaskState state)
{
    switch (state) {
    case TaskState::NotReached:
        return StatusIcon::None;
    case TaskState::Scheduled:
        return StatusIcon::Clock;
    case TaskState::Running:
        return StatusIcon::Play;
    case TaskState::WaitingForOperator:
        return StatusIcon::Person;
    case TaskState::Claimed:
        return StatusIcon::PersonCheck;
    case TaskState::Complete:
        return StatusIcon::Check;
    case TaskState::Failure:
        return StatusIcon::Cross;
    case TaskState::Error:
        return StatusIcon::Bang;
    case TaskState::Canceled:
        return StatusIcon::Stop;
    case TaskState::Paused:
        return StatusIcon::Pause;
    case TaskState::Branched:
        return StatusIcon::Branch;
    }
    return StatusIcon::None;
}

} // namespace flowdeck::ui::canvas
