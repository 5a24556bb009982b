"""Provider machinery shared by every resource: check via the spec, diff via the field policy, configuration,
read, create-without-duplicates and adopt.

A resource module declares its spec (``specs.py``), its :class:`FieldPolicy` and the API calls; everything
about how Pulumi's engine talks to a dynamic provider (floats, dropped ``None``, unknowns, echoing inputs into
outputs) is handled here once.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

import pulumi
from pulumi.dynamic import (
    CheckFailure,
    CheckResult,
    ConfigureRequest,
    DiffResult,
    ReadResult,
    Resource,
    ResourceProvider,
)
from pulumi.runtime.rpc import contains_unknowns

from ..api.errors import ChartMogulError, ConfigurationError, NotFoundError, ServerError, TransportError
from ..api.settings import Settings, load_settings
from .creating import Create, NaturalKey, create_or_adopt

if TYPE_CHECKING:
    # Imported where first needed, not when the host unpickles a provider: pydantic (specs) by the first check,
    # requests (client) by the first API call. A host that only previews never loads requests; one that only
    # refreshes or destroys never loads pydantic (bench/RESULTS.md, cold start).
    from ..api.client import ChartMogulClient
    from .specs import ResourceSpec

PROVIDER_KEY = "__provider"
R = TypeVar("R", bound=Resource)


@dataclass(frozen=True)
class FieldPolicy:
    """How each input field reacts to a change: patched in place, or the object is replaced.

    ``create_only`` fields steer ``create`` (``adopt``) and never cause a diff. ``computed`` outputs are owned by
    the server: their drift is never a change. The resource's outputs (:attr:`outputs`) are the fields sent to
    ChartMogul and the computed ones, listed nowhere else: the constructor declares them unknown until the engine
    fills them, ``.get`` reads them, and a test holds the typed ``Output`` annotations to them.
    """

    update: frozenset[str]
    replace: frozenset[str]
    create_only: frozenset[str] = field(default_factory=lambda: frozenset({"adopt"}))
    # Update fields that steer the provider and are never sent to ChartMogul: a change only records them.
    state_only: frozenset[str] = frozenset()
    # Outputs that an in-place update never changes: a preview of the update keeps them known (the provider host's
    # server.py, Update), so what is declared from them (a plan's data_source_uuid, a group's plans) shows no change.
    stable: frozenset[str] = frozenset({"uuid"})
    computed: frozenset[str] = frozenset({"uuid"})
    # Inputs a declaration may leave out: they default to the resource's name (its Pulumi name, stable across runs).
    named_by_resource: frozenset[str] = frozenset()

    @property
    def inputs(self) -> frozenset[str]:
        return self.update | self.replace | self.create_only

    @property
    def outputs(self) -> tuple[str, ...]:
        """Every output of the resource besides its echoed inputs: the API's fields and the server's own."""
        return tuple(sorted(set(self.api_fields) | self.computed))

    def unknown_outputs(self) -> dict[str, None]:
        """The computed outputs as a program declares them: ``None``, so the engine fills them from the provider."""
        return dict.fromkeys(sorted(self.computed))

    @property
    def api_fields(self) -> tuple[str, ...]:
        """The fields sent to ChartMogul: every input that is not only the provider's own."""
        return tuple(sorted((self.update | self.replace) - self.state_only))


def check_inputs(spec: type[ResourceSpec], news: Mapping[str, Any]) -> CheckResult:
    """Validate ``news`` against ``spec``: one CheckFailure per bad field, values still unknown skipped."""
    from pydantic import ValidationError

    props = {k: v for k, v in news.items() if k != PROVIDER_KEY}
    unknown = {k for k, v in props.items() if contains_unknowns(v)}
    candidate = {k: (spec.preview_placeholders.get(k, v) if k in unknown else v) for k, v in props.items()}
    try:
        model = spec.model_validate(candidate)
    except ValidationError as exc:
        return CheckResult(dict(news), [_failure(spec, error) for error in exc.errors()])
    checked = model.model_dump(mode="json")
    for key in unknown:
        checked[key] = props[key]  # hand the unknown back untouched: the engine resolves it later
    return CheckResult(checked, [])


def _failure(spec: type[ResourceSpec], error: Mapping[str, Any]) -> CheckFailure:
    from .specs import describe_error

    loc = tuple(error.get("loc") or ("",))
    prop = str(loc[0])
    where = prop + "".join(f"[{part}]" for part in loc[1:])  # an item of a list: plans[2]
    known = ", ".join(spec.model_fields)
    return CheckFailure(prop, describe_error(error, where, unknown="a property of this resource",
                                             known_fields=lambda _loc: known))


