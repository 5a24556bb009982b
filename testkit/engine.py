"""The engine's step logic for one resource, on top of a :class:`~testkit.host.ProviderHost`.

What ``pulumi up``, ``preview``, ``refresh``, ``destroy`` and an import make of the host's answers (create, same,
update or replace; import then update), mirrored from pulumi/pulumi's ``pkg/resource/deploy/step_generator.go``
and ``step.go``. :class:`Engine` adds ``__provider`` to the inputs for you.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from testkit.host import (
    PROVIDER_KEY,
    CheckOutcome,
    DiffOutcome,
    EngineError,
    ProviderHost,
    ResourceState,
)
from testkit.wire import UNKNOWN


class CheckFailed(Exception):
    """Check returned failures; the engine marks the resource invalid and fails preview and up."""

    def __init__(self, failures: list[tuple[str, str]], check: CheckOutcome | None = None) -> None:
        super().__init__("; ".join(f"{prop or '<resource>'}: {reason}" for prop, reason in failures))
        self.failures = failures
        self.check = check


def _inputs_equal(old: Any, new: Any) -> bool:
    """The engine's ``oldInputs.Diff(newInputs)`` with no changes: deep equality, unknowns always differ."""
    if old is UNKNOWN or new is UNKNOWN:
        return False
    if isinstance(old, dict) and isinstance(new, dict):
        return old.keys() == new.keys() and all(_inputs_equal(old[k], new[k]) for k in old)
    if isinstance(old, list) and isinstance(new, list):
        return len(old) == len(new) and all(_inputs_equal(a, b) for a, b in zip(old, new, strict=True))
    return bool(old == new)


def decide_step(old_inputs: Mapping[str, Any], new_inputs: Mapping[str, Any], diff: DiffOutcome) -> str:
    """The step ("same", "update" or "replace") that ``step_generator.go`` makes of a Diff result."""
    changes = diff.changes
    if changes == "DIFF_UNKNOWN":
        # diffResource: compare old and new inputs (``__provider`` included); keep the provider's replaces.
        changes = "DIFF_NONE" if _inputs_equal(dict(old_inputs), dict(new_inputs)) else "DIFF_SOME"
    if changes != "DIFF_SOME":
        return "same"  # DIFF_NONE ignores replaces
    return "replace" if diff.replaces else "update"


