"""The two faces of one server: how a request of each names its resource, carries its properties, and finds its
provider. Everything else about an RPC is the server's (``server.py``), written once for both.

- The **dynamic** face (``pulumi-python:dynamic/chartmogul:Plan``, Python programs): snake_case properties, and the
  provider travels with them as a pickle under ``__provider``, which every answer carries back.
- The **native** face (``chartmogul:index:Plan``, the ``chartmogul`` plugin): camelCase properties, and one provider
  per resource type, configured from the provider's own config (``Configure``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..resources._base import PROVIDER_KEY
from .names import NATIVE_TOKENS, camel, to_camel, to_snake

if TYPE_CHECKING:
    from ..resources._base import ChartMogulProvider


@dataclass(frozen=True)
class Face:
    """How one face's wire properties become a provider's and back."""

    native: bool

    def incoming(self, props: Mapping[str, Any]) -> dict[str, Any]:
        """Wire properties as the provider reads them (the dynamic face's pickle stays: the provider ignores it)."""
        return to_snake(props) if self.native else dict(props)

    def outgoing(self, props: Mapping[str, Any], carried: Mapping[str, Any]) -> dict[str, Any]:
        """A provider's properties for the wire; the dynamic face carries the request's provider pickle back."""
        if self.native:
            return to_camel(props)
        return {**props, **({PROVIDER_KEY: carried[PROVIDER_KEY]} if PROVIDER_KEY in carried else {})}

    def field(self, name: str) -> str:
        """A provider's field name as this face's programs write it (in failures, diffs and replacements)."""
        return camel(name) if self.native else name


DYNAMIC = Face(native=False)
NATIVE = Face(native=True)


def resource_name(urn: str) -> str:
    """``urn:pulumi:stack::project::chartmogul:index:Plan::gold`` → ``gold``."""
    return urn.rsplit("::", 1)[-1]


def native_config(args: Mapping[str, Any]) -> dict[str, str]:
    """The native provider's inputs (``apiKey``, ``allowedAccountIds`` ...) as the stack config the settings read
    (``chartmogul:apiKey`` → a string; a list as JSON, as the engine hands a list of config to a dynamic provider)."""
    config: dict[str, str] = {}
    for key, value in args.items():
        if value is None or key == "version":
            continue
        if isinstance(value, bool):
            text = "true" if value else "false"
        elif isinstance(value, float) and value.is_integer():
            text = str(int(value))
        elif isinstance(value, list | dict):
            text = json.dumps(value)
        else:
            text = str(value)
        config[f"chartmogul:{key}"] = text
    return config


class NativeProviders:
    """One configured provider per native resource type, built at ``Configure``."""

    def __init__(self, classes: Callable[[], dict[str, type[ChartMogulProvider]]]) -> None:
        self._classes = classes
        self._providers: dict[str, ChartMogulProvider] = {}

    def configure(self, config: Mapping[str, str]) -> None:
        from pulumi.dynamic import Config, ConfigureRequest

        providers: dict[str, ChartMogulProvider] = {}
        for token, name in NATIVE_TOKENS.items():
            provider = self._classes()[name]()
            provider.configure(ConfigureRequest(Config(raw_config=dict(config), project_name="chartmogul")))
            providers[token] = provider
        self._providers = providers

    def get(self, token: str) -> ChartMogulProvider:
        if not self._providers:
            self.configure({})  # Configure never came: the environment alone (CHARTMOGUL_API_KEY ...)
        return self._providers[token]
