"""``DataSource``: a ChartMogul custom data source. Create, read, delete; any change is a replacement
(the API has no update for data sources: https://dev.chartmogul.com/reference/data-sources)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pulumi
from pulumi.dynamic import CreateResult, Resource, UpdateResult

from ._base import ChartMogulProvider, FieldPolicy, delete_confirmed, read_existing

POLICY = FieldPolicy(
    update=frozenset(),
    replace=frozenset({"name"}),
)


# How far ChartMogul's clock may be behind ours. A source with the declared name created earlier than that
# before our create cannot be the one our POST made, so a lost answer never turns it into an adoption.
CLOCK_SKEW = timedelta(minutes=5)


def find_data_source(provider: ChartMogulProvider, name: str) -> dict[str, Any] | None:
    """The data source with this name (names are unique per account), or None."""
    return next((s for s in provider.client.list_data_sources(name=name) if s.get("name") == name), None)


def _created_before(source: dict[str, Any], moment: datetime) -> bool:
    """Whether ChartMogul says ``source`` was created before ``moment`` (our clock), allowing for clock skew."""
    try:
        created = datetime.fromisoformat(str(source.get("created_at")))
    except ValueError:
        return False  # cannot tell: not proof that it is someone else's
    if created.tzinfo is None:
        created = created.replace(tzinfo=UTC)
    return created < moment - CLOCK_SKEW


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
        source, _ = self.create_or_adopt(
            lambda: self.client.create_data_source(name),
            lambda: find_data_source(self, name),
            adopt=self.adopts(props),
            what=f"the data source named {name!r}",
            taken=f"a data source named {name!r} already exists",
            param="name",
            could_be_ours=lambda found: not _created_before(found, started),
        )
        return CreateResult(source["uuid"], self._outputs(source, props))

    def update(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        # Only `adopt` can change without a replacement, and it matters only at create: nothing to send.
        return UpdateResult({**olds, **self.echo_inputs(news)})

    def delete(self, id_: str, _props: dict[str, Any]) -> None:
        # Already gone is what delete wants; a lost answer is settled by a GET.
        delete_confirmed(lambda: self.client.delete_data_source(id_), lambda: self._get(id_))


@dataclass
class DataSourceArgs:
    """Arguments of :class:`DataSource` (the alternative, typed calling style)."""

    name: pulumi.Input[str] | None = None
    adopt: bool = False


class DataSource(Resource, module="chartmogul", name="DataSource"):
    """A ChartMogul custom data source.

    ``name`` defaults to the resource name. Renaming replaces the source, and deleting a source deletes the
    plans in it. With ``adopt=True`` an existing source of the same name is taken over instead of failing.
    """

    uuid: pulumi.Output[str]
    name: pulumi.Output[str]
    system: pulumi.Output[str]
    status: pulumi.Output[str]
    created_at: pulumi.Output[str]

    def __init__(
        self,
        resource_name: str,
        name: pulumi.Input[str] | DataSourceArgs | None = None,
        adopt: bool = False,
        opts: pulumi.ResourceOptions | None = None,
        *,
        args: DataSourceArgs | None = None,
    ) -> None:
        if isinstance(name, DataSourceArgs):
            name, args = None, name
        if args is not None:
            name = args.name if name is None else name
            adopt = adopt or args.adopt
        props = {
            "name": resource_name if name is None else name,
            "adopt": bool(adopt),
            "uuid": None,
            "system": None,
            "status": None,
            "created_at": None,
        }
        super().__init__(DataSourceProvider(), resource_name, props, opts)

    @staticmethod
    def get(resource_name: str, id: pulumi.Input[str], opts: pulumi.ResourceOptions | None = None) -> DataSource:
        """The existing data source with uuid ``id``, read (at every preview, up and refresh) but not managed:
        the program never changes it and ``destroy`` leaves it alone. A uuid that does not exist fails the run."""
        return read_existing(DataSource, DataSourceProvider(), resource_name, id,
                             ("uuid", "name", "system", "status", "created_at"), opts)
