"""Fault injection: the rules of ``POST /_emulator/faults`` and which request each one hits (in memory, thread-safe)."""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

FaultMode = Literal["respond", "commit_then_drop", "delay", "omit"]


class FaultRule(BaseModel):
    """One rule of ``POST /_emulator/faults``; only ``method``, ``path`` and ``mode`` are required."""

    model_config = ConfigDict(extra="forbid")

    method: str = Field(description="HTTP method, or * for any")
    path: str = Field(description="a path template such as /v1/plans/{uuid}, or a path prefix")
    mode: FaultMode
    status: int = Field(default=503, ge=100, le=599)
    times: int | None = Field(default=1, ge=0, description="matching requests to affect; null = every one")
    probability: float = Field(default=1.0, ge=0.0, le=1.0)
    retry_after: int | None = Field(default=None, ge=0)
    delay_ms: int = Field(default=0, ge=0, le=600_000)
    omit: list[str] = Field(default_factory=list,
                            description="for omit: the uuids a listing leaves out of its answer, though they exist")

    @model_validator(mode="after")
    def _omit_names_what(self) -> FaultRule:
        if (self.mode == "omit") != bool(self.omit):
            raise ValueError("`omit` (a list of uuids) is required with mode omit, and only with it")
        return self

    def matches(self, method: str, template: str, path: str) -> bool:
        if self.method != "*" and self.method.upper() != method.upper():
            return False
        return self.path in (template, path) or path.startswith(self.path)


class FaultSet(BaseModel):
    model_config = ConfigDict(extra="forbid")

    seed: int | None = None
    rules: list[FaultRule] = Field(default_factory=list)


@dataclass(frozen=True)
class Fault:
    """What to do to one request: the rule that fired."""

    mode: FaultMode
    status: int
    retry_after: int | None
    delay_ms: int
    omit: frozenset[str] = frozenset()


class FaultRules:
    """The rules in force and how many uses each has left; a seeded draw decides the probabilistic ones."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rules: list[FaultRule] = []
        self._remaining: list[int | None] = []
        self._seed: int | None = None
        self._random = random.Random()

    def set(self, faults: FaultSet) -> None:
        with self._lock:
            self._rules = list(faults.rules)
            self._remaining = [rule.times for rule in faults.rules]
            self._seed = faults.seed
            self._random = random.Random(faults.seed)

    def get(self) -> FaultSet:
        with self._lock:
            rules = [
                rule.model_copy(update={"times": left}) for rule, left in zip(self._rules, self._remaining, strict=True)
            ]
        return FaultSet(seed=self._seed, rules=rules)

    def fault_for(self, method: str, template: str, path: str) -> Fault | None:
        """The first rule that matches, still has uses left and wins its draw; uses are consumed here."""
        with self._lock:
            for index, rule in enumerate(self._rules):
                left = self._remaining[index]
                if (left is not None and left <= 0) or not rule.matches(method, template, path):
                    continue
                if rule.probability < 1.0 and self._random.random() >= rule.probability:
                    continue
                if left is not None:
                    self._remaining[index] = left - 1
                return Fault(rule.mode, rule.status, rule.retry_after, rule.delay_ms, frozenset(rule.omit))
        return None

    def reset(self) -> None:
        self.set(FaultSet())
