"""The units of a plan's billing interval, as ChartMogul accepts them: one Literal for the typed surface (the
constructors, ``PlanArgs`` and the ``Plan.interval_unit`` output, which Pulumi reads at run time) and for the spec
that validates inputs (``specs.py``). A module of its own, so that naming it never loads pydantic."""

from typing import Literal

IntervalUnit = Literal["day", "month", "year"]