class Engine:
    """The engine's per-resource step logic for one stack, on top of a :class:`ProviderHost`."""

    def __init__(self, host: ProviderHost) -> None:
        self.host = host

    @staticmethod
    def _news(inputs: Mapping[str, Any], provider: str) -> dict[str, Any]:
        if PROVIDER_KEY in inputs:
            raise ValueError("pass the serialized provider as provider=..., not inside inputs")
        return {**inputs, PROVIDER_KEY: provider}

    def _check(self, type_token: str, name: str, olds: Mapping[str, Any], news: Mapping[str, Any],
               old_outputs: Mapping[str, Any] | None = None) -> CheckOutcome:
        outcome = self.host.check(type_token, name, olds, news, old_outputs)
        if outcome.failures:
            raise CheckFailed(outcome.failures, outcome)
        return outcome

    @staticmethod
    def _same_resource(prior: ResourceState, type_token: str, name: str) -> None:
        if (prior.type_token, prior.name) != (type_token, name):
            raise ValueError(f"prior state is {prior.type_token}::{prior.name}, not {type_token}::{name}")

    def up(
        self,
        type_token: str,
        name: str,
        inputs: Mapping[str, Any],
        *,
        provider: str,
        prior: ResourceState | None = None,
        delete_before_replace: bool | None = None,
    ) -> tuple[str, ResourceState]:
        """One resource registration in ``pulumi up``: returns the step ("create"|"same"|"update"|"replace")."""
        news = self._news(inputs, provider)
        if prior is None:
            checked = self._check(type_token, name, {}, news)
            return "create", self.host.create(type_token, name, checked.inputs)

        self._same_resource(prior, type_token, name)
        checked = self._check(type_token, name, prior.inputs, news, prior.outputs)
        diff = self.host.diff(prior, checked.inputs)
        step = decide_step(prior.inputs, checked.inputs, diff)
        if step == "same":
            # SameStep keeps the old id and outputs and records the new inputs.
            return "same", dataclasses.replace(prior, inputs=checked.inputs, outputs=dict(prior.outputs))
        if step == "update":
            return "update", self.host.update(prior, checked.inputs)

        # Replacement: defaults are recomputed by a Check without olds against the program's inputs.
        rechecked = self._check(type_token, name, {}, news)
        dbr = diff.delete_before_replace if delete_before_replace is None else delete_before_replace
        if dbr:
            self.host.delete(prior)
            created = self.host.create(type_token, name, rechecked.inputs)
        else:
            created = self.host.create(type_token, name, rechecked.inputs)
            self.host.delete(prior)  # pending delete, run at the end of the deployment
        return "replace", created

    def preview(
        self,
        type_token: str,
        name: str,
        inputs: Mapping[str, Any],
        *,
        provider: str,
        prior: ResourceState | None = None,
    ) -> tuple[str, DiffOutcome | None, CheckOutcome]:
        """What ``pulumi preview`` asks the host: Check (+ Diff, + a second Check on replace); never CRUD.

        Returns the step, the provider's raw Diff answer (None for a create), and the Check whose inputs the
        engine would plan with (the second, olds-less Check for a replace). Check failures raise CheckFailed.
        """
        news = self._news(inputs, provider)
        if prior is None:
            return "create", None, self._check(type_token, name, {}, news)
        self._same_resource(prior, type_token, name)
        checked = self._check(type_token, name, prior.inputs, news, prior.outputs)
        diff = self.host.diff(prior, checked.inputs)
        step = decide_step(prior.inputs, checked.inputs, diff)
        if step == "replace":
            checked = self._check(type_token, name, {}, news)
        return step, diff, checked

    def _import(self, type_token: str, name: str, import_id: str, news: Mapping[str, Any]
                ) -> tuple[ResourceState, CheckOutcome, str]:
        """ImportStep (the Read), then continueStepsFromImport: Check and Diff of the goal against what was read."""
        imported = self.host.read_for_import(type_token, name, import_id)
        if imported is None:
            raise EngineError(f"resource '{import_id}' does not exist")
        checked = self._check(type_token, name, imported.inputs, news, imported.outputs)
        step = decide_step(imported.inputs, checked.inputs, self.host.diff(imported, checked.inputs))
        if step == "replace":
            raise EngineError("an import followed by a replacement is not modelled by this stand-in")
        return imported, checked, step

    def import_(self, type_token: str, name: str, inputs: Mapping[str, Any], *, provider: str, import_id: str,
                preview: bool = False) -> tuple[str, ResourceState]:
        """A registration with ``ResourceOptions(import_=import_id)`` and no prior state, in ``up`` (or in
        ``preview``: nothing but the Read, Check and Diff). Returns "import", or "import+update" when the object
        differs from the goal, and the state the engine records: what was read (then updated)."""
        imported, checked, step = self._import(type_token, name, import_id, self._news(inputs, provider))
        if step == "same":
            return "import", imported
        return "import+update", imported if preview else self.host.update(imported, checked.inputs)

    def refresh(self, state: ResourceState) -> ResourceState | None:
        """Read; None means the engine drops the resource. Then the inverted display Diff (errors propagate)."""
        refreshed = self.host.read(state)
        if refreshed is not None:
            # RefreshStep.Apply: diffResource(new inputs as old inputs, new outputs as old outputs,
            # old inputs as new inputs).Invert() -- only shown to the user.
            self.host.diff(refreshed, state.inputs)
        return refreshed

    def read_existing(self, type_token: str, name: str, id_: str, props: Mapping[str, Any], *,
                      provider: str) -> ResourceState | None:
        """A resource registered with ``ResourceOptions(id=...)`` (a ``get``): the ReadStep's
        ``Read(id, properties=props, inputs=props)``, in preview and up alike. None: the host answered a blank id
        (the engine would then keep the resource with no outputs, and report nothing)."""
        news = self._news(props, provider)
        state = ResourceState(type_token, name, self.host.urn(type_token, name), id_, inputs=news, outputs=news)
        return self.host.read(state)

    def destroy(self, state: ResourceState) -> None:
        self.host.delete(state)
