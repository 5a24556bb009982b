"""Prints the reliability record (fault matrix, storm and concurrency figures, secret hits) after the run."""

from __future__ import annotations

from typing import Any

from tests.reliability.report import REPORT


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if REPORT.rows:
        terminalreporter.write_sep("=", "reliability: fault matrix")
        for line in REPORT.matrix_lines():
            terminalreporter.write_line(line)
    for section, lines in REPORT.figures.items():
        terminalreporter.write_sep("=", f"reliability: {section}")
        for line in lines:
            terminalreporter.write_line(line)