def changed_fields(policy: FieldPolicy, olds: Mapping[str, Any], news: Mapping[str, Any]) -> list[str]:
    """The declared fields whose new input differs from the old output (which echoes every input), or is not known
    yet: what a diff reports, and what the provider host shows the engine field by field."""
    return [
        key for key in sorted(policy.update | policy.replace)
        if contains_unknowns(news.get(key)) or _normal(olds.get(key)) != _normal(news.get(key))
    ]


def diff_result(policy: FieldPolicy, changed: Sequence[str]) -> DiffResult:
    replaces = [key for key in changed if key in policy.replace]
    # Replacing never collides with the old object: every replace-field is part of the natural key or the
    # parent, so create-before-delete (the engine's default) keeps the old object until the new one exists.
    return DiffResult(changes=bool(changed), replaces=replaces, delete_before_replace=False)


def _normal(value: Any) -> Any:
    """Numbers cross gRPC as doubles: 3 and 3.0 are the same value."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def read_result(id_: str, outputs: dict[str, Any], inputs: dict[str, Any]) -> ReadResult:
    """A refresh's answer with inputs, so drift shows in the next diff.

    ``ReadResult(inputs=...)`` exists only from SDK 3.216 (pulumi#21315); set as an attribute it works on every
    supported SDK, and older hosts, which do not know it, refresh outputs only.
    """
    result = ReadResult(id_, outputs)
    result.inputs = inputs
    return result


def delete_confirmed(delete: Callable[[], None], get: Callable[[], Any]) -> None:
    """DELETE; "not found" means done. If the answer is lost, a GET says whether the DELETE took effect.

    A DELETE that got no answer (connection reset, read timeout) or a 5xx even after the client's retries may
    still have landed -- a retried DELETE of an object our first attempt removed can be lost the same way. If a
    GET then answers 404 the object is gone, which is what was asked; otherwise the original error stands (the
    engine keeps the resource in the state, and the next destroy tries again).
    """
    try:
        delete()
        return
    except NotFoundError:
        return
    except (TransportError, ServerError) as exc:
        failure: ChartMogulError = exc
    try:
        get()
    except NotFoundError:
        return
    except ChartMogulError:
        pass
    raise failure


_CLIENT_LOCK = threading.Lock()


class ChartMogulProvider(ResourceProvider):
    """Base of each resource's provider. Holds no state when pickled: the settings are read in ``configure``,
    the client is built on first use.

    Class-level defaults (not ``__init__``) keep old pickles in state loadable when attributes are added.
    """

    serialize_as_secret_always = False  # nothing secret is ever pickled: see configure()
    spec_name: ClassVar[str]  # the model in specs.py that check validates against
    policy: ClassVar[FieldPolicy]
    _settings: Settings | None = None
    _client: ChartMogulClient | None = None
    _configuration_error: ConfigurationError | None = None

    def configure(self, req: ConfigureRequest) -> None:
        try:
            self._settings = load_settings(req.config.get)
        except ConfigurationError as exc:
            # check and diff need no API; the error is raised by the first call that does.
            self._configuration_error = exc

    @property
    def spec(self) -> type[ResourceSpec]:
        from . import specs

        spec: type[ResourceSpec] = getattr(specs, self.spec_name)
        return spec

    @property
    def client(self) -> ChartMogulClient:
        if self._client is None:
            if self._settings is None:
                raise self._configuration_error or ConfigurationError(
                    "the provider was not configured (configure() never ran)"
                )
            with _CLIENT_LOCK:  # the host calls in from several threads: build one client
                if self._client is None:
                    from ..api.client import ChartMogulClient

                    self._client = ChartMogulClient(self._settings)
        return self._client

    def __getstate__(self) -> dict[str, Any]:
        # Never pickle the client (it holds the key) nor a configuration error.
        return {}

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        return check_inputs(self.spec, news)

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        return diff_result(self.policy, self.changed_fields(olds, news))

    def changed_fields(self, olds: Mapping[str, Any], news: Mapping[str, Any]) -> list[str]:
        """The fields a diff of these old outputs and new inputs reports as changed (no request is sent)."""
        return changed_fields(self.policy, self.comparable(olds), self.comparable(news))

    def comparable(self, props: Mapping[str, Any]) -> Mapping[str, Any]:
        """``props`` as the diff compares them (a resource whose state may lack a field, or holds a set as a list,
        says so here)."""
        return props

    def adopts(self, props: Mapping[str, Any]) -> bool:
        """Whether a create takes over an existing object: ``adopt=True`` on the resource, or the
        ``chartmogul:adoptExisting`` / ``CHARTMOGUL_ADOPT_EXISTING`` switch for this run."""
        return bool(props.get("adopt")) or self.client.settings.adopt_existing

    def echo_inputs(self, props: Mapping[str, Any]) -> dict[str, Any]:
        """The input fields of ``props`` (normalised), for outputs: the engine diffs against old outputs."""
        return {k: _normal(v) for k, v in props.items() if k in self.policy.inputs and v is not None}

    # -- what each resource supplies -----------------------------------------------------------------

    def _get(self, id_: str) -> dict[str, Any]:
        """The object with this uuid, as the API answers it (NotFoundError when it is gone)."""
        raise NotImplementedError

    def _read(self, id_: str, props: Mapping[str, Any]) -> dict[str, Any]:
        """The object for a ``read`` (refresh, import, ``.get``): by default ``_get``; a resource whose kind the API
        lists says so here, and many reads cost list pages instead of a GET each (``api/listed_reads.py``)."""
        return self._get(id_)

    def _outputs(self, found: dict[str, Any], inputs: dict[str, Any]) -> dict[str, Any]:
        """The resource's outputs: the declared inputs echoed, then what the API says."""
        raise NotImplementedError

    # -- what every resource does the same way -------------------------------------------------------

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        """Refresh, get() and import: one GET, or a share of a listing page. Gone means dropped from the state; the
        inputs follow the object, so drift diffs."""
        try:
            found = self._read(id_, props)
        except NotFoundError:
            if "uuid" not in props:
                # A get() (ResourceOptions(id=...)) sends the declared props, which have no uuid yet, and an import
                # (import_=...) sends none: the engine would keep a resource with no outputs, or say only "does not
                # exist". Missing is an error there, and this one says which object and what to do.
                resource = self.resource
                raise NotFoundError(
                    f"no {resource} with uuid {id_!r} exists in ChartMogul, so {resource}.get cannot read it and "
                    "it cannot be imported. If it was deleted, remove its uuid (the catalog entry's `uuid`, or "
                    "ResourceOptions(import_=...)) and `pulumi up` creates it again.", status=404) from None
            return ReadResult(None, {})
        outputs = self._outputs(found, props)
        # The inputs in the shape check gives them, defaults included, for an import (no inputs of ours yet) and a
        # refresh alike: an imported resource's outputs lack `adopt`, and inputs that lost it at each refresh would
        # differ from the program's at the next up, which then rewrites the whole state once per resource.
        return read_result(found["uuid"], outputs, self.imported_inputs(outputs))

    def imported_inputs(self, outputs: Mapping[str, Any]) -> dict[str, Any]:
        """The inputs of an object read with no inputs of ours (an import): its input fields in the shape check
        gives a declaration (defaults such as adopt=False included), so that the state an import writes is what
        later ups compare with. Otherwise the first no-change up would rewrite every imported resource's state."""
        inputs = self.echo_inputs(outputs)
        checked = self.check({}, inputs)
        return inputs if checked.failures else {k: v for k, v in checked.inputs.items() if k != PROVIDER_KEY}

    @property
    def resource(self) -> str:
        """The resource type's name, as a program writes it: ``Plan``."""
        return self.spec_name.removesuffix("Spec")

    def create_once(self, props: Mapping[str, Any], key: NaturalKey, post: Callable[[], dict[str, Any]], *,
                    could_be_ours: Callable[[dict[str, Any]], bool] = lambda _found: True,
                    settle_seconds: float = 0.0) -> tuple[dict[str, Any], bool]:
        """Create the object ``post`` makes, exactly once, or take over the one ``key`` finds when the resource adopts
        (``creating.py``). Returns the object and whether it was found rather than created."""
        create = Create(post, key, could_be_ours, max_resends=self.client.settings.create_resends,
                        settle_seconds=settle_seconds)
        return create_or_adopt(create, adopt=self.adopts(props), resource=self.resource)


def read_existing(cls: type[R], provider: ChartMogulProvider, resource_name: str, id_: pulumi.Input[str],
                  opts: pulumi.ResourceOptions | None) -> R:
    """``cls.get``: a resource the program reads but does not manage (Pulumi's usual static ``get``).

    ``pulumi.dynamic.Resource`` has none, so the resource is registered with ``ResourceOptions(id=...)``: the
    engine then runs a Read step (in preview too) instead of a create, refreshes it like any other resource,
    and never deletes it. ``cls.__init__`` is bypassed (its required arguments are what is being read); the
    outputs (the field policy's) are declared as ``None`` so that they are filled from the read.
    """
    resource = cls.__new__(cls)
    Resource.__init__(resource, provider, resource_name, dict.fromkeys(provider.policy.outputs),
                      pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(id=id_)))
    return resource
