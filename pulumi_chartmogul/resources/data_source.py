"""``DataSource``: a ChartMogul custom data source. Create, read, delete; a new ``name`` is a replacement (the API
has no update for data sources: https://dev.chartmogul.com/reference/data-sources), a change of ``force_destroy``
is an update of the state alone (nothing is sent).

Deleting or replacing a source that holds customers is refused unless ``force_destroy`` is set
(:mod:`.protection`)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pulumi
from pulumi.dynamic import CheckResult, CreateResult, DiffResult, Resource, UpdateResult
from pulumi.runtime.rpc import contains_unknowns

from ._base import ChartMogulProvider, FieldPolicy, delete_confirmed, read_existing
from .calling import call_properties, flag
from .creating import NaturalKey
from .import_support import require_import_support
from .protection import forced, refuse_if_it_holds_customers

POLICY = FieldPolicy(
    # force_destroy changes nothing in ChartMogul: an update only records it in the state.
    update=frozenset({"force_destroy"}),
    replace=frozenset({"name"}),
    state_only=frozenset({"force_destroy"}),
    stable=frozenset({"uuid", "system", "created_at"}),
    computed=frozenset({"uuid", "system", "status", "created_at"}),
    named_by_resource=frozenset({"name"}),
)


# How far ChartMogul's clock may be behind ours. A source with the declared name created earlier than that
# before our create cannot be the one our POST made, so a lost answer never turns it into an adoption.
CLOCK_SKEW = timedelta(minutes=5)
# The time of day in a created_at, down to its last digit: ChartMogul cuts it to the millisecond
# ("09:32:26.858Z"), so the instant it stands for may be up to a unit of that last digit later.
_TIME_OF_DAY = re.compile(r"[T ]\d{2}(?P<minutes>:?\d{2}(?P<seconds>:?\d{2}(?P<fraction>[.,]\d+)?)?)?")


def find_data_sources(provider: ChartMogulProvider, name: str) -> list[dict[str, Any]]:
    """The data source with this name (names are unique per account), as a list of none or one."""
    return [s for s in provider.client.list_data_sources(name=name) if s.get("name") == name]


def _created_before(source: dict[str, Any], moment: datetime) -> bool:
    """Whether ChartMogul says ``source`` was created before ``moment`` (our clock), allowing for clock skew.

    Only the latest instant ``created_at`` may stand for is proof: read as exact, a source that our own POST made
    in the same millisecond as ``moment`` (ChartMogul drops the rest) would look older than the create, and its
    lost answer would turn into "already exists" for an object nobody then tracks.
    """
    stamp = str(source.get("created_at"))
    try:
        created = datetime.fromisoformat(stamp)
    except ValueError:
        return False  # cannot tell: not proof that it is someone else's
    if created.tzinfo is None:
        created = created.replace(tzinfo=UTC)
    return created + _precision(stamp) <= moment - CLOCK_SKEW


def _precision(stamp: str) -> timedelta:
    """The unit of the last digit of an ISO 8601 timestamp: 1 ms for ...T09:32:26.858Z, 1 s for ...T09:32:26Z,
    a day for a date alone (never below the microsecond ``datetime`` keeps)."""
    time_of_day = _TIME_OF_DAY.search(stamp)
    if time_of_day is None:
        return timedelta(days=1)
    if time_of_day["fraction"] is not None:
        digits = len(time_of_day["fraction"]) - 1
        return max(timedelta(seconds=10.0 ** -digits), timedelta(microseconds=1))
    if time_of_day["seconds"] is not None:
        return timedelta(seconds=1)
    return timedelta(minutes=1) if time_of_day["minutes"] is not None else timedelta(hours=1)


class DataSourceProvider(ChartMogulProvider):
    spec_name = "DataSourceSpec"
    policy = POLICY

    def _outputs(self, found: dict[str, Any], inputs: dict[str, Any]) -> dict[str, Any]:
        return {
            **self.echo_inputs(inputs),
            "uuid": found["uuid"],
            "name": found["name"],
            "system": found.get("system", ""),
            "status": found.get("status", ""),
            "created_at": found.get("created_at", ""),
        }

    def _get(self, id_: str) -> dict[str, Any]:
        return self.client.get_data_source(id_)

    def create(self, props: dict[str, Any]) -> CreateResult:
        name = props["name"]
        started = datetime.now(UTC)
        key = NaturalKey(param="name", what=f"the data source named {name!r}",
                         taken=f"a data source named {name!r} already exists",
                         find_all=lambda: find_data_sources(self, name))
        source, _ = self.create_once(props, key, lambda: self.client.create_data_source(name),
                                     could_be_ours=lambda found: not _created_before(found, started))
        return CreateResult(source["uuid"], self._outputs(source, props))

    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        result = super().check(olds, news)
        if not result.failures and result.inputs.get("force_destroy") is False:
            # Off is the default and is left out, so sources without it keep the inputs they always had.
            del result.inputs["force_destroy"]
        return result

    def comparable(self, props: Mapping[str, Any]) -> Mapping[str, Any]:
        # A state written before force_destroy existed has none: that is False, not a change.
        return {"force_destroy": False, **props}

    def diff(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        result = super().diff(id_, olds, news)
        if result.replaces and not forced(olds):
            # Refused here, in preview, before anything is created: one request, only for a replacement. The old
            # object's delete reads force_destroy from the state, so setting it in the same run is not enough.
            refuse_if_it_holds_customers(self.client, id_, str(olds.get("name", id_)), "replace",
                                         just_set=forced(news) or contains_unknowns(news.get("force_destroy")))
        return result

    def update(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        # Only `adopt` and `force_destroy` can change without a replacement, and neither is sent: nothing to do.
        # force_destroy is absent from the inputs when it is off, so it is written either way.
        return UpdateResult({**olds, **self.echo_inputs(news), "force_destroy": forced(news)})

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        if not forced(props):
            refuse_if_it_holds_customers(self.client, id_, str(props.get("name", id_)), "delete")
        # Already gone is what delete wants; a lost answer is settled by a GET.
        delete_confirmed(lambda: self.client.delete_data_source(id_), lambda: self._get(id_))


@dataclass
class DataSourceArgs:
    """Arguments of :class:`DataSource`: ``DataSource("billing", DataSourceArgs(name="Billing"), opts)``."""

    name: pulumi.Input[str] | None = None
    adopt: pulumi.Input[bool] = False
    force_destroy: pulumi.Input[bool] = False


class DataSource(Resource, module="chartmogul", name="DataSource"):
    """A ChartMogul custom data source.

    ``name`` defaults to the resource name. Renaming replaces the source, and deleting a source deletes the
    plans in it. With ``adopt=True`` an existing source of the same name is taken over instead of failing.

    Deleting or replacing a source that holds customers is refused (ChartMogul would delete them and their
    invoices and subscriptions with it) unless ``force_destroy=True``; an empty source is deleted as always.
    """

    uuid: pulumi.Output[str]
    name: pulumi.Output[str]
    system: pulumi.Output[str]
    status: pulumi.Output[str]
    created_at: pulumi.Output[str]

    def __init__(
        self,
        resource_name: str,
        args: DataSourceArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
        *,
        name: pulumi.Input[str] | None = None,
        adopt: pulumi.Input[bool] | None = None,
        force_destroy: pulumi.Input[bool] | None = None,
    ) -> None:
        given = call_properties("DataSource", resource_name, args, opts, DataSourceArgs, name=name, adopt=adopt,
                                force_destroy=force_destroy)
        name, adopt, force_destroy = given.get("name"), given.get("adopt"), given.get("force_destroy")
        props = {
            "name": resource_name if name is None else name,
            "adopt": flag(adopt),
            **POLICY.unknown_outputs(),
        }
        force_destroy = flag(force_destroy)
        if force_destroy is not False:
            # Only when set (or not known yet: an Output, which the provider's check leaves out when it is False): a
            # source without it has the inputs (and the preview output) it always had.
            props["force_destroy"] = force_destroy
        require_import_support("DataSource", resource_name, opts)
        super().__init__(DataSourceProvider(), resource_name, props, opts)

    @staticmethod
    def get(resource_name: str, id: pulumi.Input[str], opts: pulumi.ResourceOptions | None = None) -> DataSource:
        """The existing data source with uuid ``id``, read (at every preview, up and refresh) but not managed:
        the program never changes it and ``destroy`` leaves it alone. A uuid that does not exist fails the run."""
        return read_existing(DataSource, DataSourceProvider(), resource_name, id, opts)
