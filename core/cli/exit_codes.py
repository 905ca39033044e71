"""The exit codes every curator command uses."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """0 ok, 1 data failed a gate, 2 usage or config error, 130 interrupted, 141 reader gone.

    141 is what a shell reports for a command killed by SIGPIPE: the reader of stdout (``head``)
    closed it early.
    """

    OK = 0
    GATE_FAILED = 1
    USAGE = 2
    INTERRUPTED = 130
    BROKEN_PIPE = 141
